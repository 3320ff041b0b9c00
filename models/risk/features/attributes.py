"""Features from the firm's registration: size, age, structure."""

from __future__ import annotations

import numpy as np

from riskgraph.models.risk.features.context import YEAR, FeatureContext, FloatArray
from riskgraph.models.risk.features.counts import (
    NO_RECORDS,
)
from riskgraph.models.risk.features.registry import feature


@feature("attributes", scope="own", counts=NO_RECORDS)
def log_employees(ctx: FeatureContext) -> FloatArray:
    """Firm size (employees).

    log10(1 + employees); 0 when unknown. Small firms are less visible, large ones inspected
    more thoroughly."""
    return np.log10(1.0 + np.maximum(ctx.snap.employees, 0.0))


@feature("attributes", scope="own", counts=NO_RECORDS)
def firm_age_years(ctx: FeatureContext) -> FloatArray:
    """Age of the firm.

    Years since founding at the as-of date (0 when the founding date is unknown)."""
    founded = ctx.snap.founded.astype(np.int64)
    return np.where(founded > -500_000, np.maximum(ctx.t - founded, 0) / YEAR, 0.0)


@feature("attributes", scope="own", counts=NO_RECORDS)
def young_firm(ctx: FeatureContext) -> FloatArray:
    """A young firm (under three years old).

    1 when founded less than three years before the as-of date."""
    founded = ctx.snap.founded.astype(np.int64)
    return ((founded > -500_000) & (ctx.t - founded < 3 * YEAR)).astype(np.float64)


@feature("attributes", counts=NO_RECORDS)
def is_branch(ctx: FeatureContext) -> FloatArray:
    """A branch of another company.

    1 when the firm has a ``BRANCH_OF`` link in force."""
    return (np.asarray(ctx.branch_of.sum(axis=1)).ravel() > 0).astype(np.float64)
