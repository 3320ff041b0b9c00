"""How fast the API says "Neo4j is unavailable" (issue 14, item 5).

    .venv/bin/python bench/bench_api_unavailable.py [--requests 5]

Runs the application in process against two kinds of "down": nothing listening on the Bolt
port (connection refused) and a port that accepts connections but never answers (a hung or
restarting server). Prints the time of ``/health`` and of GraphQL queries, the first ones
(which find out) and the following ones (answered by the open circuit breaker), with the HTTP
status and code. Baseline (issue 14, before): /health 30 s, an uncached key 58 s, and 193 of
366 requests during a restart answered LIMIT_EXCEEDED.
"""

from __future__ import annotations

import argparse
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

QUERY = {"query": "{ companies(first: 1) { nodes { name } } }"}


@contextmanager
def silent_port() -> Iterator[int]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()


def measure(label: str, uri: str, requests: int) -> None:
    from fastapi.testclient import TestClient

    from riskgraph.app.main import create_app
    from riskgraph.graph.config import get_settings

    os.environ.update({"NEO4J_URI": uri, "NEO4J_PASSWORD": "unused",
                       "RISKGRAPH_WARM_EXPLANATIONS": "false",
                       "RISKGRAPH_ANONYMOUS_RATE_LIMIT_PER_MINUTE": "0"})
    get_settings.cache_clear()
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        calls = [("/health", lambda: client.get("/health"))]
        calls += [(f"query {i + 1}", lambda: client.post("/graphql", json=QUERY))
                  for i in range(requests)]
        calls += [("/health again", lambda: client.get("/health"))]
        for name, call in calls:
            began = time.perf_counter()
            response = call()
            took = time.perf_counter() - began
            body = response.json()
            code = body.get("code") or (body.get("errors") or [{}])[0].get(
                "extensions", {}).get("code")
            print(f"{label:<22} {name:<14} {took * 1000:8.1f} ms  HTTP {response.status_code} "
                  f"{code}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=5)
    args = parser.parse_args()
    measure("connection refused", "bolt://127.0.0.1:9", args.requests)
    with silent_port() as port:
        measure("accepts, never answers", f"bolt://127.0.0.1:{port}", args.requests)


if __name__ == "__main__":
    main()
