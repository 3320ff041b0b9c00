"""Features through supply chains: value-weighted supplier risk, decaying per tier."""

from __future__ import annotations

from riskgraph.models.risk.features.context import FeatureContext, FloatArray
from riskgraph.models.risk.features.counts import (
    Network,
    suppliers,
)
from riskgraph.models.risk.features.registry import feature

TIER_DECAY = 0.5
TIERS = 3


def _exposure(ctx: FeatureContext, signal: FloatArray) -> FloatArray:
    """sum over tiers k = 1..3 of decay^(k-1) · (W^k · signal), W the value-share matrix."""
    w = ctx.supply_weights
    level, total, weight = signal, 0.0 * signal, 1.0
    for _ in range(TIERS):
        level = w @ level
        total = total + weight * level
        weight *= TIER_DECAY
    return total


@feature("supply", counts=Network(suppliers, "risky"))
def supplier_risk_exposure(ctx: FeatureContext) -> FloatArray:
    """Its supply chain reaches blacklisted or seriously non-compliant suppliers.

    Share of supply value (current ``SUPPLIES``) from suppliers that are blacklisted or had a
    serious violation in three years, plus half that share one tier up and a quarter two tiers
    up."""
    return _exposure(ctx, ctx.risky.astype(float))


@feature("supply", counts=Network(suppliers, "penalised_3y"))
def supplier_penalty_exposure(ctx: FeatureContext) -> FloatArray:
    """Its suppliers are often penalised.

    Value-weighted share of suppliers with an administrative penalty in three years, decaying
    by half per tier (three tiers)."""
    return _exposure(ctx, ctx.penalised_3y.astype(float))
