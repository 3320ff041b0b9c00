"""Domain errors. Each carries a ``code`` that the API and CLI map to a response in one place."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum


class ErrorCode(StrEnum):
    NOT_FOUND = "NOT_FOUND"
    BAD_INPUT = "BAD_INPUT"
    FORBIDDEN = "FORBIDDEN"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    UNAVAILABLE = "UNAVAILABLE"
    CONFLICT = "CONFLICT"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
    CONFIG = "CONFIG"


class RiskgraphError(Exception):
    """Root of every error riskgraph raises on purpose; the message is safe to show users.

    ``field`` names the input the error is about (a parameter of the function that raised it,
    e.g. ``"record_id"``), when it is about one; the API turns it into the error's input path.
    ``problems`` lists each (field, message) when one error reports several inputs at once.
    """

    code: ErrorCode = ErrorCode.BAD_INPUT

    def __init__(self, message: str, *, code: ErrorCode | None = None,
                 public: str | None = None, field: str | None = None,
                 problems: tuple[tuple[str | None, str], ...] = ()) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.public = public
        self.field = field
        self.problems = problems

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__name__

    @property
    def public_message(self) -> str:
        """The message for remote callers: ``public`` when the full one names server details
        (paths), else the message itself."""
        return self.public or self.message


@contextmanager
def about(field: str) -> Iterator[None]:
    """Domain errors raised inside are about input ``field``, unless they name one already."""
    try:
        yield
    except RiskgraphError as exc:
        if exc.field is None and not exc.problems:
            exc.field = field
        raise


class ConfigError(RiskgraphError):
    code = ErrorCode.CONFIG


class NotFound(RiskgraphError):
    code = ErrorCode.NOT_FOUND


class BadInput(RiskgraphError):
    code = ErrorCode.BAD_INPUT


class Conflict(RiskgraphError):
    code = ErrorCode.CONFLICT


class Unavailable(RiskgraphError):
    """The graph database (or a tool the runtime needs) cannot be reached or started."""

    code = ErrorCode.UNAVAILABLE


class MigrationError(RiskgraphError):
    code = ErrorCode.CONFLICT


class Forbidden(RiskgraphError):
    """The caller's role may not see or do this."""

    code = ErrorCode.FORBIDDEN
