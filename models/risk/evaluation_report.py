"""The figures and the report both levels of `riskgraph evaluate` share: precision, recall and
lift at the top fractions, reliability, the headline summary, the serious model's figures, the
predictions CSV and the Markdown / HTML / JSON report (models/risk/evaluation.py for firms,
models/risk/inspections.py for inspections)."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from riskgraph.graph.errors import BadInput
from riskgraph.graph.snapshot import STREAMS, date_of
from riskgraph.models.report_templates import render
from riskgraph.models.risk.artifact import RiskArtifact
from riskgraph.models.risk.features.context import FloatArray
from riskgraph.models.risk.streams import RANDOM, stream_codes

TOPS = (0.05, 0.10, 0.20)
METHODS = ("model", "scorecard", "baseline")


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
