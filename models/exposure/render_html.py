"""An exposure report as one self-contained HTML page (inline CSS and PNG picture)."""

from __future__ import annotations

from typing import Any

from riskgraph.models.exposure.network_plot import png_data_uri
from riskgraph.models.exposure.report import ExposureReport, SupplierExposure
from riskgraph.models.report_templates import render

OTHERS_SHOWN = 100
"""Suppliers without a reason listed in the page (largest value shares); the CSV has all."""

STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1d2733;max-width:1200px}
h1{font-size:21px}h2{font-size:17px;margin-top:28px}
table{border-collapse:collapse;width:100%;font-size:12.5px}
th,td{border-bottom:1px solid #dde3ea;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f6f9}.num{text-align:right;font-variant-numeric:tabular-nums}
.risky{color:#b71c1c;font-weight:600}.muted{color:#66707a}.big{font-size:26px;font-weight:700}
.cards{display:flex;gap:14px;flex-wrap:wrap}.card{border:1px solid #dde3ea;border-radius:6px;
padding:10px 14px;min-width:150px}img{max-width:100%;border:1px solid #dde3ea}
code{font-size:11.5px}
"""


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _row(report: ExposureReport, s: SupplierExposure) -> dict[str, Any]:
    """One firm's table row as plain values (the template escapes them)."""
    names = report.network.firms
    arrow = " ← " if report.direction == "upstream" else " → "
    return {"name": s.name, "uscc": s.uscc, "status": s.status, "tier": s.tier,
            "value_share": _pct(s.value_share), "path_count": s.path_count,
            "risk_weight": f"{s.risk_weight:.2f}", "exposure": f"{s.exposure:.2f}",
            "reasons": [r.text for r in s.reasons],
            "paths": [{"text": arrow.join(names[u].name or u for u in p.firms),
                       "share": _pct(p.share)} for p in s.paths[:3]]}


def render_html(report: ExposureReport) -> str:
    """The exposure page (models/templates/exposure.html.j2)."""
    f = report.firm
    who = "suppliers" if report.direction == "upstream" else "customers"
    risky = report.risky
    others = sorted((s for s in report.suppliers if not s.reasons),
                    key=lambda s: (-s.value_share, s.tier, s.uscc))[:OTHERS_SHOWN]
    cards = [
        ("exposure index (0–100)", f"{report.exposure_index:.2f}"),
        (f"{who} within {report.tiers} tiers", f"{report.supplier_count:,}"),
        (f"risky {who}", f"{len(risky):,}"),
        (f"tier-1 value from risky {who}", _pct(report.risky_value_share_tier1)),
        ("tier-1 concentration (HHI)", f"{report.concentration_hhi:.3f}"),
    ]
    return render(
        "exposure.html.j2", style=STYLE, firm_name=f["name"], firm_uscc=f["uscc"],
        disclosure=report.disclosure, direction=report.direction, tiers=report.tiers,
        as_of=report.as_of, decay=report.decay, path_count=f"{report.path_count:,}",
        tier_counts=", ".join(f"tier {k}: {v:,}" for k, v in sorted(report.counts_by_tier.items())),
        cards=cards, network_png=png_data_uri(report), who=who,
        reason_counts=list(report.counts_by_reason.items()),
        risky=[_row(report, s) for s in risky], risky_count=f"{len(risky):,}",
        others=[_row(report, s) for s in others], others_count=f"{len(others):,}",
        others_total=f"{report.supplier_count - len(risky):,}")
