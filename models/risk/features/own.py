"""Features from the firm's own credit records (counts, recency, severity, inspections)."""

from __future__ import annotations

import numpy as np

from riskgraph.models.risk.features.context import (
    BLACKLISTS,
    INSPECTIONS,
    PENALTY,
    YEAR,
    FeatureContext,
    FloatArray,
    IntArray,
    kind_code,
)
from riskgraph.models.risk.features.counts import (
    ACTIVE,
    BL,
    INSP,
    NEGATIVE,
    NEGATIVE_RATE_RECORDS,
    NO_RECORDS,
    PEN,
    Y1,
    Y3,
    Own,
    all_of,
    kind,
    outcome,
)
from riskgraph.models.risk.features.registry import feature


@feature("own", scope="own", counts=Own(all_of(PEN, Y1)))
def penalties_1y(ctx: FeatureContext) -> FloatArray:
    """Administrative penalties in the 12 months before the as-of date.

    Count of the firm's ``administrative_penalty`` records issued in the last 365 days."""
    return ctx.count(ctx.kind_is(PENALTY) & ctx.within(YEAR))


@feature("own", scope="own", counts=Own(all_of(PEN, Y3)))
def penalties_3y(ctx: FeatureContext) -> FloatArray:
    """Administrative penalties in the three years before the as-of date.

    Count of ``administrative_penalty`` records issued in the last 3 × 365 days."""
    return ctx.penalty_count_3y


@feature("own", scope="own", counts=Own(all_of(PEN, Y3, lambda c: c.rec("severity") >= 1)))
def serious_penalties_3y(ctx: FeatureContext) -> FloatArray:
    """Serious or particularly serious penalties in the last three years.

    Count of penalties with severity ``serious`` or ``particularly_serious``."""
    return ctx.count(ctx.kind_is(PENALTY) & ctx.within(3 * YEAR) & (ctx.rec("severity") >= 1))


@feature("own", scope="own", counts=Own(PEN, latest=True))
def penalty_recency(ctx: FeatureContext) -> FloatArray:
    """A recent administrative penalty.

    exp(−days since the latest penalty / 365); 0 without any penalty."""
    return ctx.recency(ctx.kind_is(PENALTY), YEAR)


@feature("own", scope="own", counts=Own(all_of(PEN, Y3, lambda c: c.rec("amount") > 0)))
def penalty_amount_3y(ctx: FeatureContext) -> FloatArray:
    """Large fines in the last three years.

    log10(1 + total RMB of penalty amounts issued in the last three years)."""
    amount = np.maximum(ctx.rec("amount").astype(np.float64), 0.0)
    total = ctx.count(ctx.kind_is(PENALTY) & ctx.within(3 * YEAR), amount)
    return np.log10(1.0 + total)


@feature("own", scope="own", counts=Own(all_of(NEGATIVE, Y3)))
def severity_score_3y(ctx: FeatureContext) -> FloatArray:
    """Severity of its negative records in the last three years.

    Sum over negative records of the last three years of 1 (general or unrated), 2 (serious),
    3 (particularly serious)."""
    sev = ctx.rec("severity").astype(np.float64)
    weight = np.where(sev >= 0, sev + 1.0, 1.0)
    return ctx.count(ctx.rec("negative").astype(bool) & ctx.within(3 * YEAR), weight)


@feature("own", scope="own", counts=Own(all_of(NEGATIVE, Y1)))
def negative_records_1y(ctx: FeatureContext) -> FloatArray:
    """Negative credit records of any kind in the last 12 months.

    Count of records with negative polarity (and inspections that found a violation)."""
    return ctx.count(ctx.rec("negative").astype(bool) & ctx.within(YEAR))


@feature("own", scope="own", counts=Own(all_of(kind("tax_unpaid", "abnormal_taxpayer"), Y3)))
def tax_arrears_3y(ctx: FeatureContext) -> FloatArray:
    """Tax arrears or an abnormal-taxpayer finding in the last three years.

    Count of ``tax_unpaid`` and ``abnormal_taxpayer`` records of the last three years."""
    return ctx.count(ctx.kind_is(kind_code("tax_unpaid", "abnormal_taxpayer"))
                     & ctx.within(3 * YEAR))


@feature("own", scope="own",
         counts=Own(all_of(kind("tax_unpaid"), lambda c: c.rec("amount") >= 50_000, ACTIVE)))
def large_tax_arrears_active(ctx: FeatureContext) -> FloatArray:
    """Unpaid tax arrears of RMB 50,000 or more.

    1 when a ``tax_unpaid`` record of at least RMB 50,000 is in force."""
    big = ctx.kind_is(kind_code("tax_unpaid")) & (ctx.rec("amount") >= 50_000) & ctx.rec_active
    return (ctx.count(big) > 0).astype(np.float64)


@feature("own", scope="own", counts=Own(all_of(kind("social_insurance_unpaid"), Y3)))
def social_insurance_arrears_3y(ctx: FeatureContext) -> FloatArray:
    """Unpaid social-insurance contributions in the last three years.

    Count of ``social_insurance_unpaid`` records of the last three years."""
    return ctx.count(ctx.kind_is(kind_code("social_insurance_unpaid")) & ctx.within(3 * YEAR))


@feature("own", scope="own", counts=Own(all_of(kind("utility_unpaid"), Y3)))
def utility_arrears_3y(ctx: FeatureContext) -> FloatArray:
    """Utility arrears established by a court in the last three years.

    Count of ``utility_unpaid`` records of the last three years."""
    return ctx.count(ctx.kind_is(kind_code("utility_unpaid")) & ctx.within(3 * YEAR))


@feature("own", scope="own", counts=Own(all_of(kind("abnormal_operations"), ACTIVE)))
def abnormal_operations_active(ctx: FeatureContext) -> FloatArray:
    """Currently on the list of abnormal operations.

    1 when an ``abnormal_operations`` listing is in force (not removed)."""
    sel = ctx.kind_is(kind_code("abnormal_operations")) & ctx.rec_active
    return (ctx.count(sel) > 0).astype(np.float64)


@feature("own", scope="own", counts=Own(all_of(kind("abnormal_operations"), Y3)))
def abnormal_operations_3y(ctx: FeatureContext) -> FloatArray:
    """Listed for abnormal operations in the last three years.

    Count of ``abnormal_operations`` listings issued in the last three years (removed or not)."""
    return ctx.count(ctx.kind_is(kind_code("abnormal_operations")) & ctx.within(3 * YEAR))


@feature("own", scope="own", counts=Own(all_of(kind("judgment_unsatisfied"), ACTIVE)))
def judgment_unsatisfied_active(ctx: FeatureContext) -> FloatArray:
    """An unsatisfied court judgment is on file.

    1 when a ``judgment_unsatisfied`` listing is in force."""
    sel = ctx.kind_is(kind_code("judgment_unsatisfied")) & ctx.rec_active
    return (ctx.count(sel) > 0).astype(np.float64)


@feature("own", scope="own", counts=Own(all_of(BL, ACTIVE)))
def blacklisted_active(ctx: FeatureContext) -> FloatArray:
    """Currently blacklisted (serious-dishonest list or procurement ban).

    1 when a ``serious_dishonest_enterprise_list`` or ``procurement_ban`` listing is in force."""
    return ctx.blacklisted.astype(np.float64)


@feature("own", scope="own", counts=Own(BL))
def blacklistings_ever(ctx: FeatureContext) -> FloatArray:
    """Blacklistings on file, current or past.

    Count of serious-dishonest and procurement-ban listings issued by the as-of date."""
    return ctx.count(ctx.kind_is(BLACKLISTS))


@feature("own", scope="own", counts=Own(all_of(INSP, Y3)))
def inspections_3y(ctx: FeatureContext) -> FloatArray:
    """Inspected often in the last three years.

    Count of random and targeted inspections of the last three years, whatever the outcome."""
    return ctx.count(ctx.kind_is(INSPECTIONS) & ctx.within(3 * YEAR))


@feature("own", scope="own", counts=Own(all_of(INSP, Y3, outcome(lambda o: o >= 1))))
def inspection_violations_3y(ctx: FeatureContext) -> FloatArray:
    """Inspections found violations in the last three years.

    Count of inspections of the last three years with outcome ``violation`` or
    ``serious_violation``."""
    return ctx.count(ctx.kind_is(INSPECTIONS) & ctx.within(3 * YEAR) & (ctx.rec("outcome") >= 1))


@feature("own", scope="own", counts=Own(all_of(INSP, Y3, outcome(lambda o: o == 2))))
def inspection_serious_3y(ctx: FeatureContext) -> FloatArray:
    """Inspections found serious violations in the last three years.

    Count of inspections of the last three years with outcome ``serious_violation``."""
    return ctx.count(ctx.kind_is(INSPECTIONS) & ctx.within(3 * YEAR) & (ctx.rec("outcome") == 2))


@feature("own", scope="own", counts=Own(all_of(INSP, Y3, outcome(lambda o: o == 0))))
def clean_inspections_3y(ctx: FeatureContext) -> FloatArray:
    """Inspections that found nothing in the last three years.

    Count of inspections of the last three years with outcome ``no_violation`` (usually lowers
    the risk)."""
    return ctx.count(ctx.kind_is(INSPECTIONS) & ctx.within(3 * YEAR) & (ctx.rec("outcome") == 0))


@feature("own", scope="own", counts=Own(all_of(INSP, outcome(lambda o: o >= 1)), latest=True))
def violation_recency(ctx: FeatureContext) -> FloatArray:
    """An inspection recently found a violation.

    exp(−days since the latest inspection that found a violation / 365); 0 if none."""
    return ctx.recency(ctx.kind_is(INSPECTIONS) & (ctx.rec("outcome") >= 1), YEAR)


@feature("own", scope="own", counts=NO_RECORDS)
def first_inspection(ctx: FeatureContext) -> FloatArray:
    """Never inspected before.

    1 when the firm has no inspection with an outcome issued by the as-of date."""
    return (ctx.last_inspection[0] < 0).astype(np.float64)


@feature("own", scope="own", counts=Own(all_of(INSP, outcome(lambda o: o >= 0)), latest=True))
def years_since_last_inspection(ctx: FeatureContext) -> FloatArray:
    """A long time since its last inspection.

    Years from the firm's latest inspection to the as-of date, capped at 3 (3 when never
    inspected)."""
    last = ctx.last_inspection[0]
    return np.where(last >= 0, np.minimum((ctx.t - last) / YEAR, 3.0), 3.0)


@feature("own", scope="own", counts=NO_RECORDS)
def last_inspection_violation(ctx: FeatureContext) -> FloatArray:
    """Its last inspection found a violation.

    1 when the firm's latest inspection (by the as-of date) had outcome ``violation`` or
    ``serious_violation``."""
    worst: IntArray = ctx.last_inspection[1]
    return (worst >= 1).astype(np.float64)


@feature("own", scope="own", counts=NO_RECORDS)
def last_inspection_serious(ctx: FeatureContext) -> FloatArray:
    """Its last inspection found a serious violation.

    1 when the firm's latest inspection (by the as-of date) had outcome
    ``serious_violation``."""
    worst: IntArray = ctx.last_inspection[1]
    return np.equal(worst, 2).astype(np.float64)


@feature("own", scope="own", counts=Own(all_of(INSP, outcome(lambda o: o >= 1))))
def failed_inspections_ever(ctx: FeatureContext) -> FloatArray:
    """Many inspections found violations over its whole history.

    log10(1 + inspections with outcome ``violation`` or ``serious_violation`` issued by the
    as-of date, however long ago)."""
    found = ctx.count(ctx.kind_is(INSPECTIONS) & (ctx.rec("outcome") >= 1))
    return np.asarray(np.log10(1.0 + found), dtype=np.float64)


@feature("own", scope="own", counts=Own(all_of(INSP, outcome(lambda o: o == 2)), latest=True))
def serious_violation_recency(ctx: FeatureContext) -> FloatArray:
    """An inspection recently found a serious violation.

    exp(−days since the latest inspection that found a serious violation / 365); 0 if
    none."""
    return ctx.recency(ctx.kind_is(INSPECTIONS) & (ctx.rec("outcome") == 2), YEAR)


@feature("own", scope="own", counts=Own(NEGATIVE_RATE_RECORDS))
def negative_rate(ctx: FeatureContext) -> FloatArray:
    """A long record of negative entries.

    Negative records (inspection findings excluded) per year of the firm's life, over at most
    the last eight years."""
    return ctx.negative_rate
