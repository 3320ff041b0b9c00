"""Each read query of the GraphQL API against the hand-built graph in the real Neo4j."""

from __future__ import annotations

import pytest

from tests.app.conftest import ADMIN, FILLERS, INVESTIGATOR, Gql, uscc

pytestmark = pytest.mark.neo4j


def test_company_by_uscc_with_people_address_and_bids(gql: Gql) -> None:
    body = gql("""query($u: String!) { company(uscc: $u) {
        uscc name regionCode foundedOn status
        legalRepresentatives { personId name }
        officers { role person { personId } }
        addresses { text companies { name } }
        bids { role status tender { tenderId buyer } }
        assessment { tier } } }""", principal=INVESTIGATOR, u=uscc("A").lower())
    assert "errors" not in body, body
    c = body["data"]["company"]
    assert c["uscc"] == uscc("A") and c["name"] == "Alpha Holdings"
    assert c["foundedOn"] == "2015-01-01" and c["regionCode"] == "350100"
    assert [p["personId"] for p in c["legalRepresentatives"]] == ["P1"]
    assert c["officers"] == [{"role": "LEGAL_REPRESENTATIVE_OF", "person": {"personId": "P1"}}]
    assert sorted(x["name"] for x in c["addresses"][0]["companies"]) == [
        "Alpha Holdings", "Gamma Supplies"]
    assert c["bids"] == [{"role": "sole", "status": "won",
                          "tender": {"tenderId": "T1", "buyer": "Fuzhou Hospital"}}]
    assert c["assessment"] is None  # no ranking run in this graph


def test_records_come_typed_by_category(gql: Gql) -> None:
    body = gql("""query($u: String!) { company(uscc: $u) { records {
        __typename recordId category
        ... on Inspections { stream outcome } } } }""", principal=ADMIN, u=uscc("A"))
    recs = {r["recordId"]: r for r in body["data"]["company"]["records"]}
    assert set(recs) == {"R1", "R2", "R3", "R7"}
    assert recs["R2"]["__typename"] == "TaxArrears"
    assert recs["R1"]["__typename"] == "AdministrativePenalties"
    assert recs["R7"] == {"__typename": "Inspections", "recordId": "R7",
                          "category": "inspections", "stream": "random",
                          "outcome": "violation"}


def test_unknown_company_is_null(gql: Gql) -> None:
    body = gql('{ company(uscc: "91350100MA0000000X") { name } health { status } }')
    assert body["data"]["company"] is None  # a lookup answers null, as clients expect
    assert body["data"]["health"] == {"status": "ok"}
    assert "errors" not in body, body


def test_search_pages_through_all_fillers_without_overlap(gql: Gql) -> None:
    query = """query($after: String) { companies(region: "110000", first: 25, after: $after) {
        edges { cursor node { uscc name } } pageInfo { hasNextPage endCursor } } }"""
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        page = gql(query, after=after)["data"]["companies"]
        seen += [e["node"]["uscc"] for e in page["edges"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert pages == 3 and len(seen) == FILLERS and len(set(seen)) == FILLERS
    assert seen == sorted(seen)


def test_search_filters_by_name_and_industry(gql: Gql) -> None:
    body = gql('{ companies(name: "hold") { nodes { name } } }')
    assert body["data"]["companies"]["nodes"] == [{"name": "Alpha Holdings"}]
    body = gql('{ companies(industry: "F5", first: 100) { nodes { regionCode } } }')
    assert len(body["data"]["companies"]["nodes"]) == FILLERS
    body = gql('{ companies(tier: "high") { nodes { name } } }', principal=INVESTIGATOR)
    assert body["data"]["companies"]["nodes"] == []  # no ranking run yet


def test_person_with_roles(gql: Gql) -> None:
    body = gql('{ person(id: "P1") { name roles { role share company { name } } } }')
    roles = {(r["role"], r["company"]["name"], r["share"])
             for r in body["data"]["person"]["roles"]}
    assert roles == {("LEGAL_REPRESENTATIVE_OF", "Alpha Holdings", None),
                     ("LEGAL_REPRESENTATIVE_OF", "Delta Works", None),
                     ("HOLDS_EQUITY", "Alpha Holdings", 80.0)}


def test_ultimate_controllers_multiply_shares_and_survive_the_cycle(gql: Gql) -> None:
    body = gql("""query($u: String!) { ultimateControllers(uscc: $u) {
        holder { label id } effectiveShare paths { nodes { id } } } }""", u=uscc("B"))
    got = {c["holder"]["id"]: c["effectiveShare"]
           for c in body["data"]["ultimateControllers"]}
    assert got.keys() == {"P1", "P2"}
    assert got["P1"] == pytest.approx(0.8 * 0.6) and got["P2"] == pytest.approx(0.4)


def test_ownership_chain_lists_simple_paths_only(gql: Gql) -> None:
    body = gql("""query($u: String!) { ownershipChain(uscc: $u, maxDepth: 5) {
        nodes { id } effectiveShare terminal } }""", u=uscc("B"))
    chains = [[n["id"] for n in p["nodes"]] for p in body["data"]["ownershipChain"]]
    assert sorted(chains) == sorted([[uscc("A"), uscc("B")], ["P1", uscc("A"), uscc("B")],
                                     ["P2", uscc("B")]])
    assert all(len(set(c)) == len(c) for c in chains)


def test_related_parties_by_channel_and_hops(gql: Gql) -> None:
    q = """query($u: String!, $h: Int!, $c: [Channel!]) {
        relatedParties(uscc: $u, hops: $h, channels: $c) {
        company { uscc } hops path { fromUscc toUscc channel via { id } } } }"""
    one = gql(q, u=uscc("A"), h=1, c=None)["data"]["relatedParties"]
    by = {r["company"]["uscc"]: r for r in one}
    assert set(by) == {uscc("B"), uscc("C"), uscc("D")}
    assert by[uscc("D")]["path"][0]["via"]["id"] in ("P1", "T1")
    people = gql(q, u=uscc("A"), h=2, c=["PEOPLE", "SUPPLY"])["data"]["relatedParties"]
    hops = {r["company"]["uscc"]: r["hops"] for r in people}
    assert hops == {uscc("D"): 1, uscc("C"): 1, uscc("I"): 2}
    far = next(r for r in people if r["company"]["uscc"] == uscc("I"))
    assert [(s["fromUscc"], s["toUscc"], s["channel"]) for s in far["path"]] == [
        (uscc("A"), uscc("D"), "PEOPLE"), (uscc("D"), uscc("I"), "SUPPLY")]


def test_shared_people_and_shortest_connection(gql: Gql) -> None:
    body = gql("""query($a: String!, $b: String!, $i: String!) {
        sharedPeople(a: $a, b: $b) { person { personId } rolesInA rolesInB }
        shortestConnection(a: $a, b: $i) { length nodes { id } relationships } }""",
               a=uscc("A"), b=uscc("D"), i=uscc("I"))
    shared = body["data"]["sharedPeople"]
    assert [s["person"]["personId"] for s in shared] == ["P1"]
    assert sorted(shared[0]["rolesInA"]) == ["HOLDS_EQUITY", "LEGAL_REPRESENTATIVE_OF"]
    conn = body["data"]["shortestConnection"]
    assert conn["length"] == 3
    assert [n["id"] for n in conn["nodes"]] == [uscc("A"), "P1", uscc("D"), uscc("I")]


def test_phoenix_candidates_depend_on_what_the_caller_may_see(gql: Gql) -> None:
    q = "{ phoenixCandidates { company { uscc } paths { otherUscc recordId } } }"
    public = gql(q)["data"]["phoenixCandidates"]
    assert [c["company"]["uscc"] for c in public] == [uscc("F")]
    assert public[0]["paths"] == [{"otherUscc": uscc("E"), "recordId": "R8"}]
    admin = gql(q, principal=ADMIN)["data"]["phoenixCandidates"]
    assert sorted(c["company"]["uscc"] for c in admin) == sorted([uscc("F"), uscc("G")])
    investigator = gql(q, principal=INVESTIGATOR)["data"]["phoenixCandidates"]
    assert [c["company"]["uscc"] for c in investigator] == [uscc("F")]


def test_tenders_with_bids_and_bidders(gql: Gql) -> None:
    body = gql("""{ tenders(buyer: "hospital") { nodes { tenderId
        bids { bidId amount status bidders { role company { name } } } } } }""")
    tenders = body["data"]["tenders"]["nodes"]
    assert [t["tenderId"] for t in tenders] == ["T1"]
    bids = tenders[0]["bids"]
    assert [(b["bidId"], b["bidders"][0]["company"]["name"]) for b in bids] == [
        ("BA", "Alpha Holdings"), ("BD", "Delta Works")]


def test_related_parties_stop_at_first_nearest_first(gql: Gql) -> None:
    q = """query($u: String!) { relatedParties(uscc: $u, hops: 3, first: 2) {
        company { uscc } hops } }"""
    body = gql(q, u=uscc("A"))
    found = body["data"]["relatedParties"]
    assert len(found) == 2 and {r["hops"] for r in found} == {1}


def test_people_search_pages(gql: Gql) -> None:
    q = """query($after: String) { people(name: "filler rep", first: 40, after: $after) {
        nodes { personId } pageInfo { hasNextPage endCursor } } }"""
    first = gql(q)["data"]["people"]
    second = gql(q, after=first["pageInfo"]["endCursor"])["data"]["people"]
    ids = [n["personId"] for n in first["nodes"] + second["nodes"]]
    assert first["pageInfo"]["hasNextPage"] and not second["pageInfo"]["hasNextPage"]
    assert len(ids) == len(set(ids)) == FILLERS
