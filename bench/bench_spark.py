"""The Spark engine against the in-process engine, side by side, end to end.

    .venv/bin/python bench/bench_spark.py --firms 25000 50000 100000 [--seed 7]
        [--master local[2]] [--train-firms 25000] [--limit-gib 5.5] [--no-neo4j]
        [--read neo4j|world] [--engines local spark] [--scratch DIR]

For each size: a world is generated and bulk-loaded into a scratch Neo4j (the project's
local server on the test ports of the environment, under a scratch home; heap and page cache
from RISKGRAPH_NEO4J_HEAP / _PAGECACHE); one model is trained once on a ``--train-firms`` world
(the feature contract is the same at every size, so every run scores with it). Then, each in
its own process, reading the same graph:

* **in-process**: ``models.accountability.ranking.create_run`` — snapshot from Neo4j, features,
  scores, tiers, reasons, rank, digest, write-back;
* **spark**: ``models.spark.ranking.create_run_spark`` on ``--master`` — the same, with features
  and scoring as Spark tasks and write-back from the partitions.

Time is wall clock of the whole run (Spark's start-up included, shown apart); peak memory is the
largest sum of resident memory over the process and all its children (Spark's JVM and Python
workers), sampled every 0.2 s. A run whose tree passes ``--limit-gib`` is killed and reported
as such. Both digests are printed: equal digests mean the same ranking. The end prints the
slope (seconds and MiB per 100k firms, least squares over the sizes) and, labelled as
extrapolated, the 1M and 3M figures it implies.

``--no-neo4j``: both engines read the world files and stop before the write-back (features,
scores, tiers, reasons, ranks, digest); no server is started. ``--read world``: both engines
read the world files and write the run back to the loaded Neo4j (the batch path of
docs/national-scale.md). The in-process run prints each phase's time and peak.

``BENCH_WRITE=20000x2``: write-back batch size and writers for both engines (default 5,000 × 1);
``BENCH_WRITE_BATCHES=1000,20000x2``: the in-process write-back timed again at these shapes;
``--engines local``: one engine only; ``--scratch DIR``: keep the model and worlds for reuse.
``BENCH_SPARK_NETWORK=whole``: the Spark engine's network features in one task on the whole
snapshot (default ``halo``: by firm slice with each slice's halo); ``BENCH_SPARK_SLICE=500000``:
at most this many firms per feature task (default 200,000).

The engines alternate which runs first from one size to the next (``--engines`` order at the
first size, reversed at the second, ...): the first write-back after a bulk load meets a cold
store, so each engine carries that cost at every other size; each run's line says
``[ran first]``, and the fit says at how many sizes each engine ran first.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _tree_rss(pid: int) -> dict[str, int]:
    """Resident bytes of ``pid`` and every descendant (from /proc), by kind of process:
    ``driver`` (``pid`` itself), ``jvm`` (java), ``workers`` (any other descendant)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                name, fields = fh.read().split(" (", 1)[1].rsplit(")", 1)
            fields = fields.split()
            ppid, pages = int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE")
        if name == "java":
            rss[-int(entry)] = 1  # marks a JVM
    out = {"driver": rss.get(pid, 0), "jvm": 0, "workers": 0}
    todo = list(children.get(pid, []))
    while todo:
        p = todo.pop()
        out["jvm" if -p in rss else "workers"] += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return out


def _measured(args: list[str], env: dict[str, str], limit: int,
              log: Path) -> dict[str, Any]:
    """Run ``args``; its JSON result plus wall seconds and the peak tree RSS (MiB). Its
    output goes to ``log`` (``.out``, ``.err``): a pipe nobody reads until the end could fill
    and stall the run."""
    began = time.perf_counter()
    log.parent.mkdir(parents=True, exist_ok=True)
    out_file, err_file = log.with_suffix(".out").open("w+"), log.with_suffix(".err").open("w+")
    proc = subprocess.Popen(args, stdout=out_file, stderr=err_file, text=True, env=env,
                            cwd=ROOT)
    peak, killed, at_peak = 0, False, {}
    while proc.poll() is None:
        parts = _tree_rss(proc.pid)
        if sum(parts.values()) > peak:
            peak, at_peak = sum(parts.values()), parts
        if peak > limit:
            killed = True
            subprocess.run(["pkill", "-KILL", "-P", str(proc.pid)], check=False)
            proc.kill()
            break
        time.sleep(0.2)
    proc.wait()
    out_file.seek(0)
    err_file.seek(0)
    out, err = out_file.read(), err_file.read()
    out_file.close()
    err_file.close()
    result: dict[str, Any] = {"wall": time.perf_counter() - began, "peak_mib": peak / 2**20,
                              "killed": killed, "rc": proc.returncode,
                              "at_peak_mib": {k: v / 2**20 for k, v in at_peak.items()}}
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if lines:
        result.update(json.loads(lines[-1]))
    elif not killed:
        result["error"] = err.strip().splitlines()[-1:] or ["no output"]
    return result


class _Phases:
    """Per phase: wall seconds and the process's peak resident memory during it (the kernel's
    high-water mark, reset at each phase's start through /proc/self/clear_refs)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.peak_mib: dict[str, float] = {}

    @staticmethod
    def _status(key: str) -> float:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def __call__(self, label: str) -> Any:
        import contextlib

        @contextlib.contextmanager
        def phase() -> Any:
            try:
                with open("/proc/self/clear_refs", "w") as fh:
                    fh.write("5")
            except OSError:
                pass
            began = time.perf_counter()
            yield
            self.seconds[label] = time.perf_counter() - began
            self.peak_mib[label] = self._status("VmHWM")

        return phase()


def _write_shape() -> tuple[int, int]:
    """``BENCH_WRITE=20000x2``: both engines' write-back batch size and writers (default
    the product's: ``graph.store.runs.BATCH`` rows, one writer)."""
    from riskgraph.graph.store.runs import BATCH

    size, _, writers = os.environ.get("BENCH_WRITE", str(BATCH)).partition("x")
    return int(size), int(writers or 1)


def _extra_batches() -> list[tuple[int, int]]:
    """``BENCH_WRITE_BATCHES=2000,20000x2``: the in-process write-back timed again at these
    batch sizes (``xN``: from N sessions at once); each writes the run once more, under
    another run id."""
    out = []
    for item in os.environ.get("BENCH_WRITE_BATCHES", "").split(","):
        if item.strip():
            size, _, writers = item.strip().partition("x")
            out.append((int(size), int(writers or 1)))
    return out


def _local_run(phases: _Phases, home: Path, world: Path | None, store: Any) -> dict[str, Any]:
    """The in-process run, phase by phase (what ``create_run`` does, timed apart)."""
    from riskgraph.graph.snapshot import Snapshot, day_of
    from riskgraph.graph.store.runs import save_run
    from riskgraph.models.accountability.ranking import build_run, run_parameters
    from riskgraph.models.risk.artifact import load_artifact
    from riskgraph.models.risk.features import compute_features
    from riskgraph.models.risk.scoring import score_features
    from riskgraph.models.risk.training import as_of_default

    art = load_artifact(home)
    with phases("read snapshot"):
        snap = Snapshot.from_world(world) if world is not None else store.snapshot()
    with phases("data digest"):
        data_digest = snap.digest()
    with phases("features"):
        fm = compute_features(snap, day_of(as_of_default(snap)), art.all_features)
    uscc = snap.uscc
    del snap
    with phases("scores + tiers"):
        sc = score_features(art, fm, uscc, data_digest)
    with phases("rank + reasons + run digest"):
        run = build_run(sc, run_parameters(sc))
    del sc, fm
    if store is not None:
        size, writers = _write_shape()
        with phases(f"write-back (batches of {size:,}, {writers} writers)"):
            save_run(store, run, "bench", batch=size, writers=writers)
        for size, writers in _extra_batches():  # the same run again under another id
            again = dataclasses.replace(run, run_id=f"{run.run_id}-b{size}x{writers}")
            with phases(f"write-back (batches of {size:,}, {writers} writers)"):
                save_run(store, again, "bench", batch=size, writers=writers)
    return {"digest": run.digest, "firms": len(run.firms), "seconds": phases.seconds,
            "phase_peak_mib": phases.peak_mib}


def child(engine: str, home: str, master: str, world: str) -> None:
    """One end-to-end run inside this process; prints its figures as one JSON line.

    ``world``: ``-`` reads the graph from Neo4j and writes the run back; ``write:DIR`` reads
    the world files in DIR and writes the run back; a plain DIR reads it, no write-back."""
    from riskgraph.graph.config import get_settings
    from riskgraph.graph.driver import connect

    if world != "-" and not world.startswith("write:"):
        _child_files(engine, Path(home), master, Path(world))
        return
    source = Path(world.removeprefix("write:")) if world != "-" else None
    settings = get_settings()
    driver = connect(settings)
    out: dict[str, Any] = {}
    try:
        from riskgraph.graph.store import Store

        if engine == "local":
            out = _local_run(_Phases(), Path(home), source,
                             Store.open(driver, settings.neo4j_database))
        else:
            from riskgraph.models.spark.ranking import create_run_spark
            from riskgraph.models.spark.session import spark_session

            began = time.perf_counter()
            spark = spark_session(master, local_dir=Path(home) / "spark",
                                  conf=_spark_conf())
            started = time.perf_counter() - began
            run = create_run_spark(Store.open(driver, settings.neo4j_database), spark,
                                   home=Path(home), settings=settings, world=source,
                                   batch=_write_shape()[0], writers=_write_shape()[1],
                                   network=_network(), slice_firms=_slice())
            spark.stop()
            out = {"digest": run.digest, "firms": run.firm_count,
                   "seconds": {"spark start": started, **run.seconds}}
    finally:
        driver.close()
    print(json.dumps(out))


def _network() -> str:
    """``BENCH_SPARK_NETWORK=whole``: how the Spark engine cuts the network features
    (models/spark/features.py ``NETWORK_MODES``; default ``halo``, by firm slice)."""
    return os.environ.get("BENCH_SPARK_NETWORK", "halo")


def _slice() -> int:
    """``BENCH_SPARK_SLICE=500000``: at most this many firms per Spark feature task (default
    models/spark/features.py ``SLICE_FIRMS``)."""
    from riskgraph.models.spark.features import SLICE_FIRMS

    return int(os.environ.get("BENCH_SPARK_SLICE", SLICE_FIRMS))


def _spark_conf() -> dict[str, str]:
    """The driver's JVM heap (``BENCH_SPARK_DRIVER_MEMORY``, default 3g): in local mode the
    JVM holds the features frame, the sort and the collected digest columns."""
    return {"spark.driver.memory": os.environ.get("BENCH_SPARK_DRIVER_MEMORY", "3g")}


def _child_files(engine: str, home: Path, master: str, world: Path) -> None:
    """From the world files, no write-back."""
    began = time.perf_counter()
    if engine == "local":
        out = _local_run(_Phases(), home, world, None)
    else:
        from riskgraph.models.spark.ranking import create_run_spark
        from riskgraph.models.spark.session import spark_session

        spark = spark_session(master, local_dir=home / "spark", conf=_spark_conf())
        started = time.perf_counter() - began
        phases = _Phases()
        srun = create_run_spark(None, spark, home=home, world=world,  # type: ignore[arg-type]
                                write=False, network=_network(), phase=phases,
                                slice_firms=_slice())
        spark.stop()
        out = {"digest": srun.digest, "firms": srun.firm_count,
               "seconds": {"spark start": started, **srun.seconds},
               "phase_peak_mib": phases.peak_mib}
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--firms", type=int, nargs="+", default=[25_000, 50_000, 100_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--train-firms", type=int, default=25_000)
    parser.add_argument("--limit-gib", type=float, default=5.5)
    parser.add_argument("--no-neo4j", action="store_true")
    parser.add_argument("--read", choices=["neo4j", "world"], default="neo4j",
                        help="with Neo4j: read the graph from it (default) or from the world "
                             "files it was loaded from (the batch path of "
                             "docs/national-scale.md); the run is written back either way")
    parser.add_argument("--engines", nargs="+", default=["local", "spark"],
                        choices=["local", "spark"])
    parser.add_argument("--scratch", type=Path, default=None,
                        help="keep the model and worlds here and reuse them on the next run")
    parser.add_argument("--child", nargs=4, metavar=("ENGINE", "HOME", "MASTER", "WORLD"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    from riskgraph.graph.bulk_load import bulk_load_world
    from riskgraph.graph.config import Settings
    from riskgraph.graph.runtime.server import LocalServer
    from riskgraph.graph.snapshot import Snapshot
    from riskgraph.models.risk.artifact import save_artifact
    from riskgraph.models.risk.train_config import TrainConfig
    from riskgraph.models.risk.training import train
    from riskgraph.seed.world import generate_world

    keep = args.scratch is not None
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="riskgraph-bench-spark-"))
    scratch.mkdir(parents=True, exist_ok=True)
    home = scratch / "home"
    env = dict(os.environ, RISKGRAPH_HOME=str(home))
    limit = int(args.limit_gib * 2**30)
    rows: list[tuple[int, dict[str, dict[str, Any]]]] = []
    try:
        began = time.perf_counter()
        trained = home / f"trained-{args.train_firms}-{args.seed}"
        if not trained.exists():
            generate_world(args.train_firms, args.seed, scratch / "train", progress=False)
            save_artifact(train(Snapshot.from_world(scratch / "train"), TrainConfig()), home)
            shutil.rmtree(scratch / "train")
            trained.touch()
        print(f"model trained on {args.train_firms:,} firms in "
              f"{time.perf_counter() - began:.0f} s (used for every size)")
        settings = Settings(riskgraph_home=home)
        for n in args.firms:
            world = scratch / f"world-{n}-{args.seed}"
            if not (world / "complete").exists():
                began = time.perf_counter()
                generate_world(n, args.seed, world, progress=False)
                (world / "complete").touch()
                print(f"\n{n:,} firms: world generated in {time.perf_counter() - began:.0f} s")
            if args.no_neo4j:
                print(f"\n{n:,} firms (from the world files, no write-back):")
            else:
                began = time.perf_counter()
                bulk_load_world(settings, world, force=True)
                print(f"\n{n:,} firms: world generated, bulk-loaded in "
                      f"{time.perf_counter() - began:.0f} s")
            figures = {}
            # the first write after the bulk load meets a cold store: alternate which engine
            # goes first from size to size, and say which did
            order = args.engines if len(rows) % 2 == 0 else args.engines[::-1]
            for engine in order:
                figures[engine] = _measured(
                    [sys.executable, __file__, "--child", engine, str(home), args.master,
                     str(world) if args.no_neo4j else
                     f"write:{world}" if args.read == "world" else "-"], env, limit,
                    scratch / "logs" / f"{engine}-{n}")
                f = figures[engine]
                state = ("KILLED at the memory limit" if f["killed"] else
                         f"error {f.get('error')}" if "digest" not in f else
                         f"digest {f['digest'][:16]}")
                parts = ", ".join(f"{k} {v:.1f} s" for k, v in f.get("seconds", {}).items())
                first = " [ran first]" if engine == order[0] and len(order) > 1 else ""
                print(f"  {engine:>6}: {f['wall']:7.1f} s wall, peak {f['peak_mib']:7,.0f} MiB "
                      f"({state}; {parts}){first}")
                print("          at the peak: " + ", ".join(
                    f"{k} {v:,.0f} MiB" for k, v in f.get("at_peak_mib", {}).items()))
                for label, mib in f.get("phase_peak_mib", {}).items():
                    print(f"          {label:<32} {f['seconds'][label]:7.1f} s, "
                          f"peak {mib:7,.0f} MiB (this process)")
            if len(figures) == 2:
                same = figures["local"].get("digest") == figures["spark"].get("digest")
                print(f"  digests {'EQUAL' if same else 'DIFFER'} ({order[0]} ran first); "
                      f"spark/in-process time "
                      f"{figures['spark']['wall'] / figures['local']['wall']:.2f}×, peak "
                      f"{figures['spark']['peak_mib'] / max(1, figures['local']['peak_mib']):.2f}×")
            figures["first"] = {"engine": order[0]}
            rows.append((n, figures))
            if not keep:
                shutil.rmtree(world)
        if not args.no_neo4j:
            LocalServer(settings).stop()
        _slopes(rows)
    finally:
        if not args.no_neo4j:
            LocalServer(Settings(riskgraph_home=home)).stop()
        if not keep:
            shutil.rmtree(scratch, ignore_errors=True)


def _slopes(rows: list[tuple[int, dict[str, dict[str, Any]]]]) -> None:
    """Least squares over the sizes, per engine: wall time, peak memory, write-back time."""
    for engine in ("local", "spark"):
        ok = [(n, f[engine]) for n, f in rows
              if engine in f and not f[engine]["killed"] and "digest" in f[engine]]
        if len(ok) < 2:
            print(f"\n{engine}: fewer than two complete sizes, no slope")
            continue
        n = np.array([x for x, _ in ok], dtype=float)
        label = "in-process" if engine == "local" else "spark"
        print(f"\n{label}: least-squares fit  y = a + b·n  over "
              + ", ".join(f"{int(x):,}" for x in n))
        series = {"wall time": ("s", [f["wall"] for _, f in ok]),
                  "peak memory": ("MiB", [f["peak_mib"] for _, f in ok])}
        backs = [_write_back(f) for _, f in ok]
        if all(v is not None for v in backs):
            series["write-back"] = ("s", backs)
        firsts = sum(1 for _, f in rows if f.get("first", {}).get("engine") == engine)
        print(f"  ({label} ran first at {firsts} of {len(rows)} sizes: its write-back met the "
              f"cold store after the bulk load there)")
        for what, (unit, y) in series.items():
            b, a = np.polyfit(n, np.array(y, dtype=float), 1)
            print(f"  {what:>11}: {a:8.1f} {unit} + {b * 1e5:8.1f} {unit} per 100k"
                  f"  → EXTRAPOLATED 1M {a + b * 1e6:9,.0f} {unit}, 3M {a + b * 3e6:9,.0f} "
                  f"{unit}, 40M {a + b * 4e7:11,.0f} {unit}")


def _write_back(f: dict[str, Any]) -> float | None:
    secs = f.get("seconds", {})
    return next((float(v) for k, v in secs.items() if k.startswith("write-back")), None)


if __name__ == "__main__":
    main()
