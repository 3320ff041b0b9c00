"""Every HTML report (fairness audit, exposure, plan sheet, evaluation) rendered from its
template and read in a real headless Chromium as a person would: real header rows (``<th>``),
no Markdown left over (``**``, ``|---``), and a firm name carrying ``<script>`` shown as text,
never run. A screenshot of each page is kept in ``test-artifacts/report-<name>.png``."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from riskgraph.graph.config import get_settings
from riskgraph.graph.store import Store
from riskgraph.models.accountability.fairness import FairnessAudit, GroupStat, SoftMeritCheck
from riskgraph.models.accountability.fairness_report import html_page
from riskgraph.models.accountability.plan_export import plan_html
from riskgraph.models.accountability.planning import Plan, PlanFirm, PlannedInspection, PlanParams
from riskgraph.models.exposure.render_html import render_html
from riskgraph.models.exposure.report import build_report
from riskgraph.models.risk.evaluation_report import METHODS, TOPS, html_report
from tests.models.exposure.world import AS_OF, USCC, build

DB = get_settings().neo4j_database

pytestmark = pytest.mark.browser
EVIL = '<script>window.injected = true</script>Evil & Sons "Ltd"'
REASONS = [{"feature": "penalty_recency", "value": math.exp(-270 / 365), "contribution": 0.8,
            "text": "A recent administrative penalty."}]


def _fairness() -> str:
    group = GroupStat("province", "33xxxx", True, 10, 2, 0.2, 1.0, 0.2, 1.0, 5, 1, 0.2, 1.0,
                      (0.5, 2.0), 0.5, 0.1)
    other = GroupStat("province", "44xxxx", False, 10, 0, 0.0, 0.0, 0.1, 0.5, 5, 1, 0.2, 1.0,
                      None, None, 0.0, flagged=True, note=f"selection ratio 0.00 {EVIL}")
    soft = SoftMeritCheck(1, 19, 700.0, 650.0, 0.2, 0.2, 0.1, 0.1, 3, 30, verdict=["fine"])
    return html_page(FairnessAudit(EVIL, "2026-01-01", "2025", False, [group, other], soft),
                     b"png")


def _plan() -> str:
    hot = PlanFirm("91330100MA2HOT0001", "critical", 0.93, 1, "330100", EVIL, REASONS)
    calm = PlanFirm("91440300MA2CALM002", "critical", 0.91, 2, "440300", "冷门公司", REASONS)
    inspections = [PlannedInspection(1, hot, "tier", ("insp-1",), "planned"),
                   PlannedInspection(2, calm, "random", ("insp-1",), "planned"),
                   PlannedInspection(3, hot, "tier", (), "unassigned", note=EVIL)]
    plan = Plan(PlanParams(capacity=3, seed=1), 3, inspections, {"critical": 0.5},
                {"critical": 2, "random": 1})
    return plan_html(plan, plan_id="plan-x", run_id="run-x", plan_date="2026-01-01",
                     inspector_names={"insp-1": EVIL})


def _evaluation() -> str:
    figures: dict[str, Any] = {"auc": 0.71, "pr_auc": 0.4, "brier": 0.2}
    for q in TOPS:
        p = f"{int(q * 100)}pct"
        figures |= {f"precision_at_{p}": 0.3, f"recall_at_{p}": 0.2, f"lift_at_{p}": 2.5}
    return html_report({
        "model_version": EVIL, "evaluation_stream": "random", "stream_bias": "none",
        "evaluation_panels": ["2024-01-01+365d"], "examples": 500, "base_rate": 0.1,
        "methods": {m: figures for m in METHODS}, "auc_gain_over_scorecard": 0.06,
        "targets": {"precision_at_10pct_over_3x_base_rate": True,
                    "auc_at_least_0.05_above_scorecard": False},
        "serious": {"available": False, "reason": "too few serious violations"},
        "scheme_recall_at_10pct": {EVIL: {"firms": 4, **{m: 0.5 for m in METHODS}}}})


def _exposure(driver: Driver) -> str:
    report = build_report(Store.open(driver, DB), USCC["F"], as_of=AS_OF)
    report.firm["name"] = EVIL
    report.suppliers[0].name = EVIL
    return render_html(report)


def _looks_right(chromium: Any, name: str, page_html: str, artifacts: Path,
                 tables: int) -> None:
    assert page_html == page_html.replace("\r", "")
    page = chromium.new_page(viewport={"width": 1300, "height": 900})
    try:
        page.set_content(page_html, wait_until="load")
        page.screenshot(path=str(artifacts / f"report-{name}.png"), full_page=True)
        seen = page.evaluate("""() => ({
            scripts: document.querySelectorAll('script').length,
            injected: window.injected === true,
            text: document.body.innerText,
            tables: [...document.querySelectorAll('table')].map(t =>
                [...t.rows[0].cells].every(c => c.tagName === 'TH')),
            headers: document.querySelectorAll('th').length})""")
    finally:
        page.close()
    assert seen["scripts"] == 0 and not seen["injected"], f"{name}: input ran as a script"
    assert "<script>window.injected = true</script>Evil & Sons \"Ltd\"" in seen["text"], name
    assert "**" not in seen["text"] and "|---" not in seen["text"], f"{name}: raw Markdown"
    assert len(seen["tables"]) >= tables and all(seen["tables"]), (
        f"{name}: every table opens with a header row of <th> cells: {seen['tables']}")


@pytest.mark.parametrize(("name", "make", "tables"), [
    ("fairness", _fairness, 2), ("plan", _plan, 2), ("evaluation", _evaluation, 2)])
def test_report_page_reads_right(chromium: Any, artifacts_dir: Path, name: str, make: Any,
                                 tables: int) -> None:
    first = make()
    assert make() == first, f"{name}: the same input renders the same bytes"
    _looks_right(chromium, name, first, artifacts_dir, tables)


@pytest.mark.neo4j
def test_exposure_page_reads_right(chromium: Any, artifacts_dir: Path,
                                   clean_graph: Driver) -> None:
    build(clean_graph)
    first = _exposure(clean_graph)
    assert _exposure(clean_graph) == first
    _looks_right(chromium, "exposure", first, artifacts_dir, 3)
