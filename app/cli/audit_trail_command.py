"""``riskgraph audit-trail``: the append-only log of runs, plans, outcomes and decisions."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from riskgraph.app.cli.connection import store as open_store
from riskgraph.app.cli.output import console


def audit_trail(
    subject: Annotated[str | None, typer.Option(help="Only events about this id.")] = None,
    action: Annotated[str | None, typer.Option(help="Only this action.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many (oldest first).")] = 100,
    verify: Annotated[bool, typer.Option(
        help="Check the whole hash chain (edited, missing or reordered events) and check it "
             "against the signed anchors outside the database (a rebuilt chain).")] = False,
    anchor: Annotated[bool, typer.Option(
        help="Anchor the newest event now (signed, in <RISKGRAPH_HOME>/audit).")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show audit events (who, what, when, before/after), or verify the chain."""
    from riskgraph.graph.store.audit import anchor_head, list_events, verify_anchored

    with open_store() as st:
        if anchor:
            head = anchor_head(st)
            console.print(f"anchored event {head.seq} ({head.hash[:16]}…)" if head
                          else "no events to anchor")
            return
        if verify:
            checked, problems = verify_anchored(st)
            for p in problems:
                console.print(f"[red]{p}[/]")
            console.print(f"{checked} event(s) checked: "
                          + ("[green]chain intact[/]" if not problems
                             else f"[red]{len(problems)} problem(s)[/]"))
            raise typer.Exit(1 if problems else 0)
        events = list_events(st, subject_id=subject, action=action, limit=limit)
    if as_json:
        print(json.dumps([e.to_dict() for e in events], indent=1, ensure_ascii=False))
        return
    table = Table("seq", "when", "who", "action", "subject", "reason")
    for e in events:
        table.add_row(str(e.seq), e.at[:19], e.actor, e.action,
                      f"{e.subject_type} {e.subject_id}", e.reason[:60])
    console.print(table)
