"""``riskgraph screen cartels``: joint-bid collusion screens, optionally evaluated."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from riskgraph.app.cli.connection import graph
from riskgraph.app.cli.disclosure_options import AgencyOption, RoleOption, audience_of
from riskgraph.app.cli.output import console
from riskgraph.graph.config import get_settings
from riskgraph.graph.errors import BadInput
from riskgraph.graph.store import Store
from riskgraph.graph.store.data_date import data_date
from riskgraph.models.disclosure import cartel_report_for
from riskgraph.models.screens.cartel_data import visibly_blacklisted
from riskgraph.models.screens.cartels import DEFAULT_HOPS, DEFAULT_THRESHOLD


def cartels(
    evaluate_file: Annotated[Path | None, typer.Argument(
        metavar="[LABELS]", help="With --evaluate: a labels CSV (level,id[,label][,case]) to "
                                 "evaluate against, as with --labels.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    evaluate: Annotated[bool, typer.Option(
        "--evaluate", help="With a labels CSV (--evaluate FILE or --labels FILE): precision, "
                           "recall, F1 and ROC AUC of the unsupervised screen, the price "
                           "screens and the model under firm- and time-grouped "
                           "cross-validation. Without: the flagged groups against the planted "
                           "cartels of the last loaded synthetic world.")] = False,
    labels: Annotated[Path | None, typer.Option(
        help="A CSV of confirmed tenders / firms (level,id[,label][,case]): train a random "
             "forest on the screens + graph features and add its out-of-fold scores.")] = None,
    min_shared: Annotated[int, typer.Option(
        help="Separate co-bids a pair needs to be linked in the co-bidding graph.")] = 3,
    min_tenders: Annotated[int, typer.Option(
        help="Group tenders a co-bidding group needs to be scored.")] = 4,
    min_group_size: Annotated[int, typer.Option(help="Smallest group scored.")] = 2,
    cover_quantile: Annotated[float, typer.Option(
        help="Cover band: this quantile of the market's loser premiums over the winner.")
    ] = 0.75,
    cover_band: Annotated[float | None, typer.Option(
        help="A fixed cover band instead (e.g. 0.10, the old rule).")] = None,
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
    role: RoleOption = "public",
    agency: AgencyOption = None,
) -> None:
    """Co-bidding groups with rotating wins and cover bids, linked and blacklisted bidders
    (written for --role, public by default: see docs/api-security.md)."""
    from riskgraph.models.screens.cartel_evaluation import (
        evaluate_report,
        find_ground_truth,
        planted_cartels,
    )
    from riskgraph.models.screens.cartel_labels import read_labels
    from riskgraph.models.screens.cartels import CartelConfig, screen_cartels

    if evaluate_file is not None and not evaluate:
        raise BadInput(f"unexpected argument {evaluate_file}: a labels file goes after "
                       "--evaluate or --labels")
    if evaluate_file is not None and labels is not None and evaluate_file != labels:
        raise BadInput("give the labels file once (--evaluate FILE or --labels FILE)")
    labels_file = evaluate_file or labels
    known = read_labels(labels_file) if labels_file is not None else None
    cfg = CartelConfig(threshold=threshold, hops=hops, family=family, min_shared=min_shared,
                       min_tenders=min_tenders, min_group_size=min_group_size,
                       cover_quantile=cover_quantile, cover_band=cover_band).check()
    readers = audience_of(role, agency)
    settings = get_settings()
    with graph() as driver:
        store = Store.open(driver, settings.neo4j_database)
        truth = (ground_truth or find_ground_truth(store)
                 if evaluate and known is None else None)
        cartels_planted = planted_cartels(truth) if truth is not None else []
        report = screen_cartels(store, cfg)
        when = data_date(Store.open(driver, settings.neo4j_database))
        named = visibly_blacklisted(store, {m for g in report.groups for m in g.blacklisted},
                                    cfg.blacklist_kinds, readers.disclosures, readers.agencies)
    if known is not None:
        _learned(report, known, evaluate, as_json)
        return
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
        doc = cartel_report_for(report.to_dict(), readers, named)
        print(json.dumps({"as_of": when.isoformat(), **doc}, indent=1, ensure_ascii=False))
        return
    console.print(readers.marking())
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
                      str(len(set(g.blacklisted) & named)))
    console.print(table)
    top = sorted(report.tenders, key=lambda t: (-t.score, t.tender_id))[:10]
    console.print(f"{sum(t.flagged for t in report.tenders)} tender(s) at score >= "
                  f"{cfg.threshold}; highest: " + ", ".join(
                      f"{t.tender_id} {t.score:.2f}" for t in top))
    console.print(f"{len(report.linked_bidders)} pair(s) of competing bidders linked through "
                  f"people or ownership within {cfg.hops} hops; {len(report.blacklisted_bids)} "
                  "bid(s) with a blacklisted party. Use --json for the evidence and the Cypher.")


def _learned(report: Any, known: Any, evaluate: bool, as_json: bool) -> None:
    """``--evaluate`` / ``--labels`` with a labels file."""
    from riskgraph.models.screens.cartel_learning import evaluate as cross_validate
    from riskgraph.models.screens.cartel_learning import model_scores

    if evaluate:
        result = cross_validate(report, report.source, known)
        if as_json:
            print(json.dumps(result, indent=1))
            return
        console.print(f"labels {result['labels']}: {result['folds']}-fold cross-validation; "
                      f"unsupervised at threshold {report.config.threshold}, models at "
                      f"probability {result['cut']}")
        table = Table("level", "scores", "precision", "recall", "F1", "ROC AUC", "flagged",
                      "positives")
        for level in ("tender", "firm"):
            for name, m in result[level].items():
                table.add_row(level, name.replace("_", " "), f"{m['precision']:.3f}",
                              f"{m['recall']:.3f}", f"{m['f1']:.3f}",
                              "–" if m["roc_auc"] is None else f"{m['roc_auc']:.3f}",
                              str(m["flagged"]), f"{m['positives']} / {m['rows']}")
        console.print(table)
        unmatched = result["unmatched_labels"]
        if unmatched["tender_count"] or unmatched["firm_count"]:
            console.print(f"labels not among the screened tenders / firms: "
                          f"{unmatched['tender_count']} tender(s), {unmatched['firm_count']} "
                          "firm(s) (not evaluated)")
        return
    scored = model_scores(report, report.source, known)
    doc = report.to_dict()
    doc["model"] = scored
    for t in doc["tenders"]:
        t["model_score"] = scored["tenders"].get(t["tender_id"])
    if as_json:
        print(json.dumps(doc, indent=1, ensure_ascii=False))
        return
    top = sorted(scored["tenders"].items(), key=lambda kv: (-kv[1], kv[0]))[:20]
    table = Table("tender", "model score (out of fold)", "screen score")
    screen = {t.tender_id: t.score for t in report.tenders}
    for tid, p in top:
        table.add_row(tid, f"{p:.3f}", f"{screen[tid]:.3f}")
    console.print(table)
    console.print(f"{sum(p >= scored['cut'] for p in scored['tenders'].values())} tender(s) at "
                  f"model score >= {scored['cut']}; --json for every tender and firm")
