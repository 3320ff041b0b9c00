"""The Company type and its children (people, records, addresses, bids, risk assessment)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from riskgraph.app.graphql.loaders import loaders_of
from riskgraph.app.graphql.permissions import require
from riskgraph.app.graphql.types.convert import day, number, text
from riskgraph.app.graphql.types.fields import described
from riskgraph.app.graphql.types.node import Node
from riskgraph.app.graphql.types.records import CreditRecord, filter_records
from riskgraph.app.security.principal import Role as CallerRole

if TYPE_CHECKING:
    from riskgraph.app.graphql.types.address import Address
    from riskgraph.app.graphql.types.person import Officer, Person
    from riskgraph.app.graphql.types.risk import Explanation, RiskAssessment
    from riskgraph.app.graphql.types.tender import CompanyBid


@strawberry.type(description="A registered market entity.")
class Company(Node):
    uscc: str = strawberry.field(description="18-character Unified Social Credit Code")
    name: str
    region_code: str | None
    industry_code: str | None
    founded_on: dt.date | None
    dissolved_on: dt.date | None
    status: str | None
    registered_capital: float | None
    employees: int | None
    ownership: strawberry.Private[str | None]
    listed: bool | None

    def node_key(self) -> tuple[str, str]:
        return "Company", self.uscc

    @described("Ownership type (state-owned, private, ...): a protected attribute (the "
               "fairness audit groups by it), for agency roles only (FORBIDDEN otherwise).")
    def ownership_type(self, info: Info[Any, Any]) -> str | None:
        require(info, CallerRole.INVESTIGATOR, "a firm's ownership type")
        return self.ownership

    @described("Key persons (legal representative, directors, "
                                  "supervisors, actual controller), current and past.")
    async def officers(
        self, info: Info[Any, Any], current_only: bool = True,
    ) -> list[Annotated[Officer, strawberry.lazy("riskgraph.app.graphql.types.person")]]:
        from riskgraph.app.graphql.types.person import officer_from_row

        rows = await loaders_of(info).officers.load(self.uscc)
        return [officer_from_row(r) for r in rows if not current_only or r.get("until") is None]

    @described("Current legal representatives.")
    async def legal_representatives(
        self, info: Info[Any, Any],
    ) -> list[Annotated[Person, strawberry.lazy("riskgraph.app.graphql.types.person")]]:
        from riskgraph.app.graphql.types.person import person_from_row

        rows = await loaders_of(info).officers.load(self.uscc)
        return [person_from_row(r) for r in rows
                if r["role"] == "LEGAL_REPRESENTATIVE_OF" and r.get("until") is None]

    @described("Credit records of the firm that the caller may see.")
    async def records(self, info: Info[Any, Any],
                      category: str | None = None) -> list[CreditRecord]:
        return filter_records(await loaders_of(info).company_records.load(self.uscc), category)

    @described("Registered addresses.")
    async def addresses(
        self, info: Info[Any, Any],
    ) -> list[Annotated[Address, strawberry.lazy("riskgraph.app.graphql.types.address")]]:
        from riskgraph.app.graphql.types.address import address_from_row

        return [address_from_row(r)
                for r in await loaders_of(info).company_addresses.load(self.uscc)]

    @described("Bids the firm submitted (alone or in a consortium).")
    async def bids(
        self, info: Info[Any, Any],
    ) -> list[Annotated[CompanyBid, strawberry.lazy("riskgraph.app.graphql.types.tender")]]:
        from riskgraph.app.graphql.types.tender import company_bid_from_row

        return [company_bid_from_row(r)
                for r in await loaders_of(info).company_bids.load(self.uscc)]

    @described("The firm's assessment in the latest ranking run, if any (agency roles only: "
               "risk scores are never public).")
    async def assessment(
        self, info: Info[Any, Any],
    ) -> Annotated[RiskAssessment, strawberry.lazy("riskgraph.app.graphql.types.risk")] | None:
        from riskgraph.app.graphql.permissions import require
        from riskgraph.app.graphql.types.risk import assessment_from_row
        from riskgraph.app.security.principal import Role

        require(info, Role.INVESTIGATOR, "a risk assessment")

        row = await loaders_of(info).company_assessment.load(self.uscc)
        return assessment_from_row(row) if row else None

    @described("Why the firm scores as it does, with the evidence the caller may see "
               "(needs a trained model).")
    async def explanation(
        self, info: Info[Any, Any], as_of: dt.date | None = None,
    ) -> Annotated[Explanation, strawberry.lazy("riskgraph.app.graphql.types.risk")]:
        from riskgraph.app.graphql.queries.explanation import resolve_explanation

        return await resolve_explanation(info, self.uscc, as_of)


def company_from_row(row: dict[str, Any]) -> Company:
    """A Company from a row of ``get_companies`` / ``search_companies``."""
    return Company(
        uscc=str(row["uscc"]), name=str(row.get("name") or ""),
        region_code=text(row.get("region_code")), industry_code=text(row.get("industry_code")),
        founded_on=day(row.get("founded_on")), dissolved_on=day(row.get("dissolved_on")),
        status=text(row.get("status")), registered_capital=number(row.get("registered_capital")),
        employees=None if row.get("employees") is None else int(row["employees"]),
        ownership=text(row.get("ownership_type")),
        listed=None if row.get("listed") is None else bool(row["listed"]),
    )


async def load_company(info: Info[Any, Any], uscc: str) -> Company | None:
    row = await loaders_of(info).company.load(uscc)
    return company_from_row(row) if row else None


async def load_companies(info: Info[Any, Any], usccs: list[str]) -> list[Company]:
    """Companies in the order given (missing ones dropped), in one batch."""
    rows = await loaders_of(info).company.load_many(usccs)
    return [company_from_row(r) for r in rows if isinstance(r, dict)]
