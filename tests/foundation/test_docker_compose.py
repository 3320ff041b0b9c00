"""docker-compose.yml cannot run here; check that it matches the settings the code reads."""

from __future__ import annotations

from typing import Any

import yaml

from graph.config import PROJECT_ROOT, Settings

COMPOSE = PROJECT_ROOT / "docker-compose.yml"


def _compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text())
    assert isinstance(data, dict)
    return data


def _env(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {str(k): str(v) for k, v in env.items()}


def test_services_and_ports() -> None:
    services = _compose()["services"]
    assert set(services) == {"neo4j", "api"}
    neo4j = services["neo4j"]
    assert neo4j["image"].startswith("neo4j:5.26") and "community" in neo4j["image"]
    assert {"7474:7474", "7687:7687"} <= {str(p) for p in neo4j["ports"]}
    assert "apoc" in _env(neo4j)["NEO4J_PLUGINS"]
    assert "healthcheck" in neo4j
    assert any(str(v).startswith("neo4j-data:") for v in neo4j["volumes"])
    assert "neo4j-data" in _compose()["volumes"]


def test_api_waits_for_a_healthy_neo4j_and_uses_our_setting_names() -> None:
    api = _compose()["services"]["api"]
    assert api["build"] in (".", {"context": "."})
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    env = _env(api)
    known = {name.upper() for name in Settings.model_fields}
    assert set(env) <= known, set(env) - known
    assert env["NEO4J_URI"] == "bolt://neo4j:7687"
    port = env["RISKGRAPH_API_PORT"]
    assert any(str(p).endswith(f":{port}") for p in api["ports"])


def test_neo4j_password_matches_between_services() -> None:
    services = _compose()["services"]
    auth = _env(services["neo4j"])["NEO4J_AUTH"]
    user, _, password = auth.partition("/")
    api_env = _env(services["api"])
    assert api_env["NEO4J_USER"] == user and api_env["NEO4J_PASSWORD"] == password
