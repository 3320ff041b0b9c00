"""`riskgraph load --encoding`: a CSV world in a declared encoding detection would misread."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from neo4j import Driver

from riskgraph.graph.config import PROJECT_ROOT, Settings
from riskgraph.graph.errors import BadInput
from riskgraph.graph.importers.reading import detect_encoding
from riskgraph.graph.schema import Label
from riskgraph.graph.world_io import read_world

NAME = "JÖÄ Handels GmbH"
"""In cp1252 the bytes of ÖÄ (D6 C4) pair like a GB18030 character, so detection guesses
GB18030 and reads 曛 instead: only the declared encoding reads the name right."""


def cp1252_world(root: Path) -> Path:
    (root / "nodes").mkdir(parents=True)
    (root / "nodes" / "Company.csv").write_bytes(
        ("uscc,name,region_code,status\n"
         f"91350100M000100Y43,{NAME},350100,active\n").encode("cp1252"))
    return root


def test_detection_misreads_and_the_declared_encoding_reads_right(tmp_path: Path) -> None:
    world = cp1252_world(tmp_path / "w")
    assert detect_encoding(world / "nodes" / "Company.csv") == "gb18030"
    assert read_world(world).nodes[Label.COMPANY]["name"].to_pylist() != [NAME]
    assert read_world(world, "cp1252").nodes[Label.COMPANY]["name"].to_pylist() == [NAME]
    with pytest.raises(BadInput, match="unknown encoding 'klingon'"):
        read_world(world, "klingon")


def run_load(world: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "riskgraph", "load", str(world), *args],
        capture_output=True, text=True, cwd=PROJECT_ROOT, env=dict(os.environ), check=False)


def test_an_unknown_encoding_is_a_clear_error(tmp_path: Path) -> None:
    result = run_load(cp1252_world(tmp_path / "w"), "--encoding", "klingon")
    assert result.returncode == 2
    assert "unknown encoding 'klingon'" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.neo4j
def test_load_with_a_declared_encoding(clean_graph: Driver, settings: Settings,
                                       tmp_path: Path) -> None:
    result = run_load(cp1252_world(tmp_path / "w"), "--encoding", "cp1252")
    assert result.returncode == 0, result.stdout + result.stderr
    records, _, _ = clean_graph.execute_query(
        "MATCH (c:Company) RETURN c.name AS name", database_=settings.neo4j_database)
    assert [r["name"] for r in records] == [NAME]
