"""Procurement screens through GraphQL against the hand-built world (A and D, both led by P1,
bid against each other in T1)."""

from __future__ import annotations

import pytest

from riskgraph.app.graphql import screens
from tests.api.conftest import ADMIN, INVESTIGATOR, PUBLIC, Gql, uscc

pytestmark = pytest.mark.neo4j

SCREEN = """{ cartelScreen(flaggedOnly: false) { threshold tendersScreened
  groups { groupId score } linkedBidders blacklistedBids } }"""


def test_screens_are_for_agencies(gql: Gql) -> None:
    screens.forget()
    for query in (SCREEN, '{ tenderRedFlags(tenderId: "T1") { indicator } }'):
        body = gql(query, PUBLIC)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_linked_competing_bidders_are_shown(gql: Gql) -> None:
    screens.forget()
    body = gql(SCREEN, INVESTIGATOR)
    assert "errors" not in body, body
    screen = body["data"]["cartelScreen"]
    assert screen["tendersScreened"] == 1 and screen["groups"] == []
    pairs = [{p["a"], p["b"]} for p in screen["linkedBidders"]]
    assert {uscc("A"), uscc("D")} in pairs, screen["linkedBidders"]
    assert "P1" in str(screen["linkedBidders"])


def test_tender_red_flags(gql: Gql) -> None:
    screens.forget()
    body = gql('{ tenderRedFlags(tenderId: "T1") { indicator tenderId evidence cypher } }',
               INVESTIGATOR)
    assert "errors" not in body, body
    for flag in body["data"]["tenderRedFlags"]:
        assert flag["cypher"] and flag["indicator"].startswith("R")
    missing = gql('{ tenderRedFlags(tenderId: "T-NOPE") { indicator } }', INVESTIGATOR)
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_exposure_report_and_bid_screen(gql: Gql) -> None:
    query = """query($u: String!) { exposureReport(uscc: $u) { uscc tiers supplierCount
      exposureIndex suppliers } }"""
    assert gql(query, PUBLIC, u=uscc("A"))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = gql(query, INVESTIGATOR, u=uscc("A"))
    assert "errors" not in body, body
    report = body["data"]["exposureReport"]
    assert report["uscc"] == uscc("A") and report["tiers"] == 3
    assert [(s["uscc"], s["tier"]) for s in report["suppliers"]] == [(uscc("C"), 1)]
    # A's legal representative P1 is on two dishonest-person lists: R4 (public) and R5
    # (restricted to court-X): the verdict stands for everyone, R5's details only for admin
    screen = '{ screenBid(tenderId: "T1", bidId: "BA") { barred parties } }'
    bid = gql(screen, INVESTIGATOR)
    assert "errors" not in bid, bid
    assert bid["data"]["screenBid"]["barred"] is True
    parties = bid["data"]["screenBid"]["parties"]
    assert [p["uscc"] for p in parties] == [uscc("A")]
    assert "R4" in str(parties) and "R5" not in str(parties) and "withheld" in str(parties)
    assert "R5" in str(gql(screen, ADMIN)["data"]["screenBid"]["parties"])
    missing = gql('{ screenBid(tenderId: "T-NOPE", bidId: "BA") { barred } }', INVESTIGATOR)
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_cartel_screen_scores_every_tender(gql: Gql) -> None:
    screens.forget()
    query = """{ cartelScreen(flaggedOnly: false, tenderId: "T1") {
      tenders { tenderId score flagged bidders contributions screens market } } }"""
    body = gql(query, INVESTIGATOR)
    assert "errors" not in body, body
    tenders = body["data"]["cartelScreen"]["tenders"]
    assert [t["tenderId"] for t in tenders] == ["T1"]
    t1 = tenders[0]
    assert t1["contributions"]["linked_bidders"] is True and t1["score"] >= 0.1
    assert {uscc("A"), uscc("D")} <= set(t1["bidders"])
    assert {"cv", "spread", "diffp", "rd"} <= set(t1["screens"])
