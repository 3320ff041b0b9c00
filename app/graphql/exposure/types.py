"""The result types of the supplier-network exposure report and the bid screen."""

from __future__ import annotations

import strawberry


@strawberry.type(description="A firm's supplier-network exposure report (docs/exposure.md).")
class ExposureReport:
    uscc: str = strawberry.field(description="The firm's identifier.")
    name: str = strawberry.field(description="The firm's name.")
    direction: str = strawberry.field(description="upstream (suppliers) or downstream (customers).")
    tiers: int = strawberry.field(description="Supply tiers walked.")
    exposure_index: float = strawberry.field(description="0-100, value-weighted, decaying")
    concentration_hhi: float = strawberry.field(
        description="Herfindahl index of the first-tier value shares, 0 to 1.")
    supplier_count: int = strawberry.field(description="Suppliers reached.")
    path_count: int = strawberry.field(description="Supply paths walked.")
    counts_by_reason: strawberry.scalars.JSON = strawberry.field(
        description="Risky suppliers per reason (JSON).")
    suppliers: strawberry.scalars.JSON = strawberry.field(
        description="Per supplier: tier, paths, value share, risk weight, reasons, evidence")


@strawberry.type(description="Whether any party of a (proposed) bid is barred, with evidence.")
class BidScreenResult:
    tender_id: str = strawberry.field(description="The tender.")
    bid_id: str | None = strawberry.field(description="The bid screened, if existing.")
    as_of: str = strawberry.field(description="ISO date of the tender (bans in force then count).")
    barred: bool = strawberry.field(description="Whether any party is barred.")
    parties: strawberry.scalars.JSON = strawberry.field(
        description="Each party with its bans and evidence (JSON).")
