"""Render and store fairness audits: Markdown, HTML with plots, and a node linked to the run."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
from pathlib import Path

from neo4j import Driver, ManagedTransaction

from riskgraph.graph.audit_trail import append_event
from riskgraph.graph.config import get_settings
from riskgraph.graph.driver import run_tx
from riskgraph.graph.regions import province_name
from riskgraph.graph.snapshot import Snapshot
from riskgraph.models.fairness import ATTRIBUTES, BAND, FairnessAudit, GroupStat, audit
from riskgraph.models.ranking import get_run, run_assessments
from riskgraph.models.report_templates import render


def _pct(v: float | None) -> str:
    return "–" if v is None else f"{v:.1%}"


def _x(v: float | None) -> str:
    return "–" if v is None else f"{v:.2f}"


def group_label(g: GroupStat, chinese: bool = True) -> str:
    """The group's label; a province group (``33xxxx``) gets its name beside the code."""
    name = province_name(g.group, chinese) if g.attribute == "province" else None
    return g.group + (f" {name}" if name else "")


def _row(g: GroupStat) -> list[str]:
    ci = g.violation_ratio_ci
    return [group_label(g) + (" (ref.)" if g.reference else ""), f"{g.firms:,}",
            _pct(g.selection_rate), _x(g.selection_ratio), _pct(g.mean_risk), _x(g.risk_ratio),
            str(g.inspected),
            _pct(g.violation_rate), _x(g.violation_ratio) + (
                f" [{ci[0]:.2f}, {ci[1]:.2f}]" if ci else ""),
            _pct(g.precision), _pct(g.false_positive_rate),
            ("**FLAG** " if g.flagged else "") + g.note]


HEAD = ["group", "firms", "selected", "sel. ratio", "mean risk", "risk ratio",
        "random insp.", "violation rate", "viol. ratio [95% CI]", "precision", "FPR", "note"]


def markdown(a: FairnessAudit) -> str:
    lines = [f"# Fairness audit of ranking run `{a.run_id}`", "",
             f"As of {a.as_of}. Selection = the high tiers (high, critical). Outcomes: "
             f"random-stream inspections {a.outcome_window}"
             + (" (**retrospective**: the 12 months before the as-of date, because the data "
                "has too few later outcomes; those outcomes partly fed the scores, so precision "
                "is optimistic)" if a.window_is_retrospective else "") + ".",
             "", f"Flags: **{len(a.flags)}** group(s) whose selection-rate ratio leaves "
             f"[{BAND[0]}, {BAND[1]}] without a matching difference in observed violation "
             "rates. A flag asks for a human review of the ranking for that group; it is not "
             "a finding of discrimination.", ""]
    for attr in ATTRIBUTES:
        groups = [g for g in a.groups if g.attribute == attr]
        lines += [f"## By {attr}", "", "| " + " | ".join(HEAD) + " |",
                  "|" + "---|" * len(HEAD)]
        lines += ["| " + " | ".join(_row(g)) + " |" for g in groups]
        lines.append("")
    s = a.soft_merit
    lines += ["## Soft-merit check (political connections)", "",
              "| | connected | others |", "|---|---|---|",
              f"| firms | {s.connected_firms:,} | {s.other_firms:,} |",
              f"| provincial scorecard (mean points) | {s.scorecard_connected:.1f} | "
              f"{s.scorecard_other:.1f} |",
              f"| soft-merit points on the scorecard (mean) | {s.soft_points_connected:.1f} | "
              f"{s.soft_points_other:.1f} |",
              f"| model risk (mean) | {s.risk_connected:.1%} | {s.risk_other:.1%} |",
              f"| random inspections, 3 years | {s.inspected_connected} | {s.inspected_other} |",
              f"| observed violation rate | {_pct(s.violation_rate_connected)} | "
              f"{_pct(s.violation_rate_other)} |", "",
              "Same outcome, connected vs others (randomly inspected in the last 3 years):", "",
              "| outcome | firms (conn. / others) | scorecard (conn. / others) | "
              "model risk (conn. / others) |", "|---|---|---|---|"]
    for st in s.strata:
        lines.append(f"| {st.outcome} | {st.connected} / {st.other} | "
                     f"{_x(st.scorecard_connected)} / {_x(st.scorecard_other)} | "
                     f"{_pct(st.risk_connected)} / {_pct(st.risk_other)} |")
    lines.append("")
    lines += [f"- {v}" for v in s.verdict]
    return "\n".join(lines) + "\n"


def plot_png(a: FairnessAudit) -> bytes:
    """Selection-rate ratio by group for every attribute, with the [0.8, 1.25] band."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(ATTRIBUTES), 1, figsize=(9, 2.2 * len(ATTRIBUTES)))
    for ax, attr in zip(axes, ATTRIBUTES, strict=True):
        groups = [g for g in a.groups if g.attribute == attr]
        names = [group_label(g, chinese=False) for g in groups]  # the plot font has no CJK
        sel = [g.selection_ratio or 0.0 for g in groups]
        vio = [g.violation_ratio or 0.0 for g in groups]
        y = range(len(groups))
        ax.barh([i + 0.2 for i in y], sel, height=0.4, label="selection ratio",
                color=["#c0392b" if g.flagged else "#2c7fb8" for g in groups])
        ax.barh([i - 0.2 for i in y], vio, height=0.4, label="violation ratio", color="#999")
        ax.axvspan(BAND[0], BAND[1], color="#2ca25f", alpha=0.15)
        ax.axvline(1.0, color="#555", lw=0.8)
        ax.set_yticks(list(y), names, fontsize=7)
        ax.set_title(f"by {attr} (red = flagged; band = [0.8, 1.25])", fontsize=9)
    axes[0].legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    plt.close(fig)
    return buf.getvalue()


def html_page(a: FairnessAudit, png: bytes) -> str:
    """The audit's Markdown rendered as HTML by markdown-it-py (CommonMark + tables, raw HTML
    disabled, so text from the data stays text), then the ratio plot, in
    models/templates/fairness.html.j2."""
    from markdown_it import MarkdownIt
    from markupsafe import Markup

    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown(a))
    return render("fairness.html.j2", run_id=a.run_id, body=Markup(body),  # noqa: S704
                  png_base64=base64.b64encode(png).decode())


def run_audit(driver: Driver, run_id: str, out_dir: Path | None = None, actor: str = "cli",
              database: str | None = None) -> tuple[FairnessAudit, str, Path]:
    """Audit run ``run_id``; store it with the run and write .md/.html/.json/.png files."""
    meta = get_run(driver, run_id, database)
    rows = run_assessments(driver, run_id, database)
    snap = Snapshot.from_neo4j(driver, database)
    result = audit(snap, run_id, str(meta["as_of"]), [r["uscc"] for r in rows],
                   [float(r["risk"]) for r in rows], [r["tier"] for r in rows])
    created = dt.datetime.now(dt.UTC)
    audit_id = f"audit-{created:%Y%m%dT%H%M%S%fZ}-{run_id[-8:]}"
    md = markdown(result)
    png = plot_png(result)
    folder = out_dir or get_settings().riskgraph_home / "audits" / run_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fairness.md").write_text(md, encoding="utf-8")
    (folder / "fairness.html").write_text(html_page(result, png), encoding="utf-8")
    (folder / "fairness.png").write_bytes(png)
    doc = json.dumps(result.to_dict(), indent=1, ensure_ascii=False)
    (folder / "fairness.json").write_text(doc, encoding="utf-8")

    def write_it(tx: ManagedTransaction) -> None:
        run_tx(tx, "fairness/create_fairness_audit", audit_id=audit_id, run_id=run_id,
               created_at=created.isoformat(), flag_count=len(result.flags),
               outcome_window=result.outcome_window,
               retrospective=result.window_is_retrospective, result=doc, markdown=md)
        append_event(tx, actor=actor, action="fairness_audit.created",
                     subject_type="FairnessAudit", subject_id=audit_id,
                     after={"run_id": run_id, "flags": [f"{g.attribute}={g.group}"
                                                        for g in result.flags]})

    with driver.session(database=database or get_settings().neo4j_database) as s:
        s.execute_write(write_it)
    return result, audit_id, folder
