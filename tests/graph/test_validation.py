"""Validation of world tables: every bad row is named with its reason; good rows survive."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyarrow as pa
import pytest

from riskgraph.graph.config import PROJECT_ROOT
from riskgraph.graph.schema import Label, Rel
from riskgraph.graph.uscc import ALPHABET, is_valid_uscc, make_uscc
from riskgraph.graph.validation import read_rejects, uscc_bad_mask, validate_world, write_rejects
from riskgraph.graph.world_io import World, read_world, write_world

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


def table(rows: Sequence[Mapping[str, str | None]]) -> pa.Table:
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
    assert rows == [
        {"file": "nodes/Company.csv", "row": "2", "key": OTHER_USCC,
         "reason": "founded_on='yesterday' is not a valid date (expected YYYY-MM-DD)"},
        {"file": "nodes/Mystery.csv", "row": "0", "key": "",
         "reason": "not a table of the data model (see graph/schema.py); not loaded"},
    ]
    assert read_rejects(tmp_path / "rejects.csv") == result.rejects


def test_datetimes_accept_iso_offsets_and_fractions_as_utc() -> None:
    bid = {"bid_id": "b", "tender_id": "t", "amount": "1", "status": "won"}
    stamps = ["2024-02-01T09:30:00+08:00", "2024-02-01 01:30", "2024-02-01T01:30:00.250Z",
              "2024-02-01T01:30:00", "2024-02-30T01:30:00", "2024-02-01T01:30:00 junk",
              "2024-02-01"]
    rows = [{**bid, "bid_id": f"b{i}", "submitted_at": s} for i, s in enumerate(stamps)]
    tender = table([{"tender_id": "t", "region_code": "000000", "published_on": "2024-01-01"}])
    result = validate_world(World(nodes={Label.TENDER: tender, Label.BID: table(rows)}))
    good = result.world.nodes[Label.BID]
    assert good.schema.field("submitted_at").type == pa.timestamp("ms")
    assert dict(zip(good["bid_id"].to_pylist(), good["submitted_at"].to_pylist(), strict=True)) == {
        "b0": dt.datetime(2024, 2, 1, 1, 30), "b1": dt.datetime(2024, 2, 1, 1, 30),
        "b2": dt.datetime(2024, 2, 1, 1, 30, 0, 250000), "b3": dt.datetime(2024, 2, 1, 1, 30),
        "b6": dt.datetime(2024, 2, 1)}
    # a date alone is a day-precision time (Bid declares submitted_at_precision)
    assert good["submitted_at_precision"].to_pylist() == [None, None, None, None, "day"]
    assert [(r.row, r.reason.split(" is not")[0]) for r in result.rejects] == [
        (5, "submitted_at='2024-02-30T01:30:00'"), (6, "submitted_at='2024-02-01T01:30:00 junk'")]


def test_bid_only_tenders_month_dates_and_currency() -> None:
    tenders = [{"tender_id": "t1", "region_code": "000000", "published_on": "2021-03",
                "currency": "EUR", "reserve_price": "100", "floor_price": "80",
                "number_of_tenderers": "4", "deadline": None},
               {"tender_id": "t2", "region_code": "000000", "published_on": "2021-03-09",
                "deadline": "2021-04"},
               {"tender_id": "t3", "region_code": "000000", "published_on": "2021-13",
                "currency": "euro"},
               {"tender_id": "t4", "region_code": "000000", "published_on": "2021-01-01",
                "reserve_price": "50", "floor_price": "60"}]
    bids = [{"bid_id": "b1", "tender_id": "t1", "amount": "90", "status": "won",
             "currency": "EUR", "submitted_at": "2021-03"},
            {"bid_id": "b2", "tender_id": "t1", "amount": "95", "status": "lost",
             "currency": None, "submitted_at": None}]
    result = validate_world(World(nodes={Label.TENDER: table(tenders), Label.BID: table(bids)}))
    good = result.world.nodes[Label.TENDER].to_pylist()
    assert [t["tender_id"] for t in good] == ["t1", "t2"]
    assert good[0]["published_on"] == dt.date(2021, 3, 1)
    assert good[0]["published_on_precision"] == "month"
    assert good[1]["published_on_precision"] is None
    assert good[1]["deadline"] == dt.date(2021, 4, 1) and good[1]["deadline_precision"] == "month"
    assert (good[0]["currency"], good[0]["reserve_price"], good[0]["floor_price"],
            good[0]["number_of_tenderers"]) == ("EUR", 100.0, 80.0, 4)
    reasons = {r.key: r.reason for r in result.rejects}
    assert set(reasons) == {"t3", "t4"}
    assert "currency='euro' is not an ISO 4217 code" in reasons["t3"]
    assert "published_on='2021-13' is not a valid date" in reasons["t3"]
    assert reasons["t4"] == "floor_price=60.0 is above reserve_price=50.0"
    # optional fields missing on good rows are counted per field, the rows still load
    assert result.missing["Tender"]["category"] == 2 and result.missing["Tender"]["buyer"] == 2
    assert result.missing["Bid"] == {"currency": 1, "submitted_at": 1}
    bid = result.world.nodes[Label.BID].to_pylist()
    assert bid[0]["submitted_at"] == dt.datetime(2021, 3, 1)
    assert bid[0]["submitted_at_precision"] == "month"


def test_vectorised_uscc_check_agrees_with_uscc_error() -> None:
    rng = random.Random(7)
    codes: list[str | None] = [None, "", "short", "91350100M000100Y4３", "9135O100M000100Y43"]
    for _ in range(3000):
        code = make_uscc("9", "1", f"{rng.randrange(110000, 660000):06d}",
                         "".join(rng.choice(ALPHABET) for _ in range(9)))
        if rng.random() < 0.5:  # corrupt one character
            i = rng.randrange(18)
            code = code[:i] + rng.choice(ALPHABET + "IOZ-") + code[i + 1:]
        codes.append(code)
    bad = uscc_bad_mask(pa.array(codes, pa.string()))
    assert [bool(b) for b in bad] == [c is not None and not is_valid_uscc(c) for c in codes]


def test_typed_parquet_columns_and_unknown_columns() -> None:
    typed = pa.table({"uscc": [GOOD_USCC], "name": ["Acme"], "region_code": ["330100"],
                      "founded_on": pa.array([dt.date(2015, 3, 1)], pa.date32()),
                      "status": ["active"], "employees": pa.array([12], pa.int32()),
                      "nickname": ["A"]})
    result = validate_world(World(nodes={Label.COMPANY: typed}))
    assert [(r.file, r.row, r.reason) for r in result.rejects] == [
        ("Company", 0, "unknown column(s) nickname not loaded")]
    good = result.world.nodes[Label.COMPANY]
    assert good.column_names[:3] == ["uscc", "name", "region_code"]
    assert "nickname" not in good.column_names and good.num_rows == 1
    assert good.schema.field("employees").type == pa.int64()


def test_missing_required_column_rejects_every_row() -> None:
    rows = [{"src": "p1", "dst": GOOD_USCC}]
    person = table([{"person_id": "p1", "name": "Li"}])
    world = World(nodes={Label.COMPANY: table([company(GOOD_USCC), company(OTHER_USCC)]),
                         Label.PERSON: person},
                  rels={Rel.SUPPLIES: table([{"src": OTHER_USCC, "dst": GOOD_USCC}]),
                        Rel.HOLDS_EQUITY: table([{**rows[0], "src_label": "Person"}]),
                        Rel.DIRECTOR_OF: table(rows)})
    found = reasons(world)
    # a holding without a share is kept (the share is unknown: KEK holdings, FtM Ownership)
    assert found == {("SUPPLIES", 1): "required column annual_value is missing"}


def test_rejected_endpoint_is_named_and_duplicates_keep_the_first() -> None:
    bad = company(OTHER_USCC, registered_capital="-1")
    person = table([{"person_id": "p1", "name": "Li"}])
    roles = table([{"src": "p1", "dst": OTHER_USCC}, {"src": "p1", "dst": GOOD_USCC}])
    world = World(nodes={Label.COMPANY: table([company(GOOD_USCC), bad, company(GOOD_USCC)]),
                         Label.PERSON: person},
                  rels={Rel.DIRECTOR_OF: roles})
    result = validate_world(world, known_keys=lambda label: {OTHER_USCC})
    assert [(r.file, r.row, r.key, r.reason) for r in result.rejects] == [
        ("Company", 2, OTHER_USCC, "registered_capital=-1.0 is negative"),
        ("Company", 3, GOOD_USCC, f"duplicate key '{GOOD_USCC}' (first at row 1)"),
        ("DIRECTOR_OF", 1, f"p1->{OTHER_USCC}",
         f"dst {OTHER_USCC} was rejected (see its Company row)"),
    ]
    assert result.world.rels[Rel.DIRECTOR_OF]["dst"].to_pylist() == [GOOD_USCC]


def test_inspection_fields_and_region_codes_on_every_table() -> None:
    inspection = {"record_id": "r1", "category": "inspections", "kind": "random_inspection",
                  "agency": "SAMR", "issued_on": "2020-01-01", "polarity": "neutral",
                  "disclosure": "public", "stream": "random", "outcome": "no_violation",
                  "inspector_id": "i1"}
    records = table([inspection, {**inspection, "record_id": "r2", "outcome": "fine"}])
    tender = table([{"tender_id": "t1", "buyer": "B", "region_code": "3301", "category": "goods",
                     "published_on": "2024-02-01", "deadline": "2024-01-01",
                     "procedure": "open"}])
    found = reasons(World(nodes={Label.CREDIT_RECORD: records, Label.TENDER: tender}))
    assert found == {
        ("CreditRecord", 2): "outcome='fine' is not one of no_violation, violation, "
                             "serious_violation",
        ("Tender", 1): "deadline=2024-01-01 is before published_on=2024-02-01; "
                       "region_code='3301' is not a six-digit GB/T 2260 code",
    }


def test_malformed_csv_fixture_exact_rejects() -> None:
    world = read_world(PROJECT_ROOT / "tests" / "fixtures" / "csv" / "malformed")
    result = validate_world(world)
    assert [(r.file, r.row, r.reason) for r in result.rejects] == [
        ("nodes/Company.csv", 0, "unknown column(s) legal_person not loaded"),
        ("nodes/Company.csv", 2, "USCC check character is 'X', expected 'G'"),
        ("nodes/Company.csv", 4, "duplicate key '91330200MA1B2C3D45' (first at row 1)"),
        ("nodes/Notes.csv", 0, "not a table of the data model (see graph/schema.py); not loaded"),
        ("nodes/Person.csv", 2, "political_connection='maybe' is not a valid bool"),
        ("rels/HOLDS_EQUITY.csv", 2, "share=0.0 is outside (0, 100]"),
        ("rels/HOLDS_EQUITY.csv", 3, "share=150.0 is outside (0, 100]"),
        ("rels/HOLDS_EQUITY.csv", 4, "src p-9 not found among :Person"),
        ("rels/HOLDS_EQUITY.csv", 5, "until=2011-01-01 is before since=2012-07-07"),
        ("rels/HOLDS_EQUITY.csv", 6,
         "src 91330200MA5E6F7G8X was rejected (see its Company row)"),
        ("rels/SUPPLIES.csv", 2, "annual_value=-10.0 is negative"),
    ]
    good = result.world
    assert good.nodes[Label.COMPANY]["name"].to_pylist() == ["Delta Build", "Zeta Trade"]
    assert good.nodes[Label.COMPANY]["listed"].to_pylist() == [False, False]
    assert good.rels[Rel.HOLDS_EQUITY]["share"].to_pylist() == [60.0]
    assert good.rels[Rel.SUPPLIES]["product"].to_pylist() == ["steel"]
    assert good.rels[Rel.SUPPLIES]["source"].to_pylist() == ["file:rels/SUPPLIES.csv"]
