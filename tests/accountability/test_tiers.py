"""Tier cut-offs: parsing, validation, assignment at the boundaries."""

from __future__ import annotations

import numpy as np
import pytest

from riskgraph.graph.errors import BadInput
from riskgraph.models.tiers import assign_tiers, parse_cutoffs


def test_assign_tiers_uses_lower_bounds() -> None:
    cut = {"average": 0.1, "high": 0.3, "critical": 0.5}
    tiers = assign_tiers(np.array([0.0, 0.0999, 0.1, 0.3, 0.4999, 0.5, 0.99]), cut)
    assert tiers.tolist() == ["low", "low", "average", "high", "high", "critical", "critical"]


def test_parse_cutoffs() -> None:
    assert parse_cutoffs("critical=0.6, high=0.4,average=0.2") == {
        "average": 0.2, "high": 0.4, "critical": 0.6}


@pytest.mark.parametrize("text, message", [
    ("average=0.2,high=0.1,critical=0.6", "increase"),
    ("average=0.2,high=0.4", "missing"),
    ("average=0.2,high=0.4,critical=0.6,extreme=0.9", "unknown"),
    ("average=x,high=0.4,critical=0.6", "name=number"),
    ("average=0.2,high=0.4,critical=1.5", r"\(0, 1\)"),
])
def test_bad_cutoffs_are_refused(text: str, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        parse_cutoffs(text)
