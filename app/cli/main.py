"""Entry point: one Typer app; each command group lives in its own module."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from riskgraph.app import __version__
from riskgraph.app.cli import (
    audit_trail_command,
    cardinal_command,
    cypher_command,
    demo_command,
    feature_commands,
    interchange_commands,
    key_commands,
    neo4j_commands,
    objection_commands,
    plan_commands,
    ranking_commands,
    report_commands,
    resolve_commands,
    risk_commands,
    screen_commands,
    serve_command,
    world_commands,
)
from riskgraph.app.cli.output import console_err
from riskgraph.app.logging_setup import configure
from riskgraph.graph.config import get_settings
from riskgraph.graph.errors import ErrorCode, RiskgraphError


class LogFormatChoice(StrEnum):
    human = "human"
    json = "json"


app = typer.Typer(
    name="riskgraph",
    help="Graph-database risk intelligence for market regulators and investigators.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"riskgraph {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    log_format: Annotated[LogFormatChoice | None, typer.Option(
        "--log-format", help="Log lines for people (human) or collectors (json, one object a "
                             "line); default RISKGRAPH_LOG_FORMAT, else human.")] = None,
) -> None:
    """Graph-database risk intelligence for market regulators and investigators."""
    settings = get_settings()
    configure(log_format.value if log_format else settings.riskgraph_log_format,
              settings.riskgraph_log_level)


app.add_typer(neo4j_commands.app, name="neo4j")
app.add_typer(screen_commands.app, name="screen")
app.add_typer(cardinal_command.app, name="cardinal")
app.add_typer(report_commands.app, name="report")
app.add_typer(key_commands.app, name="keys")
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
app.command("model-card")(risk_commands.model_card)
app.command("rank")(ranking_commands.rank)
app.command("features")(feature_commands.features)
app.command("runs")(ranking_commands.runs)
app.command("tiers")(ranking_commands.tiers)
app.command("audit")(ranking_commands.audit)
app.command("plan")(plan_commands.plan)
app.command("show-plan")(plan_commands.show_plan)
app.command("record-outcome")(plan_commands.record_outcome)
app.command("publish-outcome")(plan_commands.publish_outcome)
app.add_typer(objection_commands.app, name="objection")
app.add_typer(resolve_commands.app, name="resolve")
app.command("repair")(objection_commands.repair)
app.command("audit-trail")(audit_trail_command.audit_trail)

EXIT_CODES = {ErrorCode.BAD_INPUT: 2, ErrorCode.NOT_FOUND: 3, ErrorCode.UNAVAILABLE: 4,
              ErrorCode.CONFIG: 5, ErrorCode.CONFLICT: 6}


def main() -> None:
    """Run the CLI; domain errors print one clear line (no traceback) and set the exit code."""
    try:
        app()
    except RiskgraphError as exc:
        console_err.print(f"[bold red]error[/] ({exc.code.value}): {exc.message}", highlight=False)
        sys.exit(EXIT_CODES.get(exc.code, 1))
