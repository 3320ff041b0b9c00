"""Transparent, rule-based scorecards: pure functions of a firm's records as of a date.

Two cards, each listing every point lost or gained with the record(s) that caused it:

**Provincial public credit score** (``zhejiang_score``), from docs/domain/zhejiang_indicators.csv.
The 1000-point table lists indicators worth 910 points; the 90 unlisted points are granted in
full (we cannot assess what is not published). A firm holds the 725 points of the three negative
categories (basic data 80, finance and taxation 195, compliance 450) unless it loses them: an
indicator's points are lost, once, when at least one *active* record (models/risk/records.py) feeds
it (``graph.schema.RECORD_KINDS[kind].indicator``; inspections that found a violation feed
``other_noncompliance``; key persons' records feed the key-personnel indicators). The 185
social-responsibility points are gained, once per indicator, with an active redlisting or a
donation / volunteering / honour in the last three years. So a firm with no records scores 815.

Grades (our thresholds; the province does not publish its cut-offs):
``excellent`` >= 850 (a clean file plus at least one merit), ``good`` >= 700 (clean, or one
administrative penalty), ``fair`` >= 550, ``poor`` below 550 (e.g. a serious-dishonest listing
plus a penalty plus a judgment).

**Tax-style compliance grade** (``tax_grade``), after the STA's A–D grading: start at 100 and
deduct once per violation type with an active record — tax arrears >= RMB 50,000: 11 points
(smaller or unknown amounts: 5); social-insurance arrears: 5; an administrative penalty issued
by a tax authority: 11. A blacklisting (serious-dishonest list, procurement ban) or an
abnormal-taxpayer finding means grade D at once. Grades: A >= 90, B >= 70, C >= 40, D below.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import numpy.typing as npt

from riskgraph.graph.schema import RECORD_KINDS
from riskgraph.graph.snapshot import KINDS, Snapshot, day_of
from riskgraph.models.risk.records import PUBLICITY_DAYS, TAX_ARREARS_THRESHOLD, Record
from riskgraph.resources import domain_table

UNLISTED_POINTS = 90
ZJ_GRADES = (("excellent", 850), ("good", 700), ("fair", 550), ("poor", -10**9))
TAX_GRADES = (("A", 90), ("B", 70), ("C", 40), ("D", -10**9))
TAX_DEDUCTIONS = {
    "tax_arrears_large": 11,
    "tax_arrears_small": 5,
    "social_insurance_arrears": 5,
    "tax_penalty": 11,
}
TAX_D_AT_ONCE = ("serious_dishonest_enterprise_list", "procurement_ban", "abnormal_taxpayer")
INSPECTION_INDICATOR = "other_noncompliance"
SOCIAL_CATEGORY = "social_responsibility"


@dataclass(frozen=True)
class Indicator:
    name: str
    category: str
    points: int
    definition: str

    @property
    def positive(self) -> bool:
        return self.category == SOCIAL_CATEGORY


@cache
def indicators() -> tuple[Indicator, ...]:
    """The Zhejiang indicator table (docs/domain/zhejiang_indicators.csv)."""
    with domain_table("zhejiang_indicators.csv").open(encoding="utf-8") as fh:
        return tuple(Indicator(r["indicator"], r["category"], int(float(r["points"])),
                               r["definition"]) for r in csv.DictReader(fh))


def negative_points() -> int:
    return sum(i.points for i in indicators() if not i.positive)


@dataclass(frozen=True)
class ScoreItem:
    """Points lost (negative) or gained (positive) through one indicator or deduction."""

    indicator: str
    points: int
    record_ids: tuple[str, ...]
    description: str


@dataclass
class Scorecard:
    name: str
    score: int
    grade: str
    as_of: dt.date
    items: list[ScoreItem] = field(default_factory=list)


def indicator_of(record: Record) -> str | None:
    """The Zhejiang indicator a record feeds, if any."""
    if record.kind in ("random_inspection", "targeted_inspection"):
        return INSPECTION_INDICATOR if record.is_violation else None
    spec = RECORD_KINDS.get(record.kind)
    return spec.indicator if spec else None


def _grade(score: int, table: tuple[tuple[str, int], ...]) -> str:
    return next(name for name, floor in table if score >= floor)


def zhejiang_score(records: Iterable[Record], as_of: dt.date,
                   personnel_records: Iterable[Record] = ()) -> Scorecard:
    """The provincial public credit score of one firm (see the module docstring).

    ``records`` are the firm's own; ``personnel_records`` those of its current key persons
    (legal representative, directors, supervisors, actual controller).
    """
    by_indicator: dict[str, list[str]] = {}
    for rec in [*records, *personnel_records]:
        name = indicator_of(rec)
        if name is None or not rec.active(as_of):
            continue
        by_indicator.setdefault(name, []).append(rec.record_id)
    items = [
        ScoreItem(ind.name, ind.points if ind.positive else -ind.points,
                  tuple(sorted(by_indicator[ind.name])), ind.definition)
        for ind in indicators() if ind.name in by_indicator
    ]
    score = negative_points() + UNLISTED_POINTS + sum(i.points for i in items)
    return Scorecard("zhejiang", score, _grade(score, ZJ_GRADES), as_of, items)


def tax_grade(records: Iterable[Record], as_of: dt.date) -> Scorecard:
    """The tax-style A–D compliance grade of one firm (see the module docstring)."""
    found: dict[str, list[str]] = {}
    forced: list[str] = []
    for rec in records:
        if not rec.active(as_of):
            continue
        if rec.kind in TAX_D_AT_ONCE:
            forced.append(rec.record_id)
        key = _tax_type(rec)
        if key:
            found.setdefault(key, []).append(rec.record_id)
    items = [ScoreItem(k, -TAX_DEDUCTIONS[k], tuple(sorted(v)), _TAX_DOC[k])
             for k, v in sorted(found.items())]
    score = 100 + sum(i.points for i in items)
    grade = _grade(score, TAX_GRADES)
    if forced:
        items.append(ScoreItem("blacklisting", 0, tuple(sorted(forced)),
                               "blacklisted or abnormal taxpayer: grade D at once"))
        grade = "D"
    return Scorecard("tax", score, grade, as_of, items)


_TAX_DOC = {
    "tax_arrears_large": "tax arrears of RMB 50,000 or more",
    "tax_arrears_small": "tax arrears below RMB 50,000 (or of unknown amount)",
    "social_insurance_arrears": "social-insurance contributions unpaid",
    "tax_penalty": "administrative penalty issued by a tax authority",
}


def _tax_type(rec: Record) -> str | None:
    if rec.kind == "tax_unpaid":
        large = rec.amount is not None and rec.amount >= TAX_ARREARS_THRESHOLD
        return "tax_arrears_large" if large else "tax_arrears_small"
    if rec.kind == "social_insurance_unpaid":
        return "social_insurance_arrears"
    if rec.kind == "administrative_penalty" and "Tax" in rec.agency:
        return "tax_penalty"
    return None


# ---------------------------------------------------------------------------------------------
# Bulk versions: the same rules over a whole snapshot (evaluation ranks every firm).
# ---------------------------------------------------------------------------------------------

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def active_mask(snap: Snapshot, t: int) -> BoolArray:
    """Records in force at day ``t`` (models/risk/records.py rules), vectorised."""
    listing = np.array([RECORD_KINDS[k].listing for k in KINDS], dtype=bool)
    kind = snap.rec_kind.astype(np.int64)
    is_listing = np.where(kind >= 0, listing[np.maximum(kind, 0)], False)
    issued, removed = snap.rec_issued, snap.rec_removed
    in_force = (issued <= t) & (removed > t)
    return in_force & (is_listing | (t - issued < PUBLICITY_DAYS))


def current_key_roles(snap: Snapshot, t: int) -> BoolArray:
    return (snap.role_since <= t) & (snap.role_until > t)


def bulk_zhejiang(snap: Snapshot, as_of: dt.date) -> tuple[FloatArray, npt.NDArray[np.object_]]:
    """Zhejiang scores and grades of every firm in ``snap`` as of ``as_of``."""
    t = day_of(as_of)
    n = snap.n_firms
    active = active_mask(snap, t)
    kind_indicator = [RECORD_KINDS[k].indicator for k in KINDS]
    ind_names = [i.name for i in indicators()]
    hit = np.zeros((n, len(ind_names)), dtype=bool)
    kind = snap.rec_kind.astype(np.int64)
    violation = snap.rec_outcome >= 1
    firm_rec = active & ~snap.rec_on_person
    for code, name in enumerate(kind_indicator):
        if name is None or name not in ind_names:
            continue
        col = ind_names.index(name)
        sel = (kind == code) & active
        firm_sel = sel & ~snap.rec_on_person
        hit[snap.rec_subject[firm_sel], col] = True
        person_sel = sel & snap.rec_on_person
        if person_sel.any():  # people read through the resolution (Snapshot.person_of)
            who = snap.person_of(t)
            listed = np.zeros(snap.n_people, dtype=bool)
            listed[who[snap.rec_subject[person_sel]]] = True
            roles = current_key_roles(snap, t) & listed[who[snap.role_person]]
            hit[snap.role_firm[roles], col] = True
    insp = firm_rec & violation & np.isin(kind, [KINDS.index("random_inspection"),
                                                 KINDS.index("targeted_inspection")])
    hit[snap.rec_subject[insp], ind_names.index(INSPECTION_INDICATOR)] = True
    signed = np.array([i.points if i.positive else -i.points for i in indicators()])
    score = negative_points() + UNLISTED_POINTS + hit.astype(np.int64) @ signed
    grades = np.full(n, "poor", dtype=object)
    for name, floor in reversed(ZJ_GRADES[:-1]):
        grades[score >= floor] = name
    return score.astype(np.float64), grades


def bulk_tax(snap: Snapshot, as_of: dt.date) -> tuple[FloatArray, npt.NDArray[np.object_]]:
    """Tax-style scores (100 minus deductions) and A–D grades of every firm."""
    t = day_of(as_of)
    n = snap.n_firms
    act = active_mask(snap, t) & ~snap.rec_on_person
    kind = snap.rec_kind.astype(np.int64)
    subj = snap.rec_subject

    def has(sel: BoolArray) -> BoolArray:
        out = np.zeros(n, dtype=bool)
        out[subj[sel & act]] = True
        return out

    tax = kind == KINDS.index("tax_unpaid")
    large = tax & (snap.rec_amount >= TAX_ARREARS_THRESHOLD)
    deduction = (11 * has(large) + 5 * has(tax & ~large)
                 + 5 * has(kind == KINDS.index("social_insurance_unpaid"))
                 + 11 * has((kind == KINDS.index("administrative_penalty"))
                            & snap.rec_tax_agency))
    score = 100 - deduction
    forced = has(np.isin(kind, [KINDS.index(k) for k in TAX_D_AT_ONCE]))
    grades = np.full(n, "D", dtype=object)
    for name, floor in reversed(TAX_GRADES[:-1]):
        grades[score >= floor] = name
    grades[forced] = "D"
    return score.astype(np.float64), grades
