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


@pytest.fixture(scope="module")
def evasive_world(tmp_path_factory: pytest.TempPathFactory) -> World:
    out = tmp_path_factory.mktemp("evasive-world")
    generate_world(FIRMS, SEED, out, progress=False, duplicates=RATE, phoenix_evasion=1.0)
    return World(out)


def _holders(w: World) -> dict[str, set[str]]:
    """Firm → the person records holding a role in it."""
    out: dict[str, set[str]] = defaultdict(set)
    for name in ROLE_NAMES:
        for r in pq.read_table(w.root / f"rels/{name}.parquet").to_pylist():
            out[r["dst"]].add(r["src"])
    return out


def _phoenix_pairs(w: World) -> list[dict[str, object]]:
    doc = json.loads((w.root / "ground_truth.json").read_text(encoding="utf-8"))
    pairs: list[dict[str, object]] = doc["schemes"]["phoenix_firms"]
    return pairs


def test_evading_phoenix_people_hide_behind_new_records(evasive_world: World) -> None:
    entity = {r["record_id"]: r["entity_id"] for r in _truth(evasive_world.root)}
    holders = _holders(evasive_world)
    pairs = _phoenix_pairs(evasive_world)
    assert pairs
    for e in pairs:
        pred, succ = holders[str(e["predecessor"])], holders[str(e["successor"])]
        assert not pred & succ, e  # no record in common: the link is hidden
        # through the truth the pair shares exactly the planted shared persons
        assert {entity[p] for p in pred} & {entity[p] for p in succ} == set(
            e["shared_persons"]), e  # type: ignore[arg-type]


def test_evaders_are_noisy_copies_holding_only_successor_roles(evasive_world: World) -> None:
    rows = {r["person_id"]: r for r in
            pq.read_table(evasive_world.root / "nodes/Person.parquet").to_pylist()}
    successors = {str(e["successor"]) for e in _phoenix_pairs(evasive_world)}
    firms_of: dict[str, set[str]] = defaultdict(set)
    for firm, people in _holders(evasive_world).items():
        for p in people:
            firms_of[p].add(firm)
    evaders = [t for t in _truth(evasive_world.root) if t["noise"].endswith("phoenix_evasion")]
    assert evaders
    for t in evaders:
        copy, orig = rows[t["record_id"]], rows[t["entity_id"]]
        assert t["record_id"] != t["entity_id"]
        assert firms_of[t["record_id"]] and firms_of[t["record_id"]] <= successors
        assert copy["name"] != orig["name"]
        masked = copy["id_number_masked"]
        assert masked is not None and masked != orig["id_number_masked"]
        for a, b in zip(masked, orig["id_number_masked"], strict=True):
            assert a == "*" or b == "*" or a == b
        assert t["noise"].split(";")[3] == "address_moved"


def test_without_evasion_no_evader_is_planted(tmp_path: Path) -> None:
    generate_world(FIRMS, SEED, tmp_path, progress=False, duplicates=RATE, phoenix_evasion=0.0)
    assert not [t for t in _truth(tmp_path) if "phoenix_evasion" in t["noise"]]
    holders = _holders(World(tmp_path))
    entity = {r["record_id"]: r["entity_id"] for r in _truth(tmp_path)}
    for e in _phoenix_pairs(World(tmp_path)):
        pred, succ = holders[str(e["predecessor"])], holders[str(e["successor"])]
        assert {entity[p] for p in pred} & {entity[p] for p in succ} == set(
            e["shared_persons"]), e  # type: ignore[arg-type]


@given(st.one_of(st.floats(max_value=-1e-9), st.floats(min_value=1.000001),
                 st.just(float("nan"))))
def test_an_evasion_outside_zero_to_one_is_refused(share: float) -> None:
    with pytest.raises(ValueError, match="phoenix evasion is a share"):
        generate_world(FIRMS, SEED, Path("/nonexistent/never-written"), progress=False,
                       duplicates=RATE, phoenix_evasion=share)
