"""Tenders, their bids and bidders."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.types import Info

from riskgraph.app.graphql.loaders import loaders_of
from riskgraph.app.graphql.types.company import Company, load_companies, load_company
from riskgraph.app.graphql.types.convert import day, number, text
from riskgraph.app.graphql.types.fields import described
from riskgraph.app.graphql.types.node import Node


@strawberry.type(description="A public procurement tender.")
class Tender(Node):
    tender_id: str
    title: str | None
    buyer: str
    region_code: str | None
    category: str | None
    estimated_value: float | None
    published_on: dt.date | None
    deadline: dt.date | None
    procedure: str | None

    def node_key(self) -> tuple[str, str]:
        return "Tender", self.tender_id

    @described("Bids received, lowest amount first.")
    async def bids(self, info: Info[Any, Any]) -> list[Bid]:
        return [bid_from_row(r) for r in await loaders_of(info).tender_bids.load(self.tender_id)]


@strawberry.type(description="A firm in a bid: sole bidder, consortium lead or member.")
class Bidder:
    role: str
    uscc: str

    @strawberry.field
    async def company(self, info: Info[Any, Any]) -> Company | None:
        return await load_company(info, self.uscc)


@strawberry.type(description="A bid for a tender.")
class Bid:
    bid_id: str
    amount: float | None
    submitted_at: str | None = strawberry.field(description="ISO date-time")
    status: str | None
    bidders: list[Bidder]
    supplier_usccs: strawberry.Private[list[str]]

    @described("Suppliers named in the bid.")
    async def suppliers(self, info: Info[Any, Any]) -> list[Company]:
        return await load_companies(info, self.supplier_usccs)


@strawberry.type(description="A bid a firm submitted, with its part in it.")
class CompanyBid:
    bid_id: str
    role: str
    amount: float | None
    submitted_at: str | None
    status: str | None
    tender_id: str

    @strawberry.field
    async def tender(self, info: Info[Any, Any]) -> Tender | None:
        row = await loaders_of(info).tender.load(self.tender_id)
        return tender_from_row(row) if row else None


def tender_from_row(row: dict[str, Any]) -> Tender:
    return Tender(tender_id=str(row["tender_id"]), title=text(row.get("title")),
                  buyer=str(row.get("buyer") or ""), region_code=text(row.get("region_code")),
                  category=text(row.get("category")),
                  estimated_value=number(row.get("estimated_value")),
                  published_on=day(row.get("published_on")), deadline=day(row.get("deadline")),
                  procedure=text(row.get("procedure")))


def bid_from_row(row: dict[str, Any]) -> Bid:
    return Bid(bid_id=str(row["bid_id"]), amount=number(row.get("amount")),
               submitted_at=text(row.get("submitted_at")), status=text(row.get("status")),
               bidders=[Bidder(role=str(b.get("role") or ""), uscc=str(b["uscc"]))
                        for b in row.get("bidders") or []],
               supplier_usccs=[str(u) for u in row.get("suppliers") or []])


def company_bid_from_row(row: dict[str, Any]) -> CompanyBid:
    return CompanyBid(bid_id=str(row["bid_id"]), role=str(row.get("role") or ""),
                      amount=number(row.get("amount")),
                      submitted_at=text(row.get("submitted_at")), status=text(row.get("status")),
                      tender_id=str(row["tender_id"]))
