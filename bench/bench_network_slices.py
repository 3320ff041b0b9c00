"""What each Spark feature task holds: a firm slice's halo against the slice and the world.

    .venv/bin/python bench/bench_network_slices.py --firms 100000 1000000
        [--slice-firms 200000 20000] [--sample 5] [--seed 7] [--scratch DIR] [--compute]

For each world size and slice size, the network tasks ``models.spark.features.network_work``
plans (the network features by firm slice, each halo with its firms' signals instead of their
records; the whole-graph four on the global and bids views), without Spark,
on ``--sample`` slices spread evenly over the firms: per network-slice task the time to cut
it on the driver, the firms of the slice, the firms and persons of its snapshot (the
slice and its halo), the snapshot's array bytes (object columns: pointers only) and its
pickled bytes (what is shipped to the executor); the same for the global view and for the
whole snapshot (the one task of ``network="whole"``). With ``--compute`` each task's
``compute_features`` is also run here: its seconds, then (a second run, traced) the peak of
traced allocations (tracemalloc: numpy and scipy arrays included) — the task's working memory
beside its input.
Medians over the slices are printed with the extremes.
"""

from __future__ import annotations

import argparse
import pickle
import shutil
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from itertools import takewhile
from pathlib import Path
from typing import Any

import numpy as np

MIB = 2**20


def _sizes(snap: Any) -> tuple[float, float]:
    """Array and pickled MiB of a snapshot (or of a halo task's snapshot and signals)."""
    from riskgraph.models.spark.halo import snapshot_bytes

    arrays = (snapshot_bytes(snap[0]) + snap[1].nbytes if isinstance(snap, tuple)
              else snapshot_bytes(snap))
    return arrays / MIB, len(pickle.dumps(snap, protocol=5)) / MIB


def _run(snap: Any, as_of: int, names: list[str], w: Any = None) -> tuple[float, float]:
    """Seconds and traced peak of the task's features (``w``: a halo task, in its context)."""
    from riskgraph.models.risk.features import compute_features
    from riskgraph.models.spark.halo import halo_context

    def context() -> Any:
        return None if w is None else halo_context(snap, as_of, w.core, w.signals)

    rows = None if w is None else w.core
    began = time.perf_counter()
    compute_features(snap, as_of, names, context=context(), rows=rows)
    seconds = time.perf_counter() - began
    tracemalloc.start()  # a second run, traced (tracing slows the Python-heavy features)
    compute_features(snap, as_of, names, context=context(), rows=rows)
    peak = tracemalloc.get_traced_memory()[1] / MIB
    tracemalloc.stop()
    return seconds, peak


def _row(label: str, values: Sequence[float], unit: str) -> str:
    a = np.array(values, dtype=float)
    return (f"{label} median {np.median(a):,.1f} {unit} (min {a.min():,.1f}, "
            f"max {a.max():,.1f})")


def measure(world: Path, slice_firms: list[int], sample: int, compute: bool) -> None:
    from riskgraph.graph.snapshot import Snapshot
    from riskgraph.models.risk.features import feature_names
    from riskgraph.models.risk.features.context import FeatureContext, signal_matrix
    from riskgraph.models.spark.features import Work, network_work
    from riskgraph.models.spark.halo import halo_scope, network_slice
    from riskgraph.models.spark.partition import firm_bounds, own_scope

    snap = Snapshot.from_world(world)
    as_of = snap.data_end + 1
    names = [n for n in feature_names(include_soft=True) if not own_scope(n)]
    arrays, pickled = _sizes(snap)
    print(f"\n{snap.n_firms:,} firms, {snap.n_persons:,} persons: whole snapshot "
          f"{arrays:,.0f} MiB of arrays, {pickled:,.0f} MiB pickled")
    if compute:
        seconds, peak = _run(snap, as_of, names)
        print(f"  whole (network='whole', one task): {len(names)} network features "
              f"{seconds:.1f} s, traced peak {peak:,.0f} MiB")
    signals = signal_matrix(FeatureContext(snap, as_of))  # the own tasks' (equal: tested)
    glob = list(takewhile(lambda w: w.kind == "global",
                          network_work(snap, names, 1, signals=signals)))
    for size in slice_firms:
        bounds = firm_bounds(snap.n_firms, max(1, -(-snap.n_firms // size)))
        picked = sorted({bounds[i] for i in np.linspace(0, len(bounds) - 1, sample).astype(int)})
        halo, cuts = [], []
        for lo, hi in picked:
            began = time.perf_counter()
            piece = network_slice(snap, lo, hi)
            cuts.append(time.perf_counter() - began)
            halo.append(Work("halo", [n for n in names if halo_scope(n)], lo, hi, piece.snap,
                             piece.core, signals[piece.firms]))
        print(f"  slices of ≤ {size:,} firms: {len(bounds)} network-slice tasks + "
              f"{len(glob)} global tasks; {len(halo)} slices measured, spread over the firms")
        print("    " + _row("cut on the driver", cuts, "s") + " per slice")
        sizes = [_sizes((w.piece, w.signals)) for w in halo]
        firms = [w.task_firms for w in halo]
        print("    " + _row("slice firms", [w.hi - w.lo for w in halo], "firms"))
        print("    " + _row("task firms (slice + halo)", firms, "firms"))
        print("    " + _row("halo ÷ slice", [f / (w.hi - w.lo) for f, w in zip(firms, halo,
                                                                            strict=True)],
                            "×"))
        persons = [w.piece.n_persons for w in halo if w.piece is not None]
        print("    " + _row("task persons", persons, "persons"))
        print("    " + _row("task arrays", [a for a, _ in sizes], "MiB"))
        print("    " + _row("task pickled", [p for _, p in sizes], "MiB"))
        print("    " + _row("task arrays ÷ whole", [a / arrays for a, _ in sizes], "×"))
        if compute:
            runs = [_run(w.piece, as_of, w.names, w) for w in halo]
            print("    " + _row("task seconds", [s for s, _ in runs], "s")
                  + f", sum {sum(s for s, _ in runs):.1f} s")
            print("    " + _row("task traced peak", [p for _, p in runs], "MiB"))
    for w in glob:
        a, p = _sizes(w.piece)
        line = (f"  global task ({', '.join(w.names)}): {a:,.0f} MiB of "
                f"arrays, {p:,.0f} MiB pickled ({a / arrays:.2f} × whole)")
        if compute:
            seconds, peak = _run(w.piece, as_of, w.names)
            line += f"; {seconds:.1f} s, traced peak {peak:,.0f} MiB"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--firms", type=int, nargs="+", default=[100_000])
    parser.add_argument("--slice-firms", type=int, nargs="+", default=[200_000, 20_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scratch", type=Path, default=None,
                        help="keep the worlds here and reuse them")
    parser.add_argument("--sample", type=int, default=5,
                        help="measure this many slices, spread evenly over the firms")
    parser.add_argument("--compute", action="store_true")
    args = parser.parse_args()

    from riskgraph.seed.world import generate_world

    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="riskgraph-bench-slices-"))
    try:
        for n in args.firms:
            world = scratch / f"world-{n}-{args.seed}"
            if not (world / "complete").exists():
                generate_world(n, args.seed, world, progress=False)
                (world / "complete").touch()
            measure(world, args.slice_firms, args.sample, args.compute)
    finally:
        if args.scratch is None:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
