"""``company(uscc:)`` reads the company, its officers and the records the caller may see in one
statement (app/graphql/registry/company_read.py), and answers exactly as the loaders' path
(``node(id:)`` still takes it: one statement per kind of child) for every role."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import Driver

from riskgraph.app.graphql.common.node import to_global_id
from riskgraph.app.security.principal import Principal
from riskgraph.graph.config import Settings
from tests.app.conftest import (
    ADMIN,
    INVESTIGATOR,
    PUBLIC,
    RESTRICTED,
    CountingDriver,
    make_client,
    uscc,
)

pytestmark = pytest.mark.neo4j

FIELDS = """uscc name status legalRepresentatives { personId name }
    officers(currentOnly: false) { role since until person { personId name nationality } }
    current: officers { role person { personId } }
    records { recordId pciCategory recordKind agency issuedOn disclosureClass overturned
              ... on Inspections { inspectionStream inspectionOutcome } }
    penalties: records(pciCategory: ADMINISTRATIVE_PENALTIES) { recordId }"""
BY_USCC = "query($u: String!) { company(uscc: $u) { " + FIELDS + " } }"
BY_NODE = "query($id: ID!) { node(id: $id) { ... on Company { " + FIELDS + " } } }"
VISIBLE_OF_A = {PUBLIC: {"R1", "R7"}, INVESTIGATOR: {"R1", "R2", "R7"},
                RESTRICTED: {"R1", "R2", "R3", "R7"}, ADMIN: {"R1", "R2", "R3", "R7"}}


@pytest.fixture(scope="module")
def officers_of_a(api_graph: Driver, settings: Settings) -> Driver:
    """A with officers in several roles, one of them past (the world has legal
    representatives only)."""
    api_graph.execute_query(
        "MATCH (a:Company {uscc: $a}), (p2:Person {person_id: 'P2'}), "
        "(p3:Person {person_id: 'P3'}), (p4:Person {person_id: 'P4'}) "
        "CREATE (p2)-[:DIRECTOR_OF {since: date('2016-01-01')}]->(a), "
        "(p4)-[:DIRECTOR_OF {since: date('2017-01-01')}]->(a), "
        "(p3)-[:SUPERVISOR_OF {since: date('2015-01-01'), until: date('2020-01-01')}]->(a)",
        a=uscc("A"), database_=settings.neo4j_database)
    return api_graph


def _post(driver: Any, settings: Settings, principal: Principal, query: str,
          **variables: Any) -> dict[str, Any]:
    with make_client(driver, settings, principal) as client:
        body: dict[str, Any] = client.post(
            "/graphql", json={"query": query, "variables": variables}).json()
    assert "errors" not in body, body
    return body["data"]


@pytest.mark.parametrize("principal", [PUBLIC, INVESTIGATOR, RESTRICTED, ADMIN],
                         ids=lambda p: p.role.value)
def test_a_company_with_officers_and_records_is_one_round_trip_and_the_old_answer(
        officers_of_a: Driver, settings: Settings, principal: Principal) -> None:
    one, old = CountingDriver(officers_of_a), CountingDriver(officers_of_a)
    new = _post(one, settings, principal, BY_USCC, u=uscc("A"))["company"]
    assert one.round_trips == 1
    assert new == _post(old, settings, principal, BY_NODE,
                        id=to_global_id("Company", uscc("A")))["node"]
    assert old.round_trips == 3  # the loaders' path: company, officers, records
    assert {r["recordId"] for r in new["records"]} == VISIBLE_OF_A[principal]
    assert [(o["role"], o["person"]["personId"]) for o in new["officers"]] == [
        ("DIRECTOR_OF", "P2"), ("DIRECTOR_OF", "P4"), ("LEGAL_REPRESENTATIVE_OF", "P1"),
        ("SUPERVISOR_OF", "P3")]
    assert len(new["current"]) == 3


def test_children_are_read_only_when_asked_for_through_fragments_too(
        officers_of_a: Driver, settings: Settings) -> None:
    counting = CountingDriver(officers_of_a)
    query = """query($u: String!) { company(uscc: $u) { name ...People } }
        fragment People on Company { ... on Company { legalRepresentatives { personId } } }"""
    data = _post(counting, settings, ADMIN, query, u=uscc("A"))
    assert data["company"]["legalRepresentatives"] == [{"personId": "P1"}]
    assert counting.round_trips == 1
    bare = CountingDriver(officers_of_a)
    name = "query($u: String!) { company(uscc: $u) { name } }"
    assert _post(bare, settings, ADMIN, name, u=uscc("A")) == {
        "company": {"name": "Alpha Holdings"}}
    assert bare.round_trips == 1


def test_an_unknown_company_is_null_after_one_round_trip(officers_of_a: Driver,
                                                         settings: Settings) -> None:
    counting = CountingDriver(officers_of_a)
    assert _post(counting, settings, ADMIN, BY_USCC, u=uscc("ZZ")) == {"company": None}
    assert counting.round_trips == 1


def test_the_same_company_twice_in_a_request_answers_alike(officers_of_a: Driver,
                                                         settings: Settings) -> None:
    counting = CountingDriver(officers_of_a)
    query = """query($u: String!) { a: company(uscc: $u) { records { recordId } }
        b: company(uscc: $u) { records { recordId } } }"""
    data = _post(counting, settings, PUBLIC, query, u=uscc("A"))
    assert data["a"] == data["b"] and {r["recordId"] for r in data["a"]["records"]} == {
        "R1", "R7"}
    assert counting.round_trips <= 2
