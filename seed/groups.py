"""Corporate groups (up to six levels, cross-holdings) and branches."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from riskgraph.seed.arrays import FloatArray, IntArray, Pools, uniform_int
from riskgraph.seed.firms import BRANCH, NORMAL, Firms
from riskgraph.seed.vocab import (
    AS_OF,
    FOREIGN,
    JOINT_VENTURE,
    REGION_PROVINCE,
    REGION_WEIGHTS,
    STATE_OWNED,
)

MAX_DEPTH = 5
"""Deepest level below a group's root: six levels in all."""


@dataclass
class CompanyLinks:
    """Company → company edges: subsidiary, branch and equity (with their start days)."""

    sub_child: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    sub_parent: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    branch: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    head: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    eq_holder: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    eq_target: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    eq_share: FloatArray = field(default_factory=lambda: np.zeros(0, np.float64))

    def company_held(self, n: int) -> FloatArray:
        """Percent of each firm's equity held by companies."""
        held: FloatArray = np.bincount(self.eq_target, weights=self.eq_share,
                                       minlength=n).astype(np.float64)
        return held


def province_pools() -> Pools:
    """Regions grouped by province (for 'another city in the same province')."""
    return Pools(REGION_PROVINCE, REGION_WEIGHTS)


def build_groups(firms: Firms, rng: np.random.Generator, exclude: IntArray) -> CompanyLinks:
    """Pick group roots, grow random trees below them, add equity and cross-holdings."""
    n = firms.n
    blocked = np.zeros(n, dtype=bool)
    blocked[exclude] = True
    normal = np.nonzero((firms.origin == NORMAL) & ~blocked)[0]
    n_groups = max(2, int(n * 0.012))
    weight = (firms.employees[normal] + 1.0) * np.where(
        firms.ownership[normal] == STATE_OWNED, 4.0, 1.0)
    roots = rng.choice(normal, n_groups, replace=False, p=weight / weight.sum())
    cap = min(400, max(12, n // 60))
    sizes = np.minimum(2 + np.floor(rng.pareto(1.1, n_groups) * 2.5), cap).astype(np.int64)
    is_root = np.zeros(n, dtype=bool)
    is_root[roots] = True
    pool = rng.permutation(normal[~is_root[normal]])
    budget = int(len(pool) * 0.3)
    while sizes.sum() - n_groups > budget:
        sizes = np.maximum(2, sizes * 3 // 4)
    members = pool[: int(sizes.sum() - n_groups)]
    g_of = np.repeat(np.arange(n_groups), sizes - 1)
    start = np.r_[0, np.cumsum(sizes - 1)[:-1]]
    pos = np.arange(len(members)) - start[g_of] + 1  # 1-based position within the group
    ppos = np.floor(rng.random(len(members)) ** 1.6 * pos).astype(np.int64)
    pidx = np.where(ppos > 0, start[g_of] + ppos - 1, -1)
    depth = _depths(pidx)
    while (depth > MAX_DEPTH).any():
        pidx[depth > MAX_DEPTH] = -1
        depth = _depths(pidx)
    parent = np.where(pidx >= 0, members[np.maximum(pidx, 0)], roots[g_of])

    firms.group[roots] = np.arange(n_groups)
    firms.depth[roots] = 0
    firms.group[members] = g_of
    firms.depth[members] = depth
    firms.parent[members] = parent
    firms.listed[roots] |= (firms.employees[roots] > 300) & (rng.random(n_groups) < 0.2)
    _inherit(firms, members, parent, rng)

    share = np.where(rng.random(len(members)) < 0.35, 100.0,
                     np.where(rng.random(len(members)) < 0.77, rng.uniform(51, 99.99, len(members)),
                              rng.uniform(20, 50.99, len(members))))
    links = CompanyLinks(sub_child=members, sub_parent=parent, eq_holder=parent.copy(),
                         eq_target=members.copy(), eq_share=np.round(share, 2))
    _cross_holdings(links, members, g_of, start, sizes, n, rng)
    _strategic_stakes(links, firms, roots, rng)
    return links


def _depths(pidx: IntArray) -> IntArray:
    """Depth of each member (root children are 1) from parent member indices (−1 = root)."""
    depth = np.ones(len(pidx), dtype=np.int64)
    for _ in range(64):
        new = np.where(pidx >= 0, depth[np.maximum(pidx, 0)] + 1, 1)
        if np.array_equal(new, depth):
            break
        depth = np.minimum(new, 64)
    return depth


def _inherit(firms: Firms, members: IntArray, parent: IntArray, rng: np.random.Generator) -> None:
    """Subsidiaries mostly share their parent's region, ownership and often its industry.

    Members are ordered so that parents precede children within a group, so one pass suffices.
    """
    m = len(members)
    u = rng.random(m)
    prov = province_pools()
    same_city = u < 0.55
    same_prov = (u >= 0.55) & (u < 0.75)
    for chunk in np.array_split(np.arange(m), 8):  # parents precede children: a few passes
        c, p = members[chunk], parent[chunk]
        firms.region[c[same_city[chunk]]] = firms.region[p[same_city[chunk]]]
        sp = same_prov[chunk]
        firms.region[c[sp]] = prov.sample(REGION_PROVINCE[firms.region[p[sp]]], rng)
        soe = (firms.ownership[p] == STATE_OWNED) & (rng.random(len(c)) < 0.9)
        firms.ownership[c[soe]] = STATE_OWNED
        fo = np.isin(firms.ownership[p], (FOREIGN, JOINT_VENTURE)) & (rng.random(len(c)) < 0.6)
        firms.ownership[c[fo]] = firms.ownership[p[fo]]
        same_ind = rng.random(len(c)) < 0.5
        firms.industry[c[same_ind]] = firms.industry[p[same_ind]]


def _cross_holdings(links: CompanyLinks, members: IntArray, g_of: IntArray, start: IntArray,
                    sizes: IntArray, n: int, rng: np.random.Generator) -> None:
    """Minority stakes between members of the same group, a quarter of them reciprocal."""
    held = links.company_held(n)
    room = 100.0 - held[members]
    pick = (rng.random(len(members)) < 0.05) & (room >= 4) & (sizes[g_of] >= 3)
    tgt = members[pick]
    g = g_of[pick]
    other = members[start[g] + uniform_int(rng, 0, sizes[g] - 2, len(tgt))]
    ok = (other != tgt) & (other != links.sub_parent[pick])
    tgt, other = tgt[ok], other[ok]
    stake = np.round(room[pick][ok] * rng.uniform(0.2, 0.8, len(tgt)), 2)
    holders, targets, shares = [links.eq_holder, other], [links.eq_target, tgt], [links.eq_share,
                                                                                 stake]
    held2 = held.copy()
    np.add.at(held2, tgt, stake)
    back = (rng.random(len(tgt)) < 0.25) & (100.0 - held2[other] >= 10)
    holders.append(tgt[back])
    targets.append(other[back])
    shares.append(np.round(rng.uniform(1, 9.99, int(back.sum())), 2))
    links.eq_holder = np.concatenate(holders)
    links.eq_target = np.concatenate(targets)
    links.eq_share = np.concatenate(shares)
    _dedupe_equity(links)


def _strategic_stakes(links: CompanyLinks, firms: Firms, roots: IntArray,
                      rng: np.random.Generator) -> None:
    """Group roots taking minority stakes in standalone firms."""
    standalone = np.nonzero((firms.origin == NORMAL) & (firms.group < 0))[0]
    k = min(len(standalone), max(1, len(roots) // 3))
    holders = roots[rng.integers(0, len(roots), k)]
    targets = rng.choice(standalone, k, replace=False)
    links.eq_holder = np.concatenate([links.eq_holder, holders])
    links.eq_target = np.concatenate([links.eq_target, targets])
    links.eq_share = np.concatenate([links.eq_share, np.round(rng.uniform(5, 35, k), 2)])
    _dedupe_equity(links)


def _dedupe_equity(links: CompanyLinks) -> None:
    pair = links.eq_holder * (1 << 32) + links.eq_target
    _, first = np.unique(pair, return_index=True)
    keep = np.sort(first)
    keep = keep[links.eq_holder[keep] != links.eq_target[keep]]
    links.eq_holder, links.eq_target = links.eq_holder[keep], links.eq_target[keep]
    links.eq_share = links.eq_share[keep]


def build_branches(firms: Firms, links: CompanyLinks, rng: np.random.Generator) -> None:
    """Attach every BRANCH firm to a head office (heavy-tailed: chains have many branches)."""
    branches = np.nonzero(firms.origin == BRANCH)[0]
    heads_pool = np.nonzero(firms.origin == NORMAL)[0]
    weight = (firms.employees[heads_pool] + 1.0) ** 1.15
    cum = np.cumsum(weight)
    heads = heads_pool[np.minimum(np.searchsorted(cum, rng.random(len(branches)) * cum[-1]),
                                  len(cum) - 1)]
    m = len(branches)
    firms.head[branches] = heads
    firms.industry[branches] = firms.industry[heads]
    firms.ownership[branches] = firms.ownership[heads]
    u = rng.random(m)
    region = firms.region[branches].copy()
    region[u < 0.25] = firms.region[heads[u < 0.25]]
    mid = (u >= 0.25) & (u < 0.7)
    region[mid] = province_pools().sample(REGION_PROVINCE[firms.region[heads[mid]]], rng)
    firms.region[branches] = region
    head_end = firms.end_day()[heads]
    firms.founded[branches] = uniform_int(rng, firms.founded[heads] + 30,
                                          np.minimum(head_end, AS_OF) - 60, m)
    firms.capital[branches] = np.nan
    firms.listed[branches] = False
    firms.employees[branches] = np.floor(np.exp(rng.normal(1.6, 1.0, m))).astype(np.int64)
    own_end = firms.dissolved[branches]
    own_end = np.where((own_end >= 0) & (own_end <= firms.founded[branches]), -1, own_end)
    end = np.where(firms.dissolved[heads] >= 0,
                   np.where(own_end >= 0, np.minimum(own_end, firms.dissolved[heads]),
                            firms.dissolved[heads]), own_end)
    end = np.where((end >= 0) & (end <= firms.founded[branches]), firms.founded[branches] + 1, end)
    firms.dissolved[branches] = end
    firms.status[branches] = np.where(end >= 0, np.where(firms.status[heads] > 0,
                                                         firms.status[heads], 1), 0)
    firms.status[branches] = np.where((end >= 0) & (firms.status[branches] == 3), 1,
                                      firms.status[branches])
    links.branch, links.head = branches, heads
