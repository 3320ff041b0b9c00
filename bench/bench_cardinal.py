"""Our red flags vs the OCP's Cardinal on the demo world's OCDS export: agreement and speed.

    .venv/bin/python bench/bench_cardinal.py [--firms 5000] [--seed 7] [--world DIR]
        [--ocds FILE] [--from-graph] [--runs 3] [--lines 50000]

Seeds a world (or reuses --world DIR) and exports its procurement as OCDS compiled releases
(``riskgraph export ocds``); with ``--from-graph`` the world is loaded into the configured
Neo4j (RISKGRAPH_* settings) and the file is written from the graph instead
(models/screens/redflag_graph.py). ``--ocds FILE`` skips both. Then runs Cardinal
(``ocdscardinal indicators``, every indicator at its defaults) and ours
(``screen_releases(read_releases(FILE))``) on the same file, ``--runs`` times each, and prints
per indicator the flagged (group, id) sets: both, only ours, only Cardinal's, Jaccard, equal
values, and the wall and CPU times of each (ours with and without R044, which Cardinal lacks;
both include reading the file): every run, the medians and their ratios side by side. The runs
are interleaved (Cardinal, ours, ours with R044, then again) so that a load on the machine
weighs on all three alike; CPU time (Cardinal's process, ours in this process) is the fairer
figure on a busy machine. ``--lines N`` repeats the releases (the k-th
copy's ocids suffixed ``#k``) up to N lines first, for timing on a large file (Cardinal's run
includes starting its process; ours runs in this process).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from riskgraph.graph.exporters.ocds import export_ocds
from riskgraph.graph.runtime import cardinal
from riskgraph.graph.validation import validate_world
from riskgraph.graph.world_io import read_world
from riskgraph.models.screens.redflag_flag import CARDINAL_INDICATORS
from riskgraph.models.screens.redflag_ocds import read_releases
from riskgraph.models.screens.redflags import (
    RedFlagSettings,
    per_indicator,
    same_value,
    screen_releases,
)
from riskgraph.seed.world import generate_world


def _cpu() -> float:
    """CPU seconds of this process and its finished children (Cardinal)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _once(fn: Any) -> tuple[Any, float, float]:
    """(result, wall seconds, CPU seconds) of one call."""
    wall, cpu = time.perf_counter(), _cpu()
    result = fn()
    return result, time.perf_counter() - wall, _cpu() - cpu


def _interleaved(fns: dict[str, Any], runs: int) -> tuple[dict[str, Any],
                                                          dict[str, list[tuple[float, float]]]]:
    """Each function ``runs`` times, in turn; (last results, (wall, cpu) per run)."""
    results: dict[str, Any] = {}
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            results[name], wall, cpu = _once(fn)
            times[name].append((wall, cpu))
    return results, times


def _print_times(times: dict[str, list[tuple[float, float]]], runs: int) -> None:
    base = times["cardinal"]
    print(f"{'run':<22}" + "".join(f"{'run ' + str(i + 1):>16}" for i in range(runs))
          + f"{'median':>16}{'ratio':>14}")
    for name, label in (("cardinal", "cardinal"), ("same", "ours, same 11"),
                        ("r044", "ours, with R044")):
        for k, kind in ((0, "wall"), (1, "cpu")):
            values = [t[k] for t in times[name]]
            median = statistics.median(values)
            ratio = median / statistics.median(t[k] for t in base)
            print(f"{label + ' ' + kind:<22}" + "".join(f"{v:>15.2f}s" for v in values)
                  + f"{median:>15.2f}s{ratio:>13.2f}x")


def _ocds_file(args: argparse.Namespace, work: Path) -> Path:
    if args.ocds is not None:
        return Path(args.ocds)
    world = Path(args.world) if args.world else work / "world"
    if not args.world:
        generate_world(args.firms, args.seed, world, progress=False)
    out = work / "world.jsonl"
    if args.from_graph:
        from riskgraph.graph.config import get_settings
        from riskgraph.graph.driver import connect
        from riskgraph.graph.loader import load_world
        from riskgraph.graph.maintenance import clear_data
        from riskgraph.graph.store import Store
        from riskgraph.models.screens.redflag_graph import graph_releases

        settings = get_settings()
        driver = connect(settings)
        try:
            clear_data(driver, settings.neo4j_database)
            load_world(driver, world, database=settings.neo4j_database, progress=False)
            releases = graph_releases(Store.open(driver, settings.neo4j_database))
        finally:
            driver.close()
        with out.open("w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in releases)
    else:
        export_ocds(validate_world(read_world(world)).world, out)
    return out


def _repeat(path: Path, lines: int, out: Path) -> Path:
    releases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip()]
    with out.open("w", encoding="utf-8") as fh:
        for i in range(lines):
            release = releases[i % len(releases)]
            copy = i // len(releases)
            if copy:
                release = {**release, "ocid": f"{release['ocid']}#{copy}"}
            fh.write(json.dumps(release, ensure_ascii=False) + "\n")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--firms", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--world", help="reuse this world directory")
    parser.add_argument("--ocds", help="reuse this OCDS JSON-lines file")
    parser.add_argument("--from-graph", action="store_true",
                        help="load the world into Neo4j and export the releases from the graph")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lines", type=int, default=0,
                        help="repeat the releases up to this many lines (0: as they are)")
    args = parser.parse_args()
    exe = cardinal.install()
    with tempfile.TemporaryDirectory() as tmp:
        path = _ocds_file(args, Path(tmp))
        if args.lines:
            path = _repeat(path, args.lines, Path(tmp) / "repeated.jsonl")
        lines = sum(1 for _ in path.open(encoding="utf-8"))
        size = path.stat().st_size
        settings = cardinal.write_settings(Path(tmp) / "all.ini")
        results, times = _interleaved({
            "cardinal": lambda: cardinal.run_indicators(path, settings, binary=exe),
            "same": lambda: screen_releases(read_releases(path), RedFlagSettings(r044=False)),
            "r044": lambda: screen_releases(read_releases(path))}, args.runs)
    theirs, ours = results["cardinal"], results["r044"]
    va, vb = per_indicator(ours.cardinal_results()), per_indicator(theirs)
    print(f"file: {path} ({lines:,} releases, {size / 1e6:.1f} MB)" if args.ocds or args.lines
          else f"world: {args.world or f'{args.firms:,} firms, seed {args.seed}'}"
          f" → {lines:,} releases ({'from the graph' if args.from_graph else 'export'})")
    print(f"{'indicator':<10}{'both':>7}{'ours only':>11}{'cardinal only':>15}{'jaccard':>9}"
          f"{'same value':>12}")
    for code in CARDINAL_INDICATORS:
        a, b = set(va[code]), set(vb[code])
        both, union = a & b, len(a | b)
        jac = 1.0 if union == 0 else len(both) / union
        equal = sum(1 for k in both if same_value(va[code][k], vb[code][k]))
        print(f"{code:<10}{len(both):>7}{len(a - b):>11}{len(b - a):>15}{jac:>9.3f}"
              f"{equal:>12}")
    r044 = sum(1 for f in ours.flags if f.indicator == "R044" and f.group == "OCID")
    print(f"R044 (ours only, Cardinal lacks it): {r044} contracting processes")
    _print_times(times, args.runs)


if __name__ == "__main__":
    main()
