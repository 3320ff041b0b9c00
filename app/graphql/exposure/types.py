"""The result types of the supplier-network exposure report and the bid screen."""

from __future__ import annotations

import strawberry


@strawberry.type(description="A firm's supplier-network exposure report (docs/exposure.md).")
class ExposureReport:
    uscc: str
    name: str
    direction: str
    tiers: int
    exposure_index: float = strawberry.field(description="0-100, value-weighted, decaying")
    concentration_hhi: float
    supplier_count: int
    path_count: int
    counts_by_reason: strawberry.scalars.JSON
    suppliers: strawberry.scalars.JSON = strawberry.field(
        description="Per supplier: tier, paths, value share, risk weight, reasons, evidence")


@strawberry.type(description="Whether any party of a (proposed) bid is barred, with evidence.")
class BidScreenResult:
    tender_id: str
    bid_id: str | None
    as_of: str
    barred: bool
    parties: strawberry.scalars.JSON
