"""Features through public procurement: co-bidders' records and repeated co-bidding."""

from __future__ import annotations

import numpy as np

from riskgraph.models.risk.features.context import FeatureContext, FloatArray, dense
from riskgraph.models.risk.features.counts import (
    NO_RECORDS,
    Network,
    cobidders,
)
from riskgraph.models.risk.features.registry import feature
from riskgraph.models.screens.cartel_feature import cobid_rotation as rotation


def _cobidders(ctx: FeatureContext) -> FloatArray:
    c = ctx.cobid
    return dense(np.diff(c.indptr))


@feature("bidding", counts=Network(cobidders, "risky"))
def cobidders_risky(ctx: FeatureContext) -> FloatArray:
    """It bids in tenders alongside blacklisted or seriously non-compliant firms.

    Number of firms that bid in the same tenders (deadline passed by the as-of date) and are
    blacklisted or had a serious violation in three years."""
    b = ctx.cobid.copy()
    b.data[:] = 1.0
    return dense(b @ ctx.risky.astype(np.float64))


@feature("bidding", counts=Network(cobidders, "penalised_3y"))
def cobidders_penalised_share(ctx: FeatureContext) -> FloatArray:
    """Its co-bidders are often penalised.

    Share of its co-bidders with an administrative penalty in three years (0 without tenders)."""
    b = ctx.cobid.copy()
    b.data[:] = 1.0
    n = _cobidders(ctx)
    return dense(np.where(n > 0, (b @ ctx.penalised_3y.astype(np.float64)) / np.maximum(n, 1), 0.0))


@feature("bidding", counts=NO_RECORDS)
def cobid_max_repeat(ctx: FeatureContext) -> FloatArray:
    """It keeps meeting the same competitor in tenders.

    Largest number of tenders shared with any single other bidder (a rotation-cartel signal)."""
    c = ctx.cobid
    if c.nnz == 0:
        return np.zeros(ctx.n)
    return np.asarray(c.max(axis=1).todense()).ravel().astype(np.float64)


@feature("bidding", counts=NO_RECORDS)
def tenders_3y(ctx: FeatureContext) -> FloatArray:
    """Active in public procurement.

    log10(1 + number of tenders it bid in whose deadline passed by the as-of date)."""
    return dense(np.log10(1.0 + np.diff(ctx.firm_tender.indptr)))


@feature("bidding", counts=NO_RECORDS)
def cobid_rotation(ctx: FeatureContext) -> FloatArray:
    """It bids repeatedly against the same firms, and they take turns to win.

    The collusion screen as a feature (models/screens/cartel_feature.py): its co-bidding group's
    members' share of wins × evenness of the wins (0..1), over tenders whose deadline passed by
    the as-of date; 0 outside a group with at least four group tenders."""
    return rotation(ctx)
