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

from riskgraph.graph.errors import BadInput

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


BID_VERDICT = ("tender_id", "bid_id", "uscc", "role", "consortium")
"""What a cartel screen's blacklisted bid keeps when its record is withheld: the verdict."""


def cartel_report_for(doc: Mapping[str, Any], readers: Audience,
                      named: set[str]) -> dict[str, Any]:
    """A cartel screen's JSON (``CartelReport.to_dict()``) written for ``readers``: a
    blacklisted bid whose record they may not see keeps its verdict with the record withheld,
    and a group names only the blacklisted members in ``named`` (those with a listing the
    readers may see; the group's score still counts every listing)."""
    bids = [dict(b) if readers.may_see(b)
            else {**{k: b[k] for k in BID_VERDICT if k in b}, "record": WITHHELD}
            for b in doc["blacklisted_bids"]]
    groups = [{**g, "blacklisted_members": [m for m in g["blacklisted_members"] if m in named]}
              for g in doc["groups"]]
    return {"disclosure": readers.marking(), **doc, "groups": groups, "blacklisted_bids": bids}
