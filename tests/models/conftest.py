"""A small generated world shared by the risk-engine tests (generated once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskgraph.graph.snapshot import Snapshot
from riskgraph.seed.world import generate_world

FIRMS, SEED = 3000, 5


@pytest.fixture(scope="session")
def world_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("risk-world")
    generate_world(FIRMS, SEED, out, progress=False)
    return out


@pytest.fixture(scope="session")
def world_snapshot(world_dir: Path) -> Snapshot:
    return Snapshot.from_world(world_dir)
