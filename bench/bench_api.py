"""GraphQL API latency and throughput at 100,000 firms (issue 6 targets).

    .venv/bin/python bench/bench_api.py [--firms 100000] [--requests 100] [--seconds 15]

Builds (once; kept in .riskgraph/bench-api, reused on the next run) a world of ``--firms``
firms bulk-imported into its own Neo4j (ports 27787/27574; BENCH_API_PORTS=bolt,http,api and
BENCH_API_STATE=DIR move them), trains the model and stores a
ranking run; then serves the API with uvicorn (port 28100, one worker, rate limits on but set
above what one key sends: ``--rate-limit``) and
waits until every worker's explanations are warm (the ``riskgraph_explanations_warm`` gauge on
/metrics: each worker scores every firm at start-up, a minute or more at 100k firms) and
measures, with an investigator key, sequential latency (p50/p95/p99 over ``--requests``
requests after warm-up) of:

* a company with its legal representatives, records and risk explanation;
* related parties at 3 hops (all channels, first 100);
* a search page of 50 companies with legal representatives;

and the throughput of the company query (without the explanation) for ``--seconds``, twice:
from 8 Python client threads, and from ``wrk`` (Debian package; C, so the load generator does
not compete for the GIL) when it is installed. Targets: p95 ≤ 50 ms (company +
explanation), ≤ 250 ms (3-hop related parties); ≥ 200 requests/s (company). Figures are
printed, nothing is asserted.

To see where a worker's time goes, run py-spy (a dev dependency) on it while wrk drives it:
``.venv/bin/py-spy record -p PID -d 15 -r 100 -f raw -o profile.txt --nonblocking`` (``--gil``
samples only the thread holding the GIL; on a loaded machine its attribution is rough, so
check a suspect with a micro-benchmark before changing it).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from riskgraph.graph.config import PROJECT_ROOT, Settings
from riskgraph.graph.driver import connect, read
from riskgraph.graph.migrations import migrate
from riskgraph.graph.runtime.bulk_import import import_world
from riskgraph.graph.runtime.server import LocalServer
from riskgraph.graph.snapshot import Snapshot

STATE = Path(os.environ.get("BENCH_API_STATE", PROJECT_ROOT / ".riskgraph" / "bench-api"))
#: Ports of the bench Neo4j (Bolt, HTTP) and API; override with BENCH_API_PORTS=b,h,a
#: when several checkouts bench on one machine.
BOLT_PORT, HTTP_PORT, API_PORT = (int(p) for p in os.environ.get(
    "BENCH_API_PORTS", "27787,27574,28100").split(","))

COMPANY_EXPLAINED = """query($u: String!) {
  company(uscc: $u) { uscc name legalRepresentatives { name } records { recordId kind } }
  explanation(uscc: $u) { risk tier reasons { text evidence { text cypher } } } }"""
COMPANY = """query($u: String!) {
  company(uscc: $u) { uscc name legalRepresentatives { name } records { recordId kind } } }"""
RELATED = """query($u: String!) {
  relatedParties(uscc: $u, hops: 3, first: 100) { company { uscc } hops path { channel } } }"""
SEARCH = """query($n: String!) {
  companies(name: $n, first: 50) { edges { node { uscc name legalRepresentatives { name } } }
  pageInfo { hasNextPage } } }"""


def settings(firms: int) -> Settings:
    return Settings(riskgraph_home=STATE / f"home-{firms}", riskgraph_neo4j_bolt_port=BOLT_PORT,
                    riskgraph_neo4j_http_port=HTTP_PORT, riskgraph_neo4j_heap="2g",
                    riskgraph_neo4j_pagecache="2g", riskgraph_api_port=API_PORT)


def build(s: Settings, firms: int, seed: int) -> None:
    """World → bulk import → migrate → train → rank, once per state folder."""
    from riskgraph.graph.store import Store
    from riskgraph.models.accountability.ranking import create_run
    from riskgraph.models.risk.artifact import save_artifact
    from riskgraph.models.risk.train_config import TrainConfig
    from riskgraph.models.risk.training import train
    from riskgraph.seed.world import generate_world

    done = s.riskgraph_home / "built"
    server = LocalServer(s)
    if done.is_file():
        server.start()
        return
    world = STATE / f"world-{firms}-{seed}"
    if not (world / "manifest.json").is_file():
        t = time.perf_counter()
        generate_world(firms, seed, world, progress=False)
        print(f"world: {firms:,} firms in {time.perf_counter() - t:.0f} s", flush=True)
    server.start()  # lays out the instance (conf, folders) for the importer
    server.stop()
    t = time.perf_counter()
    import_world(server, world, STATE)
    server.start()
    driver = connect(s)
    try:
        migrate(driver, s.neo4j_database)
        print(f"bulk import + schema: {time.perf_counter() - t:.0f} s", flush=True)
        t = time.perf_counter()
        snap = Snapshot.from_neo4j(driver, s.neo4j_database)
        save_artifact(train(snap, TrainConfig()), s.riskgraph_home)
        print(f"train: {time.perf_counter() - t:.0f} s", flush=True)
        t = time.perf_counter()
        run = create_run(Store.open(driver, s.neo4j_database), actor="bench", home=s.riskgraph_home)
        print(f"rank: {len(run.firms):,} firms in {time.perf_counter() - t:.0f} s", flush=True)
    finally:
        driver.close()
    done.write_text("ok\n")


def env_of(s: Settings, rate_limit: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"RISKGRAPH_HOME": str(s.riskgraph_home),
                "RISKGRAPH_NEO4J_BOLT_PORT": str(s.riskgraph_neo4j_bolt_port),
                "RISKGRAPH_NEO4J_HTTP_PORT": str(s.riskgraph_neo4j_http_port),
                "RISKGRAPH_API_PORT": str(API_PORT),
                "RISKGRAPH_RATE_LIMIT_PER_MINUTE": str(rate_limit),
                "RISKGRAPH_RATE_LIMIT_BURST": str(max(100, rate_limit // 60)),
                "RISKGRAPH_ANONYMOUS_RATE_LIMIT_PER_MINUTE": str(rate_limit)})
    return env


def warm_workers(text: str) -> int:
    """How many workers say their explanations are warm, in /metrics text."""
    from prometheus_client.parser import text_string_to_metric_families

    return sum(1 for family in text_string_to_metric_families(text) for s in family.samples
               if s.name == "riskgraph_explanations_warm" and s.value == 1)


def wait_warm(base: str, workers: int, timeout: float = 900.0) -> float | None:
    """Wait until every worker's explanation snapshot is warm (the gauge
    ``riskgraph_explanations_warm``: each worker builds its own at start-up); the seconds
    waited, or None when the timeout passed first."""
    began = time.perf_counter()
    while time.perf_counter() - began < timeout:
        try:
            if warm_workers(httpx.get(f"{base}/metrics", timeout=10).text) >= workers:
                return time.perf_counter() - began
        except httpx.HTTPError:
            pass
        time.sleep(2)
    return None


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def latency(client: httpx.Client, name: str, query: str, variables: list[dict[str, Any]],
            n: int) -> None:
    for v in variables[:3]:  # warm-up: plans, caches
        client.post("/graphql", json={"query": query, "variables": v})
    times, errors = [], 0
    for k in range(n):
        t = time.perf_counter()
        r = client.post("/graphql", json={"query": query, "variables": variables[k % len(
            variables)]})
        times.append((time.perf_counter() - t) * 1000)
        errors += bool(r.status_code != 200 or r.json().get("errors"))
    print(f"{name:34s} p50 {pct(times, .5):7.1f} ms  p95 {pct(times, .95):7.1f} ms  "
          f"p99 {pct(times, .99):7.1f} ms  (n={n}, errors {errors})", flush=True)


def throughput(base: str, headers: dict[str, str], query: str,
               variables: list[dict[str, Any]], seconds: float, threads: int = 8) -> None:
    count, errors = [0], [0]
    stop = time.perf_counter() + seconds
    lock = threading.Lock()

    def worker(offset: int) -> None:
        with httpx.Client(base_url=base, headers=headers, timeout=30) as c:
            k = offset
            while time.perf_counter() < stop:
                r = c.post("/graphql", json={"query": query,
                                             "variables": variables[k % len(variables)]})
                k += 1
                with lock:
                    count[0] += 1
                    errors[0] += bool(r.status_code != 200 or r.json().get("errors"))

    began = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i * 7,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    took = time.perf_counter() - began
    print(f"{'company throughput':34s} {count[0] / took:7.1f} requests/s "
          f"({threads} client threads, {took:.0f} s, errors {errors[0]})", flush=True)


WRK_SCRIPT = """
local bodies = {%s}
local i = 0
request = function()
  i = i %% #bodies + 1
  return wrk.format("POST", "/graphql", {["Content-Type"] = "application/json",
                    ["Authorization"] = "%s"}, bodies[i])
end
"""


def wrk_throughput(base: str, token: str, query: str, variables: list[dict[str, Any]],
                   seconds: float) -> None:
    """The same company query driven by wrk (C, no client-side GIL), when it is installed."""
    import json
    import re
    import shutil as sh
    import tempfile

    if sh.which("wrk") is None:
        print("wrk not installed (apt-get install wrk): skipped", flush=True)
        return
    bodies = ", ".join(json.dumps(json.dumps({"query": query, "variables": v}))
                       for v in variables)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(WRK_SCRIPT % (bodies, f"Bearer {token}"))
    out = subprocess.run(["wrk", "-t2", "-c16", f"-d{int(seconds)}s", "-s", fh.name, base],
                         capture_output=True, text=True, check=False).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    latency = re.search(r"Latency\s+(\S+)", out)
    print(f"{'company throughput (wrk)':34s} {rate.group(1) if rate else '?':>7} requests/s "
          f"(2 threads, 16 connections, mean latency {latency.group(1) if latency else '?'}, "
          f"non-2xx {non2xx.group(1) if non2xx else 0})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--stop", action="store_true", help="Stop the bench Neo4j at the end.")
    parser.add_argument("--workers", type=int, default=1, help="API worker processes.")
    parser.add_argument("--access-log", action="store_true", help="Keep uvicorn's access log.")
    parser.add_argument("--rate-limit", type=int, default=1_000_000,
                        help="Requests a minute per key (0 = limits off); the default keeps "
                             "the limiter on without binding the bench's one key.")
    parser.add_argument("--build-only", action="store_true",
                        help="Build (or start) the bench world, then stop.")
    args = parser.parse_args()
    s = settings(args.firms)
    build(s, args.firms, args.seed)
    if args.build_only:
        return
    from riskgraph.app.security.keys import create_key

    driver = connect(s)
    try:
        token = create_key(driver, "bench", "investigator", database=s.neo4j_database).token
        top = read(driver, "ranking/list_ranking_runs", s.neo4j_database, limit=1)[0]["run_id"]
        firms = [r["uscc"] for r in read(driver, "api/list_run_targets", s.neo4j_database,
                                          run_id=top, tiers=[], after_rank=0, before_rank=0,
                                          backward=False, first=400)][::4]
    finally:
        driver.close()
    serve = [sys.executable, "-m", "riskgraph", "serve", "--workers", str(args.workers)]
    if not args.access_log:
        serve.append("--no-access-log")
    print(f"API: {args.workers} worker(s), access log {'on' if args.access_log else 'off'}, "
          f"rate limit {args.rate_limit or 'off'} a minute per key", flush=True)
    api = subprocess.Popen(serve, env=env_of(s, args.rate_limit),
                           cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{API_PORT}"
    headers = {"Authorization": f"Bearer {token}"}
    try:
        for _ in range(120):
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        waited = wait_warm(base, args.workers)
        print(f"explanations warm in every worker (each scores every firm at start-up): "
              f"{'not within 900 s' if waited is None else f'after {waited:.0f} s'}",
              flush=True)
        with httpx.Client(base_url=base, headers=headers, timeout=900) as client:
            t = time.perf_counter()
            client.post("/graphql", json={"query": COMPANY_EXPLAINED,
                                          "variables": {"u": firms[0]}})
            print(f"first explanation: {time.perf_counter() - t:.1f} s", flush=True)
            us = [{"u": u} for u in firms]
            latency(client, "company + explanation", COMPANY_EXPLAINED, us, args.requests)
            latency(client, "related parties, 3 hops", RELATED, us, args.requests)
            latency(client, "search page (50)", SEARCH,
                    [{"n": n} for n in ("贸易", "科技", "建设", "实业", "服务")], args.requests)
            latency(client, "company", COMPANY, us, args.requests)
        throughput(base, headers, COMPANY, us, args.seconds)
        wrk_throughput(base, token, COMPANY, us, args.seconds)
    finally:
        api.terminate()
        api.wait(timeout=30)
        if args.stop:
            LocalServer(s).stop()


if __name__ == "__main__":
    main()
