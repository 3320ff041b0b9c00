"""Array aliases and vectorised helpers shared by the generator's stages."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.floating[Any]]
BoolArray = npt.NDArray[np.bool_]
UIntArray = npt.NDArray[np.uint64]


def choice(rng: np.random.Generator, weights: FloatArray | tuple[float, ...], size: int
           ) -> IntArray:
    """``size`` indices drawn with replacement in proportion to ``weights``."""
    w = np.asarray(weights, dtype=np.float64)
    cum = np.cumsum(w)
    pos = np.searchsorted(cum, rng.random(size) * cum[-1], side="right")
    out: IntArray = np.minimum(pos, len(w) - 1).astype(np.int64)
    return out


def uniform_int(rng: np.random.Generator, low: IntArray | int, high: IntArray | int,
                size: int) -> IntArray:
    """Integers uniform in ``[low, high]`` (inclusive; ``high`` clipped up to ``low``)."""
    lo = np.asarray(low, dtype=np.int64)
    hi = np.maximum(np.asarray(high, dtype=np.int64), lo)
    return (lo + np.floor(rng.random(size) * (hi - lo + 1))).astype(np.int64)


def segment_rank(keys: IntArray) -> IntArray:
    """Position of each element among the earlier elements with the same key (0, 1, ...)."""
    n = len(keys)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    sk = keys[order]
    starts = np.r_[True, sk[1:] != sk[:-1]]
    first = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - first
    return rank


def csr(keys: IntArray, size: int) -> tuple[IntArray, IntArray]:
    """Group element indices by ``keys`` in ``[0, size)``: (offsets[size+1], element order)."""
    order = np.argsort(keys, kind="stable").astype(np.int64)
    counts = np.bincount(keys, minlength=size)
    offsets = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return offsets, order


class Pools:
    """Weighted sampling of items from many pools at once (one pool per integer key)."""

    def __init__(self, keys: IntArray, weights: FloatArray, items: IntArray | None = None) -> None:
        order = np.argsort(keys, kind="stable")
        self.items: IntArray = (np.arange(len(keys), dtype=np.int64) if items is None
                                else items)[order]
        sorted_keys = keys[order]
        self.cum: FloatArray = np.cumsum(weights[order].astype(np.float64))
        self.keys, start = np.unique(sorted_keys, return_index=True)
        self.start: IntArray = start.astype(np.int64)
        self.end: IntArray = np.r_[start[1:], len(sorted_keys)].astype(np.int64)

    def sample(self, want: IntArray, rng: np.random.Generator) -> IntArray:
        """One item per requested key (−1 where the pool is empty)."""
        n = len(want)
        if len(self.keys) == 0:
            return np.full(n, -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.keys, want), len(self.keys) - 1)
        found = self.keys[pos] == want
        s, e = self.start[pos], self.end[pos]
        lo = np.where(s > 0, self.cum[np.maximum(s - 1, 0)], 0.0)
        hi = self.cum[e - 1]
        u = lo + rng.random(n) * (hi - lo)
        idx = np.clip(np.searchsorted(self.cum, u, side="right"), s, e - 1)
        return np.where(found, self.items[idx], -1)

    def size(self, want: IntArray) -> IntArray:
        """Number of items in each requested pool."""
        if len(self.keys) == 0:
            return np.zeros(len(want), dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.keys, want), len(self.keys) - 1)
        found = self.keys[pos] == want
        return np.where(found, self.end[pos] - self.start[pos], 0)
