"""Whole-database housekeeping (used by tests and `riskgraph reset`)."""

from __future__ import annotations

from neo4j import Driver

from riskgraph.graph.audit_anchor import append_anchor
from riskgraph.graph.catalog import query


def clear_data(driver: Driver, database: str) -> None:
    """Remove all data but keep the schema (constraints, indexes, migration ledger). The audit
    trail goes too, so a signed reset is anchored (graph/audit_anchor.py): its earlier
    anchors no longer apply."""
    with driver.session(database=database) as session:
        session.run(query("delete_graph_data")).consume()
    append_anchor("reset", 0, "")
