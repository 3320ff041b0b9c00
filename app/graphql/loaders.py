"""Per-request DataLoaders: every list of children is fetched for a whole batch of parents in
one statement, so a page of companies with their people and records costs one round trip per
kind of child, not one per company.

``make_loaders(driver, principal)`` builds a fresh set (its caches live for one request);
``loaders_of(info)`` builds it on first use and keeps it on the request's context.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from strawberry.dataloader import DataLoader
from strawberry.types import Info

from riskgraph.app.circuit import CircuitBreaker
from riskgraph.app.graphql.db import GraphReader
from riskgraph.app.security.principal import Principal
from riskgraph.graph.config import get_settings
from riskgraph.graph.connection import Driver
from riskgraph.graph.store.firm_groups import MEMBERS, FirmGroup, groups_from_rows

Row = dict[str, Any]


def _grouped(db: GraphReader, name: str, param: str,
             key: str) -> Callable[[list[str]], Awaitable[list[list[Row]]]]:
    """A batch function: one statement for all keys, rows grouped by ``key`` in key order."""

    async def load(keys: list[str]) -> list[list[Row]]:
        rows = await asyncio.to_thread(db.read, name, **{param: list(keys)})
        groups: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            groups[str(row[key])].append(row)
        return [groups.get(k, []) for k in keys]

    return load


def _single(db: GraphReader, name: str, param: str,
            key: str) -> Callable[[list[str]], Awaitable[list[Row | None]]]:
    """A batch function returning at most one row per key (None when absent)."""
    grouped = _grouped(db, name, param, key)

    async def load(keys: list[str]) -> list[Row | None]:
        return [rows[0] if rows else None for rows in await grouped(keys)]

    return load


def _firm_groups(db: GraphReader) -> Callable[[list[str]], Awaitable[list[FirmGroup]]]:
    """A batch function: each key's firm group (the firm it counts as, that firm's keys) read
    through the firm links, in one statement (graph/store/firm_groups.py)."""

    async def load(keys: list[str]) -> list[FirmGroup]:
        rows = await asyncio.to_thread(db.read_catalog, MEMBERS, {"usccs": list(keys)})
        groups = groups_from_rows(keys, rows)
        return [groups[k] for k in keys]

    return load


@dataclass
class Loaders:
    """The loaders of one request and the reader they share (round trips, time budget)."""

    db: GraphReader
    company: DataLoader[str, Row | None]
    officers: DataLoader[str, list[Row]]
    company_records: DataLoader[str, list[Row]]
    company_addresses: DataLoader[str, list[Row]]
    company_assessment: DataLoader[str, Row | None]
    company_bids: DataLoader[str, list[Row]]
    company_names: DataLoader[str, Row | None]
    person: DataLoader[str, Row | None]
    person_names: DataLoader[str, Row | None]
    person_roles: DataLoader[str, list[Row]]
    person_records: DataLoader[str, list[Row]]
    address_companies: DataLoader[str, list[Row]]
    tender: DataLoader[str, Row | None]
    tender_bids: DataLoader[str, list[Row]]
    firm_group: DataLoader[str, FirmGroup]


def make_loaders(driver: Driver, principal: Principal, *, timeout: float | None = None,
                 database: str, breaker: CircuitBreaker | None = None) -> Loaders:
    """Fresh loaders for one request by ``principal`` (timeout: the request's budget, s)."""
    db = GraphReader(driver, principal, timeout or get_settings().riskgraph_request_timeout,
                     database, breaker)
    return Loaders(
        db=db,
        company=DataLoader(_single(db, "get_companies", "usccs", "uscc")),
        officers=DataLoader(_grouped(db, "list_company_officers", "usccs", "uscc")),
        company_records=DataLoader(_grouped(db, "list_company_records", "usccs", "subject")),
        company_addresses=DataLoader(_grouped(db, "list_company_addresses", "usccs", "uscc")),
        company_assessment=DataLoader(_single(db, "list_company_assessments", "usccs",
                                              "uscc")),
        company_bids=DataLoader(_grouped(db, "list_company_bids", "usccs", "uscc")),
        company_names=DataLoader(_single(db, "list_company_names", "usccs", "uscc")),
        person=DataLoader(_single(db, "get_persons", "person_ids", "person_id")),
        person_names=DataLoader(_single(db, "list_person_names", "person_ids", "person_id")),
        person_roles=DataLoader(_grouped(db, "list_person_roles", "person_ids", "person_id")),
        person_records=DataLoader(_grouped(db, "list_person_records", "person_ids",
                                           "subject")),
        address_companies=DataLoader(_grouped(db, "list_address_companies", "address_ids",
                                              "address_id")),
        tender=DataLoader(_single(db, "get_tenders", "tender_ids", "tender_id")),
        tender_bids=DataLoader(_grouped(db, "list_tender_bids", "tender_ids", "tender_id")),
        firm_group=DataLoader(_firm_groups(db)),
    )


def loaders_of(info: Info[Any, Any]) -> Loaders:
    """The request's loaders, made on first use and kept on the context."""
    context = info.context
    found: Loaders | None = getattr(context, "loaders", None)
    if found is None:
        state = context.state
        found = make_loaders(state.require_driver(), context.principal,
                             timeout=state.settings.riskgraph_request_timeout,
                             database=state.settings.neo4j_database, breaker=state.breaker)
        context.loaders = found
    return found


async def read(info: Info[Any, Any], name: str, /, **params: Any) -> list[Row]:
    """Run catalog statement ``api/<name>`` for this request, off the event loop."""
    return await asyncio.to_thread(loaders_of(info).db.read, name, **params)
