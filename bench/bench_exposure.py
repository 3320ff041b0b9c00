"""Exposure-report latency: a 3-tier report for the firms with the most suppliers.

    .venv/bin/python bench/bench_exposure.py --world DIR [--load] [--firms 100000] [--seed 7]
        [--tiers 3] [--firms-to-time 5] [--runs 15] [--as-of 2025-12-31]

Uses the Neo4j of the current settings (RISKGRAPH_HOME / RISKGRAPH_NEO4J_* env). With --load
it first seeds the world into DIR (unless DIR already holds one) and loads it with
``riskgraph load``'s code path; without --load the world must already be loaded (DIR is still
read, to pick the firms). The firms are picked from the world's SUPPLIES table (supplies in
force at --as-of): an upper bound of each firm's 3-tier supplier count narrows the field to 300
candidates, whose exact counts are then taken by breadth-first search.

Prints, per firm and overall, the median and p95 wall time of ``build_report`` + rendering, in
process with a warm driver, for the JSON and the HTML format separately (target: ≤ 1 s for a
firm with up to 2,000 suppliers within 3 tiers at 100,000 firms), then the wall time of a few
whole ``riskgraph report exposure`` processes (Python start-up and imports included).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq

from riskgraph.graph.config import get_settings
from riskgraph.graph.driver import connect
from riskgraph.graph.loader import load_world
from riskgraph.graph.migrations import migrate
from riskgraph.graph.store import Store
from riskgraph.models.exposure.render_html import render_html
from riskgraph.models.exposure.report import build_report
from riskgraph.seed.world import generate_world

CANDIDATES = 300
MAX_CHECKS = 5_000


def supply_edges(world: Path, as_of: dt.date, downstream: bool) -> dict[str, set[str]]:
    """buyer -> its suppliers (seller -> its customers if downstream), in force at ``as_of``."""
    t = pq.read_table(world / "rels" / "SUPPLIES.parquet", columns=["src", "dst", "since", "until"])
    since_ok = pc.fill_null(pc.less_equal(t["since"], as_of), True)
    until_ok = pc.fill_null(pc.greater(t["until"], as_of), True)
    t = t.filter(pc.and_(since_ok, until_ok))
    into: dict[str, set[str]] = defaultdict(set)
    for src, dst in zip(t["src"].to_pylist(), t["dst"].to_pylist(), strict=True):
        if downstream:
            into[src].add(dst)
        else:
            into[dst].add(src)
    return into


def reach(into: dict[str, set[str]], firm: str, tiers: int) -> int:
    seen, frontier = {firm}, {firm}
    for _ in range(tiers):
        frontier = {s for b in frontier for s in into.get(b, ())} - seen
        seen |= frontier
    return len(seen) - 1


def pick_firms(world: Path, as_of: dt.date, tiers: int, k: int, downstream: bool,
               cap: int) -> list[tuple[str, int]]:
    """The ``k`` firms with the most firms within ``tiers`` hops, at most ``cap`` of them."""
    into = supply_edges(world, as_of, downstream)
    deg = {b: len(s) for b, s in into.items()}
    # upper bound of the 3-tier count: Σ over suppliers of (1 + their in-degree + Σ theirs)
    two = {b: sum(1 + deg.get(s, 0) for s in sup) for b, sup in into.items()}
    bound = {b: sum(1 + two.get(s, 0) for s in sup) for b, sup in into.items()}
    exact: list[tuple[str, int]] = []
    for checked, b in enumerate(sorted(bound, key=lambda b: -bound[b])):
        if len(exact) >= CANDIDATES or checked >= MAX_CHECKS:
            break
        n = reach(into, b, tiers)
        if n <= cap:
            exact.append((b, n))
    return sorted(exact, key=lambda x: -x[1])[:k]


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[-1] if len(xs) >= 2 else xs[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--world", type=Path, required=True)
    parser.add_argument("--load", action="store_true")
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--tiers", type=int, default=3)
    parser.add_argument("--firms-to-time", type=int, default=5)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--as-of", default="2025-12-31")
    parser.add_argument("--downstream", action="store_true",
                        help="Time customer networks instead (hubs reach thousands of firms).")
    parser.add_argument("--cap", type=int, default=2_000,
                        help="Only firms whose network has at most this many firms.")
    args = parser.parse_args()
    as_of = dt.date.fromisoformat(args.as_of)
    settings = get_settings()
    driver = connect(settings)
    try:
        if args.load:
            if not (args.world / "nodes").is_dir():
                began = time.perf_counter()
                generate_world(args.firms, args.seed, args.world, progress=False)
                print(f"seed: {args.firms:,} firms in {time.perf_counter() - began:.1f} s")
            migrate(driver, settings.neo4j_database)
            rep = load_world(driver, args.world, database=settings.neo4j_database,
                             progress=False)
            print(f"load: {rep.elements:,} elements in {rep.seconds:.1f} s")
        began = time.perf_counter()
        firms = pick_firms(args.world, as_of, args.tiers, args.firms_to_time,
                           args.downstream, args.cap)
        print(f"picked {len(firms)} firms in {time.perf_counter() - began:.1f} s "
              f"(most {'customers' if args.downstream else 'suppliers'} within "
              f"{args.tiers} tiers at {as_of}, at most {args.cap:,})")
        store = Store.open(driver, settings.neo4j_database)
        all_json: list[float] = []
        all_html: list[float] = []
        for uscc, n in firms:
            # warm-up (query plans)
            build_report(store, uscc, args.tiers, args.downstream, as_of=as_of)
            tj: list[float] = []
            th: list[float] = []
            cpu0 = time.process_time()
            for _ in range(args.runs):
                t0 = time.perf_counter()
                r = build_report(store, uscc, args.tiers, args.downstream, as_of=as_of)
                json.dumps(r.to_dict(), ensure_ascii=False)
                tj.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                r = build_report(store, uscc, args.tiers, args.downstream, as_of=as_of)
                render_html(r)
                th.append(time.perf_counter() - t0)
            cpu = (time.process_time() - cpu0) / (2 * args.runs)
            all_json += tj
            all_html += th
            print(f"{uscc}: {n:,} firms within {args.tiers} tiers ({r.path_count:,} paths, "
                  f"{len(r.risky):,} risky, index {r.exposure_index:.2f}) | json median "
                  f"{statistics.median(tj):.3f} s p95 {p95(tj):.3f} s | html median "
                  f"{statistics.median(th):.3f} s p95 {p95(th):.3f} s | client CPU "
                  f"{cpu:.3f} s/report")
            print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"ALL {len(all_json)} runs: json median {statistics.median(all_json):.3f} s, "
              f"p95 {p95(all_json):.3f} s; html median {statistics.median(all_html):.3f} s, "
              f"p95 {p95(all_html):.3f} s")
    finally:
        driver.close()
    exe = Path(sys.executable).with_name("riskgraph")
    uscc = firms[0][0]
    for fmt in ("json", "html"):
        walls = []
        for _ in range(3):
            t0 = time.perf_counter()
            cmd = [str(exe), "report", "exposure", uscc, "--format", fmt,
                   "--as-of", as_of.isoformat(), "--out", os.devnull]
            subprocess.run(cmd + (["--downstream"] if args.downstream else []),
                           check=True, capture_output=True)
            walls.append(time.perf_counter() - t0)
        print(f"CLI process ({fmt}, {uscc}): median {statistics.median(walls):.2f} s of 3 "
              f"(includes Python start-up and imports)")


if __name__ == "__main__":
    main()
