"""Training examples: yearly panels of (features as of t, inspection outcomes in the next year).

For a panel date ``t`` the features are computed as of ``t`` (point-in-time); the label of a firm
is whether an inspection dated in ``(t, t + 365]`` found a violation (``violation``) or a serious
one (``serious``). Only firms alive at ``t`` and inspected in the window are examples; which
stream inspected them (random, or a selecting stream: targeted, routine, complaint, follow-up;
models/risk/streams.py) is kept for bias correction and evaluation. The horizon is configurable
(``riskgraph train --horizon DAYS``; default 365).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from riskgraph.graph.snapshot import KINDS, Snapshot, date_of, day_of
from riskgraph.models.risk.features import FeatureMatrix, compute_features
from riskgraph.models.risk.features.context import BoolArray, FloatArray, IntArray
from riskgraph.models.risk.streams import RANDOM, TARGETED
from riskgraph.models.risk.userdata import UserOutcomes, UserTable

HORIZON = 365


@dataclass
class Outcomes:
    """Every inspection outcome: firm index, day, outcome (0/1/2), stream (a code of
    graph.snapshot.STREAMS; records without a stream take it from their kind)."""

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

    def only(self, streams: npt.NDArray[np.int64] | None) -> Outcomes:
        """The outcomes of these stream codes (all when ``streams`` is None)."""
        if streams is None:
            return self
        keep = np.isin(self.stream, streams)
        return Outcomes(self.firm[keep], self.day[keep], self.outcome[keep], self.stream[keep])

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
    """Inspected by a selecting (non-random) stream in the window."""
    features: FeatureMatrix
    """Features of every firm at ``as_of`` (for propensity models and ranking)."""


def window_labels(outcomes: Outcomes, n: int, t: int, horizon: int = HORIZON
                  ) -> tuple[BoolArray, BoolArray, BoolArray, BoolArray, BoolArray]:
    """Per firm over (t, t + horizon]: inspected, violation, serious, by the random stream, by
    a selecting (non-random) stream."""
    sel = (outcomes.day > t) & (outcomes.day <= t + horizon)
    f, o, s = outcomes.firm[sel], outcomes.outcome[sel], outcomes.stream[sel]

    def any_of(mask: BoolArray) -> BoolArray:
        out = np.zeros(n, dtype=bool)
        out[f[mask]] = True
        return out

    everything = np.ones(len(f), dtype=bool)
    return (any_of(everything), any_of(o >= 1), any_of(o == 2), any_of(s == RANDOM),
            any_of(s != RANDOM))


def build_panel(snap: Snapshot, as_of: dt.date, names: Sequence[str], outcomes: Outcomes,
                user_tables: Sequence[UserTable] = (), horizon: int = HORIZON) -> Panel:
    t = day_of(as_of)
    fm = compute_features(snap, t, names, user_tables)
    inspected, violation, serious, rnd, tgt = window_labels(outcomes, snap.n_firms, t, horizon)
    firms = np.nonzero(inspected & fm.alive)[0]
    return Panel(date_of(t), firms, fm.values[firms], violation[firms], serious[firms],
                 rnd[firms], tgt[firms], fm)


def yearly(start: dt.date, end: dt.date) -> list[dt.date]:
    """1 January of every year from ``start``'s to ``end``'s, inclusive when on 1 January."""
    return [dt.date(y, 1, 1) for y in range(start.year, end.year + 1)
            if start <= dt.date(y, 1, 1) <= end]


def stepped(first_day: int, last: dt.date, horizon: int) -> list[dt.date]:
    """Panel dates ``last − k·horizon`` (k = 0, 1, …) whose window still holds days on or after
    ``first_day``, oldest first (the panels of a non-yearly horizon)."""
    out: list[dt.date] = []
    t = day_of(last)
    while t + horizon >= first_day:
        out.append(date_of(t))
        t -= horizon
    return out[::-1]
