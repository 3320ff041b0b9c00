"""Automatic persisted queries (issue 19, item 5): a hash runs a document this process has
seen with that hash; an unknown hash, a wrong hash or another protocol version answer a coded
error; no extensions value makes a server error. Runs without Neo4j (``__typename`` only)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from riskgraph.app import persisted_queries

QUERY = "query Probe { __typename }"
HASH = hashlib.sha256(QUERY.encode()).hexdigest()


@pytest.fixture(scope="module")
def client(offline_client: TestClient) -> TestClient:
    return offline_client


def _post(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/graphql", json=body)
    assert response.status_code < 500, response.text
    out: dict[str, Any] = response.json()
    return out


def _apq(digest: str = HASH, version: Any = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": digest}}


def _code(body: dict[str, Any]) -> str:
    return str(body["errors"][0]["extensions"]["code"])


def test_a_hash_runs_once_its_document_was_sent(client: TestClient) -> None:
    persisted_queries.forget()
    assert _code(_post(client, {"extensions": _apq()})) == "PERSISTED_QUERY_NOT_FOUND"
    first = _post(client, {"query": QUERY, "extensions": _apq()})
    assert first == {"data": {"__typename": "Query"}}
    assert _post(client, {"extensions": _apq(HASH.upper())}) == first


def test_a_document_is_stored_only_under_its_own_hash(client: TestClient) -> None:
    persisted_queries.forget()
    other = "0" * 64
    assert _code(_post(client, {"query": QUERY, "extensions": _apq(other)})) == "BAD_INPUT"
    assert _code(_post(client, {"extensions": _apq(other)})) == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.parametrize("extensions", [_apq(version=2), _apq("abc"), {"persistedQuery": 7}])
def test_other_versions_and_bad_hashes_are_coded(client: TestClient,
                                                  extensions: dict[str, Any]) -> None:
    assert _code(_post(client, {"extensions": extensions})) in {
        "PERSISTED_QUERY_NOT_SUPPORTED", "BAD_INPUT"}


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=70),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=12), inner, max_size=3), max_leaves=8)


@settings(max_examples=60, deadline=None)
@given(st.fixed_dictionaries({}, optional={"version": JSON, "sha256Hash": JSON}),
       st.one_of(st.none(), st.just(QUERY), st.text(max_size=30)))
def test_no_persisted_query_value_makes_a_server_error(
        client: TestClient, persisted: dict[str, Any], query: str | None) -> None:
    body: dict[str, Any] = {"extensions": {"persistedQuery": persisted}}
    if query is not None:
        body["query"] = query
    response = client.post("/graphql", content=json.dumps(body),
                           headers={"Content-Type": "application/json"})
    assert response.status_code < 500, response.text
    assert "Traceback" not in response.text
