"""Mutation payloads (the GitHub convention): a mutation takes one ``input:`` object and returns
``<Name>Payload { <result>, errors, clientMutationId }``.

A domain error about the input or the data (BAD_INPUT, NOT_FOUND, CONFLICT, LIMIT_EXCEEDED,
CONFIG) comes back in ``errors`` with its code, the result null, and no top-level error. An
authorisation failure (FORBIDDEN, UNAUTHENTICATED) and an unavailable graph (UNAVAILABLE) stay
top-level errors, as for every query, so clients and the circuit breaker treat them in one
place. Anything unexpected is an INTERNAL top-level error (app/graphql/errors.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import strawberry
from strawberry.types import Info
from strawberry.utils.str_converters import to_camel_case

from riskgraph.app.graphql.common.enums import vocabulary_enum
from riskgraph.app.graphql.errors import _short
from riskgraph.app.graphql.instrumentation import record_payload_errors
from riskgraph.graph.errors import ErrorCode, RiskgraphError

T = TypeVar("T")

TOP_LEVEL = frozenset({ErrorCode.FORBIDDEN, ErrorCode.UNAUTHENTICATED, ErrorCode.UNAVAILABLE})
"""Codes raised as top-level errors, never put in a payload."""

_CODE_WORDS = {
    ErrorCode.NOT_FOUND.value: "Something the input names does not exist (or is hidden from "
                               "the caller, which answers alike).",
    ErrorCode.BAD_INPUT.value: "The input is malformed or not allowed; the message says what "
                               "and where.",
    ErrorCode.FORBIDDEN.value: "The caller's role may not do this (top-level error).",
    ErrorCode.UNAUTHENTICATED.value: "No valid API key (top-level error).",
    ErrorCode.UNAVAILABLE.value: "The graph database is not available; retry later (top-level "
                                 "error).",
    ErrorCode.CONFLICT.value: "The data changed meanwhile (e.g. a concurrent transition); "
                              "re-read and retry.",
    ErrorCode.LIMIT_EXCEEDED.value: "A size, page or cost limit was passed.",
    ErrorCode.CONFIG.value: "The server is not set up for this yet (e.g. no trained model).",
}

if TYPE_CHECKING:
    from enum import Enum

    class ErrorCodeEnum(Enum):
        """Static stand-in of the generated enum."""
else:
    ErrorCodeEnum = vocabulary_enum("ErrorCode", [c.value for c in ErrorCode], _CODE_WORDS,
                          "The code of an error (`extensions.code` of a top-level error, "
                          "`code` of a payload's error).")


@strawberry.type(description="Why a mutation did not do what its input asked, with its code.")
class UserError:
    code: ErrorCodeEnum = strawberry.field(description="The error's code.")
    message: str = strawberry.field(description="What is wrong and where, in words.")
    path: list[str] | None = strawberry.field(
        default=None, description="The input field the error is about, from the mutation's "
                                  "argument (`[\"input\", \"recordId\"]`); null when it is "
                                  "about no single field (e.g. a concurrent change).")


def user_errors(exc: RiskgraphError,
                renames: Mapping[str, str] | None = None) -> list[UserError]:
    """The payload errors of a domain error: one per problem it lists, else one; each with the
    input path of the field it names (a model parameter, renamed by ``renames`` where the input
    calls it otherwise)."""
    code = ErrorCodeEnum(exc.code.value)

    def path(field: str | None) -> list[str] | None:
        if field is None:
            return None
        return ["input", to_camel_case((renames or {}).get(field, field))]

    if exc.problems:
        return [UserError(code=code, message=_short(message), path=path(field))
                for field, message in exc.problems]
    return [UserError(code=code, message=_short(exc.public_message), path=path(exc.field))]


CLIENT_MUTATION_ID = "An arbitrary string of the client's, returned unchanged in the payload."


async def attempt(info: Info[Any, Any], work: Awaitable[T],
                  renames: Mapping[str, str] | None = None) -> tuple[T | None, list[UserError]]:
    """The result of ``work`` and no errors, or None and the domain error it raised (as coded
    :class:`UserError` s, see :func:`user_errors`; also counted in the metrics and the query
    audit log as the request's error); top-level codes (:data:`TOP_LEVEL`) are raised on."""
    try:
        return await work, []
    except RiskgraphError as exc:
        if exc.code in TOP_LEVEL:
            raise
        record_payload_errors(info.context, [exc.code.value])
        return None, user_errors(exc, renames)


def client_id(data: Any) -> str | None:
    """The input's clientMutationId."""
    value = getattr(data, "client_mutation_id", None)
    return None if value is None else str(value)
