"""Per-tender price screens in the spirit of Huber & Imhof (2019) (docs/screens-cartels.md).

For each competitive tender, over its priced bids (amount > 0, one value per bid, consortia
counted once), sorted ascending ``b1 <= b2 <= ...``:

* ``cv``: coefficient of variation, sample standard deviation / mean;
* ``spread``: (max - min) / min;
* ``kurtosis``: bias-corrected excess kurtosis (4+ bids);
* ``skewness``: bias-corrected skewness (3+ bids);
* ``diffp``: percentage gap between the two lowest bids, (b2 - b1) / b1;
* ``rd``: relative distance, (b2 - b1) / standard deviation of the losing bids b2.. (3+ bids;
  capped at ``RD_CAP`` when the losing bids are identical);
* ``lowest_to_reserve`` / ``lowest_to_estimate`` / ``mean_to_estimate``: the lowest bid and the
  mean bid over the tender's reserve price and estimated value, when the tender has them;
* ``above_floor``: (b1 - floor) / floor when the tender has a floor price.

The unsupervised price score of a tender is the mean, over the *directional* screens it has
(low ``cv``, low ``spread``, high ``kurtosis``, high ``rd``, high ``lowest_to_estimate``), of
the tender's percentile among the competitive tenders of the same **market** (category and
whether a floor price applies; all tenders pooled when that market is missing or rare): a
floor-price market where honest bids bunch is compared with itself, not with a market of
dispersed bids. ``skewness``, ``diffp`` and the other
ratios are reported and used by the supervised model, not by this score.

The **cover band** of a market is the ``cover_quantile`` (default 0.75) of the relative premiums
of losing bids over the winning bid in its tenders: a cartel's covers sit closer to the winner
than the market's typical loser, whatever that market's own dispersion (a fixed 10 % band holds
most losing bids of a floor-price auction).
"""

from __future__ import annotations

import bisect
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from riskgraph.models.screens.cobidding import Tender

RD_CAP = 10.0
MIN_MARKET = 30
"""Tenders a category needs to be its own market (else it joins the pooled market)."""
POOLED = "(all)"
SCREENS = ("bids", "cv", "spread", "kurtosis", "skewness", "diffp", "rd", "lowest_to_reserve",
           "lowest_to_estimate", "mean_to_estimate", "above_floor")
DIRECTIONS = {"cv": -1, "spread": -1, "kurtosis": 1, "rd": 1, "lowest_to_estimate": 1}
"""Screens in the unsupervised price score, with the direction that is suspicious."""


def priced_amounts(t: Tender) -> list[float]:
    """The tender's positive bid amounts, one per bid, ascending."""
    return sorted(b.amount for b in t.bids if b.amount is not None and b.amount > 0)


def _moments(x: Sequence[float]) -> tuple[float, float | None, float | None]:
    """(sample sd, bias-corrected skewness, bias-corrected excess kurtosis)."""
    n = len(x)
    mean = sum(x) / n
    sd = statistics.stdev(x) if n >= 2 else 0.0
    m2 = sum((v - mean) ** 2 for v in x) / n
    if m2 <= 0:
        return sd, (0.0 if n >= 3 else None), (0.0 if n >= 4 else None)
    m3 = sum((v - mean) ** 3 for v in x) / n
    m4 = sum((v - mean) ** 4 for v in x) / n
    skew = None
    if n >= 3:
        skew = math.sqrt(n * (n - 1)) / (n - 2) * m3 / m2 ** 1.5
    kurt = None
    if n >= 4:
        g2 = m4 / m2 ** 2 - 3.0
        kurt = (n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * g2 + 6.0)
    return sd, skew, kurt


def tender_screens(t: Tender) -> dict[str, float | None]:
    """The price screens of one tender (None where the tender has too few bids or no value)."""
    x = priced_amounts(t)
    out: dict[str, float | None] = {k: None for k in SCREENS}
    out["bids"] = float(len(x))
    if len(x) < 2:
        return out
    mean = sum(x) / len(x)
    sd, skew, kurt = _moments(x)
    out["cv"] = sd / mean
    out["spread"] = (x[-1] - x[0]) / x[0]
    out["skewness"], out["kurtosis"] = skew, kurt
    out["diffp"] = (x[1] - x[0]) / x[0]
    if len(x) >= 3:
        losers = statistics.stdev(x[1:])
        gap = x[1] - x[0]
        out["rd"] = min(RD_CAP, gap / losers) if losers > 0 else (RD_CAP if gap > 0 else 0.0)
    if t.reserve:
        out["lowest_to_reserve"] = x[0] / t.reserve
    if t.estimate:
        out["lowest_to_estimate"] = x[0] / t.estimate
        out["mean_to_estimate"] = mean / t.estimate
    if t.floor:
        out["above_floor"] = (x[0] - t.floor) / t.floor
    # a ratio over a vanishing amount overflows: no value rather than infinity
    return {k: (None if v is None or not math.isfinite(v) else round(v, 12))
            for k, v in out.items()}


def loser_premiums(t: Tender) -> list[float]:
    """Relative premiums (loser - winner) / winner of the tender's other priced bids."""
    win = t.winner
    if win is None or win.amount is None or win.amount <= 0:
        return []
    out = [(b.amount - win.amount) / win.amount for b in t.bids
           if b is not win and b.amount is not None and b.amount > 0]
    return [p for p in out if math.isfinite(p)]


@dataclass(frozen=True)
class TenderPrice:
    """A tender's screens, market, percentile suspicion per directional screen and score."""

    tender_id: str
    market: str
    screens: dict[str, float | None]
    suspicion: dict[str, float]
    score: float | None

    def to_dict(self) -> dict[str, object]:
        return {"market": self.market, "screens": self.screens,
                "suspicion": {k: round(v, 4) for k, v in self.suspicion.items()},
                "price_score": None if self.score is None else round(self.score, 4)}


def _market_key(t: Tender) -> str:
    return (t.category or POOLED) + (" floor-price" if t.floor else "")


def markets(tenders: dict[str, Tender]) -> dict[str, str]:
    """Tender id → its market: category, and whether the tender has a floor price, when that
    market has ``MIN_MARKET`` tenders; else the pooled market."""
    counts: dict[str, int] = defaultdict(int)
    for t in tenders.values():
        counts[_market_key(t)] += 1
    return {tid: (_market_key(t) if counts[_market_key(t)] >= MIN_MARKET else POOLED)
            for tid, t in tenders.items()}


def _percentile(sorted_values: list[float], v: float) -> float:
    """Mid-rank percentile of ``v`` among ``sorted_values`` (0..1)."""
    lo = bisect.bisect_left(sorted_values, v)
    hi = bisect.bisect_right(sorted_values, v)
    return (lo + hi) / 2 / len(sorted_values)


def price_screens(tenders: dict[str, Tender]) -> dict[str, TenderPrice]:
    """Screens, per-market percentiles and the unsupervised price score of every tender."""
    market_of = markets(tenders)
    screens = {tid: tender_screens(tenders[tid]) for tid in sorted(tenders)}
    values: dict[tuple[str, str], list[float]] = defaultdict(list)
    for tid, s in screens.items():
        for name in DIRECTIONS:
            v = s.get(name)
            if v is not None:
                values[(market_of[tid], name)].append(v)
    for key in values:
        values[key].sort()
    out = {}
    for tid, s in screens.items():
        suspicion = {}
        for name, sign in DIRECTIONS.items():
            v = s.get(name)
            if v is None:
                continue
            p = _percentile(values[(market_of[tid], name)], v)
            suspicion[name] = p if sign > 0 else 1.0 - p
        score = sum(suspicion.values()) / len(suspicion) if suspicion else None
        out[tid] = TenderPrice(tid, market_of[tid], s, suspicion, score)
    return out


def cover_bands(tenders: dict[str, Tender], quantile: float) -> dict[str, float]:
    """Tender id → its market's cover band (``quantile`` of the market's loser premiums)."""
    market_of = markets(tenders)
    premiums: dict[str, list[float]] = defaultdict(list)
    for tid in sorted(tenders):
        premiums[market_of[tid]] += [p for p in loser_premiums(tenders[tid]) if p > 0]
    band = {m: _quantile(sorted(v), quantile) for m, v in premiums.items() if v}
    return {tid: band.get(m, 0.10) for tid, m in market_of.items()}


def _quantile(data: list[float], q: float) -> float:
    pos = q * (len(data) - 1)
    i = math.floor(pos)
    j = min(i + 1, len(data) - 1)
    return data[i] + (pos - i) * (data[j] - data[i])


def mean_or_none(values: Iterable[float | None]) -> float | None:
    vs = [v for v in values if v is not None]
    return sum(vs) / len(vs) if vs else None
