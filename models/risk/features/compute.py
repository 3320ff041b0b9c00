"""Compute a feature matrix for every firm of a snapshot as of one date."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from riskgraph.graph.snapshot import Snapshot, date_of
from riskgraph.models.risk.features.context import FeatureContext, FloatArray
from riskgraph.models.risk.features.registry import feature_names, get
from riskgraph.models.risk.userdata import UserTable


@dataclass
class FeatureMatrix:
    """Features (columns ``names``) of every firm (rows, snapshot order) as of ``as_of``."""

    names: list[str]
    values: FloatArray
    as_of: dt.date
    alive: npt.NDArray[np.bool_]
    seconds: dict[str, float] = field(default_factory=dict)

    def column(self, name: str) -> FloatArray:
        return self.values[:, self.names.index(name)]


def compute_features(snap: Snapshot, as_of: dt.date | int, names: Sequence[str] | None = None,
                     user_tables: Sequence[UserTable] = (), *,
                     context: FeatureContext | None = None,
                     rows: npt.NDArray[np.int64] | None = None) -> FeatureMatrix:
    """All (or the named) features of every firm in ``snap``, point-in-time at ``as_of``.

    ``user_tables`` add their numeric columns (named ``user_<table>_<column>``), each firm
    taking its latest row dated on or before ``as_of``. ``rows``: the matrix holds these
    firms' rows only, in this order (a Spark halo task keeps its core's).
    """
    ctx = context or FeatureContext(snap, as_of)
    wanted = list(names) if names is not None else feature_names(include_soft=True)
    user_cols = {c: (t, c) for t in user_tables for c in t.feature_columns()}
    pick = slice(None) if rows is None else rows
    out = np.zeros((snap.n_firms if rows is None else len(rows), len(wanted)), dtype=np.float64)
    seconds: dict[str, float] = {}
    for j, name in enumerate(wanted):
        began = time.perf_counter()
        if name in user_cols:
            table, col = user_cols[name]
            out[:, j] = table.as_of(snap.uscc, ctx.t, col)[pick]
        else:
            out[:, j] = get(name)(ctx)[pick]
        seconds[name] = time.perf_counter() - began
    out = np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0)
    return FeatureMatrix(wanted, out, date_of(ctx.t), ctx.alive[pick], seconds)
