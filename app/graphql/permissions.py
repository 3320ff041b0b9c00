"""Role checks for fields and mutations (the disclosure of records is enforced in Cypher)."""

from __future__ import annotations

from typing import Any

from strawberry.types import Info

from riskgraph.app.security.principal import Principal, Role
from riskgraph.graph.errors import Forbidden


def principal_of(info: Info[Any, Any]) -> Principal:
    found: Principal = info.context.principal
    return found


def require(info: Info[Any, Any], role: Role, what: str) -> Principal:
    """The caller, if their role is ``role`` or stronger; FORBIDDEN otherwise."""
    who = principal_of(info)
    if not who.can(role):
        raise Forbidden(f"{what} needs the {role.value} role or above; this key is "
                        f"{who.role.value}")
    return who
