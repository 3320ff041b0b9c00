"""Credit records: noisy, dated evidence of the latent propensity, year by year (2018–2025).

Each year every firm draws Poisson counts of each record kind at a rate of
``base × exp(beta × logit) × enforcement(region) × multipliers``; persons draw their own list
entries from their latent integrity. Inspections (inspections.py) run inside the same yearly
loop, so the targeted stream of year y sees the penalties of earlier years.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from riskgraph.seed.arrays import BoolArray, FloatArray, IntArray, uniform_int
from riskgraph.seed.firms import Firms
from riskgraph.seed.people import CONTROLLER, LR, People
from riskgraph.seed.risk import Latent
from riskgraph.seed.schemes import Forced
from riskgraph.seed.vocab import AS_OF, STATE_OWNED, day

AGENCIES = (
    "Administration for Market Regulation",  # 0
    "Municipal Tax Service, STA",  # 1
    "Intermediate People's Court",  # 2
    "Ecology and Environment Bureau",  # 3
    "Emergency Management Bureau",  # 4
    "Customs",  # 5
    "Finance Bureau",  # 6
    "Human Resources and Social Security Bureau",  # 7
    "Development and Reform Commission",  # 8
    "Housing and Urban-Rural Development Bureau",  # 9
    "Health Commission",  # 10
    "Transport Bureau",  # 11
    "Water Supply Group",  # 12
    "Red Cross Society",  # 13
    "Civil Affairs Bureau",  # 14
    "Spiritual Civilization Office",  # 15
    "Municipal People's Government",  # 16
    "Economy and Information Technology Bureau",  # 17
)


@dataclass(frozen=True)
class KindSpec:
    """How one record kind is generated."""

    kind: str
    rate: float  # per subject-year at the median logit
    beta: float  # sensitivity to the logit
    agencies: tuple[tuple[int, float], ...]
    disclosure: tuple[float, float, float]  # public, agency_shared, restricted
    severity: bool = False
    amount: tuple[float, float] | None = None  # median RMB, log-sd
    duration: tuple[int, int, float] | None = None  # min, max days, share never removed
    positive: bool = False


_NEG = (0.72, 0.2, 0.08)
_TAX = (0.55, 0.35, 0.10)
_POS = (0.9, 0.1, 0.0)
FIRM_KINDS: tuple[KindSpec, ...] = (
    KindSpec("administrative_penalty", 0.035, 1.0,
             ((0, .45), (3, .15), (4, .1), (5, .05), (9, .1), (10, .05), (11, .05), (1, .05)),
             _NEG, severity=True, amount=(1e4, 1.3)),
    KindSpec("tax_unpaid", 0.012, 1.1, ((1, 1.0),), _TAX, amount=(8e4, 1.2),
             duration=(30, 500, 0.4)),
    KindSpec("abnormal_taxpayer", 0.006, 1.2, ((1, 1.0),), _TAX),
    KindSpec("social_insurance_unpaid", 0.010, 0.9, ((7, 0.6), (1, 0.4)), _TAX,
             amount=(3e4, 1.1)),
    KindSpec("utility_unpaid", 0.004, 0.8, ((12, 1.0),), _NEG, amount=(1.2e4, 1.0)),
    KindSpec("abnormal_operations", 0.03, 1.0, ((0, 1.0),), _NEG, duration=(30, 700, 0.45)),
    KindSpec("serious_dishonest_enterprise_list", 0.002, 1.6, ((2, .6), (0, .3), (1, .1)), _NEG,
             severity=True, duration=(365, 5 * 365, 0.3)),
    KindSpec("procurement_ban", 0.0008, 1.3, ((6, 1.0),), _NEG, severity=True,
             duration=(365, 3 * 365, 0.0)),
    KindSpec("judgment_unsatisfied", 0.010, 1.0, ((2, 1.0),), _NEG, amount=(2e5, 1.5),
             duration=(30, 600, 0.5)),
    KindSpec("redlist", 0.006, -0.2, ((1, .5), (5, .1), (8, .4)), _POS,
             duration=(365, 3 * 365, 0.0), positive=True),
    KindSpec("honors_and_awards", 0.012, -0.1, ((16, .5), (17, .3), (0, .2)), _POS,
             positive=True),
    KindSpec("donations", 0.008, 0.0, ((13, .5), (14, .5)), _POS, amount=(5e4, 1.5),
             positive=True),
    KindSpec("volunteer_service", 0.004, 0.0, ((15, 1.0),), _POS, positive=True),
    KindSpec("permit_granted", 0.12, 0.0, ((0, .4), (9, .2), (3, .15), (10, .15), (11, .1)),
             (0.7, 0.3, 0.0)),
)
PERSON_KINDS: tuple[KindSpec, ...] = (
    KindSpec("dishonest_person_list", 0.0015, 1.0, ((2, 1.0),), (0.5, 0.3, 0.2), severity=True,
             duration=(2 * 365, 5 * 365, 0.2)),
    KindSpec("person_judgment_unsatisfied", 0.004, 0.8, ((2, 1.0),), (0.5, 0.3, 0.2),
             amount=(1e5, 1.4), duration=(30, 600, 0.5)),
)
INSPECTION_KINDS = ("random_inspection", "targeted_inspection")
ONCE_A_YEAR = frozenset({"abnormal_operations", "abnormal_taxpayer",
                         "serious_dishonest_enterprise_list", "procurement_ban", "redlist"})
"""List kinds a subject enters at most once a year."""
KIND_NAMES: tuple[str, ...] = (*(k.kind for k in FIRM_KINDS), *(k.kind for k in PERSON_KINDS),
                               *INSPECTION_KINDS)
KIND_CODE = {name: i for i, name in enumerate(KIND_NAMES)}
SPECS = {k.kind: k for k in (*FIRM_KINDS, *PERSON_KINDS)}


@dataclass
class Records:
    """Column buffers of all credit records (appended per batch, concatenated at the end)."""

    cols: dict[str, list[np.ndarray]] = field(default_factory=dict)

    def add(self, **columns: np.ndarray) -> None:
        n = len(columns["subject"])
        defaults: dict[str, np.ndarray] = {
            "is_person": np.zeros(n, bool), "removed": np.full(n, -1, np.int64),
            "severity": np.full(n, -1, np.int64), "amount": np.full(n, np.nan),
            "stream": np.full(n, -1, np.int64), "inspector": np.full(n, -1, np.int64),
            "outcome": np.full(n, -1, np.int64), "negative": np.zeros(n, bool),
        }
        defaults.update(columns)
        for name, values in defaults.items():
            self.cols.setdefault(name, []).append(values)

    def done(self) -> dict[str, np.ndarray]:
        return {name: np.concatenate(parts) for name, parts in self.cols.items()}


def _agency(spec: KindSpec, rng: np.random.Generator, n: int) -> IntArray:
    bodies = np.array([a for a, _ in spec.agencies])
    weights = np.cumsum([w for _, w in spec.agencies])
    out: IntArray = bodies[np.minimum(np.searchsorted(weights, rng.random(n) * weights[-1]),
                                      len(bodies) - 1)]
    return out


def _disclosure(spec: KindSpec, rng: np.random.Generator, n: int) -> IntArray:
    u = rng.random(n)
    return np.where(u < spec.disclosure[0], 0,
                    np.where(u < spec.disclosure[0] + spec.disclosure[1], 1, 2)).astype(np.int64)


def severity_for(logit: FloatArray, rng: np.random.Generator) -> IntArray:
    """0 general, 1 serious, 2 particularly serious; worse firms commit worse acts."""
    ps = np.clip(0.02 * np.exp(0.6 * logit), 0, 0.3)
    s = np.clip(0.15 * np.exp(0.4 * logit), 0, 0.5)
    u = rng.random(len(logit))
    return np.where(u < ps, 2, np.where(u < ps + s, 1, 0)).astype(np.int64)


def emit(records: Records, spec: KindSpec, subject: IntArray, days: IntArray, logit: FloatArray,
         region: IntArray, rng: np.random.Generator, *, is_person: bool = False,
         removed: IntArray | None = None, severity: IntArray | None = None) -> None:
    """Append records of one kind with their agency, disclosure, severity, amount, removal."""
    n = len(subject)
    if n == 0:
        return
    sev = (severity if severity is not None else severity_for(logit, rng)) if spec.severity \
        else np.full(n, -1, np.int64)
    amount = np.full(n, np.nan)
    if spec.amount is not None:
        mult = np.where(sev >= 1, 3.0, 1.0) * np.where(sev == 2, 3.0, 1.0)
        amount = np.round(np.exp(rng.normal(np.log(spec.amount[0]), spec.amount[1], n)) * mult, 2)
    if removed is None:
        removed = np.full(n, -1, np.int64)
        if spec.duration is not None:
            lo, hi, never = spec.duration
            removed = np.where(rng.random(n) < never, -1, days + uniform_int(rng, lo, hi, n))
            removed = np.where(removed > AS_OF, -1, removed)
    records.add(subject=subject, is_person=np.full(n, is_person), kind=np.full(n, KIND_CODE[
        spec.kind]), day=days, removed=removed, severity=sev, amount=amount,
        agency=_agency(spec, rng, n), region=region, disclosure=_disclosure(spec, rng, n),
        negative=np.full(n, not spec.positive and spec.kind != "permit_granted"))


def days_within(start: IntArray, end: IntArray, rng: np.random.Generator) -> IntArray:
    return uniform_int(rng, start, end, len(start))


def firm_year(records: Records, firms: Firms, people: People, latent: Latent,
              political_firm: BoolArray, year: int, rng: np.random.Generator
              ) -> tuple[IntArray, IntArray]:
    """One year of non-inspection firm records; returns the last penalty and redlisting days
    (−1 none) per firm."""
    y0, y1 = day(year), min(day(year, 12, 31), AS_OF)
    start = np.maximum(firms.founded, y0)
    end = np.minimum(firms.end_day(), y1)
    exposure = np.clip((end - start + 1) / 365.0, 0.0, 1.0)
    alive = np.nonzero(exposure > 0)[0]
    logit, region = latent.logit[alive], firms.region[alive]
    size = np.log10(firms.employees[alive] + 1.0)
    visible = latent.enforcement[region] * (0.7 + 0.15 * size)
    favour = (np.where(political_firm[alive], 4.0, 1.0)
              * np.where(firms.ownership[alive] == STATE_OWNED, 2.5, 1.0) * (1 + 0.5 * size))
    last_penalty = np.full(firms.n, -1, dtype=np.int64)
    last_redlist = np.full(firms.n, -1, dtype=np.int64)
    for spec in FIRM_KINDS:
        mult = favour if spec.positive else (visible if spec.kind != "permit_granted"
                                             else 1 + 0.3 * size)
        lam = spec.rate * np.exp(spec.beta * logit) * mult * exposure[alive]
        count = rng.poisson(lam)
        if spec.kind in ONCE_A_YEAR:
            count = np.minimum(count, 1)
        subject = np.repeat(alive, count)
        days = days_within(start[subject], end[subject], rng)
        emit(records, spec, subject, days, latent.logit[subject], firms.region[subject], rng)
        if spec.kind == "administrative_penalty" and len(subject):
            np.maximum.at(last_penalty, subject, days)
        if spec.kind == "redlist" and len(subject):
            np.maximum.at(last_redlist, subject, days)
        if spec.kind == "serious_dishonest_enterprise_list":
            joint_listing(records, subject, days, firms, people, latent, rng)
    return last_penalty, last_redlist


def joint_listing(records: Records, firm_idx: IntArray, days: IntArray, firms: Firms,
                  people: People, latent: Latent, rng: np.random.Generator) -> None:
    """A blacklisted firm's legal representative is listed with it six times in ten."""
    hit = rng.random(len(firm_idx)) < 0.6
    persons = people.lr[firm_idx[hit]]
    emit(records, SPECS["dishonest_person_list"], persons, days[hit],
         latent.person_logit()[persons], firms.region[firm_idx[hit]], rng, is_person=True)


def person_year(records: Records, firms: Firms, people: People, latent: Latent, year: int,
                rng: np.random.Generator) -> None:
    """One year of list entries on natural persons holding key roles."""
    y0, y1 = day(year), min(day(year, 12, 31), AS_OF)
    key = np.isin(people.role_type, (LR, CONTROLLER)) | (rng.random(len(people.role_type)) < 0.5)
    holders, where = np.unique(people.role_person[key], return_index=True)
    region = firms.region[people.role_firm[key][where]]
    plogit = latent.person_logit()[holders]
    for spec in PERSON_KINDS:
        count = np.minimum(rng.poisson(spec.rate * np.exp(spec.beta * plogit)), 1)
        subject = np.repeat(holders, count)
        reg = np.repeat(region, count)
        days = days_within(np.full(len(subject), y0), np.full(len(subject), y1), rng)
        emit(records, spec, subject, days, latent.person_logit()[subject], reg, rng,
             is_person=True)


def forced_events(records: Records, forced: Forced, regions: IntArray, logit: FloatArray,
                  rng: np.random.Generator, *, is_person: bool = False) -> None:
    """Records a planted scheme requires (blacklistings, bans) at their planned dates."""
    for subject, kind, days, removed, sev in zip(forced.subject, forced.kind, forced.day,
                                                 forced.removed, forced.severity, strict=True):
        emit(records, SPECS[kind], subject, days, logit[subject], regions[subject], rng,
             is_person=is_person, removed=removed, severity=np.full(len(subject), sev))
