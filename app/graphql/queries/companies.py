"""company(uscc), companies(search...), person(id): lookups and a paginated search."""

from __future__ import annotations

from typing import Any

from strawberry.types import Info

from app.graphql.limits import page_size
from app.graphql.loaders import loaders_of, read
from app.graphql.permissions import require
from app.graphql.types.company import Company, company_from_row, load_company
from app.graphql.types.pagination import Page, decode_cursor, page_of
from app.graphql.types.person import Person, load_person, person_from_row
from app.security.principal import Role
from graph.errors import BadInput, NotFound
from graph.identifiers import lookup_firm_id
from models.tiers import TIERS


def clean_uscc(uscc: str) -> str:
    code = lookup_firm_id(uscc)
    if not code:
        raise BadInput("argument uscc: must not be empty")
    return code


async def resolve_company(info: Info[Any, Any], uscc: str) -> Company:
    code = clean_uscc(uscc)
    company = await load_company(info, code)
    if company is None:
        what = "USCC" if ":" not in code else "identifier"
        raise NotFound(f"no company with {what} {code!r}")
    return company


async def resolve_person(info: Info[Any, Any], id: str) -> Person:
    person = await load_person(info, id.strip())
    if person is None:
        raise NotFound(f"no person with id {id!r}")
    return person


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
) -> Page[Company]:
    size = page_size(first)
    if tier is not None:
        require(info, Role.INVESTIGATOR, "searching by risk tier")
    if tier is not None and tier not in TIERS:
        raise BadInput(f"argument tier: must be one of {', '.join(TIERS)}, got {tier!r}")
    rows = await read(
        info, "search_companies",
        name=_optional("name", name), region=_optional("region", region),
        industry=_optional("industry", industry), tier=tier,
        after=decode_cursor(after), limit=size + 1)
    return page_of(rows, size, "uscc", loaders_of(info).company, company_from_row)


async def resolve_people(info: Info[Any, Any], name: str, first: int | None = None,
                         after: str | None = None) -> Page[Person]:
    size = page_size(first)
    needle = _optional("name", name)
    rows = await read(info, "search_persons", name=needle, after=decode_cursor(after),
                      limit=size + 1)
    return page_of(rows, size, "person_id", loaders_of(info).person, person_from_row)
