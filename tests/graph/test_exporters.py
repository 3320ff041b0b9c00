"""Exporters: OCDS compiled releases and FollowTheMoney entities round-trip through the
importers to the same tenders, bids, companies, people and links."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from riskgraph.graph.exporters.ftm import export_ftm
from riskgraph.graph.exporters.ocds import OCID_PREFIX, export_ocds
from riskgraph.graph.importers.ftm import import_ftm
from riskgraph.graph.importers.ocds import import_ocds
from riskgraph.graph.schema import Label, Rel
from riskgraph.graph.validation import validate_world
from riskgraph.graph.world_io import World, read_world
from riskgraph.seed.world import generate_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    out = tmp_path_factory.mktemp("world")
    generate_world(800, 5, out, progress=False)
    result = validate_world(read_world(out))
    assert result.rejects == []
    return result.world


def rows(world: World, name: Label | Rel, *columns: str) -> set[tuple[Any, ...]]:
    table = world.nodes[name] if isinstance(name, Label) else world.rels[name]
    return {tuple(r[c] for c in columns) for r in table.to_pylist()}


def test_ocds_round_trip(world: World, tmp_path: Path) -> None:
    path = tmp_path / "releases.jsonl"
    assert export_ocds(world, path) == world.nodes[Label.TENDER].num_rows
    first = json.loads(path.read_text().splitlines()[0])
    assert {"ocid", "id", "date", "tag", "parties", "tender", "bids", "awards"} <= set(first)
    imported = import_ocds(path)
    assert imported.rejects == []
    back = validate_world(imported.world)
    assert back.rejects == []
    ocid = OCID_PREFIX

    def tender_cols(w: World, key: str = "") -> set[tuple[Any, ...]]:
        return {(key + t[0], *t[1:]) for t in rows(
            w, Label.TENDER, "tender_id", "title", "buyer", "region_code", "category",
            "estimated_value", "published_on", "deadline", "procedure")}

    assert tender_cols(back.world) == tender_cols(world, ocid)
    assert rows(back.world, Label.BID, "bid_id", "tender_id", "amount", "submitted_at",
                "status") == {(f"{ocid}{t}/{b}", f"{ocid}{t}", a, s, st) for b, t, a, s, st in
                              rows(world, Label.BID, "bid_id", "tender_id", "amount",
                                   "submitted_at", "status")}
    tender_of = dict(rows(world, Label.BID, "bid_id", "tender_id"))
    assert rows(back.world, Rel.SUBMITTED, "src", "dst", "role") == {
        (s, f"{ocid}{tender_of[b]}/{b}", r)
        for s, b, r in rows(world, Rel.SUBMITTED, "src", "dst", "role")}
    bidders = {s for s, in rows(world, Rel.SUBMITTED, "src")}
    assert rows(back.world, Label.COMPANY, "uscc", "name") == {
        (u, n) for u, n in rows(world, Label.COMPANY, "uscc", "name") if u in bidders}


def test_ftm_round_trip(world: World, tmp_path: Path) -> None:
    path = tmp_path / "entities.jsonl"
    export_ftm(world, path)
    imported = import_ftm(path)
    assert imported.rejects == [] and not imported.unknown
    back = validate_world(imported.world)
    assert back.rejects == []
    company = ("uscc", "name", "status", "founded_on", "dissolved_on", "region_code")
    assert rows(back.world, Label.COMPANY, *company) == rows(world, Label.COMPANY, *company)
    assert rows(back.world, Label.PERSON, "person_id", "name", "nationality") == rows(
        world, Label.PERSON, "person_id", "name", "nationality")
    for rel in (Rel.LEGAL_REPRESENTATIVE_OF, Rel.DIRECTOR_OF, Rel.SUPERVISOR_OF,
                Rel.ACTUAL_CONTROLLER_OF):
        assert rows(back.world, rel, "src", "dst", "since", "until") == rows(
            world, rel, "src", "dst", "since", "until"), rel
    # FtM's addressEntity carries no dates
    assert rows(back.world, Rel.REGISTERED_AT, "src", "dst") == rows(
        world, Rel.REGISTERED_AT, "src", "dst")
    equity = ("src", "src_label", "dst", "share", "since", "until")
    assert rows(back.world, Rel.HOLDS_EQUITY, *equity) == rows(world, Rel.HOLDS_EQUITY, *equity)
    blacklist = {r for r, c in rows(world, Label.CREDIT_RECORD, "record_id", "category")
                 if c == "blacklist"}
    assert rows(back.world, Rel.HAS_RECORD, "src", "dst") == {
        (s, d) for s, d in rows(world, Rel.HAS_RECORD, "src", "dst") if d in blacklist}
    assert rows(back.world, Label.TENDER, "tender_id", "buyer", "category", "procedure") == rows(
        world, Label.TENDER, "tender_id", "buyer", "category", "procedure")
    won = {(b, t) for b, t, s in rows(world, Label.BID, "bid_id", "tender_id", "status")
           if s == "won"}
    assert rows(back.world, Label.BID, "bid_id", "tender_id") == won


def test_ftm_family_and_associates_round_trip(tmp_path: Path) -> None:
    world = validate_world(import_ftm(
        Path(__file__).parents[1] / "fixtures" / "ftm" / "entities.jsonl").world).world
    export_ftm(world, tmp_path / "out.jsonl")
    back = validate_world(import_ftm(tmp_path / "out.jsonl").world).world
    assert rows(back, Rel.FAMILY_OF, "src", "dst", "relationship") == rows(
        world, Rel.FAMILY_OF, "src", "dst", "relationship")
    record = ("record_id", "agency", "issued_on", "removed_on")
    assert rows(back, Label.CREDIT_RECORD, *record) == rows(world, Label.CREDIT_RECORD, *record)
