"""Bid screening on the hand-built graph of tests/models/exposure/world.py."""

from __future__ import annotations

import json

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from riskgraph.app.cli.main import app
from riskgraph.graph.config import get_settings
from riskgraph.graph.errors import BadInput, NotFound
from riskgraph.graph.store import Store
from riskgraph.graph.uscc import check_character
from riskgraph.models.exposure.bid_screen import screen_bid
from tests.models.exposure.world import USCC, build

DB = get_settings().neo4j_database

NAME = {u: n for n, u in USCC.items()}


@pytest.fixture
def graph(clean_graph: Driver) -> Driver:
    build(clean_graph)
    return clean_graph


def test_existing_bid_with_barred_member_and_listed_supplier(graph: Driver) -> None:
    result = screen_bid(Store.open(graph, DB), "T1", bid_id="BID1")
    assert result.barred and result.as_of == "2025-06-30"
    parties = {NAME[p.uscc]: p for p in result.parties}
    assert {n: p.role for n, p in parties.items()} == {
        "A": "lead", "D": "member", "E": "listed_supplier"}
    assert not parties["A"].barred  # its supervisor is listed, but supervisors do not count
    (ban,) = parties["D"].bars
    assert (ban.reason, ban.record_id, ban.agency) == (
        "procurement_ban", "rec-D-ban", "Agency of rec-D-ban")
    (person,) = parties["E"].bars
    assert (person.reason, person.person_id, person.person_role, person.record_id) == (
        "listed_key_person", "P2", "LEGAL_REPRESENTATIVE_OF", "rec-P2")


def test_clean_bid_ignores_removed_and_later_listings(graph: Driver) -> None:
    result = screen_bid(Store.open(graph, DB), "T1", bid_id="BID2")
    assert not result.barred
    assert {NAME[p.uscc] for p in result.parties} == {"A", "H"}


def test_proposed_parties(graph: Driver) -> None:
    barred = screen_bid(Store.open(graph, DB), "T1", members=[USCC["G"]], suppliers=[USCC["C"]])
    assert barred.barred
    assert {NAME[p.uscc]: [b.reason for b in p.bars] for p in barred.parties} == {
        "G": ["serious_dishonest_enterprise_list"], "C": []}
    assert not screen_bid(Store.open(graph, DB), "T1", members=[USCC["C"].lower()]).barred


def test_bad_requests(graph: Driver) -> None:
    with pytest.raises(NotFound, match="T9"):
        screen_bid(Store.open(graph, DB), "T9", bid_id="BID1")
    with pytest.raises(NotFound, match="BID9"):
        screen_bid(Store.open(graph, DB), "T1", bid_id="BID9")
    with pytest.raises(BadInput, match="T2"):
        screen_bid(Store.open(graph, DB), "T1", bid_id="BID3")
    with pytest.raises(BadInput, match="not both"):
        screen_bid(Store.open(graph, DB), "T1", bid_id="BID1", members=[USCC["A"]])
    with pytest.raises(BadInput, match="--member"):
        screen_bid(Store.open(graph, DB), "T1", members=["not-a-uscc"])
    unknown = USCC["A"][:8] + "H39999999"
    unknown = unknown[:17] + check_character(unknown[:17])
    with pytest.raises(NotFound, match=unknown):
        screen_bid(Store.open(graph, DB), "T1", members=[USCC["A"]], suppliers=[unknown])


def test_cli_json(graph: Driver) -> None:
    result = CliRunner().invoke(app, ["screen", "bid", "--tender", "T1", "--bid", "BID1",
                                      "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["barred"] is True
    assert {NAME[p["uscc"]]: p["barred"] for p in doc["parties"]} == {
        "A": False, "D": True, "E": True}
    text = CliRunner().invoke(app, ["screen", "bid", "--tender", "T1", "--bid", "BID2"])
    assert text.exit_code == 0 and "no bar found" in text.stdout
