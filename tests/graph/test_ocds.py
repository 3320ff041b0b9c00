"""OCDS 1.1 importer: packages, records, line-delimited releases, the bids extension."""

from __future__ import annotations

from pathlib import Path

from riskgraph.graph.config import PROJECT_ROOT
from riskgraph.graph.importers.ocds import import_ocds
from riskgraph.graph.importers.ocds_merge import compile_releases
from riskgraph.graph.schema import Label, Rel
from riskgraph.graph.validation import validate_world

OCDS = PROJECT_ROOT / "tests" / "fixtures" / "ocds"


def bids(path: Path) -> dict[str, tuple[str, float, str]]:
    result = import_ocds(path)
    return {r["bid_id"]: (r["status"], r["amount"], r["submitted_at"])
            for r in result.world.nodes[Label.BID].to_pylist()}


def test_release_package_consortium_award_and_unusable_parties() -> None:
    result = import_ocds(OCDS / "release_package.json")
    assert bids(OCDS / "release_package.json") == {
        "ocds-fixture-001/b1": ("won", 950000.0, "2024-02-01T01:30:00"),
        "ocds-fixture-001/b2": ("lost", 980000.0, "2024-02-02T10:00:00"),
        "ocds-fixture-001/b3": ("disqualified", 700000.0, "2024-02-03T10:00:00"),
    }
    assert {(r["src"], r["dst"], r["role"]) for r in result.world.rels[Rel.SUBMITTED].to_pylist()
            } == {("91350100M000100Y43", "ocds-fixture-001/b1", "lead"),
                  ("91110000802100433B", "ocds-fixture-001/b1", "member"),
                  ("91330100MA2AB3C4XF", "ocds-fixture-001/b2", "sole"),
                  ("91330100MA2AB3C4XF", "ocds-fixture-001/b3", "sole")}
    assert result.rejects == [
        ("release_package.json/releases/0/parties/4", "t-4",
         "no usable firm identifier: CN-USCC '91350100M000100Y44': USCC check character is "
         "'4', expected '3'"),
        ("release_package.json/releases/0/bids/details/3", "ocds-fixture-001/b4",
         "tenderer 't-4' is not a party of the release that could be mapped"),
    ]  # the planning-only release ocds-fixture-002 is a tender without bids (OCDS: optional)
    assert result.mapped["release"] == 2 and result.unaccounted() == {}
    assert validate_world(result.world).rejects == []


def test_record_package_bid_statuses_and_contracts() -> None:
    result = import_ocds(OCDS / "record_package.json")
    tender = result.world.nodes[Label.TENDER].to_pylist()[0]
    assert (tender["tender_id"], tender["buyer"], tender["region_code"], tender["category"],
            tender["procedure"], tender["published_on"], tender["deadline"]) == (
        "ocds-fx-101", "Ningbo Finance Bureau", "330100", "works", "selective", "2024-03-01",
        "2024-03-20")
    assert bids(OCDS / "record_package.json") == {
        "ocds-fx-101/1": ("lost", 1900000.0, "2024-03-10T02:00:00"),
        "ocds-fx-101/2": ("lost", 1950000.0, "2024-03-11T02:00:00"),  # withdrawn
        "ocds-fx-101/3": ("won", 1800000.0, "2024-03-12T02:00:00"),  # the contract's award
        "ocds-fx-101/6": ("lost", -5.0, "2024-03-13T03:00:00"),
    }
    where = "record_package.json/records/0/compiledRelease/bids/details"
    assert result.rejects == [
        (f"{where}/3", "ocds-fx-101/4", "status 'invited': no bid was submitted"),
        (f"{where}/4", "ocds-fx-101/5", "status 'rejected' is not in the bidStatus codelist "
                                        "(invited, pending, valid, disqualified, withdrawn)"),
        ("record_package.json/records/1", "ocds-fx-102",
         "record has no compiledRelease, versionedRelease or embedded releases (linked "
         "releases are not fetched)"),
    ]
    # Epsilon's USCC is found among additionalIdentifiers, after a non-USCC identifier
    assert "91330200MA5E6F7G8G" in result.world.nodes[Label.COMPANY]["uscc"].to_pylist()
    validation = validate_world(result.world)
    assert [(r.file, r.row, r.reason) for r in validation.rejects] == [
        ("Bid", 4, "amount=-5.0 is negative"),
        ("FOR_TENDER", 4, "src ocds-fx-101/6 was rejected (see its Bid row)"),
        ("SUBMITTED", 4, "dst ocds-fx-101/6 was rejected (see its Bid row)"),
        ("SUBMITTED", 5, "dst ocds-fx-101/6 was rejected (see its Bid row)"),
    ]
    assert validation.world.nodes[Label.BID].num_rows == 3


def test_releases_of_one_ocid_are_merged_in_date_order() -> None:
    result = import_ocds(OCDS / "release_updates.json")
    assert result.rejects == [("release_updates.json/releases/2", "",
                               "release has no ocid (a non-empty string)")]
    tender = result.world.nodes[Label.TENDER].to_pylist()[0]
    assert (tender["title"], tender["buyer"], tender["region_code"], tender["estimated_value"]) == (
        "Hospital cleaning (amended)", "Wenzhou People's Hospital", "330300", 350000.0)
    assert bids(OCDS / "release_updates.json") == {
        "ocds-fx-201/b1": ("won", 300000.0, "2024-04-20T09:00:00")}
    assert validate_world(result.world).rejects == []


def test_merge_follows_ocds_rules() -> None:
    first = {"ocid": "o", "date": "2024-01-01", "tender": {"title": "a", "value": {"amount": 1}},
             "parties": [{"id": "x", "name": "X"}], "tag": ["tender"]}
    second = {"ocid": "o", "date": "2024-02-01", "tender": {"title": "b", "value": None},
              "parties": [{"id": "y", "name": "Y"}], "tag": ["award"]}
    merged = compile_releases([second, first])
    # ocdsmerge's rules: a null object keeps the fields an earlier release gave it
    assert merged["tender"] == {"title": "b", "value": {"amount": 1}}
    assert merged["tag"] == ["compiled"] and merged["id"] == "o-2024-02-01"
    assert [p["id"] for p in merged["parties"]] == ["x", "y"]


def test_jsonl_keeps_good_lines_and_names_the_malformed_one() -> None:
    result = import_ocds(OCDS / "releases.jsonl")
    assert [(w, reason.split(":")[0]) for w, _, reason in result.rejects] == [
        ("releases.jsonl:2", "malformed JSON")]
    rejects = {(r.file, r.row): r.reason for r in validate_world(result.world).rejects}
    assert rejects == {
        ("Tender", 1): "deadline=2023-04-01 is before published_on=2023-05-01",
        ("Bid", 1): "tender ocds-fixture-010 was rejected (see its Tender row)",
        ("FOR_TENDER", 1): "src ocds-fixture-010/award-a was rejected (see its Bid row); "
                           "dst ocds-fixture-010 was rejected (see its Tender row)",
        ("SUBMITTED", 1): "dst ocds-fixture-010/award-a was rejected (see its Bid row)",
    }


def test_malformed_package_is_one_reject(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"releases": [')
    result = import_ocds(path)
    assert result.world.total_rows() == 0
    assert [(w, r.split(" (")[0]) for w, _, r in result.rejects] == [("broken.json",
                                                                       "malformed JSON")]
