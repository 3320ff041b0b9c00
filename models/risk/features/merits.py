"""Soft merits: redlists, honours, donations, volunteering, political links.

Excluded from the inspection model by default (``soft=True``): in the Zhejiang research these
raise scores of politically connected firms with no better compliance, and the synthetic world
reproduces that (docs/world.md: merits are *favoured* and barely related to propensity).
"""

from __future__ import annotations

import numpy as np

from riskgraph.graph.snapshot import CONTROLLER, LR
from riskgraph.models.risk.features.context import YEAR, FeatureContext, FloatArray, kind_code
from riskgraph.models.risk.features.counts import (
    ACTIVE,
    NO_RECORDS,
    Y3,
    Own,
    all_of,
    kind,
)
from riskgraph.models.risk.features.registry import feature


@feature("merits", scope="own", soft=True, counts=Own(all_of(kind("redlist"), ACTIVE)))
def redlisted_active(ctx: FeatureContext) -> FloatArray:
    """Currently on a redlist.

    1 when a ``redlist`` inclusion is in force."""
    return (ctx.count(ctx.kind_is(kind_code("redlist")) & ctx.rec_active) > 0).astype(float)


@feature("merits", scope="own", soft=True, counts=Own(all_of(kind("honors_and_awards"), Y3)))
def honours_3y(ctx: FeatureContext) -> FloatArray:
    """Government honours and awards in the last three years.

    Count of ``honors_and_awards`` records of the last three years."""
    return ctx.count(ctx.kind_is(kind_code("honors_and_awards")) & ctx.within(3 * YEAR))


@feature("merits", scope="own", soft=True,
         counts=Own(all_of(kind("donations", "volunteer_service"), Y3)))
def donations_3y(ctx: FeatureContext) -> FloatArray:
    """Recorded donations and volunteering in the last three years.

    Count of ``donations`` and ``volunteer_service`` records of the last three years."""
    sel = ctx.kind_is(kind_code("donations", "volunteer_service")) & ctx.within(3 * YEAR)
    return ctx.count(sel)


@feature("merits", soft=True, counts=NO_RECORDS)
def politically_connected(ctx: FeatureContext) -> FloatArray:
    """Legal representative or controller holds or held a political post.

    1 when the current legal representative or actual controller has
    ``political_connection = true`` (on any record of the same resolved person)."""
    s = ctx.snap
    political = np.zeros(ctx.n_people, dtype=bool)  # resolved: any record of the person
    political[ctx.person_of[s.political]] = True
    ok = ctx.key_roles & np.isin(s.role_type, (LR, CONTROLLER)) & political[ctx.role_person]
    out = np.zeros(ctx.n)
    out[s.role_firm[ok]] = 1.0
    return out
