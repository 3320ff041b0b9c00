"""Validation under any identifier scheme: keys cleaned, bad ids rejected naming the scheme."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskgraph.graph.errors import BadInput
from riskgraph.graph.identifiers import IdScheme
from riskgraph.graph.schema import Label, Rel
from riskgraph.graph.validation import validate_world
from riskgraph.graph.world_io import World, read_world, write_world

USCC = "91350100M000100Y43"
LEI = "5493001KJTIIGC8Y1R12"


def firms(*rows: dict[str, str | None]) -> pa.Table:
    base = {"uscc": None, "name": "Acme", "region_code": None, "status": "active",
            "id_scheme": None}
    full = [{**base, **row} for row in rows]
    return pa.Table.from_pylist(full, schema=pa.schema([(k, pa.string()) for k in base]))


def test_a_world_of_registry_ids_loads_without_region_codes() -> None:
    people = pa.table({"person_id": ["p1"], "name": ["Ann"]})
    roles = pa.table({"src": ["p1", "p1"], "dst": ["chicago-license:1", "Chicago-License:2"]})
    world = World(nodes={Label.COMPANY: firms({"uscc": "chicago-license:1"},
                                              {"uscc": " chicago-license:2 "},
                                              {"uscc": f"lei:{LEI}"},
                                              {"uscc": f"uscc:{USCC}", "region_code": "350100"}),
                         Label.PERSON: people},
                  rels={Rel.DIRECTOR_OF: roles})
    result = validate_world(world)
    assert result.rejects == []
    good = result.world.nodes[Label.COMPANY]
    assert list(zip(good["uscc"].to_pylist(), good["id_scheme"].to_pylist(), strict=True)) == [
        ("chicago-license:1", "chicago-license"), ("chicago-license:2", "chicago-license"),
        (f"lei:{LEI}", "lei"), (USCC, "uscc")]
    assert result.world.rels[Rel.DIRECTOR_OF]["dst"].to_pylist() == [
        "chicago-license:1", "chicago-license:2"]


def test_bad_ids_are_rejected_naming_the_scheme_and_good_rows_stay() -> None:
    world = World(nodes={Label.COMPANY: firms(
        {"uscc": "chicago-license:1"},
        {"uscc": "1234567"},
        {"uscc": f"lei:{LEI[:18]}00"},
        {"uscc": USCC},
        {"uscc": "gb-coh:1", "id_scheme": "lei"},
        {"uscc": "chicago-license:2", "region_code": "Cook"},
    )})
    found = {r.row: r.reason for r in validate_world(world).rejects}
    assert found[2].startswith("USCC must have 18 characters, got 7 (identifiers of other")
    assert found[3] == "LEI check digits do not verify (ISO 7064 mod 97-10)"
    assert found[4] == "region_code is missing (required for scheme uscc)"
    assert found[5] == "id_scheme='lei' does not match the key's scheme 'gb-coh'"
    assert set(found) == {2, 3, 4, 5}  # a free-form region is fine outside the uscc scheme


def test_declared_namespace_pattern_from_the_manifest(tmp_path: Path) -> None:
    write_world(World(nodes={Label.COMPANY: firms({"uscc": "chicago-license:12"},
                                                  {"uscc": "chicago-license:x9"})}),
                tmp_path, "csv")
    (tmp_path / "manifest.json").write_text(json.dumps({"id_schemes": {
        "chicago-license": {"doc": "City of Chicago business licence", "pattern": r"\d{1,8}"}}}))
    world = read_world(tmp_path)
    assert world.id_schemes == {"chicago-license": IdScheme(
        "chicago-license", "City of Chicago business licence", r"\d{1,8}")}
    rejects = validate_world(world).rejects
    assert [(r.file, r.row, r.reason) for r in rejects] == [
        ("nodes/Company.csv", 2, "chicago-license identifier 'x9' does not match the declared "
                                 "pattern '\\\\d{1,8}'")]


def test_a_malformed_declaration_is_bad_input(tmp_path: Path) -> None:
    write_world(World(nodes={Label.COMPANY: firms({"uscc": "ab:1"})}), tmp_path, "csv")
    (tmp_path / "manifest.json").write_text(json.dumps({"id_schemes": {"Bad Name": {}}}))
    with pytest.raises(BadInput, match=r"manifest.json: id scheme name 'Bad Name'"):
        read_world(tmp_path)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=8))
def test_any_key_text_is_kept_canonical_or_rejected_never_dropped(keys: list[str]) -> None:
    world = World(nodes={Label.COMPANY: firms(*({"uscc": k, "region_code": "330100"}
                                                for k in keys))})
    result = validate_world(world)
    kept = result.world.nodes[Label.COMPANY]
    assert kept.num_rows + len(result.rejects) == len(keys)
    for key, scheme in zip(kept["uscc"].to_pylist(), kept["id_scheme"].to_pylist(), strict=True):
        assert scheme == "uscc" if ":" not in key else key.startswith(f"{scheme}:")
