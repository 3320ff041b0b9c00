"""Objections against a real graph: every transition, illegal moves, races, overturn effects."""

from __future__ import annotations

import threading

import pytest
from neo4j import Driver

from riskgraph.graph.config import get_settings
from riskgraph.graph.errors import BadInput, Conflict, NotFound
from riskgraph.graph.store import Store
from riskgraph.graph.store.audit import list_events, verify_chain
from riskgraph.graph.store.objections import get_objection
from riskgraph.graph.store.runs import RankingRun
from riskgraph.models.accountability.objections import TRANSITIONS, file_objection, transition
from tests.models.accountability.conftest import A, B

DB = get_settings().neo4j_database

pytestmark = pytest.mark.neo4j

PATHS = [
    ["accepted", "under_review", "overturned", "published"],
    ["accepted", "under_review", "upheld", "published"],
    ["rejected", "published"],
]


def _file(driver: Driver, record: str = "R-PENALTY") -> str:
    return file_objection(Store.open(driver, DB), uscc=A,
                          grounds="the fine was paid and annulled on appeal",
                          filed_by="firm-a", record_id=record).objection_id


@pytest.mark.parametrize("path", PATHS, ids=["overturned", "upheld", "rejected"])
def test_each_path_records_every_transition(small_graph: Driver, path: list[str]) -> None:
    oid = _file(small_graph)
    for k, state in enumerate(path):
        o = transition(Store.open(small_graph, DB), oid, state, actor=f"reviewer-{k}",
                       reason=f"step {k}")
        assert o.state == state and o.version == k + 2
    o = get_objection(Store.open(small_graph, DB), oid)
    assert [t["to_state"] for t in o.transitions] == ["filed", *path]
    assert [t["from_state"] for t in o.transitions][1:] == ["filed", *path[:-1]]
    assert all(t["actor"] and t["reason"] and t["at"] for t in o.transitions)
    actions = [e.action for e in list_events(Store.open(small_graph, DB), subject_id=oid)]
    assert actions == ["objection.filed", *(f"objection.{s}" for s in path)]
    assert verify_chain(Store.open(small_graph, DB))[1] == []


def test_every_illegal_transition_is_refused_and_changes_nothing(small_graph: Driver) -> None:
    oid = _file(small_graph)
    reached = {"filed": oid}
    for state, path in (("accepted", ["accepted"]),
                        ("under_review", ["accepted", "under_review"]),
                        ("upheld", ["accepted", "under_review", "upheld"]),
                        ("rejected", ["rejected"]),
                        ("published", ["rejected", "published"])):
        other = _file(small_graph)
        for s in path:
            transition(Store.open(small_graph, DB), other, s, actor="r", reason="setup")
        reached[state] = other
    for state, oid_ in reached.items():
        before = get_objection(Store.open(small_graph, DB), oid_)
        events = len(list_events(Store.open(small_graph, DB)))
        for target in TRANSITIONS:
            if target in TRANSITIONS[state]:
                continue
            with pytest.raises(BadInput, match=f"is {state}; it cannot move to {target}"):
                transition(Store.open(small_graph, DB), oid_, target, actor="r", reason="try")
        after = get_objection(Store.open(small_graph, DB), oid_)
        assert (after.state, after.version) == (before.state, before.version)
        assert len(list_events(Store.open(small_graph, DB))) == events


def test_two_concurrent_transitions_exactly_one_wins(small_graph: Driver) -> None:
    for _ in range(3):
        oid = _file(small_graph)
        barrier = threading.Barrier(2)
        results: dict[str, str] = {}

        def move(target: str, oid: str = oid, barrier: threading.Barrier = barrier,
                 results: dict[str, str] = results) -> None:
            barrier.wait()
            try:
                transition(Store.open(small_graph, DB), oid, target, actor=target, reason="race")
                results[target] = "won"
            except (Conflict, BadInput) as exc:
                results[target] = type(exc).__name__

        threads = [threading.Thread(target=move, args=(t,)) for t in ("accepted", "rejected")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results.values()).count("won") == 1, results
        final = get_objection(Store.open(small_graph, DB), oid)
        assert final.version == 2 and final.state == next(
            k for k, v in results.items() if v == "won")
        assert len(final.transitions) == 2


def test_overturned_record_is_kept_marked_and_no_longer_feeds_features(
        small_graph: Driver) -> None:
    before = Store.open(small_graph, DB).snapshot()
    oid = _file(small_graph)
    for s in ("accepted", "under_review", "overturned"):
        transition(Store.open(small_graph, DB), oid, s, actor="reviewer",
                   reason="annulled on appeal")
    rows, _, _ = small_graph.execute_query(
        "MATCH (:Company)-[:HAS_RECORD]->(r:CreditRecord {record_id: 'R-PENALTY'}) "
        "RETURN r.overturned AS o, r.overturned_by AS by")
    assert rows[0]["o"] is True and rows[0]["by"] == oid
    after = Store.open(small_graph, DB).snapshot()
    assert len(after.rec_kind) == len(before.rec_kind) - 1
    assert after.digest() != before.digest()
    assert [e.action for e in list_events(Store.open(small_graph, DB), subject_id="R-PENALTY")] == [
        "credit_record.overturned"]
    with pytest.raises(Conflict, match="already overturned"):
        _file(small_graph)


def test_objection_to_a_ranking(small_graph: Driver, stored_run: RankingRun) -> None:
    o = file_objection(Store.open(small_graph, DB), uscc=A, grounds="wrong tier", filed_by="firm-a",
                       run_id=stored_run.run_id)
    for s in ("accepted", "under_review", "overturned"):
        transition(Store.open(small_graph, DB), o.objection_id, s, actor="reviewer",
                   reason="model error")
    rows, _, _ = small_graph.execute_query(
        "MATCH (a:RiskAssessment {run_id: $run, uscc: $uscc}) RETURN a.overturned AS o",
        run=stored_run.run_id, uscc=A)
    assert rows[0]["o"] is True


@pytest.mark.parametrize("kwargs, error, message", [
    ({"record_id": "R-NOPE"}, NotFound, "no credit record"),
    ({"run_id": "run-nope"}, NotFound, "no ranking run"),
    ({"record_id": "R-INSP-OLD"}, BadInput, "neither firm"),
    ({}, BadInput, "either a record"),
])
def test_bad_objections(small_graph: Driver, kwargs: dict[str, str], error: type[Exception],
                        message: str) -> None:
    with pytest.raises(error, match=message):
        file_objection(Store.open(small_graph, DB), uscc=A, grounds="g", filed_by="f", **kwargs)


def test_unknown_objection_and_state(small_graph: Driver) -> None:
    with pytest.raises(NotFound):
        transition(Store.open(small_graph, DB), "OBJ-NOPE", "accepted", actor="r", reason="x")
    oid = _file(small_graph)
    with pytest.raises(BadInput, match="unknown objection state"):
        transition(Store.open(small_graph, DB), oid, "approved", actor="r", reason="x")
    assert B  # B's records are untouched by A's objections
