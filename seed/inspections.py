"""Inspectors and the two inspection streams.

* random ("double random"): a few percent of registered firms each year, uniformly, with an
  inspector drawn at random from the firm's province: the only unbiased sample of outcomes;
* targeted: a naive rule — firms penalised in the previous two years are inspected at a high
  rate, redlisted firms are spared ("reduced inspection rates").

Outcomes depend on the latent propensity only, so the two streams differ in whom they see, not
in how a given firm behaves. A violation leads to an administrative penalty (always for a serious
violation), which feeds the targeted rule of the following years.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from riskgraph.seed.arrays import BoolArray, FloatArray, IntArray, Pools, choice, uniform_int
from riskgraph.seed.firms import NORMAL, Firms
from riskgraph.seed.records import AGENCIES, KIND_CODE, SPECS, Records, emit
from riskgraph.seed.vocab import (
    AS_OF,
    INSPECTING_AGENCIES,
    INSPECTING_WEIGHTS,
    REGION_PROVINCE,
    REGIONS,
    day,
)

RANDOM_RATE, TARGETED_RATE, TARGET_WINDOW = 0.03, 0.35, 730
RANDOM, TARGETED = 0, 1
NO_VIOLATION, VIOLATION, SERIOUS_VIOLATION = 0, 1, 2
_AGENCY_INDEX = {name: AGENCIES.index(name) for name in INSPECTING_AGENCIES}


@dataclass
class Inspectors:
    region: IntArray
    agency: IntArray  # index into records.AGENCIES
    is_person: BoolArray
    firm: IntArray  # firm where the inspector (as a Person) holds a role, -1 none
    conflict: BoolArray  # planted: inspects that very firm

    @property
    def n(self) -> int:
        return len(self.region)


def build_inspectors(firms: Firms, taken: BoolArray, rng: np.random.Generator) -> Inspectors:
    """One inspector per region at least, then more where firms are; 15% are also Persons."""
    k = max(len(REGIONS) + 4, firms.n // 400)
    counts = np.bincount(firms.region, minlength=len(REGIONS)).astype(np.float64)
    region = np.r_[np.arange(len(REGIONS)), choice(rng, counts + 1.0, k - len(REGIONS))]
    body = choice(rng, INSPECTING_WEIGHTS, k)
    agency = np.array([_AGENCY_INDEX[a] for a in INSPECTING_AGENCIES])[body]
    agency[: len(REGIONS)] = _AGENCY_INDEX[INSPECTING_AGENCIES[0]]
    is_person = rng.random(k) < 0.15
    linked = is_person & (rng.random(k) < 0.5)
    forced = np.arange(len(REGIONS), len(REGIONS) + max(2, k // 40))
    is_person[forced] = linked[forced] = True
    ok = (firms.origin == NORMAL) & (firms.dissolved < 0) & (firms.founded < day(2018)) & ~taken
    idx = np.nonzero(ok)[0]
    pools = Pools(REGION_PROVINCE[firms.region[idx]], np.ones(len(idx)), idx)
    firm = np.where(linked, pools.sample(REGION_PROVINCE[region], rng), -1)
    conflict = (firm >= 0) & (rng.random(k) < 0.5)
    conflict[forced] = firm[forced] >= 0
    return Inspectors(region, agency, is_person, firm, conflict)


def inspection_year(records: Records, firms: Firms, logit: FloatArray, inspectors: Inspectors,
                    last_penalty: IntArray, redlisted: BoolArray, year: int,
                    rng: np.random.Generator) -> IntArray:
    """Both streams for one year; returns the resulting penalty days per firm (−1 none)."""
    y0, y1 = day(year), min(day(year, 12, 31), AS_OF)
    start = np.maximum(firms.founded, y0)
    end = np.minimum(firms.end_day(), y1)
    alive = end >= start
    random_pick = np.nonzero(alive & (rng.random(firms.n) < RANDOM_RATE))[0]
    flagged = alive & (last_penalty >= y0 - TARGET_WINDOW) & ~redlisted
    targeted_pick = np.nonzero(flagged & (rng.random(firms.n) < TARGETED_RATE))[0]
    pools = Pools(REGION_PROVINCE[inspectors.region], np.ones(inspectors.n))
    penalties = np.full(firms.n, -1, dtype=np.int64)
    for stream, pick in ((RANDOM, random_pick), (TARGETED, targeted_pick)):
        days = uniform_int(rng, start[pick], end[pick], len(pick))
        inspector = pools.sample(REGION_PROVINCE[firms.region[pick]], rng)
        outcome = draw_outcomes(logit[pick], rng)
        add_inspections(records, pick, days, inspector, outcome, stream, firms, inspectors, rng)
        _penalise(records, firms, logit, pick, days, outcome, inspectors.agency[inspector],
                  penalties, rng)
    return penalties


def draw_outcomes(logit: FloatArray, rng: np.random.Generator) -> IntArray:
    """Violation with probability sigmoid(logit − 1.6); a third or more of those serious."""
    p_violation = 1.0 / (1.0 + np.exp(-(logit - 1.6)))
    p_serious = 0.6 / (1.0 + np.exp(-(logit - 1.0)))
    u, v = rng.random(len(logit)), rng.random(len(logit))
    return np.where(u < p_violation, np.where(v < p_serious, SERIOUS_VIOLATION, VIOLATION),
                    NO_VIOLATION).astype(np.int64)


def add_inspections(records: Records, firm: IntArray, days: IntArray, inspector: IntArray,
                    outcome: IntArray, stream: int, firms: Firms, inspectors: Inspectors,
                    rng: np.random.Generator) -> None:
    n = len(firm)
    u = rng.random(n)
    records.add(subject=firm, kind=np.full(n, KIND_CODE[("random_inspection",
                                                         "targeted_inspection")[stream]]),
                day=days, agency=inspectors.agency[inspector], region=firms.region[firm],
                disclosure=np.where(u < 0.85, 0, np.where(u < 0.97, 1, 2)).astype(np.int64),
                stream=np.full(n, stream), inspector=inspector, outcome=outcome,
                negative=outcome > NO_VIOLATION)


def _penalise(records: Records, firms: Firms, logit: FloatArray, firm: IntArray, days: IntArray,
              outcome: IntArray, agency: IntArray, penalties: IntArray,
              rng: np.random.Generator) -> None:
    """Violations found by an inspection become administrative penalties weeks later."""
    fined = (outcome == SERIOUS_VIOLATION) | ((outcome == VIOLATION) & (rng.random(len(firm))
                                                                         < 0.6))
    when = days + uniform_int(rng, 10, 90, len(firm))
    fined &= when <= np.minimum(firms.end_day()[firm], AS_OF)
    f, d = firm[fined], when[fined]
    sev = np.where(outcome[fined] == SERIOUS_VIOLATION,
                   np.where(rng.random(len(f)) < 0.2, 2, 1), 0).astype(np.int64)
    before = len(records.cols.get("subject", []))
    emit(records, SPECS["administrative_penalty"], f, d, logit[f], firms.region[f], rng,
         severity=sev)
    if len(records.cols.get("agency", [])) > before:
        records.cols["agency"][-1] = agency[fined]
    np.maximum.at(penalties, f, d)


def planted_conflicts(records: Records, firms: Firms, inspectors: Inspectors,
                      rng: np.random.Generator) -> tuple[IntArray, IntArray]:
    """Each conflicted inspector inspects 'their' firm once and finds nothing."""
    who = np.nonzero(inspectors.conflict)[0]
    firm = inspectors.firm[who]
    years = rng.integers(2019, 2026, len(who))
    days = np.array([day(int(y), 1, 1) for y in years], dtype=np.int64) + rng.integers(
        0, 330, len(who))
    days = np.minimum(days, AS_OF)
    add_inspections(records, firm, days, who, np.zeros(len(who), np.int64), RANDOM, firms,
                    inspectors, rng)
    return who, days
