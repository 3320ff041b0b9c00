"""The wheel, installed into a fresh virtualenv outside the checkout, runs the whole chain:
``--version``, ``neo4j start``, ``migrate``, ``seed``, ``load``, ``serve`` → ``/health`` 200.

The fresh environment gets the wheel plus its runtime dependencies pinned by the lock file
(requirements/ci.txt), installed from the package index by ``uv`` (a dev dependency; it keeps
its own cache: a second run takes seconds where pip took over 7 minutes here); nothing of the
checkout is on its path (the commands run in a temporary folder with HOME there, so state takes
the per-user default). Only the Neo4j jars are shared with the checkout (RISKGRAPH_NEO4J_DIST):
they are resolved for the same pom bytes the wheel carries, and the stamp check proves it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import httpx
import pytest

from riskgraph.graph.config import PROJECT_ROOT, Settings
from riskgraph.graph.runtime import artifacts

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

LOCK = PROJECT_ROOT / "requirements" / "ci.txt"
RUNTIME_FILES = ("riskgraph/domain/pci_categories.csv", "riskgraph/domain/zhejiang_indicators.csv",
                 "riskgraph/neo4j/pom.xml", "riskgraph/cypher/browser/style.grass",
                 "riskgraph/app/static/graphiql/index.html", "riskgraph/cypher/schema")


def _free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _run_failing(cmd: list[str], env: dict[str, str], cwd: Path) -> str:
    result = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode != 0, f"{cmd} should have failed:\n{result.stdout}"
    return result.stderr


def _run(cmd: list[str], env: dict[str, str], cwd: Path, timeout: float = 300) -> str:
    result = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True,
                            timeout=timeout, check=False)
    assert result.returncode == 0, f"{cmd} exited {result.returncode}:\n{result.stdout}\n" \
                                   f"{result.stderr}"
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheelhouse")
    # Built from a copy: a stale build/ folder in the checkout would leak old files into it.
    src = tmp_path_factory.mktemp("source") / "riskgraph"
    shutil.copytree(PROJECT_ROOT, src, ignore=shutil.ignore_patterns(
        ".git", ".venv", ".riskgraph", "build", "*.egg-info", "test-artifacts", "tests", "bench",
        "__pycache__", "worlds", ".*_cache", ".hypothesis"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "-w", str(out), str(src)], check=True, timeout=300, cwd=out)
    (path,) = out.glob("riskgraph-*.whl")
    return path


def test_wheel_carries_what_is_read_at_run_time(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for wanted in RUNTIME_FILES:
        assert any(n.startswith(wanted) for n in names), f"{wanted} is not in the wheel"
    cypher = sum(n.endswith(".cypher") for n in names)
    assert cypher == sum(1 for _ in (PROJECT_ROOT / "cypher").rglob("*.cypher"))
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    # One installed name: app, graph, models, seed and cypher live under it (docs/packaging.md).
    assert top == {"riskgraph"}


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory,
              settings: Settings) -> Iterator[tuple[Path, dict[str, str], Path]]:
    """(venv bin, environment, working folder) of a fresh install; Neo4j stopped at the end."""
    root = tmp_path_factory.mktemp("installed")
    venv, home, work = root / "venv", root / "home", root / "work"
    home.mkdir()
    work.mkdir()
    uv = str(Path(sys.executable).parent / "uv")
    subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True,
                   timeout=120)
    subprocess.run([uv, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"),
                    "-c", str(LOCK), str(wheel)], check=True, timeout=600)
    dist = settings.dist_dir
    artifacts.resolve(dist)  # already done when the suite's Neo4j ran; same pom bytes
    bolt, http, api = _free_ports(3)
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "LANG": "C.UTF-8",
           "RISKGRAPH_NEO4J_DIST": str(dist), "RISKGRAPH_NEO4J_BOLT_PORT": str(bolt),
           "RISKGRAPH_NEO4J_HTTP_PORT": str(http), "RISKGRAPH_API_PORT": str(api),
           "RISKGRAPH_NEO4J_HEAP": "512m", "RISKGRAPH_NEO4J_PAGECACHE": "256m",
           "RISKGRAPH_WARM_EXPLANATIONS": "false"}
    for passed in ("JAVA_HOME", "RISKGRAPH_NEO4J_START_TIMEOUT"):
        if passed in os.environ:
            env[passed] = os.environ[passed]
    try:
        yield venv / "bin", env, work
    finally:
        subprocess.run([str(venv / "bin" / "riskgraph"), "neo4j", "stop"], env=env, cwd=work,
                       capture_output=True, timeout=180, check=False)


def test_installed_wheel_runs_start_migrate_seed_load_serve(
        installed: tuple[Path, dict[str, str], Path]) -> None:
    bin_dir, env, work = installed
    riskgraph = str(bin_dir / "riskgraph")
    python = str(bin_dir / "python")
    version = metadata.version("riskgraph")

    # Nothing of the checkout is imported; the resources come from the installed wheel.
    where = json.loads(_run([python, "-c", (
        "import json, riskgraph.graph as graph, riskgraph.resources as r;"
        "print(json.dumps([graph.__file__, str(r.neo4j_pom()), "
        "str(r.domain_table('pci_categories.csv'))]))")], env, work))
    site = str(bin_dir.parent)
    assert all(path.startswith(site) for path in where), where
    # Only the one name is installed: the design's folders are not importable on their own.
    for folder in ("app", "graph", "models", "seed", "cypher"):
        assert "ModuleNotFoundError" in _run_failing([python, "-c", f"import {folder}"], env, work)
    assert str(PROJECT_ROOT) not in " ".join(where)

    assert _run([riskgraph, "--version"], env, work).strip() == f"riskgraph {version}"
    assert _run([python, "-m", "riskgraph", "--version"], env, work).strip() == \
        f"riskgraph {version}"

    started = _run([riskgraph, "neo4j", "start"], env, work, timeout=900)
    assert "is running" in started
    state = Path(env["HOME"]) / ".local" / "state" / "riskgraph"
    assert (state / "neo4j" / "conf" / "neo4j.conf").is_file()  # per-user default home
    assert not list(bin_dir.parent.rglob(".riskgraph")), "state written into the venv"

    _run([riskgraph, "migrate"], env, work)
    _run([riskgraph, "seed", "--firms", "200", "--seed", "3", "--out", "world"], env, work)
    loaded = _run([riskgraph, "load", "world"], env, work)
    assert "Company" in loaded, loaded

    log = (work / "serve.log").open("w")
    server = subprocess.Popen([riskgraph, "serve"], env=env, cwd=work, stdout=log,
                              stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{env['RISKGRAPH_API_PORT']}/health"
        status = None
        for _ in range(120):
            try:
                response = httpx.get(url, timeout=2)
                status = response.status_code
                if status == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None:
                break
            time.sleep(0.5)
        assert status == 200, (work / "serve.log").read_text()
        assert response.json()["status"] == "ok"
        info = _run([riskgraph, "info"], env, work)
        assert "API: running" in info and "Neo4j: running" in info, info
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=30)
        log.close()
        text = (work / "serve.log").read_text()
        assert code in (0, -signal.SIGTERM) and "Application shutdown complete." in text, text
