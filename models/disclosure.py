"""Who a report is written for: the credit records its text may name.

Screens and reports compute their verdicts from every record (an agency tool must), but build
their *text and evidence* only from the records their audience may see, so nothing needs to be
removed from a finished text afterwards (issue 14). The roles are the API's
(docs/api-security.md); the CLI's reports take ``--role`` (default ``public``: a printed report
may leave the agency).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.errors import BadInput

CLASSES: dict[str, tuple[str, ...]] = {
    "public": ("public",),
    "investigator": ("public", "agency_shared"),
    "restricted": ("public", "agency_shared"),  # + restricted records of its agencies
    "admin": ("public", "agency_shared", "restricted"),
}
WITHHELD = "withheld: a record your role may not see"


@dataclass(frozen=True)
class Audience:
    """A role's disclosure classes, and for ``restricted`` its agencies."""

    role: str = "public"
    disclosures: tuple[str, ...] = ("public",)
    agencies: tuple[str, ...] = field(default_factory=tuple)

    def may_see(self, row: Mapping[str, Any]) -> bool:
        """Whether a record row (with ``disclosure`` and ``agency``) may be named."""
        disclosure = row.get("disclosure")
        if disclosure in self.disclosures:
            return True
        return disclosure == "restricted" and row.get("agency") in self.agencies

    def marking(self) -> str:
        """The disclosure line printed on a report written for this audience."""
        agencies = f" of {', '.join(self.agencies)}" if self.agencies else ""
        hidden = [c for c in ("public", "agency_shared", "restricted")
                  if c not in self.disclosures]
        shown = ", ".join(self.disclosures) + (f", restricted{agencies}"
                                               if self.role == "restricted" else "")
        tail = (f"; records disclosed as {' or '.join(hidden)} are withheld"
                if hidden else "")
        return f"Disclosure: written for role {self.role} (records disclosed as {shown}){tail}."


EVERYONE = Audience("admin", CLASSES["admin"])
"""Every record (the admin role): for internal computations, never a printed default."""


def audience(role: str, agencies: tuple[str, ...] | list[str] = ()) -> Audience:
    """The audience of ``role`` (BadInput for an unknown role, or agencies on another role)."""
    if role not in CLASSES:
        raise BadInput(f"unknown role {role!r}; roles: {', '.join(CLASSES)}")
    if agencies and role != "restricted":
        raise BadInput("--agency is only for the restricted role")
    if role == "restricted" and not agencies:
        raise BadInput("the restricted role needs at least one --agency")
    return Audience(role, CLASSES[role], tuple(agencies))
