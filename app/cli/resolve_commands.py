"""``riskgraph resolve``: entity resolution of people and firms (run, firms, review, judge,
split, show)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from riskgraph.app.cache import invalidating
from riskgraph.app.cli.connection import store as open_store
from riskgraph.app.cli.output import console

app = typer.Typer(help="Entity resolution: the same person across sources, with human "
                       "judgements (docs/entity-resolution.md).", no_args_is_help=True)

Threshold = Annotated[float, typer.Option(min=0.5, max=1.0, help="Merge pairs at or above this "
                                          "match probability.")]
ReviewLow = Annotated[float, typer.Option(min=0.0, max=1.0, help="Queue pairs from this "
                                          "probability up to the threshold for review.")]
Actor = Annotated[str, typer.Option(help="Who runs it.")]


@app.command("run")
@invalidating
def run(
    threshold: Threshold = 0.95,
    review_low: ReviewLow = 0.2,
    actor: Actor = "resolution",
) -> None:
    """Score every pair of candidate people, merge the likely ones, queue the uncertain ones
    (judged "not same" pairs are never merged)."""
    from riskgraph.graph.errors import BadInput
    from riskgraph.graph.store.resolution import apply_run, constraints, entity_id, person_records
    from riskgraph.models.resolution.matcher import MatchSettings
    from riskgraph.models.resolution.run import METHOD, resolve

    if review_low >= threshold:
        raise BadInput(f"--review-low ({review_low}) must be below --threshold ({threshold})")
    with open_store() as st:
        records = person_records(st)
        if len(records) < 2:
            raise BadInput(f"the graph holds {len(records)} Person node(s); nothing to resolve")
        same, not_same = constraints(st)
        result = resolve(records, MatchSettings(threshold=threshold, review_low=review_low),
                         same, not_same, lambda first: entity_id("person", first))
        decision = apply_run(st, result.links, result.candidates, actor=actor,
                             method=METHOD, detail=result.detail)
    d = result.detail
    console.print(f"decision {decision}: {d['records']:,} people, {d['pairs_scored']:,} pairs "
                  f"scored, {d['clusters']:,} resolved entities ({len(result.links):,} links), "
                  f"{len(result.candidates):,} pairs queued for review, "
                  f"{d['refused_by_not_same']} merge(s) refused by a 'not same' judgement")
    print_notes(d)


@app.command("firms")
@invalidating
def firms(
    threshold: Threshold = 0.95,  # models/resolution/firms.FIRM_THRESHOLD
    review_low: ReviewLow = 0.2,
    actor: Actor = "resolution",
) -> None:
    """Resolve firms across sources (Company records under different keys): score every
    candidate pair, merge the likely ones, queue the uncertain ones (kind company; judged "not
    same" pairs are never merged)."""
    from riskgraph.graph.errors import BadInput
    from riskgraph.graph.store.resolution import apply_run, company_records, constraints, entity_id
    from riskgraph.models.resolution.firms import resolve_firms
    from riskgraph.models.resolution.matcher import MatchSettings
    from riskgraph.models.resolution.run import METHOD

    if review_low >= threshold:
        raise BadInput(f"--review-low ({review_low}) must be below --threshold ({threshold})")
    with open_store() as st:
        records = company_records(st)
        if len(records) < 2:
            raise BadInput(f"the graph holds {len(records)} Company node(s); nothing to resolve")
        same, not_same = constraints(st, kind="company")
        result = resolve_firms(records, MatchSettings(threshold=threshold,
                                                      review_low=review_low),
                               same, not_same, lambda first: entity_id("company", first))
        decision = apply_run(st, result.links, result.candidates, actor=actor,
                             method=METHOD, detail=result.detail, kind="company")
    d = result.detail
    console.print(f"decision {decision}: {d['records']:,} firms, {d['pairs_scored']:,} pairs "
                  f"scored, {d['clusters']:,} resolved firms ({len(result.links):,} links), "
                  f"{len(result.candidates):,} pairs queued for review, "
                  f"{d['refused_by_not_same']} merge(s) refused by a 'not same' judgement, "
                  f"{d['kept_apart']} kept apart (two registry firms)")
    print_notes(d)


def print_notes(detail: dict[str, Any]) -> None:
    """What the run decided because the data could not tell (stored with the decision)."""
    for note in detail.get("notes", []):
        console.print(f"note: {note}", highlight=False)


@app.command("review")
def review(
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    kind: Annotated[str, typer.Option(help="person, or company (pairs of firm records)")
                    ] = "person",
) -> None:
    """The review queue: uncertain pairs of one kind, most uncertain first, with their
    evidence."""
    from riskgraph.graph.store.resolution import check_kind, review_queue

    check_kind(kind)  # bad input is refused before connecting
    with open_store() as st:
        rows = review_queue(st, limit, kind=kind)
    if not rows:
        console.print(f"the review queue of kind {kind} is empty")
        return
    for r in rows:
        console.print(f"[bold]{r['a']}[/] {r['a_name']}  vs  [bold]{r['b']}[/] {r['b_name']}: "
                      f"probability {r['probability']:.3f}, weight {r['weight']:.2f}",
                      highlight=False)
        table = Table("comparison", "level", "weight")
        for e in json.loads(r["evidence"] or "[]"):
            table.add_row(e["comparison"], e["level"], f"{e.get('weight', 0):+.2f}")
        console.print(table)
    console.print(f"judge with: riskgraph resolve judge A B --verdict same|not-same|unsure "
                  f"--note TEXT --kind {kind} ({len(rows)} shown)", highlight=False)


@app.command("judge")
@invalidating
def judge(
    a: Annotated[str, typer.Argument(help="person_id (a firm key with --kind company)")],
    b: Annotated[str, typer.Argument(help="person_id (a firm key with --kind company)")],
    verdict: Annotated[str, typer.Option(help="same, not-same or unsure")],
    note: Annotated[str, typer.Option(help="Why (kept with the judgement).")] = "",
    actor: Annotated[str, typer.Option(help="Who judges.")] = "investigator",
    kind: Annotated[str, typer.Option(help="person, or company (A and B are firm keys)")
                    ] = "person",
) -> None:
    """Judge a pair: "same" links them now, "not-same" splits a merged pair and forbids any
    automatic merge of it, "unsure" only records."""
    from riskgraph.graph.store.resolution import check_judgement, check_kind
    from riskgraph.graph.store.resolution import judge as record

    check_judgement(a, b, verdict, note)  # bad input is refused before connecting
    check_kind(kind)
    with open_store() as st:
        j = record(st, a, b, verdict, note, actor=actor, kind=kind)
    console.print(f"judgement {j.judgement_id}: {j.a} and {j.b} {j.verdict.replace('_', ' ')} "
                  f"(by {j.actor})", highlight=False)


@app.command("split")
@invalidating
def split(
    person: Annotated[str, typer.Argument(help="person_id to take out of its entity")],
    reason: Annotated[str, typer.Option(help="Why (kept with the decision).")],
    actor: Annotated[str, typer.Option(help="Who splits.")] = "investigator",
    kind: Annotated[str, typer.Option(help="person, or company (a firm key)")] = "person",
) -> None:
    """Take a person (or a firm) out of its resolved entity (history kept; never merged back
    automatically)."""
    from riskgraph.graph.store.resolution import check_kind
    from riskgraph.graph.store.resolution import split as do_split

    check_kind(kind)
    with open_store() as st:
        others = do_split(st, person, actor=actor, reason=reason, kind=kind)
    console.print(f"{person} split from {len(others)} other member(s): {', '.join(others)}",
                  highlight=False)


@app.command("show")
def show(
    key: Annotated[str, typer.Argument(help="person_id (a firm key with --kind company)")],
    kind: Annotated[str, typer.Option(help="person, or company (a firm key)")] = "person",
) -> None:
    """A person's (or a firm's) resolved entity (members and their links), its link history and
    the review-queue pairs it is in."""
    from riskgraph.graph.store.resolution import check_kind, entity_members, history, record_pairs

    check_kind(kind)
    with open_store() as st:
        members = entity_members(st, key, kind)
        past = history(st, key, kind)
        pairs = record_pairs(st, key, kind)
    if members:
        table = Table("member", "name", "method", "probability", "by", "since",
                      title=f"entity {members[0]['entity_id']}")
        for m in members:
            p = m["probability"]
            table.add_row(m["record_id"], m["name"], m["method"],
                          "" if p is None else f"{p:.3f}", m["actor"], m["since"])
        console.print(table)
    else:
        console.print(f"{key} is not linked to a resolved entity")
    if past:
        table = Table("entity", "active", "method", "by", "since", "until", title="history")
        for h in past:
            table.add_row(h["entity_id"], str(h["active"]), h["method"], h["actor"],
                          h["since"], h["until"] or "")
        console.print(table)
    if pairs:
        table = Table("pair with", "status", "verdict", "probability", title=f"{kind} pairs")
        for r in pairs:
            p = r["probability"]
            table.add_row(r["other"], r["status"], (r["verdict"] or "").replace("_", " "),
                          "" if p is None else f"{p:.3f}")
        console.print(table)
