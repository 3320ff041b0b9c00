"""``riskgraph cypher`` (a small cypher-shell) and ``riskgraph migrate``."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from neo4j.exceptions import ClientError
from rich.table import Table

from riskgraph.app.cli.output import console
from riskgraph.graph.config import get_settings
from riskgraph.graph.driver import connect
from riskgraph.graph.errors import BadInput
from riskgraph.graph.migrations import migrate as apply_migrations
from riskgraph.graph.serialize import to_jsonable


def parse_params(pairs: list[str]) -> dict[str, Any]:
    """``k=v`` pairs to parameters; a value that parses as JSON is taken as JSON."""
    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.isidentifier():
            raise BadInput(f"--param {pair!r}: expected name=value with a valid parameter name")
        try:
            params[key] = json.loads(raw)
        except json.JSONDecodeError:
            params[key] = raw
    return params


def cypher(
    statement: Annotated[str, typer.Argument(help="One Cypher statement.")],
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="Parameter name=value (JSON or text).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print rows as JSON lines.")] = False,
    allow_write: Annotated[bool, typer.Option("--write", help="Allow writes.")] = False,
) -> None:
    """Run one statement with the project's settings; read-only unless --write."""
    settings = get_settings()
    params = parse_params(param or [])
    driver = connect(settings)
    try:
        with driver.session(
            database=settings.neo4j_database,
            default_access_mode="WRITE" if allow_write else "READ",
        ) as session:
            def work(tx: Any) -> tuple[list[str], list[dict[str, Any]]]:
                result = tx.run(statement, params)  # the user's own statement text
                return list(result.keys()), [r.data() for r in result]

            try:
                keys, rows = (session.execute_write if allow_write else session.execute_read)(work)
            except ClientError as exc:
                if "read access mode" in (exc.message or "").lower() or (
                    exc.code or ""
                ).endswith("ForbiddenDueToTransactionType"):
                    raise BadInput("this statement writes; add --write to allow it") from None
                raise BadInput(f"{exc.code}: {exc.message}") from None
    finally:
        driver.close()
    if as_json:
        for row in rows:
            print(json.dumps(to_jsonable(row), ensure_ascii=False))
        return
    table = Table(*keys)
    for row in rows:
        table.add_row(*(json.dumps(to_jsonable(row[k]), ensure_ascii=False) for k in keys))
    console.print(table)
    console.print(f"{len(rows)} row(s)")


def migrate() -> None:
    """Apply pending schema migrations (cypher/schema/NNN_*.cypher) in order."""
    settings = get_settings()
    driver = connect(settings)
    try:
        ran = apply_migrations(driver, settings.neo4j_database)
    finally:
        driver.close()
    console.print(f"applied: {', '.join(ran)}" if ran else "schema is up to date")
