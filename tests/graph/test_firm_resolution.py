"""Firm resolution in the graph (issue 21): Company records of two sources linked SAME_AS one
resolved entity by ``riskgraph resolve firms`` and by judgements, split with the history kept,
with the same machinery as people. On the real Neo4j."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from neo4j import Driver

from riskgraph.graph.config import get_settings
from riskgraph.graph.errors import BadInput
from riskgraph.graph.resolution import constraints, history, judge, split
from riskgraph.seed.firm_duplicates import TRUTH_FILE, firm_records
from riskgraph.seed.world import generate_world
from tests.foundation.test_cli import run_cli

DB = get_settings().neo4j_database

pytestmark = pytest.mark.neo4j
REGISTRY, PORTAL = "91440100526JGGTWE0", "src-b:0000001"

CREATE = """
UNWIND $rows AS r
CREATE (c:Company {uscc: r.key, name: r.name})
FOREACH (t IN CASE WHEN r.address IS NULL THEN [] ELSE [r.address] END |
  MERGE (a:Address {address_id: 'addr:' + t}) ON CREATE SET a.text = t
  CREATE (c)-[:REGISTERED_AT]->(a))
FOREACH (p IN r.people |
  MERGE (q:Person {person_id: p})
  CREATE (q)-[:DIRECTOR_OF]->(c))
"""


def _active(driver: Driver) -> dict[str, str]:
    rows, _, _ = driver.execute_query(
        "MATCH (c:Company)-[:SAME_AS {active: true}]->(e:ResolvedEntity {kind: 'company'}) "
        "RETURN c.uscc AS key, e.entity_id AS entity")
    return {r["key"]: r["entity"] for r in rows}


def test_a_judged_pair_of_firms_is_linked_then_split_with_its_history(
        clean_graph: Driver) -> None:
    clean_graph.execute_query(CREATE, rows=[
        {"key": REGISTRY, "name": "广州贤鑫贸易有限公司", "address": None, "people": []},
        {"key": PORTAL, "name": "Guangzhou Xianxin Maoyi Co., Ltd.", "address": None,
         "people": []}])
    judge(clean_graph, REGISTRY, PORTAL, "same", "the portal's supplier", actor="test",
          kind="company", database=DB)
    linked = _active(clean_graph)
    assert set(linked) == {REGISTRY, PORTAL} and len(set(linked.values())) == 1
    assert constraints(clean_graph, kind="company", database=DB) == ([(REGISTRY, PORTAL)], [])
    assert constraints(clean_graph, database=DB) == ([], [])  # people's judgements are apart
    assert split(clean_graph, PORTAL, actor="test", reason="another firm", kind="company",
                 database=DB) == [REGISTRY]
    assert PORTAL not in _active(clean_graph)
    past = history(clean_graph, PORTAL, kind="company", database=DB)
    assert [h["active"] for h in past] == [False]
    assert constraints(clean_graph, kind="company", database=DB)[1] == [(REGISTRY, PORTAL)]
    with pytest.raises(BadInput, match="kind 'firm'"):
        judge(clean_graph, REGISTRY, PORTAL, "same", "", actor="test", kind="firm", database=DB)


def test_resolve_firms_links_the_planted_copies(clean_graph: Driver, tmp_path: Path) -> None:
    generate_world(600, 3, tmp_path, progress=False, firm_duplicates=0.2)
    records = firm_records(tmp_path)
    clean_graph.execute_query(CREATE, rows=[
        {"key": r["record_id"].replace("b:", "src-b:"), "name": r["name"],
         "address": r["address"], "people": r["people"]} for r in records])
    result = run_cli("resolve", "firms")
    assert result.returncode == 0, result.stderr
    assert "resolved firms" in result.stdout
    with (tmp_path / TRUTH_FILE).open(encoding="utf-8") as fh:
        truth = {t["record_id"].replace("b:", "src-b:"): t["entity_id"]
                 for t in csv.DictReader(fh)}
    linked = _active(clean_graph)
    assert linked
    for key, entity in linked.items():  # every link joins records of one planted firm
        assert {truth[k] for k, e in linked.items() if e == entity} == {truth[key]}
