"""Point-in-time correctness: nothing dated after the as-of date may influence a feature."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from riskgraph.graph.snapshot import DAY_MAX, KINDS, Snapshot, day_of
from riskgraph.models.risk.features import compute_features, feature_names
from riskgraph.models.risk.userdata import UserTable

AS_OF = dt.date(2022, 1, 1)


def _append(snap: Snapshot, prefix: str, extra: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for f in fields(snap):
        if f.name.startswith(prefix):
            arr = getattr(snap, f.name)
            out[f.name] = np.concatenate([arr, np.asarray(extra[f.name], dtype=arr.dtype)])
    return out


def _future(snap: Snapshot, rng: np.random.Generator, t: int) -> Snapshot:
    """The same snapshot plus records, roles, links, supplies, registrations and bids that all
    start after day ``t``, and with every already-future record changed."""
    n, m, k = snap.n_firms, snap.n_persons, 3000
    firms = rng.integers(0, n, k)
    later = t + rng.integers(1, 900, k)
    kinds = rng.integers(0, len(KINDS), k)
    values: dict[str, Any] = {}
    values.update(_append(snap, "rec_", {
        "rec_node": np.arange(k) + 10**9, "rec_subject": firms,
        "rec_on_person": rng.random(k) < 0.2, "rec_kind": kinds,
        "rec_category": np.zeros(k), "rec_negative": np.ones(k, bool), "rec_issued": later,
        "rec_removed": np.full(k, DAY_MAX), "rec_severity": rng.integers(-1, 3, k),
        "rec_amount": rng.random(k) * 1e6, "rec_outcome": rng.integers(-1, 3, k),
        "rec_stream": rng.integers(-1, 5, k), "rec_tax_agency": rng.random(k) < 0.5,
        "rec_id": np.asarray([f"future-{i}" for i in range(k)], dtype=object)}))
    values["rec_subject"] = np.where(values["rec_on_person"],
                                     values["rec_subject"] % max(m, 1), values["rec_subject"])
    future = snap.rec_issued > t
    values["rec_amount"][: len(future)][future] *= 7.0
    values["rec_severity"][: len(future)][future] = 2
    values.update(_append(snap, "role_", {
        "role_person": rng.integers(0, m, k), "role_firm": firms,
        "role_type": rng.integers(0, 4, k), "role_since": later,
        "role_until": np.full(k, DAY_MAX)}))
    values.update(_append(snap, "link_", {
        "link_child": firms, "link_parent": rng.integers(0, n, k),
        "link_kind": rng.integers(0, 2, k), "link_since": later,
        "link_until": np.full(k, DAY_MAX)}))
    values.update(_append(snap, "sup_", {
        "sup_supplier": rng.integers(0, n, k), "sup_customer": firms,
        "sup_value": rng.random(k) * 1e7, "sup_since": later,
        "sup_until": np.full(k, DAY_MAX)}))
    values.update(_append(snap, "addr_", {
        "addr_firm": firms, "addr_id": rng.integers(0, 50, k), "addr_since": later,
        "addr_until": np.full(k, DAY_MAX)}))
    values.update(_append(snap, "contact_", {
        "contact_firm": firms, "contact_id": rng.integers(0, 50, k), "contact_since": later,
        "contact_until": np.full(k, DAY_MAX)}))
    values.update(_append(snap, "bid_", {
        "bid_firm": firms, "bid_tender": rng.integers(10**7, 10**7 + 200, k),
        "bid_id": np.arange(k) + 10**8, "bid_role": np.zeros(k), "bid_status": np.zeros(k),
        "bid_published": later - 10, "bid_deadline": later}))
    # SAME_AS links decided after t (entity resolution) must not merge anybody at t
    values.update(_append(snap, "same_", {
        "same_person": rng.integers(0, m, k), "same_entity": rng.integers(0, 300, k),
        "same_since": later, "same_until": np.full(k, DAY_MAX)}))
    # firms founded after t, and a dissolution after t, must not change anything either
    values["dissolved"] = np.where(rng.random(n) < 0.05, t + 5, snap.dissolved).astype(np.int32)
    values["dissolved"] = np.where(snap.dissolved <= t, snap.dissolved, values["dissolved"])
    return replace(snap, **values)


def test_future_records_and_links_leave_features_unchanged(world_snapshot: Snapshot) -> None:
    t = day_of(AS_OF)
    names = feature_names(include_soft=True)
    before = compute_features(world_snapshot, t, names)
    changed = _future(world_snapshot, np.random.default_rng(1), t)
    after = compute_features(changed, t, names)
    diff = {n: float(np.abs(before.column(n) - after.column(n)).max()) for n in names}
    assert {n: d for n, d in diff.items() if d > 1e-9} == {}
    assert (before.alive == after.alive).all()


def test_the_check_itself_can_fail_records_before_the_date_do_change_features(
        world_snapshot: Snapshot) -> None:
    t = day_of(AS_OF)
    snap = world_snapshot
    moved = replace(snap, rec_issued=np.where(snap.rec_issued > t, t - 1,
                                              snap.rec_issued).astype(np.int32))
    a = compute_features(snap, t, ["penalties_1y"]).values
    b = compute_features(moved, t, ["penalties_1y"]).values
    assert (b >= a).all() and (b > a).any()


def test_user_feature_table_is_joined_point_in_time(world_snapshot: Snapshot,
                                                    tmp_path: Path) -> None:
    firm = str(world_snapshot.uscc[0])
    path = tmp_path / "audits.csv"
    path.write_text(f"uscc,date,audit_score\n{firm},2021-06-01,3\n{firm},2022-06-01,9\n",
                    encoding="utf-8")
    table = UserTable.read(path)
    name = "user_audits_audit_score"
    assert table.feature_columns() == [name]
    at = compute_features(world_snapshot, AS_OF, [name], [table])
    later = compute_features(world_snapshot, dt.date(2022, 7, 1), [name], [table])
    earlier = compute_features(world_snapshot, dt.date(2021, 1, 1), [name], [table])
    assert (at.values[0, 0], later.values[0, 0], earlier.values[0, 0]) == (3.0, 9.0, 0.0)
    assert at.values[1:, 0].max() == 0.0


def test_user_table_without_a_date_column_is_a_clear_error(tmp_path: Path) -> None:
    from riskgraph.graph.errors import BadInput

    path = tmp_path / "x.csv"
    path.write_text("uscc,score\nA,1\n", encoding="utf-8")
    with pytest.raises(BadInput, match="missing column 'date'"):
        UserTable.read(path)
