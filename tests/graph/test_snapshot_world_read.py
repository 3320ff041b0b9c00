"""The snapshot's world read: only the tables and columns it uses, converted in Arrow with the
same values as the numpy definitions it replaced (``_text``, ``pd_float``, ``bool(v)``,
``np.unique`` ranks, a sorted-vocabulary ``codes``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskgraph.graph import snapshot as snapshot_module
from riskgraph.graph.snapshot import (
    WORLD_COLUMNS,
    Snapshot,
    _flags,
    _floats,
    _hash_ids,
    _key,
    _texts,
    codes,
    pd_float,
)
from riskgraph.seed.world import generate_world

TEXTS = st.lists(st.one_of(st.none(), st.text(alphabet="ab9 \u4e2dé", max_size=3)), max_size=40)


def _objects(values: list[Any]) -> np.ndarray:
    return np.asarray(pa.array(values, pa.string()).to_numpy(zero_copy_only=False),
                      dtype=object)


@given(TEXTS)
def test_texts_equal_the_per_cell_definition(values: list[str | None]) -> None:
    want = ["" if v is None else str(v) for v in values]
    for intern in (True, False):
        got = _texts(pa.array(values, pa.string()), intern=intern)
        assert got.dtype == object and got.tolist() == want


@given(TEXTS)
def test_keys_and_ranks_equal_numpys(values: list[str | None]) -> None:
    as_numpy = _objects(values).astype(str)  # None -> "None", as the old read spelled it
    assert _key(pa.array(values, pa.string())).to_pylist() == as_numpy.tolist()
    assert _hash_ids(pa.array(values, pa.string())).tolist() == \
        _hash_ids(_objects(values)).tolist()


@given(st.lists(st.one_of(st.none(), st.integers(-10**6, 10**6),
                          st.floats(-1e12, 1e12)), max_size=30))
def test_floats_equal_pd_float(values: list[float | None]) -> None:
    arr = pa.array(values, pa.float64())
    want = pd_float(np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object))
    np.testing.assert_array_equal(_floats(arr), want)
    ints = [None if v is None else int(v) for v in values]
    want = pd_float(np.asarray(pa.array(ints, pa.int64()).to_numpy(zero_copy_only=False),
                               dtype=object))
    np.testing.assert_array_equal(_floats(pa.array(ints, pa.int64())), want)


@given(st.lists(st.one_of(st.none(), st.booleans()), max_size=30))
def test_flags_equal_bool_of_each_cell(values: list[bool | None]) -> None:
    assert _flags(pa.array(values, pa.bool_())).tolist() == \
        [bool(v) if v is not None else False for v in values]


@given(TEXTS, st.lists(st.text(alphabet="ab9", max_size=2), max_size=6, unique=True))
def test_codes_equal_the_sorted_definition(values: list[str | None],
                                           vocabulary: list[str]) -> None:
    arr = np.asarray(values, dtype=object)
    lookup = {v: i for i, v in enumerate(vocabulary)}
    want = [lookup.get(str(v), -1) for v in values]
    assert codes(arr, tuple(vocabulary)).tolist() == want


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("world") / "w"
    generate_world(400, 3, path, progress=False)
    return path


def test_reads_only_the_columns_it_uses(world: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A million-firm world's other columns (names, aliases, sources) are gigabytes: the read
    asks Parquet for the snapshot's columns of the snapshot's tables, nothing else."""
    asked: dict[str, list[str] | None] = {}
    real = pq.read_table

    def spy(path: Path, *args: Any, columns: list[str] | None = None, **kw: Any) -> pa.Table:
        asked[Path(path).stem] = columns
        return real(path, *args, columns=columns, **kw)

    monkeypatch.setattr(pq, "read_table", spy)
    snap = Snapshot.from_world(world)
    assert snap.n_firms == 400
    assert asked, "nothing was read"
    for table, columns in asked.items():
        assert table in WORLD_COLUMNS, f"{table} read but not used"
        assert columns is not None and set(columns) <= set(WORLD_COLUMNS[table]), table
    assert "Address" not in asked and "HOLDS_EQUITY" not in asked


def test_unused_tables_and_columns_do_not_change_the_snapshot(world: Path,
                                                              tmp_path: Path) -> None:
    """The world without the tables and columns the read skips gives the same snapshot."""
    slim = tmp_path / "slim"
    for sub in ("nodes", "rels"):
        (slim / sub).mkdir(parents=True)
        for path in (world / sub).glob("*.parquet"):
            if path.stem in WORLD_COLUMNS:
                table = pq.read_table(path)
                keep = [c for c in WORLD_COLUMNS[path.stem] if c in table.column_names]
                pq.write_table(table.select(keep), slim / sub / path.name)
    full, pruned = Snapshot.from_world(world), Snapshot.from_world(slim)
    assert full.digest() == pruned.digest()
    for name in snapshot_module.Snapshot.__dataclass_fields__:
        a, b = getattr(full, name), getattr(pruned, name)
        assert a.dtype == b.dtype and a.tolist() == b.tolist(), name
