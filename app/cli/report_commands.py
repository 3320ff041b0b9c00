"""``riskgraph report ...``: reports for compliance and procurement teams."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from riskgraph.app.cli.connection import AS_OF_HELP, graph
from riskgraph.app.cli.connection import as_of as resolve_as_of
from riskgraph.app.cli.disclosure_options import AgencyOption, RoleOption, audience_of
from riskgraph.app.cli.output import FIRM_ID_HELP, console_err
from riskgraph.graph.config import get_settings
from riskgraph.graph.errors import BadInput

app = typer.Typer(help="Reports for compliance and procurement teams.", no_args_is_help=True)

FORMATS = ("html", "json", "csv")



@app.command("exposure")
def exposure(
    uscc: Annotated[str, typer.Argument(help=FIRM_ID_HELP)],
    tiers: Annotated[int, typer.Option(help="How many tiers of suppliers to walk (1-6).")] = 3,
    downstream: Annotated[bool, typer.Option(
        "--downstream", help="Walk customers (downstream) instead of suppliers.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="html | json | csv")] = "json",
    out: Annotated[Path | None, typer.Option(help="Write to this file (default: stdout).")]
    = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Supplies and records in force on this date. " + AS_OF_HELP)] = None,
    decay: Annotated[float, typer.Option(help="Weight factor per extra tier, in (0, 1].")]
    = 0.5,
    role: RoleOption = "public",
    agency: AgencyOption = None,
) -> None:
    """Supplier-network exposure: risky suppliers several tiers deep, with evidence (written
    for --role, public by default: see docs/api-security.md)."""
    from riskgraph.models.exposure.render_csv import render_csv
    from riskgraph.models.exposure.render_html import render_html
    from riskgraph.models.exposure.report import build_report

    if fmt not in FORMATS:
        raise BadInput(f"--format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    readers = audience_of(role, agency)
    settings = get_settings()
    with graph() as driver:
        when = resolve_as_of(driver, as_of)
        report = build_report(driver, uscc, tiers, downstream, when, decay,
                              settings.neo4j_database, readers)
    if fmt == "json":
        text = json.dumps(report.to_dict(), ensure_ascii=False) + "\n"  # C encoder: no indent
    elif fmt == "csv":
        text = render_csv(report)
    else:
        text = render_html(report)
    if out is None:
        typer.echo(text, nl=False)
        console_err.print(f"exposure report as of {when}")
        return
    out.write_text(text, encoding="utf-8")
    console_err.print(f"exposure report ({fmt}) for {report.firm['uscc']} as of {when}: index "
                      f"{report.exposure_index:.2f}, {report.supplier_count:,} firms, "
                      f"{len(report.risky):,} risky → {out}")
