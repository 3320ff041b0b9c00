"""Price-behaviour cartels for the synthetic world (``riskgraph seed --price-cartels``).

The world's original cartels rotate wins with covers 2–8 % above the winner, and share people.
These cartels leave no people or ownership link and differ in their prices (docs/world.md):

* ``cover``: the winner is any member (no fixed turn), at a price inflated over the estimate,
  and the others cover 0.3–2 % above it: low dispersion, a tight gap to the second bid;
* ``phantom``: one or two firms win; the others are phantom bidders that bid nowhere else and
  never win, 0.5–3 % above the winner;
* ``rotation``: members win in strict turn, covers 1–3 % above;
* ``floor``: a floor-price market (tenders with a floor price at 80 % of the estimate) where
  honest bids bunch just above the floor too (half-normal, 1.5 %); the cartel rotates wins at
  the floor with covers 0.1–1.2 % above the winner. Its honest tenders are generated here as
  well (their bids look like the cartel's; who bids with whom, and who wins, tells them apart).

Each cartel's tenders have 0–2 honest outsiders bidding 3–20 % above the winner (floor market:
bunched above the floor like everyone else, and the lowest wins).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from riskgraph.seed.arrays import FloatArray, IntArray, Pools, uniform_int
from riskgraph.seed.firms import Firms
from riskgraph.seed.vocab import AS_OF, REGION_PROVINCE, day

BEHAVIOURS = ("cover", "phantom", "rotation", "floor")
_MEDIAN_VALUE = np.array([4e5, 1.5e6, 3e5])
FLOOR_SHARE = 0.8
WON, LOST = 0, 1


@dataclass
class PriceCartels:
    """What was planted (indices into the world's firms / tenders)."""

    members: list[IntArray] = field(default_factory=list)
    behaviour: list[str] = field(default_factory=list)
    category: list[int] = field(default_factory=list)
    province: list[int] = field(default_factory=list)
    tenders: list[IntArray] = field(default_factory=list)
    winners: list[IntArray] = field(default_factory=list)
    floor_market_tenders: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))


@dataclass
class Extra:
    """Tender and bid columns to append to the world's procurement."""

    region: list[int] = field(default_factory=list)
    category: list[int] = field(default_factory=list)
    procedure: list[int] = field(default_factory=list)
    published: list[int] = field(default_factory=list)
    deadline: list[int] = field(default_factory=list)
    value: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    tender: list[int] = field(default_factory=list)
    firm: list[int] = field(default_factory=list)
    amount: list[float] = field(default_factory=list)
    status: list[int] = field(default_factory=list)


def build_price_cartels(firms: Firms, prov: Pools, busy: IntArray, taken: IntArray,
                        rng: np.random.Generator, offset: int
                        ) -> tuple[Extra, PriceCartels]:
    """``max(4, firms / 2500)`` cartels, the behaviours in turn; tender ids from ``offset``."""
    out, planted = Extra(), PriceCartels()
    alive = (firms.founded <= day(2018)) & (firms.end_day() >= AS_OF)
    used = np.zeros(firms.n, dtype=bool)
    used[taken] = True
    idle = np.ones(firms.n, dtype=bool)
    idle[busy] = False
    sizes = prov.end - prov.start
    order = np.argsort(-sizes, kind="stable")
    next_t = offset
    floor_tenders: list[int] = []
    for i in range(max(4, firms.n // 2500)):
        behaviour = BEHAVIOURS[i % len(BEHAVIOURS)]
        pool = int(order[(i * 7) % max(1, min(len(order), 40))])
        key = int(prov.keys[pool])
        province, cat = key // 4, key % 4
        if cat > 2:
            continue
        cand = prov.items[prov.start[pool]: prov.end[pool]]
        cand = np.unique(cand[alive[cand] & ~used[cand]])
        size = int(rng.integers(4, 7))
        if behaviour == "phantom":
            real = cand[~idle[cand]]
            ghosts = np.nonzero(idle & alive & ~used)[0]
            if len(real) < 2 or len(ghosts) < 3:
                continue
            winners_pool = np.sort(rng.choice(real, int(rng.integers(1, 3)), replace=False))
            phantoms = np.sort(rng.choice(ghosts, size - len(winners_pool), replace=False))
            members = np.r_[winners_pool, phantoms]
        else:
            if len(cand) < size + 4:
                continue
            members = np.sort(rng.choice(cand, size, replace=False))
            winners_pool = members
        used[members] = True
        outsiders_pool = cand[~used[cand]]
        cities = np.flatnonzero(np.equal(REGION_PROVINCE, province))
        n_t = int(rng.integers(10, 26))
        pub = np.sort(uniform_int(rng, day(2019), day(2025, 9), n_t))
        value = np.round(np.exp(rng.normal(np.log(_MEDIAN_VALUE[cat]), 0.8, n_t)), 2)
        turn = rng.permutation(winners_pool)
        ids, won = [], []
        for j in range(n_t):
            if behaviour in ("rotation", "floor"):
                winner = int(turn[j % len(turn)])
            else:
                winner = int(winners_pool[rng.integers(0, len(winners_pool))])
            present = members[(rng.random(len(members)) < 0.85) | (members == winner)]
            if behaviour == "rotation" or len(present) < 3:
                present = members
            covers = present[present != winner]
            k_out = int(rng.integers(0, 3))
            outsiders = (rng.choice(outsiders_pool, min(k_out, len(outsiders_pool)),
                                    replace=False) if len(outsiders_pool) else
                         np.zeros(0, np.int64))
            floor = value[j] * FLOOR_SHARE if behaviour == "floor" else np.nan
            if behaviour == "floor":
                win = floor * (1 + rng.uniform(0.0, 0.01))
                cover_amounts = win * (1 + rng.uniform(0.001, 0.012, len(covers)))
                out_amounts = floor * (1 + np.abs(rng.normal(0.0, 0.015, len(outsiders))))
                out_amounts = np.maximum(out_amounts, win * 1.001)
            else:
                lift = {"cover": (0.97, 1.06), "phantom": (0.95, 1.04),
                        "rotation": (0.93, 1.02)}[behaviour]
                win = value[j] * rng.uniform(*lift)
                band = {"cover": (0.003, 0.02), "phantom": (0.005, 0.03),
                        "rotation": (0.01, 0.03)}[behaviour]
                cover_amounts = win * (1 + rng.uniform(*band, len(covers)))
                out_amounts = win * (1 + rng.uniform(0.03, 0.20, len(outsiders)))
            tid = next_t
            next_t += 1
            ids.append(tid)
            won.append(winner)
            _tender(out, int(cities[rng.integers(0, len(cities))]), cat, pub[j],
                    pub[j] + int(rng.integers(20, 40)), float(value[j]), float(floor), rng)
            bidders = np.r_[winner, covers, outsiders].astype(np.int64)
            amounts = np.r_[win, cover_amounts, out_amounts]
            _bids(out, tid, bidders, amounts, np.r_[WON, np.full(len(bidders) - 1, LOST)])
        planted.members.append(members)
        planted.behaviour.append(behaviour)
        planted.category.append(cat)
        planted.province.append(province)
        planted.tenders.append(np.array(ids, dtype=np.int64))
        planted.winners.append(np.array(won, dtype=np.int64))
        if behaviour == "floor":
            next_t = _honest_floor_market(out, firms, cand[~used[cand]], province, cat,
                                          cities, rng, next_t, floor_tenders)
    planted.floor_market_tenders = np.array(floor_tenders, dtype=np.int64)
    return out, planted


def _tender(out: Extra, region: int, cat: int, pub: int, dead: int, value: float,
            floor: float, rng: np.random.Generator) -> None:
    out.region.append(region)
    out.category.append(cat)
    out.procedure.append(0 if rng.random() < 0.7 else 1)
    out.published.append(int(pub))
    out.deadline.append(int(dead))
    out.value.append(round(value, 2))
    out.floor.append(round(floor, 2) if np.isfinite(floor) else np.nan)


def _bids(out: Extra, tid: int, firms: IntArray, amounts: FloatArray, status: IntArray) -> None:
    out.tender += [tid] * len(firms)
    out.firm += firms.tolist()
    out.amount += np.round(amounts, 2).tolist()
    out.status += status.tolist()


def _honest_floor_market(out: Extra, firms: Firms, pool: IntArray, province: int, cat: int,
                         cities: IntArray, rng: np.random.Generator, next_t: int,
                         ids: list[int]) -> int:
    """About 120 honest tenders of the floor-price market: 3–7 bidders each, bunched just above
    the floor (half-normal, 1.5 %), lowest wins."""
    if len(pool) < 3:
        return next_t
    for _ in range(int(rng.integers(100, 141))):
        pub = int(uniform_int(rng, day(2019), day(2025, 9), 1)[0])
        value = float(np.exp(rng.normal(np.log(_MEDIAN_VALUE[cat]), 0.8)))
        floor = value * FLOOR_SHARE
        k = min(len(pool), int(rng.integers(3, 8)))
        bidders = rng.choice(pool, k, replace=False).astype(np.int64)
        amounts = floor * (1 + np.abs(rng.normal(0.0, 0.015, k)))
        status = np.full(k, LOST)
        status[int(np.argmin(amounts))] = WON
        _tender(out, int(cities[rng.integers(0, len(cities))]), cat, pub,
                pub + int(rng.integers(20, 40)), value, floor, rng)
        _bids(out, next_t, bidders, amounts, status)
        ids.append(next_t)
        next_t += 1
    return next_t
