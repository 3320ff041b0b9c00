"""``riskgraph serve --workers 2`` against the real Neo4j: the rate limit of a key holds across
the workers (the request past the burst is refused whichever worker answers), and /metrics
from any worker adds up every worker's requests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from neo4j import Driver
from prometheus_client.parser import text_string_to_metric_families

from riskgraph.app.security.keys import create_key
from riskgraph.graph.config import Settings

HEALTH = "{ health { status } }"
BURST = 6


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def two_workers(clean_graph: Driver, settings: Settings) -> Iterator[str]:
    """The API with 2 workers; a key may send BURST requests, then 1 a minute."""
    port = _free_port()
    env = {**os.environ, "RISKGRAPH_API_PORT": str(port),
           "RISKGRAPH_WARM_EXPLANATIONS": "false",
           "RISKGRAPH_RATE_LIMIT_PER_MINUTE": "1", "RISKGRAPH_RATE_LIMIT_BURST": str(BURST),
           "RISKGRAPH_ANONYMOUS_RATE_LIMIT_PER_MINUTE": "100000"}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    env.pop("RISKGRAPH_API_SHARED_DIR", None)
    server = subprocess.Popen([sys.executable, "-m", "riskgraph", "serve", "--workers", "2",
                               "--no-access-log"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        else:
            pytest.fail("the API with 2 workers did not come up")
        time.sleep(2)  # both workers: the supervisor starts them one after the other
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def _post(base: str, token: str) -> int:
    # A new connection per request, so the kernel hands them to either worker.
    with httpx.Client(base_url=base, timeout=30) as client:
        response = client.post("/graphql", json={"query": HEALTH},
                               headers={"Authorization": f"Bearer {token}",
                                        "Connection": "close"})
        return response.status_code


def _graphql_requests(base: str) -> float:
    with httpx.Client(base_url=base, timeout=30) as client:
        text = client.get("/metrics", headers={"Connection": "close"}).text
    return sum(s.value for family in text_string_to_metric_families(text)
               for s in family.samples
               if s.name == "riskgraph_http_requests_total" and s.labels["route"] == "/graphql")


def test_rate_limit_and_metrics_hold_across_workers(two_workers: str,
                                                    clean_graph: Driver) -> None:
    token = create_key(clean_graph, "workers", "investigator").token
    statuses = [_post(two_workers, token) for _ in range(BURST)]
    assert statuses == [200] * BURST
    # Per-process buckets would let each worker allow BURST: 2 * BURST in all.
    refused = [_post(two_workers, token) for _ in range(BURST)]
    assert refused == [429] * BURST
    # Every /metrics answer, from whichever worker, counts all 2 * BURST requests.
    assert {_graphql_requests(two_workers) for _ in range(6)} == {2 * BURST}
