"""Supply chains: suppliers drawn one tier up the chain, preferentially from big firms."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from riskgraph.seed.arrays import FloatArray, IntArray, Pools, uniform_int
from riskgraph.seed.firms import BRANCH, SHELL, Firms
from riskgraph.seed.schemes import Plan
from riskgraph.seed.vocab import AS_OF, INDUSTRY_TIER, REGION_PROVINCE

SERVICES_TIER = 4


@dataclass
class Supplies:
    supplier: IntArray
    customer: IntArray
    annual_value: FloatArray
    since: IntArray
    until: IntArray  # -1 open


def build_supplies(firms: Firms, plan: Plan, rng: np.random.Generator) -> Supplies:
    """Each firm buys from 0–40 suppliers (negative binomial, more for big firms)."""
    n = firms.n
    tier = INDUSTRY_TIER[firms.industry]
    can_supply = firms.origin != BRANCH
    size = np.log10(firms.employees + 1.0)
    mean = 1.2 + 0.9 * size
    k = np.minimum(rng.negative_binomial(0.8, 0.8 / (0.8 + mean)), 40)
    k = np.where((firms.origin == BRANCH) | (firms.origin == SHELL), 0, k)
    customer = np.repeat(np.arange(n), k)
    ct = tier[customer]
    u = rng.random(len(customer))
    want = np.where(ct == 0, SERVICES_TIER,
                    np.where(ct == SERVICES_TIER, np.where(u < 0.5, SERVICES_TIER, 3),
                             np.where(u < 0.6, ct - 1, np.where(u < 0.75, np.maximum(ct - 2, 0),
                                                                SERVICES_TIER))))
    local = rng.random(len(customer)) < 0.5
    idx = np.nonzero(can_supply)[0]
    weight = (firms.employees[idx] + 1.0) ** 0.9
    province = REGION_PROVINCE[firms.region]
    local_pools = Pools(tier[idx] * 100 + province[idx], weight, idx)
    any_pools = Pools(tier[idx], weight, idx)
    supplier = np.where(local, local_pools.sample(want * 100 + province[customer], rng),
                        any_pools.sample(want, rng))
    supplier = np.where(supplier < 0, any_pools.sample(want, rng), supplier)
    # shell firms invoice a few real firms (fake supplies)
    shells = plan.shell_firms
    fake = np.repeat(shells, rng.integers(1, 4, len(shells)))
    fake_customer = idx[rng.integers(0, len(idx), len(fake))]
    supplier = np.r_[supplier, fake]
    customer = np.r_[customer, fake_customer]
    if plan.chains is not None:
        b, m, f = plan.chains
        supplier = np.r_[supplier, b, m]
        customer = np.r_[customer, m, f]
    keep = (supplier >= 0) & (supplier != customer)
    supplier, customer = supplier[keep], customer[keep]
    _, first = np.unique(supplier * (np.int64(1) << 32) + customer, return_index=True)
    first = np.sort(first)
    supplier, customer = supplier[first], customer[first]
    start = np.maximum(firms.founded[supplier], firms.founded[customer])
    end = np.minimum(firms.end_day()[supplier], firms.end_day()[customer])
    ok = start < end
    supplier, customer, start, end = supplier[ok], customer[ok], start[ok], end[ok]
    m_edges = len(supplier)
    since = uniform_int(rng, start, np.minimum(start + 3 * 365, end - 1), m_edges)
    ended = (end < AS_OF) | (rng.random(m_edges) < 0.2)
    until = np.where(ended, np.where(end < AS_OF, end, uniform_int(rng, since + 1, end, m_edges)),
                     -1)
    value = np.exp(rng.normal(np.log(2e5) + 0.6 * size[customer] + 0.3 * size[supplier], 1.2,
                              m_edges))
    if plan.chains is not None:
        # the planted chains are current at the blacklisting and after
        b, m, f = plan.chains
        pair = supplier * (np.int64(1) << 32) + customer
        planted = np.isin(pair, np.r_[b * (np.int64(1) << 32) + m, m * (np.int64(1) << 32) + f])
        since[planted] = start[planted]
        until[planted] = -1
    return Supplies(supplier, customer, np.round(value, 2), since, until)
