"""node(id:) and nodes(ids:): refetch any object by its global id (app/graphql/common/node.py).

Each kind is read by the same code as its own lookup, so the caller's disclosure and role
gates hold: an object the caller may not see (a restricted record, a run for a public key,
somebody else's objection) answers null, exactly as an id that names nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from riskgraph.app.graphql.accountability.resolvers import (
    resolve_inspection_plan,
    resolve_objection,
    store_of,
)
from riskgraph.app.graphql.common.arguments import about
from riskgraph.app.graphql.common.node import Node, from_global_id
from riskgraph.app.graphql.errors import LimitExceeded
from riskgraph.app.graphql.loaders import loaders_of, read
from riskgraph.app.graphql.permissions import require
from riskgraph.app.graphql.registry.types import (
    load_company,
    load_person,
    record_from_row,
    tender_from_row,
)
from riskgraph.app.graphql.risk.types import RankingRun
from riskgraph.app.graphql.system.health import Health, resolve_health
from riskgraph.app.security.principal import Role
from riskgraph.graph.errors import Forbidden, NotFound
from riskgraph.graph.store.runs import get_run

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
    r = await asyncio.to_thread(get_run, store_of(info), key)
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


async def resolve_node(info: Info[Any, Any],
                       id: Annotated[strawberry.ID, about("A global id.")]) -> Node | None:
    """The object with global id ``id``, or null when there is none the caller may see."""
    return await _fetch(info, id, "id")


async def resolve_nodes(info: Info[Any, Any], ids: Annotated[
        list[strawberry.ID], about("Global ids, at most 100.")]) -> list[Node | None]:
    """The objects of ``ids`` in order, null for each the caller may not see or that does
    not exist."""
    if len(ids) > MAX_NODES:
        raise LimitExceeded(f"argument ids: at most {MAX_NODES} ids, got {len(ids)}")
    return list(await asyncio.gather(*(_fetch(info, g, "ids") for g in ids)))


@strawberry.type
class SystemQuery:
    health: Health | None = strawberry.field(resolver=resolve_health, description="Service health.")
    node: Node | None = strawberry.field(
        resolver=resolve_node,
        description="Any object by its global id (`id` of a Node), with the caller's "
                    "disclosure applied: null when absent or not visible to the caller.")
    nodes: list[Node | None] | None = strawberry.field(
        resolver=resolve_nodes,
        description="Objects by global ids (at most 100), in order; null for each one absent "
                    "or not visible to the caller.")
