"""People, their roles in firms and their credit records."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.types import Info

from riskgraph.app.graphql.loaders import loaders_of
from riskgraph.app.graphql.permissions import require
from riskgraph.app.graphql.types.company import Company, load_company
from riskgraph.app.graphql.types.convert import day, number, text
from riskgraph.app.graphql.types.fields import described
from riskgraph.app.graphql.types.node import Node
from riskgraph.app.graphql.types.records import CreditRecord, filter_records
from riskgraph.app.security.principal import Role as CallerRole


@strawberry.type(description="A natural person holding roles in firms.")
class Person(Node):
    person_id: str
    name: str
    nationality: str | None
    political: strawberry.Private[bool | None]

    def node_key(self) -> tuple[str, str]:
        return "Person", self.person_id

    @described("Whether the person is politically connected: a protected attribute (the "
               "fairness audit groups by it), for agency roles only (FORBIDDEN otherwise).")
    def political_connection(self, info: Info[Any, Any]) -> bool | None:
        require(info, CallerRole.INVESTIGATOR, "a person's political connection")
        return self.political

    @described("Roles and shareholdings in firms.")
    async def roles(self, info: Info[Any, Any], current_only: bool = False) -> list[Role]:
        rows = await loaders_of(info).person_roles.load(self.person_id)
        return [role_from_row(r) for r in rows if not current_only or r.get("until") is None]

    @described("Credit records of the person that the caller may see.")
    async def records(self, info: Info[Any, Any],
                      category: str | None = None) -> list[CreditRecord]:
        rows = await loaders_of(info).person_records.load(self.person_id)
        return filter_records(rows, category)


@strawberry.type(description="A person's role (or shareholding) in a firm.")
class Role:
    role: str = strawberry.field(description="LEGAL_REPRESENTATIVE_OF, DIRECTOR_OF, ..., "
                                             "or HOLDS_EQUITY")
    share: float | None = strawberry.field(description="Percent, for HOLDS_EQUITY")
    since: dt.date | None
    until: dt.date | None
    uscc: str

    @strawberry.field
    async def company(self, info: Info[Any, Any]) -> Company | None:
        return await load_company(info, self.uscc)


@strawberry.type(description="A key person of a firm in one role.")
class Officer:
    role: str
    since: dt.date | None
    until: dt.date | None
    person: Person


def person_from_row(row: dict[str, Any]) -> Person:
    return Person(person_id=str(row["person_id"]), name=str(row.get("name") or ""),
                  nationality=text(row.get("nationality")),
                  political=None if row.get("political_connection") is None
                  else bool(row["political_connection"]))


def officer_from_row(row: dict[str, Any]) -> Officer:
    return Officer(role=str(row["role"]), since=day(row.get("since")),
                   until=day(row.get("until")), person=person_from_row(row))


def role_from_row(row: dict[str, Any]) -> Role:
    return Role(role=str(row["role"]), share=number(row.get("share")),
                since=day(row.get("since")), until=day(row.get("until")),
                uscc=str(row["uscc"]))


async def load_person(info: Info[Any, Any], person_id: str) -> Person | None:
    row = await loaders_of(info).person.load(person_id)
    return person_from_row(row) if row else None
