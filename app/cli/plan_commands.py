"""``riskgraph plan`` / ``record-outcome`` / ``publish-outcome``: double-random plans."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from riskgraph.app.cli.connection import parse_date
from riskgraph.app.cli.connection import store as open_store
from riskgraph.app.cli.flags import named_by_flags
from riskgraph.app.cli.output import console, print_table
from riskgraph.graph.config import get_settings


def _rates(text: str | None) -> dict[str, float]:
    from riskgraph.models.accountability.planning import DEFAULT_RATES
    from riskgraph.models.name_values import parse_name_numbers

    given = parse_name_numbers(text or "", lambda part: f"--tier-rates: {part!r} is not tier=rate")
    return {**DEFAULT_RATES, **given}


def plan(
    run: Annotated[str | None, typer.Option(help="Ranking run id (default: the latest).")] = None,
    capacity: Annotated[int, typer.Option(help="Inspections the plan may hold.")] = 200,
    seed: Annotated[int, typer.Option(help="Seed of the lot (same seed → same plan).")] = 1,
    region: Annotated[str, typer.Option(help="GB/T 2260 region code prefix (e.g. 33).")] = "",
    out: Annotated[Path | None, typer.Option(
        help="CSV file to write (the per-inspector HTML goes beside it). Default: "
             "<state>/plans/<plan id>.csv")] = None,
    random_share: Annotated[float, typer.Option(
        help="Share of capacity drawn uniformly from all firms (double random).")] = 0.2,
    tier_rates: Annotated[str | None, typer.Option(
        help="Override tier rates, e.g. critical=0.98,high=0.3,average=0.03,low=0.005")] = None,
    team: Annotated[int, typer.Option(help="Inspectors per inspection.")] = 2,
    per_inspector: Annotated[int | None, typer.Option(
        help="Inspections per inspector (default: 1.5 × the even share).")] = None,
    plan_date: Annotated[str | None, typer.Option(
        "--date", help="Plan date for conflict checks (default: the run's as-of).")] = None,
    actor: Annotated[str, typer.Option(help="Who makes the plan (audit trail).")] = "cli",
) -> None:
    """Draw an inspection plan from a ranking run: tier rates + a guaranteed random share."""
    from riskgraph.graph.store.plans import inspector_names
    from riskgraph.graph.store.runs import latest_run_id
    from riskgraph.models.accountability.plan_export import stream_counts, write_plan_files
    from riskgraph.models.accountability.plan_store import plan_from_run, store_plan
    from riskgraph.models.accountability.planning import PlanParams

    params = PlanParams(capacity=capacity, seed=seed, region=region.strip(),
                        rates=_rates(tier_rates), random_share=random_share, team=team,
                        per_inspector=per_inspector)
    with open_store() as st:
        store = st
        run_id = run or latest_run_id(store)
        drawn, when = plan_from_run(store, run_id, params, parse_date(plan_date))
        plan_id = store_plan(store, run_id, drawn, when, actor)
        names = inspector_names(store)
    target = out or get_settings().riskgraph_home / "plans" / f"{plan_id}.csv"
    csv_path, html_path = write_plan_files(drawn, target, plan_id=plan_id, run_id=run_id,
                                           plan_date=when.isoformat(), inspector_names=names)
    s = drawn.summary()
    if drawn.message:
        console.print(f"[yellow]{drawn.message}[/]")
    console.print(f"plan id: {plan_id} (from run {run_id}, as of {when})")
    console.print(f"digest: {drawn.digest}")
    console.print(f"{s['inspections']} inspections of {s['scope_firms']:,} firms in scope: "
                  + stream_counts(drawn)
                  + f"; {s['unassigned']} unassigned")
    table = Table("tier", "tier-stream quota", "effective rate")
    for t, r in s["effective_rates"].items():
        table.add_row(t, str(s["quotas"].get(t, 0)), f"{r:.2%}")
    console.print(table)
    console.print(f"written: {csv_path} and {html_path}")


def record_outcome(
    plan_id: Annotated[str, typer.Option("--plan", help="Inspection plan id.")],
    firm: Annotated[str, typer.Option(help="USCC of the inspected firm.")],
    outcome: Annotated[str, typer.Option(
        help="no_violation | violation | serious_violation")],
    on: Annotated[str | None, typer.Option(
        "--date", help="Inspection date (default: today).")] = None,
    inspector: Annotated[str | None, typer.Option(
        help="Inspector id (default: the team's first).")] = None,
    publish: Annotated[bool, typer.Option(
        help="Publish at once (public record); otherwise agency-shared until published.")
    ] = False,
    actor: Annotated[str, typer.Option(help="Who records it (audit trail).")] = "cli",
) -> None:
    """Record a planned inspection's result as an inspection credit record."""
    from riskgraph.models.accountability.plan_store import record_outcome as run

    with open_store() as st, named_by_flags(plan_id="--plan", uscc="--firm", on="--date",
                                            inspector_id="--inspector"):
        record_id = run(st, plan_id=plan_id, uscc=firm, outcome=outcome,
                        on=parse_date(on) or dt.date.today(), inspector_id=inspector,
                        publish=publish, actor=actor)
    console.print(f"recorded {record_id} ({outcome}"
                  + (", public" if publish else ", agency-shared until published") + ")")


def publish_outcome(
    record_id: Annotated[str, typer.Argument(help="The inspection record to publish.")],
    actor: Annotated[str, typer.Option(help="Who publishes it (audit trail).")] = "cli",
) -> None:
    """Publish a recorded inspection result: it becomes a public credit record."""
    from riskgraph.graph.store.records import publish_record

    with open_store() as st:
        publish_record(st, record_id, actor)
    console.print(f"{record_id} is public")


def show_plan(
    plan_id: Annotated[str, typer.Argument(help="Inspection plan id.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """A stored plan: parameters, summary and inspections."""
    from riskgraph.graph.store.plans import get_plan, plan_inspections

    with open_store() as st:
        store = st
        meta = get_plan(store, plan_id)
        rows = plan_inspections(store, plan_id)
    if as_json:
        print(json.dumps({**meta, "inspections": rows}, indent=1, ensure_ascii=False))
        return
    console.print(f"plan {plan_id}: run {meta['run_id']}, date {meta['plan_date']}, seed "
                  f"{meta['seed']}, capacity {meta['capacity']}, digest {meta['digest']}")
    table = Table("#", "firm", "stream", "tier", "inspectors", "status", "outcome")
    for r in rows:
        table.add_row(str(r["order"]), f"{r['uscc']} {r['name'] or ''}", r["stream"],
                      r["tier"], ", ".join(r["inspector_ids"] or []), r["status"],
                      r["outcome"] or "")
    print_table(table)
