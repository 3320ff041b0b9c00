"""Load throughput: the transactional loader vs Neo4j's offline bulk importer, same world.

    .venv/bin/python bench/bench_load.py --firms 100000 [--seed 7] [--skip-bulk]

Seeds a world (or reuses --world DIR), starts a throw-away local instance (ports 27687/27474),
loads the world with `riskgraph load`'s code path and prints nodes + relationships per second
and the loader's peak memory; then, unless --skip-bulk, stops the instance, writes the same
validated rows as importer CSV, runs `neo4j-admin database import full`, starts the instance
again, checks the counts match and prints the ratio.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from riskgraph.graph.config import Settings
from riskgraph.graph.driver import connect, read
from riskgraph.graph.loader import load_world
from riskgraph.graph.migrations import migrate
from riskgraph.graph.runtime.bulk_import import import_world
from riskgraph.graph.runtime.server import LocalServer
from riskgraph.seed.world import generate_world


def _counts(settings: Settings) -> dict[str, int]:
    driver = connect(settings)
    try:
        labels = {r["label"]: r["count"]
                  for r in read(driver, "count_nodes_by_label", settings.neo4j_database)}
        types = {r["type"]: r["count"] for r in read(driver, "count_relationships_by_type",
                                                         settings.neo4j_database)}
    finally:
        driver.close()
    skip = {"LoadBatch", "SchemaMigration"}
    return {k: v for k, v in {**labels, **types}.items() if k not in skip and v}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--world", type=Path)
    parser.add_argument("--skip-bulk", action="store_true")
    parser.add_argument("--heap", default="4g")
    parser.add_argument("--pagecache", default="4g")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="riskgraph-bench-load-"))
    world = args.world or scratch / "world"
    if args.world is None:
        began = time.perf_counter()
        generate_world(args.firms, args.seed, world, progress=False)
        print(f"seed: {args.firms:,} firms in {time.perf_counter() - began:.1f} s")

    settings = Settings(riskgraph_home=scratch / "home", riskgraph_neo4j_bolt_port=27687,
                        riskgraph_neo4j_http_port=27474, riskgraph_neo4j_heap=args.heap,
                        riskgraph_neo4j_pagecache=args.pagecache)
    server = LocalServer(settings)
    try:
        server.start()
        driver = connect(settings)
        migrate(driver, settings.neo4j_database)
        report = load_world(driver, world, database="neo4j", progress=False)
        driver.close()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        tx_counts = _counts(settings)
        elements = sum(tx_counts.values())
        print(f"transactional load: {report.elements:,} elements in {report.seconds:.1f} s = "
              f"{report.per_second:,.0f} nodes+rels/s (validation and rejects included); "
              f"{report.rejects} rejects; loader peak RSS {peak:,.0f} MiB; "
              f"graph holds {elements:,}")
        if args.skip_bulk:
            return
        server.stop()
        prepared, imported = import_world(server, world, scratch)
        server.start()
        bulk_counts = _counts(settings)
        total = prepared + imported
        print(f"offline bulk import: CSV written in {prepared:.1f} s, imported in "
              f"{imported:.1f} s; {sum(bulk_counts.values()):,} elements = "
              f"{sum(bulk_counts.values()) / total:,.0f}/s end to end")
        print(f"ratio bulk/transactional throughput: "
              f"{(sum(bulk_counts.values()) / total) / report.per_second:.1f}x")
        differ = {k: (tx_counts.get(k), bulk_counts.get(k))
                  for k in set(tx_counts) | set(bulk_counts) if tx_counts.get(k) !=
                  bulk_counts.get(k)}
        print("counts match" if not differ else f"counts differ: {differ}")
    finally:
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
