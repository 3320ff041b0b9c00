"""Procurement screens in GraphQL: Cardinal-style red flags per tender and the cartel screen.

Both screens look at every tender at once (the red-flag fences are quartiles over all tenders;
the cartel screen groups firms across tenders), so a process keeps each report in the report
cache (app/cache.py) until the graph changes instead of recomputing it per request. Agency
roles only: a flag is a lead for an investigator, not a finding to publish.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, cast

import strawberry
from strawberry.types import Info

from riskgraph.app import cache
from riskgraph.app.graphql.common.arguments import about
from riskgraph.app.graphql.disclosed import record_ids, redact, visible_records, visibly_blacklisted
from riskgraph.app.graphql.loaders import loaders_of
from riskgraph.app.graphql.permissions import require
from riskgraph.app.graphql.screens.types import CartelGroup, CartelScreen, CartelTender, RedFlag
from riskgraph.app.security.principal import Role
from riskgraph.graph.connection import Driver
from riskgraph.graph.errors import NotFound
from riskgraph.graph.store import Store
from riskgraph.models.screens.cartels import screen_cartels
from riskgraph.models.screens.redflag_graph import graph_releases
from riskgraph.models.screens.redflag_ocds import tender_id as release_tender
from riskgraph.models.screens.redflags import screen_releases


def _red_flags(driver: Driver, database: str) -> tuple[Any, list[Any]]:
    releases = graph_releases(Store(driver, database))
    return screen_releases(releases), releases


async def resolve_tender_red_flags(info: Info[Any, Any],
                                  tender_id: Annotated[str, about("The tender's id.")]
                                  ) -> list[RedFlag]:
    """The red flags about one tender (its own, its buyer's and its tenderers')."""
    require(info, Role.INVESTIGATOR, "procurement red flags")
    db = loaders_of(info).db
    report, releases = await asyncio.to_thread(
        cache.cached, "redflags", db.driver, db.database,
        lambda: _red_flags(db.driver, db.database))
    match = [r for r in releases if release_tender(r) == tender_id]
    if not match:
        raise NotFound(f"no tender {tender_id!r} with bids")
    return [RedFlag.of(f) for f in report.for_tender(match[0]).flags]


async def resolve_cartel_screen(
        info: Info[Any, Any],
        flagged_only: Annotated[bool, about("Only groups over the flag threshold.")] = True,
        first: Annotated[int, about("How many groups at most.")] = 50,
        tender_id: Annotated[str | None, about("Only groups that bid for this tender.")] = None
) -> CartelScreen:
    """Co-bidding groups by descending cartel score (default: flagged ones only), linked
    competing bidders and blacklisted bid parties."""
    require(info, Role.INVESTIGATOR, "the cartel screen")
    db = loaders_of(info).db
    report = await asyncio.to_thread(
        cache.cached, "cartels", db.driver, db.database,
        lambda: screen_cartels(Store(db.driver, db.database)))
    groups = [g.to_dict() for g in (report.flagged if flagged_only else report.groups)]
    limit = max(1, min(first, 500))
    chosen = ([t for t in report.tenders if t.tender_id == tender_id] if tender_id is not None
              else sorted((t for t in report.tenders if t.flagged or not flagged_only),
                          key=lambda t: (-t.score, t.tender_id))[:limit])
    tenders = [CartelTender(tender_id=d["tender_id"], score=d["score"], flagged=d["flagged"],
                            bidders=d["bidders"], contributions=d["contributions"],
                            screens=d["screens"], market=d["market"])
               for d in (t.to_dict() for t in chosen)]
    groups = groups[:limit]
    blacklisted = report.blacklisted_bids
    visible = await visible_records(info, record_ids(blacklisted))
    named = await visibly_blacklisted(
        info, {m for g in groups for m in g["blacklisted_members"]},
        report.config.blacklist_kinds)
    return CartelScreen(
        threshold=report.config.threshold, hops=report.config.hops,
        tenders_screened=report.tenders_screened,
        groups=[CartelGroup(group_id=g["group_id"], score=g["score"], flagged=g["flagged"],
                            members=g["members"], tenders=g["tenders"],
                            statistics=g["statistics"], links=g["links"],
                            blacklisted_members=[m for m in g["blacklisted_members"]
                                                 if m in named], cypher=g["cypher"])
                for g in groups],
        linked_bidders=cast(Any, report.linked_bidders),
        blacklisted_bids=cast(Any, redact(blacklisted, visible)), tenders=tenders)


@strawberry.type
class ScreensQuery:
    tender_red_flags: list[RedFlag] | None = strawberry.field(
        resolver=resolve_tender_red_flags,
        description="Cardinal red flags (and R044) about a tender, with evidence.")
    cartel_screen: CartelScreen | None = strawberry.field(
        resolver=resolve_cartel_screen,
        description="The cartel screen: co-bidding groups, linked bidders, blacklisted bids.")
