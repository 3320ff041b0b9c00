"""Results of the network queries: ownership paths, controllers, related parties, links."""

from __future__ import annotations

from enum import Enum

import strawberry

from riskgraph.app.graphql.registry.types import Company, Person


@strawberry.enum(description="Kinds of link between firms for related-party searches.")
class Channel(Enum):
    PEOPLE = strawberry.enum_value("PEOPLE", description="A shared key person.")
    OWNERSHIP = strawberry.enum_value("OWNERSHIP", description="A shareholding either way.")
    ADDRESS = strawberry.enum_value("ADDRESS", description="A shared registered address.")
    SUPPLY = strawberry.enum_value("SUPPLY", description="A supply relationship.")
    COBIDDING = strawberry.enum_value("COBIDDING", description="Bids for the same tender.")


@strawberry.type(description="A node on a path: its label, key and display name.")
class PathNode:
    label: str = strawberry.field(
        description="The node's label: Company, Person, Address or Tender.")
    id: str = strawberry.field(
        description="The node's key (USCC, person id, address id or tender id).")
    name: str | None = strawberry.field(description="A display name, where the node has one.")


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
    holder: PathNode = strawberry.field(description="The controller (a person or a firm).")
    effective_share: float | None = strawberry.field(
        description="Sum over its simple paths of the product of shares (fraction); null when "
                    "a path's share is unknown")
    paths: list[OwnershipPath] = strawberry.field(
        description="Its simple equity paths to the firm.")


@strawberry.type(description="One link between two firms.")
class Link:
    from_uscc: str = strawberry.field(description="The firm the link starts at.")
    to_uscc: str = strawberry.field(description="The firm it reaches.")
    channel: Channel = strawberry.field(description="The kind of link.")
    via: PathNode | None = strawberry.field(description="The shared person, address, tender")
    detail: str = strawberry.field(description="The link in words (role, share, ...).")


@strawberry.type(description="A firm within k hops, with the links that reach it.")
class RelatedParty:
    company: Company = strawberry.field(description="The related firm.")
    hops: int = strawberry.field(description="Links away from the asked firm.")
    path: list[Link] = strawberry.field(description="One shortest chain of links from the firm")
    links: list[Link] = strawberry.field(description="Every link reaching it at that hop")


@strawberry.type(description="A person holding roles in both firms.")
class SharedPerson:
    person: Person = strawberry.field(description="The person.")
    roles_in_a: list[str] = strawberry.field(description="The person's roles in firm `a`.")
    roles_in_b: list[str] = strawberry.field(description="The person's roles in firm `b`.")


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
    person_id: str = strawberry.field(description="The key person's id.")
    person_name: str | None = strawberry.field(description="The key person's name.")
    role_here: str = strawberry.field(description="Their role in the candidate firm.")
    role_there: str = strawberry.field(description="Their role in the dissolved firm.")
    other_uscc: str = strawberry.field(description="The blacklisted-then-dissolved firm.")
    other_name: str | None = strawberry.field(description="Its name.")
    dissolved_on: str | None = strawberry.field(description="ISO date it was dissolved.")
    record_id: str = strawberry.field(description="Its blacklisting record.")
    kind: str | None = strawberry.field(description="The blacklisting's record kind.")
    issued_on: str | None = strawberry.field(description="ISO date of the blacklisting.")


@strawberry.type(description="A possible phoenix firm and the paths that make it one.")
class PhoenixCandidate:
    company: Company = strawberry.field(description="The candidate firm.")
    paths: list[PhoenixPath] = strawberry.field(
        description="The key-person paths to dissolved blacklisted firms.")
