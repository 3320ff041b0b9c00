"""Score every firm: risk, serious risk, log-odds, contributions, tier — in bulk.

``score_all(store, as_of)`` reads the graph once (graph/snapshot.py), computes every feature as
of ``as_of``, loads the trained artifact (refusing one whose feature list differs) and returns
arrays aligned with ``Scores.uscc``. Later work (ranking runs, inspection plans, fairness audits)
builds on :class:`Scores`.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from riskgraph.graph.config import get_settings
from riskgraph.graph.snapshot import Snapshot, day_of
from riskgraph.graph.store import Store
from riskgraph.models.risk.artifact import RiskArtifact, load_artifact
from riskgraph.models.risk.features import FeatureMatrix, compute_features
from riskgraph.models.risk.features.context import FloatArray
from riskgraph.models.risk.tiers import DEFAULT_CUTOFFS, assign_tiers, check_cutoffs
from riskgraph.models.risk.train_config import EVENT_PREFIX
from riskgraph.models.risk.training import as_of_default
from riskgraph.models.risk.userdata import UserTable


@dataclass
class Scores:
    """Per-firm scores (rows aligned with ``uscc``; firms not alive at ``as_of`` are kept, with
    ``alive`` False)."""

    uscc: npt.NDArray[np.object_]
    alive: npt.NDArray[np.bool_]
    risk: FloatArray
    """Calibrated P(an inspection in the next 12 months finds a violation)."""
    serious_risk: FloatArray
    """Calibrated P(... finds a serious violation); NaN when the model has no serious component
    (too few serious outcomes to train one: see the model card)."""
    log_odds: FloatArray
    base_value: float
    contributions: FloatArray
    """n × features: additive contributions to ``log_odds`` (base_value + row sum)."""
    tier: npt.NDArray[np.object_]
    """low / average / high / critical (models/risk/tiers.py) by ``cutoffs``."""
    cutoffs: dict[str, float]
    features: FeatureMatrix
    model_features: list[str]
    version: str
    as_of: dt.date
    data_snapshot_sha256: str

    def index(self, uscc: str) -> int | None:
        """The row of firm ``uscc`` (its first, should a key repeat), None when absent."""
        return self._rows.get(uscc)

    @functools.cached_property
    def _rows(self) -> dict[str, int]:
        """Row by USCC, built on the first lookup (a scan of 100k keys costs milliseconds,
        paid by every API explanation before)."""
        rows: dict[str, int] = {}
        for i, key in enumerate(self.uscc.tolist()):
            rows.setdefault(str(key), i)
        return rows


def finite(value: float) -> float | None:
    """A float, or None for NaN (a component the model does not have)."""
    v = float(value)
    return None if np.isnan(v) else v


SCORE_CHUNK = 131_072
"""Firms scored at once: every row is scored on its own, so chunks give the same numbers and
bound the model's intermediates (the binned design, per-feature weights)."""


def model_matrix(art: RiskArtifact, fm: FeatureMatrix, rows: slice = slice(None)) -> FloatArray:
    """The model's columns of ``fm`` (its ``rows``). An inspection-level model's event
    columns are 0 here: a firm scored without a planned inspection has no event facts
    (models/risk/inspections.py)."""
    block = fm.values[rows]
    out = np.zeros((block.shape[0], len(art.features)))
    for j, f in enumerate(art.features):
        if f in fm.names:
            out[:, j] = block[:, fm.names.index(f)]
        elif not f.startswith(EVENT_PREFIX):
            raise KeyError(f)
    return out


def score_snapshot(snap: Snapshot, art: RiskArtifact, as_of: dt.date | None = None,
                   digest: str | None = None,
                   cutoffs: dict[str, float] | None = None) -> Scores:
    """Score every firm of ``snap`` with ``art`` as of ``as_of`` (default: after the data)."""
    when = as_of or as_of_default(snap)
    tables = [UserTable.read(Path(p)) for p in art.user_feature_files]
    fm = compute_features(snap, day_of(when), art.all_features, tables)
    return score_features(art, fm, snap.uscc, digest or snap.digest(), cutoffs)


def score_features(art: RiskArtifact, fm: FeatureMatrix, uscc: npt.NDArray[np.object_],
                   digest: str, cutoffs: dict[str, float] | None = None) -> Scores:
    """Score the firms of ``fm`` (rows aligned with ``uscc``; any subset of a snapshot's firms:
    every row is scored on its own, so the Spark engine scores partitions with this)."""
    cut = check_cutoffs(cutoffs or DEFAULT_CUTOFFS)
    violation, serious = art.models["violation"], art.models.get("serious")
    n = fm.values.shape[0]
    log_odds = np.empty(n, dtype=np.float64)
    serious_risk = np.full(n, np.nan)
    contributions = np.empty((n, len(art.features)), dtype=np.float64)
    for start in range(0, n, SCORE_CHUNK):
        rows = slice(start, start + SCORE_CHUNK)
        x = model_matrix(art, fm, rows)
        log_odds[rows] = violation.log_odds(x)
        if serious is not None:
            serious_risk[rows] = serious.proba(x)
        contributions[rows] = violation.contributions(x)
    risk = 1.0 / (1.0 + np.exp(-log_odds))
    return Scores(
        uscc=uscc, alive=fm.alive, risk=risk, serious_risk=serious_risk,
        log_odds=log_odds, base_value=violation.base_value,
        contributions=contributions, tier=assign_tiers(risk, cut),
        cutoffs=cut,
        features=fm, model_features=list(art.features), version=art.version,
        as_of=fm.as_of, data_snapshot_sha256=digest,
    )


def score_all(store: Store, as_of: dt.date | None = None, version: str | None = None,
              home: Path | None = None, cutoffs: dict[str, float] | None = None) -> Scores:
    """Read the graph, load the model (latest unless ``version``) and score every firm."""
    art = load_artifact(home or get_settings().riskgraph_home, version)
    snap = store.snapshot()
    return score_snapshot(snap, art, as_of, cutoffs=cutoffs)
