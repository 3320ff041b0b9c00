"""The counterfactual recomputes a firm's own-record features from its records alone: with
nothing removed it must reproduce the bulk computation exactly."""

from __future__ import annotations

import datetime as dt

import numpy as np

from riskgraph.graph.snapshot import Snapshot, day_of
from riskgraph.models.explain import _single_firm
from riskgraph.models.features import compute_features, feature_names, get
from riskgraph.models.features.context import FeatureContext


def test_own_features_of_one_firm_alone_match_the_bulk_ones(world_snapshot: Snapshot) -> None:
    snap = world_snapshot
    t = day_of(dt.date(2024, 1, 1))
    own = [n for n in feature_names(include_soft=True) if get(n).scope == "own"]
    bulk = compute_features(snap, t, own)
    firms = np.unique(snap.rec_subject[~snap.rec_on_person])[:150]
    for i in firms:
        ctx = FeatureContext(_single_firm(snap, int(i), set()), t)
        alone = np.array([get(n)(ctx)[0] for n in own])
        assert np.allclose(alone, bulk.values[i]), snap.uscc[i]


def test_removing_a_penalty_lowers_the_penalty_count(world_snapshot: Snapshot) -> None:
    snap = world_snapshot
    t = day_of(dt.date(2024, 1, 1))
    pen = np.nonzero(~snap.rec_on_person & (snap.rec_issued <= t)
                     & (snap.rec_issued > t - 365) & snap.rec_negative
                     & (snap.rec_kind == 0))[0]
    r = int(pen[0])
    i = int(snap.rec_subject[r])
    before = get("penalties_1y")(FeatureContext(_single_firm(snap, i, set()), t))[0]
    after = get("penalties_1y")(FeatureContext(_single_firm(snap, i, {r}), t))[0]
    assert after == before - 1
