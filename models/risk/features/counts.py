"""What a feature counts, declared on its ``@feature(..., counts=...)``: the one source the
explanation cites from (models/risk/counted.py), so a reason never points at a record the
feature left out.

* :class:`Own` — an own-record feature: a mask over the records known at the date
  (``FeatureContext.rec``), the same condition the feature function applies; ``latest`` for a
  recency, which cites the one latest record it is computed from.
* :class:`Network` — a network feature: the firms it looks through (shared people, parent /
  branches / subsidiaries, suppliers up to three tiers, co-bidders, community) and the
  firm-level signal (:data:`SIGNALS`) it counts among them.
* :data:`PERSON_LISTINGS` — the key persons' own listings in force (``key_personnel_listed``).
* :data:`NO_RECORDS` — a feature that counts no record of the firm's file (size, age,
  centrality, shared addresses, tenders, industry rate, phoenix signal …): the explanation shows
  its graph evidence instead.

tests/models/risk/test_feature_counts.py fails on a feature that declares none of these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from riskgraph.graph.snapshot import CONTROLLER, LR
from riskgraph.models.risk.features.context import (
    BLACKLISTS,
    INSPECTIONS,
    PENALTY,
    YEAR,
    BoolArray,
    FeatureContext,
    kind_code,
)

Mask = Callable[[FeatureContext], BoolArray]
Through = Callable[[FeatureContext, int], list[int]]


@dataclass(frozen=True)
class Own:
    """The firm's own records that ``mask`` selects (only the latest one if ``latest``)."""

    mask: Mask
    latest: bool = False


@dataclass(frozen=True)
class Network:
    """The records giving ``signal`` (a key of :data:`SIGNALS`) to the firms ``through``
    finds."""

    through: Through
    signal: str


@dataclass(frozen=True)
class Special:
    """A declaration with its own rule in models/risk/counted.py (named by ``kind``)."""

    kind: str


Counts = Own | Network | Special
PERSON_LISTINGS = Special("person_listings")
NO_RECORDS = Special("no_records")


def kind(*names: str) -> Mask:
    codes = kind_code(*names)
    return lambda c: c.kind_is(codes)


def all_of(*masks: Mask) -> Mask:
    def both(c: FeatureContext) -> BoolArray:
        out = np.ones(len(c.rec("kind")), dtype=bool)
        for m in masks:
            out &= m(c)
        return out
    return both


def within(days: int) -> Mask:
    return lambda c: c.within(days)


def ACTIVE(c: FeatureContext) -> BoolArray:  # noqa: N802 - a mask used like a constant
    return c.rec_active


def NEGATIVE(c: FeatureContext) -> BoolArray:  # noqa: N802 - a mask used like a constant
    return c.rec("negative").astype(bool)


def outcome(test: Callable[[npt.NDArray[np.int8]], BoolArray]) -> Mask:
    return lambda c: test(c.rec("outcome"))


PEN, INSP, BL = (lambda c: c.kind_is(PENALTY)), (lambda c: c.kind_is(INSPECTIONS)), \
    (lambda c: c.kind_is(BLACKLISTS))
Y3, Y1 = within(3 * YEAR), within(YEAR)


def NEGATIVE_RATE_RECORDS(c: FeatureContext) -> BoolArray:  # noqa: N802 - a mask, as above
    """The records ``negative_rate`` counts: negative, not an inspection, last eight years."""
    return NEGATIVE(c) & ~c.kind_is(INSPECTIONS) & c.within(8 * YEAR)


def _serious(c: FeatureContext) -> BoolArray:
    """The records behind ``ctx.serious_3y``."""
    serious: BoolArray = (c.rec("severity") >= 1) | (c.rec("outcome") == 2)
    return serious & c.within(3 * YEAR)


def _risky(c: FeatureContext) -> BoolArray:
    """The records behind ``ctx.risky``: a blacklisting in force or a serious record of 3 years."""
    return (c.kind_is(BLACKLISTS) & c.rec_active) | _serious(c)


SIGNALS: dict[str, Own] = {
    "blacklisted": Own(all_of(BL, ACTIVE)),
    "risky": Own(_risky),
    "serious": Own(_serious),
    "blacklist_latest": Own(BL, latest=True),
    "penalised_3y": Own(all_of(PEN, Y3)),
    "penalised_1y": Own(all_of(PEN, Y1)),
    "negative_rate": Own(NEGATIVE_RATE_RECORDS),
}
"""A firm-level signal → the records that give a firm that signal (latest only or all)."""


def _row(m: sp.csr_matrix, i: int) -> list[int]:
    return sorted(int(j) for j in m[i].indices)


def linked(c: FeatureContext, i: int) -> list[int]:
    return _row(c.linked, i)


def parents(c: FeatureContext, i: int) -> list[int]:
    return _row(sp.csr_matrix(c.subsidiary_of + c.branch_of), i)


def subsidiaries(c: FeatureContext, i: int) -> list[int]:
    return _row(sp.csr_matrix(c.subsidiary_of.T), i)


def branches(c: FeatureContext, i: int) -> list[int]:
    return _row(sp.csr_matrix(c.branch_of.T), i)


def cobidders(c: FeatureContext, i: int) -> list[int]:
    return _row(c.cobid, i)


def suppliers(c: FeatureContext, i: int) -> list[int]:
    """Suppliers reachable within three tiers of current supplies (excluding the firm)."""
    w = c.supply_weights
    seen: set[int] = set()
    frontier = {i}
    for _ in range(3):
        nxt = {int(j) for f in frontier for j in w[f].indices}
        frontier = nxt - seen
        seen |= nxt
    seen.discard(i)
    return sorted(seen)


def community(c: FeatureContext, i: int) -> list[int]:
    _, label = connected_components(c.strong_ties, directed=False)
    members = np.nonzero((label == label[i]) & c.existed)[0]
    return [int(j) for j in members if j != i]


def other_firms_of(role: int) -> Through:
    """The firms behind ``other_firms_rate(role)``: for the current holder of ``role`` whose
    value is highest, the firms of all their current key roles, one occurrence of this firm
    taken out. The feature counts roles, not firms, so a person holding two roles here leaves
    this firm in the list (its own records then count as another firm's); the evidence says
    so rather than hide it."""
    def firms(c: FeatureContext, i: int) -> list[int]:
        s = c.snap
        cur = c.key_roles
        rate = c.negative_rate
        best: list[int] = []
        best_value = 0.0
        holder = c.role_person
        for p in sorted(set(holder[cur & (s.role_type == role) & (s.role_firm == i)])):
            held = sorted(int(f) for f in s.role_firm[cur & (holder == p)])
            held.remove(i)
            if not held:
                continue
            value = float(np.mean(rate[held]))
            if value > best_value or not best:
                best, best_value = held, value
        return best
    return firms


LEGAL_REP_FIRMS, CONTROLLER_FIRMS = other_firms_of(LR), other_firms_of(CONTROLLER)
