"""A request id for every API request: in the logs of its work and in the ``X-Request-ID``
response header.

A caller's own ``X-Request-ID`` is kept when it is a plain token (letters, digits, ``._-``, at
most 64); anything else is replaced by a new random id, so no caller can inject text into the
logs. The id lives in a context variable (app/logging_setup.py) that threads started for the
request (``asyncio.to_thread``, Starlette's thread pool) inherit.
"""

from __future__ import annotations

import re
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from riskgraph.app.logging_setup import request_id

HEADER = "x-request-id"
_TOKEN = re.compile(r"[A-Za-z0-9._-]{1,64}")


def new_request_id() -> str:
    return uuid.uuid4().hex[:16]


def accepted_id(supplied: str | None) -> str:
    """The caller's id when it is a plain token, else a new one."""
    if supplied is not None and _TOKEN.fullmatch(supplied):
        return supplied
    return new_request_id()


class RequestIdMiddleware:
    """Pure ASGI middleware (outermost): sets the id for the request and adds the header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        supplied = next((v.decode("latin-1") for k, v in scope.get("headers", ())
                         if k.decode("latin-1").lower() == HEADER), None)
        rid = accepted_id(supplied)
        token = request_id.set(rid)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.decode("latin-1").lower() != HEADER]
                headers.append((HEADER.encode(), rid.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id.reset(token)
