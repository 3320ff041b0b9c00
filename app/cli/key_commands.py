"""``riskgraph keys create | list | revoke | audit | demo``: API keys of the GraphQL API."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

import typer
from rich.table import Table

from riskgraph.app.cli.connection import graph
from riskgraph.app.cli.output import console, console_err, print_table
from riskgraph.app.security.demo_keys import ensure_demo_keys
from riskgraph.app.security.keys import (
    create_key,
    list_keys,
    parse_role,
    revoke_key,
    validate_key_id,
)
from riskgraph.app.security.query_log import list_query_logs
from riskgraph.graph.config import get_settings
from riskgraph.graph.errors import BadInput

app = typer.Typer(help="Manage API keys (stored hashed in Neo4j) and read the query audit log.",
                  no_args_is_help=True)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else "-"


def _print_json(rows: list[dict[str, Any]]) -> None:
    typer.echo(json.dumps(rows, indent=2, default=lambda v: v.isoformat()
                          if isinstance(v, datetime) else str(v)))


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


@app.command()
def create(
    name: Annotated[str, typer.Option("--name", help="Who or what the key is for.")],
    role: Annotated[str, typer.Option("--role",
                                      help="public | investigator | restricted | admin")],
    agency: Annotated[list[str] | None, typer.Option(
        "--agency", help="Agency whose restricted records the key may see (restricted role; "
                         "repeat for several).")] = None,
) -> None:
    """Create a key and print it once (only its hash is stored)."""
    settings = get_settings()
    with graph() as driver:
        issued = create_key(driver, name, parse_role(role), agency or [],
                            database=settings.neo4j_database)
    key = issued.key
    console_err.print(f"Created key {key.key_id} ({key.role.value}) for {key.name!r}"
                      + (f", agencies: {', '.join(key.agencies)}" if key.agencies else "")
                      + ". Store it now: it cannot be shown again.")
    console.print(issued.token)


@app.command("list")
def list_command(
    active: Annotated[bool, typer.Option("--active", help="Hide revoked keys.")] = False,
    as_json: JsonOption = False,
) -> None:
    """List keys (ids, names, roles; never secrets)."""
    settings = get_settings()
    with graph() as driver:
        keys = list_keys(driver, include_revoked=not active, database=settings.neo4j_database)
    if as_json:
        _print_json([asdict(key) for key in keys])
        return
    table = Table("key id", "name", "role", "agencies", "created", "revoked")
    for key in keys:
        table.add_row(key.key_id, key.name, key.role.value, ", ".join(key.agencies) or "-",
                      _when(key.created_at), _when(key.revoked_at))
    console.print(table)


@app.command()
def revoke(key_id: Annotated[str, typer.Argument(help="The key id (see `keys list`).")]) -> None:
    """Revoke a key: the API refuses it (within RISKGRAPH_KEY_CACHE_SECONDS)."""
    settings = get_settings()
    with graph() as driver:
        key = revoke_key(driver, key_id, settings.neo4j_database)
    console.print(f"Key {key.key_id} ({key.name!r}) revoked at {_when(key.revoked_at)}.")


@app.command()
def audit(
    key: Annotated[str | None, typer.Option("--key", help="Only this key id.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many entries.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Show the latest audited queries (who, when, operation, hash of variables, outcome)."""
    if limit < 1 or limit > 10_000:
        raise BadInput(f"--limit must be between 1 and 10000, got {limit}")
    settings = get_settings()
    with graph() as driver:
        rows = list_query_logs(driver, validate_key_id(key) if key else None, limit,
                               database=settings.neo4j_database)
    if as_json:
        _print_json(rows)
        return
    table = Table("when (UTC)", "key id", "role", "operation", "variables sha256", "ms",
                  "outcome")
    for row in rows:
        outcome = row["outcome"] + (f" {','.join(row['error_codes'])}"
                                    if row.get("error_codes") else "")
        table.add_row(_when(row["at"]), row["key_id"], row["role"], row["operation"],
                      row["variables_sha256"][:16], f"{row['duration_ms']:.1f}", outcome)
    print_table(table)


@app.command()
def demo() -> None:
    """Ensure one demo key per role in <RISKGRAPH_HOME>/demo-keys.json (0600) and say where."""
    settings = get_settings()
    url = f"http://{settings.riskgraph_api_host}:{settings.riskgraph_api_port}/graphql"
    with graph() as driver:
        path, created = ensure_demo_keys(driver, settings.riskgraph_home, url,
                                         settings.neo4j_database)
    state = "created" if created else "unchanged"
    console.print(f"Demo API keys ({state}), one per role: {path}\n"
                  f"  Use one as 'Authorization: Bearer <key>' at {url}")
