"""Docker cannot run here (no engine): docker-compose.yml is checked with Debian's
``docker-compose config`` and against the settings the code reads, the Dockerfile with
``hadolint``, and the image's entry point by running it with a stand-in ``riskgraph``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from riskgraph.graph.config import PROJECT_ROOT, Settings

COMPOSE = PROJECT_ROOT / "docker-compose.yml"
DOCKERFILE = PROJECT_ROOT / "Dockerfile"
ENTRYPOINT = PROJECT_ROOT / "docker" / "entrypoint.sh"
STATE = "/var/lib/riskgraph"


def _config(password: str | None = "s3cret-for-the-test") -> subprocess.CompletedProcess[str]:
    tool = shutil.which("docker-compose")
    if tool is None:
        pytest.skip("docker-compose is not installed (.ci/run installs Debian's package)")
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_PASSWORD"}
    if password is not None:
        env["NEO4J_PASSWORD"] = password
    return subprocess.run([tool, "-f", str(COMPOSE), "--profile", "demo", "config"], env=env,
                          capture_output=True, text=True, timeout=60, check=False)


@cache
def _compose() -> dict[str, Any]:
    """The file as docker-compose resolves it (anchors merged, variables filled in)."""
    result = _config()
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load(result.stdout)
    assert isinstance(data, dict)
    return data


def _env(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {str(k): str(v) for k, v in env.items()}


def _volumes(service: dict[str, Any]) -> dict[str, str]:
    """target → source of a service's volumes (short ``src:dst[:mode]`` or long form)."""
    out = {}
    for v in service.get("volumes", []):
        if isinstance(v, str):
            source, target = v.split(":")[:2]
            out[target] = source
        else:
            out[v["target"]] = v["source"]
    return out


def _pom_version() -> str:
    match = re.search(r"<neo4j.version>([^<]+)</neo4j.version>",
                      (PROJECT_ROOT / "neo4j" / "pom.xml").read_text())
    assert match
    return match.group(1)


def test_compose_file_is_valid_and_needs_a_password() -> None:
    assert _config().returncode == 0
    missing = _config(password=None)
    assert missing.returncode != 0
    assert "NEO4J_PASSWORD" in missing.stderr and "no default password" in missing.stderr
    assert "riskgraph-change-me" not in COMPOSE.read_text()


def test_neo4j_is_the_pom_version_with_apoc() -> None:
    neo4j = _compose()["services"]["neo4j"]
    assert neo4j["image"] == f"neo4j:{_pom_version()}-community"
    assert "apoc" in _env(neo4j)["NEO4J_PLUGINS"]
    assert _env(neo4j)["NEO4J_AUTH"] == "neo4j/s3cret-for-the-test"
    assert "healthcheck" in neo4j and neo4j["restart"] == "unless-stopped"
    assert _volumes(neo4j)["/data"] == "neo4j-data"


def test_api_keeps_state_on_a_volume_restarts_and_reports_health() -> None:
    data = _compose()
    api = data["services"]["api"]
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    env = _env(api)
    known = {name.upper() for name in Settings.model_fields}
    assert set(env) <= known, set(env) - known
    assert env["NEO4J_URI"] == "bolt://neo4j:7687"
    assert env["NEO4J_PASSWORD"] == "s3cret-for-the-test"
    assert env["RISKGRAPH_HOME"] == STATE and env["RISKGRAPH_LOG_FORMAT"] == "json"
    ports = [p if isinstance(p, dict) else {"target": str(p).rsplit(":", 1)[-1]}
             for p in api["ports"]]
    assert any(int(p["target"]) == int(env["RISKGRAPH_API_PORT"]) for p in ports)
    assert _volumes(api)[STATE] in data["volumes"]  # a named volume, not the image's layer
    assert api["restart"] == "unless-stopped"
    assert "/health" in " ".join(api["healthcheck"]["test"])
    # longer than the API's own shutdown grace, so the audit queue is written before a KILL
    grace = Settings.model_fields["riskgraph_shutdown_grace_seconds"].default
    assert float(api["stop_grace_period"].rstrip("s")) > grace


def test_demo_is_a_one_shot_profile_doing_what_make_demo_does() -> None:
    data = _compose()
    demo, api = data["services"]["demo"], data["services"]["api"]
    assert demo["profiles"] == ["demo"]
    assert demo["image"] == api["image"] and demo["restart"] == "no"
    assert demo["command"][0] == "demo-world"  # seed, load, train, rank, card, plan, keys
    assert _volumes(demo) == _volumes(api)
    assert _env(demo) == _env(api)
    plain = yaml.safe_load(COMPOSE.read_text())
    assert "demo" not in plain["services"]["api"].get("profiles", [])


def test_dockerfile_passes_hadolint_and_runs_under_tini() -> None:
    hadolint = Path(sys.executable).parent / "hadolint"
    result = subprocess.run([str(hadolint), str(DOCKERFILE)], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    text = DOCKERFILE.read_text()
    assert 'ENTRYPOINT ["tini", "--", "riskgraph-entrypoint"]' in text
    assert re.search(r"^CMD \[", text, re.M) and "sh -c" not in text
    assert f'VOLUME ["{STATE}"]' in text and f"RISKGRAPH_HOME={STATE}" in text
    assert re.search(r"^USER [1-9][0-9]*$", text, re.M)  # not root
    assert "HEALTHCHECK" in text and "/health" in text


def test_entrypoint_migrates_then_becomes_the_server(tmp_path: Path) -> None:
    """`serve` runs `riskgraph migrate` as a child, then execs `riskgraph serve` in place of
    the shell (same pid: signals reach the server); other commands are exec'd as they are."""
    calls = tmp_path / "calls"
    fake = tmp_path / "bin" / "riskgraph"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\necho "$$ $*" >> {calls}\n')
    fake.chmod(0o755)
    env = {"PATH": f"{fake.parent}:/usr/bin:/bin"}
    for args, expected in ((["serve"], ["migrate", "serve"]),
                           (["demo-world", "--firms", "10"], ["demo-world --firms 10"])):
        calls.write_text("")
        proc = subprocess.Popen(["/bin/sh", str(ENTRYPOINT), *args], env=env)
        assert proc.wait(timeout=30) == 0
        lines = [line.split(" ", 1) for line in calls.read_text().splitlines()]
        assert [rest for _, rest in lines] == expected
        assert int(lines[-1][0]) == proc.pid  # exec: the last command is the process itself
        if len(lines) > 1:
            assert int(lines[0][0]) != proc.pid  # migrate ran as a child
