"""``riskgraph objection file | transition | show | list`` and ``riskgraph repair``."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from riskgraph.app.cache import invalidating
from riskgraph.app.cli.connection import parse_date, store
from riskgraph.app.cli.flags import named_by_flags
from riskgraph.app.cli.output import console

if TYPE_CHECKING:
    from riskgraph.graph.store import Store

app = typer.Typer(help="Objections: a firm contests a record or its ranking; people decide.",
                  no_args_is_help=True)


@app.command("file")
@invalidating
def file_(
    firm: Annotated[str, typer.Option(help="USCC of the objecting firm.")],
    grounds: Annotated[str, typer.Option(help="Why the firm contests it.")],
    record: Annotated[str | None, typer.Option(help="The contested credit record id.")] = None,
    run: Annotated[str | None, typer.Option(help="Or: the contested ranking run id.")] = None,
    actor: Annotated[str, typer.Option(help="Who files it.")] = "firm",
) -> None:
    """File an objection against a credit record or a ranking."""
    from riskgraph.models.accountability.objections import file_objection

    with store() as st, named_by_flags(uscc="--firm", record_id="--record", run_id="--run"):
        o = file_objection(st, uscc=firm, grounds=grounds, filed_by=actor,
                           record_id=record, run_id=run)
    console.print(f"objection {o.objection_id} filed ({o.subject} "
                  f"{o.record_id or o.run_id}); state {o.state}")


@app.command("transition")
@invalidating
def transition(
    objection_id: Annotated[str, typer.Argument(help="Objection id.")],
    to: Annotated[str, typer.Option(
        help="accepted | rejected | under_review | upheld | overturned | published")],
    reason: Annotated[str, typer.Option(help="Why (kept with the transition).")],
    actor: Annotated[str, typer.Option(help="Who decides.")] = "reviewer",
    rescore: Annotated[bool, typer.Option(
        help="After an overturn, re-score in a new ranking run and show the firm's reasons "
             "before and after.")] = True,
) -> None:
    """Move an objection to its next state (illegal moves are refused, nothing changes)."""
    from riskgraph.models.accountability.objections import transition as run

    with store() as st:
        before = _latest_assessment(st, objection_id) if to == "overturned" else None
        with named_by_flags(to_state="--to", objection_id="OBJECTION_ID"):
            o = run(st, objection_id, to, actor=actor, reason=reason)
        console.print(f"objection {o.objection_id}: {o.transitions[-2]['to_state']} → "
                      f"{o.state}")
        if to == "overturned" and rescore:
            _rescore(st, o.uscc, o.objection_id, actor, before)


def _latest_assessment(st: Store, objection_id: str) -> dict[str, Any] | None:
    from riskgraph.graph.store.objections import get_objection
    from riskgraph.graph.store.runs import tier_history

    o = get_objection(st, objection_id)
    history = tier_history(st, o.uscc)
    return history[0] if history else None


def _rescore(st: Store, uscc: str, objection_id: str, actor: str,
             before: dict[str, Any] | None) -> None:
    from riskgraph.models.accountability.ranking import create_run, reasons_of

    run = create_run(st, actor=actor,
                     reason=f"re-score after objection {objection_id} was overturned")
    after = reasons_of(run.firms, uscc)
    console.print(f"re-scored in run {run.run_id} (digest {run.digest[:16]})")
    table = Table("", "risk", "tier", "rank", "top reasons")
    if before is not None:
        table.add_row(f"before ({before['run_id']})", f"{before['risk']:.1%}",
                      str(before["tier"]), str(before["rank"]),
                      "\n".join(str(r["text"]) for r in before["reasons"]))
    if after is not None:
        table.add_row(f"after ({run.run_id})", f"{after.risk:.1%}", after.tier,
                      str(after.rank), "\n".join(str(r["text"]) for r in after.reasons))
    console.print(table)


@app.command("show")
def show(
    objection_id: Annotated[str, typer.Argument(help="Objection id.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """An objection with every transition (when, who, why)."""
    from riskgraph.graph.store.objections import get_objection

    with store() as s:
        o = get_objection(s, objection_id)
    if as_json:
        print(json.dumps(asdict(o), indent=1, ensure_ascii=False))
        return
    console.print(f"objection {o.objection_id} by {o.uscc} against {o.subject} "
                  f"{o.record_id or o.run_id}: [bold]{o.state}[/]")
    console.print(f"grounds: {o.grounds}")
    table = Table("#", "from", "to", "when", "who", "why")
    for t in o.transitions:
        table.add_row(str(t["seq"]), t["from_state"] or "", t["to_state"], t["at"][:19],
                      t["actor"], t["reason"])
    console.print(table)


@app.command("list")
def list_(
    firm: Annotated[str | None, typer.Option(help="Only this firm's.")] = None,
    state: Annotated[str | None, typer.Option(help="Only in this state.")] = None,
    limit: Annotated[int, typer.Option()] = 100,
) -> None:
    """Objections, newest first."""
    from riskgraph.models.accountability.objections import list_objections

    with store() as s:
        rows = list_objections(s, uscc=firm, state=state, limit=limit)
    table = Table("objection", "firm", "subject", "state", "filed", "updated")
    for r in rows:
        table.add_row(r["objection_id"], r["uscc"],
                      f"{r['subject']} {r['record_id'] or r['run_id']}", r["state"],
                      r["filed_at"][:19], r["updated_at"][:19])
    console.print(table)


def repair(
    record_id: Annotated[str, typer.Argument(help="The listing (credit record) to end early.")],
    reason: Annotated[str, typer.Option(help="The agency's reason (conduct corrected, ...).")],
    on: Annotated[str | None, typer.Option("--date", help="Repair date (default today).")
                  ] = None,
    min_months: Annotated[str, typer.Option(
        help="Minimum listing months by severity, e.g. general=3,serious=12,"
             "particularly_serious=36 (the defaults).")] = "",
    actor: Annotated[str, typer.Option(help="Who decides (audit trail).")] = "agency",
) -> None:
    """Credit repair: end a blacklisting early, never before its minimum listing period."""
    from riskgraph.models.accountability.credit_repair import parse_min_months
    from riskgraph.models.accountability.credit_repair import repair as run

    with store() as s, named_by_flags(record_id="RECORD_ID", on="--date"):
        day = run(s, record_id, on=parse_date(on) or dt.date.today(), actor=actor,
                  reason=reason, min_months=parse_min_months(min_months))
    console.print(f"{record_id} repaired: no longer listed from {day}")
