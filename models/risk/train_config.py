"""What a training run is told (`TrainConfig`) and what both levels of training check and
read with it: the targets and their minimum positives, the levels, the model's feature list and
the user tables (models/risk/training.py for firms, models/risk/inspections.py for inspections)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from riskgraph.graph.errors import BadInput
from riskgraph.graph.snapshot import Snapshot
from riskgraph.models.risk.dataset import HORIZON
from riskgraph.models.risk.features import feature_names
from riskgraph.models.risk.features.registry import GROUPS, get
from riskgraph.models.risk.userdata import UserOutcomes, UserTable

TARGETS = ("violation", "serious")
MIN_POSITIVES = {"violation": 50, "serious": 20}
LEVELS = ("firm", "inspection")
EVENT_PREFIX = "event_"
"""Inspection-level columns of the event itself (models/risk/inspections.py) start with this."""


@dataclass
class TrainConfig:
    as_of: dt.date | None = None
    """The cutoff (``--until`` / ``--as-of``): outcomes up to it train and calibrate."""
    weighting: str = "ipw"
    include_soft: bool = False
    user_feature_files: Sequence[Path] = ()
    user_outcome_files: Sequence[Path] = ()
    horizon: int = HORIZON
    """Days after a panel date whose inspections label it (firm level)."""
    streams: Sequence[str] | None = None
    """Train on the outcomes of these streams only (default: every stream)."""
    without_groups: Sequence[str] = ()
    """Feature groups left out of the model (e.g. the network groups, for an ablation)."""
    level: str = "firm"
    """``firm`` (firm-years, for tiers) or ``inspection`` (one example per inspection event)."""
    event_feature_files: Sequence[Path] = ()
    """Inspection level: tables of the event's own columns keyed by ``record_id``."""
    record_files: Sequence[Path] = ()
    """Inspection level: train only on the inspections whose ``record_id`` these tables list."""
    max_bins: int = 8
    C: float = 0.01
    random_state: int = 0


def load_user_data(snap: Snapshot, config: TrainConfig
                   ) -> tuple[list[UserTable], UserOutcomes | None]:
    tables = [UserTable.read(Path(p)) for p in config.user_feature_files]
    extra: UserOutcomes | None = None
    for path in config.user_outcome_files:
        part = UserOutcomes.read(Path(path), snap.uscc)
        extra = part if extra is None else UserOutcomes(
            np.r_[extra.firm, part.firm], np.r_[extra.day, part.day],
            np.r_[extra.outcome, part.outcome], np.r_[extra.stream, part.stream],
            [*extra.rejects, *part.rejects])
    return tables, extra


def model_features(include_soft: bool, tables: Sequence[UserTable],
                   without_groups: Sequence[str] = ()) -> list[str]:
    """Registry features (less the groups left out) and then the user tables' columns."""
    for g in without_groups:
        if g not in GROUPS:
            raise BadInput(f"unknown feature group {g!r}: expected one of {', '.join(GROUPS)}")
    names = [n for n in feature_names(include_soft) if get(n).group not in without_groups]
    return names + [c for t in tables for c in t.feature_columns()]


def label_shortfall(y: npt.NDArray[np.bool_], need: int, target: str, where: str,
                    what: str | None = None) -> str | None:
    """Why labels ``y`` cannot train the ``target`` model (None when they can): too few
    positives, or too few negatives (one class). ``what`` names a positive example."""
    found, negatives = int(y.sum()), int((~y).sum())
    what = what or ("inspection(s) with a serious violation found" if target == "serious"
                    else "inspection(s) with a violation found")
    if found < need:
        return (f"too few positive outcomes to train the {target} model: found {found} "
                f"{what} in {where}, need at least {need}")
    if negatives < need:
        return (f"too few negative outcomes to train the {target} model: found only "
                f"{negatives} example(s) that are not {what} in {where}, need at least {need}")
    return None
