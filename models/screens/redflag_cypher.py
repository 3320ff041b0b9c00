"""The Cypher that shows a red flag in Neo4j Browser.

Each flag names a catalog statement (``cypher/screens/redflag_show_*.cypher``) and its
parameters; ``cypher`` is the same text with the parameter written in as a quoted literal,
for pasting into Neo4j Browser (display only: the project runs the parameterised form).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from riskgraph.graph.catalog import query

if TYPE_CHECKING:
    from riskgraph.models.screens.redflag_flag import Flag

_BY_GROUP = {"Tenderer": ("screens/redflag_show_firm_bids", "uscc"),
             "Buyer": ("screens/redflag_show_buyer_bids", "buyer"),
             "ProcuringEntity": ("screens/redflag_show_buyer_bids", "buyer")}
BUYER_PREFIX = "buyer-"


def statement(flag: Flag) -> tuple[str, dict[str, Any]]:
    """(catalog name, parameters) of the statement that shows ``flag``."""
    if flag.tender_id is not None:
        name = ("screens/redflag_show_shared_contacts" if flag.indicator == "R044"
                else "screens/redflag_show_tender")
        return name, {"tender_id": flag.tender_id}
    name, param = _BY_GROUP[flag.group]
    value = flag.id.removeprefix(BUYER_PREFIX) if param == "buyer" else flag.id
    return name, {param: value}


def literal(text: str, params: dict[str, Any]) -> str:
    """``text`` with each ``$name`` replaced by its value as a Cypher string literal."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    for key, value in params.items():
        body = body.replace(f"${key}", json.dumps(str(value), ensure_ascii=False))
    return body.strip()


def snippet(flag: Flag) -> dict[str, Any]:
    name, params = statement(flag)
    return {"cypher_query": name, "cypher_params": params,
            "cypher": literal(query(name), params)}
