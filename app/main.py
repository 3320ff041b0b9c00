"""The FastAPI application: lifespan (one Neo4j driver), /health and the GraphQL endpoint."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from strawberry.fastapi import GraphQLRouter

from app.context import AppState, get_context
from app.graphql.schema import schema
from graph.config import get_settings
from graph.driver import connect, server_version
from graph.errors import RiskgraphError

log = logging.getLogger("riskgraph.api")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    state = AppState(settings=settings)
    try:
        state.driver = connect(settings)
        log.info("connected to Neo4j at %s", settings.bolt_uri)
    except RiskgraphError as exc:  # keep serving: /health reports 503 until Neo4j is back
        log.error("Neo4j unavailable at start-up: %s", exc.message)
    app.state.riskgraph = state
    try:
        yield
    finally:
        if state.driver is not None:
            state.driver.close()


def create_app() -> FastAPI:
    """Build the application (uvicorn calls this with --factory)."""
    app = FastAPI(title="riskgraph", version="0.1.0", lifespan=lifespan)
    app.include_router(GraphQLRouter(schema, context_getter=get_context), prefix="/graphql")

    @app.get("/health")
    def health() -> JSONResponse:
        """200 with the Neo4j version when the database answers, else 503 with a code."""
        state: AppState = app.state.riskgraph
        try:
            version = server_version(state.require_driver())
        except RiskgraphError as exc:
            return JSONResponse({"status": "unavailable", "code": exc.code.value,
                                 "message": exc.message}, status_code=503)
        except Exception:
            log.exception("health check failed")
            return JSONResponse({"status": "unavailable", "code": "UNAVAILABLE",
                                 "message": "Neo4j did not answer"}, status_code=503)
        return JSONResponse({"status": "ok", "neo4j_version": version})

    return app
