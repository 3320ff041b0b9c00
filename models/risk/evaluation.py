"""Evaluate a trained model on the inspections of the period after its cutoff.

The random ("double random") stream is the one unbiased sample of outcomes, so by default every
figure is computed on firms inspected at random in the evaluation windows (panels from the
cutoff on, each with its horizon-long window inside the data; or one explicit window
``--from``/``--to``, any length). When the windows hold no random-stream inspection, or another
stream is asked for (``--stream``), the figures are computed on that stream and the report
states its bias (models/risk/streams.py). Three rankings side by side:

* **model**: the calibrated probability of a violation (models/risk/training.py);
* **scorecard**: the provincial public credit score (lower score = higher risk);
* **baseline**: administrative penalties in the previous two years (the naive targeting rule).

Metrics: ROC-AUC, PR-AUC, precision / recall / lift at the top 5, 10 and 20 %, Brier score and
reliability (the scorecard and baseline are mapped to probabilities by a logistic fit on the
calibration slice, so their Brier scores are comparable), and — for synthetic worlds — the
recall of the planted schemes in ``ground_truth.json`` among the top 10 % of all live firms.
Ties in a ranking are broken at random (seeded), so a coarse score gets no free precision.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression

from riskgraph.graph.errors import BadInput
from riskgraph.graph.key_index import index_of
from riskgraph.graph.snapshot import KINDS, STREAMS, Snapshot, date_of, day_of
from riskgraph.models.risk.artifact import RiskArtifact
from riskgraph.models.risk.dataset import HORIZON, Outcomes, window_labels, yearly
from riskgraph.models.risk.evaluation_report import (
    METHODS,
    choose_streams,
    method_figures,
    serious_figures,
    summary,
    windows_text,
    write_predictions,
    write_report,
)
from riskgraph.models.risk.features import compute_features
from riskgraph.models.risk.features.context import FloatArray
from riskgraph.models.risk.inspections import evaluate_inspections
from riskgraph.models.risk.scorecards import bulk_zhejiang
from riskgraph.models.risk.scoring import model_matrix
from riskgraph.models.risk.streams import bias_statement
from riskgraph.models.risk.train_config import TrainConfig, load_user_data
from riskgraph.models.risk.userdata import UserTable

SCHEME_KEYS = {
    "bid_rigging_cartels": "members", "phoenix_firms": "successor",
    "shell_clusters": "members", "contaminated_supply_chains": "firm",
    "blacklisted_key_personnel": "firms", "inspector_conflicts": "uscc",
}


@dataclass
class Rankings:
    """Scores of the three methods for a set of firms (higher = riskier)."""

    model: FloatArray
    serious: FloatArray
    scorecard: FloatArray
    baseline: FloatArray


def rankings(snap: Snapshot, art: RiskArtifact, t: int, tables: list[UserTable]
             ) -> tuple[Rankings, npt.NDArray[np.bool_]]:
    fm = compute_features(snap, t, art.all_features, tables)
    x = model_matrix(art, fm)
    zj, _ = bulk_zhejiang(snap, date_of(t))
    kind = snap.rec_kind

    pen = (~snap.rec_on_person & (kind == KINDS.index("administrative_penalty"))
           & (snap.rec_issued <= t) & (snap.rec_issued > t - 730))
    baseline = np.bincount(snap.rec_subject[pen], minlength=snap.n_firms).astype(np.float64)
    serious = art.models.get("serious")
    return Rankings(art.models["violation"].proba(x),
                    serious.proba(x) if serious is not None else np.full(len(x), np.nan), -zj,
                    baseline), fm.alive


def _platt(score_cal: FloatArray, y_cal: npt.NDArray[np.bool_]) -> LogisticRegression:
    lr = LogisticRegression(C=1e6, max_iter=1000)
    lr.fit(score_cal.reshape(-1, 1), y_cal)
    return lr


def evaluation_panels(snap: Snapshot, art: RiskArtifact,
                      window: tuple[dt.date, dt.date] | None) -> list[tuple[int, int]]:
    """(panel day, horizon) pairs: the model's panels from its cutoff on whose windows lie in
    the data, or the one explicit window (features as of the day before ``from``, outcomes
    ``from`` … ``to`` inclusive). BadInput when there is none."""
    cutoff = dt.date.fromisoformat(art.metadata["cutoff"])
    horizon = int(art.metadata.get("horizon_days", HORIZON))
    end = date_of(snap.data_end)
    if window is not None:
        frm, to = window
        if to < frm:
            raise BadInput(f"--to {to} is before --from {frm}")
        if to > end:
            raise BadInput(f"--to {to} is after the data end {end}: outcomes after it are not "
                           "known yet")
        return [(day_of(frm) - 1, day_of(to) - day_of(frm) + 1)]
    if horizon == HORIZON:
        dates = yearly(cutoff, end)
    else:
        dates = [date_of(d) for d in range(day_of(cutoff), snap.data_end + 1, horizon)]
    panels = [(day_of(d), horizon) for d in dates if day_of(d) + horizon - 1 <= snap.data_end]
    if not panels:
        raise BadInput(f"no evaluation window after the model's cutoff {cutoff}: the data end "
                       f"on {end} (horizon {horizon} days); train with an earlier --until, or "
                       "give the window with --from and --to")
    return panels


def evaluate(snap: Snapshot, art: RiskArtifact, ground_truth: Path | None = None,
             out_dir: Path | None = None, window: tuple[dt.date, dt.date] | None = None,
             streams: Sequence[str] | None = None,
             predictions: Path | None = None, target: str = "violation",
             record_files: Sequence[Path] = ()) -> dict[str, Any]:
    """All figures as a dict (and, with ``out_dir``, a Markdown + HTML + JSON report).

    ``streams``: evaluate on firms inspected by these streams (default: the random stream, or
    every stream present when the windows hold no random-stream inspection). ``predictions``:
    write each example's score to this CSV. ``target``: inspection level only, which model's
    figures head the report (``violation`` or ``serious``)."""
    if art.metadata.get("level") == "inspection":
        return evaluate_inspections(snap, art, window, streams, out_dir, predictions, target,
                                    record_files)
    if record_files:
        raise BadInput("--records is for --level inspection")
    if target != "violation":
        raise BadInput("--target serious is for --level inspection; a firm-level report has the "
                       "serious model's figures in its 'serious' section")
    tables, extra = load_user_data(snap, TrainConfig(
        user_feature_files=[Path(p) for p in art.user_feature_files]))
    outcomes = Outcomes.from_snapshot(snap, extra)
    cutoff = dt.date.fromisoformat(art.metadata["cutoff"])
    panels = evaluation_panels(snap, art, window)
    in_windows = np.zeros(len(outcomes.day), dtype=bool)
    for t, h in panels:
        in_windows |= (outcomes.day > t) & (outcomes.day <= t + h)
    chosen = choose_streams(outcomes.stream[in_windows], streams, panels)
    chosen_outcomes = outcomes.only(np.asarray(chosen, dtype=np.int64))
    ys: list[npt.NDArray[np.bool_]] = []
    ser: list[npt.NDArray[np.bool_]] = []
    scores: dict[str, list[FloatArray]] = {m: [] for m in (*METHODS, "serious")}
    firms: list[npt.NDArray[np.int64]] = []
    last_rank: Rankings | None = None
    last_alive: npt.NDArray[np.bool_] | None = None
    for t, h in panels:
        rk, alive = rankings(snap, art, t, tables)
        _, vio, srs, _, _ = window_labels(outcomes, snap.n_firms, t, h)
        sel = window_labels(chosen_outcomes, snap.n_firms, t, h)[0] & alive
        ys.append(vio[sel])
        ser.append(srs[sel])
        firms.append(np.nonzero(sel)[0])
        for m in (*METHODS, "serious"):
            scores[m].append(getattr(rk, m)[sel])
        last_rank, last_alive = rk, alive
    y = np.concatenate(ys)
    y_serious = np.concatenate(ser)
    s = {m: np.concatenate(v) for m, v in scores.items()}
    if len(y) == 0:
        raise BadInput(f"no live firm was inspected by stream(s) "
                       f"{', '.join(STREAMS[c] for c in chosen)} in {windows_text(panels)}")

    # probability maps for scorecard / baseline, fitted on the calibration slice
    cal_date = dt.date.fromisoformat(art.metadata["calibration_window"]["panel"])
    tc = day_of(cal_date)
    horizon = int(art.metadata.get("horizon_days", HORIZON))
    rk_c, alive_c = rankings(snap, art, tc, tables)
    _, vio_c, _, _, _ = window_labels(outcomes, snap.n_firms, tc, horizon)
    cal = window_labels(chosen_outcomes, snap.n_firms, tc, horizon)[0] & alive_c
    probs = {"model": s["model"]}
    for m in ("scorecard", "baseline"):
        if vio_c[cal].any() and (~vio_c[cal]).any():
            lr = _platt(getattr(rk_c, m)[cal], vio_c[cal])
            probs[m] = lr.predict_proba(s[m].reshape(-1, 1))[:, 1]
        else:
            probs[m] = np.full(len(y), y.mean())

    methods = {m: method_figures(y, s[m], probs[m]) for m in METHODS}
    serious = serious_figures(art, y_serious, s["serious"])

    schemes: dict[str, dict[str, Any]] = {}
    if ground_truth is not None and last_rank is not None and last_alive is not None:
        schemes = scheme_recall(snap, last_rank, last_alive, ground_truth)
    if predictions is not None:
        write_predictions(predictions, [
            {"uscc": str(snap.uscc[f]), "panel": date_of(t).isoformat(),
             "window_to": date_of(t + h).isoformat(), "score": float(sc), "violation": bool(v)}
            for (t, h), fs, ss, vs in zip(panels, firms, scores["model"], ys, strict=True)
            for f, sc, v in zip(fs, ss, vs, strict=True)])
    result = summary(art, y, methods, {
        "level": "firm",
        "cutoff": cutoff.isoformat(),
        "evaluation_panels": [date_of(t).isoformat() for t, _ in panels],
        "evaluation_windows": [{"from": date_of(t + 1).isoformat(),
                                "to": date_of(t + h).isoformat()} for t, h in panels],
        "evaluation_stream": "+".join(STREAMS[c] for c in chosen),
        "stream_bias": bias_statement(chosen)})
    result.update({
        "serious": serious,
        "scheme_recall_at_10pct": schemes,
        "ground_truth": str(ground_truth) if ground_truth else None,
        "data_snapshot_sha256": snap.digest(),
    })
    if out_dir is not None:
        write_report(result, y, s, probs, out_dir)
    return result


def scheme_recall(snap: Snapshot, rk: Rankings, alive: npt.NDArray[np.bool_],
                  ground_truth: Path) -> dict[str, dict[str, Any]]:
    """Share of each planted scheme's live firms that each method ranks in its top 10 %."""
    doc = json.loads(ground_truth.read_text(encoding="utf-8"))
    live = np.nonzero(alive)[0]
    top: dict[str, npt.NDArray[np.bool_]] = {}
    rng = np.random.default_rng(0)
    for m in METHODS:
        score = getattr(rk, m)[live]
        order = np.lexsort((rng.random(len(live)), -score))
        flag = np.zeros(snap.n_firms, dtype=bool)
        flag[live[order[: max(1, len(live) // 10)]]] = True
        top[m] = flag
    out: dict[str, dict[str, Any]] = {}
    for scheme, key in SCHEME_KEYS.items():
        firms: set[str] = set()
        for entry in doc.get("schemes", {}).get(scheme, []):
            v = entry.get(key)
            firms.update(v if isinstance(v, list) else [v] if v else [])
        idx = index_of(snap.uscc.astype(str), np.asarray(sorted(firms), dtype=str))
        idx = idx[(idx >= 0)]
        idx = idx[alive[idx]]
        row: dict[str, Any] = {"firms": len(idx)}
        for m in METHODS:
            row[m] = float(top[m][idx].mean()) if len(idx) else None
        out[scheme] = row
    return out


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
