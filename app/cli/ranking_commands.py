"""``riskgraph rank`` / ``runs`` / ``tiers``: reproducible ranking runs and tier history."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from riskgraph.app.cli.connection import AS_OF_HELP
from riskgraph.app.cli.connection import as_of as resolve_as_of
from riskgraph.app.cli.connection import store as open_store
from riskgraph.app.cli.engine_options import EngineOption, MasterOption, WorldOption, check_engine
from riskgraph.app.cli.output import FIRM_ID_HELP, console, print_table
from riskgraph.app.cli.rejects_output import report_rejects

if TYPE_CHECKING:
    from riskgraph.graph.store.runs import RankingRun
    from riskgraph.models.spark.ranking import SparkRun


def rank(
    as_of: Annotated[str | None, typer.Option("--as-of", help=AS_OF_HELP)] = None,
    tier_cutoffs: Annotated[str | None, typer.Option(
        "--tier-cutoffs", help="Calibrated-risk lower bounds, e.g. "
                               "average=0.12,high=0.25,critical=0.45 (docs/inspection-plans.md)."
    )] = None,
    version: Annotated[str | None, typer.Option(help="Model version (default: latest).")] = None,
    actor: Annotated[str, typer.Option(help="Who runs it (audit trail).")] = "cli",
    verify: Annotated[str | None, typer.Option(
        "--verify", help="Instead of ranking: recompute stored run RUN's digest.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run summary as JSON.")] = False,
    engine: EngineOption = "local",
    spark_master: MasterOption = "local[*]",
    world: WorldOption = None,
) -> None:
    """Score every active firm, assign tiers, store a RankingRun; print its id and digest."""
    from riskgraph.graph.config import get_settings
    from riskgraph.graph.store.runs import verify_run
    from riskgraph.models import rejects
    from riskgraph.models.accountability.ranking import create_run
    from riskgraph.models.risk.tiers import parse_cutoffs

    check_engine(engine, world)
    with open_store() as st:
        if verify:
            ok, digest = verify_run(st, verify)
            console.print(f"run {verify}: digest {digest} "
                          + ("[green]matches[/]" if ok else "[red]DOES NOT MATCH[/]"))
            raise typer.Exit(0 if ok else 1)
        cutoffs = parse_cutoffs(tier_cutoffs) if tier_cutoffs else None
        when = resolve_as_of(st.driver, as_of)
        run: RankingRun | SparkRun
        with rejects.collect() as left_out:
            if engine == "spark":
                from riskgraph.app.cli.engine_options import spark
                from riskgraph.app.cli.progress import phase
                from riskgraph.models.spark.ranking import create_run_spark

                with spark(spark_master) as session:
                    run = create_run_spark(st, session, as_of=when,
                                           version=version, cutoffs=cutoffs, actor=actor,
                                           world=world, phase=phase)
            else:
                run = create_run(st, as_of=when, version=version,
                                 cutoffs=cutoffs, actor=actor)
    summary = run.summary()
    home = get_settings().riskgraph_home
    if as_json:
        written = (rejects.write_csv(left_out, home / "rejects" / f"rank-{run.run_id}.csv")
                   if left_out else None)
        print(json.dumps({**summary, "rejected_rows": {
            "count": len(left_out), "first": [r for _, r in left_out[:rejects.FIRST]],
            "file": None if written is None else str(written)}}, indent=1))
        return
    report_rejects(left_out, home, f"rank-{run.run_id}")
    console.print(f"run id: {run.run_id}")
    console.print(f"digest: {run.digest}")
    console.print(f"{summary['firm_count']:,} firms as of {run.as_of}, model {run.model_version}, "
                  f"data {run.data_snapshot_sha256[:12]}, code {run.code_version[:12]}")
    console.print("tiers: " + ", ".join(f"{t} {n:,}" for t, n in summary["tiers"].items()))


def runs(limit: Annotated[int, typer.Option(help="How many (newest first).")] = 20) -> None:
    """List ranking runs."""
    from riskgraph.graph.store.runs import list_runs

    with open_store() as st:
        rows = list_runs(st, limit=limit)
    table = Table("run id", "created", "as of", "model", "firms", "status", "digest")
    for r in rows:
        table.add_row(r["run_id"], r["created_at"][:19], r["as_of"], r["model_version"],
                      f"{r['firms']:,}", r["status"], r["digest"][:16])
    print_table(table)


def tiers(
    uscc: Annotated[str, typer.Argument(help=FIRM_ID_HELP)],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """A firm's tier history across ranking runs (newest first)."""
    from riskgraph.graph.store.runs import tier_history

    with open_store() as st:
        rows = tier_history(st, uscc)
    if as_json:
        print(json.dumps(rows, indent=1, ensure_ascii=False))
        return
    if not rows:
        console.print(f"{uscc}: no assessment in any complete ranking run")
        return
    table = Table("run id", "as of", "risk", "tier", "rank", "top reason")
    for r in rows:
        top = r["reasons"][0]["text"] if r["reasons"] else "–"
        table.add_row(r["run_id"], r["as_of"], f"{r['risk']:.1%}", r["tier"],
                      f"{r['rank']:,} / {r['firms']:,}", top)
    print_table(table)


def audit(
    run: Annotated[str | None, typer.Option(help="Ranking run id (default: the latest).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the audit as JSON.")] = False,
    actor: Annotated[str, typer.Option(help="Who runs it (audit trail).")] = "cli",
) -> None:
    """Fairness audit of a run: selection, errors and risk by ownership, region, size, age."""
    from riskgraph.graph.store.runs import latest_run_id
    from riskgraph.models.accountability.fairness_report import group_label, run_audit

    with open_store() as st:
        run_id = run or latest_run_id(st)
        result, audit_id, folder = run_audit(st, run_id, actor=actor)
    if as_json:
        print(json.dumps({"audit_id": audit_id, **result.to_dict()}, indent=1,
                         ensure_ascii=False))
        return
    console.print(f"audit {audit_id} of run {run_id} (as of {result.as_of}): "
                  f"{len(result.flags)} flag(s)")
    for g in result.flags:
        console.print(f"  [red]flag[/] {g.attribute} = {group_label(g)}: {g.note}")
    for line in result.soft_merit.verdict:
        console.print(f"  {line}")
    console.print(f"report: {folder / 'fairness.html'} (and .md, .json, .png)")
