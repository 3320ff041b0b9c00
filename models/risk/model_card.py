"""A Markdown model card for one trained model version.

Built from the artifact's own metadata (data snapshot, windows, features, calibration
metrics), the evaluation report when ``riskgraph evaluate`` has written one, and metrics
disaggregated by ownership type and size band, measured here on the random-stream outcomes of
the 12 months after the model's cutoff (the evaluation slice: never seen in training).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import roc_auc_score

from riskgraph.graph.snapshot import Snapshot, day_of
from riskgraph.models.accountability.fairness import attribute_groups, random_outcomes
from riskgraph.models.risk.artifact import RiskArtifact
from riskgraph.models.risk.dataset import Outcomes
from riskgraph.models.risk.features import get
from riskgraph.models.risk.features.compute import compute_features
from riskgraph.models.risk.scoring import score_snapshot
from riskgraph.models.risk.tiers import DEFAULT_CUTOFFS, HIGH_TIERS
from riskgraph.models.risk.train_config import EVENT_PREFIX

INTENDED = """\
- **Intended use**: rank firms for *inspection* so that scarce inspection capacity goes where
  a violation is most likely, alongside a guaranteed random (double-random) share; explain
  every rank with its records and graph paths.
- **Users**: market-regulation, tax and procurement agencies' inspection planners and
  investigators.
- **Must not be used for**: automatic sanctions, fines, blacklisting or any decision about a
  firm without a person reviewing the evidence (machines flag; people decide); credit or
  lending decisions; decisions about natural persons; publishing a firm's risk score.
- A firm may contest any record or its ranking (`riskgraph objection file`); overturned
  records stop feeding the model and the firm is re-scored."""

CAVEATS = """\
- Trained on inspection outcomes, which are themselves the product of past targeting; the
  inverse-propensity weights correct for selection on observed records only.
- Calibration and evaluation rest on the random stream (a few hundred inspections a year at
  demo scale): confidence intervals are wide; small groups (large firms, collective
  ownership) have too few outcomes for reliable disaggregated figures.
- Network features (people, group, suppliers, co-bidders) can transmit risk to firms that did
  nothing wrong; the explanation shows the path so a reviewer can judge it.
- Soft merits (honours, donations, redlists, political links) are excluded by default: in the
  provincial scorecard they favour politically connected firms without better compliance
  (see the fairness audit's soft-merit check).
- Synthetic demo data: the figures describe the demo world, not any real population."""


def disaggregated(snap: Snapshot, art: RiskArtifact) -> list[dict[str, Any]]:
    """AUC, violation rate and high-tier share by ownership and size on the evaluation slice."""
    cutoff = dt.date.fromisoformat(str(art.metadata["cutoff"]))
    t = day_of(cutoff)
    sc = score_snapshot(snap, art, cutoff)
    inspected, violation, _ = random_outcomes(Outcomes.from_snapshot(snap), snap.n_firms, t,
                                              t + 365)
    connected = compute_features(snap, t, ["politically_connected"]).values[:, 0] > 0
    groups = attribute_groups(snap, t, connected)
    high = np.isin(sc.tier, HIGH_TIERS)
    rows: list[dict[str, Any]] = []
    for attr in ("ownership", "size"):
        for name in sorted(set(groups[attr][sc.alive].tolist())):
            m = (groups[attr] == name) & sc.alive
            ins = m & inspected
            y = violation[ins]
            auc = (float(roc_auc_score(y, sc.risk[ins]))
                   if 0 < y.sum() < len(y) and len(y) >= 20 else None)
            rows.append({"attribute": attr, "group": name, "firms": int(m.sum()),
                         "high_tier_share": float(high[m].mean()),
                         "mean_risk": float(sc.risk[m].mean()), "inspected": int(ins.sum()),
                         "violation_rate": float(y.mean()) if len(y) else None, "auc": auc})
    return rows


def layout_lines(m: dict[str, Any]) -> list[str]:
    """The model's level, time layout and streams, for the Data section."""
    streams = ", ".join(m["streams"]) if m.get("streams") else "every stream"
    without = m.get("without_groups") or []
    common = [f"- Outcomes of {streams}"
              + (f"; feature groups left out: {', '.join(without)}" if without else "") + "."]
    if m.get("level") == "inspection":
        tw, cw = m["training_window"], m["calibration_window"]
        return [f"- Level: **inspection** — one example per inspection, the firm's features as "
                f"of the day before it plus the event's own columns "
                f"({', '.join(m.get('event_feature_files', [])) or 'no event table'}).",
                f"- Trained on inspections up to {m['cutoff']} ({tw['examples']} from "
                f"{tw['from']} to {tw['to']}); C chosen and calibrated on {cw['from']} to "
                f"{cw['to']}.", *common]
    return [f"- Level: firm (firm-years, for tiers); horizon {m.get('horizon_days', 365)} days.",
            f"- Cutoff {m['cutoff']}; training panels {', '.join(m['training_window']['panels'])}"
            f" (outcomes {m['training_window']['outcomes_from']} to "
            f"{m['training_window']['outcomes_to']}); calibration panel "
            f"{m['calibration_window']['panel']} (random stream unless too few positives).",
            *common]


def _f(v: Any, pct: bool = False) -> str:
    if v is None:
        return "–"
    return f"{v:.1%}" if pct else (f"{v:.3f}" if isinstance(v, float) else str(v))


def model_card(art: RiskArtifact, disagg: list[dict[str, Any]],
               evaluation: dict[str, Any] | None) -> str:
    m = art.metadata
    metrics = m["metrics"]
    lines = [f"# Model card — inspection risk model `{art.version}`", "",
             "*Machines flag; people decide.* Generated by `riskgraph model-card` from the "
             "model artifact; the design is described in docs/model-card.md.", "",
             "## Intended use", "", INTENDED, "",
             "## Data", "",
             f"- Data snapshot: `{m['data_snapshot_sha256']}` ({m['firms']:,} firms, data to "
             f"{m['data_end']}).",
             *layout_lines(m),
             f"- Weighting for targeted-inspection bias: `{m['weighting']}`; soft merits "
             f"{'included' if m['include_soft'] else 'excluded'}.",
             f"- Libraries: {', '.join(f'{k} {v}' for k, v in m['libraries'].items())}; model "
             f"file sha256 `{m.get('model_sha256', '?')}`.", "",
             "## Features", "", "| feature | what it means |", "|---|---|"]
    for name in art.features:
        text = (get(name).reason if not name.startswith(("user_", EVENT_PREFIX))
                else "column of the inspection event (user event table)"
                if name.startswith(EVENT_PREFIX) else "user-supplied feature")
        lines.append(f"| `{name}` | {text} |")
    lines += ["", "## Metrics", "", "| target | training examples | positives | "
              "calibration AUC (random stream) |", "|---|---|---|---|"]
    for target, v in metrics.items():
        lines.append(f"| {target} | {v['training_examples']} | {v['training_positives']} | "
                     f"{_f(v.get('calibration_auc'))} |")
    omitted = m.get("omitted_components", [])
    lines += ["", "Components left out of this model:" if omitted
              else "Every component was trained."]
    lines += [f"- {o['component']}: {o['reason']}" for o in omitted]
    if evaluation:
        keys = ("auc", "pr_auc", "brier", "base_rate", "precision_at_10pct", "lift_at_10pct",
                "scorecard_auc", "baseline_auc")
        lines += ["", "Evaluation (`riskgraph evaluate`, random stream after the cutoff):", "",
                  "| " + " | ".join(keys) + " |", "|" + "---|" * len(keys),
                  "| " + " | ".join(_f(evaluation.get(k)) for k in keys) + " |"]
    else:
        lines += ["", "No evaluation report yet: run `riskgraph evaluate`."]
    cut = ", ".join(f"{k} ≥ {v}" for k, v in DEFAULT_CUTOFFS.items())
    lines += ["", "## Disaggregated metrics", "",
              f"Random-stream outcomes in the 12 months after the cutoff; high tier = risk "
              f"over the high cut-off (tiers: {cut}). AUC is shown where a group has at least "
              "20 inspected firms with both outcomes.", "",
              "| attribute | group | firms | high-tier share | mean risk | inspected | "
              "violation rate | AUC |", "|---|---|---|---|---|---|---|---|"]
    for r in disagg:
        lines.append(f"| {r['attribute']} | {r['group']} | {r['firms']:,} | "
                     f"{_f(r['high_tier_share'], True)} | {_f(r['mean_risk'], True)} | "
                     f"{r['inspected']} | {_f(r['violation_rate'], True)} | {_f(r['auc'])} |")
    lines += ["", "## Caveats", "", CAVEATS, ""]
    return "\n".join(lines)


def write_model_card(snap: Snapshot, art: RiskArtifact, home: Path) -> Path:
    """Write ``<home>/models/<version>/MODEL_CARD.md``; return its path."""
    report = home / "reports" / art.version / "evaluation.json"
    evaluation = json.loads(report.read_text()) if report.is_file() else None
    text = model_card(art, disaggregated(snap, art), evaluation)
    path = home / "models" / art.version / "MODEL_CARD.md"
    path.write_text(text, encoding="utf-8")
    return path
