"""Rows grouped by a key column, so that a halo's rows are gathered, not scanned for.

A network slice (models/spark/halo.py) needs the rows on a few keys — the roles of its
persons, the supplies its firms buy, the bids in its tenders. Scanning the whole column once
per slice makes the driver's work the world times the number of slices; grouping each column
once (a stable argsort) makes each slice's gather cost its own rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Grouped:
    """Row positions of a column grouped by its value: ``order[start[v]:start[v + 1]]`` are
    the rows holding ``v`` (values ``0..size-1``), in row order."""

    order: IntArray
    start: IntArray

    @classmethod
    def of(cls, values: npt.NDArray[np.integer], size: int) -> Grouped:
        """Group the rows of ``values`` (each in ``0..size-1``)."""
        keys = np.asarray(values, dtype=np.int64)
        if len(keys) and (keys.min() < 0 or keys.max() >= size):
            raise ValueError(f"Grouped.of: values outside 0..{size - 1}")
        order = np.argsort(keys, kind="stable").astype(np.int64)
        start = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(np.bincount(keys, minlength=size), out=start[1:])
        return cls(order, start)

    def between(self, lo: int, hi: int) -> IntArray:
        """The rows holding a value in ``lo..hi-1`` (unsorted)."""
        return self.order[self.start[lo]:self.start[hi]]

    def rows(self, keys: IntArray) -> IntArray:
        """The rows holding any of ``keys`` (distinct values; the rows unsorted)."""
        first, last = self.start[keys], self.start[keys + 1]
        lengths = last - first
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(0, dtype=np.int64)
        # position k of the output: first[g] + (k - where group g starts in the output)
        offsets = np.repeat(first - (np.cumsum(lengths) - lengths), lengths)
        return self.order[offsets + np.arange(total, dtype=np.int64)]
