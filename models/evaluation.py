"""Evaluate a trained model on the inspections of the period after its cutoff.

The random ("double random") stream is the one unbiased sample of outcomes, so by default every
figure is computed on firms inspected at random in the evaluation windows (panels from the
cutoff on, each with its horizon-long window inside the data; or one explicit window
``--from``/``--to``, any length). When the windows hold no random-stream inspection, or another
stream is asked for (``--stream``), the figures are computed on that stream and the report
states its bias (models/streams.py). Three rankings side by side:

* **model**: the calibrated probability of a violation (models/training.py);
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
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from riskgraph.graph.errors import BadInput
from riskgraph.graph.snapshot import STREAMS, Snapshot, date_of, day_of, index_of
from riskgraph.models.dataset import HORIZON, Outcomes, window_labels, yearly
from riskgraph.models.features import compute_features
from riskgraph.models.report_templates import render
from riskgraph.models.scorecards import bulk_zhejiang
from riskgraph.models.scoring import model_matrix
from riskgraph.models.streams import RANDOM, bias_statement, stream_codes
from riskgraph.models.training import RiskArtifact, TrainConfig, load_user_data
from riskgraph.models.userdata import UserTable

FloatArray = npt.NDArray[np.float64]
TOPS = (0.05, 0.10, 0.20)
METHODS = ("model", "scorecard", "baseline")
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
    from riskgraph.graph.snapshot import KINDS

    pen = (~snap.rec_on_person & (kind == KINDS.index("administrative_penalty"))
           & (snap.rec_issued <= t) & (snap.rec_issued > t - 730))
    baseline = np.bincount(snap.rec_subject[pen], minlength=snap.n_firms).astype(np.float64)
    serious = art.models.get("serious")
    return Rankings(art.models["violation"].proba(x),
                    serious.proba(x) if serious is not None else np.full(len(x), np.nan), -zj,
                    baseline), fm.alive


def top_metrics(y: npt.NDArray[np.bool_], score: FloatArray, seed: int = 0) -> dict[str, float]:
    """Precision, recall and lift at the top 5/10/20 % (random tie-break)."""
    rng = np.random.default_rng(seed)
    order = np.lexsort((rng.random(len(score)), -score))
    base = y.mean() if len(y) else 0.0
    out: dict[str, float] = {}
    for q in TOPS:
        k = max(1, round(q * len(y)))
        hit = y[order[:k]].sum()
        pct = f"{int(q * 100)}pct"
        out[f"precision_at_{pct}"] = float(hit / k)
        out[f"recall_at_{pct}"] = float(hit / max(y.sum(), 1))
        out[f"lift_at_{pct}"] = float(hit / k / base) if base else 0.0
    return out


def reliability(y: npt.NDArray[np.bool_], p: FloatArray, bins: int = 10
                ) -> list[dict[str, float]]:
    if len(p) == 0:
        return []
    edges = np.unique(np.quantile(p, np.linspace(0, 1, bins + 1)))
    which = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, max(len(edges) - 2, 0))
    out = []
    for b in range(max(len(edges) - 1, 1)):
        sel = which == b
        if sel.any():
            out.append({"predicted": float(p[sel].mean()), "observed": float(y[sel].mean()),
                        "count": int(sel.sum())})
    return out


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
        from riskgraph.models.inspections import evaluate_inspections

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


def windows_text(panels: list[tuple[int, int]]) -> str:
    return ", ".join(f"{date_of(t + 1)} … {date_of(t + h)}" for t, h in panels)


def choose_streams(present_codes: npt.NDArray[np.int64], streams: Sequence[str] | None,
                   panels: list[tuple[int, int]]) -> list[int]:
    """The stream codes to evaluate on: the asked ones, else random when present, else every
    stream present. BadInput (never an IndexError) when the windows hold none of them."""
    present = sorted(set(int(c) for c in present_codes.tolist()))
    where = windows_text(panels)
    if not present:
        raise BadInput(f"no inspection outcomes in the evaluation window(s) {where}: nothing to "
                       "evaluate on; choose another window (--from / --to)")
    if streams is None:
        return [RANDOM] if RANDOM in present else present
    chosen = [int(c) for c in stream_codes(streams)]
    if not set(chosen) & set(present):
        raise BadInput(f"no inspections of stream(s) {', '.join(streams)} in the evaluation "
                       f"window(s) {where}; streams present there: "
                       f"{', '.join(STREAMS[c] for c in present)} (choose one with --stream)")
    return chosen


def method_figures(y: npt.NDArray[np.bool_], score: FloatArray, prob: FloatArray
                   ) -> dict[str, Any]:
    row: dict[str, Any] = {
        "auc": _safe(roc_auc_score, y, score),
        "pr_auc": _safe(average_precision_score, y, score),
        "brier": float(brier_score_loss(y, prob)) if len(y) else None,
        "reliability": reliability(y, prob),
    }
    row.update(top_metrics(y, score))
    return row


def summary(art: RiskArtifact, y: npt.NDArray[np.bool_], methods: dict[str, dict[str, Any]],
            layout: dict[str, Any]) -> dict[str, Any]:
    """The headline fields both levels report."""
    best = methods["model"]
    sc_auc = methods["scorecard"]["auc"] if "scorecard" in methods else None
    out: dict[str, Any] = {"model_version": art.version, **layout,
                           "examples": len(y), "positives": int(y.sum()),
                           "base_rate": float(y.mean()) if len(y) else None,
                           "auc": best["auc"], "pr_auc": best["pr_auc"], "brier": best["brier"],
                           "precision_at_10pct": best["precision_at_10pct"],
                           "lift_at_10pct": best["lift_at_10pct"]}
    out.update({
        "scorecard_auc": sc_auc,
        "baseline_auc": methods["baseline"]["auc"] if "baseline" in methods else None,
        "auc_gain_over_scorecard": (best["auc"] - sc_auc if best["auc"] is not None
                                    and sc_auc is not None else None),
        "targets": {
            "precision_at_10pct_over_3x_base_rate": bool(
                len(y) and best["precision_at_10pct"] >= 3 * y.mean()),
            "auc_at_least_0.05_above_scorecard": bool(
                best["auc"] is not None and sc_auc is not None and best["auc"] >= sc_auc + 0.05),
        },
        "methods": methods,
        "omitted_components": art.metadata.get("omitted_components", []),
    })
    return out


def serious_figures(art: RiskArtifact, y: npt.NDArray[np.bool_], score: FloatArray
                    ) -> dict[str, Any]:
    """The serious-violation model's figures, or why there are none."""
    if "serious" not in art.models:
        reasons = [o["reason"] for o in art.metadata.get("omitted_components", [])
                   if o["component"] == "serious model"]
        return {"available": False,
                "reason": reasons[0] if reasons else "the model has no serious component"}
    out: dict[str, Any] = {
        "available": True, "auc": _safe(roc_auc_score, y, score),
        "pr_auc": _safe(average_precision_score, y, score),
        "base_rate": float(y.mean()) if len(y) else None,
        "brier": float(brier_score_loss(y, score)) if len(y) else None}
    out.update(top_metrics(y, score))
    return out


def write_predictions(path: Path, rows: list[dict[str, Any]]) -> None:
    """Per-example scores as CSV (``evaluate --predictions FILE``)."""
    import csv

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        if rows:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)


def _safe(fn: Any, y: npt.NDArray[np.bool_], s: FloatArray) -> float | None:
    if len(y) == 0 or y.all() or not y.any():
        return None
    return float(fn(y, s))


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


def write_report(result: dict[str, Any], y: npt.NDArray[np.bool_], s: dict[str, FloatArray],
                 probs: dict[str, FloatArray], out_dir: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import precision_recall_curve, roc_curve

    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "evaluation.json").write_text(json.dumps(result, indent=1) + "\n",
                                             encoding="utf-8")
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    for m in result["methods"]:
        if y.any() and not y.all():
            fpr, tpr, _ = roc_curve(y, s[m])
            axes[0].plot(fpr, tpr, label=f"{m} (AUC {result['methods'][m]['auc']:.3f})")
            pr, rc, _ = precision_recall_curve(y, s[m])
            axes[1].plot(rc, pr, label=f"{m} (AP {result['methods'][m]['pr_auc']:.3f})")
        rel = result["methods"][m]["reliability"]
        axes[2].plot([r["predicted"] for r in rel], [r["observed"] for r in rel], "o-",
                     label=f"{m} (Brier {result['methods'][m]['brier']:.4f})")
    axes[0].plot([0, 1], [0, 1], "k:", lw=0.8)
    axes[0].set(title=f"ROC ({result['evaluation_stream']} stream)", xlabel="false positive rate",
                ylabel="true positive rate")
    axes[1].axhline(result["base_rate"] or 0, color="k", ls=":", lw=0.8)
    axes[1].set(title="Precision-recall", xlabel="recall", ylabel="precision")
    hi = max([0.05] + [max(r["predicted"], r["observed"]) for m in result["methods"]
                       for r in result["methods"][m]["reliability"]])
    axes[2].plot([0, hi], [0, hi], "k:", lw=0.8)
    axes[2].set(title="Reliability (deciles)", xlabel="predicted", ylabel="observed")
    for ax in axes:
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out_dir / "curves.png", dpi=110)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(6, 4))
    width = 0.25
    for k, m in enumerate(result["methods"]):
        lifts = [result["methods"][m][f"lift_at_{int(q * 100)}pct"] for q in TOPS]
        ax.bar(np.arange(len(TOPS)) + k * width, lifts, width, label=m)
    ax.axhline(1.0, color="k", ls=":", lw=0.8)
    ax.set_xticks(np.arange(len(TOPS)) + width, [f"top {int(q * 100)}%" for q in TOPS])
    ax.set(title="Lift over random inspection", ylabel="lift")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out_dir / "lift.png", dpi=110)
    plt.close(fig)
    md = markdown_report(result)
    (out_dir / "evaluation.md").write_text(md, encoding="utf-8")
    (out_dir / "evaluation.html").write_text(html_report(result), encoding="utf-8")


def _f(v: Any, pct: bool = False) -> str:
    if v is None:
        return "–"
    return f"{v:.1%}" if pct else f"{v:.3f}"


def _tables(r: dict[str, Any]) -> tuple[list[str], list[list[str]], list[list[str]]]:
    head = ["metric", *r["methods"]]
    rows = [["ROC-AUC", *[_f(r["methods"][m]["auc"]) for m in r["methods"]]],
            ["PR-AUC", *[_f(r["methods"][m]["pr_auc"]) for m in r["methods"]]],
            ["Brier", *[_f(r["methods"][m]["brier"]) for m in r["methods"]]]]
    for q in TOPS:
        p = f"{int(q * 100)}pct"
        rows.append([f"precision @ top {int(q * 100)}%",
                     *[_f(r["methods"][m][f"precision_at_{p}"], True) for m in r["methods"]]])
        rows.append([f"recall @ top {int(q * 100)}%",
                     *[_f(r["methods"][m][f"recall_at_{p}"], True) for m in r["methods"]]])
        rows.append([f"lift @ top {int(q * 100)}%",
                     *[f"{r['methods'][m][f'lift_at_{p}']:.2f}×" for m in r["methods"]]])
    schemes = [[k, str(v["firms"]), *[_f(v[m], True) for m in r["methods"]]]
               for k, v in r["scheme_recall_at_10pct"].items()]
    return head, rows, schemes


def markdown_report(r: dict[str, Any]) -> str:
    head, rows, schemes = _tables(r)
    lines = [
        f"# Risk model evaluation — {r['model_version']}", "",
        f"Stream: {r['evaluation_stream']} ({r['stream_bias']}). Windows "
        f"{', '.join(w['from'] + ' … ' + w['to'] for w in r['evaluation_windows'])} (cutoff "
        f"{r['cutoff']}): {r['examples']} inspected firms, {r['positives']} found a violation "
        f"(base rate {_f(r['base_rate'], True)}).", "",
        "| " + " | ".join(head) + " |", "|" + "---|" * len(head),
        *["| " + " | ".join(row) + " |" for row in rows], "",
        f"Targets: precision in the top 10 % >= 3× base rate: "
        f"**{'met' if r['targets']['precision_at_10pct_over_3x_base_rate'] else 'missed'}**; "
        f"AUC >= scorecard + 0.05: "
        f"**{'met' if r['targets']['auc_at_least_0.05_above_scorecard'] else 'missed'}** "
        f"(gain {_f(r['auc_gain_over_scorecard'])}).", "",
        serious_line(r['serious']), "",
        *[f"Left out of this model: {o['component']} — {o['reason']}." for o in
          r.get("omitted_components", [])], "",
        "![ROC, precision-recall and reliability](curves.png)", "", "![Lift](lift.png)", "",
    ]
    if schemes:
        lines += ["## Planted schemes: share of live firms in each method's top 10 %", "",
                  "| scheme | firms | " + " | ".join(METHODS) + " |", "|---|---|---|---|---|",
                  *["| " + " | ".join(row) + " |" for row in schemes], ""]
    lines += [f"Data snapshot sha256 `{r['data_snapshot_sha256']}`.", ""]
    return "\n".join(lines)


def serious_line(s: dict[str, Any]) -> str:
    if not s.get("available", True):
        return f"Serious-violation model: not trained ({s['reason']})."
    return (f"Serious-violation model: AUC {_f(s['auc'])}, PR-AUC {_f(s['pr_auc'])}, base rate "
            f"{_f(s['base_rate'], True)}, precision @ top 10 % "
            f"{_f(s['precision_at_10pct'], True)}.")


def html_report(r: dict[str, Any]) -> str:
    """The evaluation page (models/templates/evaluation.html.j2): the metrics table with real
    header cells, the targets, the serious-violation line and the planted-scheme recall."""
    head, rows, schemes = _tables(r)
    targets = {"precision": "met" if r["targets"]["precision_at_10pct_over_3x_base_rate"]
               else "missed",
               "auc": "met" if r["targets"]["auc_at_least_0.05_above_scorecard"] else "missed",
               "gain": _f(r["auc_gain_over_scorecard"])}
    return render("evaluation.html.j2", r=r, head=head, rows=rows, schemes=schemes,
                  scheme_head=["scheme", "firms", *METHODS], base_rate=_f(r["base_rate"], True),
                  targets=targets, serious=serious_line(r["serious"]))
