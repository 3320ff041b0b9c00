"""Rows grouped by key: a gather gives exactly the rows a scan would find."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskgraph.models.spark.grouped import Grouped


@given(st.data())
def test_the_rows_of_some_keys_are_the_rows_a_scan_finds(data: st.DataObject) -> None:
    size = data.draw(st.integers(1, 40))
    values = np.array(data.draw(st.lists(st.integers(0, size - 1), max_size=200)),
                      dtype=np.int64)
    keys = np.array(sorted(data.draw(st.sets(st.integers(0, size - 1)))), dtype=np.int64)
    grouped = Grouped.of(values, size)
    got = grouped.rows(keys)
    assert np.array_equal(np.sort(got), np.flatnonzero(np.isin(values, keys)))
    for key in keys:  # each group holds its rows in row order
        rows = grouped.order[grouped.start[key]:grouped.start[key + 1]]
        assert np.array_equal(rows, np.flatnonzero(values == key))
    lo = data.draw(st.integers(0, size))
    hi = data.draw(st.integers(lo, size))
    between = grouped.between(lo, hi)
    assert np.array_equal(np.sort(between), np.flatnonzero((values >= lo) & (values < hi)))


def test_a_value_outside_the_range_is_refused() -> None:
    with pytest.raises(ValueError, match=r"outside 0\.\.2"):
        Grouped.of(np.array([0, 3]), 3)
    with pytest.raises(ValueError, match=r"outside 0\.\.2"):
        Grouped.of(np.array([-1]), 3)
