"""What a report may show its caller: the records it may see, the firms visibly blacklisted
for it, and the caller as the audience of a report's texts (models.disclosure)."""

from __future__ import annotations

from typing import Any

from strawberry.types import Info

from riskgraph.app.graphql.loaders import read
from riskgraph.app.graphql.permissions import principal_of
from riskgraph.app.security.principal import Role
from riskgraph.models.disclosure import WITHHELD, Audience


async def visible_records(info: Info[Any, Any], ids: set[str]) -> set[str]:
    rows = await read(info, "list_visible_records", record_ids=sorted(ids)) if ids else []
    return {str(r["record_id"]) for r in rows}


async def visibly_blacklisted(info: Info[Any, Any], usccs: set[str],
                               kinds: tuple[str, ...]) -> set[str]:
    """The firms among ``usccs`` with a blacklisting the caller may see: a member whose only
    listing is hidden is not named (its group's score still counts it)."""
    rows = await read(info, "list_visible_blacklisted_firms", usccs=sorted(usccs),
                      kinds=list(kinds)) if usccs else []
    return {str(r["uscc"]) for r in rows}


def audience_of(info: Info[Any, Any]) -> Audience:
    """The caller as the audience of a report's texts (models.disclosure)."""
    who = principal_of(info)
    return Audience(who.role.value, who.disclosures,
                    who.agencies if who.role is Role.RESTRICTED else ())


def record_ids(value: Any) -> set[str]:
    """Every ``record_id`` value anywhere in a JSON-like structure."""
    found: set[str] = set()
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "record_id" and isinstance(v, str):
                found.add(v)
            else:
                found |= record_ids(v)
    elif isinstance(value, list):
        for v in value:
            found |= record_ids(v)
    return found


def redact(value: Any, visible: set[str]) -> Any:
    """Replace every dict naming a record the caller may not see by a withheld marker (the
    verdicts stay: a hidden ban still bars, but its details are not shown)."""
    if isinstance(value, dict):
        rid = value.get("record_id")
        if isinstance(rid, str) and rid not in visible:
            return {"withheld": WITHHELD}
        return {k: redact(v, visible) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, visible) for v in value]
    return value
