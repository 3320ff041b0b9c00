"""Planted firm duplicates (seed --firm-duplicates): the world's own files are unchanged, the
copies are recorded with their truth, and the same seed writes the same bytes."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from riskgraph.graph.schema import Label
from riskgraph.seed.firm_duplicates import RECORDS_FILE, TRUTH_FILE, firm_records
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


def test_the_world_is_byte_identical_beside_the_second_source(pair: tuple[Path, Path]) -> None:
    plain, dup = pair
    extra = {RECORDS_FILE, TRUTH_FILE}
    with_flag = {k: v for k, v in _digests(dup).items() if k not in extra}
    assert with_flag == _digests(plain)
    assert extra <= set(_digests(dup))


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
