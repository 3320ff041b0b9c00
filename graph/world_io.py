"""Read and write world directories: one table per label and per relationship type.

Layout (graph/schema.py): ``nodes/<Label>.parquet|csv`` and ``rels/<TYPE>.parquet|csv``; the
CSV form is the template for registries that have neither OCDS nor FollowTheMoney data (every
CSV column is read as text and typed by validation). ``manifest.json`` and ``ground_truth.json``
are never read as data (the manifest's ``"id_schemes"``, the world's declared firm identifier
namespaces, are read: graph/identifiers.py); files the schema does not know are reported, not
ignored.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from riskgraph.graph.errors import BadInput
from riskgraph.graph.identifiers import IdentifierError, IdScheme, schemes_from_manifest
from riskgraph.graph.importers.reading import check_encoding, detect_encoding
from riskgraph.graph.schema import MANIFEST_FILE, Label, Rel

FORMATS = ("parquet", "csv")


@dataclass
class World:
    """A world's tables in memory, keyed by label and relationship type."""

    nodes: dict[Label, pa.Table] = field(default_factory=dict)
    rels: dict[Rel, pa.Table] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    """Relative file name each table was read from (``nodes/Company.csv``), by table name."""
    unknown_files: list[str] = field(default_factory=list)
    read_problems: dict[str, dict[int, str]] = field(default_factory=dict)
    """Per table name: row number (1 = first data row; 0 = the file) → why it could not be
    read (a ragged CSV row: its cells are left empty and validation rejects the row)."""
    id_schemes: dict[str, IdScheme] = field(default_factory=dict)
    """Firm identifier namespaces the world declares (manifest ``"id_schemes"``)."""

    def row_counts(self) -> dict[str, int]:
        """Rows per table name (label or relationship type)."""
        counts = {label.value: t.num_rows for label, t in self.nodes.items()}
        counts.update({rel.value: t.num_rows for rel, t in self.rels.items()})
        return counts

    def total_rows(self) -> int:
        """Rows in all tables."""
        return sum(self.row_counts().values())

    def file_of(self, name: str) -> str:
        """The file a table was read from, or its name for a world built in memory."""
        return self.files.get(name, name)


def read_table(path: Path, encoding: str | None = None) -> pa.Table:
    """One table: Parquet as stored, CSV with every column as text (validation types it)."""
    return read_table_checked(path, encoding)[0]


def read_table_checked(path: Path, encoding: str | None = None,
                       columns: Sequence[str] | None = None) -> tuple[pa.Table, dict[int, str]]:
    """One table and the rows that could not be read (see ``World.read_problems``).

    CSV: in ``encoding`` when declared (any codec Python knows), else the encoding is detected
    (UTF-8 with or without BOM, UTF-16, GB18030 / GBK, cp1252, latin-1:
    graph/importers/reading.py); a row with more or fewer cells than the header is
    rejected on its own (its cells left empty); a column named twice keeps its first
    occurrence (reported on row 0). Clean UTF-8 files take pyarrow's fast path.

    ``columns``: only these (those the file has); Parquet reads no other column."""
    if path.suffix == ".parquet":
        if columns is None:
            return pq.read_table(path), {}
        have = set(pq.read_schema(path).names)
        return pq.read_table(path, columns=[c for c in columns if c in have]), {}
    table, problems = _read_csv(path, encoding)
    if columns is not None:
        table = table.select([c for c in columns if c in table.column_names])
    return table, problems


def _read_csv(path: Path, encoding: str | None) -> tuple[pa.Table, dict[int, str]]:
    encoding = check_encoding(encoding) if encoding else detect_encoding(path)
    if encoding in ("utf-8", "utf-8-sig"):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), [])
        if len(set(header)) == len(header):
            options = pacsv.ConvertOptions(strings_can_be_null=True,
                                           quoted_strings_can_be_null=False, null_values=[""],
                                           column_types={name: pa.string() for name in header})
            try:
                return pacsv.read_csv(path, convert_options=options), {}
            except pa.ArrowInvalid:
                pass  # ragged rows or the like: the row-by-row reader names them
    return _read_csv_rows(path, encoding)


def _read_csv_rows(path: Path, encoding: str) -> tuple[pa.Table, dict[int, str]]:
    problems: dict[int, str] = {}
    with path.open(encoding=encoding, errors="replace", newline="") as fh:
        reader = csv.reader(fh)
        header = [h.lstrip("\ufeff") for h in next(reader, [])]
        first: dict[str, int] = {}
        for i, name in enumerate(header):
            if name in first:
                problems[0] = (f"column {name!r} is given twice (columns {first[name] + 1} and "
                               f"{i + 1}); the later one is not loaded")
            else:
                first[name] = i
        columns: dict[str, list[str | None]] = {name: [] for name in first}
        for row_number, row in enumerate(reader, start=1):
            if len(row) != len(header):
                problems[row_number] = (f"row has {len(row)} cell(s), the header has "
                                        f"{len(header)}; not read")
                row = []
            elif any("\ufffd" in cell for cell in row):
                problems[row_number] = f"row has bytes that are not {encoding} text; not read"
                row = []
            for name, i in first.items():
                cell = row[i] if i < len(row) else ""
                columns[name].append(cell if cell != "" else None)
    table = pa.table({name: pa.array(values, pa.string()) for name, values in columns.items()})
    return table, problems


def read_world(directory: Path, encoding: str | None = None,
               columns: Mapping[str, Sequence[str]] | None = None) -> World:
    """Read every table under ``directory``; unknown files are listed in ``unknown_files``.

    ``encoding`` is that of its CSV tables (None: detected per file; Parquet ignores it).
    ``columns`` (table name → column names): only these tables, with only these of their
    columns (the snapshot's read: a million-firm world's other columns are gigabytes)."""
    if not (directory / "nodes").is_dir() and not (directory / "rels").is_dir():
        raise BadInput(f"{directory} has neither nodes/ nor rels/: not a world directory")
    world = World(id_schemes=read_id_schemes(directory))
    known_labels = {label.value: label for label in Label}
    known_rels = {rel.value: rel for rel in Rel}
    for sub, known in (("nodes", known_labels), ("rels", known_rels)):
        folder = directory / sub
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            relative = f"{sub}/{path.name}"
            stem, fmt = path.stem, path.suffix.lstrip(".")
            if fmt not in FORMATS or stem not in known:
                world.unknown_files.append(relative)
                continue
            if stem in world.files:
                raise BadInput(f"{relative}: the table {stem} is given twice "
                               f"(also {world.files[stem]})")
            if columns is not None and stem not in columns:
                world.files[stem] = relative
                continue
            try:
                table, problems = read_table_checked(
                    path, encoding, None if columns is None else columns[stem])
            except (pa.ArrowInvalid, OSError, csv.Error) as exc:
                raise BadInput(f"{relative}: cannot be read ({exc})") from None
            world.files[stem] = relative
            if problems:
                world.read_problems[stem] = problems
            if sub == "nodes":
                world.nodes[known_labels[stem]] = table
            else:
                world.rels[known_rels[stem]] = table
    return world


def read_id_schemes(directory: Path) -> dict[str, IdScheme]:
    """The namespaces declared in ``directory/manifest.json``; none without a readable manifest
    (it is metadata), BadInput when its ``"id_schemes"`` are malformed."""
    path = directory / MANIFEST_FILE
    if not path.is_file():
        return {}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}  # metadata, not data: a world without declared namespaces
    if not isinstance(manifest, dict):
        return {}
    try:
        return schemes_from_manifest(manifest)
    except IdentifierError as exc:
        raise BadInput(f"{MANIFEST_FILE}: {exc}") from None


def world_digest(directory: Path) -> str:
    """SHA-256 over the names and bytes of the world's data files (nodes/ and rels/)."""
    digest = hashlib.sha256()
    for sub in ("nodes", "rels"):
        folder = directory / sub
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.is_file():
                digest.update(f"{sub}/{path.name}\0".encode())
                with path.open("rb") as fh:
                    for chunk in iter(lambda: fh.read(1 << 20), b""):
                        digest.update(chunk)
    return digest.hexdigest()


def write_world(world: World, directory: Path, fmt: str = "parquet") -> None:
    """Write ``world`` as Parquet (typed) or CSV (the template layout)."""
    if fmt not in FORMATS:
        raise BadInput(f"format must be one of {FORMATS}, got {fmt!r}")
    for sub, tables in (("nodes", world.nodes), ("rels", world.rels)):
        (directory / sub).mkdir(parents=True, exist_ok=True)
        for name, table in tables.items():
            path = directory / sub / f"{name.value}.{fmt}"
            if fmt == "parquet":
                pq.write_table(table, path)
            else:
                pacsv.write_csv(_csv_ready(table), path)


def _csv_ready(table: pa.Table) -> pa.Table:
    """List columns (``strings`` props) as JSON array text, the CSV templates' notation."""
    for i, column in enumerate(table.columns):
        if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
            text = [None if v is None else json.dumps(v, ensure_ascii=False)
                    for v in column.to_pylist()]
            table = table.set_column(i, table.column_names[i], pa.array(text, pa.string()))
    return table
