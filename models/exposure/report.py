"""Build a supplier-network exposure report for one firm (docs/exposure.md)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver

from riskgraph.graph.errors import BadInput
from riskgraph.models.disclosure import EVERYONE, Audience
from riskgraph.models.exposure.facts import gather
from riskgraph.models.exposure.index import (
    DEFAULT_DECAY,
    Reason,
    hhi,
    normaliser,
    reasons_of,
    risk_weight,
    tier_factor,
)
from riskgraph.models.exposure.network import SupplyNetwork, walk
from riskgraph.models.exposure.paths import SupplyPath, simple_paths

PATHS_SHOWN = 5
"""Paths listed per supplier (the strongest by value share); all of them count in the index."""


@dataclass
class SupplierExposure:
    uscc: str
    name: str
    status: str
    tier: int
    """Shortest number of hops from the focal firm."""
    value_share: float
    """Sum of the value shares of all its paths."""
    path_count: int
    paths: list[SupplyPath]
    risk_weight: float
    exposure: float
    """Its contribution to the exposure index (index points)."""
    reasons: list[Reason]
    assessment: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "uscc": self.uscc, "name": self.name, "status": self.status, "tier": self.tier,
            "value_share": self.value_share, "path_count": self.path_count,
            "paths": [{"firms": list(p.firms), "hops": p.length, "value_share": p.share}
                      for p in self.paths],
            "risk_weight": self.risk_weight, "exposure": self.exposure,
            "reasons": [{"code": r.code, "weight": r.weight, "text": r.text,
                         "evidence": r.evidence} for r in self.reasons],
            "assessment": self.assessment,
        }


@dataclass
class ExposureReport:
    firm: dict[str, str]
    direction: str
    tiers: int
    decay: float
    as_of: str
    exposure_index: float
    concentration_hhi: float
    supplier_count: int
    path_count: int
    counts_by_tier: dict[int, int]
    counts_by_reason: dict[str, int]
    risky_value_share_tier1: float
    suppliers: list[SupplierExposure]
    network: SupplyNetwork = field(repr=False)
    disclosure: str = EVERYONE.marking()
    """Whom the texts were written for (models.disclosure.Audience.marking)."""

    @property
    def risky(self) -> list[SupplierExposure]:
        return [s for s in self.suppliers if s.reasons]

    def to_dict(self) -> dict[str, Any]:
        return {
            "disclosure": self.disclosure,
            "firm": self.firm, "direction": self.direction, "tiers": self.tiers,
            "decay": self.decay, "as_of": self.as_of, "exposure_index": self.exposure_index,
            "concentration_hhi": self.concentration_hhi, "supplier_count": self.supplier_count,
            "path_count": self.path_count,
            "counts_by_tier": {str(k): v for k, v in sorted(self.counts_by_tier.items())},
            "counts_by_reason": self.counts_by_reason,
            "risky_value_share_tier1": self.risky_value_share_tier1,
            "suppliers": [s.to_dict() for s in self.suppliers],
            "links": [{"near": near, "far": far, "annual_value": value,
                       "share": self.network.share(near, far)}
                      for near, fars in sorted(self.network.links.items())
                      for far, value in sorted(fars.items())],
        }


def build_report(driver: Driver, uscc: str, tiers: int = 3, downstream: bool = False,
                 as_of: dt.date | None = None, decay: float = DEFAULT_DECAY,
                 database: str | None = None, audience: Audience = EVERYONE) -> ExposureReport:
    """The exposure report of firm ``uscc``, its texts written for ``audience``: BadInput /
    NotFound for a bad or unknown USCC."""
    if not 0.0 < decay <= 1.0:
        raise BadInput(f"decay must be in (0, 1], got {decay}")
    net = walk(driver, uscc, tiers, downstream, as_of, database)
    return assemble(net, driver, decay, database, audience)


def assemble(net: SupplyNetwork, driver: Driver, decay: float = DEFAULT_DECAY,
             database: str | None = None, audience: Audience = EVERYONE) -> ExposureReport:
    """Score a walked network: paths, facts, reasons, weights and the index (every record
    weighs; the reasons' texts name only what ``audience`` may see)."""
    paths = simple_paths(net)
    usccs = sorted(net.tier)
    facts = gather(driver, usccs, net.as_of, database)
    norm = normaliser(net.tiers, decay)
    suppliers: list[SupplierExposure] = []
    for u in usccs:
        reasons = reasons_of(facts[u], audience)
        weight = risk_weight(reasons)
        mine = paths.get(u, [])
        exposure = 100.0 * weight * sum(p.share * tier_factor(p.length, decay)
                                        for p in mine) / norm
        firm = net.firms[u]
        suppliers.append(SupplierExposure(
            u, firm.name, firm.status, net.tier[u], sum(p.share for p in mine), len(mine),
            mine[:PATHS_SHOWN], weight, exposure, reasons, facts[u].assessment))
    suppliers.sort(key=lambda s: (-s.exposure, -s.value_share, s.tier, s.uscc))
    tier1 = [net.share(net.focal.uscc, far) for far in net.links.get(net.focal.uscc, {})]
    reasons_count: Counter[str] = Counter(r.code for s in suppliers for r in s.reasons)
    return ExposureReport(
        firm={"uscc": net.focal.uscc, "name": net.focal.name, "status": net.focal.status},
        direction=net.direction, tiers=net.tiers, decay=decay, as_of=net.as_of.isoformat(),
        exposure_index=sum(s.exposure for s in suppliers), concentration_hhi=hhi(tier1),
        supplier_count=len(suppliers), path_count=sum(len(v) for v in paths.values()),
        counts_by_tier=dict(Counter(s.tier for s in suppliers)),
        counts_by_reason=dict(sorted(reasons_count.items())),
        risky_value_share_tier1=sum(net.share(net.focal.uscc, s.uscc) for s in suppliers
                                    if s.tier == 1 and s.reasons),
        suppliers=suppliers, network=net, disclosure=audience.marking())
