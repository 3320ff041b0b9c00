"""Session fixtures: a real Neo4j (the project's local server, or NEO4J_URI) for the suite.

The local test server is its own instance (state in .riskgraph/test, ports 17687/17474) so that
running the tests never touches the demo database; it is stopped when the session ends.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from neo4j import Driver

from riskgraph.graph import config
from riskgraph.graph.config import PROJECT_ROOT, Settings, get_settings
from riskgraph.graph.driver import connect
from riskgraph.graph.maintenance import clear_data
from riskgraph.graph.migrations import migrate
from riskgraph.graph.runtime.server import LocalServer

TEST_ENV = {
    "RISKGRAPH_HOME": str(PROJECT_ROOT / ".riskgraph" / "test"),
    "RISKGRAPH_NEO4J_BOLT_PORT": "17687",
    "RISKGRAPH_NEO4J_HTTP_PORT": "17474",
    "RISKGRAPH_NEO4J_HEAP": "1g",
    "RISKGRAPH_NEO4J_PAGECACHE": "1g",
    "RISKGRAPH_API_PORT": "18000",
    "RISKGRAPH_WARM_EXPLANATIONS": "false",  # tests load graphs after the app starts
}
ARTIFACTS = PROJECT_ROOT / "test-artifacts"

# CI replays the same examples every run (a red run must be reproducible, and main stays green
# on what it was tested with); a developer's run explores new ones.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


def pytest_configure(config: pytest.Config) -> None:
    if not os.environ.get("NEO4J_URI"):
        for key, value in TEST_ENV.items():
            os.environ.setdefault(key, value)
    get_settings.cache_clear()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that reaches the server (through any fixture) carries the ``neo4j`` marker,
    so ``pytest -m "not neo4j"`` runs without one."""
    for item in items:
        if "neo4j_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.neo4j)


@pytest.fixture(scope="session")
def settings() -> Settings:
    return config.get_settings()


@pytest.fixture(scope="session")
def neo4j_server(settings: Settings) -> Iterator[Settings]:
    """A running Neo4j: NEO4J_URI's, or the local test instance (started, then stopped)."""
    if not settings.uses_local_server:
        yield settings
        return
    server = LocalServer(settings)
    started = server.start()
    try:
        yield settings
    finally:
        if started:
            server.stop()


@pytest.fixture(scope="session")
def driver(neo4j_server: Settings) -> Iterator[Driver]:
    drv = connect(neo4j_server)
    migrate(drv, neo4j_server.neo4j_database)
    try:
        yield drv
    finally:
        drv.close()


@pytest.fixture
def clean_graph(driver: Driver, settings: Settings) -> Driver:
    """The driver, with every node except the migration ledger removed (schema kept)."""
    clear_data(driver, settings.neo4j_database)
    return driver


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
