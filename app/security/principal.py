"""The caller of a request and what their role may see.

Disclosure is enforced inside Cypher: every statement that can reach a credit record filters it
with the same predicate, fed from :meth:`Principal.disclosure_params`::

    (r.disclosure IN $disclosures OR (r.disclosure = 'restricted' AND r.agency IN $agencies))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    PUBLIC = "public"
    INVESTIGATOR = "investigator"
    RESTRICTED = "restricted"
    ADMIN = "admin"


DISCLOSURES: dict[Role, tuple[str, ...]] = {
    Role.PUBLIC: ("public",),
    Role.INVESTIGATOR: ("public", "agency_shared"),
    Role.RESTRICTED: ("public", "agency_shared"),  # + restricted records of its named agencies
    Role.ADMIN: ("public", "agency_shared", "restricted"),
}


@dataclass(frozen=True)
class Principal:
    """An authenticated caller (or the anonymous public)."""

    role: Role = Role.PUBLIC
    key_id: str | None = None
    name: str = "anonymous"
    agencies: tuple[str, ...] = field(default_factory=tuple)

    @property
    def disclosures(self) -> tuple[str, ...]:
        return DISCLOSURES[self.role]

    def disclosure_params(self) -> dict[str, Any]:
        """The ``$disclosures`` / ``$agencies`` parameters of the record filter."""
        agencies = list(self.agencies) if self.role is Role.RESTRICTED else []
        return {"disclosures": list(self.disclosures), "agencies": agencies}

    def can(self, role: Role) -> bool:
        """True when this caller has ``role`` or a stronger one."""
        order = [Role.PUBLIC, Role.INVESTIGATOR, Role.RESTRICTED, Role.ADMIN]
        return order.index(self.role) >= order.index(role)


ANONYMOUS = Principal()
