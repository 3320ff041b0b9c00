"""Train the inspection-outcome models: P(violation found in the next 12 months) and
P(serious violation found), with the bias of targeted inspections corrected and the
probabilities calibrated on a later slice of random inspections.

Time layout for a cutoff ``C`` (``riskgraph train --until C``, alias ``--as-of``; default
1 January of the year before the data ends, so two years of random inspections stay unseen for
evaluation) and a horizon ``H`` (``--horizon``, default 365 days = one calendar year):

* training panels: one horizon apart, back from ``C − 2H`` as long as their window holds an
  outcome (for the default 1-January cutoff: every 1 January from the first inspection year);
* calibration panel: ``C − H`` (outcomes of the horizon before ``C``), random stream only
  (all streams when it has too few positives);
* evaluation (models/evaluation.py): panels from ``C`` on, or an explicit window.

Components: the inspection-outcome model per target (``violation``, the main model, and
``serious``) stacked with the auxiliary population model. The main model needs its own labels
(both classes, at least ``MIN_POSITIVES``); an auxiliary component whose labels do not allow it
is left out with the reason in ``metadata["omitted_components"]`` (and the model card).
``level="inspection"`` trains on inspection events instead (models/inspections.py).

Bias correction (docs/model-card.md): targeted inspections pick firms by their records, so the
inspected sample over-represents penalised firms. Every example is weighted by the inverse of
its probability of being inspected at all, ``1 / (1 − (1 − ρ)(1 − π(x)))``, with ``ρ`` the
random-stream rate of the panel and ``π(x)`` a logistic model of targeted selection on all
features (soft merits included: redlists shield firms from targeting). Weights are clipped at
their 99th percentile. ``weighting="random"`` trains on the random stream alone.
"""

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
import numpy.typing as npt
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from riskgraph.graph.errors import BadInput, Conflict, NotFound
from riskgraph.graph.snapshot import Snapshot, date_of, day_of
from riskgraph.models.additive import BinnedAdditiveClassifier
from riskgraph.models.dataset import HORIZON, Outcomes, Panel, build_panel, yearly
from riskgraph.models.features import feature_names
from riskgraph.models.features.registry import GROUPS, contract_hash, get
from riskgraph.models.streams import stream_codes
from riskgraph.models.tiers import DEFAULT_CUTOFFS
from riskgraph.models.userdata import UserOutcomes, UserTable

FloatArray = npt.NDArray[np.float64]
TARGETS = ("violation", "serious")
MIN_POSITIVES = {"violation": 50, "serious": 20}
MIN_CALIBRATION_POSITIVES = 10
MIN_POPULATION_POSITIVES = 20
WEIGHTINGS = ("ipw", "random", "none")
LEVELS = ("firm", "inspection")
EVENT_PREFIX = "event_"
"""Inspection-level columns of the event itself (models/inspections.py) start with this."""
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


def default_cutoff(snap: Snapshot) -> dt.date:
    """1 January of the year before the data ends (two years left for evaluation)."""
    return dt.date(date_of(snap.data_end).year - 1, 1, 1)


def step_back(d: dt.date, horizon: int) -> dt.date:
    """One horizon before ``d``: a calendar year for the default 365 days, else ``horizon``
    days."""
    if horizon == HORIZON:
        return dt.date(d.year - 1, d.month, min(d.day, 28))
    return d - dt.timedelta(days=horizon)


def panel_dates(snap: Snapshot, outcomes: Outcomes, cutoff: dt.date, horizon: int = HORIZON
                ) -> tuple[list[dt.date], dt.date]:
    """Training panel dates and the calibration panel date for ``cutoff``: the calibration
    panel one horizon before the cutoff, training panels one horizon apart before it, as far
    back as their windows still hold the first outcome."""
    if len(outcomes.day) == 0:
        raise BadInput("the graph holds no inspection outcomes: nothing to train on")
    if horizon < 1:
        raise BadInput(f"--horizon must be at least 1 day, got {horizon}")
    first = int(outcomes.day.min())
    calibration = step_back(cutoff, horizon)
    if horizon == HORIZON and (cutoff.month, cutoff.day) == (1, 1):
        # the default cutoff: 1 January panels from the first outcome's year
        return yearly(dt.date(date_of(first).year, 1, 1), step_back(calibration, horizon)), \
            calibration
    dates: list[dt.date] = []
    t = step_back(calibration, horizon)
    while day_of(t) + horizon >= first:
        dates.append(t)
        t = step_back(t, horizon)
    return dates[::-1], calibration


def load_user_data(snap: Snapshot, config: TrainConfig
                   ) -> tuple[list[UserTable], UserOutcomes | None]:
    tables = [UserTable.read(Path(p)) for p in config.user_feature_files]
    extra: UserOutcomes | None = None
    for path in config.user_outcome_files:
        part = UserOutcomes.read(Path(path), snap.uscc)
        extra = part if extra is None else UserOutcomes(
            np.r_[extra.firm, part.firm], np.r_[extra.day, part.day],
            np.r_[extra.outcome, part.outcome], np.r_[extra.stream, part.stream])
    return tables, extra


def model_features(include_soft: bool, tables: Sequence[UserTable],
                   without_groups: Sequence[str] = ()) -> list[str]:
    """Registry features (less the groups left out) and then the user tables' columns."""
    for g in without_groups:
        if g not in GROUPS:
            raise BadInput(f"unknown feature group {g!r}: expected one of {', '.join(GROUPS)}")
    names = [n for n in feature_names(include_soft) if get(n).group not in without_groups]
    return names + [c for t in tables for c in t.feature_columns()]


def _propensity_weights(panels: list[Panel], random_state: int) -> list[FloatArray]:
    """Inverse probability of being inspected at all, per example (see module docstring)."""
    weights = []
    for p in panels:
        alive = np.nonzero(p.features.alive)[0]
        x_all = p.features.values[alive]
        inspected_t = np.zeros(len(p.features.alive), dtype=bool)
        inspected_t[p.firms[p.targeted]] = True
        y = inspected_t[alive]
        rho = p.random.sum() / max(len(alive), 1)
        if y.sum() < 5 or y.all():
            pi = np.full(len(p.firms), y.mean() if len(y) else 0.0)
        else:
            rng = np.random.default_rng(random_state)
            take = np.arange(len(alive))
            if len(take) > 200_000:
                take = rng.choice(take, 200_000, replace=False)
            model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))
            model.fit(x_all[take], y[take])
            pi = model.predict_proba(p.x)[:, 1]
        p_label = 1.0 - (1.0 - rho) * (1.0 - pi)
        weights.append(1.0 / np.maximum(p_label, 1e-6))
    return weights


def train(snap: Snapshot, config: TrainConfig | None = None) -> RiskArtifact:
    """Fit the models on ``snap`` (see the module docstring). Raises BadInput when the main
    model's own labels do not allow it; an auxiliary component (the serious-violation model,
    the population model) whose labels do not is left out and named in
    ``metadata["omitted_components"]``."""
    config = config or TrainConfig()
    if config.weighting not in WEIGHTINGS:
        raise BadInput(f"weighting must be one of {', '.join(WEIGHTINGS)}")
    if config.level == "inspection":
        from riskgraph.models.inspections import train_inspections

        return train_inspections(snap, config)
    if config.level not in LEVELS:
        raise BadInput(f"--level must be one of {', '.join(LEVELS)}, got {config.level!r}")
    tables, extra = load_user_data(snap, config)
    outcomes = Outcomes.from_snapshot(snap, extra).only(
        None if config.streams is None else stream_codes(config.streams))
    cutoff = config.as_of or default_cutoff(snap)
    horizon = config.horizon
    train_dates, calib_date = panel_dates(snap, outcomes, cutoff, horizon)
    if not train_dates:
        raise BadInput(f"no training window before {calib_date}: the first inspection outcome "
                       f"is {date_of(int(outcomes.day.min()))}; choose a later --until or a "
                       f"shorter --horizon")
    features = model_features(config.include_soft, tables, config.without_groups)
    all_features = model_features(True, tables)
    cols = [all_features.index(f) for f in features]
    panels = [build_panel(snap, d, all_features, outcomes, tables, horizon)
              for d in train_dates]
    calib = build_panel(snap, calib_date, all_features, outcomes, tables, horizon)

    x = np.vstack([p.x for p in panels])[:, cols] if panels else np.zeros((0, len(cols)))
    is_random = np.concatenate([p.random for p in panels])
    if config.weighting == "ipw":
        w = np.concatenate(_propensity_weights(panels, config.random_state))
        w = np.minimum(w, np.quantile(w, 0.99)) if len(w) else w
    else:
        w = np.ones(len(x))
    keep = is_random if config.weighting == "random" else np.ones(len(x), dtype=bool)

    omitted: list[dict[str, str]] = []
    aux = _population_model(snap, panels, cols, config, omitted)
    models: dict[str, CalibratedModel] = {}
    metrics: dict[str, Any] = {}
    where = (f"training windows before {calib_date} "
             f"({'random stream only, ' if config.weighting == 'random' else ''}"
             f"panels {', '.join(str(d) for d in train_dates)})")
    for target in TARGETS:
        y = np.concatenate([getattr(p, target) for p in panels])
        shortfall = label_shortfall(y[keep], MIN_POSITIVES[target], target, where)
        if shortfall is not None:
            if target == "violation":
                raise BadInput(shortfall)
            omitted.append({"component": f"{target} model", "reason": shortfall})
            continue
        gam = BinnedAdditiveClassifier(max_bins=config.max_bins, C=config.C,
                                       random_state=config.random_state)
        gam.fit(x[keep], y[keep], sample_weight=w[keep])
        model = CalibratedModel(target, [gam] + ([aux] if aux is not None else []),
                                [1.0] + ([0.0] if aux is not None else []))
        yc = getattr(calib, target)[calib.random]
        xc = calib.x[calib.random][:, cols]
        calib_source = "random stream"
        if yc.sum() < MIN_CALIBRATION_POSITIVES:
            yc, xc = getattr(calib, target), calib.x[:, cols]
            calib_source = "all streams (too few random-stream positives)"
        stack_and_scale(model, xc, yc)
        models[target] = model
        train_scores = gam.decision_function(x[keep])
        metrics[target] = {
            "training_examples": int(keep.sum()),
            "training_positives": int(y[keep].sum()),
            "training_auc_inspection_model": _auc(y[keep], train_scores, w[keep]),
            "calibration_examples": len(yc),
            "calibration_positives": int(yc.sum()),
            "calibration_source": calib_source,
            "calibration_auc": _auc(yc, model.log_odds(xc)),
            "component_weights": {"inspection_model": model.weights[0],
                                  "population_model": (model.weights[1] if aux is not None
                                                       else None)},
            "intercept": model.intercept,
        }
    tiers = dict(DEFAULT_CUTOFFS)  # tiers are fixed risk levels (models/tiers.py), not quantiles
    digest = snap.digest()
    version = (f"{cutoff:%Y%m%d}-{digest[:8]}-{contract_hash(features)[:6]}"
               f"-{config.weighting}")
    metadata = base_metadata(snap, config, features, digest, version)
    metadata.update({
        "rejected_rows": [r for t in tables for r in t.rejects],
        "cutoff": cutoff.isoformat(),
        "horizon_days": horizon,
        "training_window": {"panels": [d.isoformat() for d in train_dates],
                            "outcomes_from": train_dates[0].isoformat(),
                            "outcomes_to": (dt.date.fromordinal(train_dates[-1].toordinal()
                                                                + horizon)).isoformat()},
        "calibration_window": {"panel": calib_date.isoformat(),
                               "outcomes_to": cutoff.isoformat()},
        "metrics": metrics,
        "omitted_components": omitted,
    })
    return RiskArtifact(version, features, all_features, config.include_soft,
                        [str(p) for p in config.user_feature_files], models, tiers, metadata)


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


def stack_and_scale(model: CalibratedModel, xc: FloatArray, yc: npt.NDArray[np.bool_]) -> None:
    """Fit the component weights and intercept on the calibration slice (when it has both
    classes; otherwise the weights stay as they are)."""
    if yc.sum() >= 1 and (~yc).sum() >= 1:
        stack = np.column_stack([g.decision_function(xc) for g in model.components])
        platt = LogisticRegression(C=1.0, max_iter=1000)
        platt.fit(stack, yc)
        model.weights = [float(v) for v in platt.coef_[0]]
        model.intercept = float(platt.intercept_[0])


def population_labels(snap: Snapshot, t: int, horizon: int = 365) -> npt.NDArray[np.bool_]:
    """Per firm: any negative record other than an inspection finding in (t, t + horizon]."""
    from riskgraph.graph.snapshot import KINDS

    inspections = [KINDS.index("random_inspection"), KINDS.index("targeted_inspection")]
    sel = (~snap.rec_on_person & snap.rec_negative & ~np.isin(snap.rec_kind, inspections)
           & (snap.rec_issued > t) & (snap.rec_issued <= t + horizon))
    y = np.zeros(snap.n_firms, dtype=bool)
    y[snap.rec_subject[sel]] = True
    return y


def _population_model(snap: Snapshot, panels: list[Panel], cols: list[int],
                      config: TrainConfig, omitted: list[dict[str, str]]
                      ) -> BinnedAdditiveClassifier | None:
    """The auxiliary population model: for every live firm of every training panel, does a
    negative record (penalty, arrears, listing, judgment) follow within 12 months? Inspection
    outcomes are scarce (a few hundred random inspections a year); records of the whole
    population carry the same compliance propensity in far more examples. Left out (None, with
    the reason in ``omitted``) when its labels have one class or too few positives, e.g. an
    agency whose records are all inspections."""
    xs, ys = [], []
    for p in panels:
        alive = np.nonzero(p.features.alive)[0]
        xs.append(p.features.values[alive][:, cols])
        ys.append(population_labels(snap, day_of(p.as_of), config.horizon)[alive])
    y = np.concatenate(ys) if ys else np.zeros(0, dtype=bool)
    shortfall = label_shortfall(y, MIN_POPULATION_POSITIVES, "population",
                                "the training panels",
                                "firm-year(s) followed within the horizon by a negative "
                                "record that is not an inspection finding")
    if shortfall is not None:
        omitted.append({"component": "population model", "reason": shortfall})
        return None
    gam = BinnedAdditiveClassifier(max_bins=config.max_bins, C=0.3,
                                   random_state=config.random_state)
    return gam.fit(np.vstack(xs), y)


def _auc(y: Any, s: Any, w: Any = None) -> float | None:
    y = np.asarray(y)
    if y.sum() == 0 or y.sum() == len(y):
        return None
    return float(roc_auc_score(y, s, sample_weight=w))


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
    art = pickle.loads(blob)  # noqa: S301 - our own artifact, hash checked above
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


def as_of_default(snap: Snapshot) -> dt.date:
    """The default scoring date: the day after the data ends."""
    return date_of(snap.data_end + 1)


__all__ = ["CalibratedModel", "RiskArtifact", "TrainConfig", "day_of", "load_artifact",
           "save_artifact", "train"]
