"""Fuzzing the importers and the CSV loader with mutations of real files (hypothesis).

Each example mutates one real fixture (tests/fixtures/interchange, tests/fixtures/csv): a
value somewhere replaced (a string for a number, a locale amount, NaN, a list, a deep nest,
a huge string, null), a key removed, an array item duplicated, the text re-encoded (UTF-8 with
BOM, UTF-16, GB18030, cp1252), the shape changed (JSON lines, an array of packages), bytes
flipped or the file cut. The invariant is the first rule of the importers: no traceback, and
no silent loss — every input object is mapped or rejected (``unaccounted() == {}``; for FtM,
every line is counted; for CSV, every data row is either good or rejected). The budget is
bounded (``FUZZ_EXAMPLES`` per test, a few seconds each).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskgraph.graph.config import PROJECT_ROOT
from riskgraph.graph.errors import BadInput
from riskgraph.graph.importers.ftm import import_ftm
from riskgraph.graph.importers.ocds import import_ocds
from riskgraph.graph.validation import validate_world
from riskgraph.graph.world_io import read_world

REAL = PROJECT_ROOT / "tests" / "fixtures" / "interchange"
OCDS = sorted(REAL.glob("ocdskit__*.json"))
FTM = sorted([*REAL.glob("yente_*.json"), *REAL.glob("*.ijson"), *REAL.glob("*.jsonl")])
CSV = PROJECT_ROOT / "tests" / "fixtures" / "csv"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
# the OCDS and FtM tests overwrite one file per example in tmp_path (hence the health check)

_deep: Any = "x"
for _ in range(200):
    _deep = {"a": [_deep]}
VALUES = st.sampled_from([None, "", "1,234.5", "1.234,5", "100", "NaN", "abc", 7, -3, 0,
                          1e308, True, [], {}, ["a", {"b": 1}], {"amount": "x"}, _deep,
                          "é" * 3000, "\x00\x01", "Ünïcödé 公司"])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030", "cp1252", "latin-1"])


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            out += _paths(child, (*path, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            out += _paths(child, (*path, i))
    return out


def _mutate(doc: Any, data: st.DataObject) -> Any:
    paths = _paths(doc)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        if not path:
            continue
        parent = doc
        try:
            for part in path[:-1]:
                parent = parent[part]
            key = path[-1]
            action = data.draw(st.sampled_from(["set", "delete", "duplicate"]))
            if action == "set":
                parent[key] = data.draw(VALUES)
            elif action == "delete":
                del parent[key]
            elif isinstance(parent, list):
                parent.insert(key, json.loads(json.dumps(parent[key])))
            else:
                parent[key] = [parent[key], parent[key]]
        except (KeyError, IndexError, TypeError):
            continue
    return doc


def _write(doc: Any, data: st.DataObject, path: Path, lines: bool) -> bytes:
    if lines and isinstance(doc, list):
        text = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in doc)
    else:
        text = json.dumps(doc, ensure_ascii=False, indent=data.draw(st.sampled_from([None, 1])))
    encoding = data.draw(ENCODINGS)
    raw = text.encode(encoding, errors="replace")
    cut = data.draw(st.sampled_from(["none", "none", "truncate", "flip"]))
    if cut == "truncate" and len(raw) > 10:
        raw = raw[: data.draw(st.integers(1, len(raw) - 1))]
    elif cut == "flip" and raw:
        at = data.draw(st.integers(0, len(raw) - 1))
        raw = raw[:at] + bytes([raw[at] ^ 0xFF]) + raw[at + 1:]
    path.write_bytes(raw)
    return raw


@FUZZ
@given(data=st.data())
def test_ocds_importer_survives_mutated_real_files(data: st.DataObject, tmp_path: Path) -> None:
    source = data.draw(st.sampled_from(OCDS))
    doc = _mutate(json.loads(source.read_text(encoding="utf-8", errors="replace")
                             if "iso" not in source.name
                             else source.read_text(encoding="latin-1")), data)
    shape = data.draw(st.sampled_from(["as is", "lines", "array"]))
    if shape == "lines" and isinstance(doc, dict):
        items = doc.get("releases") or doc.get("records")
        doc = items if isinstance(items, list) and items else [doc]
    elif shape == "array":
        doc = [doc, doc] if data.draw(st.booleans()) else [doc]
    path = tmp_path / data.draw(st.sampled_from(["in.json", "in.jsonl", "in.txt"]))
    _write(doc, data, path, lines=shape == "lines")
    result = import_ocds(path)
    assert result.unaccounted() == {}
    validate_world(result.world)


@FUZZ
@given(data=st.data())
def test_ftm_importer_survives_mutated_real_files(data: st.DataObject, tmp_path: Path) -> None:
    source = data.draw(st.sampled_from(FTM))
    entities = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()
                if line.strip()]
    doc = _mutate(entities[: data.draw(st.integers(1, len(entities)))], data)
    path = tmp_path / data.draw(st.sampled_from(["in.json", "in.jsonl", "in.ijson"]))
    lines = data.draw(st.booleans())
    raw = _write(doc, data, path, lines=lines)
    result = import_ftm(path)
    assert result.unaccounted() == {}
    validate_world(result.world)
    if lines and raw.isascii() and b"\r" not in raw:  # every line is one counted object
        objects = sum(1 for line in raw.split(b"\n") if line.strip())
        seen = sum(result.counts.values())
        assert seen - result.counts["address link"] >= objects


def _csv_files() -> list[Path]:
    return sorted(p for p in (CSV / "nodes").glob("*.csv")) + sorted(
        (CSV / "rels").glob("*.csv"))


@FUZZ
@given(data=st.data())
def test_csv_loader_survives_mutated_tables(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _check_csv(data, Path(tmp) / "w")


def _check_csv(data: st.DataObject, world: Path) -> None:
    for sub in ("nodes", "rels"):
        (world / sub).mkdir(parents=True)
    target = data.draw(st.sampled_from(_csv_files()))
    for path in _csv_files():
        text = path.read_text(encoding="utf-8-sig")
        rows = text.splitlines()
        if path == target and rows:
            for _ in range(data.draw(st.integers(1, 3))):
                i = data.draw(st.integers(0, len(rows) - 1))
                action = data.draw(st.sampled_from(["drop cell", "add cell", "dup header",
                                                    "quote", "blank", "chinese"]))
                if action == "drop cell":
                    rows[i] = rows[i].rsplit(",", 1)[0]
                elif action == "add cell":
                    rows[i] += ",extra"
                elif action == "dup header":
                    rows[0] += "," + rows[0].split(",")[0]
                elif action == "quote":
                    rows[i] = '"' + rows[i]
                elif action == "blank":
                    rows[i] = ""
                else:
                    rows[i] = rows[i].replace(",", ",公司", 1)
        encoding = data.draw(ENCODINGS) if path == target else "utf-8"
        body = "\n".join(rows) + "\n"
        (world / path.parent.name / path.name).write_bytes(body.encode(encoding, "replace"))
    try:
        read = read_world(world)
    except BadInput:
        return  # a clear error naming the file (e.g. a quote left open to the end)
    result = validate_world(read)
    for name, table in read.nodes.items():
        good = result.world.nodes[name].num_rows
        rejected = {r.row for r in result.rejects if r.file == read.file_of(name.value)
                    and r.row > 0}
        assert good + len(rejected) == table.num_rows
