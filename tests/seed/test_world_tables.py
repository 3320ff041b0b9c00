"""The generated tables honour the data-model contract: keys, endpoints, dates, shares."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from riskgraph.graph.schema import (
    MANIFEST_FILE,
    NODES,
    PROVENANCE,
    RECORD_KINDS,
    RELS,
    Label,
    Rel,
    pci_categories,
)
from riskgraph.graph.uscc import is_valid_uscc
from riskgraph.seed.output import COPY_PROPS, IDENTITY_PROPS
from riskgraph.seed.world import generate_world
from tests.seed.conftest import FIRMS, SEED, World

IMPORT_ONLY = {Rel.FAMILY_OF, Rel.ASSOCIATE_OF, Rel.RESIDES_AT,  # from FollowTheMoney only
               Rel.HELD_BY, Rel.HAS_LEGAL_NAME}  # and from agencies' own registries
GENERATED_RELS = {rel: spec for rel, spec in RELS.items() if rel not in IMPORT_ONLY}
GENERATED_NODES = {label: spec for label, spec in NODES.items()
                   if label not in (Label.LICENCE_HOLDER, Label.LEGAL_NAME)}

def test_same_inputs_give_byte_identical_files(world: World, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate_world(FIRMS, SEED, again, progress=False)
    first = {p.relative_to(world.root): p.read_bytes() for p in world.root.rglob("*")
             if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_another_seed_gives_another_world(world: World, tmp_path: Path) -> None:
    other = tmp_path / "other"
    generate_world(FIRMS, SEED + 1, other, progress=False)
    assert (other / "nodes/Company.parquet").read_bytes() != (
        world.root / "nodes/Company.parquet").read_bytes()


def test_too_small_a_world_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least"):
        generate_world(10, 1, tmp_path, progress=False)


def test_every_company_has_a_valid_unique_uscc(world: World) -> None:
    usccs = world.col(world.node(Label.COMPANY), "uscc")
    assert len(usccs) == FIRMS
    assert len(set(usccs)) == FIRMS
    assert [u for u in usccs if not is_valid_uscc(u)] == []


def test_tables_have_the_schema_columns_and_provenance(world: World) -> None:
    for label, spec in GENERATED_NODES.items():
        table = world.node(label)
        only_with_duplicates = {Label.PERSON: IDENTITY_PROPS, Label.COMPANY: COPY_PROPS
                                }.get(label, ())
        assert table.column_names == [c for c in spec.columns if c not in only_with_duplicates
                                      ] + list(PROVENANCE), label
        keys = world.col(table, spec.key)
        assert None not in keys and len(set(keys)) == len(keys), label
        for prop in spec.props:
            if prop.required:
                assert table[prop.name].null_count == 0, (label, prop.name)
            if prop.choices:
                assert set(world.col(table, prop.name)) - {None} <= set(prop.choices)
        assert set(world.col(table, "source")) == {"riskgraph-seed"}
        assert set(world.col(table, "load_batch")) == {f"seed-{SEED}-{FIRMS}"}
        assert world.col(table, "source_id") == keys
    for rel, rspec in GENERATED_RELS.items():
        table = world.rel(rel)
        head = ["src", "dst", *(["src_label"] if rspec.polymorphic_src else [])]
        assert table.column_names == [*head, *(p.name for p in rspec.props), *PROVENANCE], rel
        for column in ("source", "source_id", "load_batch"):
            assert table[column].null_count == 0


def test_every_relationship_endpoint_exists(world: World) -> None:
    keys = {label: set(world.col(world.node(label), NODES[label].key))
            for label in GENERATED_NODES}
    for rel, spec in GENERATED_RELS.items():
        table = world.rel(rel)
        assert table.num_rows > 0, rel
        labels = (world.col(table, "src_label") if spec.polymorphic_src
                  else [spec.src[0].value] * table.num_rows)
        for src, label in zip(world.col(table, "src"), labels, strict=True):
            assert src in keys[Label(label)], (rel, src)
        missing = set(world.col(table, "dst")) - keys[spec.dst]
        assert missing == set(), rel


def test_dates_are_in_order(world: World) -> None:
    companies = world.node(Label.COMPANY).to_pylist()
    founded = {c["uscc"]: c["founded_on"] for c in companies}
    for c in companies:
        if c["dissolved_on"] is not None:
            assert c["dissolved_on"] > c["founded_on"]
            assert c["status"] in ("dissolved", "revoked")
        else:
            assert c["status"] in ("active", "suspended")
    for rel in (Rel.LEGAL_REPRESENTATIVE_OF, Rel.DIRECTOR_OF, Rel.SUPERVISOR_OF,
                Rel.ACTUAL_CONTROLLER_OF, Rel.SUPPLIES):
        for row in world.rel(rel).to_pylist():
            assert row["since"] is not None
            assert row["until"] is None or row["since"] < row["until"], (rel, row)
            assert row["since"] >= founded[row["dst"]], (rel, row)
    for r in world.node(Label.CREDIT_RECORD).to_pylist():
        assert dt.date(2018, 1, 1) <= r["issued_on"] <= dt.date(2025, 12, 31)
        assert r["removed_on"] is None or r["removed_on"] >= r["issued_on"]
    tenders = {t["tender_id"]: t for t in world.node(Label.TENDER).to_pylist()}
    for t in tenders.values():
        assert t["published_on"] < t["deadline"]
    for b in world.node(Label.BID).to_pylist():
        t = tenders[b["tender_id"]]
        assert t["published_on"] <= b["submitted_at"].date() <= t["deadline"]


def test_records_fall_within_the_life_of_their_firm(world: World) -> None:
    life = {c["uscc"]: (c["founded_on"], c["dissolved_on"] or dt.date(2025, 12, 31))
            for c in world.node(Label.COMPANY).to_pylist()}
    issued = {r["record_id"]: r["issued_on"] for r in world.node(Label.CREDIT_RECORD).to_pylist()}
    for row in world.rel(Rel.HAS_RECORD).to_pylist():
        if row["src_label"] == "Company":
            start, end = life[row["src"]]
            assert start <= issued[row["dst"]] <= end


def test_equity_shares_are_in_range_and_do_not_exceed_the_whole(world: World) -> None:
    total: dict[str, float] = defaultdict(float)
    for row in world.rel(Rel.HOLDS_EQUITY).to_pylist():
        assert 0 < row["share"] <= 100
        assert row["src"] != row["dst"]
        total[row["dst"]] += row["share"]
    assert max(total.values()) <= 100.0 + 1e-6
    labels = Counter(world.col(world.rel(Rel.HOLDS_EQUITY), "src_label"))
    assert labels["Person"] > labels["Company"] > 0


def test_record_kinds_follow_the_vocabulary(world: World) -> None:
    records = world.node(Label.CREDIT_RECORD).to_pylist()
    for r in records:
        kind = RECORD_KINDS[r["kind"]]
        assert r["category"] == kind.category in pci_categories()
        if r["category"] == "inspections":
            assert r["stream"] and r["inspector_id"] and r["outcome"]
            assert r["polarity"] == ("neutral" if r["outcome"] == "no_violation" else "negative")
        else:
            assert r["stream"] is None and r["inspector_id"] is None
            assert r["polarity"] == kind.polarity.value
    kinds = {r["kind"] for r in records}
    assert {"administrative_penalty", "tax_unpaid", "abnormal_operations",
            "serious_dishonest_enterprise_list", "redlist", "honors_and_awards", "donations",
            "dishonest_person_list", "random_inspection", "targeted_inspection"} <= kinds
    public = sum(r["disclosure"] == "public" for r in records) / len(records)
    assert 0.65 < public < 0.85
    severities = Counter(r["severity"] for r in records if r["kind"] == "administrative_penalty")
    assert severities["general"] > severities["serious"] > 0


def test_person_records_hang_off_persons(world: World) -> None:
    person_kinds = {k for k, v in RECORD_KINDS.items() if v.subject.value == "person"}
    kind = dict(zip(world.col(world.node(Label.CREDIT_RECORD), "record_id"),
                    world.col(world.node(Label.CREDIT_RECORD), "kind"), strict=True))
    for row in world.rel(Rel.HAS_RECORD).to_pylist():
        assert (kind[row["dst"]] in person_kinds) == (row["src_label"] == "Person")


def test_bids_have_one_lead_or_one_sole_submitter(world: World) -> None:
    roles: dict[str, list[str]] = defaultdict(list)
    for row in world.rel(Rel.SUBMITTED).to_pylist():
        roles[row["dst"]].append(row["role"])
    bids = set(world.col(world.node(Label.BID), "bid_id"))
    assert set(roles) == bids
    consortia = 0
    for found in roles.values():
        if "sole" in found:
            assert found == ["sole"]
        else:
            assert found.count("lead") == 1 and found.count("member") >= 1
            consortia += 1
    assert consortia > 0
    per_tender = Counter(world.col(world.node(Label.BID), "tender_id"))
    assert min(per_tender.values()) >= 1 and max(per_tender.values()) <= 12
    assert world.rel(Rel.LIST_SUPPLIER).num_rows > 0


def test_manifest_counts_files_and_keeps_ground_truth_out_of_the_loader_dirs(
    world: World,
) -> None:
    manifest = json.loads((world.root / MANIFEST_FILE).read_text())
    assert manifest["params"]["firms"] == FIRMS and manifest["params"]["seed"] == SEED
    for relpath, entry in manifest["files"].items():
        assert relpath.startswith(("nodes/", "rels/"))
        assert entry["rows"] >= 0
    loader_files = {str(p.relative_to(world.root)) for d in ("nodes", "rels")
                    for p in (world.root / d).rglob("*") if p.is_file()}
    assert loader_files == set(manifest["files"])
    assert not any("ground_truth" in f for f in loader_files)
    assert (world.root / "ground_truth.json").is_file()
    assert (world.root / "ground_truth_firms.parquet").is_file()


def test_ownership_mix_is_realistic(world: World) -> None:
    mix = Counter(world.col(world.node(Label.COMPANY), "ownership_type"))
    assert mix["foreign"] / FIRMS < 0.03
    assert mix["private"] / FIRMS > 0.7
    assert all(mix[k] > 0 for k in ("state_owned", "joint_venture", "collective", "foreign"))
    statuses = Counter(world.col(world.node(Label.COMPANY), "status"))
    assert statuses["dissolved"] + statuses["revoked"] > 0.05 * FIRMS
