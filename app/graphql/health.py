"""The ``health`` field: is the graph database reachable, and which version is it."""

from __future__ import annotations

import logging

import strawberry
from strawberry.types import Info

from riskgraph.app.context import AppState, Context
from riskgraph.app.metrics import count_neo4j_error
from riskgraph.graph.driver import server_version
from riskgraph.graph.errors import RiskgraphError, Unavailable

log = logging.getLogger("riskgraph.api.health")


def probe(state: AppState) -> str:
    """The Neo4j version, asked now (even while the breaker is open: this is how it learns
    that the database is back); Unavailable within the API's wait if it does not answer."""
    try:
        if state.driver is None:
            state.breaker.succeeded()  # let require_driver try to connect
            driver = state.require_driver()
        else:
            driver = state.driver
        version = server_version(driver)
    except RiskgraphError as exc:
        count_neo4j_error(exc)  # the driver error it was raised from, if any
        state.breaker.failed()
        raise
    except Exception as exc:
        if not count_neo4j_error(exc):
            log.exception("health check failed")
        state.breaker.failed()
        raise Unavailable("Neo4j did not answer", public="the graph database did not "
                          "answer; try again later") from None
    state.breaker.succeeded()
    return version


@strawberry.type(description="Service health.")
class Health:
    status: str = strawberry.field(description="ok, or unavailable")
    neo4j_version: str | None = strawberry.field(description="Neo4j server version when reachable")


def resolve_health(info: Info[Context, None]) -> Health:
    try:
        version = probe(info.context.state)
    except RiskgraphError:
        return Health(status="unavailable", neo4j_version=None)
    return Health(status="ok", neo4j_version=version)
