"""tender(id) and tenders(search...): tenders with their bids."""

from __future__ import annotations

from typing import Any

from strawberry.types import Info

from app.graphql.limits import page_size
from app.graphql.loaders import loaders_of, read
from app.graphql.types.pagination import Page, decode_cursor, page_of
from app.graphql.types.tender import Tender, tender_from_row
from graph.errors import BadInput, NotFound


async def resolve_tender(info: Info[Any, Any], id: str) -> Tender:
    row = await loaders_of(info).tender.load(id.strip())
    if row is None:
        raise NotFound(f"no tender with id {id!r}")
    return tender_from_row(row)


async def resolve_tenders(info: Info[Any, Any], buyer: str | None = None,
                          region: str | None = None, first: int | None = None,
                          after: str | None = None) -> Page[Tender]:
    size = page_size(first)
    for name, value in (("buyer", buyer), ("region", region)):
        if value is not None and not value.strip():
            raise BadInput(f"argument {name}: must not be empty (omit it to not filter)")
    rows = await read(info, "search_tenders", buyer=buyer, region=region,
                      after=decode_cursor(after), limit=size + 1)
    return page_of(rows, size, "tender_id", loaders_of(info).tender, tender_from_row)
