"""Entity resolution in the real graph: no source node lost, decisions kept, judgements obeyed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from neo4j import Driver

from riskgraph.graph.config import Settings, get_settings
from riskgraph.graph.driver import read
from riskgraph.graph.errors import BadInput, NotFound
from riskgraph.graph.loader import load_world
from riskgraph.graph.maintenance import clear_data
from riskgraph.graph.store import Store
from riskgraph.graph.store.audit import list_events, verify_chain
from riskgraph.graph.store.resolution import (
    active_links,
    apply_run,
    constraints,
    entity_id,
    entity_of,
    history,
    judge,
    person_records,
    review_queue,
    split,
)
from riskgraph.models.resolution.matcher import MatchSettings, Scored
from riskgraph.models.resolution.metrics import evaluate
from riskgraph.models.resolution.run import METHOD, resolve
from riskgraph.models.resolution.truth import read_truth
from riskgraph.seed.duplicates import TRUTH_FILE
from riskgraph.seed.world import generate_world

DB = get_settings().neo4j_database

pytestmark = pytest.mark.neo4j
SETTINGS = MatchSettings(max_pairs=5e4)


@dataclass
class Loaded:
    world: Path
    driver: Driver
    scored: Scored


@pytest.fixture(scope="module")
def loaded(driver: Driver, settings: Settings, tmp_path_factory: pytest.TempPathFactory
           ) -> Loaded:
    """A small world with planted duplicates, loaded once; its pairs scored once (Splink)."""
    out = tmp_path_factory.mktemp("resolution-world")
    generate_world(200, 5, out, progress=False, duplicates=0.2)
    clear_data(driver, settings.neo4j_database)
    load_world(driver, out, database=settings.neo4j_database)
    scored = resolve(person_records(Store.open(driver, DB)), SETTINGS).scored
    return Loaded(out, driver, scored)


def _run(g: Loaded, actor: str = "test") -> tuple[str, dict[str, object]]:
    """A run over the graph's people and judgements now (scores reused; clustering redone)."""
    store = Store.open(g.driver, DB)
    same, not_same = constraints(store)
    result = resolve(person_records(store), SETTINGS, same, not_same,
                     lambda first: entity_id("person", first), scored=g.scored)
    decision = apply_run(store, result.links, result.candidates, actor=actor, method=METHOD,
                         detail=result.detail)
    return decision, result.detail


def _same_as(driver: Driver) -> int:
    rows = read(driver, "count_relationships_by_type", database=DB)
    return next((int(r["count"]) for r in rows if r["type"] == "SAME_AS"), 0)


def _count(driver: Driver, label: str) -> int:
    rows = read(driver, "count_nodes_by_label", database=DB)
    return next((int(r["count"]) for r in rows if r["label"] == label), 0)


def test_run_links_people_without_losing_any(loaded: Loaded) -> None:
    clean_graph, dup_world = loaded.driver, loaded.world
    store = Store.open(clean_graph, DB)
    people = _count(clean_graph, "Person")
    decision, detail = _run(loaded)
    assert _count(clean_graph, "Person") == people
    links = active_links(store)
    assert links and int(str(detail["clusters"])) == len(set(links.values()))
    scores = evaluate(read_truth(dup_world / TRUTH_FILE), links)
    assert scores.pair_precision >= 0.9 and scores.pair_recall >= 0.7, scores
    member = next(iter(links))
    rows = entity_of(store, member)
    assert {r["decision_id"] for r in rows} == {decision}
    assert all(r["method"] == "splink" and r["evidence"] for r in rows)
    events = list_events(Store.open(clean_graph, DB), action="resolution.run")
    assert [e.subject_id for e in events] == [decision]
    # a second run with nothing new changes no link and adds no SAME_AS
    same_as = _same_as(clean_graph)
    _run(loaded)
    assert active_links(store) == links
    assert _same_as(clean_graph) == same_as


def test_not_same_splits_and_is_never_merged_again(loaded: Loaded) -> None:
    clean_graph = loaded.driver
    store = Store.open(clean_graph, DB)
    _run(loaded)
    links = active_links(store)
    members: dict[str, list[str]] = {}
    for person, ent in sorted(links.items()):
        members.setdefault(ent, []).append(person)
    a, b = next(m for m in members.values() if len(m) == 2)
    j = judge(store, a, b, "not-same", "different fathers' names", actor="alice")
    assert j.verdict == "not_same"
    assert b not in active_links(store)
    past = history(store, b)
    assert [h["active"] for h in past] == [False] and past[0]["until"]
    _, detail = _run(loaded)
    assert int(str(detail["refused_by_not_same"])) >= 1
    after = active_links(store)
    assert after.get(a) != after.get(b) or b not in after
    assert [e.actor for e in list_events(store, action="resolution.judged.not_same")] == [
        "alice"]
    assert verify_chain(store)[1] == []


def test_same_links_at_once_and_split_records_not_same(loaded: Loaded) -> None:
    clean_graph = loaded.driver
    store = Store.open(clean_graph, DB)
    linked = active_links(store)
    people = sorted(r["person_id"] for r in person_records(store)
                    if r["person_id"] not in linked)
    a, b = people[0], people[1]
    judge(store, a, b, "same", "same passport seen at the counter", actor="bob")
    links = active_links(store)
    assert links[a] == links[b] == entity_id("person", min(a, b))
    assert all(r["method"] == "judgement" for r in entity_of(store, a))
    others = split(store, b, actor="carol", reason="judged in error")
    assert others == [a]
    assert b not in active_links(store)
    assert (min(a, b), max(a, b)) in constraints(store)[1]
    with pytest.raises(BadInput):
        split(store, b, actor="carol", reason="again")
    with pytest.raises(NotFound):
        judge(store, a, "p-nobody", "same", "", actor="bob")
    _run(loaded)
    after = active_links(store)
    assert not (a in after and after.get(a) == after.get(b))
    assert all(r["a"] != r["b"] for r in review_queue(store, 50))
