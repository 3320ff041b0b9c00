"""Users' own per-firm data: feature tables and inspection outcomes, joined point-in-time.

Both are CSV or Parquet files keyed by ``uscc`` (a firm identifier under any scheme,
graph/identifiers.py: a USCC, ``lei:…`` or ``<namespace>:<id>``; cleaned to canonical form, a
row that is not one is refused by number) with a ``date`` column (ISO yyyy-mm-dd):

* a **feature table** has any further numeric columns; each becomes the feature
  ``user_<file stem>_<column>``, and a firm takes, at an as-of date, the values of its latest
  row dated on or before that date (0 when it has none) — never a later row;
* an **outcome table** has an ``outcome`` column (``no_violation`` / ``violation`` /
  ``serious_violation``) and optionally ``stream`` (``random`` / ``targeted`` / ``routine`` /
  ``complaint`` / ``follow_up``, default ``targeted``: an outcome of unknown provenance is not
  assumed to be an unbiased draw).

Inspection-level *event tables* (keyed by ``record_id``) are read by models/inspections.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from graph.errors import BadInput
from graph.identifiers import IdentifierError, clean_firm_id
from graph.snapshot import OUTCOMES, STREAMS, index_of

FloatArray = npt.NDArray[np.float64]


def read_table(path: Path, keys: tuple[str, ...] = ("uscc", "date")) -> pa.Table:
    """A CSV or Parquet table that must have the ``keys`` columns (BadInput otherwise)."""
    if not path.is_file():
        raise BadInput(f"{path} is not a file")
    if path.suffix == ".parquet":
        table = pq.read_table(path)
    elif path.suffix == ".csv":
        table = pacsv.read_csv(path)
    else:
        raise BadInput(f"{path}: expected a .csv or .parquet file")
    for col in keys:
        if col not in table.column_names:
            raise BadInput(f"{path}: missing column {col!r} (need {' and '.join(keys)})")
    if "uscc" not in keys:
        return table
    return table.set_column(table.schema.get_field_index("uscc"), "uscc",
                            pa.array(_firm_keys(table["uscc"].to_pylist(), path), pa.string()))


def _firm_keys(values: list[object], path: Path) -> list[str]:
    """Every ``uscc`` cleaned to its canonical firm identifier, or BadInput naming the rows."""
    keys: list[str] = []
    bad: list[str] = []
    for row, value in enumerate(values, start=1):
        try:
            keys.append(clean_firm_id(value if not isinstance(value, int) else str(value)))
        except IdentifierError as exc:
            bad.append(f"row {row}: uscc {value!r}: {exc}")
    if bad:
        more = f" (and {len(bad) - 5} more)" if len(bad) > 5 else ""
        raise BadInput(f"{path}: {'; '.join(bad[:5])}{more}")
    return keys


def _days(table: pa.Table, path: Path) -> npt.NDArray[np.int64]:
    col = table["date"]
    try:
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            col = pc.cast(col, pa.date32())
        col = pc.cast(col, pa.date32())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise BadInput(f"{path}: column 'date' is not a date ({exc})") from None
    if col.null_count:
        raise BadInput(f"{path}: {col.null_count} row(s) without a date")
    return np.asarray(pc.cast(col, pa.int32()).to_numpy(zero_copy_only=False), dtype=np.int64)


@dataclass
class UserTable:
    """A user feature table: rows (uscc, day, numeric columns)."""

    name: str
    uscc: npt.NDArray[np.object_]
    day: npt.NDArray[np.int64]
    columns: dict[str, FloatArray]
    path: str = ""
    _firm_index: tuple[npt.NDArray[np.object_], npt.NDArray[np.int64],
                       npt.NDArray[np.int64]] | None = field(default=None, repr=False,
                                                             compare=False)
    """The last ``firms`` array joined: the rows of known firms sorted by firm then date, and
    each row's firm position (joined once, reused for every as-of date and column)."""

    @classmethod
    def read(cls, path: Path) -> UserTable:
        table = read_table(path)
        stem = re.sub(r"[^0-9a-zA-Z]+", "_", path.stem).strip("_").lower() or "table"
        columns: dict[str, FloatArray] = {}
        for name in table.column_names:
            if name in ("uscc", "date"):
                continue
            col = table[name]
            if not (pa.types.is_integer(col.type) or pa.types.is_floating(col.type)
                    or pa.types.is_boolean(col.type)):
                raise BadInput(f"{path}: column {name!r} is not numeric")
            key = re.sub(r"[^0-9a-zA-Z]+", "_", name).strip("_").lower()
            columns[f"user_{stem}_{key}"] = np.asarray(
                pc.cast(col, pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)
        if not columns:
            raise BadInput(f"{path}: no numeric feature columns besides uscc and date")
        uscc = np.asarray(table["uscc"].to_pylist(), dtype=object)
        return cls(stem, uscc, _days(table, path), columns, str(path))

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

    @classmethod
    def read(cls, path: Path, firms: npt.NDArray[np.object_]) -> UserOutcomes:
        table = read_table(path)
        if "outcome" not in table.column_names:
            raise BadInput(f"{path}: missing column 'outcome'")
        outcome = [OUTCOMES.index(v) if v in OUTCOMES else -1
                   for v in table["outcome"].to_pylist()]
        if min(outcome, default=0) < 0:
            raise BadInput(f"{path}: outcome must be one of {', '.join(OUTCOMES)}")
        streams = (table["stream"].to_pylist() if "stream" in table.column_names
                   else ["targeted"] * table.num_rows)
        stream = [STREAMS.index(v) if v in STREAMS else 1 for v in streams]
        idx = index_of(firms.astype(str), np.asarray(table["uscc"].to_pylist()).astype(str))
        ok = idx >= 0
        return cls(idx[ok], _days(table, path)[ok], np.asarray(outcome)[ok],
                   np.asarray(stream)[ok])
