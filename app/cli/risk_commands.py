"""``riskgraph train`` / ``evaluate`` / ``explain``: the risk engine on the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from app.cli.connection import AS_OF_HELP, graph, parse_date
from app.cli.connection import as_of as resolve_as_of
from app.cli.output import console
from graph.config import get_settings
from graph.errors import BadInput


def train(
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="Cutoff date: outcomes before it train (the last 12 months calibrate). "
                        "Default: 1 January of the year before the data end.")] = None,
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
    from graph.snapshot import Snapshot
    from models.training import TrainConfig, save_artifact
    from models.training import train as fit

    settings = get_settings()
    with graph() as driver:
        snap = Snapshot.from_neo4j(driver, settings.neo4j_database)
    art = fit(snap, TrainConfig(as_of=parse_date(as_of, "as-of"), weighting=weighting,
                                include_soft=include_soft,
                                user_feature_files=features or [],
                                user_outcome_files=outcomes or []))
    folder = save_artifact(art, settings.riskgraph_home)
    console.print(f"model {art.version} saved in {folder}")
    table = Table("target", "examples", "positives", "calibration AUC (random stream)")
    for target, m in art.metadata["metrics"].items():
        auc = m["calibration_auc"]
        table.add_row(target, str(m["training_examples"]), str(m["training_positives"]),
                      "–" if auc is None else f"{auc:.3f}")
    console.print(table)


def evaluate(
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    version: Annotated[str | None, typer.Option(help="Model version (default: latest).")] = None,
    ground_truth: Annotated[Path | None, typer.Option(
        help="A world's ground_truth.json (default: beside the last loaded world).")] = None,
) -> None:
    """Evaluate the model on the later random-inspection stream; write the report."""
    from graph.snapshot import Snapshot, list_load_batches
    from models.evaluation import evaluate as run
    from models.training import load_artifact

    settings = get_settings()
    art = load_artifact(settings.riskgraph_home, version)
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
    result = run(snap, art, ground_truth, out_dir)
    if as_json:
        print(json.dumps(_summary(result), indent=1))
        return
    console.print(f"report: {out_dir / 'evaluation.html'} (and .md, .json)")
    console.print((out_dir / "evaluation.md").read_text(encoding="utf-8"))


def _summary(result: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in result.items()}


def explain(
    uscc: Annotated[str, typer.Argument(help="The firm's Unified Social Credit Code.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the explanation as JSON.")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help=AS_OF_HELP)] = None,
    version: Annotated[str | None, typer.Option(help="Model version (default: latest).")] = None,
    links: Annotated[bool, typer.Option(
        "--links", help="Also print a Neo4j Browser link under each reason's evidence.")] = False,
) -> None:
    """Explain one firm's risk in plain words: reasons with the records behind them, the
    scorecards, and which records an objection would have to remove."""
    from models.explain import EVIDENCE_LIMIT
    from models.explain import explain as run

    settings = get_settings()
    with graph() as driver:
        when = resolve_as_of(driver, as_of)
        exp = run(driver, uscc, when, version, settings.riskgraph_home,
                  settings.neo4j_database)
    if as_json:
        print(exp.to_json())
        return
    console.print(f"[bold]{exp.name}[/] ({exp.uscc}, {exp.region})")
    console.print(f"as of {exp.as_of}; model {exp.model_version}")
    console.print(f"risk that an inspection finds a violation: [bold]{exp.risk:.1%}[/] "
                  f"(tier {exp.tier}); a serious violation: {exp.serious_risk:.1%}")
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
    from graph.browser_links import browser_link

    ids = [rid for ev in reason.evidence for rid in ev.record_ids]
    if ids:
        return browser_link("explain/show_records", {"record_ids": ids})
    return next((ev.browser_url for ev in reason.evidence if ev.browser_url), "")


def model_card(
    version: Annotated[str | None, typer.Option(help="Model version (default: latest).")] = None,
) -> None:
    """Write the model card (Markdown) of a model version beside its artifact."""
    from graph.snapshot import Snapshot
    from models.model_card import write_model_card
    from models.training import load_artifact

    settings = get_settings()
    art = load_artifact(settings.riskgraph_home, version)
    with graph() as driver:
        snap = Snapshot.from_neo4j(driver, settings.neo4j_database)
    path = write_model_card(snap, art, settings.riskgraph_home)
    console.print(f"model card: {path}")
