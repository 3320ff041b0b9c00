"""One logging set-up (app/logging_setup.py), request ids (app/request_id.py), public messages
without internal addresses or paths, and a truthful ``riskgraph info``. No Neo4j needed: the
API runs against a Bolt port nobody listens on."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskgraph.app.logging_setup import configure, request_id
from riskgraph.app.request_id import accepted_id

RISKGRAPH = str(Path(sys.executable).parent / "riskgraph")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_lines_carry_level_logger_message_and_request_id(
        capsys: pytest.CaptureFixture[str], restore_logging: None) -> None:
    configure("json", "INFO")
    token = request_id.set("req-42")
    try:
        logging.getLogger("riskgraph.test").warning("disk %s is full", "A")
    finally:
        request_id.reset(token)
    logging.getLogger("riskgraph.test").info("outside a request")
    logging.getLogger("riskgraph.test").debug("below the level")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [(e["level"], e["logger"], e["message"]) for e in lines] == [
        ("WARNING", "riskgraph.test", "disk A is full"),
        ("INFO", "riskgraph.test", "outside a request")]
    assert lines[0]["request_id"] == "req-42" and "request_id" not in lines[1]
    assert lines[0]["time"].endswith("+00:00")


def test_human_lines_show_time_level_and_request(
        capsys: pytest.CaptureFixture[str], restore_logging: None) -> None:
    configure("human", "INFO")
    token = request_id.set("abc")
    try:
        logging.getLogger("riskgraph.api").error("boom")
    finally:
        request_id.reset(token)
    (line,) = capsys.readouterr().err.splitlines()
    assert line.endswith(" ERROR riskgraph.api [req abc]: boom")
    assert line[:4].isdigit()  # starts with the date


def test_neo4j_notifications_come_through_at_warning(
        capsys: pytest.CaptureFixture[str], restore_logging: None) -> None:
    configure("human", "INFO")
    logging.getLogger("neo4j.notifications").warning("deprecated: id()")
    logging.getLogger("neo4j.pool").info("driver chatter")
    err = capsys.readouterr().err
    assert "WARNING neo4j.notifications: deprecated: id()" in err
    assert "driver chatter" not in err


@given(st.text(max_size=100))
def test_request_ids_are_plain_tokens(supplied: str) -> None:
    rid = accepted_id(supplied)
    assert 1 <= len(rid) <= 64
    assert all(c.isascii() and (c.isalnum() or c in "._-") for c in rid)
    if rid != supplied:
        assert len(rid) == 16  # replaced by a new one


def test_served_api_logs_json_with_request_ids_and_hides_internals(tmp_path: Path) -> None:
    """`riskgraph --log-format json serve` with Neo4j down: every stderr line is JSON, the
    access line of a request carries its id, the response echoes it, and neither /health nor
    a GraphQL UNAVAILABLE error names the Bolt address or a path."""
    port = _free_port()
    env = {**os.environ, "NEO4J_URI": "bolt://127.0.0.1:9", "NEO4J_PASSWORD": "unused",
           "NEO4J_CONNECT_TIMEOUT": "1", "RISKGRAPH_API_PORT": str(port),
           "RISKGRAPH_HOME": str(tmp_path / "home"), "RISKGRAPH_WARM_EXPLANATIONS": "false"}
    env.pop("RISKGRAPH_LOG_FORMAT", None)
    log = (tmp_path / "api.log").open("w")
    server = subprocess.Popen([RISKGRAPH, "--log-format", "json", "serve"], env=env,
                              stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                health = httpx.get(f"{base}/health", headers={"X-Request-ID": "probe-1"})
                break
            except httpx.TransportError:
                assert server.poll() is None, (tmp_path / "api.log").read_text()
                time.sleep(0.5)
        gql = httpx.post(f"{base}/graphql", json={"query": "{ companies { nodes { name } } }"},
                         headers={"X-Request-ID": "bad id <INJECTED>"}, timeout=10)
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=30)
        log.close()
    text = (tmp_path / "api.log").read_text()
    # uvicorn re-raises the SIGTERM it handled once shut down; the log shows a clean stop
    assert code in (0, -signal.SIGTERM) and "Application shutdown complete." in text, text
    assert health.status_code == 503 and health.headers["x-request-id"] == "probe-1"
    assert gql.json()["errors"][0]["extensions"]["code"] == "UNAVAILABLE"
    new_id = gql.headers["x-request-id"]
    assert new_id != "bad id <INJECTED>" and len(new_id) == 16
    for public in (health.text, gql.text):
        for internal in ("bolt://", "127.0.0.1", ":9", str(tmp_path), "/home", "password"):
            assert internal not in public, (internal, public)
    entries = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert entries, "nothing was logged"
    access = [e for e in entries if e["logger"] == "uvicorn.access" and "/health" in e["message"]]
    assert access and access[0]["request_id"] == "probe-1"
    assert any(e["logger"] == "riskgraph.api" and e["level"] == "ERROR" for e in entries)
    assert "INJECTED" not in text


def test_info_says_what_is_not_running(tmp_path: Path) -> None:
    env = {**os.environ, "RISKGRAPH_HOME": str(tmp_path), "RISKGRAPH_API_PORT": str(_free_port()),
           "RISKGRAPH_NEO4J_BOLT_PORT": str(_free_port())}
    env.pop("NEO4J_URI", None)
    result = subprocess.run([RISKGRAPH, "info"], env=env, capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 1
    assert "API: not running" in result.stdout and "Neo4j: not running" in result.stdout
    assert "riskgraph is running" not in result.stdout
