"""``riskgraph screen bid``: is any party to a bid barred from procurement at the tender date?"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from riskgraph.app.cli.connection import graph
from riskgraph.app.cli.disclosure_options import AgencyOption, RoleOption, audience_of
from riskgraph.app.cli.output import console
from riskgraph.graph.config import get_settings


def bid(
    tender: Annotated[str, typer.Option("--tender", help="The tender id.")],
    bid_id: Annotated[str | None, typer.Option("--bid", help="An existing bid's id.")] = None,
    member: Annotated[list[str] | None, typer.Option(
        "--member", help="A bidding firm's USCC (repeatable); instead of --bid.")] = None,
    supplier: Annotated[list[str] | None, typer.Option(
        "--supplier", help="A supplier's USCC listed in the bid (repeatable).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    role: RoleOption = "public",
    agency: AgencyOption = None,
) -> None:
    """Check every party of a bid (bidders, listed suppliers) for procurement bars (evidence
    written for --role, public by default; hidden bars still bar)."""
    from riskgraph.models.exposure.bid_screen import screen_bid

    readers = audience_of(role, agency)
    settings = get_settings()
    with graph() as driver:
        result = screen_bid(driver, tender, bid_id, member or [], supplier or [],
                            database=settings.neo4j_database, audience=readers)
    if as_json:
        print(result.to_json())
        return
    console.print(result.disclosure)
    verdict = "[bold red]BARRED[/]" if result.barred else "[green]no bar found[/]"
    console.print(f"tender {result.tender_id}, as of {result.as_of}"
                  f"{f', bid {result.bid_id}' if result.bid_id else ''}: {verdict}")
    table = Table("party", "role", "barred", "evidence")
    for p in result.parties:
        evidence = "\n".join(
            f"{b.reason}: record {b.record_id} ({b.kind}, {b.agency}, issued {b.issued_on}"
            f"{f', removed {b.removed_on}' if b.removed_on else ''})"
            + (f" — {b.person_name} [{b.person_id}], {b.person_role}" if b.person_id else "")
            for b in p.bars) + (f"\n{p.withheld} bar(s) withheld: records your role may "
                                "not see" if p.withheld else "") or "–"
        table.add_row(f"{p.name}\n{p.uscc}", p.role, "yes" if p.barred else "no", evidence)
    console.print(table)
