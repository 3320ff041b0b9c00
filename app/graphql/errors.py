"""Error codes on every GraphQL error, and no internals in any message.

Each error leaves with ``extensions.code``: the code of a domain error
(``graph.errors.RiskgraphError``), LIMIT_EXCEEDED for the limiter extensions, BAD_INPUT for
other validation errors, and INTERNAL (with a generic message, logged here) for anything
unexpected. Messages of domain errors are written to be shown; nothing else is passed through.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator

from graphql.error import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from riskgraph.app.circuit import CircuitOpen
from riskgraph.app.metrics import count_neo4j_error
from riskgraph.graph.connection import ClientError
from riskgraph.graph.errors import ErrorCode, RiskgraphError

log = logging.getLogger("riskgraph.api.errors")

INTERNAL = "INTERNAL"
UNAVAILABLE_MESSAGE = "the graph database is not available; try again later"
LIMIT_MARKERS = ("exceeds maximum operation depth", "more than", "aliases found",
                 "query cost")
"""Phrases of the limiter extensions' messages (depth, tokens, aliases, cost)."""


class LimitExceeded(RiskgraphError):
    """A request went beyond a limit: depth, size, cost, page size or time."""

    code = ErrorCode.LIMIT_EXCEEDED


def coded(error: GraphQLError, code: str, message: str | None = None) -> GraphQLError:
    """A copy of ``error`` with ``extensions.code`` set (and its message replaced if given)."""
    return GraphQLError(
        message if message is not None else error.message,
        nodes=error.nodes, source=error.source, positions=error.positions, path=error.path,
        original_error=None, extensions={**(error.extensions or {}), "code": code},
    )


MAX_MESSAGE = 300
"""Characters of a message echoing input (a 1 MB identifier is not sent back whole)."""


def _short(message: str) -> str:
    if len(message) <= MAX_MESSAGE:
        return message
    return f"{message[:MAX_MESSAGE]}... ({len(message)} characters)"


def _root(error: GraphQLError) -> BaseException | None:
    """The exception under ``error`` (through nested GraphQL errors), if any."""
    original = error.original_error
    while isinstance(original, GraphQLError) and original.original_error is not None:
        original = original.original_error
    return original


def classify(error: GraphQLError) -> GraphQLError:
    """The error as sent to the client: coded, and generic when unexpected."""
    if error.extensions and "code" in error.extensions:
        return coded(error, str(error.extensions["code"]), _short(error.message))
    original = _root(error)
    if isinstance(original, RiskgraphError):
        count_neo4j_error(original)  # an Unavailable raised from a driver error
        return coded(error, original.code.value, _short(original.public_message))
    if original is not None and error.path is None and error.message.startswith("Variable '$"):
        return coded(error, ErrorCode.BAD_INPUT.value, _short(error.message))  # coercion
    if isinstance(original, GraphQLError):
        # graphql-core's own argument coercion at execution, e.g. a nullable variable holding
        # null for a non-null argument with a default (valid by the spec's validation rules)
        return coded(error, ErrorCode.BAD_INPUT.value, _short(original.message))
    if original is not None and count_neo4j_error(original) and not isinstance(
            original, ClientError):
        return coded(error, ErrorCode.UNAVAILABLE.value, UNAVAILABLE_MESSAGE)
    if original is not None:
        incident = uuid.uuid4().hex[:12]
        log.error("unexpected error (incident %s) at %s", incident, error.path,
                  exc_info=original)
        return coded(error, INTERNAL, f"Internal error (incident {incident}).")
    if isinstance(error, GraphQLSyntaxError) and "tokens" in error.message:
        return coded(error, ErrorCode.LIMIT_EXCEEDED.value, _short(error.message))
    if any(marker in error.message for marker in LIMIT_MARKERS):
        return coded(error, ErrorCode.LIMIT_EXCEEDED.value, _short(error.message))
    return coded(error, ErrorCode.BAD_INPUT.value, _short(error.message))


class ErrorCodes(SchemaExtension):
    """Rewrites the result's errors with :func:`classify` once the operation is done."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            classified = [(classify(e), isinstance(_root(e), CircuitOpen))
                          for e in result.errors]
            result.errors = [e for e, _ in classified]
            # the open breaker's own refusals are not news: counting them as failures would
            # restart its period on every request, and under steady traffic it never closed
            unavailable = any((e.extensions or {}).get("code") == ErrorCode.UNAVAILABLE.value
                              and not refused for e, refused in classified)
            breaker = getattr(getattr(self.execution_context.context, "state", None),
                              "breaker", None)
            if unavailable and breaker is not None:
                breaker.failed()
        elif self.execution_context.pre_execution_errors:
            self.execution_context.pre_execution_errors = [
                classify(e) for e in self.execution_context.pre_execution_errors]
