"""Checks every request to ``/graphql`` before strawberry sees it, so each malformed one gets a
coded JSON error (BAD_INPUT, LIMIT_EXCEEDED) rather than a 500 or a plain-text 400.

:class:`RequestGuard` (pure ASGI) reads a POST body up to ``MAX_BODY_BYTES``, requires JSON,
decodes it strictly (UTF-8, no lone surrogates, bounded nesting), requires one request object
(no batches) with the right member types, bounds the variables (nesting, string and list
lengths), and then hands the same bytes on. Any plain-text answer strawberry still gives
(an unknown ``operationName``, a GET with a mutation) is rewritten as a coded JSON error. The
limits themselves live in ``app/graphql/limits.py``.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from riskgraph.app import persisted_queries
from riskgraph.app.graphql.limits import (
    MAX_BODY_BYTES,
    MAX_LIST_ITEMS,
    MAX_NESTING,
    MAX_VARIABLE_STRING,
    truncate,
)
from riskgraph.graph.errors import ErrorCode

GRAPHQL_PATH = "/graphql"


class Refused(Exception):
    """A request refused by the guard: its code, HTTP status and message."""

    def __init__(self, message: str, code: ErrorCode = ErrorCode.BAD_INPUT,
                 status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


def error_body(message: str, code: str) -> bytes:
    return json.dumps({"code": code, "message": message,
                       "errors": [{"message": message, "extensions": {"code": code}}]},
                      ensure_ascii=True).encode()


def _check_text(value: str, where: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Refused(f"{where}: not valid Unicode text (a lone surrogate)") from None


def check_value(value: Any, where: str = "variables") -> None:
    """Nesting, string and list lengths and valid text everywhere in a JSON value
    (iterative: a value nested thousands deep must not exhaust the stack)."""
    stack: list[tuple[Any, str, int]] = [(value, where, 0)]
    while stack:
        item, path, depth = stack.pop()
        if depth > MAX_NESTING:
            raise Refused(f"{path}: nested more than {MAX_NESTING} levels deep",
                          ErrorCode.LIMIT_EXCEEDED)
        if isinstance(item, str):
            _check_text(item, path)
            if len(item) > MAX_VARIABLE_STRING:
                raise Refused(f"{path}: at most {MAX_VARIABLE_STRING} characters, got "
                              f"{len(item)}", ErrorCode.LIMIT_EXCEEDED)
        elif isinstance(item, list):
            if len(item) > MAX_LIST_ITEMS:
                raise Refused(f"{path}: at most {MAX_LIST_ITEMS} items, got {len(item)}",
                              ErrorCode.LIMIT_EXCEEDED)
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(item))
        elif isinstance(item, dict):
            for key, v in item.items():
                _check_text(key, f"{path} (a key)")
                stack.append((v, f"{path}.{truncate(key, 40)}", depth + 1))
        elif isinstance(item, float) and item != item:  # NaN never comes from JSON, but
            raise Refused(f"{path}: not a number")       # json.loads accepts it


def check_request(data: Any) -> None:
    """One GraphQL request object with members of the right types."""
    if isinstance(data, list):
        raise Refused("batched requests (a JSON array) are not supported: send one request "
                      "object per HTTP request")
    if not isinstance(data, dict):
        raise Refused("the body must be a JSON object with a 'query' string")
    query = data.get("query")
    if not isinstance(query, str) or not query.strip():
        raise Refused("'query' must be a non-empty string")
    _check_text(query, "query")
    name = data.get("operationName")
    if name is not None and not isinstance(name, str):
        raise Refused("'operationName' must be a string or null")
    if isinstance(name, str):
        _check_text(name, "operationName")
        if len(name) > 200:
            raise Refused("'operationName': at most 200 characters", ErrorCode.LIMIT_EXCEEDED)
    variables = data.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise Refused("'variables' must be a JSON object or null")
    extensions = data.get("extensions")
    if extensions is not None and not isinstance(extensions, dict):
        raise Refused("'extensions' must be a JSON object or null")
    check_value(variables or {}, "variables")
    check_value(extensions or {}, "extensions")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_body(body: bytes) -> Any:
    """The JSON of a POST body (BAD_INPUT when it is not UTF-8 JSON)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused(f"the body is not UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise Refused(f"the body is nested more than {MAX_NESTING} levels deep",
                      ErrorCode.LIMIT_EXCEEDED) from None
    except ValueError as exc:
        raise Refused(f"the body is not valid JSON: {truncate(str(exc), 120)}") from None


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return ""


def check_get(scope: Scope) -> None:
    """A GET carrying a query (GraphiQL's page itself has none)."""
    raw = scope.get("query_string", b"").decode("latin-1")
    if len(raw) > MAX_BODY_BYTES:
        raise Refused("the query string is too long", ErrorCode.LIMIT_EXCEEDED, 414)
    params = {k: v[-1] for k, v in parse_qs(raw).items()}
    if "query" not in params:
        return
    data: dict[str, Any] = {"query": params["query"],
                            "operationName": params.get("operationName")}
    if "variables" in params:
        data["variables"] = parse_body(params["variables"].encode("utf-8", "surrogatepass"))
    check_request(data)


class RequestGuard:
    """The ASGI middleware (see the module docstring)."""

    def __init__(self, app: ASGIApp, path: str = GRAPHQL_PATH) -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path", "").rstrip("/") != self.path:
            await self.app(scope, receive, send)
            return
        method = scope.get("method", "GET")
        try:
            if method == "POST":
                body = await self._read_json_body(scope, receive)
                data = parse_body(body)
                try:
                    found = persisted_queries.resolve(data)
                except persisted_queries.PersistedQueryError as exc:
                    await _answer(send, 200, error_body(exc.message, exc.code))
                    return
                check_request(found)
                if found is not data:  # a persisted query: strawberry reads the document
                    body = json.dumps(found).encode("utf-8")
                receive = _replay(body)
            elif method == "GET":
                check_get(scope)
        except Refused as refused:
            await _answer(send, refused.status, error_body(refused.message, refused.code.value))
            return
        await self.app(scope, receive, _coding_plain_text(send))

    @staticmethod
    async def _read_json_body(scope: Scope, receive: Receive) -> bytes:
        content_type = _header(scope, b"content-type").split(";")[0].strip().lower()
        if content_type != "application/json":
            raise Refused(f"send the request as application/json (got "
                          f"{truncate(content_type or 'no content type', 60)!r})", status=415)
        declared = _header(scope, b"content-length")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            raise Refused(f"the body is larger than {MAX_BODY_BYTES} bytes",
                          ErrorCode.LIMIT_EXCEEDED, 413)
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise Refused("the client went away")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise Refused(f"the body is larger than {MAX_BODY_BYTES} bytes",
                              ErrorCode.LIMIT_EXCEEDED, 413)
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


async def _answer(send: Send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _coding_plain_text(send: Send) -> Send:
    """``send``, turning a plain-text 4xx answer into a coded JSON error."""
    held: Message | None = None
    parts: list[bytes] = []

    async def coded_send(message: Message) -> None:
        nonlocal held
        if message["type"] == "http.response.start":
            status = int(message["status"])
            headers = {k.lower(): v for k, v in message.get("headers", [])}
            if 400 <= status < 500 and headers.get(b"content-type", b"").startswith(
                    b"text/plain"):
                held = message
                return
            await send(message)
            return
        if held is None:
            await send(message)
            return
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            text = b"".join(parts).decode("utf-8", "replace").strip()
            await _answer(send, int(held["status"]),
                          error_body(truncate(text or "bad request", 300),
                                     ErrorCode.BAD_INPUT.value))

    return coded_send
