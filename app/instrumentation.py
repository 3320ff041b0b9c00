"""Request metrics and the query audit trail, collected around every HTTP request.

:class:`InstrumentationMiddleware` (pure ASGI) times each request and, when it ends, updates the
Prometheus metrics and queues the audit entries of non-public callers.
:class:`InstrumentedGraphQLRouter` records which GraphQL operations a request ran (name, type,
root fields, hash of the variables) and the error codes of the response.
"""

from __future__ import annotations

import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    parse,
)
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult

from riskgraph.app.graphql.limits import MAX_TOKENS
from riskgraph.app.metrics import (
    GRAPHQL_ERRORS,
    GRAPHQL_OPERATIONS,
    HTTP_LATENCY,
    HTTP_REQUESTS,
    count_neo4j_error,
)
from riskgraph.app.security.query_log import QueryLogWriter, entries_for, variables_sha256
from riskgraph.app.security.request_call import Operation, RequestCall, call_of, start_call

MAX_OPERATION_NAME = 120


MAX_CACHED_QUERY = 8_192
"""Characters: longer documents are parsed each time rather than kept in the outline cache."""


def _outline(query: str, operation_name: str | None) -> tuple[str, str, tuple[str, ...]]:
    """``(name, type, root fields)`` of the operation a request selects."""
    if len(query) <= MAX_CACHED_QUERY:
        return _cached_outline(query, operation_name)
    return _parse_outline(query, operation_name)


def _parse_outline(query: str, operation_name: str | None) -> tuple[str, str, tuple[str, ...]]:
    try:
        document = parse(query, max_tokens=MAX_TOKENS)  # never more work than the limit
    except GraphQLError:
        return (operation_name or "-", "invalid", ())
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = next((o for o in operations if o.name and o.name.value == operation_name), None)
    if chosen is None and len(operations) == 1:
        chosen = operations[0]
    if chosen is None:
        return (operation_name or "-", "invalid", ())
    fields = tuple(s.name.value for s in chosen.selection_set.selections
                   if isinstance(s, FieldNode))
    name = operation_name or (chosen.name.value if chosen.name else "")
    kind = chosen.operation.value
    return (name or f"{kind} {{{','.join(fields)}}}", kind, fields)


_cached_outline = lru_cache(maxsize=512)(_parse_outline)


def describe(data: GraphQLRequestData) -> Operation:
    name, kind, fields = _outline(data.query or "", data.operation_name)
    return Operation(name=name[:MAX_OPERATION_NAME], type=kind, root_fields=fields,
                     variables_sha256=variables_sha256(data.variables))


def error_code(error: GraphQLError) -> str:
    """The ``extensions.code`` of a response error (or what it will be)."""
    code = (error.extensions or {}).get("code")
    if isinstance(code, str):
        return code
    original = error.original_error
    if original is None:
        return "GRAPHQL_VALIDATION_FAILED"
    value = getattr(getattr(original, "code", None), "value", None)
    return value if isinstance(value, str) else "INTERNAL_SERVER_ERROR"


GRAPHIQL_PAGE = Path(__file__).parent / "static" / "graphiql" / "index.html"
"""GraphiQL with its scripts served from /graphiql-assets (app/static/graphiql/NOTICE.md)."""


class InstrumentedGraphQLRouter(GraphQLRouter[Any, Any]):
    """Strawberry's router, noting operations and error codes in the request's call record,
    and serving the bundled GraphiQL (no CDN, headers not persisted)."""

    async def render_graphql_ide(self, request: Any) -> HTMLResponse:
        return HTMLResponse(GRAPHIQL_PAGE.read_text(encoding="utf-8"))

    async def execute_operation(
        self, request: Any, request_adapter: Any,
        request_data: GraphQLRequestData | list[GraphQLRequestData],
        context: Any, root_value: Any, sub_response: Any,
    ) -> Any:
        call = call_of(request.scope)
        if call is not None:
            items = request_data if isinstance(request_data, list) else [request_data]
            call.operations.extend(describe(item) for item in items)
        try:
            return await super().execute_operation(request, request_adapter, request_data,
                                                   context, root_value, sub_response)
        except Exception as exc:
            count_neo4j_error(exc)
            raise

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

    async def process_result(self, request: Any, result: ExecutionResult) -> Any:
        call = call_of(request.scope)
        for error in result.errors or ():
            if error.original_error is not None:
                count_neo4j_error(error.original_error)
            code = error_code(error)
            GRAPHQL_ERRORS.labels(code=code).inc()
            if call is not None:
                call.error_codes.append(code)
        return await super().process_result(request, result)


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
