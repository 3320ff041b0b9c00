"""Disclosure matrix: every role against every disclosure class through every path that
reaches a credit record (direct, via a person, via a related firm, via explanation evidence)."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import Driver

from riskgraph.app.graphql import explain_cache
from riskgraph.app.graphql.db import GraphReader
from riskgraph.app.security.principal import Principal
from riskgraph.graph.config import Settings
from riskgraph.models import explain as engine
from tests.api.conftest import ADMIN, INVESTIGATOR, PUBLIC, RESTRICTED, Gql, uscc

pytestmark = pytest.mark.neo4j

# What each role sees of A's records (R1 public, R2 agency_shared, R3 restricted SAMR-FJ,
# R7 public), of P1's (R4 public, R5 restricted court-X) and of D's (R6 agency_shared).
COMPANY_A = {PUBLIC: {"R1", "R7"}, INVESTIGATOR: {"R1", "R2", "R7"},
             RESTRICTED: {"R1", "R2", "R3", "R7"}, ADMIN: {"R1", "R2", "R3", "R7"}}
PERSON_P1 = {PUBLIC: {"R4"}, INVESTIGATOR: {"R4"}, RESTRICTED: {"R4"},
             ADMIN: {"R4", "R5"}}
FIRM_D = {PUBLIC: set(), INVESTIGATOR: {"R6"}, RESTRICTED: {"R6"}, ADMIN: {"R6"}}
ROLES = [PUBLIC, INVESTIGATOR, RESTRICTED, ADMIN]


def _ids(records: list[dict[str, Any]]) -> set[str]:
    return {r["recordId"] for r in records}


@pytest.mark.parametrize("principal", ROLES, ids=lambda p: p.role.value)
def test_company_records(gql: Gql, principal: Principal) -> None:
    body = gql("query($u: String!) { company(uscc: $u) { records { recordId disclosure } } }",
               principal=principal, u=uscc("A"))
    assert _ids(body["data"]["company"]["records"]) == COMPANY_A[principal]


@pytest.mark.parametrize("principal", ROLES, ids=lambda p: p.role.value)
def test_person_records_directly_and_via_a_company(gql: Gql, principal: Principal) -> None:
    body = gql("""query($u: String!) {
        person(id: "P1") { records { recordId } }
        company(uscc: $u) { legalRepresentatives { records { recordId } }
                            officers { person { records { recordId } } } } }""",
               principal=principal, u=uscc("A"))
    data = body["data"]
    assert _ids(data["person"]["records"]) == PERSON_P1[principal]
    assert _ids(data["company"]["legalRepresentatives"][0]["records"]) == PERSON_P1[principal]
    assert _ids(data["company"]["officers"][0]["person"]["records"]) == PERSON_P1[principal]


@pytest.mark.parametrize("principal", ROLES, ids=lambda p: p.role.value)
def test_records_of_related_firms(gql: Gql, principal: Principal) -> None:
    body = gql("""query($u: String!) { relatedParties(uscc: $u, hops: 2) {
        company { uscc records { recordId } } } }""", principal=principal, u=uscc("C"))
    by = {r["company"]["uscc"]: _ids(r["company"]["records"])
          for r in body["data"]["relatedParties"]}
    assert by[uscc("A")] == COMPANY_A[principal]
    assert by[uscc("D")] == FIRM_D[principal]


@pytest.mark.parametrize("principal", ROLES, ids=lambda p: p.role.value)
def test_records_of_bidders_and_search_results(gql: Gql, principal: Principal) -> None:
    body = gql("""{ tender(id: "T1") { bids { bidders { company { uscc records { recordId } } } } }
        companies(name: "Alpha") { nodes { records { recordId } } } }""", principal=principal)
    bidders = {b["bidders"][0]["company"]["uscc"]: _ids(b["bidders"][0]["company"]["records"])
               for b in body["data"]["tender"]["bids"]}
    assert bidders == {uscc("A"): COMPANY_A[principal], uscc("D"): FIRM_D[principal]}
    assert _ids(body["data"]["companies"]["nodes"][0]["records"]) == COMPANY_A[principal]


@pytest.mark.parametrize("principal", ROLES, ids=lambda p: p.role.value)
def test_visible_records_statement_applies_the_filter(api_graph: Driver, settings: Settings,
                                                      principal: Principal) -> None:
    reader = GraphReader(api_graph, principal, 10.0, settings.neo4j_database)
    rows = reader.read("list_visible_records",
                       record_ids=["R1", "R2", "R3", "R4", "R5", "R6", "R7", "nope"])
    assert {r["record_id"] for r in rows} == (
        COMPANY_A[principal] | PERSON_P1[principal] | FIRM_D[principal])


def _fixed_explanation(uscc_code: str) -> engine.Explanation:
    """An explanation naming records of every class (the risk model itself is tested in
    tests/models; here only the disclosure cut matters)."""
    def evidence(rid: str) -> engine.Evidence:
        return engine.Evidence(text=f"record {rid}", record_ids=[rid], path=[uscc_code])

    reasons = [engine.Reason("penalties_3y", 0.5, 2.0, "penalties", "",
                             [evidence("R1"), evidence("R3")]),
               engine.Reason("tax_arrears_3y", 0.4, 1.0, "arrears", "", [evidence("R2")]),
               engine.Reason("key_personnel_listed", 0.3, 1.0, "people", "",
                             [evidence("R4"), evidence("R5")]),
               engine.Reason("address_cluster_size", 0.1, 2.0, "address", "",
                             [engine.Evidence(text="shares address", path=[uscc_code])])]
    return engine.Explanation(
        uscc=uscc_code, name="Alpha Holdings", as_of="2024-01-01", model_version="test",
        data_snapshot_sha256="0", risk=0.4, serious_risk=0.1, log_odds=-0.4, base_value=-2.0,
        tier="high", contributions=[{"feature": "penalties_3y", "value": 0.5,
                                     "feature_value": 2.0}],
        reasons=reasons,
        counterfactual=engine.Counterfactual(True, "Removing R3 would lower the tier.",
                                             ["R3"], 0.1, "average"),
        scorecards={}, no_records=False)


@pytest.mark.parametrize("principal", ROLES, ids=lambda p: p.role.value)
def test_explanation_evidence(gql: Gql, principal: Principal,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(explain_cache, "explain_firm",
                        lambda driver, code, *args: _fixed_explanation(code))
    body = gql("""query($u: String!) { explanation(uscc: $u) { tier
        reasons { feature evidence { recordIds text } }
        counterfactual { possible statement recordIds } } }""",
               principal=principal, u=uscc("A"))
    if principal is PUBLIC:  # risk scores are for agencies, never public
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        return
    assert "errors" not in body, body
    found = body["data"]["explanation"]
    shown = {rid for r in found["reasons"] for e in r["evidence"] for rid in e["recordIds"]}
    allowed = (COMPANY_A[principal] | PERSON_P1[principal]) & {"R1", "R2", "R3", "R4", "R5"}
    assert shown == allowed
    assert "R3" not in str(found) or "R3" in COMPANY_A[principal]
    assert "R5" not in str(found) or "R5" in PERSON_P1[principal]
    address = next(r for r in found["reasons"] if r["feature"] == "address_cluster_size")
    assert address["evidence"] == [{"recordIds": [], "text": "shares address"}]
    assert (found["counterfactual"]["recordIds"] == ["R3"]) == ("R3" in COMPANY_A[principal])


def test_every_api_statement_reaching_a_record_carries_the_filter() -> None:
    import re

    from riskgraph.graph.catalog import names, query

    reaching = [n for n in names("api") if "CreditRecord" in query(n) or "HAS_RECORD" in query(n)]
    assert len(reaching) >= 4  # company, person, visible-record and phoenix statements
    for name in reaching:
        text = query(name)
        filters = re.findall(r"\((\w+)\.disclosure IN \$disclosures OR \(\1\.disclosure = "
                             r"'restricted' AND \1\.agency IN \$agencies\)\)", text)
        records = re.findall(r"\((\w+):CreditRecord", text)
        assert records and set(records) <= set(filters), f"{name} does not filter every record"
