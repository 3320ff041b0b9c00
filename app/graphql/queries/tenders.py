"""tender(id) and tenders(search...): tenders with their bids."""

from __future__ import annotations

from typing import Any

from strawberry.types import Info

from app.graphql.limits import page_size
from app.graphql.loaders import loaders_of, read
from app.graphql.types.pagination import Edge, Page, PageInfo, decode_cursor, encode_cursor
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
    loaders = loaders_of(info)
    edges = []
    for row in rows[:size]:
        loaders.tender.prime(str(row["tender_id"]), row)
        edges.append(Edge(cursor=encode_cursor(str(row["tender_id"])),
                          node=tender_from_row(row)))
    return Page(edges=edges, page_info=PageInfo(
        has_next_page=len(rows) > size, end_cursor=edges[-1].cursor if edges else None))
