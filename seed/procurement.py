"""Public tenders and bids: 1–12 bidders from the local market, consortia, listed suppliers,
and the planted cartels' rotating wins with cover bids a few percent above the winner."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from riskgraph.seed.arrays import FloatArray, IntArray, Pools, choice, csr, uniform_int
from riskgraph.seed.firms import BRANCH, SHELL, Firms
from riskgraph.seed.price_cartels import PriceCartels, build_price_cartels
from riskgraph.seed.schemes import Plan
from riskgraph.seed.supply import Supplies
from riskgraph.seed.vocab import (
    AS_OF,
    BUYERS,
    INDUSTRY_TENDER,
    PROCEDURE_WEIGHTS,
    PROCEDURES,
    REGION_PROVINCE,
    REGIONS,
    WORKS,
    day,
)

SOLE, LEAD, MEMBER = 0, 1, 2
WON, LOST, DISQUALIFIED = 0, 1, 2
DIRECT = PROCEDURES.index("direct")
_MEDIAN_VALUE = np.array([4e5, 1.5e6, 3e5])


@dataclass
class CartelTenders:
    tenders: list[IntArray] = field(default_factory=list)
    winners: list[IntArray] = field(default_factory=list)
    detected: list[bool] = field(default_factory=list)


@dataclass
class Procurement:
    t_region: IntArray
    t_category: IntArray
    t_procedure: IntArray
    t_published: IntArray
    t_deadline: IntArray
    t_value: FloatArray
    t_buyer: IntArray
    b_tender: IntArray
    b_amount: FloatArray
    b_submitted: IntArray  # seconds since epoch
    b_status: IntArray
    s_bid: IntArray
    s_firm: IntArray
    s_role: IntArray
    ls_bid: IntArray
    ls_firm: IntArray
    cartels: CartelTenders
    t_floor: FloatArray | None = None
    """Floor price per tender (NaN: none); only with price cartels."""
    price: PriceCartels | None = None


def _bidder_pools(firms: Firms) -> tuple[Pools, Pools]:
    cat = INDUSTRY_TENDER[firms.industry]
    ok = (cat >= 0) & (firms.origin != BRANCH) & (firms.origin != SHELL)
    idx = np.nonzero(ok)[0]
    w = (firms.employees[idx] + 1.0) ** 0.7
    local = Pools(firms.region[idx] * 4 + cat[idx], w, idx)
    prov = Pools(REGION_PROVINCE[firms.region[idx]] * 4 + cat[idx], w, idx)
    return local, prov


def build_procurement(firms: Firms, supplies: Supplies, plan: Plan,
                      rng: np.random.Generator, price_rng: np.random.Generator | None = None
                      ) -> Procurement:
    """Ordinary tenders first, then the cartels' tenders appended after them; with
    ``price_rng``, then the price-behaviour cartels' (seed/price_cartels.py)."""
    n_t = max(50, int(firms.n * 0.12))
    counts = np.bincount(firms.region, minlength=len(REGIONS)).astype(np.float64)
    region = choice(rng, counts + 1.0, n_t)
    category = choice(rng, (0.45, 0.3, 0.25), n_t)
    procedure = choice(rng, PROCEDURE_WEIGHTS, n_t)
    published = uniform_int(rng, day(2018), day(2025, 11, 15), n_t)
    deadline = published + np.where(procedure == DIRECT, rng.integers(5, 16, n_t),
                                     rng.integers(20, 46, n_t))
    value = np.round(np.exp(rng.normal(np.log(_MEDIAN_VALUE[category]), 1.1)), 2)
    k = np.where(procedure == DIRECT, 1, 1 + np.minimum(rng.negative_binomial(2, 0.4, n_t), 11))
    tender = np.repeat(np.arange(n_t), k)
    local, prov = _bidder_pools(firms)
    use_local = rng.random(len(tender)) < 0.65
    key_local = region[tender] * 4 + category[tender]
    key_prov = REGION_PROVINCE[region[tender]] * 4 + category[tender]
    firm = np.where(use_local, local.sample(key_local, rng), prov.sample(key_prov, rng))
    firm = np.where(firm < 0, prov.sample(key_prov, rng), firm)
    ok = (firm >= 0)
    ok &= (firms.founded[np.maximum(firm, 0)] <= published[tender])
    ok &= (firms.end_day()[np.maximum(firm, 0)] >= deadline[tender])
    tender, firm = tender[ok], firm[ok]
    _, first = np.unique(tender * (np.int64(1) << 32) + firm, return_index=True)
    first = np.sort(first)
    tender, firm = tender[first], firm[first]
    amount = value[tender] * np.exp(rng.normal(-0.03, 0.08, len(tender)))
    status = _award(tender, amount, rng)

    cartels = CartelTenders()
    extra = _cartel_tenders(firms, plan, local, prov, rng, n_t, cartels)
    (c_region, c_cat, c_proc, c_pub, c_dead, c_value, c_tender, c_firm, c_amount,
     c_status) = extra
    region, category = np.r_[region, c_region], np.r_[category, c_cat]
    procedure, published = np.r_[procedure, c_proc], np.r_[published, c_pub]
    deadline, value = np.r_[deadline, c_dead], np.r_[value, c_value]
    tender, firm = np.r_[tender, c_tender], np.r_[firm, c_firm]
    amount, status = np.r_[amount, c_amount], np.r_[status, c_status]
    floor, price = None, None
    if price_rng is not None:
        taken = np.concatenate(plan.cartel_members or [np.zeros(0, np.int64)])
        extra_p, price = build_price_cartels(firms, prov, np.unique(firm), taken, price_rng,
                                             len(region))
        floor = np.r_[np.full(len(region), np.nan), np.array(extra_p.floor, dtype=np.float64)]
        region = np.r_[region, np.array(extra_p.region, dtype=np.int64)]
        category = np.r_[category, np.array(extra_p.category, dtype=np.int64)]
        procedure = np.r_[procedure, np.array(extra_p.procedure, dtype=np.int64)]
        published = np.r_[published, np.array(extra_p.published, dtype=np.int64)]
        deadline = np.r_[deadline, np.array(extra_p.deadline, dtype=np.int64)]
        value = np.r_[value, np.array(extra_p.value, dtype=np.float64)]
        tender = np.r_[tender, np.array(extra_p.tender, dtype=np.int64)]
        firm = np.r_[firm, np.array(extra_p.firm, dtype=np.int64)]
        amount = np.r_[amount, np.array(extra_p.amount, dtype=np.float64)]
        status = np.r_[status, np.array(extra_p.status, dtype=np.int64)]

    n_bids = len(tender)
    submitted = ((deadline[tender] - rng.integers(0, 5, n_bids)) * 86400
                 - rng.integers(3600, 14 * 3600, n_bids))
    submitted = np.maximum(submitted, published[tender] * 86400 + 9 * 3600)
    solo = np.bincount(tender, minlength=len(region))[tender] == 1
    s_bid, s_firm, s_role = _consortia(firms, tender, firm, category, region, solo, local, rng)
    ls_bid, ls_firm = _listed_suppliers(supplies, firm, category[tender], firms.n, rng)
    buyer = rng.integers(0, len(BUYERS), len(region))
    return Procurement(region, category, procedure, published, deadline, value, buyer, tender,
                       np.round(amount, 2), submitted, status, s_bid, s_firm, s_role, ls_bid,
                       ls_firm, cartels, floor, price)


def _award(tender: IntArray, amount: FloatArray, rng: np.random.Generator) -> IntArray:
    """Lowest valid price wins 85% of tenders; a 'comprehensive score' decides the rest."""
    n = len(tender)
    solo = np.bincount(tender)[tender] == 1
    disq = (rng.random(n) < 0.04) & ~solo
    n_t = int(tender.max()) + 1 if n else 0
    price_rule = rng.random(n_t) < 0.85
    score = np.where(price_rule[tender], amount, rng.random(n) * 1e12)
    score = np.where(disq, np.inf, score)
    order = np.lexsort((score, tender))
    first = np.r_[True, tender[order][1:] != tender[order][:-1]]
    status = np.full(n, LOST, dtype=np.int64)
    winners = order[first]
    status[winners[np.isfinite(score[winners])]] = WON
    status[disq] = DISQUALIFIED
    return status


def _consortia(firms: Firms, tender: IntArray, firm: IntArray, category: IntArray,
               region: IntArray, solo: np.ndarray, local: Pools, rng: np.random.Generator
               ) -> tuple[IntArray, IntArray, IntArray]:
    """8% of works/services bids are consortia: the bidder leads 1–2 members."""
    n = len(tender)
    cat = category[tender]
    joint = (cat != 0) & (rng.random(n) < 0.08)
    bids = np.nonzero(joint)[0]
    extra = rng.integers(1, 3, len(bids))
    m_bid = np.repeat(bids, extra)
    m_firm = local.sample(region[tender[m_bid]] * 4 + category[tender[m_bid]], rng)
    pairs = tender * (np.int64(1) << 32) + firm
    ok = (m_firm >= 0) & (m_firm != firm[m_bid])
    ok &= ~np.isin(tender[m_bid] * (np.int64(1) << 32) + m_firm, pairs)
    m_bid, m_firm = m_bid[ok], m_firm[ok]
    _, first = np.unique(m_bid * (np.int64(1) << 32) + m_firm, return_index=True)
    m_bid, m_firm = m_bid[np.sort(first)], m_firm[np.sort(first)]
    has_members = np.zeros(n, dtype=bool)
    has_members[m_bid] = True
    role = np.where(has_members, LEAD, SOLE)
    return (np.r_[np.arange(n), m_bid], np.r_[firm, m_firm],
            np.r_[role, np.full(len(m_bid), MEMBER)])


def _listed_suppliers(supplies: Supplies, firm: IntArray, category: IntArray, n_firms: int,
                      rng: np.random.Generator) -> tuple[IntArray, IntArray]:
    """Some bids name 1–3 of the bidder's own suppliers (their credit is reviewed too)."""
    offsets, order = csr(supplies.customer, n_firms)
    n_sup = offsets[firm + 1] - offsets[firm]
    lists = (n_sup > 0) & (rng.random(len(firm)) < np.where(category == 0, 0.25, 0.15))
    bids = np.repeat(np.nonzero(lists)[0], rng.integers(1, 4, int(lists.sum())))
    pick = offsets[firm[bids]] + np.floor(rng.random(len(bids)) * n_sup[bids]).astype(np.int64)
    sup = supplies.supplier[order[pick]]
    _, first = np.unique(bids * (np.int64(1) << 32) + sup, return_index=True)
    first = np.sort(first)
    return bids[first], sup[first]


def _cartel_tenders(firms: Firms, plan: Plan, local: Pools, prov: Pools,
                    rng: np.random.Generator, offset: int, out: CartelTenders
                    ) -> tuple[IntArray, ...]:
    """Tenders each cartel rigs: members bid together, the win rotates, covers bid high."""
    cols: dict[str, list[IntArray | FloatArray]] = {k: [] for k in (
        "region", "cat", "proc", "pub", "dead", "value", "tender", "firm", "amount", "status")}
    next_t = offset
    for members, cat, province in zip(plan.cartel_members, plan.cartel_category,
                                      plan.cartel_province, strict=True):
        cities = np.flatnonzero(np.equal(REGION_PROVINCE, province))
        t = int(rng.integers(6, 17))
        pub = np.sort(uniform_int(rng, day(2019), day(2025, 9), t))
        rotation = rng.permutation(members)
        ids = np.arange(next_t, next_t + t)
        next_t += t
        value = np.round(np.exp(rng.normal(np.log(_MEDIAN_VALUE[cat]) + 0.5, 0.8, t)), 2)
        winners = rotation[np.arange(t) % len(rotation)]
        for j in range(t):
            present = members[(rng.random(len(members)) < 0.85) | (members == winners[j])]
            if len(present) < 3:
                present = members
            city = int(cities[rng.integers(0, len(cities))])
            outsiders = prov.sample(np.full(int(rng.integers(0, 3)), province * 4 + cat), rng)
            outsiders = outsiders[(outsiders >= 0) & ~np.isin(outsiders, members)]
            alive = (firms.founded[outsiders] <= pub[j]) & (firms.end_day()[outsiders]
                                                            >= pub[j] + 40)
            outsiders = np.unique(outsiders[alive])
            win_amount = value[j] * rng.uniform(0.93, 1.02)
            covers = present[present != winners[j]]
            amounts = np.r_[win_amount, win_amount * (1 + rng.uniform(0.02, 0.08, len(covers))),
                            win_amount * (1 + rng.uniform(0.05, 0.25, len(outsiders)))]
            bidders = np.r_[winners[j], covers, outsiders]
            cols["tender"].append(np.full(len(bidders), ids[j]))
            cols["firm"].append(bidders)
            cols["amount"].append(amounts)
            cols["status"].append(np.r_[WON, np.full(len(bidders) - 1, LOST)])
            cols["region"].append(np.array([city]))
        cols["cat"].append(np.full(t, cat))
        cols["proc"].append(np.where(rng.random(t) < 0.7, 0, 1))
        cols["pub"].append(pub)
        cols["dead"].append(pub + rng.integers(20, 40, t))
        cols["value"].append(value)
        out.tenders.append(ids)
        out.winners.append(winners)
        last = int(pub[-1]) + 60
        detected = bool(rng.random() < 0.3) and last + 270 < AS_OF
        out.detected.append(detected)
        if detected:
            ban = last + uniform_int(rng, 60, 270, len(members))
            plan.firm_events.add(members, "procurement_ban", ban,
                                 np.minimum(ban + 2 * 365, AS_OF + 1), 1)

    def cat_(name: str, dtype: type) -> np.ndarray:
        return np.concatenate(cols[name]).astype(dtype) if cols[name] else np.zeros(0, dtype)
    removed_fix = plan.firm_events.removed
    for i, r in enumerate(removed_fix):
        removed_fix[i] = np.where(r > AS_OF, -1, r)
    return (cat_("region", np.int64), cat_("cat", np.int64), cat_("proc", np.int64),
            cat_("pub", np.int64), cat_("dead", np.int64), cat_("value", np.float64),
            cat_("tender", np.int64), cat_("firm", np.int64), cat_("amount", np.float64),
            cat_("status", np.int64))


__all__ = ["LEAD", "MEMBER", "SOLE", "WORKS", "Procurement", "build_procurement"]
