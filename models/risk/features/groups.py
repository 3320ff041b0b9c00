"""Features through corporate groups: parent, subsidiaries, head office and branches."""

from __future__ import annotations

import numpy as np

from riskgraph.models.risk.features.context import FeatureContext, FloatArray, dense
from riskgraph.models.risk.features.counts import (
    Network,
    branches,
    parents,
    subsidiaries,
)
from riskgraph.models.risk.features.registry import feature

ROLLUP_BRANCHES = 5
"""The 2019 draft rule: a parent is flagged when five or more outlets are penalised in a year."""


@feature("group", counts=Network(parents, "penalised_3y"))
def parent_penalties_3y(ctx: FeatureContext) -> FloatArray:
    """Its parent company or head office was penalised.

    Administrative penalties of the last three years of the firm's parent (``SUBSIDIARY_OF``)
    and head office (``BRANCH_OF``), log10(1 + count)."""
    up = ctx.subsidiary_of + ctx.branch_of
    return dense(np.log10(1.0 + up @ ctx.penalty_count_3y))


@feature("group", counts=Network(parents, "risky"))
def parent_blacklisted(ctx: FeatureContext) -> FloatArray:
    """Its parent company or head office is blacklisted or seriously non-compliant.

    1 when the parent or head office is currently blacklisted or had a serious violation in the
    last three years."""
    up = ctx.subsidiary_of + ctx.branch_of
    return dense(((up @ ctx.risky.astype(np.float64)) > 0).astype(np.float64))


@feature("group", counts=Network(subsidiaries, "penalised_3y"))
def subsidiaries_penalised(ctx: FeatureContext) -> FloatArray:
    """Its subsidiaries are penalised.

    Number of direct subsidiaries with an administrative penalty in the last three years."""
    return dense(ctx.subsidiary_of.T @ ctx.penalised_3y.astype(np.float64))


@feature("group", counts=Network(branches, "penalised_1y"))
def branches_penalised_1y(ctx: FeatureContext) -> FloatArray:
    """Its branches were penalised in the last year.

    Number of branches with an administrative penalty in the last 12 months."""
    return dense(ctx.branch_of.T @ ctx.penalised_1y.astype(np.float64))


@feature("group", counts=Network(branches, "penalised_1y"))
def branch_rollup(ctx: FeatureContext) -> FloatArray:
    """Five or more of its branches were penalised within one year.

    1 when at least five branches have an administrative penalty in the last 12 months (the
    2019 draft roll-up rule for chains)."""
    return (branches_penalised_1y(ctx) >= ROLLUP_BRANCHES).astype(np.float64)


@feature("group", counts=Network(parents, "negative_rate"))
def parent_negative_rate(ctx: FeatureContext) -> FloatArray:
    """Its parent company or head office has many negative records.

    Yearly rate of negative records of the parent (``SUBSIDIARY_OF``) or head office
    (``BRANCH_OF``)."""
    up = ctx.subsidiary_of + ctx.branch_of
    return dense(up @ ctx.negative_rate)
