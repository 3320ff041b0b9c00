"""Learning from an agency's own inspections, on the real Neo4j: a routine-only agency whose
records are all inspections (both auxiliary components left out), explicit windows, streams,
and inspection-level examples that see nothing on or after the inspection day."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from neo4j import Driver
from typer.testing import CliRunner

from riskgraph.app.cli.main import app
from riskgraph.graph.config import Settings, get_settings
from riskgraph.graph.errors import BadInput
from riskgraph.graph.loader import load_world
from riskgraph.graph.snapshot import DAY_MAX, KINDS, Snapshot, day_of
from riskgraph.models.accountability.ranking import rank_scores
from riskgraph.models.risk.evaluation import evaluate
from riskgraph.models.risk.inspections import EventTable, build_examples, days_earlier, network_day
from riskgraph.models.risk.model_card import model_card
from riskgraph.models.risk.scoring import score_snapshot
from riskgraph.models.risk.train_config import TrainConfig, model_features
from riskgraph.models.risk.training import train

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


@pytest.fixture(scope="module")
def agency_dir(world_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated world as an agency that only inspects: every record an inspection of the
    routine stream, no serious findings (so the serious model and the population model have a
    single class)."""
    out = tmp_path_factory.mktemp("routine-agency") / "world"
    shutil.copytree(world_dir, out)
    recs = pq.read_table(out / "nodes" / "CreditRecord.parquet")
    keep = pc.is_in(recs["kind"], pa.array(["random_inspection", "targeted_inspection"]))
    recs = recs.filter(keep)
    recs = recs.set_column(recs.column_names.index("stream"), "stream",
                           pa.array(["routine"] * recs.num_rows))
    outcome = [("violation" if v == "serious_violation" else v)
               for v in recs["outcome"].to_pylist()]
    recs = recs.set_column(recs.column_names.index("outcome"), "outcome", pa.array(outcome))
    pq.write_table(recs, out / "nodes" / "CreditRecord.parquet")
    for rel in ("HAS_RECORD", "INSPECTED_BY"):
        path = out / "rels" / f"{rel}.parquet"
        table = pq.read_table(path)
        side = "dst" if rel == "HAS_RECORD" else "src"
        pq.write_table(table.filter(pc.is_in(table[side], recs["record_id"])), path)
    return out


@pytest.fixture(scope="module")
def agency(driver: Driver, settings: Settings, agency_dir: Path) -> Snapshot:
    from riskgraph.graph.maintenance import clear_data

    clear_data(driver, settings.neo4j_database)
    load_world(driver, agency_dir, database=settings.neo4j_database, progress=False)
    return Snapshot.from_neo4j(driver, settings.neo4j_database)


def test_routine_only_agency_trains_without_its_one_class_components(agency: Snapshot) -> None:
    assert set(agency.rec_stream.tolist()) == {2}  # routine
    art = train(agency, TrainConfig())
    left_out = {o["component"]: o["reason"] for o in art.metadata["omitted_components"]}
    assert set(left_out) == {"serious model", "population model"}
    assert "found 0" in left_out["serious model"]
    assert set(art.models) == {"violation"}
    assert len(art.models["violation"].components) == 1
    card = model_card(art, [], None)
    assert "Components left out of this model:" in card and "- population model:" in card
    sc = score_snapshot(agency, art)
    assert ((sc.risk > 0) & (sc.risk < 1)).all() and np.isnan(sc.serious_risk).all()
    top = rank_scores(sc)[:3]
    assert top[0].serious_risk is None and top[0].rank == 1
    result = evaluate(agency, art)
    assert result["evaluation_stream"] == "routine"
    assert "scheduled canvass" in result["stream_bias"]
    assert result["serious"] == {"available": False, "reason": left_out["serious model"]}
    assert result["auc"] is not None
    with pytest.raises(BadInput, match=r"no inspections of stream.*random.*routine"):
        evaluate(agency, art, streams=["random"])


def test_explicit_windows(agency: Snapshot) -> None:
    art = train(agency, TrainConfig(as_of=dt.date(2023, 7, 1), horizon=180))
    assert art.metadata["calibration_window"]["panel"] == "2023-01-02"
    panels = art.metadata["training_window"]["panels"]
    assert panels[-1] == "2022-07-06" and all(
        (dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days == 180
        for a, b in itertools.pairwise(panels))
    r = evaluate(agency, art, window=(dt.date(2024, 3, 1), dt.date(2024, 3, 31)))
    assert r["evaluation_windows"] == [{"from": "2024-03-01", "to": "2024-03-31"}]
    inspected = (agency.rec_issued >= day_of(dt.date(2024, 3, 1))) & (
        agency.rec_issued <= day_of(dt.date(2024, 3, 31)))
    assert 0 < r["examples"] <= len(set(agency.rec_subject[inspected].tolist()))
    with pytest.raises(BadInput, match="before --from"):
        evaluate(agency, art, window=(dt.date(2024, 3, 1), dt.date(2024, 2, 1)))
    with pytest.raises(BadInput, match="after the data end"):
        evaluate(agency, art, window=(dt.date(2024, 3, 1), dt.date(2099, 1, 1)))


def test_inspection_level_cli_with_event_table(agency: Snapshot, tmp_path: Path) -> None:
    rid = agency.rec_id[agency.rec_outcome >= 0]
    events = tmp_path / "visit.csv"
    rng = np.random.default_rng(3)
    events.write_text("record_id,inspector_team,minutes\n" + "".join(
        f"{r},{'ab'[i % 2]},{rng.integers(20, 90)}\n" for i, r in enumerate(rid))
        + ",a,30\nextra-1,b,ninety\n", encoding="utf-8")  # two bad rows, at the end
    runner = CliRunner()
    result = runner.invoke(app, ["train", "--level", "inspection", "--until", "2024-06-30",
                                 "--event-features", str(events)])
    assert result.exit_code == 0, result.output
    assert "left out: serious model" in result.output
    out = " ".join(result.output.split())  # rich wraps long lines
    n = len(rid)
    assert f"2 row(s) of {events} left out" in out
    assert f"row {n + 1}: field 'record_id': empty" in out
    assert f"row {n + 2}: field 'minutes': 'ninety' is not a finite number" in out
    listed = list((get_settings().riskgraph_home / "rejects").glob("train-*-inspection.csv"))
    assert listed and "ninety" in max(listed, key=lambda f: f.stat().st_mtime).read_text()
    predictions = tmp_path / "pred.csv"
    result = runner.invoke(app, ["evaluate", "--level", "inspection", "--from", "2024-07-01",
                                 "--to", "2024-12-31", "--json", "--predictions",
                                 str(predictions)])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    rejected = figures["rejected_rows"]
    assert rejected["count"] == 2 and "'ninety'" in rejected["first"][1]
    assert Path(rejected["file"]).read_text(encoding="utf-8").count("\n") == 3
    assert figures["level"] == "inspection" and figures["evaluation_stream"] == "routine"
    lines = predictions.read_text(encoding="utf-8").splitlines()
    assert len(lines) == figures["examples"] + 1 and lines[0].startswith("record_id,")
    assert figures["days_earlier"] is not None
    result = runner.invoke(app, ["evaluate", "--level", "inspection", "--from", "2024-07-01"])
    assert isinstance(result.exception, BadInput)
    assert "--from and --to go together" in str(result.exception)


# ------------------------------------------------------------------------------ no server


def test_inspection_features_see_nothing_on_or_after_the_inspection_day(
        world_snapshot: Snapshot, tmp_path: Path) -> None:
    from tests.models.risk.test_point_in_time import _future

    snap = world_snapshot
    names = model_features(True, [])
    inspected = snap.rec_outcome >= 0
    days, counts = np.unique(snap.rec_issued[inspected], return_counts=True)
    lo = hi = int(days[np.argmax(counts)])  # the busiest inspection day
    events = tmp_path / "ev.csv"
    events.write_text("record_id,weather\n" + "".join(
        f"{r},{i % 7}\n" for i, r in enumerate(snap.rec_id[inspected])), encoding="utf-8")
    table = EventTable.read(events)
    before = build_examples(snap, names, [], [table], lo, hi, None)
    assert len(before) > 0 and before.names[-1] == "event_ev_weather"
    # everything from the first examined day on changes or is added
    changed = _future(snap, np.random.default_rng(7), lo - 1)
    same_day = changed.rec_issued >= lo
    changed = replace(changed, rec_severity=np.where(same_day, 2, changed.rec_severity
                                                     ).astype(np.int8),
                      rec_outcome=np.where(same_day & (changed.rec_outcome >= 0), 2,
                                           changed.rec_outcome).astype(np.int8))
    after = build_examples(changed, names, [], [table], lo, hi, None)
    at = {r: i for i, r in enumerate(after.record_id.tolist())}
    rows = [at[r] for r in before.record_id.tolist()]
    diff = np.abs(before.x - after.x[rows]).max(axis=0)
    assert {n: float(v) for n, v in zip(before.names, diff, strict=True) if v > 1e-9} == {}
    assert (after.serious[rows]).all()  # the labels did change: they are the event's outcome
    assert (network_day(before.day) < before.day).all()


def test_the_inspection_check_can_fail_records_the_day_before_do_count(
        world_snapshot: Snapshot) -> None:
    snap = world_snapshot
    inspected = snap.rec_outcome >= 0
    d = int(np.median(snap.rec_issued[inspected]))
    firms = np.unique(snap.rec_subject[inspected & (snap.rec_issued == d) & ~snap.rec_on_person])
    k = len(firms)
    extra = {"rec_node": np.arange(k) + 10**9, "rec_subject": firms,
             "rec_on_person": np.zeros(k, bool),
             "rec_kind": np.full(k, KINDS.index("administrative_penalty")),
             "rec_category": np.zeros(k), "rec_negative": np.ones(k, bool),
             "rec_issued": np.full(k, d - 1), "rec_removed": np.full(k, DAY_MAX),
             "rec_severity": np.zeros(k), "rec_amount": np.full(k, 1000.0),
             "rec_outcome": np.full(k, -1), "rec_stream": np.full(k, -1),
             "rec_tax_agency": np.zeros(k, bool),
             "rec_id": np.asarray([f"p{i}" for i in range(k)], dtype=object)}
    moved = replace(snap, **{n: np.concatenate([getattr(snap, n), np.asarray(
        v, dtype=getattr(snap, n).dtype)]) for n, v in extra.items()})
    a = build_examples(snap, ["penalties_1y"], [], [], d, d, None)
    b = build_examples(moved, ["penalties_1y"], [], [], d, d, None)
    assert len(a) > 0 and (b.x[:, 0] == a.x[:, 0] + 1).all()


def test_days_earlier_reorders_into_the_same_daily_capacity() -> None:
    day = np.array([0, 0, 1, 1, 2, 2])
    y = np.array([False, False, False, False, True, True])
    assert days_earlier(day, y, np.array([0, 0, 0, 0, 1.0, 1.0])) == 2.0
    assert days_earlier(day, y, np.array([1.0, 1, 0.5, 0.5, 0, 0])) == 0.0
    assert days_earlier(day, np.zeros(6, bool), np.zeros(6)) is None


def test_event_table_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("uscc,x\nA,1\n", encoding="utf-8")
    with pytest.raises(BadInput, match=r"e.csv: missing column 'record_id'"):
        EventTable.read(path)
    path.write_text("record_id,who\n" + "".join(f"r{i},name{i}\n" for i in range(80)),
                    encoding="utf-8")
    with pytest.raises(BadInput, match="80 distinct values"):
        EventTable.read(path)


def test_unknown_stream_and_group_are_clear_errors(world_snapshot: Snapshot) -> None:
    with pytest.raises(BadInput, match="unknown inspection stream 'canvass'"):
        train(world_snapshot, TrainConfig(streams=["canvass"]))
    with pytest.raises(BadInput, match="unknown feature group 'graph'"):
        train(world_snapshot, TrainConfig(without_groups=["graph"]))
