"""Positions of keys in a key column: the one join of the snapshot's arrays by natural key
(USCC, person id), used where the snapshot is read and where its rows are folded."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

IntArray = npt.NDArray[np.int64]


def index_of(keys: npt.NDArray[Any], wanted: npt.NDArray[Any]) -> IntArray:
    """Position of each ``wanted`` value in ``keys`` (-1 when absent; a key present several
    times: its first position). A hash lookup (Arrow's ``index_in``): sorting string keys cost
    most of a million-firm read."""
    if len(keys) == 0 or len(wanted) == 0:
        return np.full(len(wanted), -1, dtype=np.int64)
    at = pc.index_in(pa.array(wanted), value_set=pa.array(keys))
    return np.asarray(at.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)
