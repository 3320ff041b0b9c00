"""What a regulator and an inspector read: plan sheets (random stream blinded, inspectors by
name, stream counts in words), the fairness page (real HTML tables), values in words, province
names beside region codes. No database needed."""

from __future__ import annotations

import csv
import io
import math
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskgraph.graph.regions import PROVINCES, province_name, region_label
from riskgraph.models.fairness import FairnessAudit, GroupStat, SoftMeritCheck
from riskgraph.models.fairness_report import html_page
from riskgraph.models.features import feature_names
from riskgraph.models.plain_values import PLAIN, ago, plain_value
from riskgraph.models.plan_export import BLIND_TEXT, plan_csv, plan_html
from riskgraph.models.planning import Plan, PlanFirm, PlannedInspection, PlanParams

REASONS = [{"feature": "penalty_recency", "value": math.exp(-270 / 365), "contribution": 0.8,
            "text": "A recent administrative penalty."}]


def _plan() -> Plan:
    hot = PlanFirm("91330100MA2HOT0001", "critical", 0.93, 1, "330100", "热门公司", REASONS)
    calm = PlanFirm("91440300MA2CALM002", "critical", 0.91, 2, "440300", "冷门公司", REASONS)
    inspections = [PlannedInspection(1, hot, "tier", ("insp-1", "insp-2"), "planned"),
                   PlannedInspection(2, calm, "random", ("insp-1", "insp-2"), "planned")]
    return Plan(PlanParams(capacity=2, seed=1), 2, inspections, {"critical": 0.5},
                {"critical": 1, "random": 1})


def test_random_stream_is_blinded_on_the_inspectors_sheets() -> None:
    names = {"insp-1": "王凯", "insp-2": "李雪"}
    page = plan_html(_plan(), plan_id="plan-x", run_id="run-x", plan_date="2026-01-01",
                     inspector_names=names)
    hot_row, calm_row = (page.split("<tr>")[k] for k in (2, 3))
    assert "critical" in hot_row and "93.0%" in hot_row and "9 months ago" in hot_row
    assert "91440300MA2CALM002" in calm_row
    assert "critical" not in calm_row and "91.0%" not in calm_row
    assert "penalty" not in calm_row and BLIND_TEXT in calm_row
    assert "<h2>王凯 (insp-1)</h2>" in page and "<h2>李雪 (insp-2)</h2>" in page
    assert "1 random-stream, 1 tier-stream" in page and "{'" not in page
    assert "330100 Zhejiang (浙江省)" in page and "440300 Guangdong (广东省)" in page
    rows = {r["uscc"]: r for r in csv.DictReader(io.StringIO(plan_csv(_plan(), names)))}
    calm = rows["91440300MA2CALM002"]
    assert (calm["tier"], calm["risk"], calm["rank"], calm["top_reasons"]) == ("", "", "",
                                                                               BLIND_TEXT)
    assert rows["91330100MA2HOT0001"]["tier"] == "critical"
    assert calm["inspector_names"] == "王凯;李雪" and calm["province"] == "Guangdong (广东省)"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.opened: dict[str, int] = {}
        self.broken = False

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in ("img", "meta", "br"):
            self.stack.append(tag)
        self.opened[tag] = self.opened.get(tag, 0) + 1

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.broken = True


def test_fairness_page_is_html_not_markdown() -> None:
    group = GroupStat("province", "33xxxx", True, 10, 2, 0.2, 1.0, 0.2, 1.0, 5, 1, 0.2, 1.0,
                      (0.5, 2.0), 0.5, 0.1)
    other = GroupStat("province", "44xxxx", False, 10, 0, 0.0, 0.0, 0.1, 0.5, 5, 1, 0.2, 1.0,
                      None, None, 0.0, flagged=True, note="selection ratio 0.00")
    soft = SoftMeritCheck(1, 19, 700.0, 650.0, 0.2, 0.2, 0.1, 0.1, 3, 30, verdict=["fine"])
    page = html_page(FairnessAudit("run-x", "2026-01-01", "2025", False, [group, other], soft),
                     b"png")
    tags = _Tags()
    tags.feed(page)
    assert not tags.broken and not tags.stack[1:], "unbalanced tags"
    assert tags.opened.get("table", 0) >= 2 and tags.opened["th"] >= 12
    assert "|---" not in page and "**" not in page and "<strong>FLAG</strong>" in page
    assert "44xxxx Guangdong (广东省)" in page


def test_every_feature_has_words_for_its_value() -> None:
    assert set(feature_names(include_soft=True)) <= set(PLAIN)
    assert plain_value("penalty_recency", math.exp(-270 / 365)) == "last penalty 9 months ago"
    assert plain_value("penalty_recency", 0.0) == "no penalty on file"
    assert plain_value("linked_firms", math.log10(13)) == (
        "12 other firms sharing its legal representative, directors or controller")
    assert plain_value("user_x", 1.5) == "user_x = 1.5"


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False),
       st.sampled_from(sorted(PLAIN)))
def test_words_for_any_value(value: float, feature: str) -> None:
    text = plain_value(feature, value)
    assert text and "nan" not in text and "=" not in text


@given(st.floats(min_value=0, max_value=1e6, allow_nan=False))
def test_ago_reads_as_a_duration(days: float) -> None:
    assert ago(days).endswith(" ago")


@pytest.mark.parametrize("code", ["330106", "33", "11xxxx", "820000"])
def test_region_label_names_the_province(code: str) -> None:
    assert region_label(code).startswith(code) and PROVINCES[code[:2]][0] in region_label(code)


@given(st.text(max_size=12))
def test_region_label_never_drops_the_code(code: str) -> None:
    label = region_label(code)
    assert label == "–" if not code.strip() else label.startswith(code.strip())
    assert province_name(code) is None or code.strip()[:2] in PROVINCES
