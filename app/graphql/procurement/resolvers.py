"""tender(id) and tenders(search...): tenders with their bids."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from riskgraph.app.graphql.common.arguments import After, Before, First, Last, about
from riskgraph.app.graphql.common.pagination import Connection, connection_of, window
from riskgraph.app.graphql.loaders import loaders_of, read
from riskgraph.app.graphql.registry.types import Tender, tender_from_row
from riskgraph.graph.errors import BadInput


async def resolve_tender(info: Info[Any, Any],
                         id: Annotated[str, about("The tender's id.")]) -> Tender | None:
    """The tender, or null when no tender has that id."""
    row = await loaders_of(info).tender.load(id.strip())
    return None if row is None else tender_from_row(row)


async def resolve_tenders(info: Info[Any, Any],
                          buyer: Annotated[str | None, about("The buying body, exactly.")] = None,
                          region: Annotated[str | None, about("A region code prefix.")] = None,
                          first: First = None,
                          after: After = None, last: Last = None,
                          before: Before = None) -> Connection[Tender]:
    win = window(first, after, last, before)
    for name, value in (("buyer", buyer), ("region", region)):
        if value is not None and not value.strip():
            raise BadInput(f"argument {name}: must not be empty (omit it to not filter)")
    rows = await read(info, "search_tenders", buyer=buyer, region=region, **win.params())

    async def count() -> int:
        return int((await read(info, "count_tenders", buyer=buyer, region=region))[0]["total"])

    return connection_of(rows, win, "tender_id", tender_from_row, loaders_of(info).tender,
                         count)


@strawberry.type
class ProcurementQuery:
    tender: Tender | None = strawberry.field(resolver=resolve_tender, description="A tender by id.")
    tenders: Connection[Tender] | None = strawberry.field(
        resolver=resolve_tenders, description="Tenders by buyer and region, with their bids.")
