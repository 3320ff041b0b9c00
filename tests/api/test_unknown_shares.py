"""Ownership paths through a holding of unknown share (a KEK holding without a percentage):
the link is kept, the path's effective share is null (unknown), never 0 or an error."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

from riskgraph.graph.config import Settings
from riskgraph.graph.loader import load_world
from tests.api.conftest import PUBLIC, _company, _write, make_client, uscc

pytestmark = pytest.mark.neo4j


def world(out: Path) -> Path:
    """P1 holds B (no share given), B holds 50% of A, P2 holds 30% of A."""
    _write(out / "nodes/Company.csv", [_company("A", "Alpha"), _company("B", "Beta")])
    _write(out / "nodes/Person.csv", [{"person_id": "P1", "name": "Li Wei"},
                                      {"person_id": "P2", "name": "Wang Fang"}])
    _write(out / "rels/HOLDS_EQUITY.csv", [
        {"src": "P1", "dst": uscc("B"), "src_label": "Person", "share": ""},
        {"src": uscc("B"), "dst": uscc("A"), "src_label": "Company", "share": "50"},
        {"src": "P2", "dst": uscc("A"), "src_label": "Person", "share": "30"}])
    return out


def test_paths_and_controllers_with_an_unknown_share(clean_graph: Driver, settings: Settings,
                                                     tmp_path: Path) -> None:
    report = load_world(clean_graph, world(tmp_path / "w"), database=settings.neo4j_database,
                        progress=False)
    assert report.rejects == 0
    client = make_client(clean_graph, settings, PUBLIC)

    def gql(query: str) -> dict:  # type: ignore[type-arg]
        body = client.post("/graphql", json={"query": query, "variables": {"u": uscc("A")}})
        assert "errors" not in body.json(), body.text
        return body.json()["data"]  # type: ignore[no-any-return]

    chain = gql("""query($u: String!) { ownershipChain(uscc: $u) {
        nodes { id } shares effectiveShare terminal } }""")["ownershipChain"]
    got = [([n["id"] for n in p["nodes"]], p["shares"], p["effectiveShare"]) for p in chain]
    assert got[:2] == [([uscc("B"), uscc("A")], [50.0], 0.5),
                       (["P2", uscc("A")], [30.0], 0.3)]
    assert got[2] == (["P1", uscc("B"), uscc("A")], [None, 50.0], None)  # known ones first
    controllers = gql("""query($u: String!) { ultimateControllers(uscc: $u) {
        holder { id } effectiveShare } }""")["ultimateControllers"]
    assert [(c["holder"]["id"], c["effectiveShare"]) for c in controllers] == [
        ("P2", 0.3), ("P1", None)]
    roles = client.post("/graphql", json={"query": '{ person(id: "P1") { roles { role share '
                                                    '} } }'}).json()
    assert roles["data"]["person"]["roles"] == [{"role": "HOLDS_EQUITY", "share": None}]
