"""Credit repair: ending a blacklisting early, never before its minimum listing period.

A firm that has corrected its conduct may apply to have a listing (a record whose kind is a
listing in graph/schema.py: the serious-dishonesty list, procurement bans, abnormal operations,
unsatisfied judgments, ...) removed before its natural end. The agency decides; the software
refuses any repair before the minimum period for the record's severity has passed since the
record was issued. The defaults follow the national credit-repair rules' minimum publication
periods (docs/inspection-plans.md): 3 months for general, 1 year for serious and 3 years for
particularly serious dishonesty; ``--min-months`` overrides them.

A repaired record is kept: its ``removed_on`` moves to the repair date (so it stops counting as
active), ``repaired`` is set and the original end date is kept beside it; an audit event records
the change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from riskgraph.graph.errors import BadInput, Conflict, NotFound
from riskgraph.graph.schema import RECORD_KINDS, Polarity
from riskgraph.graph.store import Store
from riskgraph.graph.store.records import get_record, repair_record
from riskgraph.models.name_values import parse_name_numbers

DEFAULT_MIN_MONTHS: dict[str, int] = {"general": 3, "serious": 12, "particularly_serious": 36}


def parse_min_months(text: str) -> dict[str, int]:
    """``"general=3,serious=12,particularly_serious=36"`` → checked minimum periods."""
    def bad(part: str) -> str:
        return (f"minimum period {part!r} must be severity=months with severity one of "
                f"{', '.join(DEFAULT_MIN_MONTHS)}")

    out = dict(DEFAULT_MIN_MONTHS)
    for name, months in parse_name_numbers(text, bad).items():
        if name not in DEFAULT_MIN_MONTHS or months < 0 or not months.is_integer():
            raise BadInput(bad(f"{name}={months:g}"))
        out[name] = int(months)
    return out


def add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in range(day.day, 0, -1):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def earliest_repair(issued_on: dt.date, severity: str | None,
                    min_months: Mapping[str, int] = DEFAULT_MIN_MONTHS) -> dt.date:
    return add_months(issued_on, min_months.get(severity or "general", min_months["general"]))


def repair(store: Store, record_id: str, *, on: dt.date, actor: str, reason: str,
           min_months: Mapping[str, int] = DEFAULT_MIN_MONTHS) -> dt.date:
    """End listing ``record_id`` on ``on``; returns the date. Refuses early or invalid repairs."""
    if not reason.strip():
        raise BadInput("a credit repair needs its reason", field="reason")
    r = get_record(store, record_id)
    if r is None:
        raise NotFound(f"no credit record {record_id!r}", field="record_id")
    spec = RECORD_KINDS.get(str(r["kind"]))
    if spec is None or not spec.listing or spec.polarity is not Polarity.NEGATIVE:
        raise BadInput(f"record {record_id} ({r['kind']}) is not a negative listing; only "
                       "listings (blacklists, bans, abnormal operations, ...) can be repaired")
    issued = dt.date.fromisoformat(str(r["issued_on"]))
    if r["removed_on"] and dt.date.fromisoformat(str(r["removed_on"])) <= on:
        raise Conflict(f"record {record_id} is no longer listed on {on} (removed on "
                       f"{r['removed_on']})")
    earliest = earliest_repair(issued, r["severity"], min_months)
    if on < earliest:
        raise BadInput(f"record {record_id} ({r['severity'] or 'general'}, issued {issued}) "
                       f"cannot be repaired before {earliest}: the minimum listing period is "
                       f"{min_months.get(r['severity'] or 'general')} months")

    repair_record(store, record_id, on=on, actor=actor, reason=reason)
    return on
