"""Evaluate a trained model on the random-inspection stream of the period after its cutoff.

The random ("double random") stream is the one unbiased sample of outcomes, so every figure is
computed on firms inspected at random in the evaluation windows (panels from the cutoff on,
each with its 12-month window inside the data). Three rankings side by side:

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
import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from graph.snapshot import Snapshot, date_of, day_of, index_of
from models.dataset import Outcomes, window_labels, yearly
from models.features import compute_features
from models.scorecards import bulk_zhejiang
from models.scoring import model_matrix
from models.training import RiskArtifact, TrainConfig, load_user_data
from models.userdata import UserTable

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
    from graph.snapshot import KINDS

    pen = (~snap.rec_on_person & (kind == KINDS.index("administrative_penalty"))
           & (snap.rec_issued <= t) & (snap.rec_issued > t - 730))
    baseline = np.bincount(snap.rec_subject[pen], minlength=snap.n_firms).astype(np.float64)
    return Rankings(art.models["violation"].proba(x), art.models["serious"].proba(x), -zj,
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


def evaluate(snap: Snapshot, art: RiskArtifact, ground_truth: Path | None = None,
             out_dir: Path | None = None) -> dict[str, Any]:
    """All figures as a dict (and, with ``out_dir``, a Markdown + HTML + JSON report)."""
    tables, extra = load_user_data(snap, TrainConfig(
        user_feature_files=[Path(p) for p in art.user_feature_files]))
    outcomes = Outcomes.from_snapshot(snap, extra)
    cutoff = dt.date.fromisoformat(art.metadata["cutoff"])
    panels = [d for d in yearly(cutoff, date_of(snap.data_end))
              if day_of(d) + 364 <= snap.data_end]
    if not panels:
        from graph.errors import BadInput

        raise BadInput(f"no evaluation window after the model's cutoff {cutoff}: the data end "
                       f"on {date_of(snap.data_end)}; train with an earlier --as-of")
    ys: list[npt.NDArray[np.bool_]] = []
    ser: list[npt.NDArray[np.bool_]] = []
    scores: dict[str, list[FloatArray]] = {m: [] for m in (*METHODS, "serious")}
    last_rank: Rankings | None = None
    last_alive: npt.NDArray[np.bool_] | None = None
    for d in panels:
        t = day_of(d)
        rk, alive = rankings(snap, art, t, tables)
        _, vio, srs, rnd, _ = window_labels(outcomes, snap.n_firms, t)
        sel = rnd & alive
        ys.append(vio[sel])
        ser.append(srs[sel])
        for m in (*METHODS, "serious"):
            scores[m].append(getattr(rk, m)[sel])
        last_rank, last_alive = rk, alive
    y = np.concatenate(ys)
    y_serious = np.concatenate(ser)
    s = {m: np.concatenate(v) for m, v in scores.items()}

    # probability maps for scorecard / baseline, fitted on the calibration slice
    cal_date = dt.date.fromisoformat(art.metadata["calibration_window"]["panel"])
    tc = day_of(cal_date)
    rk_c, alive_c = rankings(snap, art, tc, tables)
    _, vio_c, _, rnd_c, _ = window_labels(outcomes, snap.n_firms, tc)
    cal = rnd_c & alive_c
    probs = {"model": s["model"]}
    for m in ("scorecard", "baseline"):
        if vio_c[cal].any() and (~vio_c[cal]).any():
            lr = _platt(getattr(rk_c, m)[cal], vio_c[cal])
            probs[m] = lr.predict_proba(s[m].reshape(-1, 1))[:, 1]
        else:
            probs[m] = np.full(len(y), y.mean())

    methods: dict[str, dict[str, Any]] = {}
    for m in METHODS:
        row: dict[str, Any] = {
            "auc": _safe(roc_auc_score, y, s[m]),
            "pr_auc": _safe(average_precision_score, y, s[m]),
            "brier": float(brier_score_loss(y, probs[m])) if len(y) else None,
            "reliability": reliability(y, probs[m]),
        }
        row.update(top_metrics(y, s[m]))
        methods[m] = row
    serious = {"auc": _safe(roc_auc_score, y_serious, s["serious"]),
               "pr_auc": _safe(average_precision_score, y_serious, s["serious"]),
               "base_rate": float(y_serious.mean()) if len(y) else None,
               "brier": float(brier_score_loss(y_serious, s["serious"])) if len(y) else None}
    serious.update(top_metrics(y_serious, s["serious"]))

    schemes: dict[str, dict[str, Any]] = {}
    if ground_truth is not None and last_rank is not None and last_alive is not None:
        schemes = scheme_recall(snap, last_rank, last_alive, ground_truth)
    best = methods["model"]
    result: dict[str, Any] = {
        "model_version": art.version,
        "cutoff": cutoff.isoformat(),
        "evaluation_panels": [d.isoformat() for d in panels],
        "evaluation_stream": "random",
        "examples": len(y), "positives": int(y.sum()),
        "base_rate": float(y.mean()) if len(y) else None,
        "auc": best["auc"], "pr_auc": best["pr_auc"], "brier": best["brier"],
        "precision_at_10pct": best["precision_at_10pct"], "lift_at_10pct": best["lift_at_10pct"],
        "scorecard_auc": methods["scorecard"]["auc"],
        "baseline_auc": methods["baseline"]["auc"],
        "auc_gain_over_scorecard": (best["auc"] - methods["scorecard"]["auc"]
                                    if best["auc"] is not None
                                    and methods["scorecard"]["auc"] is not None else None),
        "targets": {
            "precision_at_10pct_over_3x_base_rate": bool(
                len(y) and best["precision_at_10pct"] >= 3 * y.mean()),
            "auc_at_least_0.05_above_scorecard": bool(
                best["auc"] is not None and methods["scorecard"]["auc"] is not None
                and best["auc"] >= methods["scorecard"]["auc"] + 0.05),
        },
        "methods": methods,
        "serious": serious,
        "scheme_recall_at_10pct": schemes,
        "ground_truth": str(ground_truth) if ground_truth else None,
        "data_snapshot_sha256": snap.digest(),
    }
    if out_dir is not None:
        write_report(result, y, s, probs, out_dir)
    return result


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
    for m in METHODS:
        if y.any() and not y.all():
            fpr, tpr, _ = roc_curve(y, s[m])
            axes[0].plot(fpr, tpr, label=f"{m} (AUC {result['methods'][m]['auc']:.3f})")
            pr, rc, _ = precision_recall_curve(y, s[m])
            axes[1].plot(rc, pr, label=f"{m} (AP {result['methods'][m]['pr_auc']:.3f})")
        rel = result["methods"][m]["reliability"]
        axes[2].plot([r["predicted"] for r in rel], [r["observed"] for r in rel], "o-",
                     label=f"{m} (Brier {result['methods'][m]['brier']:.4f})")
    axes[0].plot([0, 1], [0, 1], "k:", lw=0.8)
    axes[0].set(title="ROC (random stream)", xlabel="false positive rate",
                ylabel="true positive rate")
    axes[1].axhline(result["base_rate"] or 0, color="k", ls=":", lw=0.8)
    axes[1].set(title="Precision-recall", xlabel="recall", ylabel="precision")
    hi = max([0.05] + [max(r["predicted"], r["observed"]) for m in METHODS
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
    for k, m in enumerate(METHODS):
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
    head = ["metric", *METHODS]
    rows = [["ROC-AUC", *[_f(r["methods"][m]["auc"]) for m in METHODS]],
            ["PR-AUC", *[_f(r["methods"][m]["pr_auc"]) for m in METHODS]],
            ["Brier", *[_f(r["methods"][m]["brier"]) for m in METHODS]]]
    for q in TOPS:
        p = f"{int(q * 100)}pct"
        rows.append([f"precision @ top {int(q * 100)}%",
                     *[_f(r["methods"][m][f"precision_at_{p}"], True) for m in METHODS]])
        rows.append([f"recall @ top {int(q * 100)}%",
                     *[_f(r["methods"][m][f"recall_at_{p}"], True) for m in METHODS]])
        rows.append([f"lift @ top {int(q * 100)}%",
                     *[f"{r['methods'][m][f'lift_at_{p}']:.2f}×" for m in METHODS]])
    schemes = [[k, str(v["firms"]), *[_f(v[m], True) for m in METHODS]]
               for k, v in r["scheme_recall_at_10pct"].items()]
    return head, rows, schemes


def markdown_report(r: dict[str, Any]) -> str:
    head, rows, schemes = _tables(r)
    lines = [
        f"# Risk model evaluation — {r['model_version']}", "",
        f"Random-inspection stream only (the unbiased sample), panels "
        f"{', '.join(r['evaluation_panels'])} (cutoff {r['cutoff']}): {r['examples']} "
        f"inspections, {r['positives']} found a violation (base rate "
        f"{_f(r['base_rate'], True)}).", "",
        "| " + " | ".join(head) + " |", "|" + "---|" * len(head),
        *["| " + " | ".join(row) + " |" for row in rows], "",
        f"Targets: precision in the top 10 % >= 3× base rate: "
        f"**{'met' if r['targets']['precision_at_10pct_over_3x_base_rate'] else 'missed'}**; "
        f"AUC >= scorecard + 0.05: "
        f"**{'met' if r['targets']['auc_at_least_0.05_above_scorecard'] else 'missed'}** "
        f"(gain {_f(r['auc_gain_over_scorecard'])}).", "",
        f"Serious-violation model: AUC {_f(r['serious']['auc'])}, PR-AUC "
        f"{_f(r['serious']['pr_auc'])}, base rate {_f(r['serious']['base_rate'], True)}, "
        f"precision @ top 10 % {_f(r['serious']['precision_at_10pct'], True)}.", "",
        "![ROC, precision-recall and reliability](curves.png)", "", "![Lift](lift.png)", "",
    ]
    if schemes:
        lines += ["## Planted schemes: share of live firms in each method's top 10 %", "",
                  "| scheme | firms | " + " | ".join(METHODS) + " |", "|---|---|---|---|---|",
                  *["| " + " | ".join(row) + " |" for row in schemes], ""]
    lines += [f"Data snapshot sha256 `{r['data_snapshot_sha256']}`.", ""]
    return "\n".join(lines)


def html_report(r: dict[str, Any]) -> str:
    head, rows, schemes = _tables(r)

    def table(h: list[str], body: list[list[str]]) -> str:
        th = "".join(f"<th>{html.escape(c)}</th>" for c in h)
        tr = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                     for row in body)
        return f"<table><thead><tr>{th}</tr></thead><tbody>{tr}</tbody></table>"

    parts = [
        "<!doctype html><meta charset='utf-8'>",
        f"<title>Evaluation {html.escape(r['model_version'])}</title>",
        "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}</style>",
        f"<h1>Risk model evaluation — {html.escape(r['model_version'])}</h1>",
        f"<p>Random-inspection stream only; panels {html.escape(', '.join(r['evaluation_panels']))}"
        f"; {r['examples']} inspections, base rate {_f(r['base_rate'], True)}.</p>",
        table(head, rows),
        "<p><img src='curves.png' width='100%'></p><p><img src='lift.png'></p>",
    ]
    if schemes:
        parts += ["<h2>Planted schemes (share in top 10 %)</h2>",
                  table(["scheme", "firms", *METHODS], schemes)]
    return "\n".join(parts) + "\n"
