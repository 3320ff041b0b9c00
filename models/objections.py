"""Objections: a firm contests a credit record or its ranking; people decide, the graph records.

States (every transition stores when, who and why, and appends an audit event)::

    filed ──► accepted ──► under_review ──► upheld ─────┐
      │                                  └─► overturned ─┼──► published
      └─────► rejected ──────────────────────────────────┘

*upheld* means the record (or ranking) stands; *overturned* means it does not. An overturned
record is kept and marked (``overturned``, ``overturned_at``, ``overturned_by``), never deleted;
the snapshot and the explanations skip it, so it no longer feeds features. An overturned
ranking marks the firm's assessment in that run. The caller then re-scores in a new run.

Transitions are checked twice: here (a clear error for an illegal move) and in the Cypher,
which takes the objection's write lock before testing its state, so of two concurrent
transitions of one objection exactly one wins and the other gets a Conflict.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver, ManagedTransaction

from riskgraph.graph.audit_trail import append_event
from riskgraph.graph.config import get_settings
from riskgraph.graph.driver import read, run_tx
from riskgraph.graph.errors import BadInput, Conflict, NotFound
from riskgraph.graph.identifiers import IdentifierError, clean_firm_id

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "filed": ("accepted", "rejected"),
    "accepted": ("under_review",),
    "under_review": ("upheld", "overturned"),
    "upheld": ("published",),
    "overturned": ("published",),
    "rejected": ("published",),
    "published": (),
}
STATES = tuple(TRANSITIONS)


@dataclass
class Objection:
    objection_id: str
    uscc: str
    subject: str
    """``record`` or ``ranking``."""
    record_id: str | None
    run_id: str | None
    state: str
    version: int
    filed_by: str
    grounds: str
    filed_at: str
    updated_at: str
    transitions: list[dict[str, Any]] = field(default_factory=list)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _db(database: str | None) -> str:
    return database or get_settings().neo4j_database


def get_objection(driver: Driver, objection_id: str, database: str | None = None) -> Objection:
    rows = read(driver, "objections/get_objection", database, objection_id=objection_id)
    if not rows:
        raise NotFound(f"no objection {objection_id!r}")
    r = rows[0]
    return Objection(**{**r, "transitions": [t for t in r["transitions"] if t["to_state"]]})


def list_objections(driver: Driver, database: str | None = None, *, uscc: str | None = None,
                    state: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    if state is not None and state not in STATES:
        raise BadInput(f"unknown objection state {state!r}; states: {', '.join(STATES)}")
    return read(driver, "objections/list_objections", database, uscc=uscc, state=state,
                limit=limit)


def file_objection(driver: Driver, *, uscc: str, grounds: str, filed_by: str,
                   record_id: str | None = None, run_id: str | None = None,
                   database: str | None = None) -> Objection:
    """File an objection by firm ``uscc`` against one of its records or its ranking in a run.

    The record must be the firm's own or one of its key persons'; NotFound for an unknown
    record, run or firm.
    """
    try:
        uscc = clean_firm_id(uscc)
    except IdentifierError as exc:
        raise BadInput(f"not a firm identifier: {uscc!r}: {exc}") from None
    if not grounds.strip():
        raise BadInput("an objection needs its grounds (--grounds)")
    if (record_id is None) == (run_id is None):
        raise BadInput("contest either a record (--record) or a ranking (--run), not both")
    if record_id is not None:
        rec = read(driver, "objections/get_credit_record", database, record_id=record_id)
        if not rec:
            raise NotFound(f"no credit record {record_id!r}")
        r = rec[0]
        if r["company_uscc"] != uscc and uscc not in (r["served_usccs"] or []):
            raise BadInput(f"record {record_id} is neither firm {uscc}'s nor one of its key "
                           "persons'")
        if r["overturned"]:
            raise Conflict(f"record {record_id} is already overturned")
    else:
        from riskgraph.models.ranking import get_run

        get_run(driver, str(run_id), database)
        if not read(driver, "ranking/get_assessment", database, run_id=run_id, uscc=uscc):
            raise NotFound(f"firm {uscc} has no assessment in run {run_id}")
    objection_id = f"OBJ-{uuid.uuid4().hex[:12].upper()}"
    at = _now()

    def write_it(tx: ManagedTransaction) -> None:
        done = run_tx(tx, "objections/create_objection", objection_id=objection_id,
                      uscc=uscc, record_id=record_id, run_id=run_id, filed_by=filed_by,
                      grounds=grounds, filed_at=at)
        if not done:
            raise NotFound(f"no company with USCC {uscc}")
        append_event(tx, actor=filed_by, action="objection.filed", subject_type="Objection",
                     subject_id=objection_id, reason=grounds,
                     after={"state": "filed", "uscc": uscc, "record_id": record_id,
                            "run_id": run_id})

    with driver.session(database=_db(database)) as s:
        s.execute_write(write_it)
    return get_objection(driver, objection_id, database)


def transition(driver: Driver, objection_id: str, to_state: str, *, actor: str, reason: str,
               database: str | None = None) -> Objection:
    """Move the objection to ``to_state``; BadInput if illegal, Conflict if it lost a race."""
    if to_state not in STATES:
        raise BadInput(f"unknown objection state {to_state!r}; states: {', '.join(STATES)}")
    if not reason.strip():
        raise BadInput("every transition needs a reason (--reason)")
    current = get_objection(driver, objection_id, database)
    if to_state not in TRANSITIONS[current.state]:
        allowed = ", ".join(TRANSITIONS[current.state]) or "none (final state)"
        raise BadInput(f"objection {objection_id} is {current.state}; it cannot move to "
                       f"{to_state} (allowed: {allowed})")
    at = _now()

    def write_it(tx: ManagedTransaction) -> None:
        moved = run_tx(tx, "objections/transition_objection", objection_id=objection_id,
                       from_state=current.state, to_state=to_state, actor=actor,
                       reason=reason, at=at)
        if not moved:
            raise Conflict(f"objection {objection_id} changed while this transition was being "
                           f"made (it is no longer {current.state}); nothing was changed")
        append_event(tx, actor=actor, action=f"objection.{to_state}",
                     subject_type="Objection", subject_id=objection_id, reason=reason,
                     before={"state": current.state}, after={"state": to_state})
        if to_state == "overturned":
            _apply_overturn(tx, current, actor, reason, at)

    with driver.session(database=_db(database)) as s:
        s.execute_write(write_it)
    return get_objection(driver, objection_id, database)


def _apply_overturn(tx: ManagedTransaction, o: Objection, actor: str, reason: str,
                    at: str) -> None:
    if o.record_id is not None:
        before = run_tx(tx, "objections/overturn_record", record_id=o.record_id,
                        objection_id=o.objection_id, at=at)
        append_event(tx, actor=actor, action="credit_record.overturned",
                     subject_type="CreditRecord", subject_id=o.record_id, reason=reason,
                     before=before[0]["before"] if before else None,
                     after={"overturned": True, "overturned_by": o.objection_id})
    else:
        before = run_tx(tx, "objections/overturn_assessment", run_id=o.run_id, uscc=o.uscc,
                        objection_id=o.objection_id, at=at)
        append_event(tx, actor=actor, action="risk_assessment.overturned",
                     subject_type="RiskAssessment", subject_id=f"{o.run_id}/{o.uscc}",
                     reason=reason, before=before[0] if before else None,
                     after={"overturned": True, "overturned_by": o.objection_id})
