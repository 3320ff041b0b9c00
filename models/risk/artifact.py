"""The trained artifact: the calibrated models (`CalibratedModel`), what `riskgraph train` saves
(`RiskArtifact`, with the metadata both levels share) and its files under
``<home>/models/<version>/`` (saved, and loaded only when its hash and feature list match)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import pickle
import platform
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import sklearn

from riskgraph.graph.errors import BadInput, Conflict, NotFound
from riskgraph.graph.snapshot import Snapshot, date_of
from riskgraph.models.risk.additive import BinnedAdditiveClassifier
from riskgraph.models.risk.features.context import FloatArray
from riskgraph.models.risk.features.registry import contract_hash
from riskgraph.models.risk.tiers import DEFAULT_CUTOFFS
from riskgraph.models.risk.train_config import EVENT_PREFIX, LEVELS, TrainConfig, model_features
from riskgraph.models.risk.userdata import UserTable

ARTIFACT_FORMAT = 1


@dataclass
class CalibratedModel:
    """A weighted sum of additive models plus an intercept: still additive, so contributions
    stay exact. Component 0 is the inspection-outcome model, component 1 the population
    record model; the weights and intercept are fitted on the later calibration slice
    (stacking and Platt scaling in one step)."""

    target: str
    components: list[BinnedAdditiveClassifier]
    weights: list[float]
    intercept: float = 0.0

    def log_odds(self, x: FloatArray) -> FloatArray:
        out = np.full(x.shape[0], self.intercept)
        for w, gam in zip(self.weights, self.components, strict=True):
            out = out + w * gam.decision_function(x)
        return out

    def proba(self, x: FloatArray) -> FloatArray:
        return 1.0 / (1.0 + np.exp(-self.log_odds(x)))

    def contributions(self, x: FloatArray) -> FloatArray:
        out = np.zeros(x.shape, dtype=np.float64)
        for w, gam in zip(self.weights, self.components, strict=True):
            out = out + w * gam.contributions(x)
        return out

    @property
    def base_value(self) -> float:
        return self.intercept + sum(w * g.base_value_ for w, g in
                                    zip(self.weights, self.components, strict=True))


@dataclass
class RiskArtifact:
    """What ``riskgraph train`` saves: models, feature contract, windows, metrics, versions."""

    version: str
    features: list[str]
    all_features: list[str]
    """Every feature computed for the panels (model features + soft ones for propensity)."""
    include_soft: bool
    user_feature_files: list[str]
    models: dict[str, CalibratedModel]
    tiers: dict[str, float]
    metadata: dict[str, Any] = field(default_factory=dict)

    def feature_index(self) -> list[int]:
        return [self.all_features.index(f) for f in self.features]


def base_metadata(snap: Snapshot, config: TrainConfig, features: list[str], digest: str,
                  version: str) -> dict[str, Any]:
    """The metadata both levels share."""
    return {
        "format": ARTIFACT_FORMAT,
        "version": version,
        "level": config.level,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "weighting": config.weighting,
        "streams": list(config.streams) if config.streams is not None else None,
        "without_groups": list(config.without_groups),
        "include_soft": config.include_soft,
        "features": features,
        "feature_contract": contract_hash(features),
        "user_feature_files": [str(p) for p in config.user_feature_files],
        "user_outcome_files": [str(p) for p in config.user_outcome_files],
        "data_snapshot_sha256": digest,
        "data_end": date_of(snap.data_end).isoformat(),
        "firms": snap.n_firms,
        "tiers": dict(DEFAULT_CUTOFFS),
        "hyperparameters": {"max_bins": config.max_bins, "C": config.C,
                            "random_state": config.random_state},
        "libraries": library_versions(),
    }


def library_versions() -> dict[str, str]:
    import networkx
    import scipy

    return {"python": platform.python_version(), "numpy": np.__version__,
            "scipy": scipy.__version__, "scikit-learn": sklearn.__version__,
            "networkx": networkx.__version__}


# ---------------------------------------------------------------------------------------------
# Artifacts: <home>/models/<version>/{model.pkl, metadata.json}, <home>/models/LATEST
# ---------------------------------------------------------------------------------------------


def models_dir(home: Path) -> Path:
    return home / "models"


def save_artifact(art: RiskArtifact, home: Path) -> Path:
    folder = models_dir(home) / art.version
    folder.mkdir(parents=True, exist_ok=True)
    blob = pickle.dumps(art, protocol=pickle.HIGHEST_PROTOCOL)
    (folder / "model.pkl").write_bytes(blob)
    meta = dict(art.metadata, model_sha256=hashlib.sha256(blob).hexdigest())
    (folder / "metadata.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    (models_dir(home) / latest_name(str(art.metadata.get("level", "firm")))).write_text(
        art.version + "\n", encoding="utf-8")
    return folder


def latest_name(level: str) -> str:
    """The file naming the latest version of a level: firm-level models (what ranking,
    explanations and tiers use) are ``LATEST``, inspection-level ones ``LATEST-inspection``."""
    return "LATEST" if level == "firm" else f"LATEST-{level}"


def latest_version(home: Path, level: str = "firm") -> str | None:
    """The version the ``LATEST`` file of ``level`` names (one small read), None without one."""
    latest = models_dir(home) / latest_name(level)
    return latest.read_text(encoding="utf-8").strip() if latest.is_file() else None


def load_artifact(home: Path, version: str | None = None,
                  expected_features: Sequence[str] | None = None,
                  level: str = "firm") -> RiskArtifact:
    """Load an artifact we built: its model file must match the hash in its metadata, and its
    feature list must equal ``expected_features`` (default: what this code computes for the
    artifact's settings). Without ``version``, the latest of ``level``. Raises NotFound /
    Conflict."""
    root = models_dir(home)
    if level not in LEVELS:
        raise BadInput(f"--level must be one of {', '.join(LEVELS)}, got {level!r}")
    if version is None:
        latest = root / latest_name(level)
        if not latest.is_file():
            flag = "" if level == "firm" else f" --level {level}"
            raise NotFound(f"no trained {level}-level model under {root}: run "
                           f"`riskgraph train{flag}` first",
                           public="no trained model on this server yet (`riskgraph train`)")
        version = latest.read_text(encoding="utf-8").strip()
    folder = root / version
    meta_file, model_file = folder / "metadata.json", folder / "model.pkl"
    if not meta_file.is_file() or not model_file.is_file():
        raise NotFound(f"no model version {version!r} under {root}",
                       public=f"no model version {version!r} on this server")
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    blob = model_file.read_bytes()
    if hashlib.sha256(blob).hexdigest() != meta.get("model_sha256"):
        raise Conflict(f"model {version}: model.pkl does not match the hash in metadata.json; "
                       "refusing to load it")
    try:
        art = pickle.loads(blob)  # noqa: S301 - our own artifact, hash checked above
    except (AttributeError, ModuleNotFoundError) as exc:
        # its classes moved since it was saved (docs/moves-17.md)
        raise Conflict(f"model {version} was saved by an older riskgraph whose classes have "
                       f"moved ({exc}); retrain with `riskgraph train`") from exc
    if not isinstance(art, RiskArtifact):
        raise Conflict(f"model {version}: not a riskgraph artifact")
    if expected_features is None:
        tables = [UserTable.read(Path(p)) for p in art.user_feature_files]
        expected_features = model_features(art.include_soft, tables,
                                           art.metadata.get("without_groups", []))
        expected_features = expected_features + [
            f for f in art.features if f.startswith(EVENT_PREFIX)]
    if list(expected_features) != art.features or meta.get("features") != art.features:
        missing = sorted(set(art.features) - set(expected_features))
        extra = sorted(set(expected_features) - set(art.features))
        raise Conflict(
            f"model {version} was trained on a different feature list than this code computes "
            f"(only in the model: {missing or 'none'}; only in the code: {extra or 'none'}"
            f"{'; same names, different order' if not missing and not extra else ''}); "
            "retrain with `riskgraph train`")
    return art
