"""OCDS and FollowTheMoney importers, the CSV templates, and both exporters (no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskgraph.graph.config import PROJECT_ROOT
from riskgraph.graph.exporters.ftm import export_ftm
from riskgraph.graph.exporters.ocds import export_ocds
from riskgraph.graph.importers.ftm import import_ftm
from riskgraph.graph.importers.ocds import import_ocds
from riskgraph.graph.schema import Label, Rel
from riskgraph.graph.validation import validate_world
from riskgraph.graph.world_io import read_world
from riskgraph.seed.world import generate_world

FIXTURES = PROJECT_ROOT / "tests" / "fixtures"


def test_ocds_release_package_maps_bids_consortia_and_awards() -> None:
    result = import_ocds(FIXTURES / "ocds" / "release_package.json")
    bids = {r["bid_id"]: (r["status"], r["amount"], r["submitted_at"])
            for r in result.world.nodes[Label.BID].to_pylist()}
    assert bids == {
        "ocds-fixture-001/b1": ("won", 950000.0, "2024-02-01T01:30:00"),
        "ocds-fixture-001/b2": ("lost", 980000.0, "2024-02-02T10:00:00"),
        "ocds-fixture-001/b3": ("disqualified", 700000.0, "2024-02-03T10:00:00"),
    }
    submitted = {(r["src"], r["dst"], r["role"])
                 for r in result.world.rels[Rel.SUBMITTED].to_pylist()}
    assert ("91350100M000100Y43", "ocds-fixture-001/b1", "lead") in submitted
    assert ("91110000802100433B", "ocds-fixture-001/b1", "member") in submitted
    assert ("91330100MA2AB3C4XF", "ocds-fixture-001/b2", "sole") in submitted
    tender = result.world.nodes[Label.TENDER].to_pylist()[0]
    assert (tender["tender_id"], tender["region_code"], tender["procedure"],
            tender["published_on"], tender["deadline"]) == (
        "ocds-fixture-001", "330100", "open", "2024-01-10", "2024-02-10")
    assert [r[:2] for r in result.rejects] == [
        ("release_package.json/releases/0/parties/4", "t-4"),
        ("release_package.json/releases/0/bids/details/3", "ocds-fixture-001/b4"),
    ]
    assert "CN-USCC '91350100M000100Y44'" in result.rejects[0][2]
    assert "tenderer 't-4' is not a party" in result.rejects[1][2]
    assert result.unaccounted() == {}
    assert result.mapped["release"] == 2 and result.rejected["bid"] == 1
    assert validate_world(result.world).rejects == []


def test_ocds_jsonl_keeps_good_lines_and_names_bad_ones() -> None:
    result = import_ocds(FIXTURES / "ocds" / "releases.jsonl")
    assert [r[0] for r in result.rejects] == ["releases.jsonl:2"]
    assert result.world.nodes[Label.BID].to_pylist()[0]["status"] == "won"
    rejects = {(r.file, r.row): r.reason for r in validate_world(result.world).rejects}
    assert rejects[("Tender", 1)] == "deadline=2023-04-01 is before published_on=2023-05-01"
    assert rejects[("Bid", 1)] == "tender ocds-fixture-010 was rejected (see its Tender row)"
    assert "dst ocds-fixture-010 was rejected (see its Tender row)" in rejects[("FOR_TENDER", 1)]


def test_ftm_entities_links_sanctions_and_unknown_schemata() -> None:
    result = import_ftm(FIXTURES / "ftm" / "entities.jsonl")
    world = result.world
    assert {r["uscc"] for r in world.nodes[Label.COMPANY].to_pylist()} == {
        "91350100M000100Y43", "91110000802100433B"}
    assert {(r["src"], r["dst"]) for r in world.rels[Rel.LEGAL_REPRESENTATIVE_OF].to_pylist()
            } == {("p-li", "91350100M000100Y43")}
    assert {(r["src"], r["dst"]) for r in world.rels[Rel.SUPERVISOR_OF].to_pylist()} == {
        ("p-wang", "91110000802100433B")}
    assert world.rels[Rel.FAMILY_OF].to_pylist()[0]["relationship"] == "spouse"
    record = world.nodes[Label.CREDIT_RECORD].to_pylist()[0]
    assert (record["category"], record["kind"], record["agency"]) == (
        "blacklist", "sanction", "Ministry of Finance")
    assert dict(result.unknown) == {"Vessel": 1}
    assert sorted(r[0] for r in result.rejects) == [
        "entities.jsonl:13", "entities.jsonl:14", "entities.jsonl:3", "entities.jsonl:8"]
    assert result.unaccounted() == {}
    validation = validate_world(world)
    assert [(r.file, r.row, r.reason) for r in validation.rejects] == [
        ("HOLDS_EQUITY", 2, "share=150.0 is outside (0, 100]")]


def test_csv_templates_are_validated_row_by_row() -> None:
    result = validate_world(read_world(FIXTURES / "csv"))
    found = {(r.file, r.row): r.reason for r in result.rejects}
    assert found == {
        ("nodes/Company.csv", 2): "dissolved_on=2015-01-01 is before founded_on=2016-09-12",
        ("nodes/Company.csv", 3): "founded_on='2019-02-30' is not a valid date (expected "
                                  "YYYY-MM-DD); registered_capital=-1.0 is negative",
        ("rels/LEGAL_REPRESENTATIVE_OF.csv", 2):
            "dst 91110000802100433B was rejected (see its Company row)",
        ("rels/LEGAL_REPRESENTATIVE_OF.csv", 3): "src p-2 not found among :Person",
    }
    assert result.world.nodes[Label.COMPANY]["uscc"].to_pylist() == ["91350100M000100Y43"]


@pytest.fixture(scope="module")
def world_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rt")
    generate_world(800, 5, out, progress=False)
    return out


def test_ocds_export_then_import_round_trips_procurement(world_dir: Path, tmp_path: Path) -> None:
    world = validate_world(read_world(world_dir)).world
    count = export_ocds(world, tmp_path / "out.jsonl")
    assert count == world.nodes[Label.TENDER].num_rows
    back = import_ocds(tmp_path / "out.jsonl")
    assert back.rejects == []
    original = {(b["bid_id"], b["status"], b["amount"])
                for b in world.nodes[Label.BID].to_pylist()}
    imported = {(b["bid_id"].split("/", 1)[1], b["status"], b["amount"])
                for b in back.world.nodes[Label.BID].to_pylist()}
    assert imported == original
    roles = {(r["src"], r["dst"], r["role"]) for r in world.rels[Rel.SUBMITTED].to_pylist()}
    back_roles = {(r["src"], r["dst"].split("/", 1)[1], r["role"])
                  for r in back.world.rels[Rel.SUBMITTED].to_pylist()}
    assert back_roles == roles
    assert validate_world(back.world).rejects == []


def test_ftm_export_then_import_round_trips_entities(world_dir: Path, tmp_path: Path) -> None:
    world = validate_world(read_world(world_dir)).world
    export_ftm(world, tmp_path / "out.jsonl")
    back = import_ftm(tmp_path / "out.jsonl")
    assert back.rejects == [] and not back.unknown
    assert set(back.world.nodes[Label.COMPANY]["uscc"].to_pylist()) == set(
        world.nodes[Label.COMPANY]["uscc"].to_pylist())
    for rel in (Rel.LEGAL_REPRESENTATIVE_OF, Rel.DIRECTOR_OF, Rel.SUPERVISOR_OF,
                Rel.ACTUAL_CONTROLLER_OF, Rel.HOLDS_EQUITY):
        assert back.world.rels[rel].num_rows == world.rels[rel].num_rows, rel
    assert validate_world(back.world).rejects == []
