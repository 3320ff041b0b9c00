"""Task inputs go through a staging directory: whole files only, none left behind, and
shipping from one driver thread while another runs jobs cannot fail a task (it did with
``SparkContext.addFile``: a job listed a file whose driver-side copy was still being
written)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskgraph.graph.errors import ConfigError
from riskgraph.models.spark.shipping import STAGE_SETTING, Shipper, fetch, stage_root

pytest.importorskip("pyspark", reason="PySpark is not installed (pip install "
                                      "'riskgraph[spark]'); CI installs it with the dev extras")


def test_the_staging_directory_comes_from_the_settings_and_a_cluster_must_name_one(
        tmp_path: Path) -> None:
    assert stage_root("local[2]", {STAGE_SETTING: str(tmp_path)}) == tmp_path
    assert stage_root("local[*]", {"spark.local.dir": "/scratch"}) == Path("/scratch")
    assert stage_root("yarn", {STAGE_SETTING: "/mnt/shared"}) == Path("/mnt/shared")
    for master in ("yarn", "spark://head:7077", "k8s://https://api:443"):
        with pytest.raises(ConfigError, match=STAGE_SETTING):
            stage_root(master, {"spark.local.dir": "/scratch", STAGE_SETTING: " "})


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from riskgraph.models.spark.session import spark_session

    session = spark_session("local[2]", local_dir=tmp_path_factory.mktemp("spark"),
                            conf={"spark.driver.memory": "768m"})
    yield session
    session.stop()


@settings(max_examples=25, deadline=None)
@given(st.recursive(st.none() | st.integers() | st.floats(allow_nan=False) | st.text(),
                    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_a_shipped_value_is_fetched_unchanged_and_dropped(spark: Any, value: Any) -> None:
    shipper = Shipper(spark.sparkContext)
    try:
        shipped = shipper.ship(value)
        assert fetch(shipped) == value
        assert [p.name for p in shipper.dir.iterdir()] == [Path(shipped).name]  # no .part
        shipper.drop(shipped)
        assert not Path(shipped).exists()
    finally:
        shipper.close()
    assert not shipper.dir.exists()


def test_shipping_while_another_thread_runs_jobs_fails_no_task(spark: Any) -> None:
    sc = spark.sparkContext
    shipper = Shipper(sc)
    errors: list[BaseException] = []
    seen: list[int] = []
    stop = threading.Event()

    def ship_and_read() -> None:  # inputs of 200 MB: long writes, as the 3 M-firm halos
        try:
            for k in range(6):
                shipped = shipper.ship(np.full(200_000_000, k, dtype=np.uint8))
                seen.extend(sc.parallelize([shipped], 1)
                            .map(lambda p: int(fetch(p)[-1])).collect())
                shipper.drop(shipped)
        except BaseException as exc:  # raised below, in the test's thread
            errors.append(exc)
        finally:
            stop.set()

    def small_jobs() -> None:
        try:
            while not stop.is_set():
                sc.parallelize([1, 2], 1).map(lambda x: x + 1).collect()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=ship_and_read), threading.Thread(target=small_jobs)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        shipper.close()
    assert not errors, errors[0]
    assert seen == list(range(6))


def test_a_staging_directory_that_cannot_be_made_is_a_config_error(
        spark: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the staging directory should be\n")
    sc = spark.sparkContext
    sc._conf.set(STAGE_SETTING, str(blocker / "stage"))  # the running context's settings
    try:
        with pytest.raises(ConfigError, match=r"staging directory .*not-a-directory"):
            Shipper(sc)
    finally:
        sc._conf.set(STAGE_SETTING, "")
    assert blocker.read_text() == "a file where the staging directory should be\n"
