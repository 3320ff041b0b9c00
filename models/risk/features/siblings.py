"""Features through registry links: firms (licences) sharing a licence holder, a legal name, an
address or a phone, and how their inspections went.

Point in time like every feature: a link counts only while in force at the as-of date (its
``since`` on or before, its ``until`` after), a sibling only while alive, and an inspection only
if dated on or before the as-of date (models/risk/features/context.py).
"""

from __future__ import annotations

import numpy as np

from riskgraph.models.risk.features.context import FeatureContext, FloatArray, dense
from riskgraph.models.risk.features.counts import (
    NO_RECORDS,
)
from riskgraph.models.risk.features.registry import feature


@feature("group", counts=NO_RECORDS)
def holder_siblings(ctx: FeatureContext) -> FloatArray:
    """Its licence holder holds many other licences.

    log10(1 + number of other live firms held by the same licence holder / account
    (``HELD_BY``))."""
    return np.log10(1.0 + dense(ctx.holder_siblings.sum(axis=1)))


@feature("group", counts=NO_RECORDS)
def legal_name_siblings(ctx: FeatureContext) -> FloatArray:
    """Other firms trade under the same legal name.

    log10(1 + number of other live firms whose normalised legal name (``HAS_LEGAL_NAME``,
    legal-form suffixes removed) is the same)."""
    return np.log10(1.0 + dense(ctx.name_siblings.sum(axis=1)))


@feature("group", counts=NO_RECORDS)
def sibling_violations_3y(ctx: FeatureContext) -> FloatArray:
    """Firms sharing its holder, legal name, address or phone failed inspections recently.

    log10(1 + inspections that found a violation in the last three years, summed over the live
    firms that share a licence holder, a legal name, a registered address or a contact point
    with it)."""
    return np.log10(1.0 + dense(ctx.siblings @ ctx.inspection_violations_3y))


@feature("group", counts=NO_RECORDS)
def sibling_violation_rate_3y(ctx: FeatureContext) -> FloatArray:
    """Inspections of firms sharing its holder, legal name, address or phone find violations.

    Over the live firms sharing a licence holder, a legal name, a registered address or a
    contact point: violations found / inspections in the last three years, shrunk towards 0
    with one pseudo-inspection (0 with no inspected sibling)."""
    found = dense(ctx.siblings @ ctx.inspection_violations_3y)
    done = dense(ctx.siblings @ ctx.inspections_3y)
    return found / (done + 1.0)


@feature("group", counts=NO_RECORDS)
def holder_violation_rate_3y(ctx: FeatureContext) -> FloatArray:
    """Inspections of the other licences of its holder often find violations.

    Over the other live firms of the same licence holder: violations found / inspections in
    the last three years, shrunk towards 0 with one pseudo-inspection."""
    found = dense(ctx.holder_siblings @ ctx.inspection_violations_3y)
    done = dense(ctx.holder_siblings @ ctx.inspections_3y)
    return found / (done + 1.0)


@feature("group", counts=NO_RECORDS)
def sibling_serious_rate_3y(ctx: FeatureContext) -> FloatArray:
    """Serious violations are found at firms sharing its holder, legal name, address or phone.

    Over the live firms sharing a licence holder, a legal name, a registered address or a
    contact point: serious violations found / inspections in the last three years, shrunk
    towards 0 with one pseudo-inspection (0 with no inspected sibling)."""
    found = dense(ctx.siblings @ ctx.inspection_serious_3y)
    done = dense(ctx.siblings @ ctx.inspections_3y)
    return found / (done + 1.0)
