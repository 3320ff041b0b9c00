from __future__ import annotations

import pytest

from riskgraph.graph.config import Settings, get_settings, unknown_variables
from riskgraph.graph.errors import ConfigError


def test_unknown_riskgraph_variable_is_reported() -> None:
    assert unknown_variables({"RISKGRAPH_NEO4J_BOLTPORT": "1", "PATH": "/bin"}) == [
        "RISKGRAPH_NEO4J_BOLTPORT"
    ]


def test_unknown_variable_fails_fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RISKGRAPH_API_PROT", "8000")
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigError, match="RISKGRAPH_API_PROT"):
            get_settings()
    finally:
        monkeypatch.delenv("RISKGRAPH_API_PROT")
        get_settings.cache_clear()


def test_malformed_value_names_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RISKGRAPH_API_PORT", "eighty")
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigError, match="RISKGRAPH_API_PORT"):
            get_settings()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_bad_uri_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match=r"NEO4J_URI|neo4j_uri"):
        Settings(neo4j_uri="http://localhost:7474")


def test_neo4j_uri_switches_off_the_local_server() -> None:
    remote = Settings(neo4j_uri="neo4j+s://db.example:7687")
    assert not remote.uses_local_server and remote.bolt_uri == "neo4j+s://db.example:7687"
    local = Settings(neo4j_uri=None, riskgraph_neo4j_bolt_port=7999)
    assert local.uses_local_server and local.bolt_uri == "bolt://127.0.0.1:7999"
