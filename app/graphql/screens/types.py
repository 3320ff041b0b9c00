"""The procurement screens' result types: Cardinal red flags and the cartel screen."""

from __future__ import annotations

import strawberry


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
