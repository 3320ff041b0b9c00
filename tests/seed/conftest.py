"""A small world shared by the seed tests (generated once per session)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from riskgraph.graph.schema import GROUND_TRUTH_FILE, Label, Rel, node_file, rel_file
from riskgraph.seed.world import generate_world

FIRMS, SEED = 2000, 11


class World:
    """Read access to a generated world directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._cache: dict[str, pa.Table] = {}

    def node(self, label: Label) -> pa.Table:
        return self._read(node_file(label))

    def rel(self, rel: Rel) -> pa.Table:
        return self._read(rel_file(rel))

    def _read(self, relpath: str) -> pa.Table:
        if relpath not in self._cache:
            self._cache[relpath] = pq.read_table(self.root / relpath)
        return self._cache[relpath]

    def col(self, table: pa.Table, name: str) -> list[Any]:
        return table[name].to_pylist()

    @property
    def truth(self) -> dict[str, Any]:
        return json.loads((self.root / GROUND_TRUTH_FILE).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    out = tmp_path_factory.mktemp("seed-world")
    generate_world(FIRMS, SEED, out, progress=False)
    return World(out)
