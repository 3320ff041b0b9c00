"""Accountability through GraphQL: role gates, inspection targets, objections and records
as mutations, against the real Neo4j (hand-built world of tests/app/conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import Driver

from riskgraph.app.security.principal import Principal, Role
from riskgraph.graph.config import get_settings
from riskgraph.graph.store import Store
from riskgraph.graph.store.audit import list_events
from riskgraph.graph.store.runs import RankedFirm, RankingRun, ranking_digest, save_run
from riskgraph.models.accountability.plan_store import plan_from_run, store_plan
from riskgraph.models.accountability.planning import PlanParams
from tests.app.conftest import ADMIN, INVESTIGATOR, PUBLIC, RESTRICTED, Gql, uscc

DB = get_settings().neo4j_database

pytestmark = pytest.mark.neo4j

FIRM_KEY = Principal(role=Role.PUBLIC, key_id="k-firm", name="Alpha legal dept")


def _code(body: dict[str, Any]) -> str | None:
    errors = body.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


@pytest.fixture(scope="module")
def run(api_graph: Driver) -> RankingRun:
    firms = [RankedFirm(uscc("A"), 0.6, 0.3, "critical", 1,
                        [{"feature": "penalties_3y", "contribution": 0.8, "value": 2.0,
                          "text": "Penalised in the last three years."}]),
             RankedFirm(uscc("D"), 0.2, 0.1, "average", 2), RankedFirm(uscc("C"), 0.1, 0.0,
                                                                      "low", 3)]
    digest = ranking_digest((f.uscc, f.risk, f.tier, f.rank) for f in firms)
    stored = RankingRun(run_id=f"run-api-{digest[:8]}", created_at="2025-01-01T00:00:00+00:00",
                        as_of="2025-01-01", model_version="test", data_snapshot_sha256="x",
                        code_version="test", parameters={}, digest=digest, firms=firms)
    save_run(Store.open(api_graph, DB), stored, actor="test")
    return stored


def test_risk_is_never_public(gql: Gql, run: RankingRun) -> None:
    for query in ("{ inspectionTargets { uscc } }", "{ runs { runId } }",
                  f'{{ company(uscc: "{uscc("A")}") {{ assessment {{ tier }} }} }}',
                  f'{{ explanation(uscc: "{uscc("A")}") {{ risk }} }}',
                  '{ companies(tier: "critical") { edges { node { uscc } } } }'):
        assert _code(gql(query, PUBLIC)) == "FORBIDDEN", query


def test_inspection_targets_for_investigators(gql: Gql, run: RankingRun) -> None:
    body = gql("query($t: [String!]) { inspectionTargets(tiers: $t) { uscc tier rank "
               "reasons { text } } }", INVESTIGATOR, t=["critical", "average"])
    rows = body["data"]["inspectionTargets"]
    assert [(r["uscc"], r["rank"]) for r in rows] == [(uscc("A"), 1), (uscc("D"), 2)]
    assert rows[0]["reasons"][0]["text"] == "Penalised in the last three years."
    page = gql("{ inspectionTargets(first: 1, afterRank: 1) { rank } }", INVESTIGATOR)
    assert page["data"]["inspectionTargets"] == [{"rank": 2}]
    assert _code(gql('{ inspectionTargets(tiers: ["severe"]) { rank } }',
                     INVESTIGATOR)) == "BAD_INPUT"


FILE = """mutation($u: String!, $r: String) {
  fileObjection(uscc: $u, recordId: $r, grounds: "paid and annulled") {
    objectionId state filedBy } }"""
MOVE = """mutation($o: String!, $s: String!) {
  transitionObjection(objectionId: $o, toState: $s, reason: "checked") {
    state version transitions { toState actor } } }"""


def test_objection_mutations(gql: Gql, api_graph: Driver, run: RankingRun) -> None:
    assert _code(gql(FILE, PUBLIC, u=uscc("A"), r="R1")) == "FORBIDDEN"  # anonymous
    filed = gql(FILE, FIRM_KEY, u=uscc("A"), r="R1")["data"]["fileObjection"]
    assert filed["state"] == "filed" and "k-firm" in filed["filedBy"]
    oid = filed["objectionId"]
    assert _code(gql(MOVE, FIRM_KEY, o=oid, s="accepted")) == "FORBIDDEN"
    assert _code(gql(MOVE, INVESTIGATOR, o=oid, s="overturned")) == "BAD_INPUT"
    moved = gql(MOVE, INVESTIGATOR, o=oid, s="accepted")["data"]["transitionObjection"]
    assert moved["state"] == "accepted" and moved["version"] == 2
    assert moved["transitions"][-1]["actor"].startswith("api:")
    assert _code(gql(FILE, FIRM_KEY, u=uscc("A"), r="R-NOPE")) == "NOT_FOUND"
    shown = gql('query($o: String!) { objection(objectionId: $o) { state } }', FIRM_KEY, o=oid)
    assert shown["data"]["objection"]["state"] == "accepted"
    assert [e.action for e in list_events(Store.open(api_graph, DB), subject_id=oid)] == [
        "objection.filed", "objection.accepted"]


ADD = """mutation($a: String!, $k: String!, $d: String!) {
  addCreditRecord(uscc: "%s", kind: $k, agency: $a, issuedOn: "2025-02-01",
                  disclosure: $d, severity: "general", amount: 1000) }"""


def test_add_credit_record_by_agency(gql: Gql, api_graph: Driver) -> None:
    add = ADD % uscc("D")
    assert _code(gql(add, INVESTIGATOR, a="SAMR-FJ", k="administrative_penalty",
                     d="public")) == "FORBIDDEN"
    assert _code(gql(add, RESTRICTED, a="SAMR-BJ", k="administrative_penalty",
                     d="public")) == "FORBIDDEN"
    bad = gql(add, RESTRICTED, a="SAMR-FJ", k="parking_ticket", d="secret")
    assert _code(bad) == "BAD_INPUT"
    assert "kind" in bad["errors"][0]["message"] and "disclosure" in bad["errors"][0]["message"]
    record_id = gql(add, RESTRICTED, a="SAMR-FJ", k="administrative_penalty",
                    d="restricted")["data"]["addCreditRecord"]
    rows, _, _ = api_graph.execute_query(
        "MATCH (:Company {uscc: $u})-[:HAS_RECORD]->(r:CreditRecord:AdministrativePenalties "
        "{record_id: $id}) RETURN r.disclosure AS d, r.polarity AS p", u=uscc("D"), id=record_id)
    assert rows == [{"d": "restricted", "p": "negative"}]
    seen = gql(f'{{ company(uscc: "{uscc("D")}") {{ records {{ recordId }} }} }}', PUBLIC)
    assert record_id not in {r["recordId"] for r in seen["data"]["company"]["records"]}


def test_ranking_runs_need_admin(gql: Gql) -> None:
    trigger = "mutation { triggerRankingRun { runId } }"
    assert _code(gql(trigger, INVESTIGATOR)) == "FORBIDDEN"
    body = gql(trigger, ADMIN)  # no model in this world: a clean NOT_FOUND without paths
    if body.get("errors"):
        assert _code(body) == "NOT_FOUND" and "/" not in body["errors"][0]["message"]


def test_outcome_for_unknown_plan(gql: Gql) -> None:
    body = gql('mutation { recordInspectionOutcome(planId: "plan-nope", uscc: "X", '
               'outcome: "violation", date: "2025-03-01") }', INVESTIGATOR)
    assert _code(body) == "NOT_FOUND"


CREATE_OBJECTION = """mutation($in: CreateObjectionInput!) { createObjection(input: $in) {
  objection { id objectionId currentState state filedBy } errors { code message path }
  clientMutationId } }"""
MOVE_OBJECTION = """mutation($in: MoveObjectionInput!) { moveObjection(input: $in) {
  objection { currentState version transitions { stateBefore stateAfter actor } }
  errors { code message path } } }"""


def _payload(body: dict[str, Any], field: str) -> dict[str, Any]:
    assert "errors" not in body, body  # nothing top-level: the payload carries the errors
    found: dict[str, Any] = body["data"][field]
    return found


def test_objection_input_mutations_with_payload_errors(gql: Gql, api_graph: Driver,
                                                       run: RankingRun) -> None:
    filing = {"uscc": uscc("A"), "recordId": "R1", "grounds": "paid", "clientMutationId": "m1"}
    assert _code(gql(CREATE_OBJECTION, PUBLIC, **{"in": filing})) == "FORBIDDEN"
    missing = _payload(gql(CREATE_OBJECTION, FIRM_KEY, **{"in": dict(filing, recordId="R-NO")}),
                       "createObjection")
    assert missing["objection"] is None and missing["clientMutationId"] == "m1"
    assert [(e["code"], e["path"]) for e in missing["errors"]] == [
        ("NOT_FOUND", ["input", "recordId"])]
    filed = _payload(gql(CREATE_OBJECTION, FIRM_KEY, **{"in": filing}), "createObjection")
    assert filed["errors"] == [] and filed["objection"]["currentState"] == "FILED"
    assert filed["objection"]["state"] == "filed"  # the deprecated text field still answers
    oid = filed["objection"]["objectionId"]
    move = {"objectionId": oid, "toState": "OVERTURNED", "reason": "checked"}
    assert _code(gql(MOVE_OBJECTION, FIRM_KEY, **{"in": move})) == "FORBIDDEN"
    illegal = _payload(gql(MOVE_OBJECTION, INVESTIGATOR, **{"in": move}), "moveObjection")
    assert illegal["objection"] is None and [(e["code"], e["path"]) for e in illegal["errors"]
                                             ] == [("BAD_INPUT", ["input", "toState"])]
    assert "Traceback" not in illegal["errors"][0]["message"]
    moved = _payload(gql(MOVE_OBJECTION, INVESTIGATOR, **{"in": dict(move, toState="ACCEPTED")}),
                     "moveObjection")["objection"]
    assert moved["currentState"] == "ACCEPTED" and moved["version"] == 2
    assert [(t["stateBefore"], t["stateAfter"]) for t in moved["transitions"]] == [
        (None, "FILED"), ("FILED", "ACCEPTED")]
    unknown_state = gql(MOVE_OBJECTION, INVESTIGATOR, **{"in": dict(move, toState="closed")})
    assert _code(unknown_state) == "BAD_INPUT"  # not an ObjectionState: validation refuses
    assert [e.action for e in list_events(Store.open(api_graph, DB), subject_id=oid)] == [
        "objection.filed", "objection.accepted"]


CREATE_RECORD = """mutation($in: CreateCreditRecordInput!) { createCreditRecord(input: $in) {
  recordId errors { code message path } } }"""


def test_create_credit_record_input(gql: Gql, api_graph: Driver) -> None:
    record = {"uscc": uscc("D"), "kind": "ADMINISTRATIVE_PENALTY", "agency": "SAMR-FJ",
              "issuedOn": "2025-02-01", "disclosure": "RESTRICTED", "amount": 1000}
    assert _code(gql(CREATE_RECORD, INVESTIGATOR, **{"in": record})) == "FORBIDDEN"
    assert _code(gql(CREATE_RECORD, RESTRICTED, **{"in": dict(record, kind="parking_ticket")}
                     )) == "BAD_INPUT"  # not a RecordKind
    unknown_firm = _payload(gql(CREATE_RECORD, RESTRICTED,
                                **{"in": dict(record, uscc=uscc("ZZ"))}), "createCreditRecord")
    assert unknown_firm["recordId"] is None
    assert [(e["code"], e["path"]) for e in unknown_firm["errors"]] == [
        ("NOT_FOUND", ["input", "uscc"])]
    two = _payload(gql(CREATE_RECORD, RESTRICTED, **{"in": dict(
        record, severity="grave", removedOn="2025-01-01")}), "createCreditRecord")
    assert two["recordId"] is None  # every problem is its own error, with its field
    assert [(e["code"], e["path"]) for e in two["errors"]] == [
        ("BAD_INPUT", ["input", "severity"]), ("BAD_INPUT", ["input", "removedOn"])]
    made = _payload(gql(CREATE_RECORD, RESTRICTED, **{"in": record}), "createCreditRecord")
    assert made["errors"] == []
    rows, _, _ = api_graph.execute_query(
        "MATCH (:Company {uscc: $u})-[:HAS_RECORD]->(r:CreditRecord {record_id: $id}) "
        "RETURN r.disclosure AS d, r.kind AS k", u=uscc("D"), id=made["recordId"])
    assert rows == [{"d": "restricted", "k": "administrative_penalty"}]
    seen = gql(f'{{ company(uscc: "{uscc("D")}") {{ records(pciCategory: '
               f'ADMINISTRATIVE_PENALTIES) {{ recordId pciCategory recordKind disclosureClass '
               f'}} }} }}', RESTRICTED)["data"]["company"]["records"]
    assert {"recordId": made["recordId"], "pciCategory": "ADMINISTRATIVE_PENALTIES",
            "recordKind": "ADMINISTRATIVE_PENALTY", "disclosureClass": "RESTRICTED"} in seen


def test_ranking_run_and_outcome_inputs(gql: Gql) -> None:
    start = ("mutation { createRankingRun(input: {}) { rankingRun { runId } "
             "errors { code message } } }")
    assert _code(gql(start, INVESTIGATOR)) == "FORBIDDEN"
    body = _payload(gql(start, ADMIN), "createRankingRun")  # no model in this world
    if body["errors"]:
        assert body["rankingRun"] is None and "/" not in body["errors"][0]["message"]
        assert body["errors"][0]["code"] in ("NOT_FOUND", "CONFIG")
    outcome = ('mutation { recordOutcome(input: {planId: "plan-nope", uscc: "X", '
               'outcome: VIOLATION, date: "2025-03-01"}) { recordId errors { code path } } }')
    got = _payload(gql(outcome, INVESTIGATOR), "recordOutcome")
    assert got == {"recordId": None, "errors": [{"code": "NOT_FOUND", "path": ["input", "planId"]}]}


def test_enum_fields_beside_the_deprecated_text(gql: Gql, run: RankingRun) -> None:
    # the module's own run by id: another test may have made a newer run with a trained model
    body = gql("query($r: String) { targets(runId: $r, riskTiers: [CRITICAL]) "
               "{ nodes { uscc tier riskTier } } }", INVESTIGATOR, r=run.run_id)
    assert body["data"]["targets"]["nodes"] == [
        {"uscc": uscc("A"), "tier": "critical", "riskTier": "CRITICAL"}]
    old = gql('query($r: String) { targets(runId: $r, tiers: ["critical"]) { nodes { uscc } } }',
              INVESTIGATOR, r=run.run_id)
    assert old["data"]["targets"]["nodes"] == [{"uscc": uscc("A")}]
    firms = gql("{ companies(riskTier: AVERAGE) { nodes { uscc idScheme idNamespace "
                "assessment { tier riskTier } } } }",
                INVESTIGATOR)["data"]["companies"]["nodes"]
    assert firms, "no firm of the AVERAGE tier in the latest run"
    assert all(f["assessment"] == {"tier": "average", "riskTier": "AVERAGE"} for f in firms)
    assert all((f["idScheme"], f["idNamespace"]) == ("USCC", None) for f in firms)
    assert _code(gql("{ companies(riskTier: AVERAGE) { nodes { uscc } } }", PUBLIC)) == \
        "FORBIDDEN"


def test_a_plan_reads_its_streams_and_states_as_enums(gql: Gql, api_graph: Driver,
                                                     run: RankingRun) -> None:
    store = Store.open(api_graph, DB)
    plan, when = plan_from_run(store, run.run_id, PlanParams(capacity=3, seed=4,
                                                             random_share=0.34))
    plan_id = store_plan(store, run.run_id, plan, when, actor="test")
    body = gql('query($p: String!) { inspectionPlan(planId: $p) { inspections { uscc stream '
               'planStream status inspectionStatus } } }', INVESTIGATOR, p=plan_id)
    got = body["data"]["inspectionPlan"]["inspections"]
    assert [(i["uscc"], i["stream"], i["status"]) for i in got] == [
        (i.firm.uscc, i.stream, i.status) for i in plan.inspections]
    assert {i["stream"] for i in got} == {"random", "tier"}  # both streams drawn
    for row in got:  # the enum member is the stored text, in capitals
        assert (row["planStream"], row["inspectionStatus"]) == (
            row["stream"].upper(), row["status"].upper())
