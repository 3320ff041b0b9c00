"""Training examples: yearly panels of (features as of t, inspection outcomes in the next year).

For a panel date ``t`` the features are computed as of ``t`` (point-in-time); the label of a firm
is whether an inspection dated in ``(t, t + 365]`` found a violation (``violation``) or a serious
one (``serious``). Only firms alive at ``t`` and inspected in the window are examples; which
stream inspected them (random, targeted, both) is kept for bias correction and evaluation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from graph.snapshot import KINDS, Snapshot, date_of, day_of
from models.features import FeatureMatrix, compute_features
from models.userdata import UserOutcomes, UserTable

HORIZON = 365
RANDOM, TARGETED = 0, 1
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]


@dataclass
class Outcomes:
    """Every inspection outcome: firm index, day, outcome (0/1/2), stream (0 random, 1 targeted)."""

    firm: IntArray
    day: IntArray
    outcome: IntArray
    stream: IntArray

    @classmethod
    def from_snapshot(cls, snap: Snapshot, extra: UserOutcomes | None = None) -> Outcomes:
        sel = (~snap.rec_on_person
               & np.isin(snap.rec_kind, [KINDS.index("random_inspection"),
                                         KINDS.index("targeted_inspection")])
               & (snap.rec_outcome >= 0))
        stream = np.where(snap.rec_stream[sel] >= 0, snap.rec_stream[sel],
                          np.where(snap.rec_kind[sel] == KINDS.index("random_inspection"),
                                   RANDOM, TARGETED))
        out = cls(snap.rec_subject[sel].astype(np.int64), snap.rec_issued[sel].astype(np.int64),
                  snap.rec_outcome[sel].astype(np.int64), stream.astype(np.int64))
        if extra is not None:
            out = cls(np.r_[out.firm, extra.firm], np.r_[out.day, extra.day],
                      np.r_[out.outcome, extra.outcome], np.r_[out.stream, extra.stream])
        return out

    def positives_before(self, day: int, serious: bool = False) -> int:
        ok = (self.day < day) & (self.outcome >= (2 if serious else 1))
        return int(ok.sum())


@dataclass
class Panel:
    """Examples of one panel date."""

    as_of: dt.date
    firms: IntArray
    x: FloatArray
    violation: BoolArray
    serious: BoolArray
    random: BoolArray
    targeted: BoolArray
    features: FeatureMatrix
    """Features of every firm at ``as_of`` (for propensity models and ranking)."""


def window_labels(outcomes: Outcomes, n: int, t: int, horizon: int = HORIZON
                  ) -> tuple[BoolArray, BoolArray, BoolArray, BoolArray, BoolArray]:
    """Per firm over (t, t + horizon]: inspected, violation, serious, by random, by targeted."""
    sel = (outcomes.day > t) & (outcomes.day <= t + horizon)
    f, o, s = outcomes.firm[sel], outcomes.outcome[sel], outcomes.stream[sel]

    def any_of(mask: BoolArray) -> BoolArray:
        out = np.zeros(n, dtype=bool)
        out[f[mask]] = True
        return out

    everything = np.ones(len(f), dtype=bool)
    return (any_of(everything), any_of(o >= 1), any_of(o == 2), any_of(s == RANDOM),
            any_of(s == TARGETED))


def build_panel(snap: Snapshot, as_of: dt.date, names: Sequence[str], outcomes: Outcomes,
                user_tables: Sequence[UserTable] = ()) -> Panel:
    t = day_of(as_of)
    fm = compute_features(snap, t, names, user_tables)
    inspected, violation, serious, rnd, tgt = window_labels(outcomes, snap.n_firms, t)
    firms = np.nonzero(inspected & fm.alive)[0]
    return Panel(date_of(t), firms, fm.values[firms], violation[firms], serious[firms],
                 rnd[firms], tgt[firms], fm)


def yearly(start: dt.date, end: dt.date) -> list[dt.date]:
    """1 January of every year from ``start``'s to ``end``'s, inclusive when on 1 January."""
    return [dt.date(y, 1, 1) for y in range(start.year, end.year + 1)
            if start <= dt.date(y, 1, 1) <= end]
