"""Inspection-level learning: one example per inspection event (``riskgraph train --level
inspection``, ``riskgraph evaluate --level inspection``).

The firm-level model (models/risk/training.py) asks "will an inspection of this firm in the next
year find a violation?" on yearly panels, for tiers. Here every inspection is an example: its
firm's features are computed **as of the day before the inspection** (the same feature code,
models/features, point in time: nothing dated on or after the inspection day is visible), plus
columns of the event itself (inspector, inspection type, weather, …) from user *event tables*
keyed by the inspection's ``record_id`` (``--event-features FILE``). The label is the
inspection's own outcome. Network features (scope ``network``: people, groups, suppliers,
co-bidders, position) are computed once per 28-day block, as of the last block boundary before
the inspection — also point in time, only less fresh — because they cost most and move slowly.

Training takes the inspections dated up to ``--until`` (default: the data end) of the chosen
streams; the hyper-parameters (``C`` and the number of bins per feature) are chosen on the
last fifth of them (by date), the
probabilities are Platt-scaled there, and the model is then refitted on all of them. No
inverse-propensity weights: the examples are the inspections themselves, and the model predicts
for inspections chosen the same way (state the stream when that is not so). The auxiliary
population model is firm-level and not used here.

Evaluation takes the inspections dated ``--from`` … ``--to`` (default: after ``--until`` to the
data end) and reports, beside ROC-AUC and precision in the top 10 %, the **days earlier** that
violations are found when the window's inspections are re-ordered by score into the same daily
capacity (the Chicago benchmark's headline figure).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from riskgraph.graph.errors import BadInput
from riskgraph.graph.key_index import index_of
from riskgraph.graph.snapshot import KINDS, STREAMS, Snapshot, date_of, day_of
from riskgraph.models.rejects import note
from riskgraph.models.risk.additive import BinnedAdditiveClassifier
from riskgraph.models.risk.artifact import CalibratedModel, RiskArtifact, base_metadata
from riskgraph.models.risk.evaluation_report import (
    choose_streams,
    method_figures,
    serious_figures,
    summary,
    write_predictions,
    write_report,
)
from riskgraph.models.risk.features import compute_features
from riskgraph.models.risk.features.context import BoolArray, FloatArray, IntArray
from riskgraph.models.risk.features.registry import contract_hash, get
from riskgraph.models.risk.streams import RANDOM, bias_statement, stream_codes
from riskgraph.models.risk.train_config import (
    EVENT_PREFIX,
    MIN_POSITIVES,
    TARGETS,
    TrainConfig,
    label_shortfall,
    load_user_data,
    model_features,
)
from riskgraph.models.risk.userdata import (
    UserTable,
    good_rows,
    keep_good_rows,
    numeric_column,
    read_checked,
    read_table,
)

C_GRID = (0.003, 0.01, 0.03, 0.1, 0.3)
BINS_GRID = (4, 6, 8, 12)
"""Bins per feature tried beside ``TrainConfig.max_bins`` (always tried too): fewer bins are
smoother shape functions, more follow a feature closely; the calibration slice decides."""
MAX_CATEGORIES = 64
CALIBRATION_SHARE = 0.2
IDENTIFYING = ("record_id", "uscc", "date")
NETWORK_STEP = 28


# ---------------------------------------------------------------------------------------------
# Event tables
# ---------------------------------------------------------------------------------------------


@dataclass
class EventTable:
    """The inspection's own columns, by ``record_id``: numeric columns become
    ``event_<stem>_<column>``, text columns one indicator ``event_<stem>_<column>_<value>`` per
    value (at most ``MAX_CATEGORIES``). ``uscc`` and ``date`` columns, when present, only
    identify the row and are not features."""

    name: str
    record_id: npt.NDArray[np.object_]
    columns: dict[str, FloatArray]
    path: str = ""
    rejects: list[str] = field(default_factory=list)
    """The rows left out, each with its reason (file, row, field)."""

    @classmethod
    def read(cls, path: Path) -> EventTable:
        """The table's good rows; each bad row (an empty or repeated ``record_id``, a value that
        is not a finite number in a numeric column) is left out, its reason in ``rejects``."""
        table, bad = read_checked(path, ("record_id",))
        stem = _key(path.stem) or "events"
        numeric: dict[str, FloatArray] = {}
        text: dict[str, npt.NDArray[np.object_]] = {}
        for name in table.column_names:
            if name in IDENTIFYING:
                continue
            values = table[name].to_pylist()
            key = f"{EVENT_PREFIX}{stem}_{_key(name)}"
            as_numbers = numeric_column(values, name, bad)
            if as_numbers is not None:
                numeric[key] = as_numbers
            else:
                text[key] = np.asarray(["" if _blank(v) else str(v).strip() for v in values],
                                       dtype=object)
                levels = sorted(set(text[key].tolist()) - {""})
                if len(levels) > MAX_CATEGORIES:
                    raise BadInput(f"{path}: text column {name!r} has {len(levels)} distinct "
                                   f"values; at most {MAX_CATEGORIES} are one-hot encoded "
                                   "(give a number instead)")
        if not numeric and not text:
            raise BadInput(f"{path}: no columns besides record_id")
        rejects: list[str] = []
        good = keep_good_rows(table, bad, path, rejects)
        keep = good_rows(table.num_rows, bad)
        columns: dict[str, FloatArray] = {}
        for name in table.column_names:
            key = f"{EVENT_PREFIX}{stem}_{_key(name)}"
            if key in numeric:
                columns[key] = np.nan_to_num(numeric[key][keep], nan=0.0)
            elif key in text:
                values = text[key][keep]
                for level in sorted(set(values.tolist()) - {""}):
                    columns[f"{key}_{_key(level) or 'x'}"] = (values == level).astype(np.float64)
        ids = np.asarray([str(v) for v in good["record_id"].to_pylist()], dtype=object)
        note(path, rejects)
        return cls(stem, ids, columns, str(path), rejects)

    def feature_columns(self) -> list[str]:
        return list(self.columns)

    def values(self, record_ids: npt.NDArray[np.object_], column: str) -> FloatArray:
        """Per inspection (in ``record_ids`` order): the column's value, 0 when the table has no
        row for it."""
        at = index_of(self.record_id.astype(str), record_ids.astype(str))
        return np.where(at >= 0, self.columns[column][np.maximum(at, 0)], 0.0)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower()


def event_columns(tables: Sequence[EventTable]) -> list[str]:
    names = [c for t in tables for c in t.feature_columns()]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise BadInput(f"event tables define the same column twice: {', '.join(dupes)}")
    return names


# ---------------------------------------------------------------------------------------------
# Examples
# ---------------------------------------------------------------------------------------------


@dataclass
class InspectionExamples:
    """One row per inspection: firm index, day, record id, stream, labels, features."""

    firm: IntArray
    day: IntArray
    record_id: npt.NDArray[np.object_]
    stream: IntArray
    violation: BoolArray
    serious: BoolArray
    x: FloatArray
    names: list[str]

    def __len__(self) -> int:
        return len(self.day)

    def take(self, sel: BoolArray | IntArray) -> InspectionExamples:
        return InspectionExamples(self.firm[sel], self.day[sel], self.record_id[sel],
                                  self.stream[sel], self.violation[sel], self.serious[sel],
                                  self.x[sel], self.names)


def inspection_events(snap: Snapshot) -> tuple[IntArray, IntArray, npt.NDArray[np.object_],
                                                IntArray, IntArray]:
    """Every firm inspection with an outcome: firm, day, record id, stream, outcome."""
    sel = (~snap.rec_on_person
           & np.isin(snap.rec_kind, [KINDS.index("random_inspection"),
                                     KINDS.index("targeted_inspection")])
           & (snap.rec_outcome >= 0))
    stream = np.where(snap.rec_stream[sel] >= 0, snap.rec_stream[sel],
                      np.where(snap.rec_kind[sel] == KINDS.index("random_inspection"), RANDOM,
                               1))
    return (snap.rec_subject[sel].astype(np.int64), snap.rec_issued[sel].astype(np.int64),
            snap.rec_id[sel].astype(object), stream.astype(np.int64),
            snap.rec_outcome[sel].astype(np.int64))


def feature_day(day: IntArray | int) -> Any:
    """The as-of day of an inspection's features: the day before it (its own outcome, and
    anything else dated that day, stays invisible)."""
    return np.asarray(day) - 1


def network_day(day: IntArray) -> IntArray:
    """The as-of day of an inspection's network features: the last ``NETWORK_STEP`` boundary
    before it (never on or after the inspection day). Network features move slowly and cost
    most, so they are computed once per block instead of once per day."""
    before = np.asarray(day, dtype=np.int64) - 1
    return before - np.mod(before, NETWORK_STEP)


def _exact(name: str) -> bool:
    """Computed as of the very day before the inspection: the firm's own records and
    attributes, and user tables."""
    return name.startswith("user_") or get(name).scope == "own"


def read_record_ids(paths: Sequence[Path]) -> set[str] | None:
    """The ``record_id`` values of these tables (None when there are none: no restriction)."""
    if not paths:
        return None
    out: set[str] = set()
    for path in paths:
        found: list[str] = []
        table = read_table(Path(path), ("record_id",), found)
        empty = [r for r in found if "repeats row" not in r]  # a repeated id lists it twice
        if empty:
            raise BadInput("; ".join(empty[:5]))
        out.update(str(v) for v in table["record_id"].to_pylist())
    return out


def build_examples(snap: Snapshot, names: Sequence[str], tables: Sequence[UserTable],
                   events: Sequence[EventTable], lo: int, hi: int,
                   streams: Sequence[int] | None,
                   records: set[str] | None = None) -> InspectionExamples:
    """The inspections dated ``lo`` … ``hi`` (days, inclusive) of ``streams`` (all when None)
    and, when given, among ``records``, with the firm's features as of the day before each and
    the event tables' columns."""
    firm, day, rid, stream, outcome = inspection_events(snap)
    sel = (day >= lo) & (day <= hi)
    if streams is not None:
        sel &= np.isin(stream, list(streams))
    if records is not None:
        sel &= np.isin(rid.astype(str), np.asarray(sorted(records), dtype=str))
    order = np.lexsort((rid[sel].astype(str), day[sel]))
    firm, day, rid = firm[sel][order], day[sel][order], rid[sel][order]
    stream, outcome = stream[sel][order], outcome[sel][order]
    ev_names = event_columns(events)
    x = np.zeros((len(day), len(names) + len(ev_names)))
    own = np.asarray([j for j, n in enumerate(names) if _exact(n)], dtype=np.int64)
    net = np.asarray([j for j, n in enumerate(names) if not _exact(n)], dtype=np.int64)
    as_of = feature_day(day)
    for d in np.unique(as_of):
        rows = np.nonzero(as_of == d)[0]
        fm = compute_features(snap, int(d), [names[j] for j in own], tables)
        x[np.ix_(rows, own)] = fm.values[firm[rows]]
    block = network_day(day)
    for d in np.unique(block) if len(net) else []:
        rows = np.nonzero(block == d)[0]
        fm = compute_features(snap, int(d), [names[j] for j in net], tables)
        x[np.ix_(rows, net)] = fm.values[firm[rows]]
    for j, name in enumerate(ev_names):
        table = next(t for t in events if name in t.columns)
        x[:, len(names) + j] = table.values(rid, name)
    return InspectionExamples(firm, day, rid, stream, outcome >= 1, outcome == 2, x,
                              [*names, *ev_names])


# ---------------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------------


def _fit(x: FloatArray, y: BoolArray, c: float, bins: int, config: TrainConfig
         ) -> BinnedAdditiveClassifier:
    gam = BinnedAdditiveClassifier(max_bins=bins, C=c, random_state=config.random_state)
    return gam.fit(x, y)


def _auc(y: BoolArray, s: FloatArray) -> float | None:
    return float(roc_auc_score(y, s)) if 0 < y.sum() < len(y) else None


def train_inspections(snap: Snapshot, config: TrainConfig) -> RiskArtifact:
    """Fit the inspection-level models (see the module docstring)."""
    tables, extra = load_user_data(snap, config)
    if extra is not None:
        raise BadInput("--outcomes tables are firm-level (uscc, date): at inspection level the "
                       "examples are the graph's inspection records; load them as records")
    events = [EventTable.read(Path(p)) for p in config.event_feature_files]
    until = config.as_of or date_of(snap.data_end)
    codes = None if config.streams is None else [int(c) for c in stream_codes(config.streams)]
    if config.weighting == "random":
        codes = [RANDOM]
    features = model_features(config.include_soft, tables, config.without_groups)
    records = read_record_ids(config.record_files)
    ex = build_examples(snap, features, tables, events, -10**9, day_of(until), codes, records)
    where = (f"inspections up to {until}"
             + (f" (streams {', '.join(STREAMS[c] for c in codes)})" if codes else "")
             + (f" listed in {', '.join(map(str, config.record_files))}" if records else ""))
    if len(ex) == 0:
        raise BadInput(f"no {where}: nothing to train on")
    n_cal = max(1, round(CALIBRATION_SHARE * len(ex)))
    fit_part, cal_part = np.arange(len(ex) - n_cal), np.arange(len(ex) - n_cal, len(ex))
    models: dict[str, CalibratedModel] = {}
    metrics: dict[str, Any] = {}
    omitted: list[dict[str, str]] = [{
        "component": "population model",
        "reason": "firm-level only: not used at inspection level"}]
    for target in TARGETS:
        y = getattr(ex, target)
        shortfall = label_shortfall(y, MIN_POSITIVES[target], target, where)
        if shortfall is not None:
            if target == "violation":
                raise BadInput(shortfall)
            omitted.append({"component": f"{target} model", "reason": shortfall})
            continue
        trials: dict[tuple[int, float], float | None] = {}
        best_bins, best_c = config.max_bins, config.C
        if y[fit_part].any() and not y[fit_part].all() and 0 < y[cal_part].sum() < n_cal:
            for bins in sorted({*BINS_GRID, config.max_bins}):
                for c in C_GRID:
                    gam = _fit(ex.x[fit_part], y[fit_part], c, bins, config)
                    trials[bins, c] = _auc(y[cal_part], gam.decision_function(ex.x[cal_part]))
            # best calibration AUC; ties go to the stronger penalty, then to fewer bins
            best_bins, best_c = max(trials, key=lambda k: (trials[k] or 0.0, -k[1], -k[0]))
            gam = _fit(ex.x[fit_part], y[fit_part], best_c, best_bins, config)
            platt = LogisticRegression(C=1.0, max_iter=1000)
            platt.fit(gam.decision_function(ex.x[cal_part]).reshape(-1, 1), y[cal_part])
            weight, intercept = float(platt.coef_[0][0]), float(platt.intercept_[0])
            cal_auc = trials[best_bins, best_c]
        else:
            weight, intercept, cal_auc = 1.0, 0.0, None
        final = _fit(ex.x, y, best_c, best_bins, config)
        models[target] = CalibratedModel(target, [final], [weight], intercept)
        metrics[target] = {
            "training_examples": len(ex), "training_positives": int(y.sum()),
            "training_auc_inspection_model": _auc(y, final.decision_function(ex.x)),
            "calibration_examples": n_cal, "calibration_positives": int(y[cal_part].sum()),
            "calibration_source": f"the last {CALIBRATION_SHARE:.0%} of the training "
                                  "inspections by date (C and bins chosen and Platt-scaled "
                                  "there)",
            "calibration_auc": cal_auc,
            "C": best_c, "max_bins": best_bins,
            "C_trials": {f"bins={b} C={c}": v for (b, c), v in trials.items()},
            "component_weights": {"inspection_model": weight, "population_model": None},
            "intercept": intercept,
        }
    digest = snap.digest()
    names = ex.names
    version = f"{until:%Y%m%d}-{digest[:8]}-{contract_hash(names)[:6]}-inspection"
    metadata = base_metadata(snap, config, names, digest, version)
    metadata.update({
        "rejected_rows": [*(r for t in tables for r in t.rejects),
                          *(r for e in events for r in e.rejects)],
        "cutoff": until.isoformat(),
        "weighting": "none (inspection level)" if config.weighting != "random" else "random",
        "event_feature_files": [str(p) for p in config.event_feature_files],
        "event_features": event_columns(events),
        "record_files": [str(p) for p in config.record_files],
        "training_window": {"from": date_of(int(ex.day.min())).isoformat(),
                            "to": date_of(int(ex.day.max())).isoformat(),
                            "examples": len(ex), "panels": []},
        "calibration_window": {"from": date_of(int(ex.day[cal_part].min())).isoformat(),
                               "to": date_of(int(ex.day[cal_part].max())).isoformat(),
                               "panel": None},
        "metrics": metrics,
        "omitted_components": omitted,
    })
    all_features = model_features(True, tables)
    return RiskArtifact(version, names, all_features, config.include_soft,
                        [str(p) for p in config.user_feature_files], models,
                        dict(metadata["tiers"]), metadata)


# ---------------------------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------------------------


def days_earlier(day: IntArray, y: BoolArray, score: FloatArray, seed: int = 0) -> float | None:
    """Mean days earlier that the positive inspections happen when the same inspections are
    re-ordered by descending score into the same daily capacity (each day keeps its number of
    inspections; ties broken at random, seeded). None without positives."""
    if not y.any():
        return None
    rng = np.random.default_rng(seed)
    order = np.lexsort((rng.random(len(score)), -score))
    slots = np.sort(day)  # the capacity: day d appears as often as it had inspections
    new_day = np.empty(len(day), dtype=np.int64)
    new_day[order] = slots
    return float((day[y] - new_day[y]).mean())


def evaluate_inspections(snap: Snapshot, art: RiskArtifact,
                         window: tuple[dt.date, dt.date] | None,
                         streams: Sequence[str] | None, out_dir: Path | None,
                         predictions: Path | None, target: str = "violation",
                         record_files: Sequence[Path] = ()) -> dict[str, Any]:
    """Figures on the inspections of the window (see the module docstring); ``target``
    ``serious`` heads the report with the serious-violation model instead."""
    meta = art.metadata
    until = dt.date.fromisoformat(meta["cutoff"])
    end = date_of(snap.data_end)
    frm, to = window if window is not None else (until + dt.timedelta(days=1), end)
    if to < frm:
        raise BadInput(f"--to {to} is before --from {frm}")
    if to > end:
        raise BadInput(f"--to {to} is after the data end {end}: outcomes after it are not "
                       "known yet")
    panels = [(day_of(frm) - 1, day_of(to) - day_of(frm) + 1)]
    _, day, _, stream, _ = inspection_events(snap)
    in_window = (day >= day_of(frm)) & (day <= day_of(to))
    chosen = choose_streams(stream[in_window], streams, panels)
    tables = [UserTable.read(Path(p)) for p in art.user_feature_files]
    events = [EventTable.read(Path(p)) for p in meta.get("event_feature_files", [])]
    firm_names = [f for f in art.features if not f.startswith(EVENT_PREFIX)]
    records = read_record_ids(record_files)
    ex = build_examples(snap, firm_names, tables, events, day_of(frm), day_of(to), chosen,
                        records)
    if len(ex) == 0:
        raise BadInput(f"no inspections to evaluate in {frm} … {to}"
                       + (" among the listed records" if records is not None else ""))
    if [*firm_names, *event_columns(events)] != art.features:
        raise BadInput("the event tables no longer have the columns the model was trained on; "
                       "retrain with `riskgraph train --level inspection`")
    if target not in TARGETS:
        raise BadInput(f"--target must be one of {', '.join(TARGETS)}, got {target!r}")
    if target not in art.models:
        raise BadInput(f"model {art.version} has no {target} component: "
                       + "; ".join(o["reason"] for o in meta.get("omitted_components", [])
                                   if o["component"] == f"{target} model"))
    y = getattr(ex, target)
    model = art.models[target].proba(ex.x)
    naive = "inspection_serious_3y" if target == "serious" else "inspection_violations_3y"
    past = ex.x[:, firm_names.index(naive)] if naive in firm_names else np.zeros(len(ex))
    scores = {"model": model, "baseline": past}
    probs = {"model": model, "baseline": np.full(len(y), y.mean() if len(y) else 0.0)}
    methods = {m: method_figures(y, scores[m], probs[m]) for m in scores}
    for m in methods:
        methods[m]["days_earlier"] = days_earlier(ex.day, y, scores[m])
    serious = art.models.get("serious")
    s_score = serious.proba(ex.x) if serious is not None else np.full(len(y), np.nan)
    v_score = art.models["violation"].proba(ex.x)
    result = summary(art, y, methods, {
        "level": "inspection",
        "target": target,
        "cutoff": until.isoformat(),
        "evaluation_panels": [],
        "evaluation_windows": [{"from": frm.isoformat(), "to": to.isoformat()}],
        "evaluation_stream": "+".join(STREAMS[c] for c in chosen),
        "stream_bias": bias_statement(chosen),
        "record_files": [str(p) for p in record_files]})
    result.update({
        "days_earlier": methods["model"]["days_earlier"],
        "serious": serious_figures(art, ex.serious, s_score),
        "scheme_recall_at_10pct": {},
        "ground_truth": None,
        "data_snapshot_sha256": snap.digest(),
    })
    if predictions is not None:
        write_predictions(predictions, [
            {"record_id": str(r), "uscc": str(snap.uscc[f]), "date": date_of(int(d)).isoformat(),
             "stream": STREAMS[int(s)], "violation_score": float(p), "violation": bool(v),
             "serious_score": None if np.isnan(q) else float(q), "serious": bool(w)}
            for r, f, d, s, p, v, q, w in zip(ex.record_id, ex.firm, ex.day, ex.stream, v_score,
                                              ex.violation, s_score, ex.serious, strict=True)])
    if out_dir is not None:
        write_report(result, y, scores, probs, out_dir)
    return result
