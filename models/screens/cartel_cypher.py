"""The Cypher that shows a cartel-screen flag in Neo4j Browser: parameterised and literal.

Screens run their statements with ``$parameters`` only. For people who paste a query into
Neo4j Browser, a flag also carries a *literal* version in which each ``$name`` is replaced by
the value written as a Cypher literal (strings quoted and escaped). The literal text is for
display; nothing executes it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from riskgraph.graph.catalog import query

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def literal(value: Any) -> str:
    """``value`` as a Cypher literal (str, bool, int, float, None, lists and maps of them)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"`{k}`: {literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


def _body(text: str) -> str:
    return "\n".join(line for line in text.splitlines()
                     if not line.lstrip().startswith("//")).strip()


def browser_query(name: str, params: dict[str, Any]) -> dict[str, Any]:
    """``{"name", "params", "cypher", "literal"}`` for catalog statement ``name``."""
    text = _body(query(name))
    missing = sorted(set(_PARAM.findall(text)) - set(params))
    if missing:
        raise ValueError(f"{name}: no value for parameter(s) {', '.join(missing)}")
    lit = _PARAM.sub(lambda m: literal(params[m.group(1)]), text)
    return {"name": name, "params": json.loads(json.dumps(params)), "cypher": text,
            "literal": lit}
