"""The supplier-network exposure report and the bid screen in GraphQL (agency roles)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, cast

import strawberry
from strawberry.types import Info

from riskgraph.app.graphql.common.arguments import Uscc, about
from riskgraph.app.graphql.disclosed import audience_of
from riskgraph.app.graphql.exposure.types import BidScreenResult, ExposureReport
from riskgraph.app.graphql.loaders import loaders_of
from riskgraph.app.graphql.permissions import require
from riskgraph.app.security.principal import Role
from riskgraph.graph.identifiers import lookup_firm_id
from riskgraph.graph.store import Store
from riskgraph.models.exposure.bid_screen import screen_bid
from riskgraph.models.exposure.report import build_report


async def resolve_exposure_report(
        info: Info[Any, Any], uscc: Uscc,
        tiers: Annotated[int, about("Supply tiers to walk, 1 to 6.")] = 3,
        downstream: Annotated[bool, about("Walk to customers instead of suppliers.")] = False
) -> ExposureReport:
    """Walk supply relationships up to ``tiers`` tiers and weigh what is risky."""
    require(info, Role.INVESTIGATOR, "an exposure report")
    db = loaders_of(info).db
    report = await asyncio.to_thread(build_report, Store(db.driver, db.database),
                                     lookup_firm_id(uscc), tiers, downstream, None,
                                     audience=audience_of(info))
    suppliers = report.to_dict()["suppliers"]  # texts already written for the caller
    return ExposureReport(
        uscc=report.firm.get("uscc", uscc), name=report.firm.get("name", ""),
        direction=report.direction, tiers=report.tiers,
        exposure_index=report.exposure_index, concentration_hhi=report.concentration_hhi,
        supplier_count=report.supplier_count, path_count=report.path_count,
        counts_by_reason=cast(Any, report.counts_by_reason),
        suppliers=cast(Any, suppliers))


async def resolve_screen_bid(
        info: Info[Any, Any], tender_id: Annotated[str, about("The tender's id.")],
        bid_id: Annotated[str | None, about("An existing bid to screen.")] = None,
        members: Annotated[list[str] | None, about("Proposed bidding firms' identifiers.")] = None,
        suppliers: Annotated[list[str] | None, about("Proposed suppliers' identifiers.")] = None
) -> BidScreenResult:
    """Is any party barred from this tender (an existing bid, or proposed parties)?"""
    require(info, Role.INVESTIGATOR, "bid screening")
    db = loaders_of(info).db
    result = await asyncio.to_thread(screen_bid, Store(db.driver, db.database), tender_id,
                                     bid_id, members, suppliers, None, audience_of(info))
    return BidScreenResult(tender_id=result.tender_id, bid_id=result.bid_id,
                           as_of=result.as_of, barred=result.barred,
                           parties=cast(Any, result.to_dict()["parties"]))


@strawberry.type
class ExposureQuery:
    exposure_report: ExposureReport | None = strawberry.field(
        resolver=resolve_exposure_report,
        description="Supplier-network exposure of a firm (tiers <= 6; docs/exposure.md).")
    screen_bid: BidScreenResult | None = strawberry.field(
        resolver=resolve_screen_bid,
        description="Whether any party of a bid (or proposed parties) is barred, with evidence.")
