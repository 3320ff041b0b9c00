"""``riskgraph screen cartels``: joint-bid collusion screens, optionally evaluated."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from app.cli.connection import graph
from app.cli.output import console
from graph.config import get_settings
from graph.data_date import data_date
from models.screens.cartels import DEFAULT_HOPS, DEFAULT_THRESHOLD


def cartels(
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    evaluate: Annotated[bool, typer.Option(
        "--evaluate", help="Compare the flagged groups with the planted cartels of the last "
                           "loaded synthetic world (precision, recall).")] = False,
    threshold: Annotated[float, typer.Option(
        help="Cartel score at which a co-bidding group is flagged (0..1).")] = DEFAULT_THRESHOLD,
    hops: Annotated[int, typer.Option(
        help="Longest people / ownership path between linked bidders (1..4).")] = DEFAULT_HOPS,
    family: Annotated[bool, typer.Option(
        "--family/--no-family", help="Let links run through FAMILY_OF / ASSOCIATE_OF ties "
                                     "between people.")] = True,
    ground_truth: Annotated[Path | None, typer.Option(
        help="With --evaluate: a world's ground_truth.json (default: beside the last loaded "
             "world).")] = None,
) -> None:
    """Co-bidding groups with rotating wins and cover bids, linked and blacklisted bidders."""
    from models.screens.cartel_evaluation import (
        evaluate_report,
        find_ground_truth,
        planted_cartels,
    )
    from models.screens.cartels import CartelConfig, screen_cartels

    cfg = CartelConfig(threshold=threshold, hops=hops, family=family).check()
    settings = get_settings()
    with graph() as driver:
        truth = (ground_truth or find_ground_truth(driver, settings.neo4j_database)
                 if evaluate else None)
        cartels_planted = planted_cartels(truth) if truth is not None else []
        report = screen_cartels(driver, cfg, settings.neo4j_database)
        when = data_date(driver, settings.neo4j_database)
    if truth is not None:
        result = evaluate_report(report, cartels_planted)
        result["ground_truth"] = str(truth)
        result["as_of"] = when.isoformat()
        if as_json:
            print(json.dumps(result, indent=1))
            return
        console.print(f"ground truth: {truth}; as of {when}")
        console.print(f"threshold {result['threshold']}: firm-level precision "
                      f"{result['precision']:.3f}, recall {result['recall']:.3f} "
                      f"({result['true_positive_firms']} of {result['flagged_firms']} flagged "
                      f"firms, {result['planted_firms']} planted); group-level precision "
                      f"{result['group_precision']:.3f}, recall {result['group_recall']:.3f}")
        return
    if as_json:
        print(json.dumps({"as_of": when.isoformat(), **report.to_dict()}, indent=1,
                         ensure_ascii=False))
        return
    console.print(f"as of {when}: {report.tenders_screened:,} competitive tenders screened; "
                  f"{len(report.groups)} co-bidding groups scored, {len(report.flagged)} "
                  f"flagged at threshold {cfg.threshold}")
    table = Table("group", "score", "firms", "tenders", "won", "even", "cover", "links",
                  "banned")
    for g in report.flagged:
        d = g.to_dict()["statistics"]
        table.add_row(g.group_id, f"{g.score:.2f}", str(len(g.stats.members)),
                      str(d["group_tenders"]), f"{d['member_win_share']:.0%}",
                      f"{d['evenness']:.2f}",
                      "–" if g.cover is None else f"{g.cover:.0%}", str(len(g.links)),
                      str(len(g.blacklisted)))
    console.print(table)
    console.print(f"{len(report.linked_bidders)} pair(s) of competing bidders linked through "
                  f"people or ownership within {cfg.hops} hops; {len(report.blacklisted_bids)} "
                  "bid(s) with a blacklisted party. Use --json for the evidence and the Cypher.")
