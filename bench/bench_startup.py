"""Neo4j start-up and schema figures: cold start, warm start, schema apply (medians).

    .venv/bin/python bench/bench_startup.py [--runs 3]

Cold start = a fresh store (first start: initial password, store creation); warm start = the
same store again. Jars are resolved once beforehand (their download time is printed too, but
is zero when the Maven cache is warm). Uses its own instance on ports 27687/27474.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from riskgraph.graph.config import Settings
from riskgraph.graph.driver import connect
from riskgraph.graph.maintenance import clear_data
from riskgraph.graph.migrations import migrate
from riskgraph.graph.runtime import artifacts
from riskgraph.graph.runtime.server import LocalServer


def _timed_start(server: LocalServer) -> float:
    began = time.perf_counter()
    server.start()
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="riskgraph-bench-"))
    settings = Settings(riskgraph_home=home, riskgraph_neo4j_bolt_port=27687,
                        riskgraph_neo4j_http_port=27474)
    began = time.perf_counter()
    resolved = artifacts.resolve(settings.dist_dir)
    print(f"jar resolution: {time.perf_counter() - began:.1f} s "
          f"({'mvn ran' if resolved else 'cached, mvn not run'})")

    cold, warm, schema, stops = [], [], [], []
    try:
        for _ in range(args.runs):
            shutil.rmtree(home / "neo4j", ignore_errors=True)
            (home / "neo4j-password").unlink(missing_ok=True)
            server = LocalServer(settings)
            cold.append(_timed_start(server))
            driver = connect(settings)
            began = time.perf_counter()
            migrate(driver, settings.neo4j_database)
            schema.append(time.perf_counter() - began)
            clear_data(driver, settings.neo4j_database)
            driver.close()
            began = time.perf_counter()
            server.stop()
            stops.append(time.perf_counter() - began)
            warm.append(_timed_start(server))
            server.stop()
    finally:
        LocalServer(settings).stop()
        shutil.rmtree(home, ignore_errors=True)

    def show(name: str, values: list[float]) -> None:
        print(f"{name:<22} median {statistics.median(values):6.2f} s   "
              f"min {min(values):6.2f}  max {max(values):6.2f}  (n={len(values)})")

    show("cold start (new store)", cold)
    show("warm start", warm)
    show("schema apply (all)", schema)
    show("graceful stop", stops)


if __name__ == "__main__":
    main()
