"""Adding a credit record by hand (an agency through the API), validated and audited
(graph/store/records.py writes it)."""

from __future__ import annotations

import datetime as dt

from riskgraph.graph.errors import BadInput, about
from riskgraph.graph.identifiers import lookup_firm_id
from riskgraph.graph.schema import RECORD_KINDS, Disclosure, RecordSubject, Severity
from riskgraph.graph.store import Store
from riskgraph.graph.store.records import create_record


def add_record(store: Store, *, record_id: str, uscc: str, kind: str, agency: str,
               issued_on: dt.date, disclosure: str, severity: str | None = None,
               amount: float | None = None, removed_on: dt.date | None = None,
               actor: str) -> str:
    """Create a company's credit record of ``kind``; BadInput names every invalid field."""
    spec = RECORD_KINDS.get(kind)
    problems: list[tuple[str | None, str]] = []
    if spec is None or spec.subject is not RecordSubject.COMPANY:
        problems.append(("kind", f"kind {kind!r} is not a company record kind"))
    if disclosure not in {d.value for d in Disclosure}:
        problems.append(("disclosure", "disclosure must be one of "
                         + ", ".join(d.value for d in Disclosure)))
    if severity is not None and severity not in {s.value for s in Severity}:
        problems.append(("severity", "severity must be one of "
                         + ", ".join(s.value for s in Severity)))
    if amount is not None and amount < 0:
        problems.append(("amount", "amount must be 0 or more"))
    if removed_on is not None and removed_on < issued_on:
        problems.append(("removed_on", "removed_on is before issued_on"))
    if not agency.strip():
        problems.append(("agency", "agency must not be empty"))
    if problems or spec is None:
        raise BadInput("credit record refused: " + "; ".join(m for _, m in problems),
                       problems=tuple(problems))
    record = {"record_id": record_id, "category": spec.category, "kind": kind,
              "agency": agency, "issued_on": issued_on.isoformat(),
              "removed_on": removed_on.isoformat() if removed_on else None,
              "polarity": spec.polarity.value, "severity": severity, "amount": amount,
              "disclosure": disclosure, "source": "riskgraph-api", "source_id": record_id}

    with about("uscc"):
        return create_record(store, uscc=lookup_firm_id(uscc), record=record, actor=actor)
