"""``riskgraph screen tenders``: Cardinal's procurement red flags (plus R044) per tender."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from riskgraph.app.cli.connection import graph
from riskgraph.app.cli.output import console
from riskgraph.graph.errors import NotFound


def tenders(
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    ocds: Annotated[Path | None, typer.Option(
        "--ocds", dir_okay=False,
        help="Screen this file of OCDS compiled releases (JSON lines) instead of the graph.")
    ] = None,
    tender: Annotated[str | None, typer.Option(
        "--tender", help="Show only this tender's flags (tender id, or ocid with --ocds); the "
                         "fences are still those of every tender.")] = None,
    limit: Annotated[int, typer.Option(help="Flags listed in the table (0: none).")] = 40,
    settings_file: Annotated[Path | None, typer.Option(
        "--settings", dir_okay=False,
        help="Cardinal's settings.ini: only the indicators with a section run, with its "
             "thresholds, [exclusions] and procurementMethodDetails lists.")] = None,
) -> None:
    """Red flags R003 ... R058 with Cardinal's definitions and default fences, with evidence."""
    from riskgraph.models.screens.redflag_flag import INDICATORS, TITLES
    from riskgraph.models.screens.redflag_ocds import read_releases, tender_id
    from riskgraph.models.screens.redflag_settings import read_settings
    from riskgraph.models.screens.redflags import screen_releases

    cfg = read_settings(settings_file) if settings_file is not None else None
    when: str | None = None
    if ocds is not None:
        skipped: list[int] = []
        releases = list(read_releases(ocds, skipped))
        source = str(ocds)
        if skipped:
            shown = ", ".join(map(str, skipped[:10])) + (" …" if len(skipped) > 10 else "")
            typer.echo(f"{len(skipped):,} line(s) of {ocds} are not JSON objects and were "
                       f"skipped, as Cardinal skips them (lines {shown})", err=True)
    else:
        from riskgraph.graph.config import get_settings
        from riskgraph.graph.store import Store
        from riskgraph.graph.store.data_date import data_date
        from riskgraph.models.screens.redflag_graph import graph_releases

        settings = get_settings()
        with graph() as driver:
            releases = graph_releases(Store.open(driver, settings.neo4j_database))
            when = data_date(Store.open(driver, settings.neo4j_database)).isoformat()
        source = "graph"
    report = screen_releases(releases, cfg)
    if tender is not None:
        match = [r for r in releases if tender in (tender_id(r), r.get("ocid"))]
        if not match:
            raise NotFound(f"no tender {tender!r} in {source}")
        report = report.for_tender(match[0])
    if as_json:
        print(json.dumps({"source": source, "as_of": when, **report.to_dict()}, indent=1,
                         ensure_ascii=False, allow_nan=False))
        return
    console.print(f"{report.releases:,} contracting processes screened ({source}"
                  + (f", as of {when}" if when else "") + "); "
                  f"{len(report.flags):,} flags")
    counts = Table("indicator", "title", "flags", "processes", "tenderers", "other")
    for code in INDICATORS:
        groups = [f.group for f in report.flags if f.indicator == code]
        counts.add_row(code, TITLES[code], str(len(groups)), str(groups.count("OCID")),
                       str(groups.count("Tenderer")),
                       str(len(groups) - groups.count("OCID") - groups.count("Tenderer")))
    console.print(counts)
    if limit > 0 and report.flags:
        flags = Table("indicator", "group", "tender / party", "value")
        for f in report.flags[:limit]:
            who = f.tender_id if f.group == "OCID" and f.tender_id else f.id
            flags.add_row(f.indicator, f.group, who, f"{f.value:.4g}" if math.isfinite(f.value)
                          else "n/a (winning amount 0)")
        console.print(flags)
        if len(report.flags) > limit:
            console.print(f"… {len(report.flags) - limit:,} more (--limit, or --json for all, "
                          "with the Cypher that shows each flag)")
