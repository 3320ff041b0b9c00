"""The review queue keyed by kind and pair id (migration 010) and ``riskgraph resolve show`` of
firms as of people, on the real Neo4j (issue 21)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from neo4j import Driver

from riskgraph.graph.catalog import query, statements
from riskgraph.graph.config import get_settings
from riskgraph.graph.errors import NotFound
from riskgraph.graph.store import Store
from riskgraph.graph.store.resolution import (
    apply_run,
    entity_members,
    judge,
    record_pairs,
    review_queue,
)
from tests.foundation.test_cli import run_cli

DB = get_settings().neo4j_database
pytestmark = pytest.mark.neo4j
EVIDENCE = json.dumps([{"comparison": "name", "level": "same name key", "weight": 7.0}])
MIGRATION = "schema/010_match_candidate_kind"


def _records(driver: Driver, keys: list[str]) -> None:
    """A Person and a Company under each key (two kinds of record, the same keys)."""
    driver.execute_query("UNWIND $keys AS k CREATE (:Person {person_id: k, name: 'P ' + k}), "
                         "(:Company {uscc: k, name: 'C ' + k})", keys=keys, database_=DB)


def _queue(driver: Driver, kind: str) -> list[tuple[str, float]]:
    return [(r["pair_id"], r["probability"])
            for r in review_queue(Store.open(driver, DB), 10, kind=kind)]


def _run(driver: Driver, kind: str, probability: float, a: str = "K1", b: str = "K2") -> None:
    apply_run(Store.open(driver, DB), [], [{"a": a, "b": b, "weight": 0.1,
                                            "probability": probability, "evidence": EVIDENCE}],
              actor="test", method="test", detail={}, kind=kind)


def test_a_pair_of_people_and_a_pair_of_firms_with_the_same_keys_are_two_entries(
        clean_graph: Driver) -> None:
    _records(clean_graph, ["K1", "K2"])
    _run(clean_graph, "person", 0.5)
    _run(clean_graph, "company", 0.6)
    assert _queue(clean_graph, "person") == [("K1|K2", 0.5)]
    assert _queue(clean_graph, "company") == [("K1|K2", 0.6)]
    judge(Store.open(clean_graph, DB), "K1", "K2", "not_same", "", actor="test")
    assert _queue(clean_graph, "person") == []  # judged: closed
    assert _queue(clean_graph, "company") == [("K1|K2", 0.6)]  # the firms' pair stays open
    _run(clean_graph, "person", 0.55)  # a later run does not reopen the judged people
    assert _queue(clean_graph, "person") == []
    rows, _, _ = clean_graph.execute_query(
        "MATCH (c:MatchCandidate {pair_id: 'K1|K2'}) RETURN c.kind AS kind, c.status AS status "
        "ORDER BY kind", database_=DB)
    assert [(r["kind"], r["status"]) for r in rows] == [("company", "open"),
                                                        ("person", "judged")]


def test_the_migration_gives_stored_entries_the_person_kind(clean_graph: Driver) -> None:
    clean_graph.execute_query(
        "CREATE (:MatchCandidate {pair_id: 'O1|O2', a: 'O1', b: 'O2', status: 'open'}), "
        "(:MatchJudgement {judgement_id: 'jdg-old', pair_id: 'O1|O2', a: 'O1', b: 'O2', "
        "verdict: 'unsure'}), "
        "(:MatchCandidate {pair_id: 'F1|F2', a: 'F1', b: 'F2', status: 'open', "
        "kind: 'company'})", database_=DB)
    for statement in statements(query(MIGRATION)):  # again: each statement is idempotent
        clean_graph.execute_query(statement, database_=DB)
    rows, _, _ = clean_graph.execute_query(
        "MATCH (n) WHERE n:MatchCandidate OR n:MatchJudgement "
        "RETURN n.pair_id AS pair, labels(n)[0] AS label, n.kind AS kind ORDER BY pair, label",
        database_=DB)
    assert [(r["pair"], r["label"], r["kind"]) for r in rows] == [
        ("F1|F2", "MatchCandidate", "company"), ("O1|O2", "MatchCandidate", "person"),
        ("O1|O2", "MatchJudgement", "person")]
    rows, _, _ = clean_graph.execute_query(
        "SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties "
        "WHERE 'MatchCandidate' IN labelsOrTypes RETURN name, properties", database_=DB)
    assert [(r["name"], r["properties"]) for r in rows] == [
        ("match_candidate_kind_pair", ["kind", "pair_id"])]


def test_show_reads_a_firm_entity_its_history_and_pairs(clean_graph: Driver) -> None:
    _records(clean_graph, ["K1", "K2", "K3"])
    _run(clean_graph, "company", 0.4, "K1", "K3")
    judge(Store.open(clean_graph, DB), "K2", "K1", "same", "one firm", actor="test",
          kind="company")
    members = entity_members(Store.open(clean_graph, DB), "K1", kind="company")
    assert [(m["record_id"], m["name"], m["method"]) for m in members] == [
        ("K1", "C K1", "judgement"), ("K2", "C K2", "judgement")]
    # the person K1 is linked to nobody
    assert entity_members(Store.open(clean_graph, DB), "K1") == []
    assert [(p["other"], p["status"], p["verdict"]) for p in
            record_pairs(Store.open(clean_graph, DB), "K1", kind="company")] == [
        ("K3", "open", None), ("K2", "judged", "same")]
    assert record_pairs(Store.open(clean_graph, DB), "K1") == []
    with pytest.raises(NotFound, match="no Company with key 'K9'"):
        entity_members(Store.open(clean_graph, DB), "K9", kind="company")
    shown = run_cli("resolve", "show", "K1", "--kind", "company")
    assert shown.returncode == 0, shown.stderr
    assert "K2" in shown.stdout and "C K2" in shown.stdout and "K3" in shown.stdout
    assert "company pairs" in shown.stdout and "history" in shown.stdout
    person = run_cli("resolve", "show", "K1")
    assert person.returncode == 0, person.stderr
    assert "K1 is not linked to a resolved entity" in person.stdout
    for args, code, said in ((("K9", "--kind", "company"), 3, "no Company with key 'K9'"),
                             (("K1", "--kind", "firm"), 2, "resolution kind 'firm'")):
        bad = run_cli("resolve", "show", *args)
        assert bad.returncode == code and said in bad.stderr, (args, bad.stderr)
        assert "Traceback" not in bad.stderr + bad.stdout, args


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.text(min_size=1, max_size=40).filter(lambda k: k != "Z0"),
       kind=st.sampled_from(["person", "company"]))
def test_any_key_is_read_back_as_given(clean_graph: Driver, key: str, kind: str) -> None:
    label, prop = ("Person", "person_id") if kind == "person" else ("Company", "uscc")
    clean_graph.execute_query(f"UNWIND [$key, 'Z0'] AS k MERGE (:{label} {{{prop}: k}})",
                              key=key, database_=DB)
    try:
        _run(clean_graph, kind, 0.5, key, "Z0")
        store = Store.open(clean_graph, DB)
        assert entity_members(store, key, kind=kind) == []  # exists, unlinked
        assert [p["other"] for p in record_pairs(store, key, kind=kind)] == ["Z0"]
        with pytest.raises(NotFound):
            entity_members(Store.open(clean_graph, DB), key + "\u0001absent", kind=kind)
    finally:
        clean_graph.execute_query("MATCH (n) WHERE n:MatchCandidate OR n:ResolutionDecision "
                                  f"OR n:{label} DETACH DELETE n", database_=DB)
