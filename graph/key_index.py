"""Positions of keys in a key column: the one join of the snapshot's arrays by natural key
(USCC, person id), used where the snapshot is read and where its rows are folded."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

IntArray = npt.NDArray[np.int64]


def index_of(keys: npt.NDArray[Any], wanted: npt.NDArray[Any]) -> IntArray:
    """Position of each ``wanted`` value in ``keys`` (-1 when absent; a key present several
    times: its first position). A hash lookup: sorting string keys cost most of a
    million-firm read."""
    if len(keys) == 0:
        return np.full(len(wanted), -1, dtype=np.int64)
    index = pd.Index(keys)
    if index.is_unique:
        return np.asarray(index.get_indexer(wanted), dtype=np.int64)
    first = np.nonzero(~index.duplicated(keep="first"))[0]
    at = pd.Index(keys[first]).get_indexer(wanted)
    return np.where(at >= 0, first[np.maximum(at, 0)], -1).astype(np.int64)
