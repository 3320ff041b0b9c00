"""Validation of world tables: every bad row is named with its reason; good rows survive."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pytest

from graph.schema import Label, Rel
from graph.validation import validate_world, write_rejects
from graph.world_io import World, read_world, write_world

GOOD_USCC = "91350100M000100Y43"
OTHER_USCC = "91110000802100433B"


def company(code: str, **overrides: str | None) -> dict[str, str | None]:
    row: dict[str, str | None] = {
        "uscc": code, "name": "Acme", "region_code": "330100", "industry_code": "C13",
        "founded_on": "2015-03-01", "dissolved_on": None, "status": "active",
        "registered_capital": "1000000", "employees": "12", "ownership_type": "private",
        "listed": "false",
    }
    row.update(overrides)
    return row


def table(rows: list[dict[str, str | None]]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=pa.schema([(k, pa.string()) for k in rows[0]]))


def reasons(world: World) -> dict[tuple[str, int], str]:
    return {(r.file, r.row): r.reason for r in validate_world(world).rejects}


def test_good_rows_are_typed_and_kept() -> None:
    world = World(nodes={Label.COMPANY: table([company(GOOD_USCC)])})
    result = validate_world(world)
    assert result.rejects == []
    good = result.world.nodes[Label.COMPANY]
    assert good.num_rows == 1 and good.schema.field("founded_on").type == pa.date32()
    assert good["source"][0].as_py() == "file:Company"


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"uscc": GOOD_USCC[:-1] + "4"}, "USCC check character is '4', expected '3'"),
        ({"name": None}, "name is missing"),
        ({"founded_on": "2015-13-01"}, "founded_on='2015-13-01' is not a valid date"),
        ({"dissolved_on": "2010-01-01"}, "dissolved_on=2010-01-01 is before founded_on=2015-03-01"),
        ({"status": "zombie"}, "status='zombie' is not one of active"),
        ({"registered_capital": "-5"}, "registered_capital=-5.0 is negative"),
        ({"employees": "twelve"}, "employees='twelve' is not a valid int"),
        ({"region_code": "33A100"}, "region_code='33A100' is not a six-digit GB/T 2260 code"),
    ],
)
def test_each_rule_names_column_and_value(overrides: dict[str, str], reason: str) -> None:
    rows = [company(OTHER_USCC), company(GOOD_USCC, **overrides)]
    world = World(nodes={Label.COMPANY: table(rows)}, files={"Company": "nodes/Company.csv"})
    result = validate_world(world)
    assert [(r.file, r.row) for r in result.rejects] == [("nodes/Company.csv", 2)]
    assert reason in result.rejects[0].reason
    assert result.world.nodes[Label.COMPANY]["uscc"].to_pylist() == [OTHER_USCC]


def test_duplicates_share_and_dangling_relationships() -> None:
    person = pa.Table.from_pylist([{"person_id": "p1", "name": "Li"}])
    equity = table([
        {"src": "p1", "dst": GOOD_USCC, "src_label": "Person", "share": "40"},
        {"src": "p1", "dst": GOOD_USCC, "src_label": "Person", "share": "0"},
        {"src": "p1", "dst": GOOD_USCC, "src_label": "Person", "share": "150"},
        {"src": "p9", "dst": GOOD_USCC, "src_label": "Person", "share": "10"},
        {"src": "p1", "dst": GOOD_USCC, "src_label": "Tender", "share": "10"},
    ])
    world = World(nodes={Label.COMPANY: table([company(GOOD_USCC), company(GOOD_USCC)]),
                         Label.PERSON: person},
                  rels={Rel.HOLDS_EQUITY: equity})
    found = reasons(world)
    assert found[("Company", 2)] == f"duplicate key '{GOOD_USCC}' (first at row 1)"
    assert found[("HOLDS_EQUITY", 2)] == "share=0.0 is outside (0, 100]"
    assert found[("HOLDS_EQUITY", 3)] == "share=150.0 is outside (0, 100]"
    assert found[("HOLDS_EQUITY", 4)] == "src p9 not found among :Person"
    assert found[("HOLDS_EQUITY", 5)].startswith("src_label='Tender' is not one of Person")
    assert ("HOLDS_EQUITY", 1) not in found


def test_known_keys_resolve_endpoints_already_in_the_graph() -> None:
    equity = table([{"src": "p1", "dst": GOOD_USCC, "src_label": "Person", "share": "40"}])
    world = World(rels={Rel.HOLDS_EQUITY: equity})
    known = {Label.PERSON: {"p1"}, Label.COMPANY: {GOOD_USCC}}
    result = validate_world(world, known_keys=lambda label: known.get(label, set()))
    assert result.rejects == [] and result.world.rels[Rel.HOLDS_EQUITY].num_rows == 1


def test_credit_record_rules() -> None:
    base = {"record_id": "r1", "category": "administrative_penalties",
            "kind": "administrative_penalty", "agency": "SAMR", "issued_on": "2020-01-01",
            "polarity": "negative", "disclosure": "public", "stream": None, "outcome": None}
    rows = [
        base,
        {**base, "record_id": "r2", "category": "gossip"},
        {**base, "record_id": "r3", "kind": "tax_unpaid"},
        {**base, "record_id": "r4", "stream": "random"},
        {**base, "record_id": "r5", "disclosure": "secret"},
    ]
    found = reasons(World(nodes={Label.CREDIT_RECORD: table(rows)}))
    assert found == {
        ("CreditRecord", 2): "category='gossip' is not one of the 19 PCI categories",
        ("CreditRecord", 3): "kind='tax_unpaid' belongs to category 'tax_arrears', "
                             "not 'administrative_penalties'",
        ("CreditRecord", 4): "stream is only for inspection records",
        ("CreditRecord", 5): "disclosure='secret' is not one of public, agency_shared, restricted",
    }


def test_csv_template_round_trip_and_rejects_file(tmp_path: Path) -> None:
    world = World(nodes={Label.COMPANY: table([company(GOOD_USCC),
                                               company(OTHER_USCC, founded_on="yesterday")])})
    write_world(world, tmp_path, fmt="csv")
    (tmp_path / "nodes" / "Mystery.csv").write_text("a\n1\n")
    loaded = read_world(tmp_path)
    assert loaded.unknown_files == ["nodes/Mystery.csv"]
    result = validate_world(loaded)
    assert any("Mystery.csv" in w for w in result.warnings)
    write_rejects(result.rejects, tmp_path / "rejects.csv")
    with (tmp_path / "rejects.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert rows == [{"file": "nodes/Company.csv", "row": "2", "key": OTHER_USCC,
                     "reason": "founded_on='yesterday' is not a valid date (expected YYYY-MM-DD)"}]
