"""Inspection plans: tier-rate draws mixed with a guaranteed double-random share.

Given a ranking run's firms, a capacity ``N`` and a seed, :func:`draw_plan` decides which firms
are inspected and by whom, reproducibly (the same inputs and seed give the same plan):

1. **Random stream** — ``random_share × N`` firms (rounded) are drawn uniformly from every firm
   in scope, whatever its tier. This is the "double random" sample: the only outcomes that are
   free of selection bias, which training and the fairness audit rely on.
2. **Tier stream** — each remaining firm of tier ``t`` would be inspected at the rate ``r_t``
   (:data:`DEFAULT_RATES`). When the expected total exceeds the remaining capacity, every rate is
   scaled by the same factor, so the *relative* frequencies between tiers are kept; quotas are
   rounded by largest remainder. Firms are drawn at random within their tier. Capacity left
   over when the tiers need less goes to the random stream.
3. **Inspectors** — firms are taken in a random order; each gets ``team`` inspectors drawn at
   random among those of the firm's province who have room (``per_inspector``) and **no
   conflict of interest** with it (:mod:`models.accountability.conflicts`). A firm for which too few
   inspectors qualify stays in the plan as ``unassigned`` with the reason — never dropped.

All draws come from one ``numpy.random.Generator(PCG64(seed))`` over inputs sorted by USCC
and inspector id, so nothing depends on the order in which the graph returned rows.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from riskgraph.graph.errors import BadInput
from riskgraph.models.risk.tiers import TIERS

PLAN_STREAMS = {
    "random": "Drawn by the double-random sample: uniformly from the scope, whatever the risk.",
    "tier": "Drawn by its risk tier's quota (the targeted part of the plan).",
}
"""Why a firm is in a plan (a planned inspection's ``stream``), in words."""
INSPECTION_STATUSES = {
    "planned": "Inspectors are assigned; the outcome is not recorded yet.",
    "unassigned": "No inspector free of conflicts could be assigned (the note says why).",
    "done": "The outcome is recorded (cypher/planning/record_inspection_outcome.cypher).",
}
"""The states of a planned inspection (its ``status``), in words."""

DEFAULT_RATES: dict[str, float] = {"critical": 0.98, "high": 0.30, "average": 0.03,
                                   "low": 0.005}
"""Yearly inspection rate per tier. The two ends follow the reported customs practice of
inspecting about 98% of untrustworthy firms and 0.5% of top-rated ones; ``high`` and
``average`` sit between them (docs/inspection-plans.md)."""
DEFAULT_RANDOM_SHARE = 0.2
DEFAULT_TEAM = 2
"""Inspections are carried out by at least two enforcement officers."""


@dataclass(frozen=True)
class PlanFirm:
    """A firm of the run in the plan's scope."""

    uscc: str
    tier: str
    risk: float
    rank: int
    region_code: str
    name: str = ""
    reasons: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class PlanInspector:
    inspector_id: str
    region_code: str
    agency: str = ""
    name: str = ""


@dataclass(frozen=True)
class PlanParams:
    capacity: int
    seed: int
    region: str = ""
    rates: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_RATES))
    random_share: float = DEFAULT_RANDOM_SHARE
    team: int = DEFAULT_TEAM
    per_inspector: int | None = None
    """Firms per inspector; default ``ceil(1.5 × team × capacity / inspectors)``."""

    def check(self) -> None:
        if self.capacity < 0:
            raise BadInput(f"capacity must be 0 or more, got {self.capacity}")
        if not 0.0 <= self.random_share <= 1.0:
            raise BadInput(f"random share must lie in [0, 1], got {self.random_share}")
        if self.team < 1:
            raise BadInput(f"team size must be at least 1, got {self.team}")
        if self.per_inspector is not None and self.per_inspector < 1:
            raise BadInput(f"per-inspector capacity must be at least 1, got "
                           f"{self.per_inspector}")
        bad = {t: r for t, r in self.rates.items() if t not in TIERS or not 0.0 <= r <= 1.0}
        missing = [t for t in TIERS if t not in self.rates]
        if bad or missing:
            raise BadInput(f"tier rates need each of {', '.join(TIERS)} in [0, 1]; "
                           f"bad {bad or 'none'}, missing {missing or 'none'}")
        if self.region and not (self.region.isdigit() and len(self.region) in (2, 4, 6)):
            raise BadInput(f"region must be a 2-, 4- or 6-digit GB/T 2260 code prefix, got "
                           f"{self.region!r}")


@dataclass(frozen=True)
class PlannedInspection:
    order: int
    firm: PlanFirm
    stream: str
    """``random`` (double random) or ``tier`` (drawn at its tier's rate)."""
    inspector_ids: tuple[str, ...]
    status: str
    """``planned`` or ``unassigned``."""
    note: str = ""


@dataclass
class Plan:
    params: PlanParams
    scope_firms: int
    inspections: list[PlannedInspection]
    effective_rates: dict[str, float]
    quotas: dict[str, int]
    message: str = ""

    @property
    def digest(self) -> str:
        """SHA-256 over ``order|uscc|stream|tier|inspectors|status`` lines."""
        h = hashlib.sha256()
        for p in self.inspections:
            h.update(f"{p.order}|{p.firm.uscc}|{p.stream}|{p.firm.tier}|"
                     f"{','.join(p.inspector_ids)}|{p.status}\n".encode())
        return h.hexdigest()

    def summary(self) -> dict[str, Any]:
        streams: dict[str, int] = {}
        for p in self.inspections:
            streams[p.stream] = streams.get(p.stream, 0) + 1
        return {"scope_firms": self.scope_firms, "inspections": len(self.inspections),
                "by_stream": streams, "quotas": self.quotas,
                "effective_rates": self.effective_rates,
                "unassigned": sum(p.status == "unassigned" for p in self.inspections),
                "message": self.message}


def in_region(region_code: str, region: str) -> bool:
    return not region or region_code.startswith(region)


def province(region_code: str) -> str:
    return region_code[:2]


def tier_quotas(counts: Mapping[str, int], rates: Mapping[str, float], capacity: int
                ) -> tuple[dict[str, int], dict[str, float]]:
    """Integer quotas per tier (largest remainder) and the effective rates behind them."""
    expected = {t: counts.get(t, 0) * rates[t] for t in TIERS}
    total = sum(expected.values())
    scale = min(1.0, capacity / total) if total > 0 else 0.0
    want = {t: expected[t] * scale for t in TIERS}
    quotas = {t: min(counts.get(t, 0), math.floor(want[t])) for t in TIERS}
    budget = min(capacity, round(sum(want.values())))
    # Largest remainder; ties go to the riskier tier (TIERS is ascending).
    for t in sorted(TIERS, key=lambda t: (-(want[t] - math.floor(want[t])), -TIERS.index(t))):
        if sum(quotas.values()) >= budget:
            break
        if quotas[t] < counts.get(t, 0):
            quotas[t] += 1
    rates_eff = {t: (quotas[t] / counts[t] if counts.get(t) else 0.0) for t in TIERS}
    return quotas, rates_eff


ConflictLookup = Callable[[list[str]], Mapping[tuple[str, str], str]]
"""Given the drawn firms' USCCs: (inspector_id, uscc) → why they may not meet."""


def draw_plan(firms: Sequence[PlanFirm], inspectors: Sequence[PlanInspector],
              conflicts_of: ConflictLookup, params: PlanParams) -> Plan:
    """Draw the plan; ``conflicts_of`` is asked once, for the firms drawn."""
    params.check()
    scope = sorted((f for f in firms if in_region(f.region_code, params.region)),
                   key=lambda f: f.uscc)
    if params.capacity == 0:
        return Plan(params, len(scope), [], {t: 0.0 for t in TIERS}, {t: 0 for t in TIERS},
                    "capacity is 0: the plan is empty")
    if not scope:
        where = f"region {params.region}" if params.region else "the run"
        return Plan(params, 0, [], {t: 0.0 for t in TIERS}, {t: 0 for t in TIERS},
                    f"no firms in {where}: the plan is empty")
    rng = np.random.Generator(np.random.PCG64(params.seed))
    chosen, quotas, rates = select_firms(scope, params, rng)
    plan_firms = [f for f, _ in chosen]
    conflicts = conflicts_of([f.uscc for f in plan_firms])
    staff = sorted((i for i in inspectors if i.region_code), key=lambda i: i.inspector_id)
    teams = assign_inspectors(plan_firms, staff, conflicts, params, rng)
    out = [PlannedInspection(order=k, firm=f, stream=s, inspector_ids=teams[f.uscc][0],
                             status="planned" if teams[f.uscc][0] and not teams[f.uscc][1]
                             else "unassigned", note=teams[f.uscc][1])
           for k, (f, s) in enumerate(chosen, start=1)]
    msg = ""
    if len(out) < params.capacity:
        msg = f"only {len(out)} firm(s) in scope for a capacity of {params.capacity}"
    return Plan(params, len(scope), out, rates, quotas, msg)


def select_firms(scope: Sequence[PlanFirm], params: PlanParams, rng: np.random.Generator
                 ) -> tuple[list[tuple[PlanFirm, str]], dict[str, int], dict[str, float]]:
    """The random-stream draw, then the tier draws, then leftover capacity to random.

    Returns the picks with their stream, the tier quotas (plus ``random``: the random-stream
    total) and the effective tier rates."""
    capacity = min(params.capacity, len(scope))
    n_random = min(capacity, round(params.random_share * params.capacity))
    taken = np.zeros(len(scope), dtype=bool)
    picks: list[tuple[int, str]] = []

    def draw_random(k: int) -> None:
        free = np.nonzero(~taken)[0]
        for i in rng.choice(free, size=min(k, len(free)), replace=False):
            taken[i] = True
            picks.append((int(i), "random"))

    draw_random(n_random)
    counts = {t: 0 for t in TIERS}
    for i, f in enumerate(scope):
        if not taken[i]:
            counts[f.tier] += 1
    quotas, rates = tier_quotas(counts, params.rates, capacity - n_random)
    for tier in reversed(TIERS):  # critical first, so the order reads riskiest-first
        members = np.array([i for i, f in enumerate(scope) if f.tier == tier and not taken[i]],
                           dtype=np.int64)
        if quotas[tier] and len(members):
            for i in rng.choice(members, size=quotas[tier], replace=False):
                taken[i] = True
                picks.append((int(i), "tier"))
    draw_random(capacity - len(picks))
    out_quotas: dict[str, int] = dict(quotas)
    out_quotas["random"] = sum(stream == "random" for _, stream in picks)
    return [(scope[i], stream) for i, stream in picks], out_quotas, rates


def assign_inspectors(firms: Sequence[PlanFirm], staff: Sequence[PlanInspector],
                      conflicts: Mapping[tuple[str, str], str], params: PlanParams,
                      rng: np.random.Generator) -> dict[str, tuple[tuple[str, ...], str]]:
    """Each firm's team and, when it could not be completed, why."""
    cap = params.per_inspector or max(1, math.ceil(
        1.5 * params.team * len(firms) / max(1, len(staff))))
    load = {i.inspector_id: 0 for i in staff}
    by_province: dict[str, list[PlanInspector]] = {}
    for i in staff:
        by_province.setdefault(province(i.region_code), []).append(i)
    out: dict[str, tuple[tuple[str, ...], str]] = {}
    for k in rng.permutation(len(firms)):
        firm = firms[int(k)]
        local = by_province.get(province(firm.region_code), [])
        conflicted = [i.inspector_id for i in local
                      if (i.inspector_id, firm.uscc) in conflicts]
        eligible = [i.inspector_id for i in local
                    if (i.inspector_id, firm.uscc) not in conflicts
                    and load[i.inspector_id] < cap]
        if len(eligible) < params.team:
            why = (f"{len(eligible)} eligible inspector(s) in province "
                   f"{province(firm.region_code)} for a team of {params.team} "
                   f"({len(local)} in the province, {len(conflicted)} conflicted, "
                   f"the rest at capacity {cap})")
            out[firm.uscc] = ((), why)
            continue
        team = sorted(str(x) for x in rng.choice(eligible, size=params.team, replace=False))
        for member in team:
            load[member] += 1
        out[firm.uscc] = (tuple(team), "")
    return out
