"""Request metrics and the query audit trail, collected around every HTTP request.

:class:`InstrumentationMiddleware` (pure ASGI) times each request and, when it ends, updates the
Prometheus metrics and queues the audit entries of non-public callers. Which GraphQL operations
a request ran (name, type, root fields, hash of the variables) and the error codes of the
response are noted by the schema extension ``app/graphql/instrumentation.OperationRecorder``.
:class:`InstrumentedGraphQLRouter` serves the bundled GraphiQL and answers 503 when the graph
database is why nothing was answered.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from graphql import GraphQLSchema
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.fastapi import GraphQLRouter

from riskgraph.app.metrics import (
    GRAPHQL_OPERATIONS,
    HTTP_LATENCY,
    HTTP_REQUESTS,
    count_neo4j_error,
)
from riskgraph.app.security.query_log import QueryLogWriter, entries_for
from riskgraph.app.security.request_call import RequestCall, start_call

GRAPHIQL_PAGE = Path(__file__).parent / "static" / "graphiql" / "index.html"
"""GraphiQL with its scripts served from /graphiql-assets (app/static/graphiql/NOTICE.md)."""


class InstrumentedGraphQLRouter(GraphQLRouter[Any, Any]):
    """Strawberry's router, serving the bundled GraphiQL (no CDN, headers not persisted)."""

    async def render_graphql_ide(self, request: Any) -> HTMLResponse:
        return HTMLResponse(GRAPHIQL_PAGE.read_text(encoding="utf-8"))

    def create_response(self, response_data: Any, sub_response: Any) -> Any:
        """HTTP 503 (with Retry-After) when the graph database is why nothing was answered:
        no data (or only null root fields), and every error UNAVAILABLE."""
        data = response_data.get("data") if isinstance(response_data, dict) else {}
        if isinstance(response_data, dict) and (data is None or (
                isinstance(data, dict) and all(v is None for v in data.values()))):
            codes = {(e.get("extensions") or {}).get("code")
                     for e in response_data.get("errors") or ()}
            if codes == {"UNAVAILABLE"}:
                sub_response.status_code = 503
                sub_response.headers["Retry-After"] = "5"
        return super().create_response(response_data, sub_response)


class InstrumentationMiddleware:
    """Times requests; feeds the metrics and the query audit log when each one ends."""

    def __init__(self, app: ASGIApp, schema: GraphQLSchema) -> None:
        self.app = app
        query_type = schema.query_type
        mutation_type = schema.mutation_type
        self._fields = {
            "query": set(query_type.fields) if query_type else set(),
            "mutation": set(mutation_type.fields) if mutation_type else set(),
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        call = start_call(scope)
        status = 500
        began = time.perf_counter()

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        except Exception as exc:
            count_neo4j_error(exc)
            raise
        finally:
            self._finish(scope, call, status, time.perf_counter() - began)

    @staticmethod
    def _route(scope: Scope) -> str:
        """The route a request matched: its path when the route has no parameters (routes of
        included routers only know their path relative to the prefix), else the template;
        ``unmatched`` otherwise, so clients cannot create label values at will."""
        template = getattr(scope.get("route"), "path", None)
        if not isinstance(template, str):
            return "unmatched"
        return template if "{" in template else str(scope.get("path", template))

    def _finish(self, scope: Scope, call: RequestCall, status: int, duration: float) -> None:
        route = self._route(scope)
        method = str(scope.get("method", ""))
        HTTP_REQUESTS.labels(method=method, route=route, status=str(status)).inc()
        HTTP_LATENCY.labels(method=method, route=route).observe(duration)
        outcome = "error" if status >= 400 or call.error_codes else "ok"
        for op in call.operations:
            known = self._fields.get(op.type, set())
            for field in op.root_fields or ("-",):
                GRAPHQL_OPERATIONS.labels(type=op.type if known else "invalid",
                                          field=field if field in known else "unknown",
                                          outcome=outcome).inc()
        writer = _query_log(scope)
        if writer is not None:
            writer.submit(entries_for(call, status, duration))


def _query_log(scope: Scope) -> QueryLogWriter | None:
    app = scope.get("app")
    state = getattr(getattr(app, "state", None), "riskgraph", None)
    security = getattr(state, "security", None)
    writer = getattr(security, "query_log", None)
    return writer if isinstance(writer, QueryLogWriter) else None
