"""`riskgraph cypher` and friends, run as users run them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from riskgraph.app.cli.cypher_command import parse_params
from riskgraph.graph.config import PROJECT_ROOT, Settings
from riskgraph.graph.errors import BadInput


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "riskgraph", *args], capture_output=True,
                          text=True, cwd=PROJECT_ROOT, env=dict(os.environ), check=False)


def test_params_parse_json_or_text() -> None:
    assert parse_params(["n=3", "s=abc", 'l=["a"]']) == {"n": 3, "s": "abc", "l": ["a"]}
    with pytest.raises(BadInput, match="name=value"):
        parse_params(["novalue"])


@pytest.mark.neo4j
def test_cypher_reads_with_parameters_as_json(neo4j_server: Settings) -> None:
    result = run_cli("cypher", "RETURN $x + 1 AS y, date('2024-01-02') AS d", "-p", "x=41",
                     "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"y": 42, "d": "2024-01-02"}


@pytest.mark.neo4j
def test_cypher_is_read_only_unless_write(neo4j_server: Settings) -> None:
    refused = run_cli("cypher", "CREATE (:CliProbe) RETURN 1 AS one")
    assert refused.returncode == 2 and "add --write" in refused.stderr
    allowed = run_cli("cypher", "MERGE (p:CliProbe {id: 1}) RETURN p.id AS id", "--write",
                      "--json")
    assert allowed.returncode == 0 and json.loads(allowed.stdout) == {"id": 1}
    run_cli("cypher", "MATCH (p:CliProbe) DELETE p", "--write")


@pytest.mark.neo4j
def test_cypher_syntax_error_is_one_clear_line(neo4j_server: Settings) -> None:
    result = run_cli("cypher", "RETURN 1 +")
    assert result.returncode == 2
    assert "SyntaxError" in result.stderr and "Traceback" not in result.stderr
