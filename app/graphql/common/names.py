"""A firm's or person's further names (the FollowTheMoney name lists kept in the graph), read
through one batched loader per type (``company_names`` / ``person_names``)."""

from __future__ import annotations

from typing import Any

DESCRIPTIONS = {
    "other_names": "Further names (FollowTheMoney `name` values after the first); empty when "
                   "none are known.",
    "aliases": "Aliases (FollowTheMoney `alias`); empty when none are known.",
    "previous_names": "Former names (FollowTheMoney `previousName`); empty when none are "
                      "known.",
    "weak_aliases": "Weak aliases (FollowTheMoney `weakAlias`: short or common names that do "
                    "not identify alone); empty when none are known.",
}


def names_from(row: dict[str, Any] | None, field: str) -> list[str]:
    """One name list of a ``list_*_names`` row: [] when the row or the list is missing (a
    single stored string counts as a list of one; null entries are left out)."""
    value = row.get(field) if row else None
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if v is not None]
