"""Exposure reports on the hand-built graph of tests/models/exposure/world.py (worked by hand)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from riskgraph.app.cli.main import app
from riskgraph.graph.config import get_settings
from riskgraph.graph.errors import BadInput, NotFound
from riskgraph.graph.store import Store
from riskgraph.models.exposure.render_csv import render_csv
from riskgraph.models.exposure.report import build_report
from tests.models.exposure.world import AS_OF, USCC, add_assessments, build

DB = get_settings().neo4j_database

NAME = {u: n for n, u in USCC.items()}


@pytest.fixture
def graph(clean_graph: Driver) -> Driver:
    build(clean_graph)
    return clean_graph



def test_tiers_paths_and_value_shares(graph: Driver) -> None:
    report = build_report(Store.open(graph, DB), USCC["F"], tiers=3, as_of=AS_OF)
    got = {NAME[s.uscc]: s for s in report.suppliers}
    assert {n: s.tier for n, s in got.items()} == {
        "A": 1, "B": 1, "C": 2, "D": 2, "E": 2, "G": 3, "H": 3}
    # X's supply ended before AS_OF; F itself is never its own supplier (cycle F → E → B → F).
    assert "X" not in got and "F" not in got
    shares = {n: sorted(round(p.share, 9) for p in s.paths) for n, s in got.items()}
    assert shares == {"A": [0.1, 0.6], "B": [0.4], "C": [0.2, 0.45], "D": [0.15], "E": [0.2],
                      "G": [0.1, 0.225], "H": [0.1]}
    # the cycle A → C → A ends the path: A is reached again only via B → C → A
    a_paths = {tuple(NAME[u] for u in p.firms) for p in got["A"].paths}
    assert a_paths == {("F", "A"), ("F", "B", "C", "A")}
    assert report.path_count == 10
    assert report.counts_by_tier == {1: 2, 2: 3, 3: 2}
    assert report.concentration_hhi == pytest.approx(0.6**2 + 0.4**2)


def test_reasons_and_weights(graph: Driver) -> None:
    report = build_report(Store.open(graph, DB), USCC["F"], as_of=AS_OF)
    got = {NAME[s.uscc]: s for s in report.suppliers}
    codes = {n: [r.code for r in s.reasons] for n, s in got.items()}
    assert codes == {"A": [], "B": ["abnormal_operations"], "C": ["shared_people"],
                     "D": ["procurement_ban"], "E": ["listed_key_person"],
                     "G": ["serious_dishonest_enterprise_list"], "H": []}
    assert {n: s.risk_weight for n, s in got.items()} == {
        "A": 0.0, "B": 0.3, "C": 0.3, "D": 1.0, "E": 0.6, "G": 1.0, "H": 0.0}
    shared = got["C"].reasons[0].evidence[0]
    assert (shared["person_id"], shared["other_uscc"], shared["record_id"]) == (
        "P1", USCC["G"], "rec-G-sdl")
    assert got["D"].reasons[0].evidence[0]["record_id"] == "rec-D-ban"


def test_exposure_index_worked_example(graph: Driver) -> None:
    report = build_report(Store.open(graph, DB), USCC["F"], tiers=3, decay=0.5, as_of=AS_OF)
    # Σ share·0.5^(hops−1)·weight: B 0.4·0.3, C 0.65·0.5·0.3, D 0.15·0.5·1, E 0.2·0.5·0.6,
    # G 0.325·0.25·1 = 0.43375; normaliser 1 + 0.5 + 0.25 = 1.75.
    assert report.exposure_index == pytest.approx(100 * 0.43375 / 1.75)
    assert report.counts_by_reason == {
        "abnormal_operations": 1, "listed_key_person": 1, "procurement_ban": 1,
        "serious_dishonest_enterprise_list": 1, "shared_people": 1}
    assert report.risky_value_share_tier1 == pytest.approx(0.4)
    one_tier = build_report(Store.open(graph, DB), USCC["F"], tiers=1, as_of=AS_OF)
    assert one_tier.exposure_index == pytest.approx(100 * 0.4 * 0.3)
    assert [NAME[s.uscc] for s in one_tier.suppliers] == ["B", "A"]


def test_latest_risk_assessment_counts(graph: Driver) -> None:
    add_assessments(graph)
    report = build_report(Store.open(graph, DB), USCC["F"], as_of=AS_OF)
    got = {NAME[s.uscc]: s for s in report.suppliers}
    assert got["A"].reasons == [] and got["A"].assessment is not None
    assert got["A"].assessment["run_id"] == "r-new"
    assert [r.code for r in got["C"].reasons] == ["risk_tier_critical", "shared_people"]
    report = build_report(Store.open(graph, DB), USCC["F"], as_of=AS_OF)
    assert report.exposure_index == pytest.approx(100 * (0.43375 + 0.65 * 0.5 * 0.3) / 1.75)


def test_downstream_walk_uses_sales_shares(graph: Driver) -> None:
    report = build_report(Store.open(graph, DB), USCC["F"], tiers=3, downstream=True, as_of=AS_OF)
    got = {NAME[s.uscc]: (s.tier, round(s.value_share, 9)) for s in report.suppliers}
    assert got == {"E": (1, 1.0), "B": (2, 1.0)}
    assert report.exposure_index == pytest.approx(100 * (1.0 * 0.6 + 0.5 * 0.3) / 1.75)


def test_cycles_terminate_at_any_depth(graph: Driver) -> None:
    report = build_report(Store.open(graph, DB), USCC["C"], tiers=6, as_of=AS_OF)
    names = {NAME[s.uscc] for s in report.suppliers}
    assert names == {"A", "D", "G"}  # C ← A ← C is cut; A's other supplier is D
    assert all(len(set(p.firms)) == len(p.firms) for s in report.suppliers for p in s.paths)


def test_bad_and_unknown_firms(graph: Driver) -> None:
    with pytest.raises(BadInput, match="check character"):
        build_report(Store.open(graph, DB), USCC["F"][:17] + ("0" if USCC["F"][17] != "0" else "1"))
    with pytest.raises(BadInput, match="18 characters"):
        build_report(Store.open(graph, DB), "12345")
    unknown = USCC["F"][:8] + "H39999999"
    from riskgraph.graph.uscc import check_character
    unknown = unknown[:17] + check_character(unknown[:17])
    with pytest.raises(NotFound, match=unknown):
        build_report(Store.open(graph, DB), unknown)
    with pytest.raises(BadInput, match="tiers"):
        build_report(Store.open(graph, DB), USCC["F"], tiers=0)


def test_cli_html_json_and_csv(graph: Driver, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "exposure.html"
    result = runner.invoke(app, ["report", "exposure", USCC["F"], "--format", "html",
                                 "--out", str(out), "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "data:image/png;base64," in page and "Firm D" in page
    assert "rec-D-ban" in page and "Person P1" in page
    result = runner.invoke(app, ["report", "exposure", USCC["F"], "--format", "csv",
                                 "--as-of", AS_OF.isoformat(), "--role", "admin"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {NAME[r["uscc"]]: r["reason_codes"] for r in rows}["D"] == "procurement_ban"
    report = build_report(Store.open(graph, DB), USCC["F"], as_of=AS_OF)
    assert render_csv(report) == result.stdout
    result = runner.invoke(app, ["report", "exposure", USCC["F"], "--format", "pdf"])
    assert isinstance(result.exception, BadInput)
