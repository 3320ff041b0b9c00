"""An exposure report as one self-contained HTML page (inline CSS and PNG picture)."""

from __future__ import annotations

from html import escape

from models.exposure.network_plot import png_data_uri
from models.exposure.report import ExposureReport, SupplierExposure

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


def _path(report: ExposureReport, s: SupplierExposure) -> str:
    names = report.network.firms
    arrow = " ← " if report.direction == "upstream" else " → "
    return "<br>".join(
        escape(arrow.join(names[u].name or u for u in p.firms)) + f" <span class=muted>"
        f"({_pct(p.share)})</span>" for p in s.paths[:3])


def _row(report: ExposureReport, s: SupplierExposure) -> str:
    reasons = "<br>".join(escape(r.text) for r in s.reasons) or "<span class=muted>–</span>"
    cls = " class=risky" if s.reasons else ""
    return (f"<tr><td{cls}>{escape(s.name)}<br><code>{s.uscc}</code> "
            f"<span class=muted>{escape(s.status)}</span></td><td class=num>{s.tier}</td>"
            f"<td class=num>{_pct(s.value_share)}</td><td class=num>{s.path_count}</td>"
            f"<td class=num>{s.risk_weight:.2f}</td><td class=num>{s.exposure:.2f}</td>"
            f"<td>{reasons}</td><td>{_path(report, s)}</td></tr>")


def _table(report: ExposureReport, rows: list[SupplierExposure]) -> str:
    head = ("<tr><th>firm</th><th>tier</th><th>value share</th><th>paths</th>"
            "<th>risk weight</th><th>exposure (index points)</th><th>reasons and evidence</th>"
            "<th>strongest paths (value share)</th></tr>")
    return "<table>" + head + "".join(_row(report, s) for s in rows) + "</table>"


def render_html(report: ExposureReport) -> str:
    f = report.firm
    who = "suppliers" if report.direction == "upstream" else "customers"
    risky = report.risky
    others = sorted((s for s in report.suppliers if not s.reasons),
                    key=lambda s: (-s.value_share, s.tier, s.uscc))[:OTHERS_SHOWN]
    reasons = "".join(f"<tr><td>{escape(code)}</td><td class=num>{n}</td></tr>"
                      for code, n in report.counts_by_reason.items()) or \
        "<tr><td colspan=2 class=muted>none</td></tr>"
    tiers = ", ".join(f"tier {k}: {v:,}" for k, v in sorted(report.counts_by_tier.items()))
    cards = [
        ("exposure index (0–100)", f"{report.exposure_index:.2f}"),
        (f"{who} within {report.tiers} tiers", f"{report.supplier_count:,}"),
        (f"risky {who}", f"{len(risky):,}"),
        (f"tier-1 value from risky {who}", _pct(report.risky_value_share_tier1)),
        ("tier-1 concentration (HHI)", f"{report.concentration_hhi:.3f}"),
    ]
    card_html = "".join(f"<div class=card><div class=muted>{escape(k)}</div>"
                        f"<div class=big>{v}</div></div>" for k, v in cards)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Exposure report: {escape(f['name'])} ({f['uscc']})</title><style>{STYLE}</style></head>
<body>
<h1>Supplier-network exposure: {escape(f['name'])} <code>{f['uscc']}</code></h1>
<p class=disclosure><strong>{escape(report.disclosure)}</strong></p>
<p class=muted>{report.direction} network, {report.tiers} tiers, supplies and records in force on
{report.as_of}; decay {report.decay} per tier; {report.path_count:,} supply paths; {tiers}.
Machines flag, people decide: every reason below names its evidence.</p>
<div class=cards>{card_html}</div>
<h2>Network</h2>
<img alt="supply network, risky firms in red" src="{png_data_uri(report)}">
<h2>Reasons</h2>
<table style="width:auto"><tr><th>reason</th><th>{who}</th></tr>{reasons}</table>
<h2>Risky {who} ({len(risky):,})</h2>
{_table(report, risky) if risky else '<p class=muted>none found</p>'}
<h2>Largest other {who} ({len(others):,} of {report.supplier_count - len(risky):,})</h2>
{_table(report, others)}
<p class=muted>Index = 100 × Σ over paths of value share × {report.decay}^(hops−1) × risk weight
of the firm reached, divided by Σ_k {report.decay}^(k−1) over the tiers (docs/exposure.md).</p>
</body></html>
"""
