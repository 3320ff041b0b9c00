"""``riskgraph load --bulk`` against a real local Neo4j: the same graph as the transactional
loader, the same rejects file, and no replacement of a database that holds data without
``force``.

The importer replaces the database (its transaction ids start again), which strands the
bookmarks of long-lived drivers, so these tests run on an instance of their own beside the
session's; every check opens a new driver.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from riskgraph.graph.bulk_load import bulk_load_world
from riskgraph.graph.config import Settings
from riskgraph.graph.driver import connect
from riskgraph.graph.errors import BadInput
from riskgraph.graph.loader import LoadReport, completed_batch, load_world
from riskgraph.graph.maintenance import clear_data
from riskgraph.graph.migrations import migrate
from riskgraph.graph.runtime.server import LocalServer
from riskgraph.graph.schema import Label, node_file
from riskgraph.seed.world import generate_world
from tests.load.test_loader import graph_counts

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def own_instance(settings: Settings, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[Settings]:
    if not settings.uses_local_server:
        pytest.skip("--bulk needs the project's local server (NEO4J_URI is set)")
    own = settings.model_copy(update={
        "riskgraph_home": tmp_path_factory.mktemp("bulk-home"),
        "riskgraph_neo4j_bolt_port": settings.riskgraph_neo4j_bolt_port + 1,
        "riskgraph_neo4j_http_port": settings.riskgraph_neo4j_http_port + 1,
    })
    server = LocalServer(own)
    server.start()
    try:
        yield own
    finally:
        server.stop()


@pytest.fixture(scope="module")
def world_with_a_reject(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bulk-world")
    generate_world(300, 5, out, progress=False)
    path = out / node_file(Label.COMPANY)
    table = pq.read_table(path)
    names = table["name"].to_pylist()
    names[0] = None  # a required property missing: this firm (and what hangs on it) is rejected
    table = table.set_column(table.column_names.index("name"), "name",
                             pa.array(names, table["name"].type))
    pq.write_table(table, path)
    return out


def transactional_load(own: Settings, world: Path, rejects: Path) -> LoadReport:
    with connect(own) as driver:
        migrate(driver, own.neo4j_database)
        clear_data(driver, own.neo4j_database)
        return load_world(driver, world, database=own.neo4j_database, progress=False,
                          rejects_file=rejects)


def counts(own: Settings) -> dict[str, int]:
    with connect(own) as driver:
        return graph_counts(driver, own)


def test_bulk_load_matches_the_transactional_load(
    own_instance: Settings, world_with_a_reject: Path, tmp_path: Path
) -> None:
    transactional = transactional_load(own_instance, world_with_a_reject,
                                       tmp_path / "transactional.csv")
    expected = counts(own_instance)

    report = bulk_load_world(own_instance, world_with_a_reject,
                             rejects_file=tmp_path / "bulk.csv", force=True)

    assert report.rejects == transactional.rejects > 0
    assert (tmp_path / "bulk.csv").read_text() == (tmp_path / "transactional.csv").read_text()
    assert counts(own_instance) == expected
    with connect(own_instance) as driver:
        assert completed_batch(driver, world_with_a_reject, own_instance.neo4j_database)
        # the same provenance: a transactional load of the same world over it adds nothing
        load_world(driver, world_with_a_reject, database=own_instance.neo4j_database,
                   progress=False, rejects_file=tmp_path / "again.csv")
    assert counts(own_instance) == expected


def test_bulk_load_refuses_a_database_with_data(
    own_instance: Settings, world_with_a_reject: Path, tmp_path: Path
) -> None:
    transactional_load(own_instance, world_with_a_reject, tmp_path / "rejects.csv")
    before = counts(own_instance)

    with pytest.raises(BadInput, match="--force"):
        bulk_load_world(own_instance, world_with_a_reject, rejects_file=tmp_path / "bulk.csv")

    assert counts(own_instance) == before
    assert not (tmp_path / "bulk.csv").exists()
