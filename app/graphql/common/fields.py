"""A typed spelling of ``@strawberry.field(description=...)`` for resolver methods (the
decorator form with arguments is untyped, which mypy's strict mode rejects)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import strawberry

F = TypeVar("F", bound=Callable[..., Any])


def described(description: str) -> Callable[[F], F]:
    """``@strawberry.field(description=description)``, keeping the method's type."""
    return cast(Callable[[F], F], strawberry.field(description=description))
