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
* evaluation (models/risk/evaluation.py): panels from ``C`` on, or an explicit window.

Components: the inspection-outcome model per target (``violation``, the main model, and
``serious``) stacked with the auxiliary population model. The main model needs its own labels
(both classes, at least ``MIN_POSITIVES``); an auxiliary component whose labels do not allow it
is left out with the reason in ``metadata["omitted_components"]`` (and the model card).
``level="inspection"`` trains on inspection events instead (models/risk/inspections.py).

Bias correction (docs/model-card.md): targeted inspections pick firms by their records, so the
inspected sample over-represents penalised firms. Every example is weighted by the inverse of
its probability of being inspected at all, ``1 / (1 − (1 − ρ)(1 − π(x)))``, with ``ρ`` the
random-stream rate of the panel and ``π(x)`` a logistic model of targeted selection on all
features (soft merits included: redlists shield firms from targeting). Weights are clipped at
their 99th percentile. ``weighting="random"`` trains on the random stream alone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from riskgraph.graph.errors import BadInput
from riskgraph.graph.snapshot import KINDS, Snapshot, date_of, day_of
from riskgraph.models.risk.additive import BinnedAdditiveClassifier
from riskgraph.models.risk.artifact import CalibratedModel, RiskArtifact, base_metadata
from riskgraph.models.risk.dataset import HORIZON, Outcomes, Panel, build_panel, yearly
from riskgraph.models.risk.features.context import FloatArray
from riskgraph.models.risk.features.registry import contract_hash
from riskgraph.models.risk.inspections import train_inspections
from riskgraph.models.risk.streams import stream_codes
from riskgraph.models.risk.tiers import DEFAULT_CUTOFFS
from riskgraph.models.risk.train_config import (
    LEVELS,
    MIN_POSITIVES,
    TARGETS,
    TrainConfig,
    label_shortfall,
    load_user_data,
    model_features,
)

MIN_CALIBRATION_POSITIVES = 10
MIN_POPULATION_POSITIVES = 20
WEIGHTINGS = ("ipw", "random", "none")


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
    tiers = dict(DEFAULT_CUTOFFS)  # fixed risk levels (models/risk/tiers.py), not quantiles
    digest = snap.digest()
    version = (f"{cutoff:%Y%m%d}-{digest[:8]}-{contract_hash(features)[:6]}"
               f"-{config.weighting}")
    metadata = base_metadata(snap, config, features, digest, version)
    metadata.update({
        "rejected_rows": [*(r for t in tables for r in t.rejects),
                          *(extra.rejects if extra is not None else [])],
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


def as_of_default(snap: Snapshot) -> dt.date:
    """The default scoring date: the day after the data ends."""
    return date_of(snap.data_end + 1)
