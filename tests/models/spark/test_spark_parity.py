"""The Spark engine gives the in-process engine's features, scores, tiers, reasons and digest,
and its run written back to Neo4j verifies (local mode; PySpark and Java required)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from neo4j import Driver

from riskgraph.app.cli.engine_options import ENGINES, check_engine
from riskgraph.graph.config import PROJECT_ROOT, Settings
from riskgraph.graph.errors import BadInput, ConfigError
from riskgraph.graph.snapshot import DAY_MAX, DAY_MIN, Snapshot
from riskgraph.graph.store import Store
from riskgraph.graph.store.runs import run_assessments, verify_run
from riskgraph.models.accountability.ranking import build_run, run_parameters
from riskgraph.models.risk.artifact import load_artifact, save_artifact
from riskgraph.models.risk.features import compute_features, feature_names
from riskgraph.models.risk.features.context import FeatureContext, signal_matrix
from riskgraph.models.risk.features.registry import REGISTRY
from riskgraph.models.risk.scoring import score_snapshot
from riskgraph.models.risk.train_config import TrainConfig
from riskgraph.models.risk.training import train
from riskgraph.models.spark.features import feature_chunks
from riskgraph.models.spark.partition import own_scope
from riskgraph.models.spark.session import check_java

pyspark = pytest.importorskip(
    "pyspark", reason="PySpark is not installed (pip install 'riskgraph[spark]'): the Spark "
                      "engine's parity test needs it; CI installs it with the dev extras")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from riskgraph.models.spark.session import spark_session

    session = spark_session("local[2]", conf={"spark.driver.memory": "768m"})
    yield session
    session.stop()


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, world_snapshot: Snapshot) -> Path:
    out = tmp_path_factory.mktemp("spark-home")
    save_artifact(train(world_snapshot, TrainConfig()), out)
    return out


def test_spark_features_equal_in_process_features(spark: Any, world_dir: Path,
                                                  world_snapshot: Snapshot) -> None:
    from riskgraph.models.spark.features import spark_features

    names = feature_names(include_soft=True)
    as_of = world_snapshot.data_end + 1
    local = compute_features(world_snapshot, as_of, names)
    # own and network features on 5 firm slices (the network ones with their halo)
    remote = spark_features(spark, world_snapshot, as_of, names, slice_firms=700)
    assert remote.names == local.names
    assert np.array_equal(remote.values, local.values)
    assert np.array_equal(remote.alive, local.alive)
    assert remote.as_of == local.as_of


def test_spark_features_ship_at_most_one_task_input_per_core(
        spark: Any, world_snapshot: Snapshot, monkeypatch: pytest.MonkeyPatch) -> None:
    from riskgraph.models.spark.features import spark_features
    from riskgraph.models.spark.shipping import Shipper

    live: set[str] = set()
    most = [0]
    ship, drop = Shipper.ship, Shipper.drop

    def counted_ship(self: Shipper, value: Any) -> str:
        name = ship(self, value)
        live.add(name)
        most[0] = max(most[0], len(live))
        return name

    def counted_drop(self: Shipper, name: str) -> None:
        live.discard(name)
        drop(self, name)

    monkeypatch.setattr(Shipper, "ship", counted_ship)
    monkeypatch.setattr(Shipper, "drop", counted_drop)
    names = feature_names(include_soft=True)
    as_of = world_snapshot.data_end + 1
    got = spark_features(spark, world_snapshot, as_of, names, slice_firms=400)  # 20 tasks
    assert np.array_equal(got.values, compute_features(world_snapshot, as_of, names).values)
    assert 1 <= most[0] <= spark.sparkContext.defaultParallelism and not live


def test_network_features_on_five_slices_equal_one_task_on_the_whole(
        spark: Any, world_dir: Path, world_snapshot: Snapshot) -> None:
    from riskgraph.models.spark.features import feature_work, spark_features

    names = [n for n in feature_names(include_soft=True) if not own_scope(n)]
    as_of = world_snapshot.data_end + 1
    signals = signal_matrix(FeatureContext(world_snapshot, as_of))
    kinds = [w.kind for w in feature_work(world_snapshot, names, 5, signals=signals)]
    assert kinds[:6] == ["own"] * 5 + ["global"]  # the own tasks return the signals
    assert kinds.count("halo") == 5 and kinds.count("global") == 2
    sliced = spark_features(spark, world_snapshot, as_of, names, slice_firms=600)
    # one task reading the world itself (the cluster path of network="whole")
    whole = spark_features(spark, world_snapshot, as_of, names, world=world_dir,
                           network="whole")
    assert np.array_equal(sliced.values, whole.values)
    assert np.array_equal(whole.values, compute_features(world_snapshot, as_of, names).values)


def test_spark_reads_people_through_the_resolution_as_in_process(
        spark: Any, world_snapshot: Snapshot) -> None:
    from riskgraph.models.spark.features import spark_features

    ids = world_snapshot.person_id[:400].astype(str)
    snap = world_snapshot.with_resolution(ids, [f"e{i // 2}" for i in range(len(ids))],
                                          [DAY_MIN] * len(ids), [DAY_MAX] * len(ids))
    names = [n for n in feature_names() if REGISTRY[n].group in ("people", "position")]
    as_of = snap.data_end + 1
    local = compute_features(snap, as_of, names)
    assert not np.array_equal(local.values, compute_features(world_snapshot, as_of, names).values)
    for network in ("halo", "whole"):  # whole: the driver's snapshot broadcast
        remote = spark_features(spark, snap, as_of, names, slice_firms=1000, network=network)
        assert np.array_equal(remote.values, local.values)


@pytest.mark.neo4j
@pytest.mark.slow
@pytest.mark.timeout(1800)  # a loaded 2-core machine: world load + training + Spark start
def test_spark_run_equals_in_process_run_and_verifies(spark: Any, clean_graph: Driver,
                                                      settings: Settings, world_dir: Path,
                                                      home: Path) -> None:
    from riskgraph.graph.loader import load_world
    from riskgraph.models.spark.ranking import create_run_spark

    load_world(clean_graph, world_dir, database=settings.neo4j_database, progress=False)
    snap = Snapshot.from_neo4j(clean_graph, settings.neo4j_database)
    art = load_artifact(home)
    sc = score_snapshot(snap, art)
    local = build_run(sc, run_parameters(sc))

    run = create_run_spark(Store.open(clean_graph, settings.neo4j_database), spark, as_of=sc.as_of,
                           home=home, settings=settings)
    assert run.digest == local.digest
    assert run.data_snapshot_sha256 == local.data_snapshot_sha256
    assert run.status == "complete" and run.written == len(local.firms) == run.firm_count
    tiers: dict[str, int] = {}
    for f in local.firms:
        tiers[f.tier] = tiers.get(f.tier, 0) + 1
    assert run.tiers == tiers
    ok, digest = verify_run(Store.open(clean_graph, settings.neo4j_database), run.run_id)
    assert ok and digest == local.digest
    stored = run_assessments(Store.open(clean_graph, settings.neo4j_database), run.run_id)
    assert [(r["uscc"], r["risk"], r["tier"], r["rank"], r["reasons"]) for r in stored] == [
        (f.uscc, f.risk, f.tier, f.rank, json.loads(json.dumps(f.reasons))) for f in local.firms]
    assert [r["serious_risk"] for r in stored] == [f.serious_risk for f in local.firms]


def test_feature_chunks_cover_every_name_once_in_group_order() -> None:
    names = [*feature_names(include_soft=True), "user_table_x"]
    chunks = feature_chunks(names)
    flat = [n for c in chunks for n in c]
    assert sorted(flat) == sorted(names) and len(flat) == len(names)
    assert chunks[-1] == ["user_table_x"]
    assert len(chunks) > 1


@given(st.text(max_size=12))
def test_an_unknown_engine_is_refused_by_name(engine: str) -> None:
    if engine in ENGINES:
        check_engine(engine, None)
        return
    with pytest.raises(BadInput, match="--engine"):
        check_engine(engine, None)


def test_world_is_for_the_spark_engine_only(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="--world is read by --engine spark only"):
        check_engine("local", tmp_path)
    with pytest.raises(BadInput, match="not a directory"):
        check_engine("spark", tmp_path / "missing")


def test_missing_java_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    with pytest.raises(ConfigError, match="needs Java 17 or 21"):
        check_java()


def test_cli_without_java_exits_5_with_the_reason(tmp_path: Path, world_dir: Path) -> None:
    env = dict(os.environ, JAVA_HOME=str(tmp_path / "no-java"))
    result = subprocess.run(
        [sys.executable, "-m", "riskgraph", "features", "--engine", "spark", "--world",
         str(world_dir), "--out", str(tmp_path / "f.parquet")],
        capture_output=True, text=True, cwd=PROJECT_ROOT, env=env, check=False)
    assert result.returncode == 5, result.stderr
    assert "needs Java 17 or 21" in result.stderr and "Traceback" not in result.stderr
