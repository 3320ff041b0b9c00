"""Shared pieces of the importers: rejects with source positions, tables built from rows."""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from riskgraph.graph.identifiers import USCC, clean_firm_id, firm_id_error
from riskgraph.graph.schema import NODES, PROVENANCE, RELS, Label, Rel
from riskgraph.graph.world_io import World, write_world

_ARROW = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(),
          "date": pa.string(), "datetime": pa.string(), "strings": pa.list_(pa.string())}


@dataclass
class ImportResult:
    """What an importer made of its input: every input object is mapped or rejected.

    ``counts`` (seen), ``mapped`` and ``rejected`` are kept per kind of input object (a
    release, a bid, a party, an FtM schema, an unreadable part); :meth:`unaccounted` lists the
    kinds where seen ≠ mapped + rejected (the importers' and the fuzz tests' invariant).
    """

    world: World
    rejects: list[tuple[str, str, str]] = field(default_factory=list)
    """(where in the input — file:line or JSON path, the source id, the reason)."""
    counts: Counter[str] = field(default_factory=Counter)
    """Input objects seen, by kind (e.g. FtM schema), including the ones not mapped."""
    mapped: Counter[str] = field(default_factory=Counter)
    rejected: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)
    """Facts worth reporting that lose nothing (bid status codes, merged duplicates, ...)."""
    unknown: Counter[str] = field(default_factory=Counter)
    """Kinds the importer does not map (also rejected, with that reason)."""

    def seen(self, kind: str) -> None:
        self.counts[kind] += 1

    def ok(self, kind: str) -> None:
        self.mapped[kind] += 1

    def reject(self, kind: str, where: str, source_id: str, reason: str) -> None:
        """Reject one input object of ``kind`` (it was counted as seen)."""
        self.rejects.append((where, source_id, reason))
        self.rejected[kind] += 1

    def unreadable(self, where: str, reason: str) -> None:
        """A part of the input that could not be read at all."""
        self.seen("unreadable")
        self.reject("unreadable", where, "", reason)

    def unaccounted(self) -> dict[str, int]:
        """Kinds whose objects are neither mapped nor rejected (should be empty)."""
        kinds = set(self.counts) | set(self.mapped) | set(self.rejected)
        return {k: self.counts[k] - self.mapped[k] - self.rejected[k] for k in sorted(kinds)
                if self.counts[k] != self.mapped[k] + self.rejected[k]}

    def outcome(self) -> str:
        """``complete`` (all mapped), ``partial`` or ``nothing`` (nothing mapped)."""
        if not sum(self.mapped.values()):
            return "nothing"
        return "partial" if self.rejects else "complete"

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


_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_GROUPED_COMMA = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_GROUPED_DOT = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'_")


class AmountError(ValueError):
    """A value that is not a finite number in any usual notation."""


def parse_amount(value: Any) -> float | None:
    """A JSON number, or a numeric string in a usual locale, as a float (None when absent).

    Strings: spaces, no-break spaces, apostrophes and underscores group digits; ``1,234.5``
    (comma groups), ``1.234,5`` / ``1.234.567`` (dot groups, comma decimal) and ``1234,5``
    (comma decimal) are read as people write them; a lone ``1.234`` is the JSON reading
    (1.234). Booleans, NaN, Infinity and anything else raise AmountError.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise AmountError(f"{value!r} is not a number")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip().translate(_SPACES)
        if _PLAIN.match(text):
            number = float(text)
        elif _GROUPED_COMMA.match(text):
            number = float(text.replace(",", ""))
        elif _GROUPED_DOT.match(text):
            number = float(text.replace(".", "").replace(",", "."))
        elif _DECIMAL_COMMA.match(text):
            number = float(text.replace(",", "."))
        else:
            raise AmountError(f"{value[:60]!r} is not a number")
    else:
        raise AmountError(f"a {type(value).__name__} is not a number")
    if not math.isfinite(number):
        raise AmountError(f"{value!r} is not a finite number")
    return number
