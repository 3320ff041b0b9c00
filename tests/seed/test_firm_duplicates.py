"""Planted firm duplicates (seed --firm-duplicates): the copies are loaded with the world (Company
nodes with some of their firm's records, bids and roles moved or repeated), nothing else of the
world changes, the copies are recorded with their truth, and the same seed writes the same
bytes."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from riskgraph.graph.schema import Label
from riskgraph.seed.firm_duplicates import COPY_PREFIX, RECORDS_FILE, TRUTH_FILE, firm_records
from riskgraph.seed.world import generate_world
from tests.seed.conftest import SEED, World

FIRMS, RATE = 400, 0.2


def _digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    plain, dup = tmp_path_factory.mktemp("plain"), tmp_path_factory.mktemp("firm-dup")
    generate_world(FIRMS, SEED, plain, progress=False)
    generate_world(FIRMS, SEED, dup, progress=False, firm_duplicates=RATE)
    return plain, dup


REWRITTEN = {"manifest.json", "nodes/Company.parquet", "rels/HAS_RECORD.parquet",
             "rels/SUBMITTED.parquet", "rels/REGISTERED_AT.parquet",
             *(f"rels/{r}.parquet" for r in ("LEGAL_REPRESENTATIVE_OF", "DIRECTOR_OF",
                                              "SUPERVISOR_OF", "ACTUAL_CONTROLLER_OF"))}


def test_the_copies_join_the_world_and_nothing_else_changes(pair: tuple[Path, Path]) -> None:
    plain, dup = pair
    extra = {RECORDS_FILE, TRUTH_FILE}
    with_flag = {k: v for k, v in _digests(dup).items() if k not in extra | REWRITTEN}
    assert with_flag == {k: v for k, v in _digests(plain).items() if k not in REWRITTEN}
    assert extra <= set(_digests(dup))
    firms = pq.read_table(plain / "nodes/Company.parquet")
    both = pq.read_table(dup / "nodes/Company.parquet")
    assert both.slice(0, firms.num_rows).drop_columns(["uscc_reported"]).equals(firms)
    copies = both.slice(firms.num_rows).to_pylist()
    assert len(copies) == round(RATE * FIRMS)
    assert all(c["uscc"].startswith(COPY_PREFIX) and c["founded_on"] is None for c in copies)
    # records and bids are moved, never copied: the same rows, some under the copies' keys
    for rel in ("HAS_RECORD", "SUBMITTED"):
        a, b = (pq.read_table(w / f"rels/{rel}.parquet") for w in (plain, dup))
        assert a["dst"].to_pylist() == b["dst"].to_pylist()
        moved = [s for s in b["src"].to_pylist() if s.startswith(COPY_PREFIX)]
        assert 0 < len(moved) < a.num_rows
    records = pq.read_table(dup / "nodes/CreditRecord.parquet", columns=["record_id", "stream"])
    inspection = {r for r, s in zip(records["record_id"].to_pylist(),
                                    records["stream"].to_pylist(), strict=True) if s}
    has = pq.read_table(dup / "rels/HAS_RECORD.parquet").to_pylist()
    assert not [h for h in has if h["src"].startswith(COPY_PREFIX) and h["dst"] in inspection]


def test_copies_name_their_original_and_the_same_seed_writes_the_same_bytes(
        pair: tuple[Path, Path], tmp_path: Path) -> None:
    _, dup = pair
    with (dup / TRUTH_FILE).open(encoding="utf-8") as fh:
        truth = list(csv.DictReader(fh))
    records = {r["record_id"]: r for r in firm_records(dup)}
    w = World(dup)
    firms = set(w.col(w.node(Label.COMPANY), "uscc"))
    copies = [t for t in truth if t["record_id"] != t["entity_id"]]
    assert len(copies) == round(RATE * FIRMS) == pq.read_table(dup / RECORDS_FILE).num_rows
    assert {t["record_id"] for t in truth} == set(records)
    assert all(t["kind"] == "company" and t["entity_id"] in firms for t in truth)
    for t in copies:
        original, copy = records[t["entity_id"]], records[t["record_id"]]
        if "uscc_same" in t["noise"]:
            assert copy["uscc"] == original["uscc"]
        if "name_same" in t["noise"]:
            assert copy["name"] == original["name"]
        assert set(copy["people"]) <= set(original["people"])
    again = tmp_path / "again"
    generate_world(FIRMS, SEED, again, progress=False, firm_duplicates=RATE)
    assert _digests(again) == _digests(dup)


def test_a_rate_outside_zero_to_one_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="firm duplicates"):
        generate_world(FIRMS, SEED, tmp_path, progress=False, firm_duplicates=1.5)
