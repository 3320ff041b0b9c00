"""Objections as stored: the objection record, its transitions, and what an overturn marks.

The Cypher takes the objection's write lock before testing its state, so of two concurrent
transitions of one objection exactly one wins (:func:`move_objection` returns False for the
other). An overturn marks the record (or the firm's assessment in the run), never deletes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from neo4j import ManagedTransaction

from riskgraph.graph.driver import run_tx
from riskgraph.graph.errors import NotFound
from riskgraph.graph.store import Store
from riskgraph.graph.store.audit import append_event


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


def get_objection(store: Store, objection_id: str) -> Objection:
    rows = store.read("objections/get_objection", objection_id=objection_id)
    if not rows:
        raise NotFound(f"no objection {objection_id!r}")
    r = rows[0]
    return Objection(**{**r, "transitions": [t for t in r["transitions"] if t["to_state"]]})


def list_objections(store: Store, *, uscc: str | None, state: str | None, limit: int
                    ) -> list[dict[str, Any]]:
    return store.read("objections/list_objections", uscc=uscc, state=state, limit=limit)


def has_assessment(store: Store, run_id: str, uscc: str) -> bool:
    return bool(store.read("ranking/get_assessment", run_id=run_id, uscc=uscc))


def create_objection(store: Store, *, objection_id: str, uscc: str, record_id: str | None,
                     run_id: str | None, filed_by: str, grounds: str, filed_at: str) -> None:
    """Write a filed objection and its audit event; NotFound when the firm is unknown."""

    def write_it(tx: ManagedTransaction) -> None:
        done = run_tx(tx, "objections/create_objection", objection_id=objection_id,
                      uscc=uscc, record_id=record_id, run_id=run_id, filed_by=filed_by,
                      grounds=grounds, filed_at=filed_at)
        if not done:
            raise NotFound(f"no company with USCC {uscc}")
        append_event(tx, actor=filed_by, action="objection.filed", subject_type="Objection",
                     subject_id=objection_id, reason=grounds,
                     after={"state": "filed", "uscc": uscc, "record_id": record_id,
                            "run_id": run_id})

    store.write_tx(write_it)


def move_objection(store: Store, current: Objection, to_state: str, *, actor: str, reason: str,
                   at: str) -> bool:
    """Move ``current`` to ``to_state`` (with its audit event; an overturn marks what it
    contested); False when it is no longer in ``current.state`` (nothing written)."""

    def write_it(tx: ManagedTransaction) -> bool:
        moved = run_tx(tx, "objections/transition_objection",
                       objection_id=current.objection_id, from_state=current.state,
                       to_state=to_state, actor=actor, reason=reason, at=at)
        if not moved:
            return False
        append_event(tx, actor=actor, action=f"objection.{to_state}",
                     subject_type="Objection", subject_id=current.objection_id, reason=reason,
                     before={"state": current.state}, after={"state": to_state})
        if to_state == "overturned":
            _apply_overturn(tx, current, actor, reason, at)
        return True

    return store.write_tx(write_it)


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
