"""``riskgraph load --bulk``: a first load through Neo4j's offline importer.

The same validation and rejects file as the transactional loader (``graph/loader.py``), the same
provenance (every element stamped with the load batch, relationships with their ``rel_key``, a
``:LoadBatch`` ledger node), then ``neo4j-admin database import full`` into the local instance
(stopped for the import, started again after it) and the schema migrations. The importer
replaces the database, so a database that holds data is refused unless ``force`` is given.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import time
from pathlib import Path

import pyarrow as pa
from neo4j import Driver

from riskgraph.graph.config import Settings
from riskgraph.graph.driver import connect, read, write
from riskgraph.graph.errors import BadInput
from riskgraph.graph.loader import LoadReport, batch_id_for, rel_key
from riskgraph.graph.migrations import migrate
from riskgraph.graph.runtime.bulk_import import bulk_import, write_import_csv
from riskgraph.graph.runtime.server import LocalServer
from riskgraph.graph.schema import RELS, Rel
from riskgraph.graph.validation import validate_world, write_rejects
from riskgraph.graph.world_io import World, read_world


def data_nodes(settings: Settings) -> int:
    """Nodes in the (running) database besides the migration ledger."""
    driver = connect(settings)
    try:
        rows = read(driver, "load/count_data_nodes", settings.neo4j_database)
        return int(rows[0]["nodes"]) if rows else 0
    finally:
        driver.close()


def stamped(world: World, batch: str) -> World:
    """The world with ``load_batch`` on every row and ``rel_key`` on every relationship, as the
    transactional loader writes them (so a later transactional load of the same rows merges)."""
    def with_batch(table: pa.Table) -> pa.Table:
        column = pa.array([batch] * table.num_rows, pa.string())
        if "load_batch" in table.column_names:
            return table.set_column(table.column_names.index("load_batch"), "load_batch", column)
        return table.append_column("load_batch", column)

    nodes = {label: with_batch(table) for label, table in world.nodes.items()}
    rels: dict[Rel, pa.Table] = {}
    for rel, table in world.rels.items():
        table = with_batch(table)
        keys = [rel_key(rel, record) for record in table.to_pylist()]
        rels[rel] = table.append_column("rel_key", pa.array(keys, pa.string()))
    return dataclasses.replace(world, nodes=nodes, rels=rels)


def bulk_load_world(settings: Settings, directory: Path, *, rejects_file: Path | None = None,
                    force: bool = False, encoding: str | None = None) -> LoadReport:
    """Validate ``directory`` and import its good rows as the local instance's database
    (``encoding``: that of its CSV tables, None: detected per file)."""
    began = time.perf_counter()
    if not settings.uses_local_server:
        raise BadInput("--bulk uses Neo4j's offline importer on the project's local server; with "
                       "NEO4J_URI set, load without --bulk (transactional)")
    if not directory.is_dir():
        raise BadInput(f"{directory} is not a directory")
    server = LocalServer(settings)
    server.start()
    held = data_nodes(settings)
    if held and not force:
        raise BadInput(f"the database {settings.neo4j_database!r} holds {held:,} nodes and "
                       "--bulk replaces it; pass --force to replace it, or load without --bulk")
    batch = batch_id_for(directory)
    result = validate_world(read_world(directory, encoding))
    report = LoadReport(batch_id=batch, rejects=len(result.rejects))
    report.rejects_file = rejects_file or directory / "rejects.csv"
    write_rejects(result.rejects, report.rejects_file)
    good = stamped(result.world, batch)
    report.sent = {label.value: t.num_rows for label, t in good.nodes.items() if t.num_rows}
    report.sent |= {rel.value: t.num_rows for rel, t in good.rels.items() if t.num_rows}
    report.stage_seconds["read_validate"] = time.perf_counter() - began

    stage = time.perf_counter()
    scratch = server.layout.home / "bulk-import"
    shutil.rmtree(scratch, ignore_errors=True)
    csv_args = write_import_csv(good.nodes, good.rels, scratch)
    report.stage_seconds["write_csv"] = time.perf_counter() - stage
    stage = time.perf_counter()
    server.stop()
    bulk_import(server, csv_args)
    shutil.rmtree(scratch, ignore_errors=True)
    report.stage_seconds["import"] = time.perf_counter() - stage
    stage = time.perf_counter()
    server.start()
    driver = connect(settings)
    try:
        migrate(driver, settings.neo4j_database)
        report.stage_seconds["start_schema"] = time.perf_counter() - stage
        report.merged = _counts(driver, settings.neo4j_database, report.sent)
        report.seconds = time.perf_counter() - began
        write(driver, "load/merge_load_batch_started", settings.neo4j_database, batch=batch,
              directory=str(directory.resolve()))
        write(driver, "load/merge_load_batch_completed", settings.neo4j_database, batch=batch,
              counts=json.dumps(report.merged), rejects=report.rejects, seconds=report.seconds)
    finally:
        driver.close()
    return report


def _counts(driver: Driver, database: str, sent: dict[str, int]) -> dict[str, int]:
    """What the graph holds of each table sent (labels and relationship types)."""
    labels = {r["label"]: int(r["count"]) for r in read(driver, "count_nodes_by_label", database)}
    types = {r["type"]: int(r["count"])
             for r in read(driver, "count_relationships_by_type", database)}
    rel_names = {rel.value for rel in RELS}
    return {name: (types if name in rel_names else labels).get(name, 0) for name in sent}
