"""The FollowTheMoney name lists kept in the graph (other_names, aliases, previous_names,
weak_aliases) read back through GraphQL on Company (also an FtM Organization) and Person,
after a real FtM import into the real Neo4j; absent lists read as []."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from riskgraph.graph.config import PROJECT_ROOT, Settings
from riskgraph.graph.importers.ftm import import_ftm
from riskgraph.graph.loader import load_world
from riskgraph.graph.schema import Label
from tests.app.conftest import PUBLIC, make_client

pytestmark = pytest.mark.neo4j

NAMES = "otherNames aliases previousNames weakAliases"
FIXTURE = """\
{"id": "co-acme", "schema": "Company", "properties": {"name": ["Acme Trading Ltd", \
"ACME Trading Limited"], "alias": ["Acme"], "previousName": ["Acme Import Co"], \
"weakAlias": ["AT"], "jurisdiction": ["gb"]}}
{"id": "org-fund", "schema": "Organization", "properties": {"name": ["Harbour Fund"], \
"alias": ["HF Foundation"]}}
{"id": "p-li", "schema": "Person", "properties": {"name": ["Li Wei"], "alias": ["Lee Wai", \
"Li W."], "previousName": ["Li Xiaowei"], "weakAlias": ["Wei"]}}
{"id": "p-plain", "schema": "Person", "properties": {"name": ["Wang Fang"]}}
"""
REAL = PROJECT_ROOT / "tests" / "fixtures" / "interchange" / "yente_zala.ftm.json"


def _load(driver: Driver, settings: Settings, path: Path, out: Path) -> Any:
    result = import_ftm(path)
    result.write(out)
    load_world(driver, out, database=settings.neo4j_database, progress=False)
    return result


def _names(node: dict[str, Any]) -> tuple[list[str], ...]:
    return tuple(node[k] for k in NAMES.split())


def test_name_lists_through_graphql(clean_graph: Driver, settings: Settings,
                                    tmp_path: Path) -> None:
    path = tmp_path / "names.ftm.json"
    path.write_text(FIXTURE, encoding="utf-8")
    _load(clean_graph, settings, path, tmp_path / "world")
    client = make_client(clean_graph, settings, PUBLIC)  # names are public, as `name` is

    def gql(query: str) -> dict[str, Any]:
        body = client.post("/graphql", json={"query": query}).json()
        assert "errors" not in body, body
        return body["data"]  # type: ignore[no-any-return]

    data = gql(f"""{{ acme: company(uscc: "ftm:co-acme") {{ name {NAMES} }}
        fund: company(uscc: "ftm:org-fund") {{ name {NAMES} }}
        li: person(id: "p-li") {{ name {NAMES} }}
        plain: person(id: "p-plain") {{ name {NAMES} }} }}""")
    assert _names(data["acme"]) == (["ACME Trading Limited"], ["Acme"], ["Acme Import Co"],
                                    ["AT"])
    assert _names(data["fund"]) == ([], ["HF Foundation"], [], [])  # an FtM Organization
    assert _names(data["li"]) == ([], ["Lee Wai", "Li W."], ["Li Xiaowei"], ["Wei"])
    assert _names(data["plain"]) == ([], [], [], [])  # no lists stored: [] (never null)
    # a search page primes the company loader with its rows: the names still come through
    page = gql(f'{{ companies(name: "Acme") {{ edges {{ node {{ uscc {NAMES} }} }} }} }}')
    assert [(e["node"]["uscc"], e["node"]["aliases"])
            for e in page["companies"]["edges"]] == [("ftm:co-acme", ["Acme"])]
    people = gql(f'{{ people(name: "Li") {{ edges {{ node {{ personId {NAMES} }} }} }} }}')
    assert {e["node"]["personId"]: e["node"]["previousNames"]
            for e in people["people"]["edges"]}["p-li"] == ["Li Xiaowei"]
    # a firm is found by a former name or an alias, a person by a transliteration
    found = gql('{ a: companies(name: "acme import") { totalCount nodes { uscc } } '
                'b: companies(name: "HF Found") { nodes { uscc } } '
                'c: people(name: "Lee Wai") { totalCount nodes { personId } } '
                'd: people(name: "iaowei") { nodes { personId } } }')
    assert found["a"] == {"totalCount": 1, "nodes": [{"uscc": "ftm:co-acme"}]}
    assert found["b"]["nodes"] == [{"uscc": "ftm:org-fund"}]
    assert found["c"] == {"totalCount": 1, "nodes": [{"personId": "p-li"}]}
    assert found["d"]["nodes"] == []  # word starts only, as for names ("Li Xiaowei")


def test_real_yente_aliases_through_graphql(clean_graph: Driver, settings: Settings,
                                            tmp_path: Path) -> None:
    result = _load(clean_graph, settings, REAL, tmp_path / "world")
    people = [p for p in result.world.nodes[Label.PERSON].to_pylist() if p["aliases"]]
    assert people, "the fixture has people with aliases"
    client = make_client(clean_graph, settings, PUBLIC)
    query = " ".join(f'p{i}: person(id: "{p["person_id"]}") {{ personId {NAMES} }}'
                     for i, p in enumerate(people))
    body = client.post("/graphql", json={"query": f"{{ {query} }}"}).json()
    assert "errors" not in body, body
    got = {n["personId"]: _names(n) for n in body["data"].values()}
    assert got == {p["person_id"]: tuple(p[k] or [] for k in (
        "other_names", "aliases", "previous_names", "weak_aliases")) for p in people}


def test_real_people_are_found_by_their_aliases(clean_graph: Driver, settings: Settings,
                                                tmp_path: Path) -> None:
    """Every person of the real yente file with an alias is found by ``people(name:)`` under
    that alias (Latin and Cyrillic alike), through the full-text index."""
    result = _load(clean_graph, settings, REAL, tmp_path / "world")
    people = [p for p in result.world.nodes[Label.PERSON].to_pylist() if p["aliases"]]
    assert len(people) >= 3, "the fixture has people with aliases"
    client = make_client(clean_graph, settings, PUBLIC)
    for p in people:
        alias = p["aliases"][0]
        body = client.post("/graphql", json={
            "query": "query($n: String!) { people(name: $n, first: 100) { nodes { personId } } }",
            "variables": {"n": alias}}).json()
        assert "errors" not in body, (alias, body)
        assert p["person_id"] in {n["personId"] for n in body["data"]["people"]["nodes"]}, alias
