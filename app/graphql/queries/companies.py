"""company(uscc), companies(search...), person(id), people(name): lookups (null when absent)
and paginated searches."""

from __future__ import annotations

from typing import Any

from strawberry.types import Info

from riskgraph.app.graphql.loaders import loaders_of, read
from riskgraph.app.graphql.permissions import require
from riskgraph.app.graphql.types.company import Company, company_from_row, load_company
from riskgraph.app.graphql.types.pagination import Connection, connection_of, window
from riskgraph.app.graphql.types.person import Person, load_person, person_from_row
from riskgraph.app.security.principal import Role
from riskgraph.graph.errors import BadInput, NotFound
from riskgraph.graph.identifiers import lookup_firm_id
from riskgraph.graph.name_search import fulltext_query
from riskgraph.models.tiers import TIERS


def clean_uscc(uscc: str) -> str:
    code = lookup_firm_id(uscc)
    if not code:
        raise BadInput("argument uscc: must not be empty")
    return code


async def resolve_company(info: Info[Any, Any], uscc: str) -> Company | None:
    """The company, or null when no firm has that identifier."""
    return await load_company(info, clean_uscc(uscc))


async def require_company(info: Info[Any, Any], uscc: str) -> Company:
    """The company, or NOT_FOUND (for queries about a firm, e.g. a path between two)."""
    code = clean_uscc(uscc)
    company = await load_company(info, code)
    if company is None:
        what = "USCC" if ":" not in code else "identifier"
        raise NotFound(f"no company with {what} {code!r}")
    return company


async def resolve_person(info: Info[Any, Any], id: str) -> Person | None:
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
    name: str | None = None,
    region: str | None = None,
    industry: str | None = None,
    tier: str | None = None,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> Connection[Company]:
    win = window(first, after, last, before)
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


async def resolve_people(info: Info[Any, Any], name: str, first: int | None = None,
                         after: str | None = None, last: int | None = None,
                         before: str | None = None) -> Connection[Person]:
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
