"""Turn driver values (temporal types, nodes, paths) into JSON-friendly Python values."""

from __future__ import annotations

from typing import Any

from neo4j.graph import Node, Path, Relationship


def to_jsonable(value: Any) -> Any:
    """Recursively convert Neo4j values to plain JSON types (dates become ISO strings)."""
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, Node):
        return {"labels": sorted(value.labels), **to_jsonable(dict(value))}
    if isinstance(value, Relationship):
        return {"type": value.type, **to_jsonable(dict(value))}
    if isinstance(value, Path):
        return {"nodes": [to_jsonable(n) for n in value.nodes],
                "relationships": [to_jsonable(r) for r in value.relationships]}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value
