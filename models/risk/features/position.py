"""Features from the firm's position in the graph: centrality, community, shared addresses,
phoenix signal, industry peers."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from riskgraph.models.risk.features.context import FeatureContext, FloatArray, dense
from riskgraph.models.risk.features.counts import (
    NO_RECORDS,
    Network,
    community,
)
from riskgraph.models.risk.features.registry import feature

SHRINK = 5.0
"""Pseudo-firms at the overall rate added to every community (small communities shrink)."""


@feature("position", counts=NO_RECORDS)
def degree_centrality(ctx: FeatureContext) -> FloatArray:
    """Connected to many firms.

    log10(1 + number of distinct firms linked by shared key people, group links, supplies or
    co-bidding)."""
    return dense(np.log10(1.0 + np.diff(ctx.ties.indptr).astype(np.float64)))


@feature("position", counts=NO_RECORDS)
def pagerank(ctx: FeatureContext) -> FloatArray:
    """Central in the registry graph.

    PageRank (damping 0.85, 30 power iterations) on the same undirected firm graph, scaled so the
    average firm scores 1, then log10(1 + x)."""
    m = ctx.ties
    deg = np.asarray(m.sum(axis=1)).ravel()
    inv = np.where(deg > 0, 1.0 / np.maximum(deg, 1.0), 0.0)
    walk = sp.csr_matrix(m.T @ sp.diags(inv))
    n = ctx.n
    rank = np.full(n, 1.0 / n)
    dangling = deg == 0
    for _ in range(30):
        rank = 0.85 * (walk @ rank + rank[dangling].sum() / n) + 0.15 / n
    return np.log10(1.0 + rank * n)


@feature("position", counts=Network(community, "penalised_3y"))
def community_violation_rate(ctx: FeatureContext) -> FloatArray:
    """Its community (firms tied by shared people or group links) is often penalised.

    In the connected component of shared key people and group links: the share of other firms
    with an administrative penalty in three years, shrunk towards the overall rate with five
    pseudo-firms."""
    _, label = connected_components(ctx.strong_ties, directed=False)
    pen = ctx.penalised_3y.astype(np.float64)
    alive = ctx.existed.astype(np.float64)
    size = np.bincount(label, weights=alive)
    hits = np.bincount(label, weights=pen * alive)
    overall = pen[ctx.alive].mean() if ctx.alive.any() else 0.0
    others = size[label] - alive
    return dense((hits[label] - pen * alive + SHRINK * overall) / (others + SHRINK))


@feature("position", counts=NO_RECORDS)
def address_cluster_size(ctx: FeatureContext) -> FloatArray:
    """Many firms registered at the same address.

    log10(1 + number of other live firms registered at its address)."""
    return np.log10(1.0 + ctx.address_sharers)


@feature("position", counts=NO_RECORDS)
def shared_contact_size(ctx: FeatureContext) -> FloatArray:
    """Its phone number or e-mail is shared with other firms.

    log10(1 + largest number of other live firms sharing one of its contact points)."""
    return np.log10(1.0 + ctx.contact_sharers)


@feature("position", counts=NO_RECORDS)
def phoenix_signal(ctx: FeatureContext) -> FloatArray:
    """Its people ran a firm that was blacklisted and then dissolved (a possible phoenix).

    Number of current key persons who held any role in a firm that was dissolved by the as-of
    date after a serious-dishonest listing or procurement ban issued before its dissolution
    (people read through the entity resolution as of that date)."""
    s = ctx.snap
    bad_firm = ctx.blacklisted_then_dissolved
    held = (s.role_since <= ctx.t) & bad_firm[s.role_firm]
    bad_person = np.zeros(ctx.n_people, dtype=bool)
    bad_person[ctx.role_person[held]] = True
    ok = ctx.key_roles & bad_person[ctx.role_person] & ~bad_firm[s.role_firm]
    return np.bincount(s.role_firm[ok], minlength=ctx.n).astype(np.float64)


@feature("position", counts=NO_RECORDS)
def industry_violation_rate(ctx: FeatureContext) -> FloatArray:
    """Its industry is often penalised.

    Share of other live firms in the same industry division with an administrative penalty in
    three years."""
    codes, inv = np.unique(ctx.snap.industry.astype(str), return_inverse=True)
    alive = ctx.alive.astype(np.float64)
    pen = ctx.penalised_3y.astype(np.float64) * alive
    size = np.bincount(inv, weights=alive, minlength=len(codes))
    hits = np.bincount(inv, weights=pen, minlength=len(codes))
    others = size[inv] - alive
    return np.where(others > 0, (hits[inv] - pen) / np.maximum(others, 1.0), 0.0)

