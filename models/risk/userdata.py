"""Users' own per-firm data: feature tables and inspection outcomes, joined point-in-time.

Both are CSV or Parquet files keyed by ``uscc`` (a firm identifier under any scheme,
graph/identifiers.py: a USCC, ``lei:…`` or ``<namespace>:<id>``; cleaned to canonical form, a
row that is not one is refused by number) with a ``date`` column (ISO yyyy-mm-dd):

* a **feature table** has any further numeric columns; each becomes the feature
  ``user_<file stem>_<column>``, and a firm takes, at an as-of date, the values of its latest
  row dated on or before that date (0 when it has none) — never a later row;
* an **outcome table** has an ``outcome`` column (``no_violation`` / ``violation`` /
  ``serious_violation``) and optionally ``stream`` (``random`` / ``targeted`` / ``routine`` /
  ``complaint`` / ``follow_up``, default ``targeted`` for an empty cell or a missing column: an
  outcome of unknown provenance is not assumed to be an unbiased draw).

In every table a bad row (a key, value, outcome or stream that is not usable; in an outcome
table also a firm that is not in the graph) is left out with its reason naming the file, the
row and the field, and the good rows are kept; the file is refused only when no row is usable.
The commands print what was left out (models/rejects.py).

Inspection-level *event tables* (keyed by ``record_id``) are read by models/risk/inspections.py.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from riskgraph.graph.errors import BadInput
from riskgraph.graph.identifiers import IdentifierError, clean_firm_id
from riskgraph.graph.key_index import index_of
from riskgraph.graph.snapshot import OUTCOMES, STREAMS
from riskgraph.models.rejects import note

FloatArray = npt.NDArray[np.float64]


def read_table(path: Path, keys: tuple[str, ...] = ("uscc", "date"),
               rejects: list[str] | None = None) -> pa.Table:
    """A CSV or Parquet table that must have the ``keys`` columns (BadInput otherwise).

    Row by row, a key that is not usable (a ``uscc`` that is not a firm identifier, a ``date``
    that is not an ISO date, an empty or repeated ``record_id``) rejects that row: its reason
    (file, row, field) is appended to ``rejects`` and the other rows are kept. BadInput when no
    row is left, or when a row is bad and ``rejects`` is None (strict callers). The ``uscc``
    column comes back canonical, ``date`` as a date column."""
    table, bad = read_checked(path, keys)
    return keep_good_rows(table, bad, path, rejects)


def read_checked(path: Path, keys: tuple[str, ...]) -> tuple[pa.Table, dict[int, str]]:
    """The whole table with its key columns cleaned, and its bad rows (index → reason)."""
    if not path.is_file():
        raise BadInput(f"{path} is not a file")
    if path.suffix not in (".csv", ".parquet"):
        raise BadInput(f"{path}: expected a .csv or .parquet file")
    try:
        table = (pq.read_table(path) if path.suffix == ".parquet" else pacsv.read_csv(
            path, parse_options=pacsv.ParseOptions(newlines_in_values=True)))
    except (pa.ArrowException, OSError) as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise BadInput(f"{path}: not a readable table ({first})") from None
    for col in keys:
        if col not in table.column_names:
            raise BadInput(f"{path}: missing column {col!r} (need {' and '.join(keys)})")
    bad: dict[int, str] = {}
    cleaned: dict[str, pa.Array] = {}
    if "uscc" in keys:
        cleaned["uscc"] = pa.array(_firm_keys(table["uscc"].to_pylist(), bad), pa.string())
    if "date" in keys:
        cleaned["date"] = pa.array(_dates(table["date"].to_pylist(), bad), pa.date32())
    if "record_id" in keys:
        cleaned["record_id"] = pa.array(_record_ids(table["record_id"].to_pylist(), bad),
                                        pa.string())
    for name, values in cleaned.items():
        table = table.set_column(table.schema.get_field_index(name), name, values)
    return table, bad


def keep_good_rows(table: pa.Table, bad: dict[int, str], path: Path,
                   rejects: list[str] | None) -> pa.Table:
    """``table`` without the rows in ``bad`` (row index → reason), whose reasons go to
    ``rejects`` (BadInput instead when it is None, or when no row is left)."""
    if not bad:
        return table
    reasons = [bad[i] for i in sorted(bad)]
    if rejects is None or len(bad) == table.num_rows:
        more = f" (and {len(reasons) - 5} more)" if len(reasons) > 5 else ""
        head = "no usable row: " if len(bad) == table.num_rows else ""
        raise BadInput(f"{path}: {head}{'; '.join(reasons[:5])}{more}")
    rejects.extend(f"{path}: {r}" for r in reasons)
    return table.filter(pa.array(good_rows(table.num_rows, bad)))


def good_rows(rows: int, bad: dict[int, str]) -> npt.NDArray[np.bool_]:
    mask = np.ones(rows, dtype=bool)
    mask[list(bad)] = False
    return mask


def _firm_keys(values: list[object], bad: dict[int, str]) -> list[str | None]:
    """Every ``uscc`` cleaned to its canonical firm identifier (None, and the row marked in
    ``bad``, when it is not one)."""
    keys: list[str | None] = []
    for row, value in enumerate(values):
        try:
            keys.append(clean_firm_id(value if not isinstance(value, int) else str(value)))
        except IdentifierError as exc:
            keys.append(None)
            bad.setdefault(row, f"row {row + 1}: field 'uscc': {value!r}: {exc}")
    return keys


def _dates(values: list[object], bad: dict[int, str]) -> list[dt.date | None]:
    out: list[dt.date | None] = []
    for row, value in enumerate(values):
        when: dt.date | None = None
        if isinstance(value, dt.datetime):
            when = value.date()
        elif isinstance(value, dt.date):
            when = value
        elif isinstance(value, str):
            try:
                when = dt.date.fromisoformat(value.strip())
            except ValueError:
                when = None
        if when is None:
            bad.setdefault(row, f"row {row + 1}: field 'date': {value!r} is not a date "
                                "(yyyy-mm-dd)")
        out.append(when)
    return out


def _record_ids(values: list[object], bad: dict[int, str]) -> list[str | None]:
    out: list[str | None] = []
    seen: dict[str, int] = {}
    for row, value in enumerate(values):
        text = None if value is None else str(value).strip()
        if not text:
            bad.setdefault(row, f"row {row + 1}: field 'record_id': empty")
        elif text in seen:
            bad.setdefault(row, f"row {row + 1}: field 'record_id': {text!r} repeats row "
                                f"{seen[text] + 1}")
        else:
            seen[text] = row
        out.append(text or None)
    return out


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def numeric_column(values: list[object], name: str, bad: dict[int, str]) -> FloatArray | None:
    """The column as floats (empty → NaN), marking in ``bad`` the rows whose value is not a
    finite number; None when most of its non-empty values are not numbers (a text column)."""
    out = np.full(len(values), np.nan)
    wrong: list[int] = []
    for row, value in enumerate(values):
        if _empty(value):
            continue
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            wrong.append(row)
            continue
        if np.isfinite(number):
            out[row] = number
        else:
            wrong.append(row)
    filled = sum(not _empty(v) for v in values)
    if filled and len(wrong) * 2 > filled:
        return None
    for row in wrong:
        bad.setdefault(row, f"row {row + 1}: field {name!r}: {values[row]!r} is not a finite "
                            "number")
    return out


def day_numbers(dates: list[object]) -> npt.NDArray[np.int64]:
    """Dates (``date`` column values) as days since 1970-01-01."""
    return np.asarray([d.toordinal() - EPOCH_ORDINAL for d in dates  # type: ignore[attr-defined]
                       ], dtype=np.int64)


EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


@dataclass
class UserTable:
    """A user feature table: rows (uscc, day, numeric columns)."""

    name: str
    uscc: npt.NDArray[np.object_]
    day: npt.NDArray[np.int64]
    columns: dict[str, FloatArray]
    path: str = ""
    rejects: list[str] = field(default_factory=list)
    """The rows left out, each with its reason (file, row, field)."""
    _firm_index: tuple[npt.NDArray[np.object_], npt.NDArray[np.int64],
                       npt.NDArray[np.int64]] | None = field(default=None, repr=False,
                                                             compare=False)
    """The last ``firms`` array joined: the rows of known firms sorted by firm then date, and
    each row's firm position (joined once, reused for every as-of date and column)."""

    @classmethod
    def read(cls, path: Path) -> UserTable:
        """The table's good rows; each bad row (an unusable key or value) is left out, its
        reason in ``rejects``."""
        table, bad = read_checked(path, ("uscc", "date"))
        stem = re.sub(r"[^0-9a-zA-Z]+", "_", path.stem).strip("_").lower() or "table"
        columns: dict[str, FloatArray] = {}
        for name in table.column_names:
            if name in ("uscc", "date"):
                continue
            values = numeric_column(table[name].to_pylist(), name, bad)
            if values is None:
                raise BadInput(f"{path}: column {name!r} is not numeric")
            key = re.sub(r"[^0-9a-zA-Z]+", "_", name).strip("_").lower()
            columns[f"user_{stem}_{key}"] = values
        if not columns:
            raise BadInput(f"{path}: no numeric feature columns besides uscc and date")
        rejects: list[str] = []
        good = keep_good_rows(table, bad, path, rejects)
        keep = good_rows(table.num_rows, bad)
        note(path, rejects)
        return cls(stem, np.asarray(good["uscc"].to_pylist(), dtype=object),
                   day_numbers(good["date"].to_pylist()),
                   {k: v[keep] for k, v in columns.items()}, str(path), rejects)

    def feature_columns(self) -> list[str]:
        return list(self.columns)

    def as_of(self, firms: npt.NDArray[np.object_], t: int, column: str) -> FloatArray:
        """Per firm (in ``firms`` order): the latest value dated on or before day ``t``."""
        if self._firm_index is None or self._firm_index[0] is not firms:
            idx = index_of(firms.astype(str), self.uscc.astype(str))
            known = np.nonzero(idx >= 0)[0]
            order = known[np.lexsort((self.day[known], idx[known]))]  # by firm, then date
            self._firm_index = (firms, order, idx)
        _, order, idx = self._firm_index
        rows = order[self.day[order] <= t]
        out = np.zeros(len(firms))
        out[idx[rows]] = np.nan_to_num(self.columns[column][rows], nan=0.0)
        return out  # later rows overwrite earlier ones: the last per firm wins


@dataclass
class UserOutcomes:
    """User inspection outcomes: (firm index, day, outcome code, stream code)."""

    firm: npt.NDArray[np.int64]
    day: npt.NDArray[np.int64]
    outcome: npt.NDArray[np.int64]
    stream: npt.NDArray[np.int64]
    rejects: list[str] = field(default_factory=list)
    """The rows left out, each with its reason (file, row, field)."""

    @classmethod
    def read(cls, path: Path, firms: npt.NDArray[np.object_]) -> UserOutcomes:
        """The table's good rows; each bad row (an unusable ``uscc`` or ``date``, a firm not
        in the graph, an ``outcome`` or ``stream`` not among the known values) is left out,
        its reason in ``rejects``. BadInput for a fault of the whole file (not a table, a
        missing column, no usable row)."""
        table, bad = read_checked(path, ("uscc", "date"))
        if "outcome" not in table.column_names:
            raise BadInput(f"{path}: missing column 'outcome' (one of {', '.join(OUTCOMES)})")
        outcome = [_code(v, OUTCOMES, None, "outcome", row, bad)
                   for row, v in enumerate(table["outcome"].to_pylist())]
        streams = (table["stream"].to_pylist() if "stream" in table.column_names
                   else [None] * table.num_rows)
        stream = [_code(v, STREAMS, "targeted", "stream", row, bad)
                  for row, v in enumerate(streams)]
        keys = table["uscc"].to_pylist()
        idx = index_of(firms.astype(str), np.asarray(["" if k is None else k for k in keys],
                                                     dtype=object).astype(str))
        for row in np.nonzero(idx < 0)[0]:
            if keys[row] is not None:
                bad.setdefault(int(row), f"row {row + 1}: field 'uscc': {keys[row]!r} is not a "
                                         "firm in the graph")
        rejects: list[str] = []
        good = keep_good_rows(table, bad, path, rejects)
        keep = good_rows(table.num_rows, bad)
        note(path, rejects)
        return cls(idx[keep], day_numbers(good["date"].to_pylist()),
                   np.asarray(outcome, dtype=np.int64)[keep],
                   np.asarray(stream, dtype=np.int64)[keep], rejects)


def _code(value: object, known: tuple[str, ...], default: str | None, name: str, row: int,
          bad: dict[int, str]) -> int:
    """The position of ``value`` in ``known`` (``default`` for an empty cell when there is
    one); -1, and the row marked in ``bad``, otherwise."""
    text = "" if value is None else str(value).strip()
    if not text and default is not None:
        text = default
    if text in known:
        return known.index(text)
    shown = repr(value) if text else "empty"
    bad.setdefault(row, f"row {row + 1}: field {name!r}: {shown} is not one of "
                        f"{', '.join(known)}")
    return -1
