"""Name search: the full-text index (search_companies_by_name) against the former scan
(search_companies with a name), side by side on the bench_api world, interleaved so both
see the same machine load (issue 18, item 5).

    .venv/bin/python bench/bench_name_search.py [--firms 100000] [--rounds 20]

Needs the world bench/bench_api.py built (and its Neo4j, which it starts if stopped). Prints
p50 / p95 per statement over all needles and rounds; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_api import pct, settings

from riskgraph.graph.catalog import query
from riskgraph.graph.driver import connect
from riskgraph.graph.name_search import fulltext_query
from riskgraph.graph.runtime.server import LocalServer

NEEDLES = ("贸易", "科技", "建设", "实业", "服务", "科技有限")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    s = settings(args.firms)
    LocalServer(s).start()
    driver = connect(s)
    times: dict[str, list[float]] = {"scan": [], "full-text": []}
    try:
        for k in range(args.rounds + 1):
            for needle in NEEDLES:
                common = {"name": needle, "region": None, "industry": None, "tier": None,
                          "after": "", "before": "", "backward": False, "limit": 51}
                for label, name, extra in (
                        ("scan", "api/search_companies", {}),
                        ("full-text", "api/search_companies_by_name",
                         {"query": fulltext_query(needle)})):
                    t = time.perf_counter()
                    driver.execute_query(query(name), {**common, **extra})
                    if k:  # round 0 warms plans and caches
                        times[label].append((time.perf_counter() - t) * 1000)
    finally:
        driver.close()
    for label, values in times.items():
        print(f"search page (50), {label:9s}  p50 {pct(values, .5):7.1f} ms  "
              f"p95 {pct(values, .95):7.1f} ms  (n={len(values)})", flush=True)


if __name__ == "__main__":
    main()
