"""Network features through registry links (licence holder, legal name, address, phone), on the
real Chicago slice: they count what they say, and nothing dated after the as-of date."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest

from riskgraph.graph.config import PROJECT_ROOT
from riskgraph.graph.snapshot import DAY_MAX, HOLDER, Snapshot, day_of
from riskgraph.models.features import compute_features
from riskgraph.models.features.context import INSPECTIONS, FeatureContext

FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "chicago"
AS_OF = dt.date(2013, 6, 1)
SIBLING_FEATURES = ["holder_siblings", "legal_name_siblings", "sibling_violations_3y",
                    "sibling_violation_rate_3y", "holder_violation_rate_3y"]


@pytest.fixture(scope="module")
def chicago() -> Snapshot:
    return Snapshot.from_world(FIXTURE)


def test_holder_siblings_count_the_other_licences_of_the_holder(chicago: Snapshot) -> None:
    t = day_of(AS_OF)
    ctx = FeatureContext(chicago, t)
    mine = chicago.shared_kind == HOLDER
    firm, holder = chicago.shared_firm[mine], chicago.shared_id[mine]
    alive = ctx.alive[firm] & (chicago.shared_since[mine] <= t)
    sizes = {h: int(alive[holder == h].sum()) for h in np.unique(holder)}
    expected = np.zeros(chicago.n_firms)
    for f, h, ok in zip(firm, holder, alive, strict=True):
        if ok:
            expected[f] = sizes[h] - 1
    got = compute_features(chicago, t, ["holder_siblings"]).column("holder_siblings")
    assert np.allclose(got, np.log10(1.0 + expected))
    assert (expected >= 2).any()  # the slice has multi-licence holders


def test_sibling_violations_count_only_inspections_before_the_date(chicago: Snapshot) -> None:
    t = day_of(AS_OF)
    before = compute_features(chicago, t, SIBLING_FEATURES)
    assert before.column("sibling_violations_3y").max() > 0
    rng = np.random.default_rng(3)
    k = 400
    firms = rng.integers(0, chicago.n_firms, k)
    later = (t + rng.integers(1, 600, k)).astype(np.int32)
    kind = INSPECTIONS[0]
    future = replace(
        chicago,
        shared_firm=np.concatenate([chicago.shared_firm, firms]),
        shared_id=np.concatenate([chicago.shared_id, rng.integers(0, 5, k)]),
        shared_kind=np.concatenate([chicago.shared_kind, rng.integers(0, 2, k).astype(np.int8)]),
        shared_since=np.concatenate([chicago.shared_since, later]),
        shared_until=np.concatenate([chicago.shared_until, np.full(k, DAY_MAX, np.int32)]),
        addr_firm=np.concatenate([chicago.addr_firm, firms]),
        addr_id=np.concatenate([chicago.addr_id, rng.integers(0, 5, k)]),
        addr_since=np.concatenate([chicago.addr_since, later]),
        addr_until=np.concatenate([chicago.addr_until, np.full(k, DAY_MAX, np.int32)]),
        # every inspection after the date now found a serious violation
        rec_outcome=np.where(chicago.rec_issued > t, 2, chicago.rec_outcome).astype(np.int8),
    )
    future = replace(future, rec_kind=np.where(future.rec_issued > t, kind,
                                               future.rec_kind).astype(np.int16))
    after = compute_features(future, t, SIBLING_FEATURES)
    assert np.abs(before.values - after.values).max() == 0.0


def test_the_leakage_check_can_fail(chicago: Snapshot) -> None:
    t = day_of(AS_OF)
    moved = replace(chicago, rec_issued=np.where(chicago.rec_issued > t, t,
                                                 chicago.rec_issued).astype(np.int32))
    a = compute_features(chicago, t, ["sibling_violations_3y"]).values
    b = compute_features(moved, t, ["sibling_violations_3y"]).values
    assert (b >= a).all() and (b > a).any()
