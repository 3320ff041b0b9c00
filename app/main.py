"""The FastAPI application: lifespan (one Neo4j driver), /health, /metrics and GraphQL.

Requests to /graphql are authenticated and rate-limited in ``get_context``; refusals become JSON
responses (401 UNAUTHENTICATED, 429 LIMIT_EXCEEDED, 503 UNAVAILABLE) shaped like a GraphQL error
response, with the code also at the top level. See docs/api-security.md.
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from neo4j import Driver

from riskgraph.app import __version__, browser_guide
from riskgraph.app.context import AppState, get_context
from riskgraph.app.graphql.health import probe
from riskgraph.app.graphql.schema import schema
from riskgraph.app.instrumentation import (
    GRAPHIQL_PAGE,
    InstrumentationMiddleware,
    InstrumentedGraphQLRouter,
)
from riskgraph.app.metrics import render
from riskgraph.app.request_guard import RequestGuard
from riskgraph.app.request_id import RequestIdMiddleware
from riskgraph.app.security.rate_limit import RateLimited
from riskgraph.app.watchdog import LoopWatchdog
from riskgraph.graph.config import get_settings
from riskgraph.graph.driver import connect
from riskgraph.graph.errors import ErrorCode, RiskgraphError

log = logging.getLogger("riskgraph.api")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    state = AppState(settings=settings)
    state.breaker.open_seconds = settings.riskgraph_breaker_seconds
    try:
        state.driver = connect(settings, settings.riskgraph_neo4j_wait_seconds)
        log.info("connected to Neo4j at %s", settings.bolt_uri)
        register_id_schemes(state.driver, settings.neo4j_database)
    except RiskgraphError as exc:  # keep serving: /health reports 503 until Neo4j is back
        log.error("Neo4j unavailable at start-up: %s", exc.message)
    app.state.riskgraph = state
    # Resolvers wait on Neo4j in threads (asyncio.to_thread): size the pool for the
    # concurrent requests, not for the 2 cores (the default would be 6 threads).
    asyncio.get_running_loop().set_default_executor(
        ThreadPoolExecutor(max_workers=settings.riskgraph_api_threads,
                           thread_name_prefix="graph"))
    if state.driver is not None and settings.riskgraph_warm_explanations:
        warm_explanations(state.driver, settings.neo4j_database)
    security = state.require_security()
    watchdog = LoopWatchdog(settings.riskgraph_loop_stall_seconds)
    watchdog.start()
    app.state.watchdog = watchdog
    try:
        yield
    finally:
        watchdog.stop()
        security.close()  # write the queued audit entries before the driver goes
        if state.driver is not None:
            state.driver.close()


def register_id_schemes(driver: Driver, database: str) -> None:
    """Check namespaced firm keys in requests with the namespaces the loaded worlds declared
    (graph/id_scheme_store.py); the generic rule stays when they cannot be read."""
    from neo4j.exceptions import Neo4jError, ServiceUnavailable

    from riskgraph.graph.id_scheme_store import register_stored_schemes

    try:
        found = register_stored_schemes(driver, database)
        log.info("firm identifier namespaces declared in the graph: %s",
                 ", ".join(found) or "none")
    except (Neo4jError, ServiceUnavailable, RiskgraphError) as exc:
        log.error("declared identifier namespaces not read (generic checks apply): %s", exc)


def warm_explanations(driver: Driver, database: str) -> None:
    """Score every firm in the background at start-up, so the first explanation request does
    not pay for it (it takes seconds on a large graph; app/graphql/explain_cache.py)."""
    from riskgraph.app.graphql import explain_cache

    def run() -> None:
        try:
            explain_cache.scored(driver, database, None)
            log.info("explanation cache warmed")
        except RiskgraphError as exc:  # e.g. no trained model yet: explanations say so
            log.info("explanation cache not warmed: %s", exc.message)
        except Exception:
            log.exception("explanation cache warm-up failed")

    threading.Thread(target=run, name="warm-explanations", daemon=True).start()


HTTP_STATUS = {ErrorCode.UNAUTHENTICATED: 401, ErrorCode.FORBIDDEN: 403,
               ErrorCode.LIMIT_EXCEEDED: 429, ErrorCode.UNAVAILABLE: 503,
               ErrorCode.NOT_FOUND: 404, ErrorCode.CONFLICT: 409}


def error_response(request: Request, exc: Exception) -> JSONResponse:
    """A domain error raised before GraphQL execution (authentication, rate limit) as JSON."""
    assert isinstance(exc, RiskgraphError)
    code = exc.code.value
    headers: dict[str, str] = {}
    if exc.code is ErrorCode.UNAUTHENTICATED:
        headers["WWW-Authenticate"] = 'Bearer realm="riskgraph"'
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(max(1, math.ceil(exc.retry_after)))
    body = {"code": code, "message": exc.public_message,
            "errors": [{"message": exc.public_message, "extensions": {"code": code}}]}
    return JSONResponse(body, status_code=HTTP_STATUS.get(exc.code, 400), headers=headers)


def create_app() -> FastAPI:
    """Build the application (uvicorn calls this with --factory)."""
    app = FastAPI(title="riskgraph", version=__version__, lifespan=lifespan)
    app.include_router(browser_guide.router)
    app.mount("/graphiql-assets", StaticFiles(directory=GRAPHIQL_PAGE.parent),
              name="graphiql-assets")
    app.include_router(InstrumentedGraphQLRouter(schema, context_getter=get_context),
                       prefix="/graphql")
    app.add_exception_handler(RiskgraphError, error_response)
    app.add_middleware(RequestGuard)  # malformed requests get coded JSON errors
    app.add_middleware(InstrumentationMiddleware, schema=schema._schema)
    app.add_middleware(RequestIdMiddleware)  # outermost: logs of the request carry its id

    @app.get("/metrics")
    def metrics() -> Response:
        """Prometheus text format: requests, latency, GraphQL operations, Neo4j errors."""
        body, content_type = render()
        return Response(body, media_type=content_type)

    @app.get("/health")
    def health() -> JSONResponse:
        """200 with the Neo4j version when the database answers, else 503 with a code."""
        state: AppState = app.state.riskgraph
        try:
            version = probe(state)
        except RiskgraphError as exc:
            return JSONResponse({"status": "unavailable", "code": exc.code.value,
                                 "message": exc.public_message}, status_code=503,
                                headers={"Retry-After": "5"})
        return JSONResponse({"status": "ok", "neo4j_version": version})

    return app
