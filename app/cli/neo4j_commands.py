"""``riskgraph neo4j start | stop | status | logs``: the project's local Neo4j server."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from riskgraph.app.cli.output import console
from riskgraph.app.cli.progress import phase
from riskgraph.graph.config import get_settings
from riskgraph.graph.runtime import artifacts
from riskgraph.graph.runtime.server import LocalServer

app = typer.Typer(help="Run the project's local Neo4j server (real Neo4j from Maven Central).",
                  no_args_is_help=True)


def _server() -> LocalServer | None:
    settings = get_settings()
    if not settings.uses_local_server:
        console.print(f"NEO4J_URI is set: using {settings.neo4j_uri}; no local server is managed.")
        return None
    return LocalServer(settings)


@app.command()
def start() -> None:
    """Start the server (resolving jars on first use) and wait until Bolt answers."""
    server = _server()
    if server is None:
        return
    began = time.monotonic()
    if server.pid() is not None:
        console.print(f"Neo4j is already running (pid {server.pid()}).")
        return
    if not artifacts.is_resolved(server.layout.dist):
        with phase("resolving the Neo4j jars from Maven Central (first start only)"):
            artifacts.resolve(server.layout.dist)
    with phase("starting Neo4j and waiting for Bolt"):
        started = server.start()
    if not started:
        console.print(f"Neo4j is already running (pid {server.pid()}).")
        return
    status = server.status()
    console.print(
        f"Neo4j {status.version} is running (pid {status.pid}; {time.monotonic() - began:.1f} s "
        "in all).\n"
        f"  Bolt:     {status.bolt_uri}\n  Browser:  {status.http_url}/browser/\n"
        f"  User:     {server.settings.neo4j_user}\n"
        f"  Password: in {server.settings.password_file}\n"
        "  Stop with `riskgraph neo4j stop`."
    )


@app.command()
def stop() -> None:
    """Stop the server gracefully (no java process is left behind)."""
    server = _server()
    if server is None:
        return
    console.print("Neo4j stopped." if server.stop() else "Neo4j was not running.")


@app.command()
def status() -> None:
    """Say whether the server runs, with pid, ports, version and store size."""
    server = _server()
    if server is None:
        return
    st = server.status()
    state = f"running (pid {st.pid})" if st.running else "stopped"
    console.print(
        f"Neo4j: {state}\n  Version:  {st.version or 'unknown'}\n  Bolt:     {st.bolt_uri}\n"
        f"  HTTP:     {st.http_url} (Browser at /browser/)\n"
        f"  Store:    {st.store_bytes / 2**20:.1f} MiB in {st.home / 'data'}\n"
        f"  Password: {server.settings.password_file}"
    )
    if not st.running:
        raise typer.Exit(3)


@app.command()
def logs(
    lines: Annotated[int, typer.Option("--lines", "-n", help="How many lines.")] = 50,
) -> None:
    """Print the last lines of the server's console log."""
    server = _server()
    if server is None:
        return
    print(server.logs(lines))
