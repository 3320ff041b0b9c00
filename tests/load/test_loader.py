"""The loader against the real Neo4j: validation, rejects, idempotency, interrupted loads."""

from __future__ import annotations

import csv
import multiprocessing
import os
import shutil
import signal
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from neo4j import Driver

from riskgraph.graph.config import Settings
from riskgraph.graph.driver import read
from riskgraph.graph.loader import completed_batch, load_world
from riskgraph.graph.schema import Label, Rel, node_file, rel_file
from riskgraph.seed.world import generate_world

pytestmark = pytest.mark.neo4j

FIRMS = 1500


@pytest.fixture(scope="module")
def small_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("world")
    generate_world(FIRMS, 11, out, progress=False)
    return out


def graph_counts(driver: Driver, settings: Settings) -> dict[str, int]:
    db = settings.neo4j_database
    labels = {f":{r['label']}": r["count"] for r in read(driver, "count_nodes_by_label", db)}
    types = {f"[:{r['type']}]": r["count"] for r in read(driver, "count_relationships_by_type",
                                                          db)}
    counts = {**labels, **types}
    return {k: v for k, v in counts.items() if v and k not in (":LoadBatch", ":SchemaMigration")}


def test_load_writes_every_valid_row(
    clean_graph: Driver, settings: Settings, small_world: Path
) -> None:
    report = load_world(clean_graph, small_world, database=settings.neo4j_database, progress=False)
    assert report.rejects == 0
    counts = graph_counts(clean_graph, settings)
    for label in (Label.COMPANY, Label.PERSON, Label.CREDIT_RECORD, Label.TENDER, Label.BID):
        rows = pq.read_metadata(small_world / node_file(label)).num_rows
        assert counts[f":{label.value}"] == rows == report.merged[label.value]
    for rel in (Rel.LEGAL_REPRESENTATIVE_OF, Rel.HOLDS_EQUITY, Rel.SUBMITTED, Rel.HAS_RECORD):
        rows = pq.read_metadata(small_world / rel_file(rel)).num_rows
        assert counts[f"[:{rel.value}]"] == rows
    assert completed_batch(clean_graph, small_world, settings.neo4j_database)


def test_loading_twice_leaves_identical_counts(
    clean_graph: Driver, settings: Settings, small_world: Path
) -> None:
    load_world(clean_graph, small_world, database=settings.neo4j_database, progress=False)
    first = graph_counts(clean_graph, settings)
    load_world(clean_graph, small_world, database=settings.neo4j_database, progress=False)
    assert graph_counts(clean_graph, settings) == first


def test_bad_rows_are_rejected_with_reasons_and_good_rows_load(
    clean_graph: Driver, settings: Settings, small_world: Path, tmp_path: Path
) -> None:
    world = tmp_path / "broken"
    shutil.copytree(small_world, world)
    companies = pq.read_table(world / node_file(Label.COMPANY))
    bad_uscc = companies["uscc"][0].as_py()
    capital = companies["registered_capital"].to_pylist()
    capital[0] = -1.0
    companies = companies.set_column(companies.schema.get_field_index("registered_capital"),
                                     "registered_capital", pa.array(capital, pa.float64()))
    pq.write_table(companies, world / node_file(Label.COMPANY))

    report = load_world(clean_graph, world, database=settings.neo4j_database, progress=False)

    with (world / "rejects.csv").open() as fh:
        rejects = list(csv.DictReader(fh))
    company_rejects = [r for r in rejects if r["file"] == node_file(Label.COMPANY)]
    assert [(r["row"], r["key"]) for r in company_rejects] == [("1", bad_uscc)]
    assert company_rejects[0]["reason"] == "registered_capital=-1.0 is negative"
    # relationships that pointed at the rejected firm are rejected too, with that reason
    dangling = [r for r in rejects if r["file"].startswith("rels/")]
    assert dangling
    assert all(f"{bad_uscc} was rejected (see its Company row)" in r["reason"] for r in dangling)
    assert report.rejects == len(rejects)
    counts = graph_counts(clean_graph, settings)
    assert counts[":Company"] == FIRMS - 1 + (companies.num_rows - FIRMS)


def _load_in_child(world: str, env: dict[str, str]) -> None:
    os.environ.update(env)
    from riskgraph.graph.config import get_settings
    from riskgraph.graph.driver import connect

    get_settings.cache_clear()
    settings = get_settings()
    load_world(connect(settings), Path(world), database=settings.neo4j_database, progress=False)


@pytest.mark.slow
def test_a_load_killed_part_way_finishes_with_the_same_counts(
    clean_graph: Driver, settings: Settings, small_world: Path
) -> None:
    load_world(clean_graph, small_world, database=settings.neo4j_database, progress=False)
    expected = graph_counts(clean_graph, settings)
    from riskgraph.graph.maintenance import clear_data

    clear_data(clean_graph, settings.neo4j_database)
    env = {k: v for k, v in os.environ.items() if k.startswith(("RISKGRAPH_", "NEO4J_"))}
    child = multiprocessing.get_context("spawn").Process(
        target=_load_in_child, args=(str(small_world), env))
    child.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # kill once some, not all, of the world is in
        partial = graph_counts(clean_graph, settings)
        if partial.get(":Company", 0) > 0:
            break
        time.sleep(0.05)
    assert child.pid is not None
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    partial = graph_counts(clean_graph, settings)
    assert partial != expected, "the load finished before it could be killed"
    assert not completed_batch(clean_graph, small_world, settings.neo4j_database)

    load_world(clean_graph, small_world, database=settings.neo4j_database, progress=False)
    assert graph_counts(clean_graph, settings) == expected




@pytest.mark.slow
def test_a_load_survives_a_neo4j_restart(
    clean_graph: Driver, settings: Settings, small_world: Path
) -> None:
    if not settings.uses_local_server:
        pytest.skip("NEO4J_URI is set: the test cannot restart that server")
    import threading

    from riskgraph.graph.runtime.server import LocalServer

    load_world(clean_graph, small_world, database=settings.neo4j_database, progress=False)
    expected = graph_counts(clean_graph, settings)
    from riskgraph.graph.maintenance import clear_data

    clear_data(clean_graph, settings.neo4j_database)
    outcome: list[BaseException | None] = []

    def background() -> None:
        try:
            load_world(clean_graph, small_world, database=settings.neo4j_database, progress=False)
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=background)
    worker.start()
    while not graph_counts(clean_graph, settings).get(":Company"):
        time.sleep(0.05)
    server = LocalServer(settings)
    server.stop()
    server.start()
    worker.join(timeout=600)
    assert outcome, "the load did not finish"
    # Either the retries carried the load through the restart, or it failed cleanly; a second
    # run must then complete it. Both end with the same graph as an uninterrupted load.
    load_world(clean_graph, small_world, database=settings.neo4j_database, progress=False)
    assert graph_counts(clean_graph, settings) == expected
