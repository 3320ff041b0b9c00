"""``index_of`` (the natural-key join of every snapshot read) finds each key's first position."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from riskgraph.graph.key_index import index_of

KEYS = st.lists(st.text(alphabet="ab91\u4e2d", max_size=3), max_size=30)


@given(KEYS, KEYS)
def test_index_of_is_the_first_position_of_each_key_or_minus_one(keys: list[str],
                                                                  wanted: list[str]) -> None:
    first: dict[str, int] = {}
    for i, k in enumerate(keys):
        first.setdefault(k, i)
    got = index_of(np.asarray(keys, dtype=str), np.asarray(wanted, dtype=str))
    assert got.dtype == np.int64 and len(got) == len(wanted)
    assert got.tolist() == [first.get(w, -1) for w in wanted]
