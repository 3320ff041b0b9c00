"""GraphQL reads firms through the entity resolution (issue 21), on the real Neo4j: a second
source's copy of a firm (``ocds-party:src-b/…``) linked SAME_AS its registry firm leads to it
(``registryFirm`` / ``copies``), is no related party or firm sharing people of its own firm, and
its people count as its registry firm's in ``sharedPeople`` / ``relatedParties``.

The graph: the API world (tests/app/conftest.py) plus K, a portal's record of India Far (I)
judged the same firm; K2, a portal record linked to nothing; P8 director of I and of K; P9
director of K and of Beta Trading (B); P1 (Alpha's and Delta's legal representative) director of
K too.
"""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import Driver

from riskgraph.graph.config import get_settings
from riskgraph.graph.store import Store
from riskgraph.graph.store.resolution import judge
from riskgraph.seed.firm_duplicates import COPY_PREFIX
from tests.app.conftest import PUBLIC, Gql, uscc

pytestmark = pytest.mark.neo4j
DB = get_settings().neo4j_database
A, B, D, INDIA = uscc("A"), uscc("B"), uscc("D"), uscc("I")
K, K2 = f"{COPY_PREFIX}0000001", f"{COPY_PREFIX}0000002"

COPIES = """
MATCH (i:Company {uscc: $i}), (b:Company {uscc: $b}), (p1:Person {person_id: 'P1'})
CREATE (k:Company {uscc: $k, name: 'India Far Co.', status: 'active'})
CREATE (:Company {uscc: $k2, name: 'Unlinked Portal Party', status: 'active'})
CREATE (p8:Person {person_id: 'P8', name: 'Person P8'})
CREATE (p9:Person {person_id: 'P9', name: 'Person P9'})
CREATE (p8)-[:DIRECTOR_OF {since: date('2019-01-01')}]->(i)
CREATE (p8)-[:DIRECTOR_OF {since: date('2023-06-01')}]->(k)
CREATE (p9)-[:DIRECTOR_OF {since: date('2023-06-01')}]->(k)
CREATE (p9)-[:DIRECTOR_OF {since: date('2020-01-01')}]->(b)
CREATE (p1)-[:DIRECTOR_OF {since: date('2023-06-01')}]->(k)
"""
LINKS = """query($u: String!) { company(uscc: $u) {
  uscc registryFirm { uscc name } copies { uscc name } } }"""
SHARED = """query($a: String!, $b: String!) { sharedPeople(a: $a, b: $b) {
  person { personId } rolesInA rolesInB } }"""
RELATED = """query($u: String!) { relatedParties(uscc: $u, channels: [PEOPLE]) {
  company { uscc } hops links { fromUscc toUscc via { id } } } }"""


@pytest.fixture(scope="module")
def copies(api_graph: Driver) -> Driver:
    api_graph.execute_query(COPIES, i=INDIA, b=B, k=K, k2=K2)
    judge(Store.open(api_graph, DB), INDIA, K, "same", "the portal's party is India Far",
          actor="test", kind="company")
    return api_graph


def _data(body: dict[str, Any]) -> Any:
    assert "errors" not in body, body
    return body["data"]


def test_a_copy_leads_to_its_registry_firm_and_the_firm_lists_its_copies(
        gql: Gql, copies: Driver) -> None:
    copy = _data(gql(LINKS, PUBLIC, u=K))["company"]
    assert copy == {"uscc": K, "registryFirm": {"uscc": INDIA, "name": "India Far"},
                    "copies": []}
    firm = _data(gql(LINKS, PUBLIC, u=INDIA))["company"]
    assert firm == {"uscc": INDIA, "registryFirm": None,
                    "copies": [{"uscc": K, "name": "India Far Co."}]}
    alone = _data(gql(LINKS, PUBLIC, u=K2))["company"]
    assert alone == {"uscc": K2, "registryFirm": None, "copies": []}
    other = _data(gql(LINKS, PUBLIC, u=A))["company"]
    assert other == {"uscc": A, "registryFirm": None, "copies": []}


def test_shared_people_count_a_copys_people_as_its_registry_firms(gql: Gql,
                                                                   copies: Driver) -> None:
    rows = _data(gql(SHARED, PUBLIC, a=INDIA, b=B))["sharedPeople"]
    assert rows == [{"person": {"personId": "P9"}, "rolesInA": ["DIRECTOR_OF"],
                     "rolesInB": ["DIRECTOR_OF"]}]
    # the copy's key reads as the whole firm, too
    assert _data(gql(SHARED, PUBLIC, a=K, b=B))["sharedPeople"] == rows
    body = gql(SHARED, PUBLIC, a=INDIA, b=K)  # two records of one firm share no people
    assert body["errors"][0]["extensions"]["code"] == "BAD_INPUT"
    assert "records of one firm" in body["errors"][0]["message"]


def test_a_firms_copy_is_no_related_party_and_its_people_link_the_firm(
        gql: Gql, copies: Driver) -> None:
    parties = _data(gql(RELATED, PUBLIC, u=INDIA))["relatedParties"]
    got = {p["company"]["uscc"]: [(lk["fromUscc"], lk["via"]["id"]) for lk in p["links"]]
           for p in parties}
    # not K (its own copy, through P8); B through P9, A and D through P1, all held in the copy
    assert got == {A: [(INDIA, "P1")], B: [(INDIA, "P9")], D: [(INDIA, "P1")]}
    from_a = _data(gql(RELATED, PUBLIC, u=A))["relatedParties"]
    # Alpha's legal representative directs K: the related party is India Far, not its copy
    assert sorted(p["company"]["uscc"] for p in from_a) == sorted([D, INDIA])
    assert all(lk["toUscc"] != K for p in from_a for lk in p["links"])
