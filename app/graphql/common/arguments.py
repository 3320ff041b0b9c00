"""Described arguments shared by the root fields (``Annotated`` aliases), so each common
argument reads the same in every field's documentation."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry

from riskgraph.app.graphql.common.enums import RiskTier


def about(description: str, deprecated: str | None = None) -> Any:
    """``strawberry.argument(description=..., deprecation_reason=...)``."""
    return strawberry.argument(description=description, deprecation_reason=deprecated)


First = Annotated[int | None, about("Page forwards: the first N items (after `after`).")]
After = Annotated[str | None, about("Items after this cursor (a page's `endCursor`).")]
Last = Annotated[int | None, about("Page backwards: the last N items (before `before`).")]
Before = Annotated[str | None, about("Items before this cursor (a page's `startCursor`).")]
Uscc = Annotated[str, about("The firm's identifier: a bare 18-character USCC, `lei:<LEI>` "
                            "or `<namespace>:<registry id>`.")]
AsOf = Annotated[dt.date | None, about("Answer as of this day (default: the graph's data "
                                       "date).")]
RunId = Annotated[str | None, about("The ranking run (default: the latest).")]
OldTiers = Annotated[list[str] | None, about(
    "Only firms of these tiers, as text (low, average, high, critical).",
    "Use riskTiers (enums); removed in 0.3.")]
RiskTiers = Annotated[list[RiskTier] | None, about("Only firms of these risk tiers.")]


def tier_values(tiers: list[str] | None, risk_tiers: list[RiskTier] | None) -> list[str] | None:
    """The tiers asked for, by either spelling (the enums win when both are given)."""
    return tiers if risk_tiers is None else [str(t.value) for t in risk_tiers]
