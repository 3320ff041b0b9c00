"""A typed spelling of ``@strawberry.field(description=...)`` for resolver methods (the
decorator form with arguments is untyped, which mypy's strict mode rejects)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import strawberry
from strawberry.types.base import get_object_definition

F = TypeVar("F", bound=Callable[..., Any])


def described(description: str) -> Callable[[F], F]:
    """``@strawberry.field(description=description)``, keeping the method's type."""
    return cast(Callable[[F], F], strawberry.field(description=description))


C = TypeVar("C", bound=type)


def field_descriptions(descriptions: dict[str, str]) -> Callable[[C], C]:
    """Describe the fields of a strawberry type whose fields it inherits from a model
    dataclass (so the field list is the model's, not a copy): put it above
    ``@strawberry.type``. Keys are Python field names; a key that names no field is an error,
    so a renamed model field cannot silently lose its description."""

    def apply(cls: C) -> C:
        definition = get_object_definition(cls, strict=True)
        by_name = {f.python_name: f for f in definition.fields}
        unknown = sorted(set(descriptions) - set(by_name))
        if unknown:
            raise TypeError(f"{cls.__name__} has no fields {unknown}")
        for name, text in descriptions.items():
            by_name[name].description = text
        return cls

    return apply
