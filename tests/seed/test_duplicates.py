"""Planted duplicate people (seed --duplicates): the rest of the world is untouched, every copy
records its original faithfully up to the noise, and the truth file says which is which."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskgraph.graph.schema import MANIFEST_FILE
from riskgraph.graph.validation import validate_world
from riskgraph.graph.world_io import read_world
from riskgraph.seed.duplicates import MASKS, TRUTH_FILE, check_digit, mask
from riskgraph.seed.people import ROLE_NAMES
from riskgraph.seed.world import generate_world
from tests.seed.conftest import FIRMS, SEED, World

RATE = 0.1
CHANGED = {"nodes/Person.parquet", "nodes/Address.parquet", "rels/RESIDES_AT.parquet",
           *(f"rels/{name}.parquet" for name in ROLE_NAMES)}


@pytest.fixture(scope="module")
def dup_world(tmp_path_factory: pytest.TempPathFactory) -> World:
    out = tmp_path_factory.mktemp("dup-world")
    generate_world(FIRMS, SEED, out, progress=False, duplicates=RATE)
    return World(out)


def _manifest(root: Path) -> dict[str, dict[str, object]]:
    files: dict[str, dict[str, object]] = json.loads(
        (root / MANIFEST_FILE).read_text(encoding="utf-8"))["files"]
    return files


def _truth(root: Path) -> list[dict[str, str]]:
    with (root / TRUTH_FILE).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_only_people_roles_and_addresses_change(world: World, dup_world: World) -> None:
    base, dup = _manifest(world.root), _manifest(dup_world.root)
    assert set(dup) == set(base) | {"rels/RESIDES_AT.parquet"}
    for name in sorted(set(base) - CHANGED):  # equal but for the load batch's name
        a, b = (pq.read_table(w.root / name) for w in (world, dup_world))
        assert a.drop_columns(["load_batch"]).equals(b.drop_columns(["load_batch"])), name
    assert not (world.root / TRUTH_FILE).exists()


def test_originals_are_kept_and_copies_are_new_people(world: World, dup_world: World) -> None:
    base = pq.read_table(world.root / "nodes/Person.parquet").to_pylist()
    dup = pq.read_table(dup_world.root / "nodes/Person.parquet").to_pylist()
    assert [(r["person_id"], r["name"]) for r in dup[: len(base)]] == [
        (r["person_id"], r["name"]) for r in base]
    n_copies = len(dup) - len(base)
    assert RATE * len(base) <= n_copies <= 1.3 * RATE * len(base)
    truth = _truth(dup_world.root)
    assert [r["record_id"] for r in truth] == [r["person_id"] for r in dup]
    originals = {r["person_id"] for r in base}
    assert all(r["entity_id"] in originals for r in truth)
    assert sum(r["record_id"] != r["entity_id"] for r in truth) == n_copies


def test_copies_hold_their_originals_roles(world: World, dup_world: World) -> None:
    entity = {r["record_id"]: r["entity_id"] for r in _truth(dup_world.root)}

    def roles(w: World, through: dict[str, str] | None) -> set[tuple[str, str, str]]:
        out = set()
        for name in ROLE_NAMES:
            t = pq.read_table(w.root / f"rels/{name}.parquet").to_pylist()
            out |= {(name, (through or {}).get(r["src"], r["src"]), r["dst"]) for r in t}
        return out

    assert roles(dup_world, entity) == roles(world, None)


def test_visible_id_fragments_agree_with_the_original(dup_world: World) -> None:
    rows = {r["person_id"]: r for r in
            pq.read_table(dup_world.root / "nodes/Person.parquet").to_pylist()}
    noisy = defaultdict(int)
    for t in _truth(dup_world.root):
        copy, orig = rows[t["record_id"]], rows[t["entity_id"]]
        full = orig["id_number_masked"]
        assert full is not None and len(full) == 18
        if copy["id_number_masked"] is None:
            noisy["missing"] += 1
            continue
        for a, b in zip(copy["id_number_masked"], full, strict=True):
            assert a == "*" or b == "*" or a == b
        noisy[t["noise"].split(";")[0]] += 1
    assert {"name_same", "name_pinyin", "name_case"} <= set(noisy)


def test_the_duplicated_world_validates(dup_world: World) -> None:
    result = validate_world(read_world(dup_world.root))
    assert result.rejects == []


@given(st.text(alphabet="0123456789", min_size=17, max_size=17),
       st.integers(0, len(MASKS) - 1))
def test_masks_keep_length_and_visible_characters(body: str, style: int) -> None:
    number = body + check_digit(body)
    masked = mask(number, style)
    head, tail = MASKS[style]
    assert len(masked) == 18
    assert masked[:head] == number[:head]
    assert masked[18 - tail:] == (number[18 - tail:] if tail else "")
    assert set(masked[head:18 - tail]) <= {"*"}
