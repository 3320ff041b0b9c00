"""Declared firm identifier namespaces, kept in the graph: stored at load from the world's
manifest (``id_schemes``), registered (graph/identifiers.py) whenever the API or a CLI command
connects, so a namespaced key is checked with its declared pattern, not the generic rule.

One ``(:IdScheme {name, doc, pattern, has_region})`` per namespace (migration 006); a later
world declaring the same namespace replaces its definition.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from neo4j import Driver

from riskgraph.graph.driver import read, write
from riskgraph.graph.identifiers import IdentifierError, IdScheme, register_schemes

log = logging.getLogger("riskgraph.id_schemes")


def store_schemes(driver: Driver, schemes: Mapping[str, IdScheme],
                  database: str) -> int:
    """Store ``schemes`` as ``:IdScheme`` nodes; return how many."""
    if not schemes:
        return 0
    rows = [{"name": s.name, "doc": s.doc, "pattern": s.pattern, "has_region": s.has_region}
            for s in schemes.values()]
    return int(write(driver, "id_schemes/merge_id_schemes", database, schemes=rows)[0]["stored"])


def stored_schemes(driver: Driver, database: str) -> dict[str, IdScheme]:
    """The namespaces stored in the graph, by name."""
    return {str(r["name"]): IdScheme(str(r["name"]), str(r["doc"] or ""), r["pattern"],
                                     bool(r["has_region"]))
            for r in read(driver, "id_schemes/list_id_schemes", database)}


def register_stored_schemes(driver: Driver, database: str) -> dict[str, IdScheme]:
    """Register the graph's stored namespaces for this process; return them. A stored
    definition that no longer parses (edited by hand) is skipped with a warning, not fatal."""
    found = stored_schemes(driver, database)
    usable: dict[str, IdScheme] = {}
    for name, scheme in found.items():
        try:
            register_schemes({name: scheme})
        except IdentifierError as exc:
            log.warning("stored id scheme %r not registered: %s", name, exc)
            continue
        usable[name] = scheme
    return usable
