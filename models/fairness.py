"""Fairness audit of a ranking run: who gets selected, who gets wrongly selected, and why.

For each attribute — ownership type, province, size band, age band, political connection —
and each group of it, the audit reports against a **reference group** (private firms for
ownership, the largest group otherwise):

* **selection rate** into the high tiers (high + critical) and its ratio to the reference;
* **mean calibrated risk** and its ratio;
* the **observed violation rate** of random-stream inspections (the only unbiased outcomes),
  its ratio and a 95% confidence interval for that ratio (Katz log method);
* **precision** (violations among selected firms that were randomly inspected) and the
  **false-positive rate** (selected among randomly inspected firms without a violation).

A group is **flagged** when its selection-rate ratio leaves [0.8, 1.25] (the four-fifths rule,
both ways) and its observed violation-rate ratio does not explain it: the selection ratio lies
outside the violation ratio's confidence interval, or the group has too few random-stream
outcomes (< :data:`MIN_OUTCOMES`) to tell.

Outcomes come from random-stream inspections in the 12 months after the run's as-of date; when
the data has fewer than :data:`MIN_WINDOW` of them (a run scored at the end of the data), the 12
months *before* the as-of date are used instead and the report says so: those outcomes partly
fed the scores, so precision is optimistic there.

The **soft-merit check** compares politically connected firms with the rest on the provincial
scorecard (which rewards honours, donations and redlists), on the model's risk, and on observed
violation rates over the three years before the as-of date.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from riskgraph.graph.schema import RECORD_KINDS, Polarity
from riskgraph.graph.snapshot import DAY_MIN, KINDS, Snapshot, date_of, day_of
from riskgraph.models.dataset import Outcomes
from riskgraph.models.features import compute_features
from riskgraph.models.scorecards import bulk_zhejiang
from riskgraph.models.streams import RANDOM
from riskgraph.models.tiers import HIGH_TIERS

BAND = (0.8, 1.25)
MIN_OUTCOMES = 20
MIN_WINDOW = 100
SIZE_BANDS = ((0, 10, "micro (<10)"), (10, 100, "small (10-99)"),
              (100, 1000, "medium (100-999)"), (1000, math.inf, "large (1000+)"))
AGE_BANDS = ((0, 3, "young (<3 y)"), (3, 10, "established (3-9 y)"),
             (10, math.inf, "mature (10+ y)"))
ATTRIBUTES = ("ownership", "province", "size", "age", "political")


@dataclass
class GroupStat:
    attribute: str
    group: str
    reference: bool
    firms: int
    selected: int
    selection_rate: float
    selection_ratio: float | None
    mean_risk: float
    risk_ratio: float | None
    inspected: int
    violations: int
    violation_rate: float | None
    violation_ratio: float | None
    violation_ratio_ci: tuple[float, float] | None
    precision: float | None
    false_positive_rate: float | None
    flagged: bool = False
    note: str = ""


@dataclass
class SoftMeritStratum:
    """Connected vs other firms among randomly inspected firms with the same outcome."""

    outcome: str
    connected: int
    other: int
    scorecard_connected: float | None
    scorecard_other: float | None
    risk_connected: float | None
    risk_other: float | None


@dataclass
class SoftMeritCheck:
    connected_firms: int
    other_firms: int
    scorecard_connected: float
    scorecard_other: float
    risk_connected: float
    risk_other: float
    violation_rate_connected: float | None
    violation_rate_other: float | None
    inspected_connected: int
    inspected_other: int
    soft_points_connected: float = 0.0
    """Mean scorecard points from positive (soft-merit) records: honours, donations, redlists."""
    soft_points_other: float = 0.0
    strata: list[SoftMeritStratum] = field(default_factory=list)
    verdict: list[str] = field(default_factory=list)


@dataclass
class FairnessAudit:
    run_id: str
    as_of: str
    outcome_window: str
    window_is_retrospective: bool
    groups: list[GroupStat]
    soft_merit: SoftMeritCheck

    @property
    def flags(self) -> list[GroupStat]:
        return [g for g in self.groups if g.flagged]

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["flag_count"] = len(self.flags)
        return out


def _band(values: npt.NDArray[np.float64], bands: Sequence[tuple[float, float, str]]
          ) -> npt.NDArray[np.object_]:
    out = np.full(len(values), "unknown", dtype=object)
    for lo, hi, name in bands:
        out[(values >= lo) & (values < hi)] = name
    return out


def attribute_groups(snap: Snapshot, t: int, connected: npt.NDArray[np.bool_]
                     ) -> dict[str, npt.NDArray[np.object_]]:
    """Each firm's group for every audited attribute (aligned with ``snap.uscc``)."""
    ownership = np.array([o or "unknown" for o in snap.ownership.tolist()], dtype=object)
    province = np.array([(r or "??")[:2] + "xxxx" for r in snap.region.tolist()], dtype=object)
    employees = np.where(snap.employees >= 0, snap.employees, np.nan)
    age_years = np.where(snap.founded > DAY_MIN, (t - snap.founded) / 365.25, np.nan)
    return {"ownership": ownership, "province": province,
            "size": _band(employees, SIZE_BANDS), "age": _band(age_years, AGE_BANDS),
            "political": np.where(connected, "politically connected", "not connected")}


def _ratio_ci(a: int, n1: int, b: int, n0: int) -> tuple[float, float] | None:
    """95% CI of (a/n1)/(b/n0) by the Katz log method; None when undefined."""
    if min(a, b) == 0 or min(n1, n0) == 0:
        return None
    se = math.sqrt(1 / a - 1 / n1 + 1 / b - 1 / n0)
    r = (a / n1) / (b / n0)
    return (r * math.exp(-1.96 * se), r * math.exp(1.96 * se))


Flags = npt.NDArray[np.bool_]


def random_outcomes(out: Outcomes, n: int, lo: int, hi: int) -> tuple[Flags, Flags, int]:
    """Per firm over days (lo, hi]: randomly inspected, violation found; and the number of
    random-stream inspections in the window."""
    sel = (out.stream == RANDOM) & (out.day > lo) & (out.day <= hi)
    inspected = np.zeros(n, dtype=bool)
    violation = np.zeros(n, dtype=bool)
    inspected[out.firm[sel]] = True
    violation[out.firm[sel & (out.outcome >= 1)]] = True
    return inspected, violation, int(sel.sum())


def _outcome_window(snap: Snapshot, out: Outcomes, t: int) -> tuple[Flags, Flags, str, bool]:
    """The 12 months after ``t`` (or before it, when too few outcomes follow); window text;
    retrospective?"""
    inspected, violation, count = random_outcomes(out, snap.n_firms, t, t + 365)
    if count >= MIN_WINDOW:
        return inspected, violation, f"{date_of(t + 1)} to {date_of(t + 365)}", False
    inspected, violation, _ = random_outcomes(out, snap.n_firms, t - 365, t)
    return inspected, violation, f"{date_of(t - 364)} to {date_of(t)}", True


def audit(snap: Snapshot, run_id: str, as_of: str, usccs: Sequence[str],
          risk: Sequence[float], tiers: Sequence[str]) -> FairnessAudit:
    """Audit a run's assessments (``usccs``/``risk``/``tiers``) against ``snap``."""
    t = day_of(dt.date.fromisoformat(as_of))
    idx = {u: i for i, u in enumerate(snap.uscc.tolist())}
    rows = np.array([idx[u] for u in usccs if u in idx], dtype=np.int64)
    keep = np.array([u in idx for u in usccs], dtype=bool)
    r = np.asarray(risk, dtype=np.float64)[keep]
    selected = np.isin(np.asarray(tiers, dtype=object)[keep], HIGH_TIERS)
    connected = compute_features(snap, t, ["politically_connected"]).values[:, 0] > 0
    groups = attribute_groups(snap, t, connected)
    outcomes = Outcomes.from_snapshot(snap)
    inspected, violation, window, retro = _outcome_window(snap, outcomes, t)
    insp, viol = inspected[rows], violation[rows]
    stats: list[GroupStat] = []
    for attr in ATTRIBUTES:
        g = groups[attr][rows]
        names, counts = np.unique(g.astype(str), return_counts=True)
        ref = "private" if attr == "ownership" and "private" in names else str(
            names[np.argmax(counts)])
        ref_mask = g == ref
        for name in names.tolist():
            m = g == name
            stats.append(_group_stat(attr, name, name == ref, m, ref_mask, selected, r,
                                     insp, viol))
    last_3y = random_outcomes(outcomes, snap.n_firms, t - 3 * 365, t)[:2]
    soft = _soft_merit(snap, t, rows, r, connected, inspected_3y=last_3y)
    return FairnessAudit(run_id, as_of, window, retro, stats, soft)


def _rate(num: int, den: int) -> float | None:
    return num / den if den else None


def _group_stat(attr: str, name: str, is_ref: bool, m: npt.NDArray[np.bool_],
                ref: npt.NDArray[np.bool_], selected: npt.NDArray[np.bool_],
                risk: npt.NDArray[np.float64], insp: npt.NDArray[np.bool_],
                viol: npt.NDArray[np.bool_]) -> GroupStat:
    n, n_ref = int(m.sum()), int(ref.sum())
    sel, sel_ref = int((selected & m).sum()), int((selected & ref).sum())
    sr, sr_ref = sel / n, sel_ref / n_ref
    ins, ins_ref = int((insp & m).sum()), int((insp & ref).sum())
    v, v_ref = int((insp & viol & m).sum()), int((insp & viol & ref).sum())
    vr, vr_ref = _rate(v, ins), _rate(v_ref, ins_ref)
    sr_ratio = sr / sr_ref if sr_ref else None
    vr_ratio = vr / vr_ref if vr is not None and vr_ref else None
    ci = _ratio_ci(v, ins, v_ref, ins_ref)
    sel_insp = int((selected & insp & m).sum())
    clean = int((insp & ~viol & m).sum())
    stat = GroupStat(
        attribute=attr, group=name, reference=is_ref, firms=n, selected=sel,
        selection_rate=sr, selection_ratio=sr_ratio, mean_risk=float(risk[m].mean()),
        risk_ratio=float(risk[m].mean() / risk[ref].mean()), inspected=ins, violations=v,
        violation_rate=vr, violation_ratio=vr_ratio, violation_ratio_ci=ci,
        precision=_rate(int((selected & insp & viol & m).sum()), sel_insp),
        false_positive_rate=_rate(int((selected & insp & ~viol & m).sum()), clean))
    if is_ref or sr_ratio is None or BAND[0] <= sr_ratio <= BAND[1]:
        return stat
    if ins < MIN_OUTCOMES:
        stat.flagged, stat.note = True, (
            f"selection ratio {sr_ratio:.2f} outside [0.8, 1.25] and only {ins} random-stream "
            "outcomes: no evidence that the difference is warranted")
    elif ci is None or not ci[0] <= sr_ratio <= ci[1]:
        stat.flagged, stat.note = True, (
            f"selection ratio {sr_ratio:.2f} outside [0.8, 1.25], not matched by the observed "
            f"violation ratio {vr_ratio if vr_ratio is not None else float('nan'):.2f} "
            + (f"(95% CI {ci[0]:.2f}-{ci[1]:.2f})" if ci else "(undefined)"))
    else:
        stat.note = (f"selection ratio {sr_ratio:.2f} outside [0.8, 1.25] but within the "
                     f"violation ratio's 95% CI {ci[0]:.2f}-{ci[1]:.2f}: warranted by outcomes")
    return stat


def soft_merit_points(snap: Snapshot, t: int) -> npt.NDArray[np.float64]:
    """Each firm's provincial-scorecard points that come from positive records alone."""
    positive = np.array([RECORD_KINDS[k].polarity is Polarity.POSITIVE for k in KINDS])
    keep = positive[snap.rec_kind.astype(np.int64)]
    only = replace(snap, **{f: getattr(snap, f)[keep] for f in _REC_FIELDS})
    none = replace(snap, **{f: getattr(snap, f)[:0] for f in _REC_FIELDS})
    return bulk_zhejiang(only, date_of(t))[0] - bulk_zhejiang(none, date_of(t))[0]


_REC_FIELDS = [f.name for f in fields(Snapshot) if f.name.startswith("rec_")]


def _mean(values: npt.NDArray[np.float64], mask: npt.NDArray[np.bool_]) -> float | None:
    return float(values[mask].mean()) if mask.any() else None


def _soft_merit(snap: Snapshot, t: int, rows: npt.NDArray[np.int64],
                risk: npt.NDArray[np.float64], connected: npt.NDArray[np.bool_],
                inspected_3y: tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]
                ) -> SoftMeritCheck:
    """Does the scorecard (or the model) rate connected firms better than their conduct?

    Compared within strata of the same observed conduct (randomly inspected firms with and
    without a violation found in the last three years), so that a difference in the scores
    cannot come from a difference in compliance."""
    zj = bulk_zhejiang(snap, date_of(t))[0][rows]
    c = connected[rows]
    insp, viol = inspected_3y[0][rows], inspected_3y[1][rows]
    ic, io = int((insp & c).sum()), int((insp & ~c).sum())
    check = SoftMeritCheck(
        connected_firms=int(c.sum()), other_firms=int((~c).sum()),
        scorecard_connected=_mean(zj, c) or float("nan"),
        scorecard_other=_mean(zj, ~c) or float("nan"),
        risk_connected=_mean(risk, c) or float("nan"), risk_other=_mean(risk, ~c) or 0.0,
        violation_rate_connected=_rate(int((insp & viol & c).sum()), ic),
        violation_rate_other=_rate(int((insp & viol & ~c).sum()), io),
        inspected_connected=ic, inspected_other=io)
    soft = soft_merit_points(snap, t)[rows]
    check.soft_points_connected = _mean(soft, c) or 0.0
    check.soft_points_other = _mean(soft, ~c) or 0.0
    vc, vo = check.violation_rate_connected, check.violation_rate_other
    if c.any() and vc is not None and vo is not None:
        extra = check.soft_points_connected - check.soft_points_other
        check.verdict.append(
            f"The provincial scorecard gives politically connected firms {extra:+.1f} "
            f"soft-merit points on average ({check.soft_points_connected:.1f} vs "
            f"{check.soft_points_other:.1f}) while their observed violation rate is "
            f"{vc:.1%} against {vo:.1%}: "
            + ("it rates them better without better compliance." if extra > 0 and vc >= vo
               else "no unearned favour." if extra <= 0 else
               "better, in line with better compliance."))
    else:
        check.verdict.append(
            f"Too little data for the soft-merit check: {check.connected_firms} politically "
            f"connected firm(s), {ic} of them randomly inspected in the last three years.")
    card_gaps: list[float] = []
    risk_ratios: list[float] = []
    for name, stratum in (("violation found", insp & viol), ("no violation", insp & ~viol)):
        sc, so = stratum & c, stratum & ~c
        st = SoftMeritStratum(name, int(sc.sum()), int(so.sum()), _mean(zj, sc), _mean(zj, so),
                              _mean(risk, sc), _mean(risk, so))
        check.strata.append(st)
        if st.scorecard_connected is not None and st.scorecard_other is not None:
            card_gaps.append(st.scorecard_connected - st.scorecard_other)
        if st.risk_connected is not None and st.risk_other:
            risk_ratios.append(st.risk_connected / st.risk_other)
    if not risk_ratios:
        check.verdict.append("No stratum has both connected and other inspected firms: the "
                             "model's treatment of connected firms cannot be compared.")
    else:
        lenient = any(r < BAND[0] for r in risk_ratios)
        ratios = ", ".join(f"{r:.2f}x" for r in risk_ratios)
        check.verdict.append(
            f"The inspection model's risk for connected firms, same strata: {ratios} the "
            "others' — " + ("lower than their conduct warrants; investigate." if lenient else
                           "no favour: the model does not use soft merits."))
    return check
