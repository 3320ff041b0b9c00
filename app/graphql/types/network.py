"""Results of the network queries: ownership paths, controllers, related parties, links."""

from __future__ import annotations

from enum import Enum

import strawberry

from riskgraph.app.graphql.types.company import Company
from riskgraph.app.graphql.types.person import Person


@strawberry.enum(description="Kinds of link between firms for related-party searches.")
class Channel(Enum):
    PEOPLE = "PEOPLE"
    OWNERSHIP = "OWNERSHIP"
    ADDRESS = "ADDRESS"
    SUPPLY = "SUPPLY"
    COBIDDING = "COBIDDING"


@strawberry.type(description="A node on a path: its label, key and display name.")
class PathNode:
    label: str
    id: str
    name: str | None


@strawberry.type(description="One equity path from a holder down to the firm.")
class OwnershipPath:
    nodes: list[PathNode] = strawberry.field(description="Holder first, the firm last")
    shares: list[float | None] = strawberry.field(
        description="Percent held at each link; null where the source gave no share")
    effective_share: float | None = strawberry.field(
        description="Product of the shares (fraction); null when a link's share is unknown")
    terminal: bool = strawberry.field(description="The holder has no holder of its own")


@strawberry.type(description="An ultimate controller and its penetrated share.")
class Controller:
    holder: PathNode
    effective_share: float | None = strawberry.field(
        description="Sum over its simple paths of the product of shares (fraction); null when "
                    "a path's share is unknown")
    paths: list[OwnershipPath]


@strawberry.type(description="One link between two firms.")
class Link:
    from_uscc: str
    to_uscc: str
    channel: Channel
    via: PathNode | None = strawberry.field(description="The shared person, address, tender")
    detail: str


@strawberry.type(description="A firm within k hops, with the links that reach it.")
class RelatedParty:
    company: Company
    hops: int
    path: list[Link] = strawberry.field(description="One shortest chain of links from the firm")
    links: list[Link] = strawberry.field(description="Every link reaching it at that hop")


@strawberry.type(description="A person holding roles in both firms.")
class SharedPerson:
    person: Person
    roles_in_a: list[str]
    roles_in_b: list[str]


@strawberry.type(description="The shortest chain of links between two firms (named "
                                     "`Connection` before 0.2: that name now means a page).")
class ShortestPath:
    length: int = strawberry.field(description="Links on the path.")
    nodes: list[PathNode] = strawberry.field(description="The firms, people, addresses and "
                                                         "tenders on the path, in order.")
    relationships: list[str] = strawberry.field(description="The relationship type of each "
                                                            "link, in order.")


@strawberry.type(description="A blacklisted-then-dissolved firm linked by a key person.")
class PhoenixPath:
    person_id: str
    person_name: str | None
    role_here: str
    role_there: str
    other_uscc: str
    other_name: str | None
    dissolved_on: str | None
    record_id: str
    kind: str | None
    issued_on: str | None


@strawberry.type(description="A possible phoenix firm and the paths that make it one.")
class PhoenixCandidate:
    company: Company
    paths: list[PhoenixPath]
