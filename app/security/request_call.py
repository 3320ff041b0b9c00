"""What one HTTP request did, collected along the way for metrics and the query audit log.

The ASGI middleware (app.instrumentation) puts a :class:`RequestCall` into the request scope's
state; ``get_context`` fills in the caller, the GraphQL router the operations and error codes.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any

from riskgraph.app.security.principal import Principal

STATE_KEY = "riskgraph_call"


@dataclass(frozen=True)
class Operation:
    """One GraphQL operation of a request."""

    name: str
    type: str  # query, mutation, subscription, or invalid
    root_fields: tuple[str, ...]
    variables_sha256: str


@dataclass
class RequestCall:
    principal: Principal | None = None
    operations: list[Operation] = field(default_factory=list)
    error_codes: list[str] = field(default_factory=list)


def call_of(scope: MutableMapping[str, Any]) -> RequestCall | None:
    """The request's call record, if the middleware created one."""
    state = scope.get("state")
    call = state.get(STATE_KEY) if isinstance(state, dict) else None
    return call if isinstance(call, RequestCall) else None


def start_call(scope: MutableMapping[str, Any]) -> RequestCall:
    call = RequestCall()
    scope.setdefault("state", {})[STATE_KEY] = call
    return call
