"""The API skeleton: /health and /graphql against the real Neo4j."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from riskgraph.app.main import create_app
from riskgraph.graph.config import Settings, get_settings

pytestmark = pytest.mark.neo4j


def test_health_reports_the_neo4j_version(neo4j_server: Settings) -> None:
    with TestClient(create_app()) as client:
        response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["neo4j_version"].startswith("5.26.")


def test_graphql_health_field(neo4j_server: Settings) -> None:
    with TestClient(create_app()) as client:
        response = client.post("/graphql", json={"query": "{ health { status neo4jVersion } }"})
    assert response.status_code == 200
    assert response.json()["data"]["health"]["status"] == "ok"


def test_graphiql_is_served(neo4j_server: Settings) -> None:
    with TestClient(create_app()) as client:
        response = client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200 and "graphiql" in response.text.lower()


def test_health_is_503_with_a_code_when_neo4j_is_down(
    monkeypatch: pytest.MonkeyPatch, neo4j_server: Settings
) -> None:
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:9")  # nothing listens on the discard port
    monkeypatch.setenv("NEO4J_PASSWORD", "irrelevant")
    monkeypatch.setenv("NEO4J_CONNECT_TIMEOUT", "1")
    get_settings.cache_clear()
    try:
        with TestClient(create_app()) as client:
            response = client.get("/health")
            gql = client.post("/graphql", json={"query": "{ health { status } }"})
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert response.status_code == 503
    assert response.json()["code"] == "UNAVAILABLE"
    assert "Traceback" not in response.text
    assert gql.json()["data"]["health"]["status"] == "unavailable"
