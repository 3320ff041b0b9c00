"""The local Neo4j runtime against the real server."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from riskgraph.graph.config import PROJECT_ROOT, Settings
from riskgraph.graph.errors import ConfigError, Unavailable
from riskgraph.graph.runtime.server import LocalServer, pid_alive, port_in_use

pytestmark = pytest.mark.neo4j


def _local_only(settings: Settings) -> None:
    if not settings.uses_local_server:
        pytest.skip("NEO4J_URI is set: the local runtime is not used")


def test_status_tells_the_truth(neo4j_server: Settings) -> None:
    _local_only(neo4j_server)
    server = LocalServer(neo4j_server)
    status = server.status()
    assert status.running and status.pid is not None
    assert status.version is not None and status.version.startswith("5.26.")
    assert status.store_bytes > 0
    assert Path(f"/proc/{status.pid}/cmdline").read_bytes().count(b"CommunityEntryPoint") == 1


def test_second_start_is_a_no_op(neo4j_server: Settings) -> None:
    _local_only(neo4j_server)
    server = LocalServer(neo4j_server)
    pid = server.pid()
    assert server.start() is False
    assert server.pid() == pid


def test_password_file_is_private(neo4j_server: Settings) -> None:
    _local_only(neo4j_server)
    mode = stat.S_IMODE(neo4j_server.password_file.stat().st_mode)
    assert mode == 0o600
    assert len(neo4j_server.password_file.read_text().strip()) >= 16


def test_neo4j_uri_means_nothing_local(tmp_path: Path) -> None:
    remote = Settings(neo4j_uri="bolt://db.example:7687", riskgraph_home=tmp_path)
    with pytest.raises(ConfigError, match="NEO4J_URI is set"):
        LocalServer(remote)


def test_port_in_use_gives_one_clear_message(tmp_path: Path, settings: Settings) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        other = Settings(riskgraph_home=tmp_path, riskgraph_neo4j_bolt_port=port,
                         riskgraph_neo4j_http_port=port + 1 if port < 65535 else port - 1,
                         riskgraph_neo4j_dist=settings.dist_dir)
        with pytest.raises(Unavailable, match=rf"port {port} \(Bolt\).*already in use"):
            LocalServer(other).start()


def test_too_little_memory_is_refused(tmp_path: Path, settings: Settings) -> None:
    greedy = Settings(riskgraph_home=tmp_path, riskgraph_neo4j_heap="4000g",
                      riskgraph_neo4j_bolt_port=17901, riskgraph_neo4j_http_port=17902,
                      riskgraph_neo4j_dist=settings.dist_dir)
    with pytest.raises(Unavailable, match=r"needs .* GiB .* available.*docker compose"):
        LocalServer(greedy).start()


def test_missing_java_says_what_to_install(tmp_path: Path, settings: Settings) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RISKGRAPH_")}
    env.update(PATH=str(Path(sys.executable).parent), RISKGRAPH_HOME=str(tmp_path),
               RISKGRAPH_NEO4J_BOLT_PORT="17903", RISKGRAPH_NEO4J_HTTP_PORT="17904")
    env.pop("NEO4J_URI", None)
    result = subprocess.run([sys.executable, "-m", "riskgraph", "neo4j", "start"], env=env,
                            capture_output=True, text=True, cwd=PROJECT_ROOT, check=False)
    assert result.returncode == 4
    assert "`java` was not found" in result.stderr and "Docker" in result.stderr


@pytest.mark.slow
def test_stop_is_graceful_and_leaves_no_java(tmp_path: Path, settings: Settings) -> None:
    _local_only(settings)
    # The password starts with "-", as one generated password in 64 does: neo4j-admin must set
    # it rather than read it as an option (it once failed a CI run with its usage text).
    second = Settings(riskgraph_home=tmp_path, riskgraph_neo4j_bolt_port=17911,
                      riskgraph_neo4j_http_port=17912, riskgraph_neo4j_heap="512m",
                      riskgraph_neo4j_pagecache="256m", riskgraph_neo4j_dist=settings.dist_dir,
                      neo4j_password="-starts-with-a-dash-0123456789")
    server = LocalServer(second)
    assert server.start() is True
    pid = server.pid()
    assert pid is not None
    assert server.stop() is True
    assert server.pid() is None
    assert not pid_alive(pid), "a thread of the stopped server is still running"
    assert not any(port_in_use("127.0.0.1", port) for port in (17911, 17912))
    assert "Stopped." in server.logs(200)
    assert server.stop() is False
