"""Network features computed on firm slices with their halo equal the whole snapshot's, bit
for bit (no Spark needed): what lets the Spark engine cut them by firm."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskgraph.graph.config import PROJECT_ROOT
from riskgraph.graph.snapshot import DAY_MAX, DAY_MIN, Snapshot
from riskgraph.models.risk.features import compute_features, feature_names
from riskgraph.models.risk.features.context import FeatureContext, signal_matrix
from riskgraph.models.risk.features.registry import REGISTRY
from riskgraph.models.spark.features import feature_work
from riskgraph.models.spark.halo import (
    BID_FEATURES,
    FIRM_COLUMNS,
    GLOBAL_FEATURES,
    HaloIndex,
    bids_view,
    global_view,
    halo_rows,
    halo_scope,
    network_slice,
)
from riskgraph.models.spark.partition import firm_bounds, firm_slice, own_scope

NETWORK = [n for n in feature_names(include_soft=True) if halo_scope(n)]


def _resolved(snap: Snapshot) -> Snapshot:
    """``snap`` with each person resolved with one far away in the index (entities span
    slices)."""
    ids = snap.person_id.astype(str)
    pairs = [f"e{min(i, len(ids) - 1 - i)}" for i in range(len(ids))]
    return snap.with_resolution(ids, pairs, [DAY_MIN] * len(ids), [DAY_MAX] * len(ids))


def _signals(snap: Snapshot, as_of: int) -> np.ndarray:
    """The firms' signals, from their own records on firm slices (as the Spark own tasks)."""
    return np.vstack([signal_matrix(FeatureContext(firm_slice(snap, lo, hi), as_of))
                      for lo, hi in firm_bounds(snap.n_firms, 7)])


def _sliced(snap: Snapshot, parts: int, core_rows: bool = False) -> np.ndarray:
    as_of = snap.data_end + 1
    signals = _signals(snap, as_of)
    out = []
    for lo, hi in firm_bounds(snap.n_firms, parts):
        cut = network_slice(snap, lo, hi)
        ctx = FeatureContext(cut.snap, as_of, rows=cut.core if core_rows else None,
                             signals=signals[cut.firms])
        out.append(compute_features(cut.snap, as_of, NETWORK, context=ctx).values[cut.core])
    return np.vstack(out)


def _reference_rows(s: Snapshot, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray,
                                                            dict[str, np.ndarray]]:
    """The halo by definition (halo.py's module doc), one scan of the snapshot per row
    group: the firms, persons and rows (per group) as ascending positions."""
    n = s.n_firms
    core = np.zeros(n, dtype=bool)
    core[lo:hi] = True
    people = np.zeros(s.n_persons, dtype=bool)
    people[s.role_person[core[s.role_firm]]] = True
    entities = np.unique(s.same_entity[people[s.same_person]])
    people[s.same_person[np.isin(s.same_entity, entities)]] = True
    rows = {"role_": people[s.role_person], "same_": people[s.same_person],
            "link_": core[s.link_child] | core[s.link_parent]}
    bought = np.zeros(len(s.sup_customer), dtype=bool)
    tier = core
    for _ in range(3):
        buys = tier[s.sup_customer]
        bought |= buys
        tier = np.zeros(n, dtype=bool)
        tier[s.sup_supplier[buys]] = True
    rows["sup_"] = bought | core[s.sup_supplier]
    for group, firm, key in (("addr_", s.addr_firm, s.addr_id),
                             ("contact_", s.contact_firm, s.contact_id),
                             ("bid_", s.bid_firm, s.bid_tender)):
        rows[group] = np.isin(key, np.unique(key[core[firm]]))
    shared = np.zeros(len(s.shared_firm), dtype=bool)
    for kind in np.unique(s.shared_kind):
        mine = s.shared_kind == kind
        shared |= mine & np.isin(s.shared_id, np.unique(s.shared_id[mine & core[s.shared_firm]]))
    rows["shared_"] = shared
    firms = core.copy()
    for column in FIRM_COLUMNS:
        firms[getattr(s, column)[rows[column.split("_")[0] + "_"]]] = True
    on_person = s.rec_on_person.copy()
    on_person[on_person] = people[s.rec_subject[on_person]]
    rows["rec_"] = on_person
    return (np.nonzero(firms)[0], np.nonzero(people)[0],
            {g: np.nonzero(mask)[0] for g, mask in rows.items()})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_gathered_halo_is_the_halo_by_definition(world_snapshot: Snapshot,
                                                     data: st.DataObject) -> None:
    snap = _resolved(world_snapshot) if data.draw(st.booleans()) else world_snapshot
    n = snap.n_firms
    lo = data.draw(st.integers(0, n - 1))
    hi = data.draw(st.integers(lo + 1, min(n, lo + data.draw(st.sampled_from([1, 30, 900])))))
    firms, persons, rows = halo_rows(snap, lo, hi, HaloIndex.of(snap))
    want_firms, want_persons, want_rows = _reference_rows(snap, lo, hi)
    assert np.array_equal(firms, want_firms) and np.array_equal(persons, want_persons)
    assert rows.keys() == want_rows.keys()
    for group, want in want_rows.items():
        assert np.array_equal(rows[group], want), group


def test_the_halo_of_a_snapshot_without_rows_is_its_core(world_snapshot: Snapshot) -> None:
    bare = bids_view(world_snapshot)  # firms and bids, no persons, links, keys or records
    cut = network_slice(bare, 10, 20)
    assert cut.snap.n_persons == 0 and len(cut.snap.rec_id) == 0
    assert np.array_equal(cut.firms, _reference_rows(bare, 10, 20)[0])


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


def test_the_signals_of_firm_slices_are_the_whole_snapshots(world_snapshot: Snapshot) -> None:
    for as_of in (world_snapshot.data_end + 1, world_snapshot.data_end - 500):
        whole = signal_matrix(FeatureContext(world_snapshot, as_of))
        assert np.array_equal(_signals(world_snapshot, as_of), whole)
        assert (whole != 0).any(axis=0).all()  # every signal is set somewhere


def test_a_halo_holds_no_firm_record_and_reads_the_signals(world_snapshot: Snapshot) -> None:
    as_of = world_snapshot.data_end + 1
    lo, hi = 900, 1500
    cut = network_slice(world_snapshot, lo, hi)
    assert cut.snap.rec_on_person.all() and len(cut.snap.rec_id) > 0  # the persons' listings
    assert set(cut.snap.uscc.tolist()) == {""}  # texts no halo feature reads
    whole = compute_features(world_snapshot, as_of, NETWORK).values[lo:hi]
    signals = _signals(world_snapshot, as_of)[cut.firms]
    told = FeatureContext(cut.snap, as_of, rows=cut.core, signals=signals)
    got = compute_features(cut.snap, as_of, NETWORK, context=told, rows=cut.core)
    assert got.values.shape == (hi - lo, len(NETWORK)) and np.array_equal(got.values, whole)
    blind = compute_features(cut.snap, as_of, NETWORK).values[cut.core]  # no signals given
    assert not np.array_equal(blind, whole)
    with pytest.raises(ValueError, match="signals of shape"):
        FeatureContext(cut.snap, as_of, signals=signals[:-1])


def test_without_the_halo_the_network_features_differ(world_snapshot: Snapshot) -> None:
    as_of = world_snapshot.data_end + 1
    whole = compute_features(world_snapshot, as_of, NETWORK).values
    bare = np.vstack([compute_features(firm_slice(world_snapshot, lo, hi), as_of,
                                       NETWORK).values
                      for lo, hi in firm_bounds(world_snapshot.n_firms, 5)])
    differ = [n for j, n in enumerate(NETWORK) if not np.array_equal(bare[:, j], whole[:, j])]
    assert len(differ) > len(NETWORK) // 2


def test_slices_read_people_through_the_resolution(world_snapshot: Snapshot) -> None:
    snap = _resolved(world_snapshot)
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
    assert cut.firms[cut.core].tolist() == list(range(lo, hi))
    assert np.array_equal(cut.snap.founded, world_snapshot.founded[cut.firms])
    signals = _signals(world_snapshot, as_of)[cut.firms]
    rows = cut.core if data.draw(st.booleans()) else None
    ctx = FeatureContext(cut.snap, as_of, rows=rows, signals=signals)
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
    signals = _signals(world_snapshot, world_snapshot.data_end + 1)
    for w in feature_work(world_snapshot, names, 4, network, signals):
        for name in w.names:
            covered[w.lo:w.hi, names.index(name)] += 1
    assert (covered == 1).all()
    with pytest.raises(ValueError, match="network="):
        feature_work(world_snapshot, names, 4, "by-magic")
    if network == "halo":
        with pytest.raises(ValueError, match="signals"):
            list(feature_work(world_snapshot, names, 4, network))


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


def test_a_real_register_on_slices_equals_the_whole() -> None:
    # the City of Chicago's licences (tests/fixtures/chicago): holders, legal names and
    # addresses shared between licences, whose inspections reach the siblings' features
    snap = Snapshot.from_world(PROJECT_ROOT / "tests" / "fixtures" / "chicago")
    as_of = snap.data_end + 1
    whole = compute_features(snap, as_of, NETWORK).values
    used = [n for j, n in enumerate(NETWORK) if (whole[:, j] != 0).any()]
    assert {"sibling_violations_3y", "holder_siblings", "address_cluster_size"} <= set(used)
    assert np.array_equal(_sliced(snap, 7, core_rows=True), whole)
    cut = network_slice(snap, 0, 40)  # without the signals, the siblings' inspections are lost
    zero = np.zeros((cut.snap.n_firms, _signals(snap, as_of).shape[1]))
    blind = compute_features(cut.snap, as_of, NETWORK, rows=cut.core,
                             context=FeatureContext(cut.snap, as_of, signals=zero)).values
    assert not np.array_equal(blind, whole[:40])
