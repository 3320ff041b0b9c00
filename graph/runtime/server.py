"""Start, stop and inspect the project's local Neo4j server (a plain ``java`` process).

The server is the real Neo4j entry point run from Maven-resolved jars with a generated
neo4j.conf. ``start`` returns only when Bolt answers; ``stop`` is graceful (SIGTERM runs Neo4j's
shutdown hook) and leaves no java process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ServiceUnavailable

from riskgraph.graph.catalog import query
from riskgraph.graph.config import Settings
from riskgraph.graph.errors import ConfigError, Unavailable
from riskgraph.graph.runtime import artifacts
from riskgraph.graph.runtime.layout import Layout, read_or_create_password, write_conf

ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+ExitOnOutOfMemoryError",
    "-XX:+AlwaysPreTouch",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dfile.encoding=UTF-8",
)


@dataclass(frozen=True)
class Status:
    running: bool
    pid: int | None
    bolt_uri: str
    http_url: str
    version: str | None
    store_bytes: int
    home: Path


def _memory_bytes(size: str) -> int:
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
    unit = size[-1].lower()
    return int(size[:-1]) * units[unit] if unit in units else int(size)


def _available_memory() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def _tail(path: Path, lines: int = 25) -> str:
    if not path.is_file():
        return "(no log yet)"
    with path.open(errors="replace") as fh:
        return "".join(deque(fh, maxlen=lines)).rstrip()


def pid_alive(pid: int) -> bool:
    """True while any thread of process ``pid`` still runs.

    A JVM's main thread can exit (and show as a zombie) while its other threads shut the server
    down, so the process counts as gone only when every task is a zombie or has vanished.
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return True
    for task in tasks:
        try:
            stat = Path(f"/proc/{pid}/task/{task}/stat").read_text()
        except OSError:
            continue
        if stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X"):
            return True
    return False


def _is_neo4j(pid: int) -> bool:
    try:
        return ENTRY_POINT in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return pid_alive(pid)


class LocalServer:
    """The local Neo4j instance described by the settings."""

    def __init__(self, settings: Settings) -> None:
        if not settings.uses_local_server:
            raise ConfigError(
                f"NEO4J_URI is set ({settings.neo4j_uri}): riskgraph uses that server and starts "
                "nothing locally. Unset NEO4J_URI to use the local server."
            )
        self.settings = settings
        self.layout = Layout.from_settings(settings)

    # -- state -----------------------------------------------------------------------------

    def pid(self) -> int | None:
        """Pid of the running server, or None (a stale pid file is removed)."""
        try:
            pid = int(self.layout.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        if pid_alive(pid) and _is_neo4j(pid):
            return pid
        self.layout.pid_file.unlink(missing_ok=True)
        return None

    def password(self) -> str:
        supplied = self.settings.neo4j_password
        return read_or_create_password(
            self.settings.password_file, supplied.get_secret_value() if supplied else None
        )

    def status(self) -> Status:
        pid = self.pid()
        version = None
        if pid is not None:
            version = self._server_version()
        data = self.layout.data_dir
        size = sum(f.stat().st_size for f in data.rglob("*") if f.is_file()) if data.exists() else 0
        return Status(
            running=pid is not None,
            pid=pid,
            bolt_uri=self.settings.bolt_uri,
            http_url=self.settings.http_url,
            version=version,
            store_bytes=size,
            home=self.layout.home,
        )

    # -- start -----------------------------------------------------------------------------

    def start(self) -> bool:
        """Start the server and wait for Bolt; return False when it was already running."""
        if self.pid() is not None:
            return False
        self._preflight()
        artifacts.resolve(self.layout.dist)
        write_conf(self.settings, self.layout)
        password = self.password()
        if not (self.layout.data_dir / "databases" / "system").exists():
            self._set_initial_password(password)
        proc = self._spawn()
        self.layout.pid_file.write_text(f"{proc.pid}\n")
        try:
            self._wait_for_bolt(proc, password)
        except BaseException:
            self._terminate(proc.pid, timeout=30)
            self.layout.pid_file.unlink(missing_ok=True)
            raise
        return True

    def _preflight(self) -> None:
        artifacts.require_tool("java", "run Neo4j")
        host = self.settings.riskgraph_neo4j_listen_address
        probe = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
        for name, port in (
            ("Bolt", self.settings.riskgraph_neo4j_bolt_port),
            ("HTTP", self.settings.riskgraph_neo4j_http_port),
        ):
            if port_in_use(probe, port):
                raise Unavailable(
                    f"port {port} ({name}) on {probe} is already in use by another program. "
                    f"Stop it, or choose another port with RISKGRAPH_NEO4J_"
                    f"{name.upper()}_PORT, or use that server with NEO4J_URI."
                )
        need = _memory_bytes(self.settings.riskgraph_neo4j_heap) + _memory_bytes(
            self.settings.riskgraph_neo4j_pagecache
        )
        available = _available_memory()
        if available is not None and need > available:
            raise Unavailable(
                f"Neo4j needs {need / 2**30:.1f} GiB (heap {self.settings.riskgraph_neo4j_heap} + "
                f"page cache {self.settings.riskgraph_neo4j_pagecache}) but only "
                f"{available / 2**30:.1f} GiB is available. Lower RISKGRAPH_NEO4J_HEAP and "
                "RISKGRAPH_NEO4J_PAGECACHE, free memory, or run Neo4j elsewhere (Docker: "
                "`docker compose up -d neo4j`) and set NEO4J_URI."
            )

    def classpath(self) -> str:
        dist = self.layout.dist
        return os.pathsep.join((f"{dist / 'plugins'}/*", f"{self.layout.conf_dir}/*",
                                f"{dist / 'lib'}/*"))

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(NEO4J_HOME=str(self.layout.home), NEO4J_CONF=str(self.layout.conf_dir))
        return env

    def _set_initial_password(self, password: str) -> None:
        """Set the neo4j user's password before the first start (neo4j-admin's own command)."""
        java = artifacts.require_tool("java", "run Neo4j")
        result = subprocess.run(
            # "--" ends the options: a password may start with "-" (one generated in 64 does).
            [java, "-cp", self.classpath(), ADMIN_TOOL, "dbms", "set-initial-password", "--",
             password],
            env=self.env(), capture_output=True, text=True, check=False,
        )
        if result.returncode != 0:
            raise Unavailable(
                "could not set the initial Neo4j password: "
                + (result.stderr or result.stdout).strip()[-500:]
            )

    def _spawn(self) -> subprocess.Popen[bytes]:
        java = artifacts.require_tool("java", "run Neo4j")
        heap = self.settings.riskgraph_neo4j_heap
        cmd = [
            java, f"-Xms{heap}", f"-Xmx{heap}", *JVM_FLAGS, "-cp", self.classpath(), ENTRY_POINT,
            f"--home-dir={self.layout.home}", f"--config-dir={self.layout.conf_dir}",
            "--console-mode",
        ]
        log = self.layout.console_log.open("ab")
        try:
            return subprocess.Popen(
                cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env=self.env(), cwd=self.layout.home, start_new_session=True,
            )
        finally:
            log.close()

    def _wait_for_bolt(self, proc: subprocess.Popen[bytes], password: str) -> None:
        deadline = time.monotonic() + self.settings.riskgraph_neo4j_start_timeout
        uri, user = self.settings.bolt_uri, self.settings.neo4j_user
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise Unavailable(
                    f"Neo4j exited with code {proc.returncode} while starting. Last log lines "
                    f"({self.layout.console_log}):\n{_tail(self.layout.console_log)}"
                )
            try:
                with GraphDatabase.driver(uri, auth=(user, password),
                                          connection_timeout=2) as driver:
                    driver.verify_connectivity()
                return
            except AuthError as exc:
                raise Unavailable(
                    f"Neo4j started but rejected the stored password ({exc.message}). The store in "
                    f"{self.layout.data_dir} was created with another password: set NEO4J_PASSWORD "
                    f"to it, or remove {self.layout.data_dir} to start afresh."
                ) from None
            except (ServiceUnavailable, OSError):
                time.sleep(0.25)
        raise Unavailable(
            f"Neo4j did not answer on {uri} within "
            f"{self.settings.riskgraph_neo4j_start_timeout:.0f} s (RISKGRAPH_NEO4J_START_TIMEOUT)."
            f" Last log lines ({self.layout.console_log}):\n{_tail(self.layout.console_log)}"
        )

    # -- stop ------------------------------------------------------------------------------

    def stop(self, timeout: float = 120) -> bool:
        """Stop gracefully; return False when nothing was running."""
        pid = self.pid()
        if pid is None:
            return False
        self._terminate(pid, timeout)
        self.layout.pid_file.unlink(missing_ok=True)
        return True

    def _terminate(self, pid: int, timeout: float) -> None:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not pid_alive(pid):
                _reap(pid)
                return
            time.sleep(0.2)
        os.kill(pid, signal.SIGKILL)  # last resort; Neo4j recovers from its transaction log
        _reap(pid)

    # -- logs ------------------------------------------------------------------------------

    def logs(self, lines: int = 50) -> str:
        return _tail(self.layout.console_log, lines)

    def _server_version(self) -> str | None:
        try:
            with GraphDatabase.driver(self.settings.bolt_uri,
                                      auth=(self.settings.neo4j_user, self.password()),
                                      connection_timeout=2) as driver:
                records, _, _ = driver.execute_query(query("get_server_version"))
                return str(records[0]["version"])
        except Exception:
            return None


def _reap(pid: int) -> None:
    """Collect an exited child of this process so no zombie stays behind."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
