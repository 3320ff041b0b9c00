"""Features through people: key persons' own lists, and firms that share them."""

from __future__ import annotations

import numpy as np

from riskgraph.graph.snapshot import CONTROLLER, LR
from riskgraph.models.risk.features.context import FeatureContext, FloatArray, dense
from riskgraph.models.risk.features.counts import (
    CONTROLLER_FIRMS,
    LEGAL_REP_FIRMS,
    NO_RECORDS,
    PERSON_LISTINGS,
    Network,
    linked,
)
from riskgraph.models.risk.features.registry import feature


@feature("people", counts=PERSON_LISTINGS)
def key_personnel_listed(ctx: FeatureContext) -> FloatArray:
    """A key person is on a dishonest-person or unsatisfied-judgment list.

    Number of current legal representatives, directors, supervisors and controllers with a
    ``dishonest_person_list`` or ``person_judgment_unsatisfied`` listing in force (on any record
    resolved to the same person)."""
    s = ctx.snap
    ok = ctx.key_roles & ctx.person_listed[ctx.role_person]
    return np.bincount(s.role_firm[ok], minlength=ctx.n).astype(np.float64)


@feature("people", counts=NO_RECORDS)
def linked_firms(ctx: FeatureContext) -> FloatArray:
    """Many firms share its legal representative, directors or controller.

    log10(1 + number of other firms where a current legal representative, director or actual
    controller of this firm also holds one of those roles)."""
    return np.log10(1.0 + ctx.linked_count)


@feature("people", counts=Network(linked, "blacklisted"))
def linked_blacklisted(ctx: FeatureContext) -> FloatArray:
    """Its people also run blacklisted firms.

    Number of firms sharing a legal representative, director or controller that are currently
    blacklisted (serious-dishonest list or procurement ban)."""
    return dense(ctx.linked @ ctx.blacklisted.astype(np.float64))


@feature("people", counts=Network(linked, "risky"))
def linked_blacklisted_share(ctx: FeatureContext) -> FloatArray:
    """A large share of the firms its people run are blacklisted or seriously non-compliant.

    Among firms sharing a legal representative, director or controller: the share currently
    blacklisted or with a serious violation in the last three years (0 with no such firms)."""
    hits = ctx.linked @ ctx.risky.astype(np.float64)
    return np.where(ctx.linked_count > 0, hits / np.maximum(ctx.linked_count, 1.0), 0.0)


@feature("people", counts=Network(linked, "serious"))
def linked_serious_3y(ctx: FeatureContext) -> FloatArray:
    """Firms sharing its people had serious violations recently.

    Number of firms sharing a legal representative, director or controller with a serious
    penalty, listing or inspection finding in the last three years."""
    return dense(ctx.linked @ ctx.serious_3y.astype(np.float64))


@feature("people", counts=Network(linked, "blacklist_latest"))
def linked_blacklist_recency(ctx: FeatureContext) -> FloatArray:
    """Firms sharing its people were blacklisted recently.

    Sum over firms sharing a legal representative, director or controller of
    exp(−days since their latest blacklisting / 730)."""
    return dense(ctx.linked @ ctx.blacklist_recency)


@feature("people", counts=Network(linked, "penalised_3y"))
def linked_penalised_share(ctx: FeatureContext) -> FloatArray:
    """Firms sharing its people are often penalised.

    Among firms sharing a legal representative, director or controller: the share with an
    administrative penalty in the last three years (0 with no such firms)."""
    hits = ctx.linked @ ctx.penalised_3y.astype(np.float64)
    return np.where(ctx.linked_count > 0, hits / np.maximum(ctx.linked_count, 1.0), 0.0)


@feature("people", counts=Network(LEGAL_REP_FIRMS, "negative_rate"))
def legal_rep_other_firms_rate(ctx: FeatureContext) -> FloatArray:
    """Other firms of its legal representative have many negative records.

    Mean yearly rate of negative records of the other firms where the current legal
    representative holds a key role (0 when the person has no other firm)."""
    return ctx.other_firms_rate(LR)


@feature("people", counts=Network(CONTROLLER_FIRMS, "negative_rate"))
def controller_other_firms_rate(ctx: FeatureContext) -> FloatArray:
    """Other firms of its actual controller have many negative records.

    Mean yearly rate of negative records of the other firms where the current actual controller
    holds a key role (0 when none)."""
    return ctx.other_firms_rate(CONTROLLER)


@feature("people", counts=Network(linked, "negative_rate"))
def linked_negative_rate(ctx: FeatureContext) -> FloatArray:
    """Firms sharing its people have many negative records.

    Mean yearly rate of negative records over firms sharing a legal representative, director or
    controller (0 with no such firms)."""
    hits = ctx.linked @ ctx.negative_rate
    return np.where(ctx.linked_count > 0, hits / np.maximum(ctx.linked_count, 1.0), 0.0)
