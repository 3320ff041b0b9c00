"""Shared pieces of the importers: rejects with source positions, tables built from rows."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from graph.identifiers import USCC, clean_firm_id, firm_id_error
from graph.schema import NODES, PROVENANCE, RELS, Label, Rel
from graph.world_io import World, write_world

_ARROW = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(),
          "date": pa.string(), "datetime": pa.string()}


@dataclass
class ImportResult:
    """What an importer made of its input."""

    world: World
    rejects: list[tuple[str, str, str]] = field(default_factory=list)
    """(where in the input — file:line or JSON path, the source id, the reason)."""
    counts: Counter[str] = field(default_factory=Counter)
    """Input objects seen, by kind (e.g. FtM schema), including the ones not mapped."""
    unknown: Counter[str] = field(default_factory=Counter)
    """Kinds the importer does not map (counted and reported, not fatal)."""

    def write(self, directory: Path) -> None:
        """Write the world as Parquet and the import rejects as ``import_rejects.csv``."""
        write_world(self.world, directory)
        with (directory / "import_rejects.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["where", "source_id", "reason"])
            writer.writerows(self.rejects)


class TableBuilder:
    """Collects rows per label / relationship type, one row per natural key or edge."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.nodes: dict[Label, dict[str, dict[str, Any]]] = {}
        self.rels: dict[Rel, dict[tuple[str, ...], dict[str, Any]]] = {}

    def node(self, label: Label, key: str, source_id: str, **props: Any) -> None:
        rows = self.nodes.setdefault(label, {})
        row = rows.setdefault(key, {NODES[label].key: key, "source": self.source,
                                    "source_id": source_id})
        for name, value in props.items():
            if value is not None and row.get(name) is None:
                row[name] = value

    def has_node(self, label: Label, key: str) -> bool:
        return key in self.nodes.get(label, {})

    def rel(self, rel: Rel, src: str, dst: str, source_id: str, src_label: Label | None = None,
            **props: Any) -> None:
        edge = (src, dst, source_id)
        row: dict[str, Any] = {"src": src, "dst": dst, "source": self.source,
                               "source_id": source_id}
        if RELS[rel].polymorphic_src:
            row["src_label"] = (src_label or RELS[rel].src[0]).value
        row.update({k: v for k, v in props.items() if v is not None})
        self.rels.setdefault(rel, {})[edge] = row

    def world(self) -> World:
        world = World()
        for label, rows in self.nodes.items():
            spec = NODES[label]
            columns = [*spec.columns, *PROVENANCE]
            types = {p.name: _ARROW[p.type] for p in spec.props}
            world.nodes[label] = _table(list(rows.values()), columns, types)
        for rel, edges in self.rels.items():
            rspec = RELS[rel]
            head = ["src", "dst", *(["src_label"] if rspec.polymorphic_src else [])]
            columns = [*head, *(p.name for p in rspec.props), *PROVENANCE]
            types = {p.name: _ARROW[p.type] for p in rspec.props}
            world.rels[rel] = _table(list(edges.values()), columns, types)
        return world


def _table(rows: list[dict[str, Any]], columns: list[str], types: dict[str, pa.DataType]
           ) -> pa.Table:
    schema = pa.schema([(c, types.get(c, pa.string())) for c in columns])
    return pa.Table.from_pylist([{c: row.get(c) for c in columns} for row in rows], schema=schema)


def iso_date(value: Any) -> str | None:
    """The date part of an ISO 8601 date or date-time string (None when absent)."""
    if not value or not isinstance(value, str):
        return None
    return value[:10]


def iso_datetime(value: Any) -> str | None:
    if not value or not isinstance(value, str):
        return None
    if len(value) == 10:
        return f"{value}T00:00:00"
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value  # validation names it
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed.isoformat(timespec="seconds")


def first_uscc(values: Any) -> str | None:
    """The first valid Unified Social Credit Code among ``values`` (a string or list)."""
    items = values if isinstance(values, list) else [values]
    for value in items:
        if isinstance(value, str) and firm_id_error(value, USCC) is None:
            return clean_firm_id(value, USCC)
    return None


USCC_SCHEMES = ("CN-USCC", "CN-SCC", "CN-UNISC", "USCC", "统一社会信用代码")
"""Identifier schemes that name the Unified Social Credit Code (compared case-insensitively)."""


def uscc_from_identifiers(identifiers: list[dict[str, Any]]) -> str | None:
    """The USCC among OCDS-style ``{scheme, id}`` identifiers: those whose scheme names the USCC
    first, then any other id that passes the check character; None when there is none."""
    schemes = {s.casefold() for s in USCC_SCHEMES}
    named = [str(i.get("scheme", "")).casefold() in schemes for i in identifiers]
    first = [i.get("id") for i, n in zip(identifiers, named, strict=True) if n]
    rest = [i.get("id") for i, n in zip(identifiers, named, strict=True) if not n]
    return first_uscc(first) or first_uscc(rest)


def json_lines(path: Path) -> Iterator[tuple[int, Any, str | None]]:
    """(line number, parsed object or None, error) for each non-empty line of ``path``."""
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line), None
            except json.JSONDecodeError as exc:
                yield number, None, f"malformed JSON: {exc.msg} at column {exc.colno}"
