"""Malformed requests (issue 14, item 4): every one gets a coded JSON error, never a 500 or a
plain-text body, and sizes and ranges are bounded (app/request_guard.py, app/graphql/limits.py).

The application runs with no reachable Neo4j: every request here is refused before any
resolver needs it (or asks only for ``__typename``).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from graphql import GraphQLNonNull, Undefined, get_named_type, is_leaf_type
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskgraph.app.graphql.limits import (
    MAX_ARGUMENT_TEXT,
    MAX_BODY_BYTES,
    MAX_NESTING,
    argument_problems,
)
from riskgraph.app.graphql.schema import schema
from riskgraph.graph.errors import ErrorCode

COMPANY = "query($u: String!) { company(uscc: $u) { name } }"


@pytest.fixture(scope="module")
def client(offline_client: TestClient) -> TestClient:
    return offline_client


def _coded(response: Any) -> str:
    assert response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/json"), response.text
    body = response.json()
    assert "Traceback" not in response.text
    return str(body["errors"][0]["extensions"]["code"])


def _raw(client: TestClient, text: str | bytes,
         content_type: str = "application/json") -> Any:
    return client.post("/graphql", content=text, headers={"Content-Type": content_type})


@pytest.mark.parametrize(("label", "body", "code"), [
    ("lone surrogate in variables",
     '{"query": "' + COMPANY + '", "variables": {"u": "\\ud800"}}', "BAD_INPUT"),
    ("lone surrogate in the query", '{"query": "{ __typename \\udfff }"}', "BAD_INPUT"),
    ("list nested 5,000 deep", '{"query": "{ __typename }", "variables": {"x": '
     + "[" * 5000 + "]" * 5000 + "}}", "LIMIT_EXCEEDED"),
    ("list nested past the limit", '{"query": "{ __typename }", "variables": {"x": '
     + "[" * (MAX_NESTING + 2) + "]" * (MAX_NESTING + 2) + "}}", "LIMIT_EXCEEDED"),
    ("batch array", '[{"query": "{ __typename }"}, {"query": "{ __typename }"}]',
     "BAD_INPUT"),
    ("invalid JSON", '{"query": ', "BAD_INPUT"),
    ("NaN", '{"query": "{ __typename }", "variables": {"x": NaN}}', "BAD_INPUT"),
    ("not UTF-8", b'{"query": "\xff"}', "BAD_INPUT"),
    ("a JSON string", '"{ __typename }"', "BAD_INPUT"),
    ("no query", '{"variables": {}}', "BAD_INPUT"),
    ("query not a string", '{"query": 5}', "BAD_INPUT"),
    ("non-object variables", '{"query": "{ __typename }", "variables": [1, 2]}', "BAD_INPUT"),
    ("string variables", '{"query": "{ __typename }", "variables": "{}"}', "BAD_INPUT"),
    ("unknown operationName",
     '{"query": "query A { __typename }", "operationName": "B"}', "BAD_INPUT"),
    ("operationName not a string", '{"query": "{ __typename }", "operationName": 3}',
     "BAD_INPUT"),
])
def test_malformed_bodies_get_coded_json(client: TestClient, label: str, body: str | bytes,
                                         code: str) -> None:
    assert _coded(_raw(client, body)) == code, label


def test_form_bodies_and_other_content_types_are_refused(client: TestClient) -> None:
    form = client.post("/graphql", data={"query": "{ __typename }"})
    assert form.status_code == 415 and _coded(form) == "BAD_INPUT"
    assert _coded(_raw(client, "{ __typename }", "text/plain")) == "BAD_INPUT"


def test_a_huge_body_is_refused_before_it_is_read(client: TestClient) -> None:
    big = json.dumps({"query": "{ __typename }", "variables": {"x": "a" * (10 << 20)}})
    response = _raw(client, big)
    assert response.status_code == 413 and _coded(response) == "LIMIT_EXCEEDED"
    assert len(big) > MAX_BODY_BYTES


def _gql(client: TestClient, query: str, **variables: Any) -> Any:
    return client.post("/graphql", json={"query": query, "variables": variables})


@pytest.mark.parametrize(("query", "variables", "code"), [
    ("{ runs(first: -1) { runId } }", {}, "BAD_INPUT"),
    ("query($n: Int!) { runs(first: $n) { runId } }", {"n": -1}, "BAD_INPUT"),
    ("query($d: Date) { phoenixCandidates(asOf: $d) { __typename } }", {"d": "2026-13-01"},
     "BAD_INPUT"),
    ("query($d: Date) { phoenixCandidates(asOf: $d) { __typename } }", {"d": 12345},
     "BAD_INPUT"),
    ("query($d: Date) { phoenixCandidates(asOf: $d) { __typename } }", {"d": "2026-02-30"},
     "BAD_INPUT"),
    ("query($d: Date) { phoenixCandidates(asOf: $d) { __typename } }", {"d": "2099-01-01"},
     "BAD_INPUT"),
    ('{ phoenixCandidates(asOf: "1800-01-01") { __typename } }', {}, "BAD_INPUT"),
    (COMPANY, {"u": "9" * 1_000}, "LIMIT_EXCEEDED"),
    ("query($n: String!) { people(name: $n) { nodes { name } } }", {"n": "x" * 100_000},
     "LIMIT_EXCEEDED"),
    ('mutation($g: String!) { fileObjection(uscc: "x", grounds: $g) { objectionId } }',
     {"g": "g" * 9_000}, "LIMIT_EXCEEDED"),
    ('mutation($a: String!) { addCreditRecord(uscc: "x", kind: "k", agency: $a, '
     'issuedOn: "2024-01-01", disclosure: "public") { recordId } }', {"a": "a" * 20_000},
     "LIMIT_EXCEEDED"),
    ('mutation { addCreditRecord(uscc: "x", kind: "k", agency: "a", issuedOn: "2024-01-01", '
     'disclosure: "public", amount: 1e308) { recordId } }', {}, "BAD_INPUT"),
    ('query($m: [String!]) { screenBid(tenderId: "T", members: $m) { barred } }',
     {"m": ["x"] * 500}, "LIMIT_EXCEEDED"),
])
def test_arguments_are_bounded(client: TestClient, query: str, variables: dict[str, Any],
                               code: str) -> None:
    response = _gql(client, query, **variables)
    assert _coded(response) == code
    assert len(response.text) < 2_000  # a long value is never echoed whole


@pytest.mark.parametrize(("query", "variables", "where", "code"), [
    ("mutation($i: CreateObjectionInput!) { createObjection(input: $i) { errors { code } } }",
     {"i": {"uscc": "x", "grounds": "g" * 9_000}}, "input.grounds", "LIMIT_EXCEEDED"),
    ('mutation { createObjection(input: {uscc: "%s", grounds: "g"}) { errors { code } } }'
     % ("u" * 500), {}, "input.uscc", "LIMIT_EXCEEDED"),
    ("mutation($i: CreateCreditRecordInput!) { createCreditRecord(input: $i) { recordId } }",
     {"i": {"uscc": "x", "kind": "DONATIONS", "agency": "a" * 5_000, "issuedOn": "2024-01-01",
            "disclosure": "PUBLIC"}}, "input.agency", "LIMIT_EXCEEDED"),
    ('mutation { createCreditRecord(input: {uscc: "x", kind: DONATIONS, agency: "a", '
     'issuedOn: "2024-01-01", disclosure: PUBLIC, amount: 1e308}) { recordId } }', {},
     "input.amount", "BAD_INPUT"),
    ('mutation { createCreditRecord(input: {uscc: "x", kind: DONATIONS, agency: "a", '
     'issuedOn: "1800-01-01", disclosure: PUBLIC}) { recordId } }', {}, "input.issuedOn",
     "BAD_INPUT"),
    ("mutation($i: CreateMatchJudgementInput!) { createMatchJudgement(input: $i) { "
     "errors { code } } }", {"i": {"a": "P1", "b": "P2", "verdict": "SAME",
                                   "note": "n" * 3_000}}, "input.note", "LIMIT_EXCEEDED"),
])
def test_input_objects_are_bounded_member_by_member(client: TestClient, query: str,
                                                    variables: dict[str, Any], where: str,
                                                    code: str) -> None:
    """The argument checks look inside ``input:`` objects, each member under its own limit,
    and name the member's path; nothing reaches the graph (it is offline here)."""
    response = _gql(client, query, **variables)
    assert _coded(response) == code
    assert f"argument {where} of " in response.json()["errors"][0]["message"]
    assert len(response.text) < 2_000


MEMBER = st.text(alphabet="abcdefgh", min_size=1, max_size=6)
SHORT = st.one_of(st.text(max_size=20), st.integers(0, 10**6), st.booleans(), st.none())
INPUTS = st.recursive(st.dictionaries(MEMBER, SHORT, max_size=4),
                      lambda inner: st.dictionaries(MEMBER, st.one_of(SHORT, inner,
                                                                      st.lists(inner, max_size=2)),
                                                    max_size=4), max_leaves=12)


@settings(max_examples=150, deadline=None)
@given(value=INPUTS, path=st.lists(MEMBER, min_size=1, max_size=MAX_NESTING - 2))
def test_a_long_string_anywhere_in_an_input_object_is_found(value: dict[str, Any],
                                                            path: list[str]) -> None:
    """Property: short members pass; one string over the limit at any depth within
    MAX_NESTING is LIMIT_EXCEEDED naming its path."""
    assert [p for p in argument_problems("f", "input", value)
            if p[0] is ErrorCode.LIMIT_EXCEEDED] == []
    planted: dict[str, Any] = {path[-1]: "x" * (MAX_ARGUMENT_TEXT * 30)}
    for key in reversed(path[:-1]):
        planted = {key: planted}
    problems = argument_problems("f", "input", {**value, "zz": planted})
    dotted = ".".join(["input", "zz", *path])
    assert any(code is ErrorCode.LIMIT_EXCEEDED and f"argument {dotted} of f:" in text
               for code, text in problems), problems


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=INPUTS, mutation=st.sampled_from([
    "createObjection", "moveObjection", "createCreditRecord", "recordOutcome",
    "createRankingRun", "createMatchJudgement"]))
def test_any_input_object_gets_coded_json(client: TestClient, value: dict[str, Any],
                                          mutation: str) -> None:
    """Fuzz: whatever object is sent as ``input``, the answer is JSON with coded errors
    (validation, limits, or the offline graph), never a traceback or a 500."""
    kind = mutation[0].upper() + mutation[1:] + "Input"
    response = _gql(client, f"mutation($i: {kind}!) {{ {mutation}(input: $i) "
                            "{ clientMutationId } }", i=value)
    assert _coded(response) in {"BAD_INPUT", "LIMIT_EXCEEDED", "UNAVAILABLE", "FORBIDDEN",
                                "UNAUTHENTICATED"}


def test_get_requests_are_checked_too(client: TestClient) -> None:
    response = client.get("/graphql", params={"query": "{ __typename }", "variables": "[1"})
    assert _coded(response) == "BAD_INPUT"
    page = client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=20)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(body=st.one_of(
    JSON_VALUES.map(json.dumps),
    st.fixed_dictionaries({"query": st.one_of(st.text(max_size=60), st.just("{ __typename }"),
                                              JSON_VALUES),
                           "variables": JSON_VALUES,
                           "operationName": st.one_of(st.none(), st.text(max_size=10),
                                                      JSON_VALUES)}).map(json.dumps),
    st.binary(max_size=80).map(lambda b: b.decode("latin-1"))))
def test_no_body_gets_a_server_error_or_plain_text(client: TestClient, body: str) -> None:
    response = _raw(client, body)
    assert response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/json")
    payload = response.json()
    if "errors" in payload:
        codes = {e["extensions"]["code"] for e in payload["errors"]}
        assert codes <= {"BAD_INPUT", "LIMIT_EXCEEDED", "UNAVAILABLE", "FORBIDDEN",
                         "NOT_FOUND"}, payload


def test_graphiql_is_bundled_and_keeps_no_headers(client: TestClient) -> None:
    page = client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "unpkg.com" not in page.text and "cdn" not in page.text.lower()
    assert "shouldPersistHeaders: false" in page.text
    scripts = re.findall(r'(?:src|href)="(/graphiql-assets/[^"]+)"', page.text)
    assert len(scripts) == 7
    for path in scripts:
        asset = client.get(path)
        assert asset.status_code == 200 and len(asset.content) > 500, path



DUMMY = {"String": '"X"', "ID": '"X"', "Int": "1", "Boolean": "true", "Float": "1.0"}
"""Literals for a field's other required arguments: any value of the type will do, since all
arguments are coerced before the resolver runs."""


def _null_defaulted() -> list[str]:
    """A document per root field argument that is non-null with a default, passed a nullable
    variable (the spec's validation allows it): a null in it is only met when the field runs."""
    documents = []
    built = schema._schema
    for operation, root in (("query", built.query_type), ("mutation", built.mutation_type)):
        assert root is not None
        for name, field in root.fields.items():
            others = {a: t.type for a, t in field.args.items()
                      if isinstance(t.type, GraphQLNonNull) and t.default_value is Undefined}
            if any(get_named_type(t).name not in DUMMY for t in others.values()):
                continue  # an input object would need a whole value: not walked here
            selection = "" if is_leaf_type(get_named_type(field.type)) else "{ __typename }"
            for arg_name, arg in field.args.items():
                if isinstance(arg.type, GraphQLNonNull) and arg.default_value is not Undefined:
                    given_ = "".join(f", {a}: {DUMMY[get_named_type(t).name]}"
                                     for a, t in others.items())
                    documents.append(f"{operation}($v: {arg.type.of_type}) "
                                     f"{{ {name}({arg_name}: $v{given_}) {selection} }}")
    return documents


NULL_DEFAULTED = _null_defaulted()


def test_the_schema_has_non_null_arguments_with_defaults() -> None:
    assert len(NULL_DEFAULTED) >= 10  # the walk below is not empty


@pytest.mark.parametrize("document", NULL_DEFAULTED)
def test_null_for_a_defaulted_non_null_argument_is_bad_input(client: TestClient,
                                                             document: str) -> None:
    response = client.post("/graphql", json={"query": document, "variables": {"v": None}})
    assert _coded(response) == "BAD_INPUT", response.text
    assert "not to be None" in response.text
