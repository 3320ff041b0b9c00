"""``riskgraph serve --workers 2`` against the real Neo4j: the rate limit of a key holds across
the workers (the request past the burst is refused whichever worker answers), and /metrics
from any worker adds up every worker's requests.

Which worker answered is read from prometheus_client's per-process files in the shared folder,
so the test shows both workers took part (the kernel may give one worker every connection;
the client then opens connections until both hold some).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from neo4j import Driver
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from riskgraph.app.security.keys import create_key
from riskgraph.graph.config import Settings, get_settings

DB = get_settings().neo4j_database

HEALTH = "{ health { status } }"
BURST = 6


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def two_workers(clean_graph: Driver, settings: Settings) -> Iterator[tuple[str, Path]]:
    """The API with 2 workers (its URL and metrics folder); a key may send BURST requests,
    then 1 a minute."""
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
        yield base, Path(settings.riskgraph_home) / "run" / f"api-{port}" / "metrics"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _graphql_requests(text: str, route: str = "/graphql") -> float:
    return sum(s.value for family in text_string_to_metric_families(text)
               for s in family.samples
               if s.name == "riskgraph_http_requests_total" and s.labels["route"] == route)


def _per_worker(metrics: Path, route: str) -> dict[str, float]:
    """Requests to ``route`` that each worker answered, from its own counter file."""
    found = {}
    for path in metrics.glob("counter_*.db"):
        with tempfile.TemporaryDirectory() as one:
            shutil.copy(path, one)
            registry = CollectorRegistry()
            MultiProcessCollector(registry, path=one)  # type: ignore[no-untyped-call]
            found[path.stem] = _graphql_requests(generate_latest(registry).decode(), route)
    return found


def _connections(base: str, metrics: Path) -> list[httpx.Client]:
    """Kept-alive connections, opened at once in batches until both workers hold some."""
    clients: list[httpx.Client] = []
    for _ in range(20):
        batch = [httpx.Client(base_url=base, timeout=30) for _ in range(8)]
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda c: c.get("/health"), batch))
        clients += batch
        if sum(1 for n in _per_worker(metrics, "/health").values() if n) == 2:
            return clients
    pytest.fail("every connection went to one worker")


def test_rate_limit_and_metrics_hold_across_workers(two_workers: tuple[str, Path],
                                                    clean_graph: Driver) -> None:
    base, metrics = two_workers
    clients = _connections(base, metrics)
    token = create_key(clean_graph, "workers", "investigator", database=DB).token
    headers = {"Authorization": f"Bearer {token}"}

    def post(k: int) -> int:
        client = clients[k % len(clients)]
        return client.post("/graphql", json={"query": HEALTH}, headers=headers).status_code

    try:
        statuses = [post(k) for k in range(len(clients) * 2)]
        answered = _per_worker(metrics, "/graphql")
        # Per-process buckets would let each worker allow BURST: 2 * BURST in all.
        assert statuses == [200] * BURST + [429] * (len(statuses) - BURST)
        assert len(answered) == 2 and all(answered.values()), answered  # both took part
        # Every /metrics answer, from whichever worker, counts every worker's requests.
        seen = {_graphql_requests(c.get("/metrics").text) for c in clients}
        assert seen == {float(len(statuses))}
    finally:
        for client in clients:
            client.close()


def _warm_series(text: str) -> dict[str, float]:
    return {s.labels.get("pid", ""): s.value for family in text_string_to_metric_families(text)
            for s in family.samples if s.name == "riskgraph_explanations_warm"}


def test_each_worker_reports_whether_its_explanations_are_warm(
        two_workers: tuple[str, Path]) -> None:
    """One series per worker (bench/bench_api.py waits for all of them); the warm-up is off
    here, so both say 0."""
    base, _ = two_workers
    series = _warm_series(httpx.get(f"{base}/metrics", timeout=10).text)
    assert len(series) == 2 and all(pid for pid in series), series
    assert set(series.values()) == {0.0}
