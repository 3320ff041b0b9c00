"""Inspection plans as files: a CSV (one row per inspection) and an HTML list per inspector."""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from graph.regions import province_name, region_label
from models.plain_values import plain_value
from models.planning import Plan, PlannedInspection

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


_STYLE = """body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}
table{border-collapse:collapse;width:100%;margin-bottom:2em}
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}.critical{color:#b00;font-weight:bold}.high{color:#d60}
.note{color:#666;font-size:.9em}"""


def plan_html(plan: Plan, *, plan_id: str, run_id: str, plan_date: str,
              inspector_names: Mapping[str, str] | None = None) -> str:
    """One section per inspector (then the unassigned firms), each firm with its top reasons;
    random-stream firms are blinded (no tier, risk or reasons)."""
    names = inspector_names or {}
    e = html.escape
    by_inspector: dict[str, list[Any]] = {}
    unassigned = []
    for p in plan.inspections:
        if not p.inspector_ids:
            unassigned.append(p)
        for i in p.inspector_ids:
            by_inspector.setdefault(i, []).append(p)
    s = plan.summary()
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>Inspection plan "
             f"{e(plan_id)}</title><style>{_STYLE}</style></head><body>",
             f"<h1>Inspection plan {e(plan_id)}</h1>",
             f"<p>Ranking run <code>{e(run_id)}</code>; as of {e(plan_date)} (plan date); seed "
             f"{plan.params.seed}; capacity {plan.params.capacity}; region "
             f"{e(plan.params.region or 'all')}; {s['inspections']} inspections "
             f"({e(stream_counts(plan))}); digest <code>{e(plan.digest)}</code>.</p>",
             "<p class='note'>Firms are flagged by a model and drawn by lot; inspectors decide. "
             "A flag is not a finding: the reasons below say why the model ranks the firm, "
             "and the firm may contest its records. Firms of the random stream are a control "
             "sample: they are shown without score or reasons.</p>"]
    if plan.message:
        parts.append(f"<p><strong>{e(plan.message)}</strong></p>")
    for inspector in sorted(by_inspector):
        label = f"{names[inspector]} ({inspector})" if names.get(inspector) else inspector
        parts.append(f"<h2>{e(label)}</h2>")
        parts.append(_table(by_inspector[inspector]))
    if unassigned:
        parts.append("<h2>Unassigned (no eligible inspector)</h2>")
        parts.append(_table(unassigned, with_note=True))
    parts.append("</body></html>")
    return "\n".join(parts)


def _table(items: Sequence[Any], with_note: bool = False) -> str:
    e = html.escape
    head = "<tr><th>#</th><th>firm</th><th>stream</th><th>tier</th><th>risk</th>" \
           "<th>top reasons</th>" + ("<th>why unassigned</th>" if with_note else "") + "</tr>"
    rows = []
    for p in items:
        f = p.firm
        if _blind(p):
            tier, risk, reasons = "", "–", f"<li>{e(BLIND_TEXT)}</li>"
        else:
            tier, risk = f"<td class='{e(f.tier)}'>{e(f.tier)}</td>", f"{f.risk:.1%}"
            reasons = "".join(f"<li>{e(t)}</li>" for t in _reasons(f.reasons)) or \
                "<li>no reason above the threshold</li>"
        rows.append(
            f"<tr><td>{p.order}</td><td>{e(f.name)}<br><code>{e(f.uscc)}</code> "
            f"({e(region_label(f.region_code))})</td><td>{e(p.stream)}</td>"
            f"{tier or '<td>–</td>'}<td>{risk}</td>"
            f"<td><ul>{reasons}</ul></td>"
            + (f"<td class='note'>{e(p.note)}</td>" if with_note else "") + "</tr>")
    return f"<table>{head}{''.join(rows)}</table>"


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
