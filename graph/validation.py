"""Validate every row of a world before anything is loaded.

Checks (graph/schema.py is the contract): required values, types (ISO dates and date-times in
text are parsed), choices, firm identifiers under their scheme (graph/identifiers.py: USCC
check characters, LEI check digits, a world's declared namespaces; keys are cleaned to their
canonical form, e.g. ``uscc:CODE`` → ``CODE``, in the Company table and in every relationship
endpoint that names a Company), six-digit GB/T 2260 region codes (a Company's region code is
required when its scheme has regions), dates in
order, shares in (0, 100], amounts ≥ 0, PCI categories and record kinds, inspection-only fields,
duplicate keys, and that every relationship endpoint exists — in this world or, through
``known_keys``, in the graph already. A relationship whose endpoint was rejected is rejected too,
saying so.

The result keeps the good rows (typed to the schema) and lists every bad row with its file, row
number (1 = first data row), key and reasons. Problems with a file as a whole (a file the schema
does not know, a column it does not declare) are listed with row 0. Nothing is dropped silently.
Checks are vectorised with pyarrow.compute and numpy; Python runs per bad row only.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from riskgraph.graph.identifiers import (
    USCC,
    IdentifierError,
    IdScheme,
    clean_firm_id,
    has_region,
    scheme_of,
)
from riskgraph.graph.normalize import legal_name_key
from riskgraph.graph.schema import (
    NODES,
    PRECISION_SUFFIX,
    PROVENANCE,
    RECORD_KINDS,
    RELS,
    DatePrecision,
    Label,
    NodeType,
    Prop,
    RelType,
    pci_categories,
)
from riskgraph.graph.uscc import ALPHABET, WEIGHTS
from riskgraph.graph.world_io import World

KnownKeys = Callable[[Label], set[str]]
"""``known_keys(label)``: natural keys of the label's nodes already in the graph."""

DATE_ORDER = (("founded_on", "dissolved_on"), ("issued_on", "removed_on"),
              ("published_on", "deadline"), ("since", "until"))
NON_NEGATIVE = ("registered_capital", "employees", "amount", "estimated_value", "annual_value",
                "reserve_price", "floor_price", "number_of_tenderers")
CURRENCY = r"^[A-Z]{3}$"
"""ISO 4217 alphabetic code (three capital letters)."""
_COARSER = {"date": ((r"^\d{4}-\d{2}$", "-01", DatePrecision.MONTH),),
            "datetime": ((r"^\d{4}-\d{2}$", "-01T00:00:00Z", DatePrecision.MONTH),
                         (r"^\d{4}-\d{2}-\d{2}$", "T00:00:00Z", DatePrecision.DAY))}
"""Coarser text a date / date-time prop accepts when the schema declares its ``*_precision``:
(pattern, what completes it, the precision recorded)."""
INSPECTION_ONLY = ("stream", "inspector_id", "outcome")
FILE_ROW = 0
"""Row number of rejects that concern a whole file or column rather than one row."""

ARROW_TYPES: dict[str, pa.DataType] = {
    "str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(),
    "date": pa.date32(), "datetime": pa.timestamp("ms"), "strings": pa.list_(pa.string()),
}
"""The Arrow type of each schema type in validated tables (date-times are naive UTC)."""

_DATETIME = (r"^(?P<day>\d{4}-\d{2}-\d{2})[T ](?P<hm>\d{2}:\d{2})(?P<sec>:\d{2})?"
             r"(?P<frac>\.\d{1,9})?(?P<tz>Z|[+-]\d{2}:?\d{2})?$")
_EXPECTED = {"date": " (expected YYYY-MM-DD)",
             "datetime": " (expected YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM])",
             "strings": ' (expected a JSON array of strings, e.g. ["A", "B"], or one value)'}


@dataclass(frozen=True)
class Reject:
    """One refused row: ``file`` as read (``nodes/Company.csv``), 1-based ``row``, its key."""

    file: str
    row: int
    key: str
    reason: str


@dataclass
class ValidationResult:
    """The good rows (a World typed to the schema), the rejects, and file-level warnings."""

    world: World
    rejects: list[Reject] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    missing: dict[str, dict[str, int]] = field(default_factory=dict)
    """File → optional property → how many accepted rows lack it (only props that some row
    lacks; the rows are loaded all the same)."""


BoolMask = np.ndarray[Any, np.dtype[np.bool_]]


class _Problems:
    """Reasons per bad row of one table."""

    def __init__(self, rows: int) -> None:
        self.rows = rows
        self.reasons: dict[int, list[str]] = defaultdict(list)

    def add(self, mask: BoolMask, reason: str) -> None:
        for i in np.flatnonzero(mask):
            self.reasons[int(i)].append(reason)

    def add_formatted(self, mask: BoolMask, template: str,
                      **columns: pa.ChunkedArray | pa.Array) -> None:
        """One reason per bad row: ``template`` formatted with that row's column values."""
        index = np.flatnonzero(mask)
        if not len(index):
            return
        values = {k: v.take(pa.array(index)).to_pylist() for k, v in columns.items()}
        for j, i in enumerate(index):
            self.reasons[int(i)].append(template.format(**{k: v[j] for k, v in values.items()}))

    def all(self, reason: str) -> None:
        self.add(np.ones(self.rows, dtype=bool), reason)

    def bad_mask(self) -> BoolMask:
        mask = np.zeros(self.rows, dtype=bool)
        mask[list(self.reasons)] = True
        return mask


def _mask(array: pa.ChunkedArray | pa.Array) -> BoolMask:
    """A boolean Arrow array as numpy, nulls counting as False."""
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def _null(kind: pa.DataType) -> pa.Scalar:
    return pa.scalar(None, kind)


def _parse_date(text: pa.ChunkedArray) -> pa.ChunkedArray:
    parsed = pc.strptime(text, format="%Y-%m-%d", unit="s", error_is_null=True)
    # strptime rolls impossible days over (2019-02-30 → March); a round trip catches them
    exact = pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), text)
    return pc.cast(pc.if_else(exact, parsed, _null(parsed.type)), pa.date32())


def _parse_datetime(text: pa.ChunkedArray) -> pa.ChunkedArray:
    """ISO 8601 date-times → naive UTC milliseconds (an offset is applied; fractions kept)."""
    parts = pc.extract_regex(text, _DATETIME)
    day, hm = pc.struct_field(parts, "day"), pc.struct_field(parts, "hm")
    sec = pc.if_else(pc.equal(pc.struct_field(parts, "sec"), ""), ":00",
                     pc.struct_field(parts, "sec"))
    base = pc.binary_join_element_wise(day, "T", hm, sec, "")
    parsed = pc.strptime(base, format="%Y-%m-%dT%H:%M:%S", unit="s", error_is_null=True)
    exact = pc.equal(pc.strftime(parsed, format="%Y-%m-%dT%H:%M:%S"), base)
    parsed = pc.cast(pc.if_else(exact, parsed, _null(parsed.type)), pa.timestamp("ms"))
    frac = pc.utf8_slice_codeunits(pc.struct_field(parts, "frac"), 1, 4)
    millis = pc.if_else(pc.equal(frac, ""), "0", pc.utf8_rpad(frac, 3, "0"))
    parsed = pc.add(parsed, pc.cast(pc.cast(millis, pa.int64()), pa.duration("ms")))
    tz = pc.replace_substring(pc.struct_field(parts, "tz"), ":", "")
    has_offset = pc.and_(pc.not_equal(tz, ""), pc.not_equal(tz, "Z"))
    hours = pc.cast(pc.if_else(has_offset, pc.utf8_slice_codeunits(tz, 1, 3), "0"), pa.int64())
    minutes = pc.cast(pc.if_else(has_offset, pc.utf8_slice_codeunits(tz, 3, 5), "0"), pa.int64())
    sign = pc.if_else(pc.starts_with(tz, "-"), -1, 1)
    offset_ms = pc.multiply(sign, pc.multiply(pc.add(pc.multiply(hours, 60), minutes), 60_000))
    return pc.subtract(parsed, pc.cast(offset_ms, pa.duration("ms")))


def _strings(column: pa.ChunkedArray) -> tuple[pa.ChunkedArray, BoolMask]:
    """A ``strings`` column: a list column as lists of text (empty text and empty lists are
    missing); a text column (CSV) holds JSON arrays of strings, or one plain value."""
    target = ARROW_TYPES["strings"]
    n = len(column)
    if pa.types.is_null(column.type) or column.null_count == n:
        return pa.chunked_array([pa.nulls(n, target)]), np.zeros(n, dtype=bool)
    bad = np.zeros(n, dtype=bool)
    values: list[list[str] | None] = []
    is_text = pa.types.is_string(column.type) or pa.types.is_large_string(column.type)
    for i, cell in enumerate(column.to_pylist()):
        if is_text and isinstance(cell, str) and cell.strip().startswith("["):
            try:
                cell = json.loads(cell)
            except ValueError:
                cell = None
            if not isinstance(cell, list) or not all(isinstance(v, str) for v in cell):
                bad[i] = True
                values.append(None)
                continue
        if isinstance(cell, str):
            cell = [cell]
        if not isinstance(cell, list):
            bad[i] = cell is not None
            values.append(None)
            continue
        kept = [str(v).strip() for v in cell if v is not None and str(v).strip()]
        values.append(kept or None)
    return pa.chunked_array([pa.array(values, target)]), bad


def _typed(column: pa.ChunkedArray, kind: str) -> tuple[pa.ChunkedArray, BoolMask]:
    """``column`` converted to the schema type, and a mask of values that could not be."""
    if kind == "strings":
        return _strings(column)
    target = ARROW_TYPES[kind]
    n = len(column)
    if column.type == target or pa.types.is_null(column.type):
        return column.cast(target), np.zeros(n, dtype=bool)
    if not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
        try:
            return column.cast(target, safe=not pa.types.is_timestamp(column.type)), np.zeros(
                n, dtype=bool)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            try:
                column = column.cast(pa.string())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                return pa.chunked_array([pa.nulls(n, target)]), np.ones(n, dtype=bool)
    text = pc.utf8_trim_whitespace(column.cast(pa.string()))
    present = _mask(pc.and_(pc.is_valid(text), pc.not_equal(text, "")))
    text = pc.if_else(pc.equal(text, ""), _null(pa.string()), text)
    if kind == "str":
        return text, np.zeros(n, dtype=bool)
    if kind == "date":
        converted = _parse_date(text)
    elif kind == "datetime":
        converted = _parse_datetime(text)
    elif kind == "bool":
        lowered = pc.utf8_lower(text)
        truthy = pc.is_in(lowered, pa.array(["true", "1", "yes"]))
        falsy = pc.is_in(lowered, pa.array(["false", "0", "no"]))
        converted = pc.if_else(truthy, True, pc.if_else(falsy, False, _null(pa.bool_())))
    else:
        pattern = r"^-?\d+$" if kind == "int" else r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$"
        ok = pc.match_substring_regex(text, pattern)
        converted = pc.cast(pc.if_else(ok, text, _null(pa.string())), target)
    bad = present & ~_mask(pc.is_valid(converted))
    return converted, bad


def _coarse_dates(table: pa.Table, props: tuple[Prop, ...]
                  ) -> tuple[pa.Table, dict[str, pa.ChunkedArray]]:
    """Complete month- (and, for date-times, day-) precision text of the date props that
    declare a ``*_precision`` prop, recording the precision where the row does not give one.
    Also returns the columns as given (for messages)."""
    names = {p.name for p in props}
    originals: dict[str, pa.ChunkedArray] = {}
    for prop in props:
        precision = prop.name + PRECISION_SUFFIX
        if (prop.type not in _COARSER or precision not in names
                or prop.name not in table.column_names):
            continue
        column = table[prop.name]
        if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
            continue
        originals[prop.name] = column
        text = pc.utf8_trim_whitespace(column.cast(pa.string()))
        given = (table[precision].cast(pa.string()) if precision in table.column_names
                 else pa.chunked_array([pa.nulls(table.num_rows, pa.string())]))
        for pattern, suffix, level in _COARSER[prop.type]:
            coarse = pc.match_substring_regex(text, pattern)
            text = pc.if_else(coarse, pc.binary_join_element_wise(text, suffix, ""), text)
            given = pc.if_else(pc.and_(coarse, pc.is_null(given)), level.value, given)
        table = table.set_column(table.schema.get_field_index(prop.name), prop.name, text)
        if precision in table.column_names:
            table = table.set_column(table.schema.get_field_index(precision), precision, given)
        else:
            table = table.append_column(precision, given)
    return table, originals


def _check_props(table: pa.Table, props: tuple[Prop, ...], problems: _Problems) -> pa.Table:
    """Type every declared column, checking required values and choices."""
    table, as_given = _coarse_dates(table, props)
    for prop in props:
        if prop.name not in table.column_names:
            if prop.required:
                problems.all(f"required column {prop.name} is missing")
            table = table.append_column(prop.name, pa.nulls(table.num_rows,
                                                             ARROW_TYPES[prop.type]))
            continue
        typed, bad = _typed(table[prop.name], prop.type)
        original = as_given.get(prop.name, table[prop.name])
        if bad.any():
            expected = _EXPECTED.get(prop.type, "")
            problems.add_formatted(
                bad, f"{prop.name}={{v!r}} is not a valid {prop.type}{expected}", v=original)
        table = table.set_column(table.schema.get_field_index(prop.name), prop.name, typed)
        missing = ~_mask(pc.is_valid(typed)) & ~bad
        if prop.required and missing.any():
            problems.add(missing, f"{prop.name} is missing")
        if prop.choices:
            wrong = _mask(pc.invert(pc.is_in(typed, pa.array(prop.choices)))) & ~missing & ~bad
            if wrong.any():
                problems.add_formatted(
                    wrong, f"{prop.name}={{v!r}} is not one of {', '.join(prop.choices)}", v=typed)
    return table


def _check_values(table: pa.Table, problems: _Problems,
                  regional: BoolMask | None = None) -> None:
    """Cross-column and range rules shared by nodes and relationships.

    ``regional`` marks the rows whose region code is GB/T 2260 (all rows when None)."""
    names = set(table.column_names)
    for early, late in DATE_ORDER:
        if {early, late} <= names:
            wrong = _mask(pc.less(table[late], table[early]))
            if wrong.any():
                problems.add_formatted(wrong, f"{late}={{b}} is before {early}={{a}}",
                                       a=table[early], b=table[late])
    for name in NON_NEGATIVE:
        if name in names:
            wrong = _mask(pc.less(table[name], 0))
            if wrong.any():
                problems.add_formatted(wrong, f"{name}={{v}} is negative", v=table[name])
    if "share" in names:
        share = table["share"]
        wrong = _mask(pc.or_(pc.less_equal(share, 0), pc.greater(share, 100)))
        if wrong.any():
            problems.add_formatted(wrong, "share={v} is outside (0, 100]", v=share)
    if {"floor_price", "reserve_price"} <= names:
        wrong = _mask(pc.greater(table["floor_price"], table["reserve_price"]))
        if wrong.any():
            problems.add_formatted(wrong, "floor_price={a} is above reserve_price={b}",
                                   a=table["floor_price"], b=table["reserve_price"])
    if "currency" in names:
        currency = table["currency"]
        wrong = _mask(pc.invert(pc.match_substring_regex(currency, CURRENCY)))
        wrong &= _mask(pc.is_valid(currency))
        if wrong.any():
            problems.add_formatted(wrong, "currency={v!r} is not an ISO 4217 code (three "
                                   "capital letters, e.g. EUR)", v=currency)
    if "region_code" in names:
        region = table["region_code"]
        wrong = _mask(pc.invert(pc.match_substring_regex(region, r"^\d{6}$")))
        wrong &= _mask(pc.is_valid(region))
        if regional is not None:
            wrong &= regional
        if wrong.any():
            problems.add_formatted(wrong, "region_code={v!r} is not a six-digit GB/T 2260 code",
                                   v=region)


_USCC_VALUE = np.full(256, -1, dtype=np.int64)
_USCC_VALUE[np.frombuffer(ALPHABET.encode(), dtype=np.uint8)] = np.arange(len(ALPHABET))
_USCC_WEIGHTS = np.array(WEIGHTS, dtype=np.int64)
_ALPHABET_BYTES = np.frombuffer(ALPHABET.encode(), dtype=np.uint8)


def uscc_bad_mask(codes: pa.ChunkedArray | pa.Array) -> BoolMask:
    """True where a non-null code is not a valid USCC (vectorised ``graph.uscc`` rules)."""
    codes = codes.combine_chunks() if isinstance(codes, pa.ChunkedArray) else codes
    codes = codes.cast(pa.string())
    present = _mask(pc.is_valid(codes))
    sized = present & (np.asarray(pc.fill_null(pc.binary_length(codes), 0)) == 18)
    bad = present & ~sized
    index = np.flatnonzero(sized)
    if len(index):
        chosen = codes.take(pa.array(index))
        data = np.frombuffer(chosen.buffers()[2], dtype=np.uint8)
        start = int(np.frombuffer(chosen.buffers()[1], dtype=np.int32)[chosen.offset])
        matrix = data[start: start + 18 * len(index)].reshape(len(index), 18)
        values = _USCC_VALUE[matrix]
        ok = (values >= 0).all(axis=1)
        ok &= ((matrix[:, 2:8] >= ord("0")) & (matrix[:, 2:8] <= ord("9"))).all(axis=1)
        total = (np.where(values[:, :17] >= 0, values[:, :17], 0) * _USCC_WEIGHTS).sum(axis=1)
        ok &= _ALPHABET_BYTES[(31 - total % 31) % 31] == matrix[:, 17]
        bad[index[~ok]] = True
    result: BoolMask = bad
    return result


def canonical_firm_keys(column: pa.ChunkedArray | pa.Array,
                        declared: dict[str, IdScheme] | None = None,
                        applies: BoolMask | None = None,
                        ) -> tuple[pa.ChunkedArray, dict[int, str], dict[int, str]]:
    """``column`` with firm identifiers cleaned to canonical form, the reasons of the rows that
    are not identifiers, and the scheme of every row that is not a bare USCC.

    Valid USCCs (the whole of a Chinese world) are recognised vectorised; Python runs only on
    the other rows (``applies`` restricts the rows looked at)."""
    column = column if isinstance(column, pa.ChunkedArray) else pa.chunked_array([column])
    if applies is None:
        index = np.flatnonzero(uscc_bad_mask(column))
    else:
        rows = np.flatnonzero(applies)
        index = rows[uscc_bad_mask(column.take(pa.array(rows)))] if len(rows) else rows
    errors: dict[int, str] = {}
    schemes: dict[int, str] = {}
    changed: dict[int, str] = {}
    for i, code in zip(index, column.take(pa.array(index)).to_pylist(), strict=True):
        try:
            clean = clean_firm_id(code, declared=declared)
        except IdentifierError as exc:
            errors[int(i)] = str(exc)
            continue
        schemes[int(i)] = scheme_of(clean)
        if clean != code:
            changed[int(i)] = clean
    if changed:
        values = column.to_pylist()
        for row, clean in changed.items():
            values[row] = clean
        column = pa.chunked_array([pa.array(values, pa.string())])
    return column, errors, schemes


def _check_company(table: pa.Table, problems: _Problems,
                   declared: dict[str, IdScheme]) -> tuple[pa.Table, BoolMask]:
    """Clean and check the keys, fill ``id_scheme``, require a region where the scheme has one.

    Returns the table and the mask of rows whose scheme has GB/T 2260 regions."""
    keys, errors, schemes = canonical_firm_keys(table["uscc"], declared)
    for i, reason in errors.items():
        problems.reasons[i].append(reason)
    table = table.set_column(table.schema.get_field_index("uscc"), "uscc", keys)
    n = table.num_rows
    derived_np = np.full(n, USCC, dtype=object)
    for i, name in schemes.items():
        derived_np[i] = name
    derived = pa.array(derived_np, pa.string())
    stated = table["id_scheme"]
    wrong = _mask(pc.not_equal(pc.utf8_lower(stated), derived))
    wrong[list(errors)] = False
    if wrong.any():
        problems.add_formatted(wrong, "id_scheme={v!r} does not match the key's scheme {s!r}",
                               v=stated, s=derived)
    table = table.set_column(table.schema.get_field_index("id_scheme"), "id_scheme", derived)
    with_region = [name for name in set(schemes.values()) | {USCC} if has_region(name, declared)]
    regional = _mask(pc.is_in(derived, pa.array(with_region, pa.string())))
    regional[list(errors)] = False
    missing = regional & ~_mask(pc.is_valid(table["region_code"]))
    if missing.any():
        problems.add_formatted(missing, "region_code is missing (required for scheme {s})",
                               s=derived)
    uscc_rows = _mask(pc.equal(derived, USCC))
    return table, uscc_rows


def _check_legal_name(table: pa.Table, problems: _Problems) -> None:
    """A legal name's key is its normalised form (graph/normalize.py), or firms would not link."""
    for i, key in enumerate(table["name_key"].to_pylist()):
        if key is not None and legal_name_key(key) != key:
            problems.reasons[i].append(
                f"name_key={key!r} is not normalised (graph/normalize.legal_name_key gives "
                f"{legal_name_key(key)!r})")


_KINDS = pa.array(list(RECORD_KINDS))
_KIND_CATEGORIES = pa.array([k.category for k in RECORD_KINDS.values()])


def _check_credit_record(table: pa.Table, problems: _Problems) -> None:
    category = table["category"]
    known = pc.is_in(category, pa.array(pci_categories()))
    unknown = _mask(pc.invert(known)) & _mask(pc.is_valid(category))
    if unknown.any():
        problems.add_formatted(unknown, "category={v!r} is not one of the 19 PCI categories",
                               v=category)
    expected = pc.take(_KIND_CATEGORIES, pc.index_in(table["kind"], value_set=_KINDS))
    mismatch = _mask(pc.and_(known, pc.not_equal(expected, category)))
    if mismatch.any():
        problems.add_formatted(mismatch, "kind={k!r} belongs to category {e!r}, not {c!r}",
                               k=table["kind"], e=expected, c=category)
    not_inspection = _mask(pc.not_equal(category, "inspections"))
    for name in INSPECTION_ONLY:
        misplaced = not_inspection & _mask(pc.is_valid(table[name]))
        if misplaced.any():
            problems.add(misplaced, f"{name} is only for inspection records")


def _duplicates(keys: pa.ChunkedArray, problems: _Problems) -> None:
    """Flag every repeat of a key after its first row (fast path: all keys distinct)."""
    present = pc.drop_null(keys)
    if pc.count_distinct(present).as_py() == len(present):
        return
    codes = pc.dictionary_encode(keys.combine_chunks())
    index = np.asarray(pc.fill_null(codes.indices, -1))
    _, first = np.unique(index, return_index=True)
    first_of = np.full(len(codes.dictionary) + 1, -1, dtype=np.int64)
    first_of[index[first]] = first
    repeat = (index >= 0) & (first_of[index] != np.arange(len(index)))
    problems.add_formatted(repeat, "duplicate key {k!r} (first at row {r})", k=keys,
                           r=pa.array(first_of[index] + 1))


def _provenance(table: pa.Table, file: str, key_column: str | None) -> pa.Table:
    """Fill missing provenance: source = the file, source_id = the key or row number."""
    n = table.num_rows
    if "source" not in table.column_names:
        table = table.append_column("source", pa.repeat(pa.scalar(f"file:{file}"), n))
    if "source_id" not in table.column_names:
        ids = (table[key_column].cast(pa.string()) if key_column
               else pa.array(np.arange(1, n + 1)).cast(pa.string()))
        table = table.append_column("source_id", ids)
    if "load_batch" not in table.column_names:
        table = table.append_column("load_batch", pa.nulls(n, pa.string()))
    for name in PROVENANCE:
        typed = table[name] if table[name].type == pa.string() else table[name].cast(pa.string())
        table = table.set_column(table.schema.get_field_index(name), name, typed)
    return table


def _finish(table: pa.Table, columns: list[str], problems: _Problems, file: str,
            key_of: Callable[[BoolMask], list[str]], rejects: list[Reject]) -> pa.Table:
    table = table.select(columns)
    if not problems.reasons:
        return table
    bad = problems.bad_mask()
    keys = key_of(bad)
    for key, i in zip(keys, np.flatnonzero(bad), strict=True):
        rejects.append(Reject(file, int(i) + 1, key, "; ".join(problems.reasons[int(i)])))
    return table.filter(pa.array(~bad))


def _values_at(column: pa.ChunkedArray, mask: BoolMask) -> list[str]:
    return ["" if v is None else str(v)
            for v in column.take(pa.array(np.flatnonzero(mask))).to_pylist()]


def _unknown_columns(table: pa.Table, known: list[str], file: str,
                     result: ValidationResult) -> None:
    extra = [c for c in table.column_names if c not in known and c not in PROVENANCE]
    if extra:
        message = f"unknown column(s) {', '.join(extra)} not loaded"
        result.warnings.append(f"{file}: {message}")
        result.rejects.append(Reject(file, FILE_ROW, "", message))


def _read_problems(world: World, name: str, problems: _Problems) -> None:
    """Rows the reader could not read: that reason replaces the ones their empty cells got."""
    for row, reason in world.read_problems.get(name, {}).items():
        if 1 <= row <= problems.rows:
            problems.reasons[row - 1] = [reason]


def _validate_nodes(world: World, spec: NodeType, result: ValidationResult,
                    rejected: dict[Label, set[str]],
                    refers: Callable[[pa.Table, _Problems], None] | None = None) -> None:
    label = spec.label
    table = world.nodes[label]
    file = world.file_of(label.value)
    _unknown_columns(table, list(spec.columns), file, result)
    problems = _Problems(table.num_rows)
    table = _check_props(table, spec.props, problems)
    regional: BoolMask | None = None
    if label == Label.COMPANY:
        table, regional = _check_company(table, problems, world.id_schemes)
    _check_values(table, problems, regional)
    if label == Label.CREDIT_RECORD:
        _check_credit_record(table, problems)
    elif label == Label.LEGAL_NAME:
        _check_legal_name(table, problems)
    _duplicates(table[spec.key], problems)
    if refers is not None:
        refers(table, problems)
    _read_problems(world, label.value, problems)
    table = _provenance(table, file, spec.key)
    _count_missing(table, spec, problems, file, result)
    keys = table[spec.key]
    # a key that also has a good row (the first of duplicates) still resolves
    rejected[label] = set(_values_at(keys, problems.bad_mask())) - {""}
    result.world.nodes[label] = _finish(table, [*spec.columns, *PROVENANCE], problems, file,
                                        lambda bad: _values_at(keys, bad), result.rejects)


def _count_missing(table: pa.Table, spec: NodeType, problems: _Problems, file: str,
                   result: ValidationResult) -> None:
    """Per optional prop, how many of the accepted rows lack it (``result.missing``)."""
    good = ~problems.bad_mask()
    counts = {}
    for prop in spec.props:
        if prop.required or prop.name.endswith(PRECISION_SUFFIX):
            continue
        lacking = int((~_mask(pc.is_valid(table[prop.name])) & good).sum())
        if lacking:
            counts[prop.name] = lacking
    if counts:
        result.missing[file] = counts


def _validate_rels(world: World, spec: RelType, result: ValidationResult,
                   rejected: dict[Label, set[str]], world_keys: Callable[[Label], pa.Array],
                   graph_keys: KnownKeys) -> None:
    rel = spec.type
    table = world.rels[rel]
    file = world.file_of(rel.value)
    endpoint_columns = ["src", "dst", *(["src_label"] if spec.polymorphic_src else [])]
    prop_names = [p.name for p in spec.props]
    _unknown_columns(table, endpoint_columns + prop_names, file, result)
    problems = _Problems(table.num_rows)
    endpoint_props = tuple(Prop(c, "str", True) for c in endpoint_columns)
    table = _check_props(table, endpoint_props + spec.props, problems)
    _check_values(table, problems)
    if spec.polymorphic_src:
        src_label = table["src_label"]
    else:
        src_label = pa.chunked_array([pa.repeat(pa.scalar(spec.src[0].value), table.num_rows)])
    for role, names_company in (("src", Label.COMPANY in spec.src), ("dst",
                                                                    spec.dst == Label.COMPANY)):
        if names_company:
            # only endpoints that do not already name a firm of the world need cleaning
            applies = ~_mask(pc.is_in(table[role], value_set=world_keys(Label.COMPANY)))
            if role == "src":
                applies &= _mask(pc.equal(src_label, Label.COMPANY.value))
            cleaned, _, _ = canonical_firm_keys(table[role], world.id_schemes, applies)
            table = table.set_column(table.schema.get_field_index(role), role, cleaned)
    src, dst = table["src"], table["dst"]
    allowed = [label.value for label in spec.src]
    wrong_label = _mask(pc.invert(pc.is_in(src_label, pa.array(allowed))))
    wrong_label &= _mask(pc.is_valid(src_label))
    if wrong_label.any():
        problems.add_formatted(wrong_label, f"src_label={{v!r}} is not one of {', '.join(allowed)}",
                               v=src_label)
    checks = [("src", src, label, _mask(pc.equal(src_label, label.value))) for label in spec.src]
    checks.append(("dst", dst, spec.dst, np.ones(table.num_rows, dtype=bool)))
    for role, column, label, applies in checks:
        unresolved = applies & _mask(pc.is_valid(column))
        unresolved &= ~_mask(pc.is_in(column, value_set=world_keys(label)))
        if not unresolved.any():
            continue
        index = np.flatnonzero(unresolved)
        for i, key in zip(index, column.take(pa.array(index)).to_pylist(), strict=True):
            if key in rejected.get(label, set()):
                problems.reasons[int(i)].append(
                    f"{role} {key} was rejected (see its {label.value} row)")
            elif key not in graph_keys(label):
                problems.reasons[int(i)].append(f"{role} {key} not found among :{label.value}")
    _read_problems(world, rel.value, problems)
    table = _provenance(table, file, None)

    def key_of(bad: BoolMask) -> list[str]:
        return [f"{s}->{d}" for s, d in zip(_values_at(src, bad), _values_at(dst, bad),
                                             strict=True)]

    result.world.rels[rel] = _finish(table, [*endpoint_columns, *prop_names, *PROVENANCE],
                                     problems, file, key_of, result.rejects)


def validate_world(world: World, known_keys: KnownKeys | None = None) -> ValidationResult:
    """Validate ``world``; return the good rows (typed), the rejects and warnings.

    ``known_keys(label)`` is asked only for labels with endpoints the world itself lacks.
    """
    result = ValidationResult(World(files=dict(world.files),
                                    unknown_files=list(world.unknown_files)))
    for name, rows in world.read_problems.items():
        if FILE_ROW in rows:
            result.warnings.append(f"{world.file_of(name)}: {rows[FILE_ROW]}")
            result.rejects.append(Reject(world.file_of(name), FILE_ROW, "", rows[FILE_ROW]))
    for name in world.unknown_files:
        result.warnings.append(f"{name}: not a table of the data model; not loaded")
        result.rejects.append(Reject(name, FILE_ROW, "",
                                     "not a table of the data model (see graph/schema.py); "
                                     "not loaded"))
    rejected: dict[Label, set[str]] = {}
    in_world: dict[Label, pa.Array] = {}
    in_graph: dict[Label, set[str]] = {}

    def world_keys(label: Label) -> pa.Array:
        if label not in in_world:
            good = result.world.nodes.get(label)
            in_world[label] = (good[NODES[label].key].combine_chunks() if good is not None
                               else pa.array([], pa.string()))
        return in_world[label]

    def graph_keys(label: Label) -> set[str]:
        if label not in in_graph:
            in_graph[label] = known_keys(label) if known_keys is not None else set()
        return in_graph[label]

    def bid_tenders(table: pa.Table, problems: _Problems) -> None:
        """A bid's tender_id names a tender of this world (not rejected) or of the graph."""
        column = table["tender_id"]
        unresolved = _mask(pc.is_valid(column)) & ~_mask(pc.is_in(column, value_set=world_keys(
            Label.TENDER)))
        for i in np.flatnonzero(unresolved):
            key = column[int(i)].as_py()
            if key in rejected.get(Label.TENDER, set()):
                problems.reasons[int(i)].append(f"tender {key} was rejected (see its Tender row)")
            elif key not in graph_keys(Label.TENDER):
                problems.reasons[int(i)].append(f"tender_id {key} not found among :Tender")

    for label, node_spec in NODES.items():
        if label in world.nodes:
            _validate_nodes(world, node_spec, result, rejected,
                            bid_tenders if label == Label.BID else None)

    for rel, spec in RELS.items():
        if rel in world.rels:
            _validate_rels(world, spec, result, rejected, world_keys, graph_keys)
    result.rejects.sort(key=lambda r: (r.file, r.row))
    return result


REJECT_COLUMNS = ("file", "row", "key", "reason")


def write_rejects(rejects: list[Reject], path: Path) -> None:
    """Write rejects as CSV (file, row, key, reason); an empty list still writes the header."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(REJECT_COLUMNS)
        for reject in rejects:
            writer.writerow([reject.file, reject.row, reject.key, reject.reason])


def read_rejects(path: Path) -> list[Reject]:
    """Read a rejects CSV written by :func:`write_rejects`."""
    with path.open(newline="", encoding="utf-8") as fh:
        return [Reject(r["file"], int(r["row"]), r["key"], r["reason"])
                for r in csv.DictReader(fh)]
