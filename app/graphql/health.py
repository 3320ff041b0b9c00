"""The ``health`` field: is the graph database reachable, and which version is it."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from app.context import Context
from graph.driver import server_version
from graph.errors import RiskgraphError


@strawberry.type(description="Service health.")
class Health:
    status: str = strawberry.field(description="ok, or unavailable")
    neo4j_version: str | None = strawberry.field(description="Neo4j server version when reachable")


def resolve_health(info: Info[Context, None]) -> Health:
    try:
        version = server_version(info.context.state.require_driver())
    except RiskgraphError:
        return Health(status="unavailable", neo4j_version=None)
    return Health(status="ok", neo4j_version=version)
