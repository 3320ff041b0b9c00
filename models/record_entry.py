"""Adding a credit record by hand (an agency through the API), validated and audited."""

from __future__ import annotations

import datetime as dt

from neo4j import Driver, ManagedTransaction

from riskgraph.graph.audit_trail import append_event
from riskgraph.graph.config import get_settings
from riskgraph.graph.driver import run_tx
from riskgraph.graph.errors import BadInput, NotFound
from riskgraph.graph.identifiers import lookup_firm_id
from riskgraph.graph.schema import RECORD_KINDS, Disclosure, RecordSubject, Severity, category_label


def add_record(driver: Driver, *, record_id: str, uscc: str, kind: str, agency: str,
               issued_on: dt.date, disclosure: str, severity: str | None = None,
               amount: float | None = None, removed_on: dt.date | None = None,
               actor: str, database: str | None = None) -> str:
    """Create a company's credit record of ``kind``; BadInput names every invalid field."""
    spec = RECORD_KINDS.get(kind)
    problems = []
    if spec is None or spec.subject is not RecordSubject.COMPANY:
        problems.append(f"kind {kind!r} is not a company record kind")
    if disclosure not in {d.value for d in Disclosure}:
        problems.append(f"disclosure must be one of {', '.join(d.value for d in Disclosure)}")
    if severity is not None and severity not in {s.value for s in Severity}:
        problems.append(f"severity must be one of {', '.join(s.value for s in Severity)}")
    if amount is not None and amount < 0:
        problems.append("amount must be 0 or more")
    if removed_on is not None and removed_on < issued_on:
        problems.append("removed_on is before issued_on")
    if not agency.strip():
        problems.append("agency must not be empty")
    if problems or spec is None:
        raise BadInput("credit record refused: " + "; ".join(problems))
    record = {"record_id": record_id, "category": spec.category, "kind": kind,
              "agency": agency, "issued_on": issued_on.isoformat(),
              "removed_on": removed_on.isoformat() if removed_on else None,
              "polarity": spec.polarity.value, "severity": severity, "amount": amount,
              "disclosure": disclosure, "source": "riskgraph-api", "source_id": record_id}

    def write_it(tx: ManagedTransaction) -> None:
        done = run_tx(tx, "objections/create_credit_record", uscc=lookup_firm_id(uscc),
                      record=record, label=category_label(spec.category))
        if not done:
            raise NotFound(f"no company with USCC {uscc!r}")
        append_event(tx, actor=actor, action="credit_record.created",
                     subject_type="CreditRecord", subject_id=record_id, after=record)

    with driver.session(database=database or get_settings().neo4j_database) as s:
        s.execute_write(write_it)
    return record_id
