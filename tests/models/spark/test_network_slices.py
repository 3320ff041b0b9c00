"""Network features computed on firm slices with their halo equal the whole snapshot's, bit
for bit (no Spark needed): what lets the Spark engine cut them by firm."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskgraph.graph.snapshot import DAY_MAX, DAY_MIN, Snapshot
from riskgraph.models.risk.features import compute_features, feature_names
from riskgraph.models.risk.features.context import FeatureContext
from riskgraph.models.risk.features.registry import REGISTRY
from riskgraph.models.spark.features import feature_work
from riskgraph.models.spark.halo import (
    BID_FEATURES,
    GLOBAL_FEATURES,
    bids_view,
    global_view,
    halo_scope,
    network_slice,
)
from riskgraph.models.spark.partition import firm_bounds, firm_slice, own_scope

NETWORK = [n for n in feature_names(include_soft=True) if halo_scope(n)]


def _sliced(snap: Snapshot, parts: int, core_rows: bool = False) -> np.ndarray:
    as_of = snap.data_end + 1
    out = []
    for lo, hi in firm_bounds(snap.n_firms, parts):
        cut = network_slice(snap, lo, hi)
        ctx = FeatureContext(cut.snap, as_of, rows=cut.core) if core_rows else None
        out.append(compute_features(cut.snap, as_of, NETWORK, context=ctx).values[cut.core])
    return np.vstack(out)


def test_every_feature_is_own_halo_or_global() -> None:
    names = feature_names(include_soft=True)
    assert set(names) >= GLOBAL_FEATURES
    assert len(NETWORK) > 30
    for name in names:
        assert [own_scope(name), halo_scope(name), name in GLOBAL_FEATURES].count(True) == 1


@pytest.mark.parametrize("parts", [1, 5, 13])
@pytest.mark.parametrize("core_rows", [False, True])
def test_network_features_on_slices_equal_the_whole(world_snapshot: Snapshot, parts: int,
                                                    core_rows: bool) -> None:
    # core_rows: the shared-people graph built for the slice's rows only (the Spark task's)
    whole = compute_features(world_snapshot, world_snapshot.data_end + 1, NETWORK).values
    assert np.array_equal(_sliced(world_snapshot, parts, core_rows), whole)


def test_the_shared_people_graph_of_some_rows_is_those_rows_of_the_whole(
        world_snapshot: Snapshot) -> None:
    as_of = world_snapshot.data_end + 1
    whole = FeatureContext(world_snapshot, as_of).linked
    rows = np.arange(100, 2000, 3, dtype=np.int64)
    part = FeatureContext(world_snapshot, as_of, rows=rows).linked
    assert whole[rows].nnz > 0 and part.nnz == whole[rows].nnz
    assert np.array_equal(part[rows].indptr, whole[rows].indptr)
    assert np.array_equal(part[rows].indices, whole[rows].indices)
    others = np.setdiff1d(np.arange(world_snapshot.n_firms), rows)
    assert part[others].nnz == 0


def test_without_the_halo_the_network_features_differ(world_snapshot: Snapshot) -> None:
    as_of = world_snapshot.data_end + 1
    whole = compute_features(world_snapshot, as_of, NETWORK).values
    bare = np.vstack([compute_features(firm_slice(world_snapshot, lo, hi), as_of,
                                       NETWORK).values
                      for lo, hi in firm_bounds(world_snapshot.n_firms, 5)])
    differ = [n for j, n in enumerate(NETWORK) if not np.array_equal(bare[:, j], whole[:, j])]
    assert len(differ) > len(NETWORK) // 2


def test_slices_read_people_through_the_resolution(world_snapshot: Snapshot) -> None:
    ids = world_snapshot.person_id.astype(str)
    # pair each person with one far away in the index: entities span slices
    pairs = [f"e{min(i, len(ids) - 1 - i)}" for i in range(len(ids))]
    snap = world_snapshot.with_resolution(ids, pairs, [DAY_MIN] * len(ids),
                                          [DAY_MAX] * len(ids))
    as_of = snap.data_end + 1
    whole = compute_features(snap, as_of, NETWORK).values
    assert not np.array_equal(whole, compute_features(world_snapshot, as_of, NETWORK).values)
    assert np.array_equal(_sliced(snap, 5), whole)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_firm_range_takes_its_whole_snapshot_values(world_snapshot: Snapshot,
                                                        data: st.DataObject) -> None:
    n = world_snapshot.n_firms
    lo = data.draw(st.integers(0, n - 1))
    hi = data.draw(st.integers(lo + 1, min(n, lo + 400)))
    as_of = world_snapshot.data_end + 1 - data.draw(st.integers(0, 3 * 365))
    cut = network_slice(world_snapshot, lo, hi)
    assert cut.core.tolist() == sorted(cut.core.tolist()) and len(cut.core) == hi - lo
    assert cut.snap.uscc[cut.core].tolist() == world_snapshot.uscc[lo:hi].tolist()
    ctx = FeatureContext(cut.snap, as_of, rows=cut.core) if data.draw(st.booleans()) else None
    got = compute_features(cut.snap, as_of, NETWORK, context=ctx).values[cut.core]
    assert np.array_equal(got, compute_features(world_snapshot, as_of, NETWORK).values[lo:hi])


def test_global_features_on_the_global_view_equal_the_whole(world_snapshot: Snapshot) -> None:
    names = sorted(GLOBAL_FEATURES)
    as_of = world_snapshot.data_end + 1
    view = global_view(world_snapshot)
    assert len(view.rec_id) < len(world_snapshot.rec_id) and len(view.addr_firm) == 0
    assert np.array_equal(compute_features(view, as_of, names).values,
                          compute_features(world_snapshot, as_of, names).values)
    bids = sorted(BID_FEATURES)
    alone = bids_view(world_snapshot)
    assert alone.n_persons == 0 and len(alone.role_firm) == 0 and len(alone.rec_id) == 0
    assert np.array_equal(compute_features(alone, as_of, bids).values,
                          compute_features(world_snapshot, as_of, bids).values)


@pytest.mark.parametrize("network", ["halo", "whole", "groups"])
def test_feature_work_covers_every_firm_and_feature_once(world_snapshot: Snapshot,
                                                         network: str) -> None:
    names = feature_names(include_soft=True)
    covered = np.zeros((world_snapshot.n_firms, len(names)), dtype=np.int64)
    for w in feature_work(world_snapshot, names, 4, network):
        for name in w.names:
            covered[w.lo:w.hi, names.index(name)] += 1
    assert (covered == 1).all()
    with pytest.raises(ValueError, match="network="):
        feature_work(world_snapshot, names, 4, "by-magic")


def test_a_network_slice_has_no_row_outside_its_firms(world_snapshot: Snapshot) -> None:
    cut = network_slice(world_snapshot, 1000, 1600).snap
    n, m = cut.n_firms, cut.n_persons
    for column in ("role_firm", "link_child", "link_parent", "sup_supplier", "sup_customer",
                   "addr_firm", "contact_firm", "shared_firm", "bid_firm"):
        values = getattr(cut, column)
        assert ((values >= 0) & (values < n)).all(), column
    assert ((cut.role_person >= 0) & (cut.role_person < m)).all()
    assert n < world_snapshot.n_firms
    assert {REGISTRY[name].group for name in NETWORK} >= {"people", "group", "supply",
                                                          "bidding", "position"}
