"""Inspection plans as files: a CSV (one row per inspection) and an HTML list per inspector."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from riskgraph.graph.regions import province_name, region_label
from riskgraph.models.plain_values import plain_value
from riskgraph.models.planning import Plan, PlannedInspection
from riskgraph.models.report_templates import render

CSV_COLUMNS = ("order", "uscc", "name", "region_code", "province", "stream", "tier", "risk",
               "rank", "inspectors", "inspector_names", "status", "note", "top_reasons")
BLIND = "random"
"""The stream whose firms are shown without tier, risk, rank or reasons: an inspector visiting a
control-sample firm must not be primed by its score (the double-random stream's purpose)."""
BLIND_TEXT = "drawn at random (control sample): no score or reasons shown"


def _reasons(reasons: Sequence[Mapping[str, Any]]) -> list[str]:
    """Each reason's text with its value in words ("… — last penalty 9 months ago")."""
    out = []
    for r in reasons:
        value = r.get("value")
        plain = plain_value(str(r.get("feature")), float(value)) if value is not None else ""
        text = str(r["text"])
        out.append(f"{text.rstrip('.')} — {plain}" if plain and "=" not in plain else text)
    return out


def _blind(p: PlannedInspection) -> bool:
    return p.stream == BLIND


def stream_counts(plan: Plan) -> str:
    """``80 tier-stream, 20 random-stream`` (the plan's inspections by stream)."""
    counts = plan.summary()["by_stream"]
    return ", ".join(f"{n} {stream}-stream" for stream, n in sorted(counts.items())) or "none"


def plan_csv(plan: Plan, inspector_names: Mapping[str, str] | None = None) -> str:
    """One row per inspection; random-stream rows leave tier, risk, rank and reasons empty."""
    names = inspector_names or {}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for p in plan.inspections:
        f = p.firm
        blind = _blind(p)
        w.writerow([p.order, f.uscc, f.name, f.region_code, province_name(f.region_code) or "",
                    p.stream, "" if blind else f.tier, "" if blind else f"{f.risk:.6f}",
                    "" if blind else f.rank, ";".join(p.inspector_ids),
                    ";".join(names.get(i, "") for i in p.inspector_ids), p.status, p.note,
                    BLIND_TEXT if blind else " | ".join(_reasons(f.reasons))])
    return buf.getvalue()


def _row(p: PlannedInspection) -> dict[str, Any]:
    """One inspection as plain values (the template escapes them); random-stream firms blind."""
    f = p.firm
    row: dict[str, Any] = {"order": p.order, "name": f.name, "uscc": f.uscc,
                           "region": region_label(f.region_code), "stream": p.stream,
                           "note": p.note}
    if _blind(p):
        return row | {"tier": "", "risk": "–", "reasons": [BLIND_TEXT]}
    return row | {"tier": f.tier, "risk": f"{f.risk:.1%}",
                  "reasons": _reasons(f.reasons) or ["no reason above the threshold"]}


def plan_html(plan: Plan, *, plan_id: str, run_id: str, plan_date: str,
              inspector_names: Mapping[str, str] | None = None) -> str:
    """One section per inspector (then the unassigned firms), each firm with its top reasons;
    random-stream firms are blinded (no tier, risk or reasons). Template:
    models/templates/plan.html.j2."""
    names = inspector_names or {}
    by_inspector: dict[str, list[PlannedInspection]] = {}
    unassigned = []
    for p in plan.inspections:
        if not p.inspector_ids:
            unassigned.append(p)
        for i in p.inspector_ids:
            by_inspector.setdefault(i, []).append(p)
    sections = [{"label": f"{names[i]} ({i})" if names.get(i) else i,
                 "rows": [_row(p) for p in by_inspector[i]]} for i in sorted(by_inspector)]
    return render(
        "plan.html.j2", plan_id=plan_id, run_id=run_id, plan_date=plan_date,
        seed=plan.params.seed, capacity=plan.params.capacity,
        region=plan.params.region or "all", inspections=plan.summary()["inspections"],
        streams=stream_counts(plan), digest=plan.digest, message=plan.message,
        sections=sections, unassigned=[_row(p) for p in unassigned])


def write_plan_files(plan: Plan, out: Path, *, plan_id: str, run_id: str, plan_date: str,
                     inspector_names: Mapping[str, str] | None = None) -> tuple[Path, Path]:
    """Write ``out`` (CSV) and the per-inspector HTML beside it (same name, ``.html``)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    csv_path = out if out.suffix.lower() == ".csv" else out.with_suffix(".csv")
    html_path = csv_path.with_suffix(".html")
    csv_path.write_text(plan_csv(plan, inspector_names), encoding="utf-8")
    html_path.write_text(plan_html(plan, plan_id=plan_id, run_id=run_id, plan_date=plan_date,
                                   inspector_names=inspector_names), encoding="utf-8")
    return csv_path, html_path
