"""Planted schemes at the firm level: phoenix firms, shell clusters, cartels, tainted chains.

The person-level parts (shared people, nominees) are applied in people.py and places.py, the
events (blacklistings, bans) in records.py; this module decides who is involved and when.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from riskgraph.seed.arrays import BoolArray, IntArray, Pools, uniform_int
from riskgraph.seed.firms import NORMAL, SHELL, SUCCESSOR, Firms, end_firms
from riskgraph.seed.vocab import (
    ACTIVE,
    AS_OF,
    INDUSTRY_TENDER,
    INDUSTRY_TIER,
    PRIVATE,
    REGION_PROVINCE,
    REGION_WEIGHTS,
    REVOKED,
    SHELL_INDUSTRIES,
    TENDER_CATEGORIES,
    day,
    industry_index,
)

CARTEL_LINKS = ("shared_legal_representative", "shared_address", "shared_phone", "none")
LINK_WEIGHTS = np.array([0.35, 0.2, 0.15, 0.3])


@dataclass
class Forced:
    """Events a scheme requires: (subject index, kind, day, removal day or -1, severity)."""

    subject: list[IntArray] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    day: list[IntArray] = field(default_factory=list)
    removed: list[IntArray] = field(default_factory=list)
    severity: list[int] = field(default_factory=list)

    def add(self, subject: IntArray, kind: str, days: IntArray, removed: IntArray,
            severity: int) -> None:
        self.subject.append(subject)
        self.kind.append(kind)
        self.day.append(days)
        self.removed.append(removed)
        self.severity.append(severity)


@dataclass
class Plan:
    """Who takes part in which planted scheme."""

    taken: BoolArray
    phoenix_pred: IntArray
    phoenix_succ: IntArray
    phoenix_listed_on: IntArray
    shell_firms: IntArray
    shell_cluster: IntArray
    cartel_members: list[IntArray] = field(default_factory=list)
    cartel_link: list[str] = field(default_factory=list)
    cartel_category: list[int] = field(default_factory=list)
    cartel_province: list[int] = field(default_factory=list)
    chains: tuple[IntArray, IntArray, IntArray] | None = None
    chain_listed_on: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    firm_events: Forced = field(default_factory=Forced)
    person_events: Forced = field(default_factory=Forced)


def shell_sizes(n: int, rng: np.random.Generator) -> IntArray:
    """Cluster sizes (firms per shared address / nominee): 8 to 60, heavy-tailed."""
    clusters = max(2, n // 8000)
    sizes: IntArray = np.minimum(8 + np.floor(rng.pareto(1.3, clusters) * 6), 60).astype(np.int64)
    return sizes


def plan_phoenix(firms: Firms, rng: np.random.Generator) -> Plan:
    """Pair each SUCCESSOR with a blacklisted, then dissolved, predecessor."""
    succ = np.nonzero(firms.origin == SUCCESSOR)[0]
    cand = np.nonzero((firms.origin == NORMAL) & (firms.ownership == PRIVATE)
                      & (firms.founded <= day(2018, 6)) & (firms.dissolved < 0))[0]
    pred = np.sort(rng.choice(cand, len(succ), replace=False))
    listed_on = uniform_int(rng, np.maximum(firms.founded[pred] + 365, day(2019)),
                            day(2024, 6), len(pred))
    end_firms(firms, pred, listed_on + uniform_int(rng, 20, 240, len(pred)), rng)
    m = len(succ)
    firms.founded[succ] = np.minimum(firms.dissolved[pred] + uniform_int(rng, 0, 180, m),
                                     AS_OF - 10)
    keep_ind = rng.random(m) < 0.8
    firms.industry[succ] = np.where(keep_ind, firms.industry[pred], firms.industry[succ])
    moved = rng.random(m) < 0.4
    other = _other_province_region(firms.region[pred], rng)
    firms.region[succ] = np.where(moved, other, firms.region[pred])
    firms.ownership[succ] = PRIVATE
    firms.employees[succ] = firms.employees[pred]
    firms.dissolved[succ] = -1
    firms.status[succ] = ACTIVE
    firms.listed[succ] = False
    taken = np.zeros(firms.n, dtype=bool)
    taken[pred] = True
    taken[succ] = True
    plan = Plan(taken=taken, phoenix_pred=pred, phoenix_succ=succ, phoenix_listed_on=listed_on,
                shell_firms=np.zeros(0, np.int64), shell_cluster=np.zeros(0, np.int64))
    removed = np.full(m, -1, dtype=np.int64)
    plan.firm_events.add(pred, "serious_dishonest_enterprise_list", listed_on, removed, 1)
    return plan


def _other_province_region(region: IntArray, rng: np.random.Generator) -> IntArray:
    """A random region (weighted) in a different province from each given one."""
    out = region.copy()
    cum = np.cumsum(REGION_WEIGHTS)
    todo = np.ones(len(region), dtype=bool)
    for _ in range(20):
        if not todo.any():
            break
        draw = np.minimum(np.searchsorted(cum, rng.random(int(todo.sum())) * cum[-1]),
                          len(cum) - 1)
        out[todo] = draw
        todo = REGION_PROVINCE[out] == REGION_PROVINCE[region]
    return out


def plan_shells(firms: Firms, plan: Plan, sizes: IntArray, rng: np.random.Generator) -> None:
    """Shell clusters: many tiny, recent firms at one address under one nominee."""
    shells = np.nonzero(firms.origin == SHELL)[0]
    cluster = np.repeat(np.arange(len(sizes)), sizes)[: len(shells)]
    k = len(sizes)
    cum = np.cumsum(REGION_WEIGHTS)
    c_region = np.minimum(np.searchsorted(cum, rng.random(k) * cum[-1]), len(cum) - 1)
    c_start = uniform_int(rng, day(2016), day(2024, 3), k)
    m = len(shells)
    firms.region[shells] = c_region[cluster]
    inds = np.array([industry_index(c) for c in SHELL_INDUSTRIES])
    firms.industry[shells] = inds[rng.integers(0, len(inds), m)]
    firms.founded[shells] = np.minimum(c_start[cluster] + uniform_int(rng, 0, 600, m), AS_OF - 30)
    firms.employees[shells] = rng.integers(0, 4, m)
    firms.capital[shells] = np.round(np.exp(rng.uniform(np.log(1e5), np.log(5e7), m)) / 1e4) * 1e4
    firms.ownership[shells] = PRIVATE
    firms.listed[shells] = False
    revoke = rng.random(m) < 0.35
    end = firms.founded[shells] + uniform_int(rng, 365, 1400, m)
    revoke &= end < AS_OF
    firms.dissolved[shells] = np.where(revoke, end, -1)
    firms.status[shells] = np.where(revoke, REVOKED, ACTIVE)
    plan.shell_firms, plan.shell_cluster = shells, cluster
    plan.taken[shells] = True


def plan_cartels(firms: Firms, plan: Plan, rng: np.random.Generator) -> None:
    """Bid-rigging cartels: 3–8 established firms of one province and tender category."""
    n_cartels = max(2, firms.n // 5000)
    category = firms.industry.copy()
    category = INDUSTRY_TENDER[category]
    ok = ((firms.origin == NORMAL) & ~plan.taken & (category >= 0) & (firms.dissolved < 0)
          & (firms.founded <= day(2017)) & (firms.group < 0))
    idx = np.nonzero(ok)[0]
    key = REGION_PROVINCE[firms.region[idx]] * 4 + category[idx]
    pools = Pools(key, np.ones(len(idx)), idx)
    sizes = pools.end - pools.start
    for _ in range(n_cartels):
        cat = int(rng.choice(3, p=[0.3, 0.5, 0.2]))
        usable = np.nonzero((pools.keys % 4 == cat) & (sizes >= 12))[0]
        if len(usable) == 0:
            usable = np.nonzero(sizes >= 12)[0]
        if len(usable) == 0:  # a small world: use its biggest local market
            usable = np.argsort(-sizes, kind="stable")[:2]
        p = usable[rng.integers(0, len(usable))]
        cand = pools.items[pools.start[p]: pools.end[p]]
        cand = cand[~plan.taken[cand]]
        m = min(int(rng.integers(3, 9)), len(cand))
        if m < 3:
            continue
        members = np.sort(rng.choice(cand, m, replace=False))
        plan.taken[members] = True
        plan.cartel_members.append(members)
        plan.cartel_link.append(CARTEL_LINKS[int(rng.choice(4, p=LINK_WEIGHTS))])
        plan.cartel_category.append(int(pools.keys[p] % 4))
        plan.cartel_province.append(int(pools.keys[p] // 4))


def plan_chains(firms: Firms, plan: Plan, rng: np.random.Generator
                ) -> tuple[IntArray, IntArray, IntArray]:
    """Contaminated chains B → M → F: B (blacklisted, still listed) supplies M, M supplies F."""
    k = max(3, firms.n // 3000)
    alive = (firms.dissolved < 0) & (firms.founded <= day(2018)) & ~plan.taken
    alive &= firms.origin == NORMAL
    tier = INDUSTRY_TIER[firms.industry]
    b_pool = np.nonzero(alive & (tier <= 1))[0]
    m_pool = np.nonzero(alive & ((tier == 1) | (tier == 2)))[0]
    f_pool = np.nonzero(alive & (tier >= 2) & (tier <= 3))[0]
    k = min(k, len(b_pool), len(m_pool) // 2, len(f_pool) // 2)
    b = rng.choice(b_pool, k, replace=False)
    plan.taken[b] = True
    m_free = m_pool[~plan.taken[m_pool]]
    m = rng.choice(m_free, min(k, len(m_free)), replace=False)
    plan.taken[m] = True
    f_free = f_pool[~plan.taken[f_pool]]
    k = min(len(m), len(f_free))
    f = rng.choice(f_free, k, replace=False)
    b, m = b[:k], m[:k]
    plan.taken[f] = True
    listed_on = uniform_int(rng, day(2020), day(2024, 10), k)
    plan.chains = (b, m, f)
    plan.chain_listed_on = listed_on
    plan.firm_events.add(b, "serious_dishonest_enterprise_list", listed_on,
                         np.full(k, -1, dtype=np.int64), 2)
    return plan.chains


def category_name(code: int) -> str:
    return TENDER_CATEGORIES[code]
