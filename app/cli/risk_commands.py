"""``riskgraph train`` / ``evaluate`` / ``explain``: the risk engine on the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from riskgraph.app.cli.connection import AS_OF_HELP, graph, parse_date
from riskgraph.app.cli.connection import as_of as resolve_as_of
from riskgraph.app.cli.output import FIRM_ID_HELP, console
from riskgraph.app.cli.rejects_output import report_rejects
from riskgraph.graph.config import get_settings
from riskgraph.graph.errors import BadInput


def train(
    as_of: Annotated[str | None, typer.Option(
        "--until", "--as-of",
        help="Cutoff date: outcomes up to it train (firm level: the last horizon calibrates). "
             "Default: 1 January of the year before the data end (firm level), the data end "
             "(inspection level).")] = None,
    level: Annotated[str, typer.Option(
        help="firm: firm-level risk as of a date (tiers); inspection: one example per "
             "inspection event, features as of the day before it.")] = "firm",
    horizon: Annotated[int, typer.Option(
        help="Firm level: days after a panel date whose inspections label it.")] = 365,
    stream: Annotated[list[str] | None, typer.Option(
        "--stream", help="Train on outcomes of this stream only (random, targeted, routine, "
                         "complaint, follow_up); repeatable. Default: every stream.")] = None,
    without: Annotated[list[str] | None, typer.Option(
        "--without", help="Leave a feature group out (own, attributes, people, group, supply, "
                          "bidding, position, merits); repeatable.")] = None,
    records: Annotated[list[Path] | None, typer.Option(
        "--records", help="Inspection level: train only on the inspections whose record_id "
                          "this table lists; repeatable.")] = None,
    event_features: Annotated[list[Path] | None, typer.Option(
        "--event-features", help="Inspection level: the inspection's own columns (CSV/Parquet: "
                                 "record_id, numeric or text columns); repeatable.")] = None,
    weighting: Annotated[str, typer.Option(
        help="Targeted-inspection bias correction: ipw | random | none.")] = "ipw",
    include_soft: Annotated[bool, typer.Option(
        "--include-soft-merits", help="Also use donations, honours, redlists and political "
                                      "links (off by default; see docs/model-card.md).")] = False,
    features: Annotated[list[Path] | None, typer.Option(
        "--features", help="Your own per-firm feature table (CSV/Parquet: uscc, date, numeric "
                           "columns); repeatable.")] = None,
    outcomes: Annotated[list[Path] | None, typer.Option(
        "--outcomes", help="Your own inspection outcomes (CSV/Parquet: uscc, date, outcome"
                           "[, stream]); repeatable.")] = None,
) -> None:
    """Train the inspection-outcome models and save a versioned artifact."""
    from riskgraph.graph.snapshot import Snapshot
    from riskgraph.models import rejects
    from riskgraph.models.risk.artifact import save_artifact
    from riskgraph.models.risk.train_config import TrainConfig
    from riskgraph.models.risk.training import train as fit

    settings = get_settings()
    with graph() as driver:
        snap = Snapshot.from_neo4j(driver, settings.neo4j_database)
    with rejects.collect() as left_out:
        art = fit(snap, TrainConfig(as_of=parse_date(as_of, "until"), weighting=weighting,
                                    include_soft=include_soft,
                                    user_feature_files=features or [],
                                    user_outcome_files=outcomes or [], horizon=horizon,
                                    streams=stream or None, without_groups=without or [],
                                    level=level, event_feature_files=event_features or [],
                                    record_files=records or []))
    folder = save_artifact(art, settings.riskgraph_home)
    console.print(f"model {art.version} ({art.metadata['level']} level) saved in {folder}")
    for o in art.metadata.get("omitted_components", []):
        console.print(f"[yellow]left out: {o['component']}[/] — {o['reason']}")
    report_rejects(left_out, settings.riskgraph_home, f"train-{art.version}")
    table = Table("target", "examples", "positives", "calibration AUC (random stream)")
    for target, m in art.metadata["metrics"].items():
        auc = m["calibration_auc"]
        table.add_row(target, str(m["training_examples"]), str(m["training_positives"]),
                      "–" if auc is None else f"{auc:.3f}")
    console.print(table)


def evaluate(
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    version: Annotated[str | None, typer.Option(help="Model version (default: latest).")] = None,
    level: Annotated[str, typer.Option(
        help="Which latest model to evaluate when no --version: firm or inspection.")] = "firm",
    date_from: Annotated[str | None, typer.Option(
        "--from", help="Evaluate on outcomes from this date (with --to; any length).")] = None,
    date_to: Annotated[str | None, typer.Option(
        "--to", help="... to this date, inclusive.")] = None,
    stream: Annotated[list[str] | None, typer.Option(
        "--stream", help="Evaluate on this stream (repeatable). Default: random, or every "
                         "stream present when the window has no random inspection; the "
                         "report states the bias.")] = None,
    predictions: Annotated[Path | None, typer.Option(
        help="Write every example's score to this CSV.")] = None,
    target: Annotated[str, typer.Option(
        help="Inspection level: violation or serious (which model heads the report).")
    ] = "violation",
    records: Annotated[list[Path] | None, typer.Option(
        "--records", help="Inspection level: evaluate only on the inspections whose record_id "
                          "this table (CSV/Parquet) lists; repeatable.")] = None,
    ground_truth: Annotated[Path | None, typer.Option(
        help="A world's ground_truth.json (default: beside the last loaded world).")] = None,
) -> None:
    """Evaluate the model on the later random-inspection stream; write the report."""
    from riskgraph.graph.snapshot import Snapshot, list_load_batches
    from riskgraph.models import rejects
    from riskgraph.models.risk.artifact import load_artifact
    from riskgraph.models.risk.evaluation import evaluate as run

    settings = get_settings()
    frm, to = parse_date(date_from, "from"), parse_date(date_to, "to")
    if (frm is None) != (to is None):
        raise BadInput("--from and --to go together: give both, or neither for the model's "
                       "own evaluation windows")
    window = (frm, to) if frm is not None and to is not None else None
    art = load_artifact(settings.riskgraph_home, version, level=level)
    with graph() as driver:
        snap = Snapshot.from_neo4j(driver, settings.neo4j_database)
        if ground_truth is None:
            for batch in list_load_batches(driver, settings.neo4j_database):
                candidate = Path(str(batch.get("directory") or "")) / "ground_truth.json"
                if candidate.is_file():
                    ground_truth = candidate
                    break
    if ground_truth is not None and not ground_truth.is_file():
        raise BadInput(f"{ground_truth} is not a file")
    out_dir = settings.riskgraph_home / "reports" / art.version
    with rejects.collect() as left_out:
        result = run(snap, art, ground_truth, out_dir, window, stream or None, predictions,
                     target, records or [])
    if as_json:
        written = (rejects.write_csv(left_out, settings.riskgraph_home / "rejects"
                                     / f"evaluate-{art.version}.csv") if left_out else None)
        result["rejected_rows"] = {"count": len(left_out),
                                   "first": [r for _, r in left_out[:rejects.FIRST]],
                                   "file": None if written is None else str(written)}
        print(json.dumps(_summary(result), indent=1))
        return
    report_rejects(left_out, settings.riskgraph_home, f"evaluate-{art.version}")
    if result.get("evaluation_stream") != "random":
        console.print(f"[yellow]not the random stream:[/] {result['stream_bias']}")
    console.print(f"report: {out_dir / 'evaluation.html'} (and .md, .json)")
    console.print((out_dir / "evaluation.md").read_text(encoding="utf-8"))


def _summary(result: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in result.items()}


def explain(
    uscc: Annotated[str, typer.Argument(help=FIRM_ID_HELP)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the explanation as JSON.")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help=AS_OF_HELP)] = None,
    version: Annotated[str | None, typer.Option(help="Model version (default: latest).")] = None,
    links: Annotated[bool, typer.Option(
        "--links", help="Also print a Neo4j Browser link under each reason's evidence.")] = False,
) -> None:
    """Explain one firm's risk in plain words: reasons with the records behind them, the
    scorecards, and which records an objection would have to remove."""
    from riskgraph.graph.store import Store
    from riskgraph.models.risk.explain import EVIDENCE_LIMIT
    from riskgraph.models.risk.explain import explain as run

    settings = get_settings()
    with graph() as driver:
        when = resolve_as_of(driver, as_of)
        exp = run(Store.open(driver, settings.neo4j_database), uscc, when, version,
                  settings.riskgraph_home)
    if as_json:
        print(exp.to_json())
        return
    console.print(f"[bold]{exp.name}[/] ({exp.uscc}, {exp.region})")
    console.print(f"as of {exp.as_of}; model {exp.model_version}")
    console.print(f"risk that an inspection finds a violation: [bold]{exp.risk:.1%}[/] "
                  f"(tier {exp.tier}); a serious violation: "
                  f"{'not modelled' if exp.serious_risk is None else f'{exp.serious_risk:.1%}'}")
    zj, tax = exp.scorecards["zhejiang"], exp.scorecards["tax"]
    console.print(f"scorecards: provincial {zj['score']} points (grade {zj['grade']}), tax "
                  f"grade {tax['grade']} ({tax['score']} points)")
    console.print("why:" if exp.reasons else "why: no feature raises its risk noticeably")
    for k, r in enumerate(exp.reasons, 1):
        plain = f": {r.plain}" if r.plain else ""
        console.print(f"{k}. {r.text.rstrip('.')}{plain} [dim](+{r.contribution:.2f} "
                      "log-odds)[/]")
        for ev in r.evidence[:EVIDENCE_LIMIT]:
            console.print(f"   - {ev.text}")
        if len(r.evidence) > EVIDENCE_LIMIT:
            console.print(f"   - … and {len(r.evidence) - EVIDENCE_LIMIT} more (--json lists "
                          "every one)")
        link = _reason_link(r) if links else ""
        if link:
            console.print(f"   [dim]Browser: {link}[/]")
    console.print(f"objection: {exp.counterfactual.statement}")
    if not links:
        console.print("[dim](--links adds a Neo4j Browser link per reason; --json gives "
                      "everything, with the Cypher)[/]")


def _reason_link(reason: Any) -> str:
    """One Browser link for a reason: all its cited records drawn together, else the link of
    its first evidence line (graph evidence without records)."""
    from riskgraph.graph.browser_links import browser_link

    ids = [rid for ev in reason.evidence for rid in ev.record_ids]
    if ids:
        return browser_link("explain/show_records", {"record_ids": ids})
    return next((ev.browser_url for ev in reason.evidence if ev.browser_url), "")


def model_card(
    version: Annotated[str | None, typer.Option(help="Model version (default: latest).")] = None,
    level: Annotated[str, typer.Option(
        help="Which latest model when no --version: firm or inspection.")] = "firm",
) -> None:
    """Write the model card (Markdown) of a model version beside its artifact."""
    from riskgraph.graph.snapshot import Snapshot
    from riskgraph.models.risk.artifact import load_artifact
    from riskgraph.models.risk.model_card import write_model_card

    settings = get_settings()
    art = load_artifact(settings.riskgraph_home, version, level=level)
    with graph() as driver:
        snap = Snapshot.from_neo4j(driver, settings.neo4j_database)
    path = write_model_card(snap, art, settings.riskgraph_home)
    console.print(f"model card: {path}")
