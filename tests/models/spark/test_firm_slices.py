"""Own-scope features computed on firm slices equal the whole snapshot's (no Spark needed):
what lets the Spark engine cut them by firm."""

from __future__ import annotations

import numpy as np
import pytest

from riskgraph.graph.snapshot import Snapshot
from riskgraph.models.risk.features import compute_features, feature_names
from riskgraph.models.spark.partition import firm_bounds, firm_slice, own_scope


def test_firm_bounds_cover_every_firm_once() -> None:
    for n, parts in ((0, 3), (1, 4), (10, 3), (3_000, 7), (5, 5)):
        bounds = firm_bounds(n, parts)
        covered = [i for lo, hi in bounds for i in range(lo, hi)]
        assert covered == list(range(n))
        assert all(hi > lo for lo, hi in bounds) or n == 0


@pytest.mark.parametrize("parts", [1, 3, 8])
def test_own_features_on_slices_equal_the_whole(world_snapshot: Snapshot, parts: int) -> None:
    names = [n for n in feature_names(include_soft=True) if own_scope(n)]
    assert len(names) > 20 and not own_scope("pagerank") and not own_scope("no_such_feature")
    as_of = world_snapshot.data_end + 1
    whole = compute_features(world_snapshot, as_of, names).values
    pieces = [compute_features(firm_slice(world_snapshot, lo, hi), as_of, names).values
              for lo, hi in firm_bounds(world_snapshot.n_firms, parts)]
    assert np.array_equal(np.vstack(pieces), whole)


def test_a_slice_holds_its_firms_and_only_their_own_records(world_snapshot: Snapshot) -> None:
    s = world_snapshot
    lo, hi = 100, 400
    part = firm_slice(s, lo, hi)
    assert part.uscc.tolist() == s.uscc[lo:hi].tolist()
    mine = ~s.rec_on_person & (s.rec_subject >= lo) & (s.rec_subject < hi)
    assert part.rec_id.tolist() == s.rec_id[mine].tolist()
    assert (part.rec_subject == s.rec_subject[mine] - lo).all()
    assert part.n_persons == 0 and len(part.role_firm) == 0 and len(part.sup_supplier) == 0
