"""The procurement screens' result types: Cardinal red flags and the cartel screen."""

from __future__ import annotations

from dataclasses import fields

import strawberry

from riskgraph.app.graphql.common.fields import described, field_descriptions
from riskgraph.models.screens.redflag_cypher import snippet
from riskgraph.models.screens.redflag_flag import Flag


@field_descriptions({
    "indicator": "Cardinal's indicator code, e.g. R003.",
    "title": "The indicator in words.",
    "group": "OCID, Buyer, ProcuringEntity or Tenderer",
    "id": "The flagged OCID, buyer or tenderer.",
    "value": "The indicator's value.",
    "tender_id": "The tender, for a tender-level flag.",
    "evidence": "What the indicator saw (JSON).",
})
@strawberry.type(description="A Cardinal red flag (or R044) with its evidence.")
class RedFlag(Flag):  # the screen's flag fields
    evidence: strawberry.scalars.JSON  # type: ignore[assignment]

    @classmethod
    def of(cls, flag: Flag) -> RedFlag:
        """The GraphQL form of a screen's flag."""
        return cls(**{f.name: getattr(flag, f.name) for f in fields(Flag) if f.init})

    @described("Paste into Neo4j Browser to see it")
    def cypher(self) -> str:
        return str(snippet(self)["cypher"])


@strawberry.type(description="A co-bidding group scored by the cartel screen.")
class CartelGroup:
    group_id: str = strawberry.field(description="The group's id.")
    score: float = strawberry.field(description="Cartel score, 0 to 1.")
    flagged: bool = strawberry.field(description="Whether the score passes the threshold.")
    members: list[str] = strawberry.field(description="The member firms' identifiers.")
    tenders: list[str] = strawberry.field(description="The tenders the group bid for.")
    statistics: strawberry.scalars.JSON = strawberry.field(
        description="The screens' figures for the group (JSON).")
    links: strawberry.scalars.JSON = strawberry.field(
        description="Structural links between members: people, ownership, address (JSON).")
    blacklisted_members: list[str] = strawberry.field(
        description="Members with a visible blacklisting.")
    cypher: strawberry.scalars.JSON = strawberry.field(
        description="Neo4j Browser statements showing the group (JSON).")


@strawberry.type(description="A tender's cartel score and the screens that contributed.")
class CartelTender:
    tender_id: str = strawberry.field(description="The tender's id.")
    score: float = strawberry.field(description="Cartel score, 0 to 1.")
    flagged: bool = strawberry.field(description="Whether the score passes the threshold.")
    bidders: list[str] = strawberry.field(description="The bidding firms' identifiers.")
    contributions: strawberry.scalars.JSON = strawberry.field(
        description="group_id / group_score, price_score, linked_bidders, blacklisted_party")
    screens: strawberry.scalars.JSON = strawberry.field(
        description="price screens: cv, spread, kurtosis, skewness, diffp, rd, ratios to the "
                    "reserve / estimate / floor")
    market: str = strawberry.field(description="The tender's market (category).")


@strawberry.type(description="The cartel screen: scored groups, linked competing bidders and "
                             "bids by blacklisted parties, each with its evidence.")
class CartelScreen:
    threshold: float = strawberry.field(description="Score from which a group is flagged.")
    hops: int = strawberry.field(description="Links followed between bidders.")
    tenders_screened: int = strawberry.field(description="Tenders screened.")
    groups: list[CartelGroup] = strawberry.field(description="Groups by descending score.")
    linked_bidders: strawberry.scalars.JSON = strawberry.field(
        description="Competing bidders with structural links (JSON).")
    blacklisted_bids: strawberry.scalars.JSON = strawberry.field(
        description="Bids with a blacklisted party (JSON).")
    tenders: list[CartelTender] = strawberry.field(
        description="Tenders by descending score (the same `first` and `flaggedOnly`), or the "
                    "one `tenderId`")
