"""docs/data-model.md's table of demo-world counts matches what the generator writes."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow.parquet as pq

from riskgraph.graph.config import PROJECT_ROOT
from riskgraph.seed.world import generate_world


def test_documented_counts_match_the_demo_world(tmp_path: Path) -> None:
    text = (PROJECT_ROOT / "docs" / "data-model.md").read_text()
    section = text.split("## The demo world's counts", 1)[1]
    documented = {
        name: int(count.replace(",", ""))
        for name, count in re.findall(r"^\| `(?::|\[:)(\w+)\]?` \| ([\d,]+) \|$", section, re.M)
    }
    generate_world(20000, 7, tmp_path, progress=False)
    actual = {
        path.stem: pq.read_metadata(path).num_rows
        for sub in ("nodes", "rels") for path in (tmp_path / sub).glob("*.parquet")
    }
    assert documented == actual
