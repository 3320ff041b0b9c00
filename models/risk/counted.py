"""What each feature counted for one firm: the credit records (and the firms they belong to)
behind its value, read from the same snapshot and date the feature was computed on.

An explanation cites exactly these (models/risk/explain.py), so a reason never points at a record
the feature left out (e.g. inspections for ``negative_rate``, which excludes them).
tests/models/risk/test_counted_evidence.py recomputes every feature's value from what is cited
here, on a generated world loaded into the real Neo4j.

* **Own-record features** (``OWN``): a mask over the records known at the date
  (``FeatureContext.rec``), the same condition the feature function applies; recencies cite
  the one latest record they are computed from.
* **Network features** (``NETWORK``): the firms the feature looks through (shared people,
  parent / branches / subsidiaries, suppliers up to three tiers, co-bidders, community) and,
  of those, the records that give them the signal the feature counts (blacklisted now, serious
  violation in three years, penalised, negative-record rate, latest blacklisting).
* ``key_personnel_listed`` cites the key persons' own listings in force.
* Every other feature (size, age, centrality, shared addresses, tenders, industry rate,
  phoenix signal …) counts no record of the firm's file: ``counted`` returns None and the
  explanation shows its graph evidence instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from riskgraph.graph.snapshot import CONTROLLER, LR, Snapshot
from riskgraph.models.risk.features.context import (
    BLACKLISTS,
    INSPECTIONS,
    PENALTY,
    PERSON_LISTS,
    YEAR,
    BoolArray,
    FeatureContext,
    IntArray,
    kind_code,
)
from riskgraph.models.risk.scorecards import active_mask

Mask = Callable[[FeatureContext], BoolArray]


@dataclass
class Counted:
    """Snapshot indices: ``records`` (``rec_*`` rows) the feature counted, ``firms`` it looked
    through (empty for own-record features)."""

    records: list[int] = field(default_factory=list)
    firms: list[int] = field(default_factory=list)
    latest_only: bool = False


def _known(ctx: FeatureContext) -> IntArray:
    """Snapshot indices of the firm records known at t (aligned with ``ctx.rec``)."""
    s = ctx.snap
    return np.nonzero(~s.rec_on_person & (s.rec_issued <= ctx.t))[0]


def _kind(*names: str) -> Mask:
    codes = kind_code(*names)
    return lambda c: c.kind_is(codes)


def _and(*masks: Mask) -> Mask:
    def both(c: FeatureContext) -> BoolArray:
        out = np.ones(len(c.rec("kind")), dtype=bool)
        for m in masks:
            out &= m(c)
        return out
    return both


def _within(days: int) -> Mask:
    return lambda c: c.within(days)


def _active(c: FeatureContext) -> BoolArray:
    return c.rec_active


def _negative(c: FeatureContext) -> BoolArray:
    return c.rec("negative").astype(bool)


def _outcome(test: Callable[[npt.NDArray[np.int8]], BoolArray]) -> Mask:
    return lambda c: test(c.rec("outcome"))


PEN, INSP, BL = (lambda c: c.kind_is(PENALTY)), (lambda c: c.kind_is(INSPECTIONS)), \
    (lambda c: c.kind_is(BLACKLISTS))
Y3, Y1 = _within(3 * YEAR), _within(YEAR)


def _neg_rate_records(c: FeatureContext) -> BoolArray:
    """The records ``negative_rate`` counts: negative, not an inspection, last eight years."""
    return _negative(c) & ~c.kind_is(INSPECTIONS) & c.within(8 * YEAR)


OWN: dict[str, tuple[Mask, bool]] = {
    "penalties_1y": (_and(PEN, Y1), False),
    "penalties_3y": (_and(PEN, Y3), False),
    "serious_penalties_3y": (_and(PEN, Y3, lambda c: c.rec("severity") >= 1), False),
    "penalty_recency": (PEN, True),
    "penalty_amount_3y": (_and(PEN, Y3, lambda c: c.rec("amount") > 0), False),
    "severity_score_3y": (_and(_negative, Y3), False),
    "negative_records_1y": (_and(_negative, Y1), False),
    "tax_arrears_3y": (_and(_kind("tax_unpaid", "abnormal_taxpayer"), Y3), False),
    "large_tax_arrears_active": (_and(_kind("tax_unpaid"), lambda c: c.rec("amount") >= 50_000,
                                      _active), False),
    "social_insurance_arrears_3y": (_and(_kind("social_insurance_unpaid"), Y3), False),
    "utility_arrears_3y": (_and(_kind("utility_unpaid"), Y3), False),
    "abnormal_operations_active": (_and(_kind("abnormal_operations"), _active), False),
    "abnormal_operations_3y": (_and(_kind("abnormal_operations"), Y3), False),
    "judgment_unsatisfied_active": (_and(_kind("judgment_unsatisfied"), _active), False),
    "blacklisted_active": (_and(BL, _active), False),
    "blacklistings_ever": (BL, False),
    "inspections_3y": (_and(INSP, Y3), False),
    "inspection_violations_3y": (_and(INSP, Y3, _outcome(lambda o: o >= 1)), False),
    "inspection_serious_3y": (_and(INSP, Y3, _outcome(lambda o: o == 2)), False),
    "clean_inspections_3y": (_and(INSP, Y3, _outcome(lambda o: o == 0)), False),
    "violation_recency": (_and(INSP, _outcome(lambda o: o >= 1)), True),
    "years_since_last_inspection": (_and(INSP, _outcome(lambda o: o >= 0)), True),
    "failed_inspections_ever": (_and(INSP, _outcome(lambda o: o >= 1)), False),
    "serious_violation_recency": (_and(INSP, _outcome(lambda o: o == 2)), True),
    "negative_rate": (_neg_rate_records, False),
    "redlisted_active": (_and(_kind("redlist"), _active), False),
    "honours_3y": (_and(_kind("honors_and_awards"), Y3), False),
    "donations_3y": (_and(_kind("donations", "volunteer_service"), Y3), False),
}
"""Own-record feature → (mask of the records it counts, cites only the latest one)."""


def _serious(c: FeatureContext) -> BoolArray:
    """The records behind ``ctx.serious_3y``."""
    serious: BoolArray = (c.rec("severity") >= 1) | (c.rec("outcome") == 2)
    return serious & c.within(3 * YEAR)


def _risky(c: FeatureContext) -> BoolArray:
    """The records behind ``ctx.risky``: a blacklisting in force or a serious record of 3 years."""
    return (c.kind_is(BLACKLISTS) & c.rec_active) | _serious(c)


SIGNALS: dict[str, tuple[Mask, bool]] = {
    "blacklisted": (_and(BL, _active), False),
    "risky": (_risky, False),
    "serious": (_serious, False),
    "blacklist_latest": (BL, True),
    "penalised_3y": (_and(PEN, Y3), False),
    "penalised_1y": (_and(PEN, Y1), False),
    "negative_rate": (_neg_rate_records, False),
}
"""A firm-level signal → (mask of the records that give a firm that signal, latest only)."""


def _row(m: sp.csr_matrix, i: int) -> list[int]:
    return sorted(int(j) for j in m[i].indices)


def _linked(c: FeatureContext, i: int) -> list[int]:
    return _row(c.linked, i)


def _up(c: FeatureContext, i: int) -> list[int]:
    return _row(sp.csr_matrix(c.subsidiary_of + c.branch_of), i)


def _subsidiaries(c: FeatureContext, i: int) -> list[int]:
    return _row(sp.csr_matrix(c.subsidiary_of.T), i)


def _branches(c: FeatureContext, i: int) -> list[int]:
    return _row(sp.csr_matrix(c.branch_of.T), i)


def _cobidders(c: FeatureContext, i: int) -> list[int]:
    return _row(c.cobid, i)


def _suppliers(c: FeatureContext, i: int) -> list[int]:
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


def _community(c: FeatureContext, i: int) -> list[int]:
    _, label = connected_components(c.strong_ties, directed=False)
    members = np.nonzero((label == label[i]) & c.existed)[0]
    return [int(j) for j in members if j != i]


def _other_firms_of(role: int) -> Callable[[FeatureContext, int], list[int]]:
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


NETWORK: dict[str, tuple[Callable[[FeatureContext, int], list[int]], str]] = {
    "linked_blacklisted": (_linked, "blacklisted"),
    "linked_blacklisted_share": (_linked, "risky"),
    "linked_serious_3y": (_linked, "serious"),
    "linked_blacklist_recency": (_linked, "blacklist_latest"),
    "linked_penalised_share": (_linked, "penalised_3y"),
    "linked_negative_rate": (_linked, "negative_rate"),
    "legal_rep_other_firms_rate": (_other_firms_of(LR), "negative_rate"),
    "controller_other_firms_rate": (_other_firms_of(CONTROLLER), "negative_rate"),
    "parent_penalties_3y": (_up, "penalised_3y"),
    "parent_blacklisted": (_up, "risky"),
    "parent_negative_rate": (_up, "negative_rate"),
    "subsidiaries_penalised": (_subsidiaries, "penalised_3y"),
    "branches_penalised_1y": (_branches, "penalised_1y"),
    "branch_rollup": (_branches, "penalised_1y"),
    "supplier_risk_exposure": (_suppliers, "risky"),
    "supplier_penalty_exposure": (_suppliers, "penalised_3y"),
    "cobidders_risky": (_cobidders, "risky"),
    "cobidders_penalised_share": (_cobidders, "penalised_3y"),
    "community_violation_rate": (_community, "penalised_3y"),
}
"""Network feature → (the firms it looks through, the signal it counts among them)."""


def _cache(ctx: FeatureContext) -> dict[str, Any]:
    """Per-context memo (masks over every known record, the by-firm index): built once, so an
    explanation costs work proportional to the firm's records, not the whole snapshot's."""
    memo: dict[str, Any] | None = ctx.__dict__.get("_counted_memo")
    if memo is None:
        known = _known(ctx)
        subj = ctx.rec("subject").astype(np.int64)
        order = np.argsort(subj, kind="stable")
        memo = {"known": known, "order": order, "starts": np.searchsorted(
            subj[order], np.arange(ctx.n + 1))}
        ctx.__dict__["_counted_memo"] = memo
    return memo


def _mask(ctx: FeatureContext, key: str, mask: Mask) -> BoolArray:
    memo = _cache(ctx)
    if key not in memo:
        memo[key] = mask(ctx)
    out: BoolArray = memo[key]
    return out


def _records_of(ctx: FeatureContext, mask: BoolArray, firms: list[int], latest: bool
                ) -> list[int]:
    """Snapshot record indices of ``firms`` matching ``mask`` (each firm's latest if asked)."""
    memo = _cache(ctx)
    order, starts, known = memo["order"], memo["starts"], memo["known"]
    rows = np.concatenate([order[starts[f]:starts[f + 1]] for f in sorted(set(firms))]
                          or [np.zeros(0, dtype=np.int64)])
    idx = known[rows[mask[rows]]]
    if latest:
        s = ctx.snap
        by_firm: dict[int, int] = {}
        for r in idx:
            f = int(s.rec_subject[r])
            if f not in by_firm or (s.rec_issued[r], -r) > (s.rec_issued[by_firm[f]],
                                                             -by_firm[f]):
                by_firm[f] = int(r)
        return sorted(by_firm.values())
    return sorted(int(r) for r in idx)


def _person_listings(ctx: FeatureContext, i: int) -> Counted:
    """The in-force person listings of the firm's current key persons (resolved: a listing of
    another record of the same person counts)."""
    s = ctx.snap
    persons = sorted(set(ctx.role_person[ctx.key_roles & (s.role_firm == i)]))
    act = active_mask(s, ctx.t) & s.rec_on_person & np.isin(s.rec_kind, PERSON_LISTS)
    act[act] = np.isin(ctx.person_of[s.rec_subject[act]], persons)
    return Counted(sorted(int(r) for r in np.nonzero(act)[0]), [])


def counted(ctx: FeatureContext, name: str, i: int) -> Counted | None:
    """What feature ``name`` counted for firm ``i`` (snapshot indices); None for a feature
    that counts no credit record."""
    if name in OWN:
        mask, latest = OWN[name]
        return Counted(_records_of(ctx, _mask(ctx, f"own:{name}", mask), [i], latest), [],
                       latest)
    if name in NETWORK:
        through, signal = NETWORK[name]
        firms = through(ctx, i)
        mask, latest = SIGNALS[signal]
        return Counted(_records_of(ctx, _mask(ctx, f"signal:{signal}", mask), firms, latest),
                       firms, latest)
    if name == "key_personnel_listed":
        return _person_listings(ctx, i)
    return None


_CONTEXTS: list[tuple[Snapshot, int, FeatureContext]] = []


def context(snap: Snapshot, t: int) -> FeatureContext:
    """A FeatureContext of ``snap`` at day ``t``, reused across explanations of one snapshot
    (its cached matrices are the costly part)."""
    for s, day, ctx in _CONTEXTS:
        if s is snap and day == t:
            return ctx
    ctx = FeatureContext(snap, t)
    _CONTEXTS.insert(0, (snap, t, ctx))
    del _CONTEXTS[2:]
    return ctx
