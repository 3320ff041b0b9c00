"""What each feature counted for one firm: the credit records (and the firms they belong to)
behind its value, read from the same snapshot and date the feature was computed on.

An explanation cites exactly these (models/risk/explain.py), so a reason never points at a record
the feature left out (e.g. inspections for ``negative_rate``, which excludes them).
tests/models/risk/test_counted_evidence.py recomputes every feature's value from what is cited
here, on a generated world loaded into the real Neo4j.

Each feature declares what it counts on its ``@feature(..., counts=...)``
(models/risk/features/counts.py): own-record features a mask over the records known at the date
(recencies cite the one latest record), network features the firms they look through and the
signal counted among them, ``key_personnel_listed`` the key persons' listings in force; for a
feature that counts no record of the firm's file ``counted`` returns None and the explanation
shows its graph evidence instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from riskgraph.graph.snapshot import Snapshot
from riskgraph.models.risk.features.context import (
    PERSON_LISTS,
    BoolArray,
    FeatureContext,
    IntArray,
)
from riskgraph.models.risk.features.counts import PERSON_LISTINGS, SIGNALS, Mask, Network, Own
from riskgraph.models.risk.features.registry import get
from riskgraph.models.risk.scorecards import active_mask


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
    memo = _cache(ctx)
    if "person_listings" not in memo:  # every in-force listing and who it counts for, once
        listed = np.nonzero(active_mask(s, ctx.t) & s.rec_on_person
                            & np.isin(s.rec_kind, PERSON_LISTS))[0]
        memo["person_listings"] = (listed, ctx.person_of[s.rec_subject[listed]])
    listed, holders = memo["person_listings"]
    return Counted(sorted(int(r) for r in listed[np.isin(holders, persons)]), [])


def counted(ctx: FeatureContext, name: str, i: int) -> Counted | None:
    """What feature ``name`` counted for firm ``i`` (snapshot indices); None for a feature
    that counts no credit record."""
    try:
        counts = get(name).counts
    except KeyError:  # a user table's column: it counts no record
        return None
    if isinstance(counts, Own):
        return Counted(_records_of(ctx, _mask(ctx, f"own:{name}", counts.mask), [i],
                                   counts.latest), [], counts.latest)
    if isinstance(counts, Network):
        firms = counts.through(ctx, i)
        signal = SIGNALS[counts.signal]
        return Counted(_records_of(ctx, _mask(ctx, f"signal:{counts.signal}", signal.mask), firms,
                                   signal.latest), firms, signal.latest)
    if counts == PERSON_LISTINGS:
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
