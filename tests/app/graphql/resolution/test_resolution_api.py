"""GraphQL for entity resolution on the real graph: the review queue and judgeMatch, by role,
audited like the CLI's judgement, identity evidence kept undisclosed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from neo4j import Driver

from riskgraph.app.graphql.schema import schema
from riskgraph.graph.config import get_settings
from riskgraph.graph.errors import BadInput
from riskgraph.graph.store import Store
from riskgraph.graph.store.audit import list_events
from riskgraph.graph.store.resolution import apply_run, check_judgement, judgements
from tests.app.conftest import ADMIN, INVESTIGATOR, PUBLIC, RESTRICTED, Gql, uscc

DB = get_settings().neo4j_database

pytestmark = pytest.mark.neo4j
FIRM_B, FIRM_C = uscc("B"), uscc("C")
MASKED_ID, BIRTH = "350102********4321", "1971-09-14"
EVIDENCE = [{"comparison": "prior", "level": "two random records match", "weight": -9.5},
            {"comparison": "birth_date", "level": "day and month swapped", "weight": 3.25},
            {"comparison": "id_number", "level": "visible digits agree", "weight": 6.0}]
QUEUE = """query($n: Int!) { matchReviewQueue(first: $n) {
  pairId probability weight comparisons { comparison level weight }
  a { personId name nationality } b { personId name } } }"""
JUDGE = """mutation($a: String!, $b: String!, $v: MatchVerdict!, $n: String!) {
  judgeMatch(a: $a, b: $b, verdict: $v, note: $n) { pairId verdict note actor } }"""


def _code(body: dict[str, Any]) -> str | None:
    errors = body.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


@pytest.fixture(scope="module")
def queued(api_graph: Driver) -> Driver:
    """P1 and P3 on the review queue; P1 with a masked id number and a birth date."""
    api_graph.execute_query("MATCH (p:Person {person_id: 'P1'}) "
                            "SET p.id_number_masked = $id, p.birth_date = date($birth)",
                            id=MASKED_ID, birth=BIRTH)
    apply_run(Store.open(api_graph, DB), [],
              [{"a": "P1", "b": "P3", "weight": 0.4, "probability": 0.57,
                "evidence": json.dumps(EVIDENCE)}],
              actor="test", method="test", detail={})
    return api_graph


def test_the_queue_by_role_with_levels_and_no_identity_values(gql: Gql, queued: Driver
                                                              ) -> None:
    assert _code(gql(QUEUE, PUBLIC, n=5)) == "FORBIDDEN"
    for who in (INVESTIGATOR, RESTRICTED, ADMIN):
        body = gql(QUEUE, who, n=5)
        assert "errors" not in body, body
        (pair,) = body["data"]["matchReviewQueue"]
        assert pair["pairId"] == "P1|P3" and pair["probability"] == pytest.approx(0.57)
        assert pair["a"]["personId"] == "P1" and pair["b"]["personId"] == "P3"
        assert [(c["comparison"], c["level"]) for c in pair["comparisons"]] == [
            (e["comparison"], e["level"]) for e in EVIDENCE]
        text = json.dumps(body)
        assert MASKED_ID not in text and BIRTH not in text and "4321" not in text
    assert _code(gql(QUEUE, INVESTIGATOR, n=0)) == "BAD_INPUT"
    assert _code(gql(QUEUE, INVESTIGATOR, n=101)) == "LIMIT_EXCEEDED"
    sdl = schema.as_str()
    assert "idNumber" not in sdl and "birthDate" not in sdl


def test_judge_match_by_role_audited_like_the_cli(gql: Gql, queued: Driver) -> None:
    variables = {"a": "P1", "b": "P3", "v": "NOT_SAME", "n": "different fathers' names"}
    assert _code(gql(JUDGE, PUBLIC, **variables)) == "FORBIDDEN"
    assert _code(gql(JUDGE, INVESTIGATOR, **{**variables, "b": "P1"})) == "BAD_INPUT"
    assert _code(gql(JUDGE, INVESTIGATOR, **{**variables, "b": "P-NOPE"})) == "NOT_FOUND"
    assert _code(gql(JUDGE, INVESTIGATOR, **{**variables, "n": "x" * 2001})) == "LIMIT_EXCEEDED"
    assert _code(gql(JUDGE, INVESTIGATOR, **{**variables, "n": "bell \x07"})) == "BAD_INPUT"
    before = len(judgements(Store.open(queued, DB)))
    body = gql(JUDGE, INVESTIGATOR, **variables)
    assert "errors" not in body, body
    got = body["data"]["judgeMatch"]
    assert (got["pairId"], got["verdict"], got["note"]) == ("P1|P3", "NOT_SAME", variables["n"])
    assert got["actor"].startswith("api:") and got["actor"].endswith(":inv")
    assert len(judgements(Store.open(queued, DB))) == before + 1
    (event,) = list_events(Store.open(queued, DB), action="resolution.judged.not_same")
    assert event.actor == got["actor"] and event.reason == variables["n"]
    assert gql(QUEUE, INVESTIGATOR, n=5)["data"]["matchReviewQueue"] == []  # judged: closed


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=st.one_of(st.sampled_from(["P2", "P4", " P2 ", "P-NONE"]), st.text(max_size=8)),
       b=st.one_of(st.sampled_from(["P4", "P2"]), st.text(max_size=8)),
       note=st.text(max_size=40))
def test_any_judge_match_input_is_a_judgement_or_a_coded_error(gql: Gql, queued: Driver,
                                                               a: str, b: str,
                                                               note: str) -> None:
    """Property: whatever the arguments, an "unsure" judgement is stored exactly when the
    input checks pass and both people exist; otherwise BAD_INPUT or NOT_FOUND, no traceback."""
    body = gql(JUDGE, INVESTIGATOR, a=a, b=b, v="UNSURE", n=note)
    try:
        ca, cb, _, _ = check_judgement(a, b, "unsure", note)
    except BadInput:
        assert _code(body) == "BAD_INPUT"
        return
    if {ca, cb} <= {"P1", "P2", "P3", "P4"}:
        assert "errors" not in body, body
        assert body["data"]["judgeMatch"]["verdict"] == "UNSURE"
    else:
        assert _code(body) == "NOT_FOUND"


CREATE = """mutation($in: CreateMatchJudgementInput!) { createMatchJudgement(input: $in) {
  judgement { pairId verdict note } errors { code message path } clientMutationId } }"""


def test_create_match_judgement_payload_by_role(gql: Gql, queued: Driver) -> None:
    given_in = {"a": "P2", "b": "P4", "verdict": "UNSURE", "note": "n", "clientMutationId": "c1"}
    assert _code(gql(CREATE, PUBLIC, **{"in": given_in})) == "FORBIDDEN"  # top-level
    for bad, code, field in ((dict(given_in, b="P2"), "BAD_INPUT", "b"),
                             (dict(given_in, a=" "), "BAD_INPUT", "a"),
                             (dict(given_in, note="a\x07b"), "BAD_INPUT", "note"),
                             (dict(given_in, a="P-NOPE"), "NOT_FOUND", "a"),
                             (dict(given_in, b="P-NOPE"), "NOT_FOUND", "b")):
        body = gql(CREATE, INVESTIGATOR, **{"in": bad})
        assert "errors" not in body, body  # the error is in the payload, coded
        got = body["data"]["createMatchJudgement"]
        assert got["judgement"] is None and [e["code"] for e in got["errors"]] == [code]
        assert got["errors"][0]["path"] == ["input", field]  # the input field it is about
        assert got["clientMutationId"] == "c1"
    too_long = gql(CREATE, INVESTIGATOR, **{"in": dict(given_in, note="x" * 2001)})
    assert _code(too_long) == "LIMIT_EXCEEDED"  # refused before it runs, naming the path
    assert "input.note" in too_long["errors"][0]["message"]
    done = gql(CREATE, INVESTIGATOR, **{"in": given_in})["data"]["createMatchJudgement"]
    assert done["errors"] == [] and done["judgement"] == {
        "pairId": "P2|P4", "verdict": "UNSURE", "note": "n"}


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=st.one_of(st.sampled_from(["P2", "P4", " P2 ", "P-NONE", FIRM_B]),
                   st.text(max_size=8)),
       b=st.one_of(st.sampled_from(["P4", "P2", FIRM_C]), st.text(max_size=8)),
       note=st.text(max_size=40), extra=st.dictionaries(st.text(max_size=5), st.integers(),
                                                        max_size=2),
       kind=st.one_of(st.sampled_from([None, "PERSON", "COMPANY", "FIRM", "person"]),
                      st.text(max_size=6)))
def test_any_judgement_input_object_is_a_judgement_or_a_coded_payload_error(
        gql: Gql, queued: Driver, a: str, b: str, note: str, extra: dict[str, int],
        kind: str | None) -> None:
    """Property: an input object is a stored judgement when the checks pass and both records
    exist as the kind given (people when none); BAD_INPUT or NOT_FOUND in the payload
    otherwise; an unknown member or kind is a top-level BAD_INPUT (validation); never a
    traceback."""
    fields: dict[str, Any] = {"a": a, "b": b, "verdict": "UNSURE", "note": note}
    if kind is not None:
        fields["kind"] = kind
    body = gql(CREATE, INVESTIGATOR, **{"in": {**extra, **fields}})
    if set(extra) - set(fields) or kind not in (None, "PERSON", "COMPANY"):
        assert _code(body) == "BAD_INPUT"
        return
    assert "errors" not in body, body
    got = body["data"]["createMatchJudgement"]
    try:
        ca, cb, _, _ = check_judgement(a, b, "unsure", note)
    except BadInput as exc:
        assert [e["code"] for e in got["errors"]] == ["BAD_INPUT"] and got["judgement"] is None
        assert got["errors"][0]["path"] == ["input", exc.field]
        return
    known = {FIRM_B, FIRM_C} if kind == "COMPANY" else {"P1", "P2", "P3", "P4"}
    if {ca, cb} <= known:
        assert got["errors"] == [] and got["judgement"]["verdict"] == "UNSURE"
    else:
        assert [e["code"] for e in got["errors"]] == ["NOT_FOUND"]
        assert got["errors"][0]["path"] == ["input", "a" if ca not in known else "b"]


@pytest.mark.parametrize(("a", "b", "verdict", "note", "field"), [
    ("", "P2", "unsure", "", "a"), ("P1", "  ", "unsure", "", "b"),
    ("P1", "P1", "unsure", "", "b"), ("P1", "P2", "maybe", "", "verdict"),
    ("P1", "P2", "same", "x" * 2001, "note"), ("P1", "P2", "same", "\x07", "note")])
def test_each_judgement_check_names_its_field(a: str, b: str, verdict: str, note: str,
                                              field: str) -> None:
    with pytest.raises(BadInput) as raised:
        check_judgement(a, b, verdict, note)
    assert raised.value.field == field
