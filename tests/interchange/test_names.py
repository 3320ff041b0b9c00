"""Every FtM name is kept: the first ``name``, the further names, ``alias``, ``previousName``
and ``weakAlias`` (list properties), exported back each where it came from, through Parquet,
CSV and the real Neo4j."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from neo4j import Driver

from riskgraph.graph.config import PROJECT_ROOT, Settings
from riskgraph.graph.exporters.ftm import ftm_entities
from riskgraph.graph.importers.ftm import import_ftm
from riskgraph.graph.loader import load_world
from riskgraph.graph.schema import Label
from riskgraph.graph.validation import validate_world
from riskgraph.graph.world_io import World, read_world, write_world

REAL = PROJECT_ROOT / "tests" / "fixtures" / "interchange"
FILES = [REAL / "yente_t1.ftm.json", REAL / "yente_t2_wnk.delta.json",
         REAL / "yente_zala.ftm.json"]
NAME_PROPS = ("name", "alias", "previousName", "weakAlias")
PEOPLE_AND_FIRMS = {"Person", "Company", "Organization", "LegalEntity"}
LISTS = ("other_names", "aliases", "previous_names", "weak_aliases")


def _names_in(entities: list[dict[str, Any]]) -> dict[str, dict[str, list[str]]]:
    """id → FtM name property → its values (in order, once each), for people and firms."""
    out: dict[str, dict[str, list[str]]] = {}
    for e in entities:
        if e["schema"] in PEOPLE_AND_FIRMS:
            kept = out.setdefault(e["id"], {})
            for prop in NAME_PROPS:
                for value in e["properties"].get(prop, []):
                    kept.setdefault(prop, [])
                    if value.strip() and value.strip() not in kept[prop]:
                        kept[prop].append(value.strip())
    return out


def _input_entities(path: Path) -> list[dict[str, Any]]:
    text = path.read_bytes()
    try:
        docs = orjson.loads(text)
        docs = docs if isinstance(docs, list) else [docs]
    except orjson.JSONDecodeError:
        docs = [orjson.loads(line) for line in text.splitlines() if line.strip()]
    latest: dict[str, dict[str, Any]] = {}  # delta files: the last ADD / MOD of each id
    for doc in docs:
        entity = doc.get("entity", doc)
        if doc.get("op") == "DEL":
            latest.pop(entity.get("id") if isinstance(entity, dict) else entity, None)
        else:
            latest[entity["id"]] = entity
    return list(latest.values())


def _row_names(world: World) -> dict[tuple[str, str], tuple[Any, ...]]:
    out = {}
    for label, key in ((Label.COMPANY, "uscc"), (Label.PERSON, "person_id")):
        table = world.nodes.get(label)
        for row in table.to_pylist() if table is not None else []:
            out[(label.value, row[key])] = (row["name"], *(row[c] for c in LISTS))
    return out


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_name_survives_import_and_export(path: Path, tmp_path: Path) -> None:
    world = validate_world(import_ftm(path).world).world
    exported = list(ftm_entities(world))
    given, back = _names_in(_input_entities(path)), _names_in(exported)
    mapped = {e["id"] for e in exported}
    compared = {i: names for i, names in given.items() if i in mapped}
    assert compared, "the file gave no mapped person or firm"
    assert {i: back[i] for i in compared} == compared  # each property keeps its values
    again_file = tmp_path / "again.jsonl"
    again_file.write_bytes(b"\n".join(orjson.dumps(e) for e in exported))
    again = validate_world(import_ftm(again_file).world).world
    assert _row_names(again) == _row_names(world)


def test_files_with_aliases_give_them() -> None:
    world = validate_world(import_ftm(REAL / "yente_zala.ftm.json").world).world
    people = world.nodes[Label.PERSON].to_pylist()
    assert sum(1 for p in people if p["aliases"]) >= 5
    assert any(p["previous_names"] for p in people)


def test_name_lists_through_csv(tmp_path: Path) -> None:
    world = validate_world(import_ftm(REAL / "yente_zala.ftm.json").world).world
    write_world(world, tmp_path, fmt="csv")
    back = validate_world(read_world(tmp_path))
    assert back.rejects == []
    assert _row_names(back.world) == _row_names(world)


def test_a_csv_name_list_that_is_not_a_json_array_of_text_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "nodes").mkdir()
    (tmp_path / "nodes" / "Person.csv").write_text(
        'person_id,name,aliases\np1,Li Wei,"[""Lee Wai"", ""Li W.""]"\np2,Wang,Wang Fang\n'
        'p3,Zhao,"[1, 2]"\np4,Sun,"[""broken"""\n', encoding="utf-8")
    result = validate_world(read_world(tmp_path))
    rows = result.world.nodes[Label.PERSON].to_pylist()
    assert [(r["person_id"], r["aliases"]) for r in rows] == [
        ("p1", ["Lee Wai", "Li W."]), ("p2", ["Wang Fang"])]
    assert sorted((r.key, "not a valid strings" in r.reason) for r in result.rejects) == [
        ("p3", True), ("p4", True)]


@pytest.mark.neo4j
def test_name_lists_are_neo4j_lists(clean_graph: Driver, settings: Settings,
                                    tmp_path: Path) -> None:
    result = import_ftm(REAL / "yente_zala.ftm.json")
    result.write(tmp_path)
    load_world(clean_graph, tmp_path, database=settings.neo4j_database, progress=False)
    records, _, _ = clean_graph.execute_query(
        "MATCH (p:Person) WHERE p.aliases IS NOT NULL RETURN p.person_id AS id, p.aliases AS a",
        database_=settings.neo4j_database)
    rows = {r["id"]: r["a"] for r in records}
    expected = {p["person_id"]: p["aliases"]
                for p in validate_world(result.world).world.nodes[Label.PERSON].to_pylist()
                if p["aliases"]}
    assert rows == expected and all(isinstance(v, list) for v in rows.values())
