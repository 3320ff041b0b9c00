"""Validate every row of a world before anything is loaded.

Checks (graph/schema.py is the contract): required values, types (ISO dates and date-times in
text are parsed), choices, USCC check characters, GB/T 2260 region codes, dates in order, shares
in (0, 100], amounts ≥ 0, PCI categories and record kinds, inspection-only fields, duplicate
keys, and that every relationship endpoint exists — in this world or, through ``known_keys``, in
the graph already. A relationship whose endpoint was rejected is rejected too, saying so.

The result keeps the good rows (typed) and lists every bad row with its file, row number (1 =
first data row), key and reasons. Nothing is dropped silently. Checks are vectorised with
pyarrow.compute; only the USCC check character runs per value.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graph.schema import (
    NODES,
    PROVENANCE,
    RECORD_KINDS,
    RELS,
    Label,
    NodeType,
    Prop,
    RelType,
    pci_categories,
)
from graph.uscc import uscc_error
from graph.world_io import World

KnownKeys = Callable[[Label], set[str]]

DATE_ORDER = (("founded_on", "dissolved_on"), ("issued_on", "removed_on"),
              ("published_on", "deadline"), ("since", "until"))
NON_NEGATIVE = ("registered_capital", "employees", "amount", "estimated_value", "annual_value")
INSPECTION_ONLY = ("stream", "inspector_id", "outcome")
_ARROW = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(),
          "date": pa.date32(), "datetime": pa.timestamp("ms")}


@dataclass(frozen=True)
class Reject:
    file: str
    row: int
    key: str
    reason: str


@dataclass
class ValidationResult:
    world: World
    rejects: list[Reject] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class _Problems:
    """Reasons per bad row of one table."""

    def __init__(self, rows: int) -> None:
        self.rows = rows
        self.reasons: dict[int, list[str]] = defaultdict(list)

    def add(self, mask: np.ndarray, reason: str) -> None:
        for i in np.flatnonzero(mask):
            self.reasons[int(i)].append(reason)

    def add_formatted(self, mask: np.ndarray, template: str, **columns: list[object]) -> None:
        """One reason per bad row: ``template`` formatted with that row's column values."""
        for i in np.flatnonzero(mask):
            self.reasons[int(i)].append(template.format(**{k: v[i] for k, v in columns.items()}))

    def all(self, reason: str) -> None:
        self.add(np.ones(self.rows, dtype=bool), reason)

    def bad_mask(self) -> np.ndarray:
        mask = np.zeros(self.rows, dtype=bool)
        mask[list(self.reasons)] = True
        return mask


def _mask(array: pa.ChunkedArray | pa.Array) -> np.ndarray:
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def _typed(column: pa.ChunkedArray, kind: str) -> tuple[pa.ChunkedArray, np.ndarray]:
    """``column`` converted to the schema type, and a mask of values that could not be."""
    target = _ARROW[kind]
    if column.type == target or pa.types.is_null(column.type):
        return column.cast(target), np.zeros(len(column), dtype=bool)
    if not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
        try:
            return column.cast(target), np.zeros(len(column), dtype=bool)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            column = column.cast(pa.string())
    text = pc.utf8_trim_whitespace(column)
    present = _mask(pc.and_(pc.is_valid(text), pc.not_equal(text, "")))
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    if kind == "str":
        return text, np.zeros(len(column), dtype=bool)
    if kind == "date":
        parsed = pc.strptime(text, format="%Y-%m-%d", unit="s", error_is_null=True)
        # strptime rolls impossible days over (2019-02-30 → March); a round trip catches them
        exact = pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), text)
        converted = pc.cast(pc.if_else(exact, parsed, pa.scalar(None, parsed.type)), pa.date32())
    elif kind == "datetime":
        cleaned = pc.utf8_slice_codeunits(pc.replace_substring(text, " ", "T"), 0, 19)
        converted = pc.cast(pc.strptime(cleaned, format="%Y-%m-%dT%H:%M:%S", unit="s",
                                        error_is_null=True), pa.timestamp("ms"))
    elif kind == "bool":
        lowered = pc.utf8_lower(text)
        truthy = pc.is_in(lowered, pa.array(["true", "1", "yes"]))
        falsy = pc.is_in(lowered, pa.array(["false", "0", "no"]))
        converted = pc.if_else(truthy, True, pc.if_else(falsy, False,
                                                        pa.scalar(None, pa.bool_())))
    else:
        pattern = r"^-?\d+$" if kind == "int" else r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$"
        ok = pc.match_substring_regex(text, pattern)
        converted = pc.cast(pc.if_else(ok, text, pa.scalar(None, pa.string())), target)
    bad = present & ~_mask(pc.is_valid(converted))
    return converted, bad


def _check_props(table: pa.Table, props: tuple[Prop, ...], problems: _Problems) -> pa.Table:
    """Type every declared column, checking required values and choices."""
    for prop in props:
        if prop.name not in table.column_names:
            if prop.required:
                problems.all(f"required column {prop.name} is missing")
            table = table.append_column(prop.name, pa.nulls(table.num_rows, _ARROW[prop.type]))
            continue
        original = table[prop.name]
        typed, bad = _typed(original, prop.type)
        if bad.any():
            hint = " (expected YYYY-MM-DD)" if prop.type == "date" else ""
            problems.add_formatted(bad, f"{prop.name}={{v!r}} is not a valid {prop.type}{hint}",
                                   v=original.to_pylist())
        table = table.set_column(table.schema.get_field_index(prop.name), prop.name, typed)
        missing = ~_mask(pc.is_valid(typed)) & ~bad
        if prop.required and missing.any():
            problems.add(missing, f"{prop.name} is missing")
        if prop.choices:
            wrong = _mask(pc.invert(pc.is_in(typed, pa.array(prop.choices)))) & ~missing & ~bad
            if wrong.any():
                problems.add_formatted(
                    wrong, f"{prop.name}={{v!r}} is not one of {', '.join(prop.choices)}",
                    v=typed.to_pylist())
    return table


def _check_values(table: pa.Table, problems: _Problems) -> None:
    """Cross-column and range rules shared by nodes and relationships."""
    names = set(table.column_names)
    for early, late in DATE_ORDER:
        if {early, late} <= names:
            wrong = _mask(pc.less(table[late], table[early]))
            if wrong.any():
                problems.add_formatted(wrong, f"{late}={{b}} is before {early}={{a}}",
                                       a=table[early].to_pylist(), b=table[late].to_pylist())
    for name in NON_NEGATIVE:
        if name in names:
            wrong = _mask(pc.less(table[name], 0))
            if wrong.any():
                problems.add_formatted(wrong, f"{name}={{v}} is negative",
                                       v=table[name].to_pylist())
    if "share" in names:
        share = table["share"]
        wrong = _mask(pc.or_(pc.less_equal(share, 0), pc.greater(share, 100)))
        if wrong.any():
            problems.add_formatted(wrong, "share={v} is outside (0, 100]", v=share.to_pylist())


def _check_company(table: pa.Table, problems: _Problems) -> None:
    codes = table["uscc"].to_pylist()
    for i, code in enumerate(codes):
        if code is not None:
            error = uscc_error(code)
            if error:
                problems.reasons[i].append(error)
    region = table["region_code"]
    wrong = _mask(pc.invert(pc.match_substring_regex(region, r"^\d{6}$"))) & _mask(
        pc.is_valid(region))
    if wrong.any():
        problems.add_formatted(wrong, "region_code={v!r} is not a six-digit GB/T 2260 code",
                               v=region.to_pylist())


def _check_credit_record(table: pa.Table, problems: _Problems) -> None:
    category = table["category"]
    unknown = _mask(pc.invert(pc.is_in(category, pa.array(pci_categories())))) & _mask(
        pc.is_valid(category))
    if unknown.any():
        problems.add_formatted(unknown, "category={v!r} is not one of the 19 PCI categories",
                               v=category.to_pylist())
    kinds, categories = table["kind"].to_pylist(), category.to_pylist()
    for i, (kind, cat) in enumerate(zip(kinds, categories, strict=True)):
        spec = RECORD_KINDS.get(kind) if kind else None
        if spec is not None and cat in pci_categories() and spec.category != cat:
            problems.reasons[i].append(f"kind={kind!r} belongs to category {spec.category!r}, "
                                       f"not {cat!r}")
    not_inspection = _mask(pc.not_equal(category, "inspections"))
    for name in INSPECTION_ONLY:
        misplaced = not_inspection & _mask(pc.is_valid(table[name]))
        if misplaced.any():
            problems.add(misplaced, f"{name} is only for inspection records")


def _duplicates(keys: pa.ChunkedArray, problems: _Problems) -> None:
    values = keys.to_pylist()
    first: dict[object, int] = {}
    for i, key in enumerate(values):
        if key is None:
            continue
        if key in first:
            problems.reasons[i].append(f"duplicate key {key!r} (first at row {first[key] + 1})")
        else:
            first[key] = i


def _provenance(table: pa.Table, file: str, key_column: str | None) -> pa.Table:
    """Fill missing provenance: source = the file, source_id = the key or row number."""
    n = table.num_rows
    if "source" not in table.column_names:
        table = table.append_column("source", pa.array([f"file:{file}"] * n, pa.string()))
    if "source_id" not in table.column_names:
        ids = (table[key_column].cast(pa.string()) if key_column
               else pa.array([str(i + 1) for i in range(n)], pa.string()))
        table = table.append_column("source_id", ids)
    if "load_batch" not in table.column_names:
        table = table.append_column("load_batch", pa.nulls(n, pa.string()))
    return table


def _finish(table: pa.Table, columns: list[str], problems: _Problems, file: str,
            keys: list[str], rejects: list[Reject]) -> pa.Table:
    bad = problems.bad_mask()
    for i in sorted(problems.reasons):
        rejects.append(Reject(file, i + 1, str(keys[i] if keys[i] is not None else ""),
                              "; ".join(problems.reasons[i])))
    return table.select(columns).filter(pa.array(~bad))


def _validate_nodes(world: World, spec: NodeType, result: ValidationResult,
                    rejected: dict[Label, set[str]]) -> None:
    label = spec.label
    table = world.nodes[label]
    file = world.file_of(label.value)
    extra = set(table.column_names) - set(spec.columns) - set(PROVENANCE)
    if extra:
        result.warnings.append(f"{file}: unknown column(s) {', '.join(sorted(extra))} ignored")
    problems = _Problems(table.num_rows)
    table = _check_props(table, spec.props, problems)
    _check_values(table, problems)
    if label == Label.COMPANY:
        _check_company(table, problems)
    elif label == Label.CREDIT_RECORD:
        _check_credit_record(table, problems)
    _duplicates(table[spec.key], problems)
    table = _provenance(table, file, spec.key)
    keys = table[spec.key].to_pylist()
    rejected[label] = {str(keys[i]) for i in problems.reasons if keys[i] is not None}
    result.world.nodes[label] = _finish(table, [*spec.columns, *PROVENANCE], problems, file,
                                        keys, result.rejects)


def _validate_rels(world: World, spec: RelType, result: ValidationResult,
                   rejected: dict[Label, set[str]], world_keys: Callable[[Label], pa.Array],
                   graph_keys: Callable[[Label], set[str]]) -> None:
    rel = spec.type
    table = world.rels[rel]
    file = world.file_of(rel.value)
    endpoint_columns = ["src", "dst", *(["src_label"] if spec.polymorphic_src else [])]
    prop_names = [p.name for p in spec.props]
    extra = set(table.column_names) - set(endpoint_columns) - set(prop_names) - set(PROVENANCE)
    if extra:
        result.warnings.append(f"{file}: unknown column(s) {', '.join(sorted(extra))} ignored")
    problems = _Problems(table.num_rows)
    endpoint_props = tuple(Prop(c, "str", True) for c in endpoint_columns)
    table = _check_props(table, endpoint_props + spec.props, problems)
    _check_values(table, problems)
    src, dst = table["src"], table["dst"]
    if spec.polymorphic_src:
        src_label = table["src_label"]
    else:
        src_label = pa.chunked_array([pa.array([spec.src[0].value] * table.num_rows,
                                               pa.string())])
    allowed = {label.value: label for label in spec.src}
    wrong_label = _mask(pc.invert(pc.is_in(src_label, pa.array(list(allowed))))) & _mask(
        pc.is_valid(src_label))
    if wrong_label.any():
        problems.add_formatted(wrong_label, f"src_label={{v!r}} is not one of {', '.join(allowed)}",
                               v=src_label.to_pylist())
    checks = [("src", src, label, _mask(pc.equal(src_label, label.value))) for label in spec.src]
    checks.append(("dst", dst, spec.dst, np.ones(table.num_rows, dtype=bool)))
    for role, column, label, applies in checks:
        found = _mask(pc.is_in(column, world_keys(label)))
        unresolved = applies & ~found & _mask(pc.is_valid(column))
        if not unresolved.any():
            continue
        values = column.to_pylist()
        for i in np.flatnonzero(unresolved):
            key = values[i]
            if key in rejected.get(label, set()):
                problems.reasons[int(i)].append(
                    f"{role} {key} was rejected (see its {label.value} row)")
            elif key not in graph_keys(label):
                problems.reasons[int(i)].append(f"{role} {key} not found among :{label.value}")
    table = _provenance(table, file, None)
    keys = [f"{s}->{d}" for s, d in zip(src.to_pylist(), dst.to_pylist(), strict=True)]
    result.world.rels[rel] = _finish(table, [*endpoint_columns, *prop_names, *PROVENANCE],
                                     problems, file, keys, result.rejects)


def validate_world(world: World, known_keys: KnownKeys | None = None) -> ValidationResult:
    """Validate ``world``; return the good rows (typed), the rejects and warnings."""
    result = ValidationResult(World(files=dict(world.files),
                                    unknown_files=list(world.unknown_files)))
    result.warnings.extend(f"{name}: not a table of the data model; not loaded"
                           for name in world.unknown_files)
    rejected: dict[Label, set[str]] = {}
    for label, node_spec in NODES.items():
        if label in world.nodes:
            _validate_nodes(world, node_spec, result, rejected)
    in_world: dict[Label, pa.Array] = {}
    in_graph: dict[Label, set[str]] = {}

    def world_keys(label: Label) -> pa.Array:
        if label not in in_world:
            good = result.world.nodes.get(label)
            in_world[label] = (good[NODES[label].key].combine_chunks() if good is not None
                               else pa.array([], pa.string()))
        return in_world[label]

    def graph_keys(label: Label) -> set[str]:
        """Keys already in the graph; asked only for endpoints this world lacks."""
        if label not in in_graph:
            in_graph[label] = known_keys(label) if known_keys is not None else set()
        return in_graph[label]

    for rel, spec in RELS.items():
        if rel in world.rels:
            _validate_rels(world, spec, result, rejected, world_keys, graph_keys)
    result.rejects.sort(key=lambda r: (r.file, r.row))
    return result


def write_rejects(rejects: list[Reject], path: Path) -> None:
    """Write rejects as CSV (file, row, key, reason); an empty list still writes the header."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "row", "key", "reason"])
        for reject in rejects:
            writer.writerow([reject.file, reject.row, reject.key, reject.reason])
