"""Firm partitions of a snapshot: what a feature computed from the firm's own data needs.

A feature of scope ``own`` (models/risk/features/registry.py: it reads only the firm's own
credit records and attributes) takes the same value from a snapshot holding a range of firms
and their own records as from the whole snapshot: every such feature is a per-firm count,
maximum, recency or attribute over the firm's rows, in their snapshot order. So those features
are computed on firm partitions whose size does not grow with the world. Network features (the
other scopes) read a firm's people, group, suppliers, co-bidders or global aggregates and stay
on the whole snapshot (docs/national-scale.md says what each needs).
"""

from __future__ import annotations

from dataclasses import fields
from itertools import pairwise
from typing import Any

import numpy as np

from riskgraph.graph.snapshot import Snapshot
from riskgraph.models.risk.features.registry import get

FIRM_FIELDS = ("uscc", "company_node", "region", "industry", "ownership", "founded",
               "dissolved", "employees", "listed")
"""The per-firm columns (sliced with the firm range)."""


def own_scope(name: str) -> bool:
    """Whether ``name`` is computed from each firm's own data alone (user-table features
    too: a firm's latest row)."""
    if name.startswith("user_"):
        return True
    try:
        return get(name).scope == "own"
    except KeyError:
        return False


def firm_bounds(n: int, parts: int) -> list[tuple[int, int]]:
    """``parts`` contiguous firm ranges covering ``0..n`` (none empty unless ``n`` is 0)."""
    parts = max(1, min(parts, n)) if n else 1
    edges = np.linspace(0, n, parts + 1).astype(np.int64)
    return [(int(a), int(b)) for a, b in pairwise(edges.tolist())]


def firm_slice(snap: Snapshot, lo: int, hi: int) -> Snapshot:
    """Firms ``lo..hi-1`` with their own credit records (in snapshot order, subjects
    renumbered from 0); no persons, roles, links, supplies, registrations or bids."""
    mine = ~snap.rec_on_person & (snap.rec_subject >= lo) & (snap.rec_subject < hi)
    values: dict[str, Any] = {}
    for f in fields(snap):
        column = getattr(snap, f.name)
        if f.name in FIRM_FIELDS:
            values[f.name] = column[lo:hi].copy()
        elif f.name.startswith("rec_"):
            values[f.name] = column[mine]
        else:
            values[f.name] = column[:0].copy()
    values["rec_subject"] = values["rec_subject"] - lo
    return Snapshot(**values)
