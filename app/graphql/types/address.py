"""Registered addresses and the firms registered there."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.types import Info

from riskgraph.app.graphql.loaders import loaders_of
from riskgraph.app.graphql.types.company import Company, load_companies
from riskgraph.app.graphql.types.convert import day, text
from riskgraph.app.graphql.types.fields import described


@strawberry.type(description="A normalised registered address.")
class Address:
    address_id: str
    text: str
    region_code: str | None
    since: dt.date | None = strawberry.field(description="Registered here since (for a firm)")
    until: dt.date | None

    @described("Firms registered at this address.")
    async def companies(self, info: Info[Any, Any]) -> list[Company]:
        rows = await loaders_of(info).address_companies.load(self.address_id)
        return await load_companies(info, [str(r["uscc"]) for r in rows])


def address_from_row(row: dict[str, Any]) -> Address:
    return Address(address_id=str(row["address_id"]), text=str(row.get("text") or ""),
                   region_code=text(row.get("region_code")), since=day(row.get("since")),
                   until=day(row.get("until")))
