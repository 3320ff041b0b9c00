"""The GraphQL network queries with an ``asOf`` argument default to the graph's data date (the
day after its newest credit record, graph/store/data_date.py), as every command does, not to today.

The world's data end on 2023-06-01 (data date 2023-06-02). P1's 80% of A ends on 2023-06-15:
in force at the data date, not today. E (blacklisted 2023-05-01) is dissolved on 2023-12-01
and its legal representative P3 leads F from 2023-12-15: a phoenix candidate today, not yet at
the data date.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from riskgraph.graph.config import Settings
from riskgraph.graph.loader import load_world
from riskgraph.graph.store import Store
from riskgraph.graph.store.data_date import data_date
from tests.app.conftest import ADMIN, _company, _record, _write, make_client, uscc

pytestmark = pytest.mark.neo4j
DATA_DATE = "2023-06-02"


def _world(out: Path) -> None:
    _write(out / "nodes/Company.csv", [
        _company("A", "Alpha Holdings"), _company("F", "Foxtrot New", founded="2023-12-15"),
        _company("E", "Echo Dissolved", dissolved="2023-12-01", founded="2010-01-01")])
    _write(out / "nodes/Person.csv", [{"person_id": p, "name": f"Person {p}",
                                       "nationality": "CN"} for p in ("P1", "P3")])
    _write(out / "nodes/CreditRecord.csv", [
        _record("R1", "administrative_penalties", "administrative_penalty", "SAMR-BJ",
                "2023-06-01", "negative", "public", severity="general"),
        _record("R8", "blacklist", "serious_dishonest_enterprise_list", "SAMR-BJ",
                "2023-05-01", "negative", "public")])
    _write(out / "rels/HAS_RECORD.csv", [
        {"src": uscc("A"), "dst": "R1", "src_label": "Company"},
        {"src": uscc("E"), "dst": "R8", "src_label": "Company"}])
    _write(out / "rels/LEGAL_REPRESENTATIVE_OF.csv", [
        {"src": "P3", "dst": uscc("E"), "since": "2010-01-01", "until": "2023-12-01"},
        {"src": "P3", "dst": uscc("F"), "since": "2023-12-15", "until": ""}])
    _write(out / "rels/HOLDS_EQUITY.csv", [
        {"src": "P1", "dst": uscc("A"), "src_label": "Person", "share": "80",
         "since": "2015-01-01", "until": "2023-06-15"}])


def test_network_queries_default_to_the_data_date(
    clean_graph: Driver, settings: Settings, tmp_path: Path,
) -> None:
    _world(tmp_path)
    report = load_world(clean_graph, tmp_path, database=settings.neo4j_database, progress=False)
    assert report.rejects == 0, (tmp_path / "rejects.csv").read_text()
    assert data_date(Store.open(clean_graph, settings.neo4j_database)).isoformat() == DATA_DATE
    client = make_client(clean_graph, settings, ADMIN)

    def ask(as_of: str | None) -> dict[str, Any]:
        query = """query($u: String!, $d: Date) {
            ownershipChain(uscc: $u, asOf: $d) { nodes { id } }
            ultimateControllers(uscc: $u, asOf: $d) { holder { id } }
            phoenixCandidates(asOf: $d) { company { uscc } } }"""
        body = client.post("/graphql", json={"query": query,
                                              "variables": {"u": uscc("A"), "d": as_of}}).json()
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    default, at_data_date, later = ask(None), ask(DATA_DATE), ask("2024-06-01")
    assert default == at_data_date
    assert [[n["id"] for n in p["nodes"]] for p in default["ownershipChain"]] == [
        ["P1", uscc("A")]]
    assert [c["holder"]["id"] for c in default["ultimateControllers"]] == ["P1"]
    assert default["phoenixCandidates"] == []
    assert later["ownershipChain"] == [] and later["ultimateControllers"] == []
    assert [c["company"]["uscc"] for c in later["phoenixCandidates"]] == [uscc("F")]
