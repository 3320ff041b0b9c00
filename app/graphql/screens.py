"""Procurement screens in GraphQL: Cardinal-style red flags per tender and the cartel screen.

Both screens look at every tender at once (the red-flag fences are quartiles over all tenders;
the cartel screen groups firms across tenders), so a process keeps each report for
:data:`TTL` seconds instead of recomputing it per request. Agency roles only: a flag is a
lead for an investigator, not a finding to publish.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

import strawberry
from neo4j import Driver
from strawberry.types import Info

from riskgraph.app.graphql.loaders import loaders_of
from riskgraph.app.graphql.permissions import principal_of, require
from riskgraph.app.security.principal import Role
from riskgraph.graph.identifiers import lookup_firm_id
from riskgraph.models.disclosure import WITHHELD, Audience

TTL = 300.0
T = TypeVar("T")
_cache: dict[str, tuple[float, Any]] = {}
_lock = threading.Lock()


def _cached(key: str, build: Callable[[], T]) -> T:
    with _lock:
        hit = _cache.get(key)
        if hit is not None and time.monotonic() - hit[0] < TTL:
            value: T = hit[1]
            return value
        value = build()
        _cache[key] = (time.monotonic(), value)
        return value


def forget() -> None:
    """Drop cached reports (after writes that change tenders, bids or records)."""
    with _lock:
        _cache.clear()


@strawberry.type(description="A Cardinal red flag (or R044) with its evidence.")
class RedFlag:
    indicator: str
    title: str
    group: str = strawberry.field(description="OCID, Buyer, ProcuringEntity or Tenderer")
    id: str
    value: float
    tender_id: str | None
    evidence: strawberry.scalars.JSON
    cypher: str = strawberry.field(description="Paste into Neo4j Browser to see it")


@strawberry.type(description="A co-bidding group scored by the cartel screen.")
class CartelGroup:
    group_id: str
    score: float
    flagged: bool
    members: list[str]
    tenders: list[str]
    statistics: strawberry.scalars.JSON
    links: strawberry.scalars.JSON
    blacklisted_members: list[str]
    cypher: strawberry.scalars.JSON


@strawberry.type(description="A tender's cartel score and the screens that contributed.")
class CartelTender:
    tender_id: str
    score: float
    flagged: bool
    bidders: list[str]
    contributions: strawberry.scalars.JSON = strawberry.field(
        description="group_id / group_score, price_score, linked_bidders, blacklisted_party")
    screens: strawberry.scalars.JSON = strawberry.field(
        description="price screens: cv, spread, kurtosis, skewness, diffp, rd, ratios to the "
                    "reserve / estimate / floor")
    market: str


@strawberry.type(description="The cartel screen: scored groups, linked competing bidders and "
                             "bids by blacklisted parties, each with its evidence.")
class CartelScreen:
    threshold: float
    hops: int
    tenders_screened: int
    groups: list[CartelGroup]
    linked_bidders: strawberry.scalars.JSON
    blacklisted_bids: strawberry.scalars.JSON
    tenders: list[CartelTender] = strawberry.field(
        description="Tenders by descending score (the same `first` and `flaggedOnly`), or the "
                    "one `tenderId`")


def _red_flags(driver: Driver, database: str) -> tuple[Any, list[Any]]:
    from riskgraph.models.screens.redflag_graph import graph_releases
    from riskgraph.models.screens.redflags import screen_releases

    releases = graph_releases(driver, database)
    return screen_releases(releases), releases


def _flag(d: dict[str, Any]) -> RedFlag:
    text = d.get("cypher") or ""
    return RedFlag(indicator=d["indicator"], title=d["title"], group=d["group"], id=d["id"],
                   value=float(d["value"]), tender_id=d.get("tender_id"),
                   evidence=d["evidence"], cypher=str(text))


async def resolve_tender_red_flags(info: Info[Any, Any], tender_id: str) -> list[RedFlag]:
    """The red flags about one tender (its own, its buyer's and its tenderers')."""
    require(info, Role.INVESTIGATOR, "procurement red flags")
    from riskgraph.graph.errors import NotFound
    from riskgraph.models.screens.redflag_ocds import tender_id as release_tender

    db = loaders_of(info).db
    report, releases = await asyncio.to_thread(
        _cached, "redflags", lambda: _red_flags(db.driver, db.database))
    match = [r for r in releases if release_tender(r) == tender_id]
    if not match:
        raise NotFound(f"no tender {tender_id!r} with bids")
    return [_flag(f.to_dict()) for f in report.for_tender(match[0]).flags]


async def resolve_cartel_screen(info: Info[Any, Any], flagged_only: bool = True,
                                first: int = 50, tender_id: str | None = None) -> CartelScreen:
    """Co-bidding groups by descending cartel score (default: flagged ones only), linked
    competing bidders and blacklisted bid parties."""
    require(info, Role.INVESTIGATOR, "the cartel screen")
    from riskgraph.models.screens.cartels import screen_cartels

    db = loaders_of(info).db
    report = await asyncio.to_thread(
        _cached, "cartels", lambda: screen_cartels(db.driver, database=db.database))
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
    visible = await _visible(info, _record_ids(blacklisted))
    named = await _visibly_blacklisted(
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
        blacklisted_bids=cast(Any, _redact(blacklisted, visible)), tenders=tenders)




@strawberry.type(description="A firm's supplier-network exposure report (docs/exposure.md).")
class ExposureReport:
    uscc: str
    name: str
    direction: str
    tiers: int
    exposure_index: float = strawberry.field(description="0-100, value-weighted, decaying")
    concentration_hhi: float
    supplier_count: int
    path_count: int
    counts_by_reason: strawberry.scalars.JSON
    suppliers: strawberry.scalars.JSON = strawberry.field(
        description="Per supplier: tier, paths, value share, risk weight, reasons, evidence")


@strawberry.type(description="Whether any party of a (proposed) bid is barred, with evidence.")
class BidScreenResult:
    tender_id: str
    bid_id: str | None
    as_of: str
    barred: bool
    parties: strawberry.scalars.JSON


async def _visible(info: Info[Any, Any], ids: set[str]) -> set[str]:
    from riskgraph.app.graphql.loaders import read

    rows = await read(info, "list_visible_records", record_ids=sorted(ids)) if ids else []
    return {str(r["record_id"]) for r in rows}


async def _visibly_blacklisted(info: Info[Any, Any], usccs: set[str],
                               kinds: tuple[str, ...]) -> set[str]:
    """The firms among ``usccs`` with a blacklisting the caller may see: a member whose only
    listing is hidden is not named (its group's score still counts it)."""
    from riskgraph.app.graphql.loaders import read

    rows = await read(info, "list_visible_blacklisted_firms", usccs=sorted(usccs),
                      kinds=list(kinds)) if usccs else []
    return {str(r["uscc"]) for r in rows}


def audience_of(info: Info[Any, Any]) -> Audience:
    """The caller as the audience of a report's texts (models.disclosure)."""
    who = principal_of(info)
    return Audience(who.role.value, who.disclosures,
                    who.agencies if who.role is Role.RESTRICTED else ())


def _record_ids(value: Any) -> set[str]:
    """Every ``record_id`` value anywhere in a JSON-like structure."""
    found: set[str] = set()
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "record_id" and isinstance(v, str):
                found.add(v)
            else:
                found |= _record_ids(v)
    elif isinstance(value, list):
        for v in value:
            found |= _record_ids(v)
    return found


def _redact(value: Any, visible: set[str]) -> Any:
    """Replace every dict naming a record the caller may not see by a withheld marker (the
    verdicts stay: a hidden ban still bars, but its details are not shown)."""
    if isinstance(value, dict):
        rid = value.get("record_id")
        if isinstance(rid, str) and rid not in visible:
            return {"withheld": WITHHELD}
        return {k: _redact(v, visible) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v, visible) for v in value]
    return value


async def resolve_exposure_report(info: Info[Any, Any], uscc: str, tiers: int = 3,
                                  downstream: bool = False) -> ExposureReport:
    """Walk supply relationships up to ``tiers`` tiers and weigh what is risky."""
    require(info, Role.INVESTIGATOR, "an exposure report")
    from riskgraph.models.exposure.report import build_report

    db = loaders_of(info).db
    report = await asyncio.to_thread(build_report, db.driver, lookup_firm_id(uscc), tiers,
                                     downstream, None, database=db.database,
                                     audience=audience_of(info))
    suppliers = report.to_dict()["suppliers"]  # texts already written for the caller
    return ExposureReport(
        uscc=report.firm.get("uscc", uscc), name=report.firm.get("name", ""),
        direction=report.direction, tiers=report.tiers,
        exposure_index=report.exposure_index, concentration_hhi=report.concentration_hhi,
        supplier_count=report.supplier_count, path_count=report.path_count,
        counts_by_reason=cast(Any, report.counts_by_reason),
        suppliers=cast(Any, suppliers))


async def resolve_screen_bid(info: Info[Any, Any], tender_id: str, bid_id: str | None = None,
                             members: list[str] | None = None,
                             suppliers: list[str] | None = None) -> BidScreenResult:
    """Is any party barred from this tender (an existing bid, or proposed parties)?"""
    require(info, Role.INVESTIGATOR, "bid screening")
    from riskgraph.models.exposure.bid_screen import screen_bid

    db = loaders_of(info).db
    result = await asyncio.to_thread(screen_bid, db.driver, tender_id, bid_id, members,
                                     suppliers, None, db.database, audience_of(info))
    return BidScreenResult(tender_id=result.tender_id, bid_id=result.bid_id,
                           as_of=result.as_of, barred=result.barred,
                           parties=cast(Any, result.to_dict()["parties"]))
