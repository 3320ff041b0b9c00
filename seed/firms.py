"""Firms: region, industry, ownership, size, age and life cycle, as parallel numpy columns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from riskgraph.seed.arrays import BoolArray, FloatArray, IntArray, choice, uniform_int
from riskgraph.seed.vocab import (
    ACTIVE,
    AS_OF,
    DISSOLVED,
    INDUSTRY_WEIGHTS,
    OLDEST_FOUNDING,
    OWNERSHIP_WEIGHTS,
    REGION_WEIGHTS,
    REVOKED,
    STATE_OWNED,
    SUSPENDED,
)

NORMAL, BRANCH, SHELL, SUCCESSOR = 0, 1, 2, 3
"""How a firm came to be: an ordinary firm, a branch, a planted shell, a phoenix successor."""


@dataclass
class Firms:
    """One row per Company; every column is a numpy array of length ``n``."""

    region: IntArray
    industry: IntArray
    ownership: IntArray
    employees: IntArray
    capital: FloatArray  # NaN for branches (no registered capital of their own)
    founded: IntArray  # days since 1970-01-01
    dissolved: IntArray  # days, -1 when still registered
    status: IntArray
    listed: BoolArray
    origin: IntArray  # NORMAL / BRANCH / SHELL / SUCCESSOR
    head: IntArray  # branch → head office, else -1
    parent: IntArray  # subsidiary → parent company, else -1
    group: IntArray  # corporate group id, else -1
    depth: IntArray  # level in the group tree (root 0), else -1

    @property
    def n(self) -> int:
        return len(self.region)

    def end_day(self) -> IntArray:
        """Last day the firm exists (dissolution day, or the as-of date)."""
        return np.where(self.dissolved >= 0, self.dissolved, AS_OF)

    def active_in(self, start: int, end: int) -> BoolArray:
        """Firms registered at some point in ``[start, end]``."""
        return (self.founded <= end) & (self.end_day() >= start)


def draw_firms(rng: np.random.Generator, origin: IntArray) -> Firms:
    """Independent attributes for ``len(origin)`` firms (branches are fixed up in groups.py)."""
    n = len(origin)
    ownership = choice(rng, OWNERSHIP_WEIGHTS, n)
    log_emp = rng.normal(2.0, 1.45, n) + np.where(ownership == STATE_OWNED, 1.8, 0.0)
    employees = np.minimum(np.floor(np.exp(log_emp)), 250_000).astype(np.int64)
    capital = np.round(np.maximum(
        1e4, (employees + 1) * np.exp(rng.normal(np.log(8e4), 1.1, n))) / 1e3) * 1e3
    # age: registrations grew fast, so most firms are young; big firms tend to be older
    scale = 5.0 + 1.6 * np.log10(employees + 1.0)
    age_days = np.minimum(rng.exponential(scale, n) * 365.25, AS_OF - OLDEST_FOUNDING)
    founded = (AS_OF - 30 - age_days).astype(np.int64)
    # life cycle: about 12% deregistered (dissolved or licence revoked), 1% suspended
    ends = rng.random(n) < 0.12
    dissolved = np.where(ends, uniform_int(rng, founded + 200, AS_OF - 1, n), -1)
    dissolved = np.where(dissolved > AS_OF - 1, -1, dissolved)
    status = np.full(n, ACTIVE, dtype=np.int64)
    status[dissolved >= 0] = np.where(rng.random(int((dissolved >= 0).sum())) < 0.75,
                                      DISSOLVED, REVOKED)
    status[(dissolved < 0) & (rng.random(n) < 0.01)] = SUSPENDED
    listed = (employees > 800) & (rng.random(n) < 0.12)
    minus = np.full(n, -1, dtype=np.int64)
    return Firms(
        region=choice(rng, REGION_WEIGHTS, n),
        industry=choice(rng, INDUSTRY_WEIGHTS, n),
        ownership=ownership,
        employees=employees,
        capital=capital.astype(np.float64),
        founded=founded,
        dissolved=dissolved.astype(np.int64),
        status=status,
        listed=listed,
        origin=origin.astype(np.int64),
        head=minus.copy(),
        parent=minus.copy(),
        group=minus.copy(),
        depth=minus.copy(),
    )


def end_firms(firms: Firms, idx: IntArray, days: IntArray, rng: np.random.Generator) -> None:
    """Deregister firms ``idx`` on ``days`` (dissolved, or revoked for one in five)."""
    firms.dissolved[idx] = days
    firms.status[idx] = np.where(rng.random(len(idx)) < 0.8, DISSOLVED, REVOKED)
