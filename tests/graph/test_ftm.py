"""FollowTheMoney importer: entities, links, sanctions, procurement, unknown schemata."""

from __future__ import annotations

import pytest

from riskgraph.graph.config import PROJECT_ROOT
from riskgraph.graph.importers.ftm import directorship_rel, import_ftm
from riskgraph.graph.schema import Label, Rel
from riskgraph.graph.validation import validate_world

FTM = PROJECT_ROOT / "tests" / "fixtures" / "ftm"


def pairs(result_world: object, rel: Rel) -> set[tuple[str, str]]:
    table = result_world.rels[rel]  # type: ignore[attr-defined]
    return {(r["src"], r["dst"]) for r in table.to_pylist()}


def test_entities_links_and_malformed_lines() -> None:
    result = import_ftm(FTM / "entities.jsonl")
    world = result.world
    assert {r["uscc"] for r in world.nodes[Label.COMPANY].to_pylist()} == {
        "91350100M000100Y43", "91110000802100433B"}
    assert pairs(world, Rel.LEGAL_REPRESENTATIVE_OF) == {("p-li", "91350100M000100Y43")}
    assert pairs(world, Rel.SUPERVISOR_OF) == {("p-wang", "91110000802100433B")}
    assert world.rels[Rel.FAMILY_OF].to_pylist()[0]["relationship"] == "spouse"
    assert dict(result.unknown) == {"Vessel": 1}
    assert result.rejects == [
        ("entities.jsonl:14", "", "malformed JSON: invalid literal, expected 'null': line 1 "
                                  "column 1 (char 0)"),
        ("entities.jsonl:3", "co-bad", "no usable firm identifier: registrationNumber "
                                       "'91350100M000100Y44' looks like a USCC: USCC check "
                                       "character is '4', expected '3'"),
        ("entities.jsonl:8", "own-3", "Ownership.asset names 'co-bad', which is not an entity "
                                      "of this file that could be imported"),
        ("entities.jsonl:13", "ship-1", "schema Vessel is not mapped (riskgraph has no node or "
                                        "relationship for it)"),
    ]
    assert result.unaccounted() == {}
    validation = validate_world(world)
    assert [(r.file, r.row, r.reason) for r in validation.rejects] == [
        ("HOLDS_EQUITY", 2, "share=150.0 is outside (0, 100]")]
    assert validation.world.rels[Rel.HOLDS_EQUITY].num_rows == 1


def test_procurement_sanctions_associates_and_wrong_targets() -> None:
    result = import_ftm(FTM / "procurement.jsonl")
    world = result.world
    assert result.rejects == [
        ("procurement.jsonl:9", "award-2", "ContractAward.supplier names 'p-zhao', a Person; "
                                           "expected Company"),
        ("procurement.jsonl:14", "own-p", "Ownership.asset names 'p-qian', a Person; "
                                          "expected Company"),
        ("procurement.jsonl:16", "pay-1", "schema Payment is not mapped (riskgraph has no node "
                                          "or relationship for it)"),
        ("procurement.jsonl:17", "pay-2", "schema Payment is not mapped (riskgraph has no node "
                                          "or relationship for it)"),
    ]
    assert dict(result.unknown) == {"Payment": 2}
    tender = world.nodes[Label.TENDER].to_pylist()[0]
    assert (tender["tender_id"], tender["buyer"], tender["category"], tender["procedure"],
            tender["region_code"], tender["published_on"]) == (
        "ctr-1", "Ningbo Finance Bureau", "works", "open", "000000", "2024-03-01")
    assert {(r["src"], r["role"]) for r in world.rels[Rel.SUBMITTED].to_pylist()} == {
        ("91330200MA1B2C3D45", "lead"), ("91330200MA5E6F7G8G", "member")}
    assert world.nodes[Label.BID].to_pylist()[0]["status"] == "won"
    assert pairs(world, Rel.ACTUAL_CONTROLLER_OF) == {("p-zhao", "91330200MA1B2C3D45")}
    assert pairs(world, Rel.ASSOCIATE_OF) == {("p-zhao", "p-qian")}
    assert pairs(world, Rel.REGISTERED_AT) == {("91330200MA1B2C3D45", "addr-1")}
    record = world.nodes[Label.CREDIT_RECORD].to_pylist()[0]
    assert (record["category"], record["kind"], record["issued_on"], record["polarity"]) == (
        "blacklist", "sanction", "2022-02-02", "negative")
    assert world.rels[Rel.HAS_RECORD].to_pylist()[0]["src_label"] == "Person"
    assert world.nodes[Label.COMPANY].to_pylist()[0]["status"] == "suspended"
    validation = validate_world(world)
    assert [(r.file, r.row, r.reason) for r in validation.rejects] == [
        ("Company", 2, "dissolved_on=2023-01-01 is before founded_on=2024-01-01"),
        ("DIRECTOR_OF", 1, "until=2019-01-01 is before since=2020-05-01"),
        ("HOLDS_EQUITY", 1, "share=0.0 is outside (0, 100]"),
        ("SUBMITTED", 2, "src 91330200MA5E6F7G8G was rejected (see its Company row)"),
    ]
    assert validation.world.rels[Rel.SUBMITTED]["role"].to_pylist() == ["lead"]


@pytest.mark.parametrize(("role", "rel"), [
    ("Legal Representative", Rel.LEGAL_REPRESENTATIVE_OF),
    ("法定代表人、执行董事", Rel.LEGAL_REPRESENTATIVE_OF),
    ("Chairman of the supervisory board", Rel.SUPERVISOR_OF), ("监事", Rel.SUPERVISOR_OF),
    ("实际控制人", Rel.ACTUAL_CONTROLLER_OF), ("董事长", Rel.DIRECTOR_OF), ("", Rel.DIRECTOR_OF),
])
def test_directorship_roles_by_keyword(role: str, rel: Rel) -> None:
    assert directorship_rel(role) is rel
