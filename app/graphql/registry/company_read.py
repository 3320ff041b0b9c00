"""``company(uscc:)`` in one read: the company, and (when the query asks for them) its key
persons and the credit records the caller may see, from ``api/get_company_with_children``.

The children prime the request's ``officers`` and ``company_records`` loaders, so the nested
fields (``officers``, ``legalRepresentatives``, ``records``) find them there and send no
statement of their own. The statement's lists are the rows of the loaders' own statements
(same columns, order and disclosure filter, with the caller's ``$disclosures``/``$agencies``
added by the reader), so what a caller sees does not depend on the path taken.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from strawberry.dataloader import DataLoader
from strawberry.types import Info
from strawberry.types.nodes import SelectedField, Selection

from riskgraph.app.graphql.loaders import Loaders, Row, loaders_of

OFFICER_FIELDS = frozenset({"officers", "legalRepresentatives"})
RECORD_FIELDS = frozenset({"records"})


def selected_names(selections: Iterable[Selection]) -> set[str]:
    """The field names selected directly on an object, through fragments too (directives
    are not evaluated: a field under ``@skip`` counts, which only reads a list not shown)."""
    names: set[str] = set()
    for selection in selections:
        if isinstance(selection, SelectedField):
            names.add(selection.name)
        else:
            names |= selected_names(selection.selections)
    return names


async def read_company(loaders: Loaders, uscc: str, *, officers: bool,
                       records: bool) -> Row | None:
    """The company's row (None when absent), after priming the child loaders asked for."""
    asked: list[DataLoader[str, Any]] = [loaders.company]
    asked += [loaders.officers] if officers else []
    asked += [loaders.company_records] if records else []
    if all(loader.cache_map.get(uscc) is not None for loader in asked):  # read already
        return await loaders.company.load(uscc)
    rows = await asyncio.to_thread(loaders.db.read, "get_company_with_children", uscc=uscc,
                                   with_officers=officers, with_records=records)
    row: Row | None = dict(rows[0]) if rows else None
    people: list[Row] = row.pop("officers") if row is not None else []
    found: list[Row] = row.pop("records") if row is not None else []
    if officers:
        loaders.officers.prime(uscc, people)
    if records:
        loaders.company_records.prime(uscc, found)
    loaders.company.prime(uscc, row)
    return await loaders.company.load(uscc)


async def load_company_for_field(info: Info[Any, Any], uscc: str) -> Row | None:
    """The row of the company the field ``info`` resolves, its asked-for children primed."""
    asked = selected_names(s for field in info.selected_fields for s in field.selections)
    return await read_company(loaders_of(info), uscc, officers=bool(asked & OFFICER_FIELDS),
                              records=bool(asked & RECORD_FIELDS))
