"""A credit record as the risk engine sees it, and the rules for when a record is in force.

A record counts at an as-of date ``t`` only if it was issued on or before ``t``. It is *active*
(in force) at ``t`` when, in addition:

* list inclusions (``RecordKind.listing``: blacklists, redlists, judgment-debtor lists) have not
  been removed by ``t``;
* every other record is within its publicity period: ``PUBLICITY_DAYS`` (three years, the
  longest publicity period of the 2021 NDRC credit-repair measures for administrative
  penalties) after issue, or until its ``removed_on`` date if that comes first (arrears paid).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from riskgraph.graph.schema import RECORD_KINDS

PUBLICITY_DAYS = 3 * 365
"""How long a non-list record stays in force after issue."""
TAX_ARREARS_THRESHOLD = 50_000.0
"""RMB: tax arrears at or above this cost 11 points on the tax-style grade."""


@dataclass(frozen=True)
class Record:
    """One credit record of a firm (or of one of its key persons)."""

    record_id: str
    kind: str
    issued_on: dt.date
    removed_on: dt.date | None = None
    severity: str | None = None
    amount: float | None = None
    outcome: str | None = None
    stream: str | None = None
    agency: str = ""
    subject: str = ""
    """The firm's USCC, or the person id for a key person's record."""

    @property
    def is_listing(self) -> bool:
        spec = RECORD_KINDS.get(self.kind)
        return bool(spec and spec.listing)

    @property
    def is_violation(self) -> bool:
        """An inspection that found a violation."""
        return self.outcome in ("violation", "serious_violation")

    @property
    def negative(self) -> bool:
        spec = RECORD_KINDS.get(self.kind)
        if self.kind in ("random_inspection", "targeted_inspection"):
            return self.is_violation
        return bool(spec and spec.polarity == "negative")

    def known(self, as_of: dt.date) -> bool:
        return self.issued_on <= as_of

    def active(self, as_of: dt.date) -> bool:
        """In force at ``as_of`` (see the module docstring)."""
        if self.issued_on > as_of:
            return False
        if self.removed_on is not None and self.removed_on <= as_of:
            return False
        if self.is_listing:
            return True
        return (as_of - self.issued_on).days < PUBLICITY_DAYS
