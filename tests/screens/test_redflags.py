"""Our Cardinal red flags on hand-designed OCDS fixtures, and the graph as their source.

Expected results are derived by hand from Cardinal's definitions (statrs type-8 quartiles:
h = (n + 1/3) tau + 1/3); the fixtures are written by tests/fixtures/ocds_cardinal/
make_fixtures.py, whose docstrings describe each case.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from neo4j import Driver

from riskgraph.graph.config import Settings
from riskgraph.graph.errors import BadInput, NotFound
from riskgraph.graph.exporters.ocds import export_ocds
from riskgraph.graph.loader import load_world
from riskgraph.graph.validation import validate_world
from riskgraph.graph.world_io import read_world
from riskgraph.models.screens.redflag_cypher import literal
from riskgraph.models.screens.redflag_graph import graph_releases
from riskgraph.models.screens.redflag_ocds import read_releases, whole_days
from riskgraph.models.screens.redflag_stats import lower_fence, quantile, upper_fence
from riskgraph.models.screens.redflags import RedFlagReport, RedFlagSettings, screen_releases
from riskgraph.seed.world import generate_world

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ocds_cardinal"


def screen(name: str, settings: RedFlagSettings | None = None) -> RedFlagReport:
    return screen_releases(read_releases(FIXTURES / f"{name}.jsonl"), settings)


def keys(report: RedFlagReport, indicator: str) -> dict[tuple[str, str], float]:
    return {k: round(v, 9) for k, v in report.flagged(indicator).items()}


def test_quantiles_follow_statrs_type_8() -> None:
    data = [0.0, 0.0, 0.25, 0.25, 1.0]
    assert quantile(data, 0.25) == 0.0            # h = 1.667 → x1 + 0.667 (x2 - x1)
    assert quantile(data, 0.75) == pytest.approx(0.5)  # h = 4.333 → 0.25 + 0.333 * 0.75
    assert quantile([3.0], 0.75) == 3.0 and math.isnan(quantile([], 0.5))
    assert quantile([1.0, 2.0], 0.0) == 1.0 and quantile([1.0, 2.0], 1.0) == 2.0
    q1, q3, low = lower_fence([0.001, 0.10, 0.11, 0.12, 0.13, 0.14, 0.15, 0.90])
    assert (q1, q3) == pytest.approx((0.1 + 0.01 * 5 / 12, 0.14 + 0.01 * 7 / 12))
    assert low == pytest.approx(q1 - 1.5 * (q3 - q1))
    assert upper_fence([0, 0, 0, 0, 0.25, 0.25, 0.25, 1.0])[2] == pytest.approx(0.625)


def test_whole_days_truncate_toward_zero() -> None:
    from datetime import timedelta

    assert whole_days(timedelta(days=14, hours=23)) == 14
    assert whole_days(-timedelta(days=1, hours=1)) == -1


def test_r003_short_submission_period() -> None:
    # A: 9 days; C: 14 days 23:59:59 → 14; B: 15 days; D: no offset; E: cancelled;
    # F: offsets +08:00 / -04:00 make 15 days 8 hours.
    assert keys(screen("r003"), "R003") == {("OCID", "ocds-r003-A"): 1.0,
                                            ("OCID", "ocds-r003-C"): 1.0}
    assert keys(screen("r003", RedFlagSettings(r003_threshold=16)), "R003") == {
        ("OCID", f"ocds-r003-{k}"): 1.0 for k in "ABCF"}


def test_r018_single_bid_in_open_or_selective_procedures() -> None:
    assert keys(screen("r018"), "R018") == {("OCID", "ocds-r018-A"): 1.0,
                                            ("OCID", "ocds-r018-B"): 1.0}


def test_r028_identical_prices_from_different_tenderers() -> None:
    report = screen("r028")
    assert keys(report, "R028") == {
        ("OCID", "ocds-r028-A"): 1.0, ("OCID", "ocds-r028-E"): 1.0,
        ("Tenderer", "T1"): 1.0, ("Tenderer", "T2"): 1.0,
        ("Tenderer", "T5"): 1.0, ("Tenderer", "T6"): 1.0}
    flag = next(f for f in report.flags if f.id == "ocds-r028-A")
    assert flag.evidence["identical_prices"][0]["bids"] == ["A1", "A2"]


def test_r030_late_bid_by_the_awarded_supplier() -> None:
    assert keys(screen("r030"), "R030") == {("OCID", "ocds-r030-A"): 1.0,
                                            ("Tenderer", "S1"): 1.0}


def test_r035_all_other_tenderers_disqualified() -> None:
    assert keys(screen("r035"), "R035") == {("OCID", "ocds-r035-A"): 2.0,
                                            ("Tenderer", "W"): 0.0}
    assert keys(screen("r035", RedFlagSettings(r035_threshold=3)), "R035") == {}


def test_r036_lowest_bid_disqualified() -> None:
    # E: a valid bid ties the disqualified one and comes first; F: the disqualified comes first.
    assert keys(screen("r036"), "R036") == {("OCID", "ocds-r036-A"): 1.0,
                                            ("OCID", "ocds-r036-F"): 1.0}


def test_r038_excessive_disqualified_bids() -> None:
    # Buyers B1-B4 0/4, B5-B7 1/4, B8 4/4 → Q1 0, Q3 0.25, fence 0.625; B9 has 1 bid (< 2).
    # Tenderers (>= 2 bids): P1-P4 0/2, A 1/8, D 4/4 → Q3 0.198, fence 0.495.
    # Procuring entities PE1 0/16, PE2 7/16 → fence 1.09: none.
    report = screen("r038")
    assert keys(report, "R038") == {("Buyer", "B8"): 1.0, ("Tenderer", "D"): 1.0}
    assert report.meta["R038"]["Buyer_upper_fence"] == pytest.approx(0.625)
    assert report.meta["R038"]["ProcuringEntity_upper_fence"] == pytest.approx(0.4375 * 2.5)


def test_r024_and_r058_second_lowest_bid_ratio() -> None:
    # Ratios 0.001, 0.10 ... 0.15, 0.90 → Q1 0.1042, Q3 0.1458: lower fence 0.0417 (R024),
    # upper fence 0.2083 (R058). Processes 9-12 give no ratio (lower loser, two awards,
    # pending award, consortium bid).
    report = screen("ratios")
    assert keys(report, "R024") == {("OCID", "ocds-ratio-1"): 0.001, ("Tenderer", "W1"): 0.0,
                                    ("Tenderer", "L1"): 0.0}
    assert keys(report, "R058") == {("OCID", "ocds-ratio-8"): 0.9, ("Tenderer", "W8"): 0.0}
    assert report.meta["R058"]["upper_fence"] == pytest.approx(0.1458333 + 0.0625, abs=1e-6)
    assert keys(screen("ratios", RedFlagSettings(r024_threshold=0.15)), "R024")[
        ("OCID", "ocds-ratio-7")] == pytest.approx(0.15)


def test_fences_use_type_8_quartiles() -> None:
    # Type-7 (numpy's default) fences 0.055 / 0.195 would flag 0.05 and 0.20.
    report = screen("fences")
    assert keys(report, "R024") == {} and keys(report, "R058") == {}
    assert report.meta["R024"]["lower_fence"] == pytest.approx(0.1 + 0.05 / 12 - 0.0625)
    assert report.meta["R058"]["upper_fence"] == pytest.approx(0.14 + 0.07 / 12 + 0.0625)


def test_r025_excessive_unsuccessful_bids() -> None:
    # (wins, bids): T1 1/2, T2 2/3, T3 1/2, T4 2/3, T5 3/4, T6 2/4, T7 0/6, T8 1/1
    # → ratios' Q1 0.5, Q3 0.715: fence 0.177; bid counts' 75th percentile 4.
    report = screen("r025")
    assert keys(report, "R025") == {("Tenderer", "T7"): 0.0}
    assert report.meta["R025"]["upper_fence"] == 4.0


def test_r048_heterogeneous_supplier() -> None:
    # Distinct 2-digit prefixes 1,1,1,2,2,2,2,7 over 20 processes each → fence 3.5;
    # S9 has 8 prefixes in 19 processes (< 20).
    assert keys(screen("r048"), "R048") == {("Tenderer", "S8"): 7.0}
    lowered = screen("r048", RedFlagSettings(r048_minimum_contracting_processes=19))
    assert ("Tenderer", "S9") in keys(lowered, "R048")


def _award_release(ocid: str, winner: str, amounts: dict[str, float],
                   codes: list[str] | None = None) -> dict[str, object]:
    bids = [{"id": f"{ocid}-{t}", "status": "valid", "date": "2024-01-20T10:00:00Z",
             "tenderers": [{"id": t, "name": t}], "value": {"amount": a, "currency": "CNY"}}
            for t, a in amounts.items()]
    award: dict[str, object] = {"id": f"a-{ocid}", "status": "active",
                                "suppliers": [{"id": winner, "name": winner}]}
    if codes is not None:
        award["items"] = [{"id": str(i), "classification": {"scheme": "CPV", "id": c}}
                          for i, c in enumerate(codes, 1)]
    return {"ocid": ocid, "id": f"{ocid}-1", "date": "2024-01-01T00:00:00Z",
            "tender": {"id": ocid, "status": "complete", "procurementMethod": "open"},
            "bids": {"details": bids}, "awards": [award]}


def test_r048_does_not_fire_on_a_collapsed_fence() -> None:
    # Every supplier has one 2-digit prefix in 20 processes: Q1 = Q3 = 1, fence 1. Cardinal
    # flags all of them as heterogeneous; ours flags none (docs/screens-cardinal.md).
    releases = [_award_release(f"ocds-c-{s}-{k}", s, {s: 100.0}, [f"45{k:06d}"])
                for s in ("S1", "S2", "S3", "S4", "S6", "S7", "S8", "S9") for k in range(20)]
    report = screen_releases(releases)
    assert report.meta["R048"]["upper_fence"] == 1.0 and keys(report, "R048") == {}
    # a supplier with 3 prefixes among them: strictly above the collapsed fence, flagged
    releases += [_award_release(f"ocds-c-S5-{k}", "S5", {"S5": 100.0}, [f"{10 + k % 3}000000"])
                 for k in range(20)]
    report = screen_releases(releases)
    assert report.meta["R048"]["upper_fence"] == 1.0
    assert keys(report, "R048") == {("Tenderer", "S5"): 3.0}


def test_r024_does_not_fire_on_a_collapsed_fence() -> None:
    # Ratios 0.05 ×7, 0.01 and 0.30: Q1 = Q3 = 0.05, fence 0.05 > 0; `<=` would flag the
    # seven ties, the strict comparison only 0.01.
    amounts = [1050.0] * 7 + [1010.0, 1300.0]
    releases = [_award_release(f"ocds-r-{k}", f"W{k}", {f"W{k}": 1000.0, f"L{k}": other})
                for k, other in enumerate(amounts)]
    report = screen_releases(releases)
    assert report.meta["R024"]["lower_fence"] == pytest.approx(0.05)
    assert {k for k in keys(report, "R024") if k[0] == "OCID"} == {("OCID", "ocds-r-7")}


def test_r044_shared_address_or_contact_between_competitors() -> None:
    # A: same phone written differently; D: same e-mail, other case; E: X5 also bid alone
    # against its consortium partner Y5. B: partners on one bid only; C: nothing shared.
    report = screen("r044")
    assert {k for k in keys(report, "R044") if k[0] == "OCID"} == {
        ("OCID", f"ocds-r044-{k}") for k in "ADE"}
    flag = next(f for f in report.flags if f.id == "ocds-r044-D")
    assert flag.evidence["links"][0]["shared"] == [{"kind": "email", "value": "sales@firm.cn"}]
    assert "R044" not in {i for g in report.cardinal_results().values()
                          for v in g.values() for i in v}


def test_flags_carry_cypher_with_the_literal_id() -> None:
    flag = next(f for f in screen("r030").flags if f.indicator == "R030" and f.group == "OCID")
    shown = flag.to_dict()
    assert shown["cypher_params"] == {"tender_id": "r030-A"}
    assert '{tender_id: "r030-A"}' in shown["cypher"] and "$" not in shown["cypher"]
    assert literal("MATCH (c {uscc: $uscc})", {"uscc": 'a"b'}) == 'MATCH (c {uscc: "a\\"b"})'


def test_bad_lines_are_skipped_as_cardinal_does_and_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"ocid": "x"}\n\n[1]\n{"ocid": "y", "v": NaN}\nnot json\n',
                   encoding="utf-8")
    skipped: list[int] = []
    assert screen_releases(read_releases(bad, skipped)).releases == 1
    assert skipped == [3, 4, 5]
    with pytest.raises(BadInput, match="not found"):
        list(read_releases(tmp_path / "missing.jsonl"))


@pytest.fixture(scope="module")
def redflag_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("redflag-world")
    generate_world(1500, 11, out, progress=False)
    return out


def test_graph_releases_equal_the_ocds_export(clean_graph: Driver, settings: Settings,
                                              redflag_world: Path, tmp_path: Path) -> None:
    load_world(clean_graph, redflag_world, database=settings.neo4j_database, progress=False)
    exported = tmp_path / "world.jsonl"
    export_ocds(validate_world(read_world(redflag_world)).world, exported)
    from_file = {r["ocid"]: r for r in read_releases(exported)}
    from_graph = {r["ocid"]: r for r in graph_releases(clean_graph, settings.neo4j_database)}
    assert from_graph.keys() == from_file.keys()
    differing = [o for o in from_file if json.dumps(from_file[o], sort_keys=True)
                 != json.dumps(from_graph[o], sort_keys=True)]
    assert differing == [], differing[:3]
    assert (screen_releases(from_graph.values()).cardinal_results()
            == screen_releases(from_file.values()).cardinal_results())
    shown = {}
    for flag in screen_releases(from_graph.values()).flags:
        shown.setdefault((flag.indicator, flag.group), flag.to_dict()["cypher"])
    assert len(shown) >= 3
    for (code, group), text in shown.items():  # the pasted Cypher shows something
        records = clean_graph.execute_query(text, database_=settings.neo4j_database).records
        assert records, (code, group, text)
    one = next(iter(from_file.values()))["tender"]["id"]
    assert [r["tender"]["id"] for r in graph_releases(clean_graph, settings.neo4j_database,
                                                      one)] == [one]
    with pytest.raises(NotFound):
        graph_releases(clean_graph, settings.neo4j_database, "no-such-tender")
    from typer.testing import CliRunner

    from riskgraph.app.cli.main import app

    result = CliRunner().invoke(app, ["screen", "tenders", "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["source"] == "graph" and shown["releases"] == len(from_file)
    assert shown["counts"] == screen_releases(from_file.values()).counts()


def test_cli_screens_an_ocds_file() -> None:
    from typer.testing import CliRunner

    from riskgraph.app.cli.main import app

    result = CliRunner().invoke(app, ["screen", "tenders", "--json", "--ocds",
                                      str(FIXTURES / "r035.jsonl"), "--tender", "ocds-r035-A"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["counts"]["R035"] == 2 and out["releases"] == 5
    assert {f["tender_id"] for f in out["flags"] if f["group"] != "Buyer"} == {"r035-A"}
    assert [f["id"] for f in out["flags"] if f["group"] == "Buyer"] == ["BUYER"]  # R038
    missing = CliRunner().invoke(app, ["screen", "tenders", "--ocds",
                                       str(FIXTURES / "r035.jsonl"), "--tender", "nope"])
    assert missing.exit_code != 0
