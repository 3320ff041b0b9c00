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

from graph.errors import ErrorCode, RiskgraphError

log = logging.getLogger("riskgraph.api.errors")

INTERNAL = "INTERNAL"
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


def classify(error: GraphQLError) -> GraphQLError:
    """The error as sent to the client: coded, and generic when unexpected."""
    if error.extensions and "code" in error.extensions:
        return coded(error, str(error.extensions["code"]))
    original = error.original_error
    while isinstance(original, GraphQLError) and original.original_error is not None:
        original = original.original_error
    if isinstance(original, RiskgraphError):
        return coded(error, original.code.value, original.public_message)
    if original is not None:
        incident = uuid.uuid4().hex[:12]
        log.error("unexpected error (incident %s) at %s", incident, error.path,
                  exc_info=original)
        return coded(error, INTERNAL, f"Internal error (incident {incident}).")
    if isinstance(error, GraphQLSyntaxError) and "tokens" in error.message:
        return coded(error, ErrorCode.LIMIT_EXCEEDED.value)
    if any(marker in error.message for marker in LIMIT_MARKERS):
        return coded(error, ErrorCode.LIMIT_EXCEEDED.value)
    return coded(error, ErrorCode.BAD_INPUT.value)


class ErrorCodes(SchemaExtension):
    """Rewrites the result's errors with :func:`classify` once the operation is done."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [classify(e) for e in result.errors]
        elif self.execution_context.pre_execution_errors:
            self.execution_context.pre_execution_errors = [
                classify(e) for e in self.execution_context.pre_execution_errors]
