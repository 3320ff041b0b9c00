"""Connections (first/after/last/before, pageInfo, totalCount) and the Node interface with
global ids (issue 19, items 1 and 2), against real Neo4j and the API test world."""

from __future__ import annotations

import pytest

from tests.app.conftest import FILLERS, INVESTIGATOR, PUBLIC, RESTRICTED, Gql, uscc

pytestmark = pytest.mark.neo4j

PAGE = """query($first: Int, $after: String, $last: Int, $before: String) {
  companies(region: "110000", first: $first, after: $after, last: $last, before: $before) {
    totalCount edges { cursor node { uscc } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""


def _walk(gql: Gql, backward: bool) -> list[str]:
    seen: list[str] = []
    cursor = None
    while True:
        args = {"last": 25, "before": cursor} if backward else {"first": 25, "after": cursor}
        page = gql(PAGE, **args)["data"]["companies"]
        assert page["totalCount"] == FILLERS
        keys = [e["node"]["uscc"] for e in page["edges"]]
        assert keys == sorted(keys)  # a page reads in list order either way
        info = page["pageInfo"]
        assert info["startCursor"] == page["edges"][0]["cursor"]
        assert info["endCursor"] == page["edges"][-1]["cursor"]
        seen = keys + seen if backward else seen + keys
        more = info["hasPreviousPage"] if backward else info["hasNextPage"]
        if not more:
            break
        cursor = info["startCursor"] if backward else info["endCursor"]
    return seen


def test_pages_forwards_and_backwards_cover_the_list_once(gql: Gql) -> None:
    forwards, backwards = _walk(gql, False), _walk(gql, True)
    assert forwards == backwards == sorted(set(forwards)) and len(forwards) == FILLERS


def test_a_page_after_a_cursor_knows_its_neighbours(gql: Gql) -> None:
    first = gql(PAGE, first=10)["data"]["companies"]
    assert not first["pageInfo"]["hasPreviousPage"] and first["pageInfo"]["hasNextPage"]
    second = gql(PAGE, first=10, after=first["pageInfo"]["endCursor"])["data"]["companies"]
    assert second["pageInfo"]["hasPreviousPage"]
    back = gql(PAGE, last=10, before=second["pageInfo"]["startCursor"])["data"]["companies"]
    assert back["edges"] == first["edges"] and back["pageInfo"]["hasNextPage"]


@pytest.mark.parametrize("args", [{"first": 5, "last": 5}, {"after": "bm9wZQ"},
                                  {"last": 0}, {"before": "%%%"}])
def test_bad_pagination_arguments_are_bad_input(gql: Gql, args: dict[str, object]) -> None:
    body = gql(PAGE, **args)
    assert body["errors"][0]["extensions"]["code"] == "BAD_INPUT", body


def test_phoenix_firms_page_and_the_deprecated_list_agree(gql: Gql) -> None:
    new = gql("{ phoenixFirms(first: 10) { totalCount nodes { company { uscc } } } }")
    old = gql("{ phoenixCandidates(first: 10) { company { uscc } } }")
    assert new["data"]["phoenixFirms"]["nodes"] == old["data"]["phoenixCandidates"]
    assert uscc("F") in str(new) and new["data"]["phoenixFirms"]["totalCount"] is None


def test_people_and_tenders_are_connections(gql: Gql) -> None:
    body = gql("""{ people(name: "filler rep", last: 5) { totalCount
        pageInfo { hasPreviousPage hasNextPage } nodes { personId } }
      tenders(first: 1) { totalCount nodes { tenderId } } }""")
    people = body["data"]["people"]
    assert people["totalCount"] == FILLERS and len(people["nodes"]) == 5
    assert people["pageInfo"] == {"hasPreviousPage": True, "hasNextPage": False}
    assert body["data"]["tenders"]["totalCount"] >= 1


NODE = """query($id: ID!) { node(id: $id) { __typename id
  ... on Company { uscc name } ... on CreditRecord { recordId } } }"""


def test_node_refetches_what_an_id_names(gql: Gql) -> None:
    company = gql('query($u: String!) { company(uscc: $u) { id uscc name } }',
                  u=uscc("A"))["data"]["company"]
    body = gql(NODE, id=company["id"])
    assert "errors" not in body, body
    again = body["data"]["node"]
    assert again == {"__typename": "Company", **company}
    people = gql('query($u: String!) { company(uscc: $u) { legalRepresentatives { id } } }',
                 u=uscc("A"))["data"]["company"]["legalRepresentatives"]
    found = gql("query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }",
                ids=[company["id"], people[0]["id"]])["data"]["nodes"]
    assert [n["__typename"] for n in found] == ["Company", "Person"]


def test_node_respects_disclosure(gql: Gql) -> None:
    records = gql('query($u: String!) { company(uscc: $u) { records { id recordId } } }',
                  RESTRICTED, u=uscc("A"))["data"]["company"]["records"]
    hidden = next(r["id"] for r in records if r["recordId"] == "R3")  # restricted, SAMR-FJ
    assert gql(NODE, RESTRICTED, id=hidden)["data"]["node"]["recordId"] == "R3"
    for outsider in (PUBLIC, INVESTIGATOR):
        body = gql(NODE, outsider, id=hidden)
        assert body == {"data": {"node": None}}, body  # as for an id naming nothing
    nobody = "Q29tcGFueTpub3BlOm5vcGU="  # Company:nope:nope
    assert gql(NODE, id=nobody) == {"data": {"node": None}}
    assert gql(NODE, id="not an id")["errors"][0]["extensions"]["code"] == "BAD_INPUT"
