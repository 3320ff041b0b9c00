"""Every feature declares what it counts on its ``@feature(..., counts=...)``
(models/risk/features/counts.py): the explanation cites from that declaration alone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from riskgraph.models.risk.features import feature_names
from riskgraph.models.risk.features.counts import (
    NO_RECORDS,
    PERSON_LISTINGS,
    SIGNALS,
    Network,
    Own,
)
from riskgraph.models.risk.features.registry import REGISTRY, feature, get


def test_every_feature_declares_what_it_counts() -> None:
    undeclared = [n for n in feature_names(include_soft=True) if get(n).counts is None]
    assert not undeclared, f"features without counts=... on @feature: {undeclared}"


def test_every_network_feature_counts_a_known_signal() -> None:
    unknown = {n: c.signal for n in feature_names(include_soft=True)
               if isinstance(c := get(n).counts, Network) and c.signal not in SIGNALS}
    assert not unknown, unknown


def test_the_own_record_features_are_the_ones_scoped_to_own_records() -> None:
    """An own-record declaration on a network-scoped feature (or the reverse, other than the
    attributes that count nothing) would cite records the counterfactual never recomputes."""
    for name in feature_names(include_soft=True):
        f = get(name)
        if isinstance(f.counts, Own):
            assert f.scope == "own", name
        if isinstance(f.counts, Network) or f.counts == PERSON_LISTINGS:
            assert f.scope != "own", name


def test_the_check_fails_on_a_feature_without_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("riskgraph.models.risk.features.registry.REGISTRY", dict(REGISTRY))
    register: Callable[[Any], Any] = feature("own", scope="own")

    def undeclared_feature(ctx: Any) -> Any:
        """A feature that forgot its counts."""
        return ctx

    register(undeclared_feature)
    with pytest.raises(AssertionError, match="undeclared_feature"):
        test_every_feature_declares_what_it_counts()
    feature("own", scope="own", counts=NO_RECORDS)(undeclared_feature)
    test_every_feature_declares_what_it_counts()
