"""Runs, plans, outcomes, credit repair and the audit trail against a real graph."""

from __future__ import annotations

import datetime as dt

import pytest
from neo4j import Driver

from riskgraph.graph.config import get_settings
from riskgraph.graph.errors import BadInput, Conflict, NotFound
from riskgraph.graph.store import Store
from riskgraph.graph.store.audit import list_events, verify_chain
from riskgraph.graph.store.plans import get_plan, plan_inspections
from riskgraph.graph.store.runs import (
    RankingRun,
    get_run,
    run_assessments,
    tier_history,
    verify_run,
)
from riskgraph.models.accountability.credit_repair import repair
from riskgraph.models.accountability.plan_store import plan_from_run, record_outcome, store_plan
from riskgraph.models.accountability.planning import PlanParams
from tests.models.accountability.conftest import PLAN_DAY, A, B, C, D

DB = get_settings().neo4j_database

pytestmark = pytest.mark.neo4j


def test_stored_run_reads_back_and_verifies(small_graph: Driver, stored_run: RankingRun) -> None:
    store = Store.open(small_graph, DB)
    meta = get_run(store, stored_run.run_id)
    assert meta["status"] == "complete" and meta["digest"] == stored_run.digest
    assert [r["uscc"] for r in run_assessments(store, stored_run.run_id)] == [A, B, C, D]
    assert verify_run(store, stored_run.run_id) == (True, stored_run.digest)
    small_graph.execute_query("MATCH (a:RiskAssessment {uscc: $u}) SET a.tier = 'low'", u=A)
    assert verify_run(Store.open(small_graph, DB), stored_run.run_id)[0] is False  # tampering shows
    history = tier_history(Store.open(small_graph, DB), A)
    assert [h["run_id"] for h in history] == [stored_run.run_id]
    assert history[0]["reasons"][0]["feature"] == "blacklisted_active"
    with pytest.raises(NotFound):
        get_run(Store.open(small_graph, DB), "run-nope")


def test_plan_is_stored_and_linked(small_graph: Driver, stored_run: RankingRun) -> None:
    params = PlanParams(capacity=4, seed=1, team=1, per_inspector=4)
    plan, day = plan_from_run(Store.open(small_graph, DB), stored_run.run_id, params)
    again, _ = plan_from_run(Store.open(small_graph, DB), stored_run.run_id, params)
    assert plan.digest == again.digest and day == PLAN_DAY
    plan_id = store_plan(Store.open(small_graph, DB), stored_run.run_id, plan, day, actor="planner")
    rows = plan_inspections(Store.open(small_graph, DB), plan_id)
    assert sorted(r["uscc"] for r in rows) == sorted([A, B, C, D])
    by = {r["uscc"]: r for r in rows}
    # I1 conflicts with A (equity) and B (relative); I5 inspected C in January 2025
    assert "I1" not in by[A]["inspector_ids"] and "I1" not in by[B]["inspector_ids"]
    assert "I5" not in by[C]["inspector_ids"]
    assert by[D]["inspector_ids"] == ["I4"]  # the only inspector in Guangdong
    linked, _, _ = small_graph.execute_query(
        "MATCH (:InspectionPlan {plan_id: $p})-[:FROM_RUN]->(r:RankingRun) RETURN r.run_id AS r",
        p=plan_id)
    assert linked[0]["r"] == stored_run.run_id
    assert get_plan(Store.open(small_graph, DB), plan_id)["digest"] == plan.digest
    assert [e.action for e in list_events(Store.open(small_graph, DB), subject_id=plan_id)] == [
        "inspection_plan.created"]


def test_empty_region_gives_an_empty_stored_plan(small_graph: Driver,
                                                 stored_run: RankingRun) -> None:
    plan, day = plan_from_run(Store.open(small_graph, DB), stored_run.run_id,
                              PlanParams(capacity=10, seed=1, region="11"))
    assert plan.inspections == [] and "no firms in region 11" in plan.message
    plan_id = store_plan(Store.open(small_graph, DB), stored_run.run_id, plan, day, actor="planner")
    assert plan_inspections(Store.open(small_graph, DB), plan_id) == []


def test_recorded_outcome_becomes_a_training_record(small_graph: Driver,
                                                    stored_run: RankingRun) -> None:
    store = Store.open(small_graph, DB)
    plan, day = plan_from_run(store, stored_run.run_id,
                              PlanParams(capacity=4, seed=1, team=1, per_inspector=4))
    plan_id = store_plan(store, stored_run.run_id, plan, day, actor="planner")
    target = next(p for p in plan.inspections if p.firm.uscc == D)
    before = Store.open(small_graph, DB).snapshot()
    with pytest.raises(BadInput, match="before the plan date"):
        record_outcome(store, plan_id=plan_id, uscc=D, outcome="violation",
                       on=day - dt.timedelta(days=1))
    with pytest.raises(BadInput, match="outcome must be"):
        record_outcome(store, plan_id=plan_id, uscc=D, outcome="bad", on=day)
    with pytest.raises(BadInput, match="not on the team"):
        record_outcome(store, plan_id=plan_id, uscc=D, outcome="violation", on=day,
                       inspector_id="I3")
    record_id = record_outcome(store, plan_id=plan_id, uscc=D, outcome="violation",
                               on=day + dt.timedelta(days=20), actor="I4")
    with pytest.raises(Conflict, match="already has its outcome"):
        record_outcome(store, plan_id=plan_id, uscc=D, outcome="violation", on=day)
    rows, _, _ = small_graph.execute_query(
        "MATCH (c:Company {uscc: $u})-[:HAS_RECORD]->(r:CreditRecord:Inspections "
        "{record_id: $id})-[:INSPECTED_BY]->(i:Inspector) RETURN r, i.inspector_id AS i",
        u=D, id=record_id)
    rec = rows[0]["r"]
    assert rows[0]["i"] == target.inspector_ids[0] == "I4"
    assert rec["outcome"] == "violation" and rec["polarity"] == "negative"
    assert rec["disclosure"] == "agency_shared"
    assert rec["kind"] == ("random_inspection" if target.stream == "random"
                           else "targeted_inspection")
    after = Store.open(small_graph, DB).snapshot()
    assert len(after.rec_kind) == len(before.rec_kind) + 1
    assert (after.rec_outcome == 1).sum() == (before.rec_outcome == 1).sum() + 1


def test_credit_repair_honours_minimum_listing_periods(small_graph: Driver) -> None:
    # R-LISTING: serious, issued 2024-03-01 → repairable from 2025-03-01 (12 months)
    with pytest.raises(BadInput, match="cannot be repaired before 2025-03-01"):
        repair(Store.open(small_graph, DB), "R-LISTING", on=dt.date(2025, 2, 28), actor="agency",
               reason="corrected")
    with pytest.raises(BadInput, match="not a negative listing"):
        repair(Store.open(small_graph, DB), "R-PENALTY", on=dt.date(2025, 6, 1), actor="agency",
               reason="corrected")
    with pytest.raises(NotFound):
        repair(Store.open(small_graph, DB), "R-NOPE", on=dt.date(2025, 6, 1), actor="a", reason="r")
    repair(Store.open(small_graph, DB), "R-LISTING", on=dt.date(2025, 3, 1), actor="agency",
           reason="conduct corrected, fine paid")
    rows, _, _ = small_graph.execute_query(
        "MATCH (r:CreditRecord {record_id: 'R-LISTING'}) RETURN toString(r.removed_on) AS d, "
        "r.repaired AS rep, r.original_removed_on AS orig")
    assert rows[0]["d"] == "2025-03-01" and rows[0]["rep"] is True
    assert rows[0]["orig"] == "2027-03-01"
    with pytest.raises(Conflict, match="no longer listed"):
        repair(Store.open(small_graph, DB), "R-LISTING", on=dt.date(2025, 6, 1), actor="a",
               reason="again")
    stricter = {"general": 3, "serious": 24, "particularly_serious": 36}
    assert stricter["serious"] == 24  # configurable periods are honoured:
    small_graph.execute_query("MATCH (r:CreditRecord {record_id: 'R-LISTING'}) "
                              "SET r.removed_on = date('2027-03-01')")
    with pytest.raises(BadInput, match="before 2026-03-01"):
        repair(Store.open(small_graph, DB), "R-LISTING", on=dt.date(2025, 6, 1), actor="a",
               reason="r",
               min_months=stricter)


def test_audit_trail_is_append_only_and_tamper_evident(small_graph: Driver,
                                                       stored_run: RankingRun) -> None:
    repair(Store.open(small_graph, DB), "R-LISTING", on=dt.date(2025, 3, 1), actor="agency",
           reason="ok")
    events = list_events(Store.open(small_graph, DB))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert {e.action for e in events} >= {"ranking_run.created", "credit_record.repaired"}
    repaired = next(e for e in events if e.action == "credit_record.repaired")
    assert repaired.actor == "agency" and '"repaired": true' in repaired.after
    assert verify_chain(Store.open(small_graph, DB)) == (len(events), [])
    small_graph.execute_query("MATCH (e:AuditEvent {seq: 1}) SET e.actor = 'someone else'")
    checked, problems = verify_chain(Store.open(small_graph, DB))
    assert checked == len(events) and any("event 1" in p for p in problems)
