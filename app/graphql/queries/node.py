"""node(id:) and nodes(ids:): refetch any object by its global id (app/graphql/types/node.py).

Each kind is read by the same code as its own lookup, so the caller's disclosure and role
gates hold: an object the caller may not see (a restricted record, a run for a public key,
somebody else's objection) answers null, exactly as an id that names nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from strawberry.types import Info

from riskgraph.app.graphql.accountability import resolve_inspection_plan, resolve_objection
from riskgraph.app.graphql.errors import LimitExceeded
from riskgraph.app.graphql.loaders import loaders_of, read
from riskgraph.app.graphql.permissions import require
from riskgraph.app.graphql.types.company import load_company
from riskgraph.app.graphql.types.node import Node, from_global_id
from riskgraph.app.graphql.types.person import load_person
from riskgraph.app.graphql.types.records import record_from_row
from riskgraph.app.graphql.types.risk import RankingRun
from riskgraph.app.graphql.types.tender import tender_from_row
from riskgraph.app.security.principal import Role
from riskgraph.graph.errors import Forbidden, NotFound

MAX_NODES = 100
"""Ids one nodes(ids:) call takes at most."""


async def _tender(info: Info[Any, Any], key: str) -> Node | None:
    row = await loaders_of(info).tender.load(key)
    return None if row is None else tender_from_row(row)


async def _record(info: Info[Any, Any], key: str) -> Node | None:
    rows = await read(info, "get_records", record_ids=[key])
    return record_from_row(rows[0]) if rows else None


async def _run(info: Info[Any, Any], key: str) -> Node | None:
    require(info, Role.INVESTIGATOR, "ranking runs")
    from riskgraph.models.ranking import get_run

    r = await asyncio.to_thread(get_run, loaders_of(info).db.driver, key)
    return RankingRun(run_id=r["run_id"], created_at=r["created_at"], as_of=r["as_of"],
                      model_version=r["model_version"], digest=r["digest"],
                      status=r["status"], firms=r["firms"])


FETCH: dict[str, Callable[[Info[Any, Any], str], Awaitable[Node | None]]] = {
    "Company": load_company,
    "Person": load_person,
    "Tender": _tender,
    "CreditRecord": _record,
    "RankingRun": _run,
    "Objection": resolve_objection,
    "InspectionPlan": resolve_inspection_plan,
}


async def _fetch(info: Info[Any, Any], gid: str, argument: str) -> Node | None:
    kind, key = from_global_id(gid, argument)
    try:
        return await FETCH[kind](info, key)
    except (NotFound, Forbidden):
        return None  # hidden answers as unknown


async def resolve_node(info: Info[Any, Any], id: strawberry.ID) -> Node | None:
    """The object with global id ``id``, or null when there is none the caller may see."""
    return await _fetch(info, id, "id")


async def resolve_nodes(info: Info[Any, Any], ids: list[strawberry.ID]) -> list[Node | None]:
    """The objects of ``ids`` in order, null for each the caller may not see or that does
    not exist."""
    if len(ids) > MAX_NODES:
        raise LimitExceeded(f"argument ids: at most {MAX_NODES} ids, got {len(ids)}")
    return list(await asyncio.gather(*(_fetch(info, g, "ids") for g in ids)))
