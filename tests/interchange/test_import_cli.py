"""`riskgraph import ... --load` puts an OCDS file's tenders and bids into the real Neo4j."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from neo4j import Driver

from riskgraph.graph.config import PROJECT_ROOT, Settings

pytestmark = pytest.mark.neo4j


def test_import_ocds_and_load(clean_graph: Driver, settings: Settings, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "riskgraph", "import", "ocds",
         str(PROJECT_ROOT / "tests/fixtures/ocds/release_package.json"), "--out",
         str(tmp_path / "w"), "--load"],
        capture_output=True, text=True, cwd=PROJECT_ROOT, env=dict(os.environ), check=False)
    assert result.returncode == 1, result.stderr  # partial: one party and its bid rejected
    assert "import PARTIAL" in result.stdout
    assert "2 input object(s) could not be mapped" in result.stdout  # party t-4 and its bid
    assert (tmp_path / "w" / "import_rejects.csv").read_text().count("\n") == 3
    records, _, _ = clean_graph.execute_query(
        "MATCH (c:Company)-[s:SUBMITTED]->(b:Bid)-[:FOR_TENDER]->(t:Tender) "
        "RETURN c.uscc AS firm, s.role AS role, b.status AS status, t.tender_id AS tender",
        database_=settings.neo4j_database)
    assert {(r["firm"], r["role"], r["status"]) for r in records} == {
        ("91350100M000100Y43", "lead", "won"),
        ("91110000802100433B", "member", "won"),
        ("91330100MA2AB3C4XF", "sole", "lost"),
        ("91330100MA2AB3C4XF", "sole", "disqualified"),
    }
