"""Neo4j's offline bulk importer (``neo4j-admin database import full``) for a validated world.

Used by bench/bench_load.py to compare with the transactional loader on the same world. The
importer needs a stopped server and an empty database; it reads CSV files with typed headers
(``uscc:ID(Company)``, ``:START_ID(Person)``, ``:LABEL``, ``:TYPE``), which this module writes
from the world's Arrow tables.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from riskgraph.graph.errors import Unavailable
from riskgraph.graph.runtime import artifacts
from riskgraph.graph.runtime.server import ADMIN_TOOL, LocalServer
from riskgraph.graph.schema import NODES, RELS, Label, Rel, category_label
from riskgraph.graph.validation import validate_world
from riskgraph.graph.world_io import read_world

_NEO4J_TYPE = {"str": "string", "int": "long", "float": "double", "bool": "boolean",
               "date": "date", "datetime": "datetime", "strings": "string[]"}
ARRAY_DELIMITER = "\x1f"
"""Between the items of a list property in the importer's CSV (the unit separator: no name
holds it)."""


def _header(table: pa.Table, types: dict[str, str], renames: dict[str, str]) -> list[str]:
    names = []
    for name in table.column_names:
        if name in renames:
            names.append(renames[name])
        elif types.get(name, "str") != "str":
            names.append(f"{name}:{_NEO4J_TYPE[types[name]]}")
        else:
            names.append(name)
    return names


def _write(table: pa.Table, header: list[str], path: Path) -> None:
    # a list column no row fills is left out: the importer may read an empty cell of an
    # array column as an empty list, where a transactional load sets no property
    keep = [i for i, column in enumerate(table.columns)
            if not (pa.types.is_list(column.type) and column.null_count == len(column))]
    table, header = table.select(keep), [header[i] for i in keep]
    for i, column in enumerate(table.columns):
        if pa.types.is_timestamp(column.type):  # the importer wants ISO 8601 with a "T"
            table = table.set_column(i, table.column_names[i],
                                     pc.strftime(column, format="%Y-%m-%dT%H:%M:%SZ"))
        elif pa.types.is_list(column.type):
            table = table.set_column(i, table.column_names[i], pc.binary_join(
                column, ARRAY_DELIMITER))
    table = table.rename_columns(header)
    pacsv.write_csv(table, path)


def write_import_csv(
    nodes: dict[Label, pa.Table], rels: dict[Rel, pa.Table], out: Path
) -> list[str]:
    """CSV files for the importer; return its ``--nodes`` / ``--relationships`` arguments."""
    out.mkdir(parents=True, exist_ok=True)
    args: list[str] = []
    for label, table in nodes.items():
        spec = NODES[label]
        types = {p.name: p.type for p in spec.props}
        if label == Label.CREDIT_RECORD:
            extra = [f"CreditRecord{ARRAY_DELIMITER}{category_label(c)}"
                     for c in table["category"].to_pylist()]
            table = table.append_column(":LABEL", pa.array(extra, pa.string()))
        header = _header(table, types, {spec.key: f"{spec.key}:ID({label.value})"})
        path = out / f"{label.value}.csv"
        _write(table, header, path)
        prefix = "" if label == Label.CREDIT_RECORD else f"{label.value}="
        args.append(f"--nodes={prefix}{path}")
    for rel, table in rels.items():
        rel_spec = RELS[rel]
        types = {p.name: p.type for p in rel_spec.props}
        groups = (
            [(src, table.filter(pc.equal(table["src_label"], src.value)))
             for src in rel_spec.src]
            if rel_spec.polymorphic_src else [(rel_spec.src[0], table)]
        )
        for src, part in groups:
            if part.num_rows == 0:
                continue
            if "src_label" in part.column_names:
                part = part.drop_columns(["src_label"])
            header = _header(part, types, {"src": f":START_ID({src.value})",
                                           "dst": f":END_ID({rel_spec.dst.value})"})
            path = out / f"{rel.value}-{src.value}.csv"
            _write(part, header, path)
            args.append(f"--relationships={rel.value}={path}")
    return args


def bulk_import(server: LocalServer, csv_args: list[str]) -> subprocess.CompletedProcess[str]:
    """Run the offline importer into the (stopped, empty) instance's ``neo4j`` database."""
    if server.pid() is not None:
        raise Unavailable("the offline importer needs the server stopped")
    java = artifacts.require_tool("java", "run the Neo4j importer")
    # The database name goes first: file options take several values and would swallow it.
    cmd = [java, "-Xmx4g", "-cp", server.classpath(), ADMIN_TOOL, "database", "import", "full",
           "neo4j", "--overwrite-destination=true", "--skip-bad-relationships=false",
           "--threads=2", f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}",
           f"--report-file={server.layout.logs_dir / 'import.report'}",
           *csv_args]
    result = subprocess.run(cmd, env=server.env(), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise Unavailable("neo4j-admin import failed:\n" + (result.stdout + result.stderr)[-2000:])
    return result


def import_world(server: LocalServer, world: Path, scratch: Path) -> tuple[float, float]:
    """Replace the (stopped) instance's ``neo4j`` database with a world's validated rows, by
    the offline importer; return the seconds spent writing the CSV and importing it."""
    shutil.rmtree(server.layout.data_dir / "databases" / "neo4j", ignore_errors=True)
    shutil.rmtree(server.layout.data_dir / "transactions" / "neo4j", ignore_errors=True)
    began = time.perf_counter()
    good = validate_world(read_world(world)).world
    csv_args = write_import_csv(good.nodes, good.rels, scratch / "import")
    prepared = time.perf_counter() - began
    began = time.perf_counter()
    bulk_import(server, csv_args)
    return prepared, time.perf_counter() - began
