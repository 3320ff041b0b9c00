"""The feature registry: every feature is a named function whose docstring is its explanation.

A feature takes a :class:`~models.risk.features.context.FeatureContext` (a snapshot seen as of one
date) and returns one float per firm. The first docstring line is the plain-language reason
shown to users when the feature raises a firm's risk; the rest documents how it is computed.

``group`` says where the evidence lives (own records, people, group, supply, bidding, position,
attributes, merits). ``scope="own"`` marks features that depend only on the firm's own records
and attributes (the counterfactual recomputes exactly those). ``soft=True`` marks soft-merit
inputs (donations, honours, redlists, political links), left out of the inspection model by
default: they measure favour, not compliance (docs/model-card.md). ``counts`` declares the
records the feature counts, which its explanation cites (models/risk/features/counts.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from riskgraph.models.risk.features.context import FeatureContext
    from riskgraph.models.risk.features.counts import Counts

FloatArray = npt.NDArray[np.float64]
FeatureFn = Callable[["FeatureContext"], FloatArray]
GROUPS = ("own", "attributes", "people", "group", "supply", "bidding", "position", "merits")


@dataclass(frozen=True)
class Feature:
    name: str
    fn: FeatureFn
    group: str
    scope: str
    soft: bool
    counts: Counts | None
    """What it counts (models/risk/features/counts.py); None: undeclared, which
    tests/models/risk/test_feature_counts.py refuses."""

    @property
    def doc(self) -> str:
        return (self.fn.__doc__ or self.name).strip()

    @property
    def reason(self) -> str:
        """The first docstring line: the plain-language reason shown to users."""
        return self.doc.splitlines()[0].strip()

    def __call__(self, ctx: FeatureContext) -> FloatArray:
        return np.asarray(self.fn(ctx), dtype=np.float64)


REGISTRY: dict[str, Feature] = {}


def feature(group: str, *, scope: str = "network", soft: bool = False,
            counts: Counts | None = None) -> Callable[[FeatureFn], FeatureFn]:
    """Register a feature function under its own name, with what it ``counts`` (the records
    its explanation cites: models/risk/features/counts.py)."""
    if group not in GROUPS:
        raise ValueError(f"unknown feature group {group!r}")

    def wrap(fn: FeatureFn) -> FeatureFn:
        if not (fn.__doc__ or "").strip():
            raise ValueError(f"feature {fn.__name__} needs a docstring (its explanation)")
        REGISTRY[fn.__name__] = Feature(fn.__name__, fn, group, scope, soft, counts)
        return fn

    return wrap


def feature_names(include_soft: bool = False) -> list[str]:
    """The model's feature list, in registry order."""
    _load()
    ordered = sorted(REGISTRY.values(), key=lambda f: GROUPS.index(f.group))
    return [f.name for f in ordered if include_soft or not f.soft]


def get(name: str) -> Feature:
    _load()
    return REGISTRY[name]


def contract_hash(names: list[str]) -> str:
    """A digest of the feature names and their definitions (docstrings)."""
    _load()
    h = hashlib.sha256()
    for name in names:
        h.update(name.encode())
        h.update(REGISTRY[name].doc.encode() if name in REGISTRY else b"user")
    return h.hexdigest()[:16]


def _load() -> None:
    """Import the feature modules (registration happens at import)."""
    from riskgraph.models.risk.features import (  # noqa: F401
        attributes,
        bidding,
        groups,
        merits,
        own,
        people,
        position,
        siblings,
        supply,
    )
