"""company(uscc), companies(search...), person(id), people(name): lookups (null when absent)
and paginated searches."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from riskgraph.app.graphql.common.arguments import After, Before, First, Last, Uscc, about
from riskgraph.app.graphql.common.enums import RiskTier
from riskgraph.app.graphql.common.pagination import Connection, connection_of, window
from riskgraph.app.graphql.loaders import loaders_of, read
from riskgraph.app.graphql.permissions import require
from riskgraph.app.graphql.registry.company_read import load_company_for_field
from riskgraph.app.graphql.registry.types import (
    Company,
    Person,
    company_from_row,
    load_company,
    load_person,
    person_from_row,
)
from riskgraph.app.security.principal import Role
from riskgraph.graph.errors import BadInput, NotFound
from riskgraph.graph.identifiers import lookup_firm_id
from riskgraph.graph.name_search import fulltext_query
from riskgraph.models.risk.tiers import TIERS


def clean_uscc(uscc: str) -> str:
    code = lookup_firm_id(uscc)
    if not code:
        raise BadInput("argument uscc: must not be empty")
    return code


async def resolve_company(info: Info[Any, Any], uscc: Uscc) -> Company | None:
    """The company, or null when no firm has that identifier (one read with the officers and
    records the query asks for: company_read.py)."""
    row = await load_company_for_field(info, clean_uscc(uscc))
    return company_from_row(row) if row else None


async def require_company(info: Info[Any, Any], uscc: str) -> Company:
    """The company, or NOT_FOUND (for queries about a firm, e.g. a path between two)."""
    code = clean_uscc(uscc)
    company = await load_company(info, code)
    if company is None:
        what = "USCC" if ":" not in code else "identifier"
        raise NotFound(f"no company with {what} {code!r}")
    return company


async def resolve_person(info: Info[Any, Any],
                         id: Annotated[str, about("The person's id.")]) -> Person | None:
    """The person, or null when no person has that id."""
    return await load_person(info, id.strip())


def _optional(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not value:
        raise BadInput(f"argument {name}: must not be empty (omit it to not filter)")
    return value


async def resolve_companies(
    info: Info[Any, Any],
    name: Annotated[str | None, about("Part of the name (see the field's description).")] = None,
    region: Annotated[str | None, about("A GB/T 2260 region code prefix, e.g. 3301.")] = None,
    industry: Annotated[str | None, about("A GB/T 4754 industry code prefix, e.g. C13.")] = None,
    tier: Annotated[str | None, about("The tier in the latest run, as text (agency roles).",
                                      "Use riskTier (an enum); removed in 0.3.")] = None,
    risk_tier: Annotated[RiskTier | None, about("The tier in the latest ranking run (agency "
                                                "roles).")] = None,
    first: First = None,
    after: After = None,
    last: Last = None,
    before: Before = None,
) -> Connection[Company]:
    win = window(first, after, last, before)
    tier = tier if risk_tier is None else str(risk_tier.value)
    if tier is not None:
        require(info, Role.INVESTIGATOR, "searching by risk tier")
    if tier is not None and tier not in TIERS:
        raise BadInput(f"argument tier: must be one of {', '.join(TIERS)}, got {tier!r}")
    needle = _optional("name", name)
    filters: dict[str, Any] = {"name": needle, "region": _optional("region", region),
                               "industry": _optional("industry", industry), "tier": tier}
    query = None if needle is None else fulltext_query(needle)
    suffix = "" if query is None else "_by_name"  # through the full-text index
    if query is not None:
        filters["query"] = query
    rows = await read(info, f"search_companies{suffix}", **filters, **win.params())

    async def count() -> int:
        return int((await read(info, f"count_companies{suffix}", **filters))[0]["total"])

    return connection_of(rows, win, "uscc", company_from_row, loaders_of(info).company, count)


async def resolve_people(info: Info[Any, Any],
                         name: Annotated[str, about("Part of the name.")],
                         first: First = None,
                         after: After = None, last: Last = None,
                         before: Before = None) -> Connection[Person]:
    win = window(first, after, last, before)
    needle = _optional("name", name)
    query = fulltext_query(needle or "")
    suffix = "" if query is None else "_by_name"  # through the full-text index
    rows = await read(info, f"search_persons{suffix}", name=needle, query=query,
                      **win.params())

    async def count() -> int:
        found = await read(info, f"count_persons{suffix}", name=needle, query=query)
        return int(found[0]["total"])

    return connection_of(rows, win, "person_id", person_from_row, loaders_of(info).person,
                         count)


@strawberry.type
class RegistryQuery:
    company: Company | None = strawberry.field(resolver=resolve_company,
                                               description="A company by its identifier: a USCC, "
                                                           "lei:<LEI> or <namespace>:<id> "
                                                           "(null if unknown).")
    companies: Connection[Company] | None = strawberry.field(
        resolver=resolve_companies,
        description="Companies by name, region / industry prefix and tier in the latest "
                    "ranking run, ordered by USCC; pages of at most 100. A firm matches when "
                    "its name or one of its other names (`otherNames`, `aliases`, "
                    "`previousNames`, `weakAliases`) contains `name` with its Latin words "
                    "starting where the name's do (full-text index; Chinese: any substring "
                    "of 2+ characters).")
    person: Person | None = strawberry.field(resolver=resolve_person, description="A person by id.")
    people: Connection[Person] | None = strawberry.field(
        resolver=resolve_people,
        description="People whose name or one of their other names contains `name` "
                    "(matched as for `companies`).")
