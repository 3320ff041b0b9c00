"""Load a world directory into Neo4j: validate → transform → batched UNWIND writes → record.

Pending schema migrations are applied first (the key constraints make every MERGE an index
lookup; the report lists the ones applied).

Every row is validated before anything is written; bad rows go to ``rejects.csv`` (file, row,
key, reason) and the good rows beside them load. Writes are ``UNWIND $rows ... MERGE`` batches
keyed by natural keys (relationships by a deterministic ``rel_key``), so loading the same world
twice, or again after a load was killed part-way, ends with the same graph. Transient failures
(including a Neo4j restart) are retried. A ``:LoadBatch`` node records each load.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from neo4j import Driver, ManagedTransaction
from neo4j.exceptions import ServiceUnavailable, SessionExpired, TransientError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from tenacity import (
    retry,
    retry_if_exception_type,
    stop_after_delay,
    wait_exponential,
)

from riskgraph.graph.catalog import query
from riskgraph.graph.driver import read, write
from riskgraph.graph.errors import BadInput, RiskgraphError
from riskgraph.graph.id_scheme_store import store_schemes
from riskgraph.graph.migrations import migrate
from riskgraph.graph.schema import NODES, PROVENANCE, RELS, Label, Rel, category_label
from riskgraph.graph.validation import ValidationResult, validate_world, write_rejects
from riskgraph.graph.world_io import read_world, world_digest

BATCH_ROWS = 10_000
NODE_ORDER = (
    Label.COMPANY, Label.PERSON, Label.ADDRESS, Label.CONTACT_POINT, Label.INSPECTOR,
    Label.TENDER, Label.BID, Label.CREDIT_RECORD, Label.LICENCE_HOLDER, Label.LEGAL_NAME,
)

_retry = retry(
    retry=retry_if_exception_type((TransientError, ServiceUnavailable, SessionExpired, OSError)),
    wait=wait_exponential(multiplier=0.5, max=10),
    stop=stop_after_delay(300),
    reraise=True,
)


@dataclass
class LoadReport:
    """What a load did: rows sent and merged per table, rejects, time."""

    batch_id: str
    sent: dict[str, int] = field(default_factory=dict)
    merged: dict[str, int] = field(default_factory=dict)
    rejects: int = 0
    rejects_file: Path | None = None
    seconds: float = 0.0
    skipped: bool = False
    stage_seconds: dict[str, float] = field(default_factory=dict)
    migrations: list[str] = field(default_factory=list)
    """Schema migrations that were pending and applied before the load."""
    missing: dict[str, dict[str, int]] = field(default_factory=dict)
    """File → optional property → loaded rows that lack it (see ValidationResult.missing)."""

    @property
    def elements(self) -> int:
        return sum(self.merged.values())

    @property
    def per_second(self) -> float:
        return self.elements / self.seconds if self.seconds else 0.0


def snake(name: str) -> str:
    """``ContactPoint`` → ``contact_point`` (catalog file names)."""
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))


def batch_id_for(directory: Path) -> str:
    """A load batch id that is the same for the same world files (so reloads are no-ops)."""
    return f"load-{world_digest(directory)[:16]}"


def _python_values(table: pa.Table, types: dict[str, str]) -> pa.Table:
    """Cast ISO date / datetime text columns to Arrow temporal types (the driver sends them as
    Cypher Date / DateTime)."""
    for name, kind in types.items():
        if name not in table.column_names:
            continue
        column = table[name]
        if kind == "date" and pa.types.is_string(column.type):
            table = table.set_column(table.schema.get_field_index(name), name,
                                     pc.cast(column, pa.date32()))
        elif kind == "datetime" and pa.types.is_string(column.type):
            parsed = pc.strptime(column, format="%Y-%m-%dT%H:%M:%S", unit="s", error_is_null=True)
            table = table.set_column(table.schema.get_field_index(name), name, parsed)
    return table


def _clean(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def node_rows(label: Label, table: pa.Table) -> Iterator[list[dict[str, Any]]]:
    """Batches of ``{key, props[, category_label]}`` maps for a node table."""
    spec = NODES[label]
    table = _python_values(table, {p.name: p.type for p in spec.props})
    columns = [c for c in table.column_names if c in spec.columns or c in PROVENANCE]
    for start in range(0, table.num_rows, BATCH_ROWS):
        rows = []
        for record in table.slice(start, BATCH_ROWS).select(columns).to_pylist():
            row: dict[str, Any] = {
                "key": record[spec.key],
                "props": {k: _clean(v) for k, v in record.items() if v is not None},
            }
            if label == Label.CREDIT_RECORD:
                row["category_label"] = category_label(record["category"])
            rows.append(row)
        yield rows


def rel_key(rel: Rel, record: dict[str, Any]) -> str:
    """Deterministic id of a relationship row: its type, endpoints and every value."""
    material = json.dumps([rel.value, sorted((k, str(v)) for k, v in record.items()
                                             if k != "load_batch")], ensure_ascii=False)
    return hashlib.sha1(material.encode(), usedforsecurity=False).hexdigest()


def rel_rows(rel: Rel, table: pa.Table) -> Iterator[tuple[Label, list[dict[str, Any]]]]:
    """Batches of ``{src, dst, rel_key, props}`` maps, grouped by source label."""
    spec = RELS[rel]
    table = _python_values(table, {p.name: p.type for p in spec.props})
    prop_names = {p.name for p in spec.props} | set(PROVENANCE)
    groups: list[tuple[Label, pa.Table]]
    if spec.polymorphic_src:
        groups = [(src, table.filter(pc.equal(table["src_label"], src.value))) for src in spec.src]
    else:
        groups = [(spec.src[0], table)]
    for src, part in groups:
        for start in range(0, part.num_rows, BATCH_ROWS):
            rows = []
            for record in part.slice(start, BATCH_ROWS).to_pylist():
                rows.append({
                    "src": record["src"],
                    "dst": record["dst"],
                    "rel_key": rel_key(rel, record),
                    "props": {k: _clean(v) for k, v in record.items()
                              if k in prop_names and v is not None},
                })
            yield src, rows


def rel_statement(rel: Rel, src: Label) -> str:
    suffix = f"_from_{snake(src.value)}" if RELS[rel].polymorphic_src else ""
    return f"load/merge_{rel.value.lower()}{suffix}"


def _write_batch(driver: Driver, name: str, rows: list[dict[str, Any]], batch: str,
                 database: str) -> int:
    statement = query(name)

    def work(tx: ManagedTransaction) -> int:
        record = tx.run(statement, rows=rows, batch=batch).single()
        return int(record["merged"]) if record else 0

    @_retry
    def attempt() -> int:
        with driver.session(database=database) as session:
            return session.execute_write(work)

    return attempt()


def graph_keys(driver: Driver, database: str) -> Callable[[Label], set[str]]:
    """A ``known_keys(label)`` callback: natural keys of nodes already in the graph."""
    cache: dict[Label, set[str]] = {}

    def known(label: Label) -> set[str]:
        if label not in cache:
            rows = read(driver, "load/list_node_keys", database, label=label.value,
                        key=NODES[label].key)
            cache[label] = {row["key"] for row in rows}
        return cache[label]

    return known


def load_world(
    driver: Driver,
    directory: Path,
    *,
    database: str,
    rejects_file: Path | None = None,
    progress: bool = True,
    workers: int = 2,
    encoding: str | None = None,
) -> LoadReport:
    """Validate and load the world in ``directory``; return what was done.

    ``encoding`` is that of the world's CSV tables (None: detected per file).

    Node batches are written on ``workers`` sessions at once (distinct keys never contend);
    relationship batches on one, since concurrent relationship writes on shared dense nodes
    deadlock in Neo4j and would only be retried.
    """
    began = time.perf_counter()
    if not directory.is_dir():
        raise BadInput(f"{directory} is not a directory")
    batch = batch_id_for(directory)
    world = read_world(directory, encoding)
    # without the key constraints every MERGE scans its label (a load 10x slower)
    migrations = migrate(driver, database)
    result: ValidationResult = validate_world(world, known_keys=graph_keys(driver, database))
    store_schemes(driver, world.id_schemes, database)  # the API and the CLI check keys by them
    report = LoadReport(batch_id=batch, rejects=len(result.rejects), migrations=migrations,
                        missing=result.missing)
    report.stage_seconds["read_validate"] = time.perf_counter() - began
    report.rejects_file = rejects_file or directory / "rejects.csv"
    write_rejects(result.rejects, report.rejects_file)
    write(driver, "load/merge_load_batch_started", database, batch=batch,
          directory=str(directory.resolve()))

    good = result.world
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), disable=not progress) as bar:
        task = bar.add_task("loading", total=good.total_rows())
        with ThreadPoolExecutor(max_workers=workers) as pool:

            def settle(done: Future[int], pending: dict[Future[int], tuple[str, int]]) -> None:
                name, sent = pending.pop(done)
                report.merged[name] = report.merged.get(name, 0) + done.result()
                bar.advance(task, sent)

            def run(stage: Iterator[tuple[str, str, list[dict[str, Any]]]], parallel: int) -> None:
                """Write one stage's batches on ``parallel`` sessions at once; the next batch is
                prepared while they write, and memory stays bounded. Nodes finish before
                relationships start."""
                pending: dict[Future[int], tuple[str, int]] = {}
                for name, statement, rows in stage:
                    if len(pending) >= parallel:
                        settle(next(as_completed(pending)), pending)
                    future = pool.submit(_write_batch, driver, statement, rows, batch, database)
                    pending[future] = (name, len(rows))
                while pending:
                    settle(next(as_completed(pending)), pending)

            for label in NODE_ORDER:
                table = good.nodes.get(label)
                if table is not None and table.num_rows:
                    report.sent[label.value] = table.num_rows
            bar.update(task, description="nodes")
            stage_began = time.perf_counter()
            node_batches = ((label.value, f"load/merge_{snake(label.value)}", rows)
                            for label in NODE_ORDER if label in good.nodes
                            for rows in node_rows(label, good.nodes[label]))
            run(node_batches, workers)
            for rel in RELS:
                table = good.rels.get(rel)
                if table is not None and table.num_rows:
                    report.sent[rel.value] = table.num_rows
            report.stage_seconds["nodes"] = time.perf_counter() - stage_began
            bar.update(task, description="relationships")
            stage_began = time.perf_counter()
            rel_batches = ((rel.value, rel_statement(rel, src), rows)
                           for rel in RELS if rel in good.rels
                           for src, rows in rel_rows(rel, good.rels[rel]))
            run(rel_batches, 1)
            report.stage_seconds["relationships"] = time.perf_counter() - stage_began

    missing = {name: report.sent[name] - report.merged.get(name, 0) for name in report.sent
               if report.merged.get(name, 0) != report.sent[name]}
    report.seconds = time.perf_counter() - began
    write(driver, "load/merge_load_batch_completed", database, batch=batch,
          counts=json.dumps(report.merged), rejects=report.rejects, seconds=report.seconds)
    if missing:
        raise RiskgraphError(
            f"rows sent but not written (an endpoint vanished during the load?): {missing}"
        )
    return report


def completed_batch(driver: Driver, directory: Path, database: str) -> bool:
    """True when this world's load batch already completed in the graph."""
    rows = read(driver, "load/get_load_batch", database, batch=batch_id_for(directory))
    return bool(rows and rows[0]["completed_at"] is not None)


def load_world_once(driver: Driver, directory: Path, database: str) -> LoadReport | None:
    """Load ``directory`` unless the same world was loaded completely before (demo set-up)."""
    if completed_batch(driver, directory, database):
        return None
    return load_world(driver, directory, database=database)
