"""Feature throughput: extraction from Neo4j and computation of every feature, separately.

    .venv/bin/python bench/bench_features.py --firms 100000 [--seed 7] [--world DIR] [--no-neo4j]

Seeds a world (or reuses --world DIR), bulk-imports it into a throw-away local Neo4j (ports
27887/27774, removed afterwards), then times

* extraction: ``Snapshot.from_neo4j`` (the handful of bulk ``cypher/snapshot/*`` reads);
* computation: every registered feature (soft merits included) as of the day after the data,
  plus both bulk scorecards — the work ``riskgraph train`` repeats per panel.

Targets (2-core machine): 100,000 firms within 60 s, 1,000,000 within 10 minutes, extraction and
computation together. ``--no-neo4j`` builds the snapshot from the world files instead (the
figure is then labelled as such).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from riskgraph.graph.config import Settings
from riskgraph.graph.driver import connect
from riskgraph.graph.runtime.bulk_import import bulk_import, write_import_csv
from riskgraph.graph.runtime.server import LocalServer
from riskgraph.graph.snapshot import Snapshot, date_of
from riskgraph.graph.validation import validate_world
from riskgraph.graph.world_io import read_world
from riskgraph.models.features import compute_features, feature_names, get
from riskgraph.models.scorecards import bulk_tax, bulk_zhejiang
from riskgraph.seed.world import generate_world


def _rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--world", type=Path)
    parser.add_argument("--no-neo4j", action="store_true")
    parser.add_argument("--heap", default="4g")
    parser.add_argument("--pagecache", default="4g")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="riskgraph-bench-features-"))
    try:
        world = args.world or scratch / "world"
        if args.world is None:
            began = time.perf_counter()
            generate_world(args.firms, args.seed, world, progress=False)
            print(f"seed: {args.firms:,} firms in {time.perf_counter() - began:.1f} s")
        began = time.perf_counter()
        snap = Snapshot.from_world(world)
        from_files = time.perf_counter() - began
        print(f"snapshot from world files: {from_files:.1f} s ({snap.n_firms:,} firms, "
              f"{snap.n_persons:,} persons, {len(snap.rec_issued):,} records, "
              f"{len(snap.sup_supplier):,} supplies, {len(snap.role_firm):,} roles)")
        extraction = from_files
        source = "world files"
        if not args.no_neo4j:
            extraction, snap = _extract_from_neo4j(world, scratch, args.heap, args.pagecache)
            source = "Neo4j"
        as_of = date_of(snap.data_end + 1)
        names = feature_names(include_soft=True)
        began = time.perf_counter()
        fm = compute_features(snap, as_of, names)
        features = time.perf_counter() - began
        began = time.perf_counter()
        bulk_zhejiang(snap, as_of)
        bulk_tax(snap, as_of)
        cards = time.perf_counter() - began
        by_group: dict[str, float] = defaultdict(float)
        for name, sec in fm.seconds.items():
            by_group[get(name).group] += sec
        computation = features + cards
        print(f"computation: {len(names)} features in {features:.1f} s "
              f"({', '.join(f'{g} {s:.1f} s' for g, s in sorted(by_group.items()))}); "
              f"scorecards {cards:.1f} s")
        slowest = sorted(fm.seconds.items(), key=lambda kv: -kv[1])[:5]
        print("slowest features: " + ", ".join(f"{n} {s:.2f} s" for n, s in slowest))
        total = extraction + computation
        target = 60.0 if args.firms <= 100_000 else 600.0
        verdict = "within" if total <= target else "MISSES"
        print(f"TOTAL {snap.n_firms:,} firms: extraction ({source}) {extraction:.1f} s + "
              f"computation {computation:.1f} s = {total:.1f} s; peak RSS {_rss():,.0f} MiB; "
              f"{verdict} the {target:.0f} s target")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _extract_from_neo4j(world: Path, scratch: Path, heap: str, pagecache: str
                        ) -> tuple[float, Snapshot]:
    settings = Settings(riskgraph_home=scratch / "home", riskgraph_neo4j_bolt_port=27887,
                        riskgraph_neo4j_http_port=27774, riskgraph_neo4j_heap=heap,
                        riskgraph_neo4j_pagecache=pagecache)
    server = LocalServer(settings)
    try:
        began = time.perf_counter()
        server.start()
        server.stop()
        shutil.rmtree(server.layout.data_dir / "databases" / "neo4j", ignore_errors=True)
        shutil.rmtree(server.layout.data_dir / "transactions" / "neo4j", ignore_errors=True)
        good = validate_world(read_world(world)).world
        bulk_import(server, write_import_csv(good.nodes, good.rels, scratch / "import"))
        server.start()
        print(f"bulk import into a scratch Neo4j: {time.perf_counter() - began:.1f} s")
        driver = connect(settings)
        try:
            driver.execute_query("MATCH (c:Company) RETURN count(c) AS n")  # warm the driver
            began = time.perf_counter()
            snap = Snapshot.from_neo4j(driver, "neo4j")
            extraction = time.perf_counter() - began
        finally:
            driver.close()
        print(f"extraction from Neo4j: {extraction:.1f} s")
        return extraction, snap
    finally:
        server.stop()


if __name__ == "__main__":
    main()
