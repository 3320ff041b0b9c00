"""Every label and relationship type of the data model has its loader statement."""

from __future__ import annotations

from riskgraph.graph.catalog import query
from riskgraph.graph.loader import rel_statement, snake
from riskgraph.graph.schema import NODES, RELS


def test_every_label_and_type_has_a_merge_statement() -> None:
    for label in NODES:
        assert f"MERGE (n:{label.value} " in query(f"load/merge_{snake(label.value)}")
    for rel, spec in RELS.items():
        for src in spec.src:
            text = query(rel_statement(rel, src))
            assert f"MATCH (a:{src.value} " in text and f"[r:{rel.value} " in text
