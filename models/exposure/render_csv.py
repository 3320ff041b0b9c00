"""An exposure report as CSV: one row per supplier (or customer)."""

from __future__ import annotations

import csv
import io

from riskgraph.models.exposure.report import ExposureReport

COLUMNS = ("uscc", "name", "status", "tier", "value_share", "path_count", "risk_weight",
           "exposure", "reason_codes", "reasons", "risk_tier", "best_path", "disclosure")


def render_csv(report: ExposureReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for s in report.suppliers:
        writer.writerow([
            s.uscc, s.name, s.status, s.tier, f"{s.value_share:.6g}", s.path_count,
            f"{s.risk_weight:.3g}", f"{s.exposure:.6g}", ";".join(r.code for r in s.reasons),
            " | ".join(r.text for r in s.reasons),
            (s.assessment or {}).get("tier") or "",
            " <- ".join(s.paths[0].firms) if s.paths else "", report.disclosure,
        ])
    return out.getvalue()
