"""GraphQL for the firm review queue on the real graph: ``matchReviewQueue(kind: COMPANY)`` and
``createMatchJudgement`` with ``kind: COMPANY``, investigators only, audited like people's."""

from __future__ import annotations

import json
from typing import Any

import pytest
from neo4j import Driver

from riskgraph.graph.config import get_settings
from riskgraph.graph.store import Store
from riskgraph.graph.store.audit import list_events
from riskgraph.graph.store.resolution import apply_run, judgements
from tests.app.conftest import ADMIN, INVESTIGATOR, PUBLIC, RESTRICTED, Gql, uscc

pytestmark = pytest.mark.neo4j
B, C, D = uscc("B"), uscc("C"), uscc("D")
EVIDENCE = [{"comparison": "prior", "level": "two random records match", "weight": -9.5},
            {"comparison": "name", "level": "same name key", "weight": 7.0}]
QUEUE = """query($n: Int!, $k: ResolutionKind) { matchReviewQueue(first: $n, kind: $k) {
  pairId kind aKey bKey probability comparisons { comparison level }
  a { personId } aCompany { uscc name } bCompany { uscc } } }"""
CREATE = """mutation($in: CreateMatchJudgementInput!) { createMatchJudgement(input: $in) {
  judgement { pairId kind verdict note actor } errors { code message } } }"""


DB = get_settings().neo4j_database


def _code(body: dict[str, Any]) -> str | None:
    errors = body.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


@pytest.fixture(scope="module")
def queued(api_graph: Driver) -> Driver:
    """Firms B and C on the firm review queue (a run of kind company)."""
    apply_run(Store.open(api_graph, DB), [], [{"a": B, "b": C, "weight": 0.3,
                                                "probability": 0.55,
                                                "evidence": json.dumps(EVIDENCE)}],
              actor="test", method="test", detail={}, kind="company")
    return api_graph


def _queue(gql: Gql, kind: str | None = "COMPANY") -> list[dict[str, Any]]:
    body = gql(QUEUE, INVESTIGATOR, n=10, k=kind)
    assert "errors" not in body, body
    rows: list[dict[str, Any]] = body["data"]["matchReviewQueue"]
    return rows


def test_the_firm_queue_by_role_apart_from_people(gql: Gql, queued: Driver) -> None:
    assert _code(gql(QUEUE, PUBLIC, n=5, k="COMPANY")) == "FORBIDDEN"
    for who in (INVESTIGATOR, RESTRICTED, ADMIN):
        body = gql(QUEUE, who, n=5, k="COMPANY")
        assert "errors" not in body, body
        (pair,) = body["data"]["matchReviewQueue"]
        assert (pair["kind"], pair["aKey"], pair["bKey"]) == ("COMPANY", min(B, C), max(B, C))
        assert pair["a"] is None  # not a person
        assert {pair["aCompany"]["uscc"], pair["bCompany"]["uscc"]} == {B, C}
        assert pair["aCompany"]["name"] in {"Beta Trading", "Gamma Supplies"}
        assert [c["level"] for c in pair["comparisons"]] == [e["level"] for e in EVIDENCE]
    assert _queue(gql, None) == [] and _queue(gql, "PERSON") == []  # people's queue: default
    assert _code(gql(QUEUE, INVESTIGATOR, n=5, k="FIRM")) == "BAD_INPUT"


def test_a_firm_judgement_by_role_clears_the_queue_and_is_audited(gql: Gql, queued: Driver
                                                                  ) -> None:
    given = {"a": B, "b": C, "verdict": "NOT_SAME", "note": "two shops", "kind": "COMPANY"}
    assert _code(gql(CREATE, PUBLIC, **{"in": given})) == "FORBIDDEN"
    assert _code(gql(CREATE, INVESTIGATOR, **{"in": dict(given, kind="FIRM")})) == "BAD_INPUT"
    for bad, code in ((dict(given, b=B), "BAD_INPUT"),
                      (dict(given, b=" "), "BAD_INPUT"),
                      (dict(given, kind="PERSON"), "NOT_FOUND"),  # firm keys are no people
                      (dict(given, b="P1"), "NOT_FOUND")):  # a person is no firm
        got = gql(CREATE, INVESTIGATOR, **{"in": bad})["data"]["createMatchJudgement"]
        assert got["judgement"] is None and [e["code"] for e in got["errors"]] == [code], bad
    assert _queue(gql) != []  # refused inputs judged nothing
    got = gql(CREATE, INVESTIGATOR, **{"in": given})["data"]["createMatchJudgement"]
    assert got["errors"] == [], got
    j = got["judgement"]
    assert (j["pairId"], j["kind"], j["verdict"]) == (f"{min(B, C)}|{max(B, C)}", "COMPANY",
                                                      "NOT_SAME")
    assert j["actor"].startswith("api:") and j["actor"].endswith(":inv")
    assert _queue(gql) == []  # judged: closed
    (stored,) = judgements(Store.open(queued, DB), kind="company")
    assert (stored.a, stored.b, stored.verdict, stored.note) == (min(B, C), max(B, C),
                                                                 "not_same", "two shops")
    assert judgements(Store.open(queued, DB)) == []  # people's judgements are apart
    (event,) = list_events(Store.open(queued, DB), action="resolution.judged.not_same")
    assert event.actor == j["actor"] and event.reason == "two shops"
    assert event.subject_id == stored.judgement_id


def test_a_firm_run_after_the_judgement_does_not_reopen_the_pair(gql: Gql, queued: Driver
                                                                 ) -> None:
    apply_run(Store.open(queued, DB), [], [{"a": B, "b": C, "weight": 0.3, "probability": 0.6,
                                            "evidence": json.dumps(EVIDENCE)},
                                           {"a": C, "b": D, "weight": 0.1, "probability": 0.52,
                                            "evidence": json.dumps(EVIDENCE)}],
              actor="test", method="test", detail={}, kind="company")
    assert [p["pairId"] for p in _queue(gql)] == [f"{min(C, D)}|{max(C, D)}"]


LOOSE = """mutation($a: String!, $b: String!, $k: ResolutionKind) {
  judgeMatch(a: $a, b: $b, verdict: UNSURE, note: "later", kind: $k) { pairId kind verdict } }"""


def test_the_deprecated_judge_match_takes_a_kind_defaulting_to_people(gql: Gql, queued: Driver
                                                                      ) -> None:
    apply_run(Store.open(queued, DB), [], [{"a": C, "b": D, "weight": 0.1, "probability": 0.52,
                                            "evidence": json.dumps(EVIDENCE)}],
              actor="test", method="test", detail={}, kind="company")
    for kind in (None, "PERSON"):  # omitted or null: people, and firm keys are no people
        assert _code(gql(LOOSE, INVESTIGATOR, a=C, b=D, k=kind)) == "NOT_FOUND", kind
    assert _code(gql(LOOSE, INVESTIGATOR, a=C, b=D, k="FIRM")) == "BAD_INPUT"
    assert _code(gql(LOOSE, PUBLIC, a=C, b=D, k="COMPANY")) == "FORBIDDEN"
    body = gql(LOOSE, INVESTIGATOR, a=C, b=D, k="COMPANY")
    assert "errors" not in body, body
    assert body["data"]["judgeMatch"] == {"pairId": f"{min(C, D)}|{max(C, D)}",
                                          "kind": "COMPANY", "verdict": "UNSURE"}
    assert f"{min(C, D)}|{max(C, D)}" not in [p["pairId"] for p in _queue(gql)]
    assert [j.verdict for j in judgements(Store.open(queued, DB), kind="company")][-1] == \
        "unsure"
