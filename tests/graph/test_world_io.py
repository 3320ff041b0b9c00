"""World directories: Parquet and CSV layouts, unknown files reported, metadata never read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest

from riskgraph.graph.errors import BadInput
from riskgraph.graph.schema import Label, Rel
from riskgraph.graph.validation import validate_world
from riskgraph.graph.world_io import World, read_world, world_digest, write_world

USCC = "91350100M000100Y43"


def typed_world() -> World:
    company = pa.table({
        "uscc": [USCC], "name": ["Acme, \"Fujian\" 有限公司"], "region_code": ["350100"],
        "founded_on": pa.array([dt.date(2012, 4, 1)], pa.date32()), "status": ["active"],
        "registered_capital": [5e6], "listed": [False],
    })
    person = pa.table({"person_id": ["p1"], "name": ["Li Wei"]})
    role = pa.table({"src": ["p1"], "dst": [USCC],
                     "since": pa.array([dt.date(2012, 4, 1)], pa.date32())})
    return World(nodes={Label.COMPANY: company, Label.PERSON: person},
                 rels={Rel.LEGAL_REPRESENTATIVE_OF: role})


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_write_then_read_gives_the_same_validated_tables(tmp_path: Path, fmt: str) -> None:
    world = typed_world()
    write_world(world, tmp_path, fmt=fmt)
    assert (tmp_path / "nodes" / f"Company.{fmt}").is_file()
    assert (tmp_path / "rels" / f"LEGAL_REPRESENTATIVE_OF.{fmt}").is_file()
    back = read_world(tmp_path)
    assert back.files == {"Company": f"nodes/Company.{fmt}", "Person": f"nodes/Person.{fmt}",
                          "LEGAL_REPRESENTATIVE_OF": f"rels/LEGAL_REPRESENTATIVE_OF.{fmt}"}
    expected, got = validate_world(world).world, validate_world(back)
    assert got.rejects == []
    for label in (Label.COMPANY, Label.PERSON):
        drop = ["source"]  # the file name differs: nodes/Company.csv vs Company
        assert got.world.nodes[label].drop(drop).equals(expected.nodes[label].drop(drop))
    assert got.world.rels[Rel.LEGAL_REPRESENTATIVE_OF].drop(["source"]).equals(
        expected.rels[Rel.LEGAL_REPRESENTATIVE_OF].drop(["source"]))


def test_csv_is_read_as_text_with_a_bom_and_quoted_header(tmp_path: Path) -> None:
    (tmp_path / "nodes").mkdir()
    (tmp_path / "nodes" / "Person.csv").write_text(
        '\ufeff"person_id","name"\n007,"Wang, Fang"\n', encoding="utf-8")
    world = read_world(tmp_path)
    assert world.nodes[Label.PERSON].to_pylist() == [{"person_id": "007", "name": "Wang, Fang"}]


def test_unknown_files_are_listed_and_metadata_is_never_read(tmp_path: Path) -> None:
    write_world(typed_world(), tmp_path)
    (tmp_path / "manifest.json").write_text("{not json")
    (tmp_path / "ground_truth.json").write_text("{not json")
    (tmp_path / "rels" / "KNOWS.parquet").write_bytes(b"")
    (tmp_path / "nodes" / "Company.json").write_text("{}")
    world = read_world(tmp_path)
    assert world.unknown_files == ["nodes/Company.json", "rels/KNOWS.parquet"]
    assert set(world.row_counts()) == {"Company", "Person", "LEGAL_REPRESENTATIVE_OF"}
    rejects = validate_world(world).rejects
    assert [(r.file, r.row) for r in rejects] == [("nodes/Company.json", 0),
                                                  ("rels/KNOWS.parquet", 0)]


def test_the_same_table_twice_or_no_world_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="neither nodes/ nor rels/"):
        read_world(tmp_path)
    write_world(typed_world(), tmp_path, fmt="parquet")
    write_world(typed_world(), tmp_path, fmt="csv")
    with pytest.raises(BadInput, match="given twice"):
        read_world(tmp_path)


def test_unreadable_file_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "nodes").mkdir()
    (tmp_path / "nodes" / "Company.parquet").write_bytes(b"not parquet")
    with pytest.raises(BadInput, match=r"nodes/Company\.parquet: cannot be read"):
        read_world(tmp_path)


def test_digest_changes_with_data_not_with_metadata(tmp_path: Path) -> None:
    write_world(typed_world(), tmp_path)
    before = world_digest(tmp_path)
    (tmp_path / "manifest.json").write_text("{}")
    assert world_digest(tmp_path) == before
    (tmp_path / "nodes" / "Person.parquet").unlink()
    assert world_digest(tmp_path) != before


def test_docs_csv_templates_are_generated_from_the_schema() -> None:
    from riskgraph.graph.importers.templates import DOC, render

    text = DOC.read_text(encoding="utf-8")
    assert render(text) == text, "run: .venv/bin/python -m riskgraph.graph.importers.templates"
    assert "### `rels/FAMILY_OF.csv` (Person → Person)" in text
