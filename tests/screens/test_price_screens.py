"""Price, pair and group screens, labels, the supervised model and reproducibility, without
Neo4j (the graph path is tests/screens/test_cartels.py)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskgraph.graph.config import PROJECT_ROOT
from riskgraph.graph.errors import BadInput
from riskgraph.graph.importers.ocds import import_ocds
from riskgraph.graph.schema import Label
from riskgraph.graph.validation import validate_world
from riskgraph.models.screens.cartel_labels import read_labels
from riskgraph.models.screens.cartel_learning import evaluate
from riskgraph.models.screens.cartels import CartelConfig
from riskgraph.models.screens.cobidding import Tender, TenderBid, cobid_groups, tenders_from
from riskgraph.models.screens.price_screens import cover_bands, price_screens, tender_screens
from riskgraph.seed.world import generate_world

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
from bench_cartels import report_for


def _tender(amounts: list[float], winner: int = 0, **info: float) -> Tender:
    bids = [TenderBid("T", "2021-01-01", f"b{i}", a, "won" if i == winner else "lost",
                      (f"F{i}",)) for i, a in enumerate(amounts)]
    t = tenders_from(bids)["T"]
    for k, v in info.items():
        setattr(t, k, v)
    return t


def test_screens_of_one_tender() -> None:
    s = tender_screens(_tender([100.0, 102.0, 110.0, 120.0], estimate=100.0, floor=90.0))
    mean = 108.0
    sd = math.sqrt(sum((x - mean) ** 2 for x in (100, 102, 110, 120)) / 3)
    assert s["bids"] == 4 and s["cv"] == pytest.approx(sd / mean)
    assert s["spread"] == pytest.approx(0.2) and s["diffp"] == pytest.approx(0.02)
    losers = math.sqrt(sum((x - 332 / 3) ** 2 for x in (102, 110, 120)) / 2)
    assert s["rd"] == pytest.approx(2.0 / losers)
    assert s["lowest_to_estimate"] == 1.0 and s["above_floor"] == pytest.approx(1 / 9)
    assert s["skewness"] is not None and s["kurtosis"] is not None
    assert s["lowest_to_reserve"] is None
    two = tender_screens(_tender([100.0, 101.0]))
    assert two["rd"] is None and two["kurtosis"] is None and two["diffp"] == pytest.approx(0.01)
    assert tender_screens(_tender([100.0]))["cv"] is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(min_value=0, max_value=1e12)), min_size=1,
                max_size=12),
       st.one_of(st.none(), st.floats(min_value=1e-3, max_value=1e12)))
def test_screens_never_fail_on_any_amounts(amounts: list[float | None],
                                           estimate: float | None) -> None:
    bids = [TenderBid("T", "2021-01-01", f"b{i}", a, "won" if i == 0 else "lost", (f"F{i}",))
            for i, a in enumerate(amounts)]
    tenders = tenders_from(bids)
    tenders["T"].estimate = estimate
    s = price_screens(tenders)["T"]
    assert all(v is None or math.isfinite(v) for v in s.screens.values())
    assert s.score is None or 0.0 <= s.score <= 1.0
    assert all(b > 0.0 for b in cover_bands(tenders, 0.75).values())


def test_cover_band_follows_the_market_not_a_fixed_ten_percent() -> None:
    tenders = {}
    for k in range(40):  # a floor-price market: every loser within 0.2-1.5 % of the winner
        t = _tender([1000.0, 1002.0 + k % 7, 1010.0 + k % 5], floor=990.0)
        t.tender_id, t.category = f"F{k}", "works"
        tenders[t.tender_id] = t
    band = cover_bands(tenders, 0.75)
    assert max(band.values()) < 0.02  # far below the old 10 %


def _labels(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "labels.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_labels_file_and_its_errors(tmp_path: Path) -> None:
    labels = read_labels(_labels(tmp_path, "level,id,label,case\ntender,T1,1,c1\n"
                                           "firm,x-agency:b-1,1,c1\ntender,T2,0,\n"))
    assert labels.tenders == {"T1": 1, "T2": 0} and labels.firms == {"x-agency:b-1": 1}
    for text, message in (("id\nT1\n", "header lacks column"),
                          ("level,id\nbidder,T1\n", "row 2: level 'bidder'"),
                          ("level,id,label\ntender,T1,yes\n", "label 'yes' is not 0 or 1"),
                          ("level,id\ntender,\n", "id is empty"),
                          ("level,id\nfirm,Bad Id\n", "row 2: id:"),
                          ("level,id,label\ntender,T1,1\ntender,T1,0\n", "both 0 and 1")):
        with pytest.raises(BadInput, match=message):
            read_labels(_labels(tmp_path, text))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_labels_reader_fuzz(text: str) -> None:
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"fuzz-labels-{os.getpid()}.csv"
    path.write_text(text, encoding="utf-8")
    try:
        labels = read_labels(path)
    except BadInput as exc:
        assert str(exc)
    else:
        assert labels.tenders or labels.firms


def test_groups_do_not_depend_on_set_order() -> None:
    pairs = {(f"f{a:02d}", f"f{b:02d}"): ["t"] * (3 + (a * b) % 4)
             for a in range(30) for b in range(a + 1, 30) if (a + b) % 3 == 0}
    first = cobid_groups(pairs, 3, 0)
    assert first == cobid_groups(dict(reversed(list(pairs.items()))), 3, 0)


def test_bid_only_ocds_loads_with_currency_and_month_dates(tmp_path: Path) -> None:
    release = {"ocid": "ocds-x-1", "id": "1", "date": "2021-03-01T00:00:00Z",
               "parties": [{"id": f"p{i}", "name": f"F{i}", "roles": ["tenderer"],
                            "identifier": {"scheme": "X-AGENCY", "id": f"b-{i}"}}
                           for i in (1, 2)],
               "tender": {"id": "t1", "tenderPeriod": {"startDate": "2021-03"},
                          "value": {"amount": 100, "currency": "eur"},
                          "minValue": {"amount": 80, "currency": "EUR"},
                          "numberOfTenderers": 3},
               "bids": {"details": [
                   {"id": "b1", "status": "valid", "date": "2021-03",
                    "value": {"amount": 90, "currency": "EUR"}, "tenderers": [{"id": "p1"}]},
                   {"id": "b2", "status": "valid", "value": {"amount": 95, "currency": "EUR"},
                    "tenderers": [{"id": "p2"}]}]},
               "awards": [{"id": "a1", "status": "active", "relatedBid": "b1",
                           "suppliers": [{"id": "p1"}]}]}
    path = tmp_path / "bids.json"
    path.write_text(json.dumps({"releases": [release]}), encoding="utf-8")
    result = validate_world(import_ocds(path).world)
    assert result.rejects == []
    tender = result.world.nodes[Label.TENDER].to_pylist()[0]
    assert (tender["currency"], tender["estimated_value"], tender["floor_price"],
            tender["number_of_tenderers"], tender["published_on_precision"]) == (
        "EUR", 100.0, 80.0, 3, "month")
    bids = result.world.nodes[Label.BID].to_pylist()
    assert [b["currency"] for b in bids] == ["EUR", "EUR"]
    assert bids[0]["submitted_at_precision"] == "month" and bids[1]["submitted_at"] is None
    assert {"category", "deadline", "procedure", "buyer"} <= set(result.missing["Tender"])
    companies = result.world.nodes[Label.COMPANY]["uscc"].to_pylist()
    assert sorted(companies) == ["x-agency:b-1", "x-agency:b-2"]


FIRMS, SEED = 2000, 3


@pytest.fixture(scope="module")
def price_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("price-world")
    generate_world(FIRMS, SEED, out, progress=False, price_cartels=True)
    return out


def test_price_world_labels_and_screens(price_world: Path) -> None:
    truth = json.loads((price_world / "ground_truth.json").read_text(encoding="utf-8"))
    cartels = truth["schemes"]["bid_rigging_cartels"]
    assert {"cover", "phantom", "rotation", "floor"} <= {c["behaviour"] for c in cartels}
    labels = read_labels(price_world / "ground_truth_labels.csv")
    assert set(labels.firms) == {m for c in cartels for m in c["members"]}
    assert set(labels.tenders) == {t for c in cartels for t in c["tenders"]}
    tenders, report = report_for(price_world, CartelConfig(), bid_only=True)
    flagged = {m for g in report.flagged for m in g.stats.members}
    members = set(labels.firms)
    assert len(flagged & members) >= 0.9 * len(members)
    assert len(flagged & members) >= 0.9 * len(flagged)
    scored = {t.tender_id: t for t in report.tenders}
    assert all(0.0 <= t.score <= 1.0 and t.price.screens["bids"] >= 2 for t in scored.values())
    result = evaluate(report, tenders, labels)
    for level in ("tender", "firm"):
        for grouping in ("grouped_by_firm", "grouped_by_time"):
            m = result[level][f"model_{grouping}"]
            assert m["precision"] >= 0.9 and m["recall"] >= 0.9, (level, grouping, m)
            assert m["roc_auc"] >= 0.95


def test_screen_is_byte_identical_across_hash_seeds(price_world: Path) -> None:
    code = ("import json, sys; sys.path.insert(0, 'bench');"
            "from pathlib import Path; from bench_cartels import report_for;"
            "from riskgraph.models.screens.cartels import CartelConfig;"
            f"t, r = report_for(Path({str(price_world)!r}), CartelConfig(), False);"
            "print(json.dumps(r.to_dict(), sort_keys=False))")
    outputs = []
    for seed in ("1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=PROJECT_ROOT,
                             env=env, check=False)
        assert run.returncode == 0, run.stderr.decode()
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1] and len(outputs[0]) > 1000
    assert json.loads(outputs[0])["groups_scored"] > 0
