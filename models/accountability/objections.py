"""Objections: a firm contests a credit record or its ranking; people decide, the graph records.

States (every transition stores when, who and why, and appends an audit event)::

    filed ──► accepted ──► under_review ──► upheld ─────┐
      │                                  └─► overturned ─┼──► published
      └─────► rejected ──────────────────────────────────┘

*upheld* means the record (or ranking) stands; *overturned* means it does not. An overturned
record is kept and marked (``overturned``, ``overturned_at``, ``overturned_by``), never deleted;
the snapshot and the explanations skip it, so it no longer feeds features. An overturned
ranking marks the firm's assessment in that run. The caller then re-scores in a new run.

Transitions are checked twice: here (a clear error for an illegal move) and in the Cypher
(graph/store/objections.py, with the stored :class:`Objection`), which takes the objection's
write lock before testing its state, so of two concurrent transitions of one objection exactly
one wins and the other gets a Conflict.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from riskgraph.graph.errors import BadInput, Conflict, NotFound, about
from riskgraph.graph.identifiers import IdentifierError, clean_firm_id
from riskgraph.graph.store import Store
from riskgraph.graph.store import objections as stored
from riskgraph.graph.store.objections import Objection, get_objection
from riskgraph.graph.store.records import get_record
from riskgraph.graph.store.runs import get_run

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


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def list_objections(store: Store, *, uscc: str | None = None, state: str | None = None,
                    limit: int = 100) -> list[dict[str, Any]]:
    if state is not None and state not in STATES:
        raise BadInput(f"unknown objection state {state!r}; states: {', '.join(STATES)}")
    return stored.list_objections(store, uscc=uscc, state=state, limit=limit)


def file_objection(store: Store, *, uscc: str, grounds: str, filed_by: str,
                   record_id: str | None = None, run_id: str | None = None) -> Objection:
    """File an objection by firm ``uscc`` against one of its records or its ranking in a run.

    The record must be the firm's own or one of its key persons'; NotFound for an unknown
    record, run or firm.
    """
    try:
        uscc = clean_firm_id(uscc)
    except IdentifierError as exc:
        raise BadInput(f"not a firm identifier: {uscc!r}: {exc}", field="uscc") from None
    if not grounds.strip():
        raise BadInput("an objection needs its grounds", field="grounds")
    if (record_id is None) == (run_id is None):
        raise BadInput("contest either a record or a ranking run, not both")
    if record_id is not None:
        r = get_record(store, record_id)
        if r is None:
            raise NotFound(f"no credit record {record_id!r}", field="record_id")
        if r["company_uscc"] != uscc and uscc not in (r["served_usccs"] or []):
            raise BadInput(f"record {record_id} is neither firm {uscc}'s nor one of its key "
                           "persons'", field="record_id")
        if r["overturned"]:
            raise Conflict(f"record {record_id} is already overturned", field="record_id")
    else:
        with about("run_id"):
            get_run(store, str(run_id))
        if not stored.has_assessment(store, str(run_id), uscc):
            raise NotFound(f"firm {uscc} has no assessment in run {run_id}", field="run_id")
    objection_id = f"OBJ-{uuid.uuid4().hex[:12].upper()}"
    with about("uscc"):
        stored.create_objection(store, objection_id=objection_id, uscc=uscc,
                                record_id=record_id, run_id=run_id, filed_by=filed_by,
                                grounds=grounds, filed_at=_now())
    return get_objection(store, objection_id)


def transition(store: Store, objection_id: str, to_state: str, *, actor: str, reason: str
               ) -> Objection:
    """Move the objection to ``to_state``; BadInput if illegal, Conflict if it lost a race."""
    if to_state not in STATES:
        raise BadInput(f"unknown objection state {to_state!r}; states: {', '.join(STATES)}",
                       field="to_state")
    if not reason.strip():
        raise BadInput("every transition needs a reason", field="reason")
    with about("objection_id"):
        current = get_objection(store, objection_id)
    if to_state not in TRANSITIONS[current.state]:
        allowed = ", ".join(TRANSITIONS[current.state]) or "none (final state)"
        raise BadInput(f"objection {objection_id} is {current.state}; it cannot move to "
                       f"{to_state} (allowed: {allowed})", field="to_state")
    if not stored.move_objection(store, current, to_state, actor=actor, reason=reason,
                                 at=_now()):
        raise Conflict(f"objection {objection_id} changed while this transition was being "
                       f"made (it is no longer {current.state}); nothing was changed")
    return get_objection(store, objection_id)
