"""Resolve the Neo4j server, Browser and APOC jars from Maven Central with ``mvn``.

The jars land in ``dist/lib`` and ``dist/plugins`` under the state folder. A stamp file holds the
hash of ``neo4j/pom.xml`` (a wheel carries it, riskgraph/resources.py); while it matches, nothing
is resolved again (no network needed).
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import subprocess
from pathlib import Path

from riskgraph.graph.errors import Unavailable
from riskgraph.resources import neo4j_pom

POM = neo4j_pom()
STAMP = ".pom-sha256"
DOCKER_HINT = (
    "Or, with Docker: `docker compose up -d neo4j` and set NEO4J_URI=bolt://localhost:7687 "
    "(see README.md)."
)


def pom_digest(pom: Path = POM) -> str:
    return hashlib.sha256(pom.read_bytes()).hexdigest()


def is_resolved(dist: Path, pom: Path = POM) -> bool:
    """True when ``dist`` holds the jars of the current pom."""
    stamp = dist / STAMP
    return (
        stamp.is_file()
        and stamp.read_text().strip() == pom_digest(pom)
        and any((dist / "lib").glob("org.neo4j.neo4j-5*.jar"))
        and any((dist / "plugins").glob("apoc-core-*.jar"))
    )


def require_tool(name: str, purpose: str) -> str:
    """Path of executable ``name``, or a clear Unavailable error saying what to install."""
    path = shutil.which(name)
    if path is None:
        raise Unavailable(
            f"`{name}` was not found on PATH; it is needed to {purpose}. Install "
            f"{'a Java 17+ JDK' if name == 'java' else 'Apache Maven 3.8+'} "
            f"(e.g. `apt-get install {'openjdk-17-jre-headless' if name == 'java' else 'maven'}`). "
            + DOCKER_HINT
        )
    return path


def resolve(dist: Path, *, pom: Path = POM, quiet: bool = True) -> bool:
    """Make sure the jars are in ``dist``; return True when Maven had to run.

    Several servers (the demo's, the tests') share ``dist``: a file lock makes concurrent
    callers wait for one resolution instead of deleting each other's jars.
    """
    if is_resolved(dist, pom):
        return False
    dist.mkdir(parents=True, exist_ok=True)
    with (dist / ".resolve.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if is_resolved(dist, pom):
            return False
        return _resolve(dist, pom, quiet)


def _resolve(dist: Path, pom: Path, quiet: bool) -> bool:
    mvn = require_tool("mvn", "resolve the Neo4j jars from Maven Central")
    require_tool("java", "run Neo4j")
    for sub in ("lib", "plugins"):
        shutil.rmtree(dist / sub, ignore_errors=True)
    cmd = [mvn, "-B", "-f", str(pom), f"-Druntime.dir={dist}", "package"]
    if quiet:
        cmd.insert(2, "-q")
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
        raise Unavailable(
            f"Maven could not resolve the Neo4j jars (exit {result.returncode}):\n{tail}\n"
            "Check that Maven Central is reachable. " + DOCKER_HINT
        )
    (dist / STAMP).write_text(pom_digest(pom) + "\n")
    return True


def neo4j_version(dist: Path) -> str | None:
    """The server version of the resolved jars (from the main jar's name)."""
    for jar in (dist / "lib").glob("org.neo4j.neo4j-5*.jar"):
        return jar.name.removeprefix("org.neo4j.neo4j-").removesuffix(".jar")
    return None
