"""Two API servers side by side (e.g. the old commit and the new), measured in alternation.

    .venv/bin/python bench/bench_api_ab.py --ports 28100,28101 --pids P1,P2 --token T \\
        --firms FILE [--rounds 5] [--seconds 10] [--requests 40] [--workers 2]

Both servers must already run against the same bench world (bench/bench_api.py builds it);
``--firms`` is a file with one USCC a line, ``--pids`` the servers' process ids (their CPU time,
with their children's, gives CPU ms per request, which the load of a shared machine moves less
than wall time). Each round measures each server in turn (the order alternating): the company
query with wrk (the Debian package `wrk`; 2 threads, 16 connections) and the sequential
latency of company + explanation. Prints each round, then medians and new/old ratios. Nothing
is asserted.

Before the first round it waits until each server is warm: every one of its ``--workers``
reports ``riskgraph_explanations_warm`` 1 on /metrics, or, for a server without that gauge (a
commit before it), 4 explanations a worker in a row, each on a new connection, take under 1 s
(a cold worker's request waits for its build; its CPU is no sign: the build waits on Neo4j).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
from bench_api import (  # type: ignore[import-not-found]
    COMPANY,
    COMPANY_EXPLAINED,
    WRK_SCRIPT,
    pct,
    wait_warm,
)


def cpu_seconds(pid: int) -> float:
    """User + system CPU of ``pid`` and its live children (uvicorn workers), in seconds."""
    pids = [pid] + [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], text=True,
                                                   capture_output=True).stdout.split()]
    total = 0
    for p in pids:
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / 100.0


def settle(port: int, workers: int, token: str, firm: str, timeout: float = 900.0) -> str:
    """Wait for the server on ``port`` to be warm (module doc); how it was judged."""
    base = f"http://127.0.0.1:{port}"
    if "riskgraph_explanations_warm" in httpx.get(f"{base}/metrics", timeout=10).text:
        waited = wait_warm(base, workers, timeout)
        return "gauge: " + ("not warm in time" if waited is None else f"warm after {waited:.0f} s")
    began, fast = time.perf_counter(), 0
    body = {"query": COMPANY_EXPLAINED, "variables": {"u": firm}}
    while time.perf_counter() - began < timeout and fast < 4 * workers:
        t = time.perf_counter()  # a new connection each time: any worker may answer
        httpx.post(f"{base}/graphql", json=body, timeout=timeout,
                   headers={"Authorization": f"Bearer {token}"})
        fast = fast + 1 if time.perf_counter() - t < 1.0 else 0
    return f"{fast} explanations in a row under 1 s after {time.perf_counter() - began:.0f} s"


def wrk(port: int, script: str, seconds: int, pid: int) -> tuple[float, float]:
    before = cpu_seconds(pid)
    out = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", "-s", script,
                          f"http://127.0.0.1:{port}"], capture_output=True, text=True).stdout
    used = cpu_seconds(pid) - before
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    if "Non-2xx" in out:
        print(out)
    return rate, 1000.0 * used / max(1.0, rate * seconds)


def latency(port: int, token: str, firms: list[str], n: int,
            pid: int) -> tuple[float, float, float]:
    times = []
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=900,
                      headers={"Authorization": f"Bearer {token}"}) as client:
        # Not timed: rebuilds the report cache if its entry expired (app/cache.py TTL).
        client.post("/graphql", json={"query": COMPANY_EXPLAINED, "variables": {"u": firms[0]}})
        before = cpu_seconds(pid)
        for k in range(n):
            t = time.perf_counter()
            r = client.post("/graphql", json={"query": COMPANY_EXPLAINED,
                                              "variables": {"u": firms[k % len(firms)]}})
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200 and not r.json().get("errors"), r.text[:300]
    return pct(times, .5), pct(times, .95), 1000.0 * (cpu_seconds(pid) - before) / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ports", required=True)
    parser.add_argument("--pids", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--firms", required=True, type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--workers", type=int, default=1, help="Workers of each server.")
    args = parser.parse_args()
    ports = [int(p) for p in args.ports.split(",")]
    pids = [int(p) for p in args.pids.split(",")]
    firms = args.firms.read_text().split()
    bodies = ", ".join(json.dumps(json.dumps({"query": COMPANY, "variables": {"u": u}}))
                       for u in firms)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(WRK_SCRIPT % (bodies, f"Bearer {args.token}"))
    for port in ports:
        print(f"port {port}: {settle(port, args.workers, args.token, firms[0])}", flush=True)
    results: dict[int, list[tuple[float, ...]]] = {p: [] for p in ports}
    for r in range(args.rounds):
        order = list(zip(ports, pids, strict=True))
        if r % 2:
            order.reverse()
        for port, pid in order:
            rate, cpu = wrk(port, fh.name, args.seconds, pid)
            p50, p95, ecpu = latency(port, args.token, firms, args.requests, pid)
            results[port].append((rate, cpu, p50, p95, ecpu))
            print(f"round {r + 1} port {port}: company {rate:6.1f} req/s, {cpu:5.2f} CPU ms/req;"
                  f" company+explanation p50 {p50:6.1f} ms p95 {p95:6.1f} ms, "
                  f"{ecpu:5.1f} CPU ms/req", flush=True)
    names = ("company req/s", "company CPU ms/req", "explained p50 ms", "explained p95 ms",
             "explained CPU ms/req")
    medians = {p: [statistics.median(x[k] for x in results[p]) for k in range(5)] for p in ports}
    print(f"{'median':24s}" + "".join(f"{p:>12d}" for p in ports) + "       ratio (2nd/1st)")
    for k, name in enumerate(names):
        a, b = medians[ports[0]][k], medians[ports[1]][k]
        print(f"{name:24s}{a:12.1f}{b:12.1f}{b / a:12.2f}")


if __name__ == "__main__":
    main()
