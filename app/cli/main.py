"""Entry point: one Typer app; each command group lives in its own module."""

from __future__ import annotations

import sys

import typer

from app.cli import (
    cypher_command,
    demo_command,
    interchange_commands,
    neo4j_commands,
    risk_commands,
    serve_command,
    world_commands,
)
from app.cli.output import console_err
from graph.errors import ErrorCode, RiskgraphError

app = typer.Typer(
    name="riskgraph",
    help="Graph-database risk intelligence for market regulators and investigators.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(neo4j_commands.app, name="neo4j")
app.command("cypher")(cypher_command.cypher)
app.command("migrate")(cypher_command.migrate)
app.command("serve")(serve_command.serve)
app.command("info")(demo_command.info)
app.command("seed")(world_commands.seed)
app.command("load")(world_commands.load)
app.command("import")(interchange_commands.import_file)
app.command("export")(interchange_commands.export_world)
app.command("demo-world")(demo_command.demo_world)
app.command("train")(risk_commands.train)
app.command("evaluate")(risk_commands.evaluate)
app.command("explain")(risk_commands.explain)

EXIT_CODES = {ErrorCode.BAD_INPUT: 2, ErrorCode.NOT_FOUND: 3, ErrorCode.UNAVAILABLE: 4,
              ErrorCode.CONFIG: 5, ErrorCode.CONFLICT: 6}


def main() -> None:
    """Run the CLI; domain errors print one clear line (no traceback) and set the exit code."""
    try:
        app()
    except RiskgraphError as exc:
        console_err.print(f"[bold red]error[/] ({exc.code.value}): {exc.message}", highlight=False)
        sys.exit(EXIT_CODES.get(exc.code, 1))
