"""Firm resolution in the graph (issue 21): Company records of two sources linked SAME_AS one
resolved entity by ``riskgraph resolve firms`` and by judgements, split with the history kept,
with the same machinery as people. On the real Neo4j."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from neo4j import Driver

from riskgraph.graph.config import get_settings
from riskgraph.graph.errors import BadInput
from riskgraph.graph.store import Store
from riskgraph.graph.store.audit import list_events
from riskgraph.graph.store.resolution import (
    company_records,
    constraints,
    history,
    judge,
    split,
)
from riskgraph.seed.firm_duplicates import TRUTH_FILE, firm_records
from riskgraph.seed.world import generate_world
from tests.foundation.test_cli import run_cli

DB = get_settings().neo4j_database

pytestmark = pytest.mark.neo4j
REGISTRY, PORTAL = "91440100526JGGTWE0", "src-b:0000001"

CREATE = """
UNWIND $rows AS r
CREATE (c:Company {uscc: r.key, name: r.name})
FOREACH (t IN CASE WHEN r.address IS NULL THEN [] ELSE [r.address] END |
  MERGE (a:Address {address_id: 'addr:' + t}) ON CREATE SET a.text = t
  CREATE (c)-[:REGISTERED_AT]->(a))
FOREACH (p IN r.people |
  MERGE (q:Person {person_id: p})
  CREATE (q)-[:DIRECTOR_OF]->(c))
"""


def _active(driver: Driver) -> dict[str, str]:
    rows, _, _ = driver.execute_query(
        "MATCH (c:Company)-[:SAME_AS {active: true}]->(e:ResolvedEntity {kind: 'company'}) "
        "RETURN c.uscc AS key, e.entity_id AS entity")
    return {r["key"]: r["entity"] for r in rows}


def test_a_judged_pair_of_firms_is_linked_then_split_with_its_history(
        clean_graph: Driver) -> None:
    clean_graph.execute_query(CREATE, rows=[
        {"key": REGISTRY, "name": "广州贤鑫贸易有限公司", "address": None, "people": []},
        {"key": PORTAL, "name": "Guangzhou Xianxin Maoyi Co., Ltd.", "address": None,
         "people": []}])
    store = Store.open(clean_graph, DB)
    judge(store, REGISTRY, PORTAL, "same", "the portal's supplier", actor="test", kind="company")
    linked = _active(clean_graph)
    assert set(linked) == {REGISTRY, PORTAL} and len(set(linked.values())) == 1
    assert constraints(store, kind="company") == ([(REGISTRY, PORTAL)], [])
    assert constraints(store) == ([], [])  # people's judgements are apart
    assert split(store, PORTAL, actor="test", reason="another firm", kind="company") == [REGISTRY]
    assert PORTAL not in _active(clean_graph)
    past = history(store, PORTAL, kind="company")
    assert [h["active"] for h in past] == [False]
    assert constraints(store, kind="company")[1] == [(REGISTRY, PORTAL)]
    with pytest.raises(BadInput, match="kind 'firm'"):
        judge(store, REGISTRY, PORTAL, "same", "", actor="test", kind="firm")


def test_resolve_firms_links_the_planted_copies(clean_graph: Driver, tmp_path: Path) -> None:
    generate_world(600, 3, tmp_path, progress=False, firm_duplicates=0.2)
    records = firm_records(tmp_path)
    clean_graph.execute_query(CREATE, rows=[
        {"key": r["record_id"].replace("b:", "src-b:"), "name": r["name"],
         "address": r["address"], "people": r["people"]} for r in records])
    result = run_cli("resolve", "firms")
    assert result.returncode == 0, result.stderr
    assert "resolved firms" in result.stdout
    with (tmp_path / TRUTH_FILE).open(encoding="utf-8") as fh:
        truth = {t["record_id"].replace("b:", "src-b:"): t["entity_id"]
                 for t in csv.DictReader(fh)}
    linked = _active(clean_graph)
    assert linked
    for key, entity in linked.items():  # every link joins records of one planted firm
        assert {truth[k] for k, e in linked.items() if e == entity} == {truth[key]}


def _open(driver: Driver) -> list[tuple[str, str]]:
    rows, _, _ = driver.execute_query(
        "MATCH (c:MatchCandidate {status: 'open', kind: 'company'}) RETURN c.a AS a, c.b AS b "
        "ORDER BY c.pair_id")
    return [(r["a"], r["b"]) for r in rows]


def test_a_firm_run_queues_its_uncertain_pairs_for_review_and_judgement(
        clean_graph: Driver, tmp_path: Path) -> None:
    generate_world(600, 3, tmp_path, progress=False, firm_duplicates=0.2)
    clean_graph.execute_query(CREATE, rows=[
        {"key": r["record_id"].replace("b:", "src-b:"), "name": r["name"],
         "address": r["address"], "people": r["people"]} for r in firm_records(tmp_path)])
    result = run_cli("resolve", "firms", "--review-low", "0.05")
    assert result.returncode == 0, result.stderr
    queued = _open(clean_graph)
    assert queued and f"{len(queued):,} pairs queued for review" in result.stdout
    linked = _active(clean_graph)
    for a, b in queued:  # an uncertain pair is never one already merged
        assert not (a in linked and linked.get(a) == linked.get(b))
    listed = run_cli("resolve", "review", "--kind", "company", "--limit", "1000")
    assert listed.returncode == 0, listed.stderr
    assert all(a in listed.stdout and b in listed.stdout for a, b in queued)
    assert "--kind company" in listed.stdout
    people = run_cli("resolve", "review")
    assert "queue of kind person is empty" in people.stdout  # firms' pairs stay apart
    bad = run_cli("resolve", "review", "--kind", "firm")
    assert bad.returncode != 0 and "kind 'firm'" in bad.stderr + bad.stdout
    assert "Traceback" not in bad.stderr

    a, b = queued[0]
    judged = run_cli("resolve", "judge", a, b, "--verdict", "not-same", "--note", "two firms",
                     "--kind", "company")
    assert judged.returncode == 0, judged.stderr
    assert (a, b) not in _open(clean_graph)
    (event,) = list_events(Store.open(clean_graph, DB), action="resolution.judged.not_same")
    assert event.reason == "two firms"

    # a merged pair judged "not same" is split and never merged again by a later run
    entity = next(e for e in set(linked.values()) if list(linked.values()).count(e) == 2)
    x, y = sorted(k for k, e in linked.items() if e == entity)
    store = Store.open(clean_graph, DB)
    judge(store, x, y, "not_same", "different owners", actor="test", kind="company")
    again = run_cli("resolve", "firms", "--review-low", "0.05")
    assert again.returncode == 0, again.stderr
    after = _active(clean_graph)
    assert not (x in after and after.get(x) == after.get(y))
    assert (a, b) not in _open(clean_graph) and (x, y) not in _open(clean_graph)
    assert {(x, y), (a, b)} <= set(constraints(store, kind="company")[1])


def test_same_judgements_of_firms_stored_in_the_graph_are_labels_for_m(
        clean_graph: Driver, tmp_path: Path) -> None:
    """At least MIN_LABELS "same" judgements of firms, stored and read back from the graph, pull
    m of a level towards the share of the judged pairs in it (as for people); fewer change
    nothing."""
    from riskgraph.models.resolution.firms import firm_features, score_firms
    from riskgraph.models.resolution.matcher import MIN_LABELS, MatchSettings

    generate_world(600, 3, tmp_path, progress=False, firm_duplicates=0.3)
    records = firm_records(tmp_path)
    clean_graph.execute_query(CREATE, rows=[
        {"key": r["record_id"], "name": r["name"], "address": r["address"],
         "people": r["people"]} for r in records])
    with (tmp_path / TRUTH_FILE).open(encoding="utf-8") as fh:
        copies = [(t["entity_id"], t["record_id"]) for t in csv.DictReader(fh)
                  if t["record_id"] != t["entity_id"]]
    store = Store.open(clean_graph, DB)
    for a, b in copies[: MIN_LABELS + 10]:
        judge(store, a, b, "same", "one firm", actor="test", kind="company")
    same, _ = constraints(store, kind="company")
    assert len(same) == MIN_LABELS + 10
    table = firm_features(records)
    exact = {r["unique_id"]: r["name_exact"] for r in table.to_pylist()}
    share = sum(exact[a] == exact[b] for a, b in same) / len(same)

    def m(labels: list[tuple[str, str]]) -> float:
        model = score_firms(table, MatchSettings(max_pairs=5e4), labels).model
        name = next(c for c in model["comparisons"] if c["output_column_name"] == "name")
        return float(next(lv["m_probability"] for lv in name["comparison_levels"]
                          if lv.get("label_for_charts") == "same legal name (legal form aside)"))

    without, with_labels = m([]), m(same)
    assert abs(with_labels - share) < abs(without - share)
    assert m(same[: MIN_LABELS - 1]) == pytest.approx(without)


def test_firm_records_name_a_key_person_by_the_entity_person_resolution_linked_it_to(
        clean_graph: Driver) -> None:
    """Two sources' records of one person (linked SAME_AS one resolved person) are one key
    person in common of the two firms they lead; an unlinked person is its person_id."""
    clean_graph.execute_query(CREATE, rows=[
        {"key": REGISTRY, "name": "广州贤鑫贸易有限公司", "address": None,
         "people": ["P-A", "P-C"]},
        {"key": PORTAL, "name": "Guangzhou Xianxin Maoyi Co., Ltd.", "address": None,
         "people": ["P-B"]}])
    store = Store.open(clean_graph, DB)
    judge(store, "P-A", "P-B", "same", "one director, two sources", actor="test")
    people = {r["record_id"]: sorted(r["people"]) for r in company_records(store)}
    (entity,) = set(people[PORTAL])
    assert entity not in ("P-A", "P-B")
    assert people[REGISTRY] == sorted([entity, "P-C"])
