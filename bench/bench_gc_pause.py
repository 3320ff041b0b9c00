"""The pause of a full garbage collection in an API worker holding the explanation snapshot,
before and after ``gc.freeze()`` (app/graphql/risk/explain_cache.frozen).

    .venv/bin/python bench/bench_gc_pause.py [--firms 100000] [--repeat 5]

Reads the bench world of bench/bench_api.py (built there; its Neo4j is started if stopped),
builds what a worker keeps after its warm-up (the snapshot, the model and every firm's
scores), then times ``gc.collect()`` (generation 2: what CPython runs now and then, holding
the GIL, so every request of the worker waits) ``--repeat`` times, freezes, and times it again.
Prints the medians and the objects the collector tracks. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time

from bench_api import build, settings  # type: ignore[import-not-found]

from riskgraph.graph.driver import connect
from riskgraph.graph.snapshot import Snapshot
from riskgraph.models.risk.artifact import latest_version, load_artifact
from riskgraph.models.risk.scoring import score_snapshot


def pauses(repeat: int) -> list[float]:
    """Milliseconds of ``repeat`` full collections."""
    found = []
    for _ in range(repeat):
        t = time.perf_counter()
        gc.collect()
        found.append((time.perf_counter() - t) * 1000)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    s = settings(args.firms)
    build(s, args.firms, args.seed)
    driver = connect(s)
    try:
        t = time.perf_counter()
        snapshot = Snapshot.from_neo4j(driver, s.neo4j_database)
        artifact = load_artifact(s.riskgraph_home, latest_version(s.riskgraph_home))
        scores = score_snapshot(snapshot, artifact, None)
        print(f"snapshot, model and scores of {snapshot.n_firms:,} firms: "
              f"{time.perf_counter() - t:.0f} s", flush=True)
    finally:
        driver.close()
    gc.collect()
    tracked = len(gc.get_objects())
    before = pauses(args.repeat)
    gc.freeze()
    after = pauses(args.repeat)
    print(f"full collection before gc.freeze(): median {statistics.median(before):.3f} ms "
          f"(runs {', '.join(f'{x:.1f}' for x in before)}; {tracked:,} objects tracked)")
    micro = [x * 1000 for x in after]
    print(f"full collection after gc.freeze():  median {statistics.median(micro):.1f} µs "
          f"(runs {', '.join(f'{x:.1f}' for x in micro)} µs; {len(gc.get_objects()):,} "
          f"objects tracked, {gc.get_freeze_count():,} frozen)")
    del snapshot, artifact, scores


if __name__ == "__main__":
    main()
