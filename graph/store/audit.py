"""The append-only audit trail: who did what, when, with the state before and after.

Every ranking run, inspection plan, inspection outcome, objection transition and record change
appends an ``(:AuditEvent)`` **in the same transaction** as the change, so an event exists if
and only if the change committed. Events carry a sequence number and form a hash chain
(``hash = sha256(prev_hash + canonical JSON of the event)``): `verify_chain` detects an edited,
deleted or reordered event. The code never updates or deletes an event; the chain makes any
change made behind its back visible; the chain head is also anchored outside the database
(graph/audit_anchor.py), so a rebuilt chain is visible too (:func:`verify_anchored`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

from neo4j import ManagedTransaction

from riskgraph.graph.audit_anchor import append_anchor, check_against, read_anchors
from riskgraph.graph.driver import run_tx
from riskgraph.graph.store import Store


@dataclass(frozen=True)
class AuditEvent:
    seq: int
    at: str
    actor: str
    action: str
    subject_type: str
    subject_id: str
    reason: str
    before: str
    """JSON text of the state before (``null`` for a creation)."""
    after: str
    prev_hash: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def event_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = _json({k: fields[k] for k in sorted(fields)})
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


def append_event(tx: ManagedTransaction, *, actor: str, action: str, subject_type: str,
                 subject_id: str, before: Any = None, after: Any = None,
                 reason: str = "") -> int:
    """Append one event inside the caller's write transaction; return its sequence number."""
    head = run_tx(tx, "audit/advance_audit_log")[0]
    if int(head["seq"]) > 1 and head["prev_hash"]:  # the previous event is committed
        append_anchor("head", int(head["seq"]) - 1, str(head["prev_hash"]))
    fields: dict[str, Any] = {
        "seq": int(head["seq"]),
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
        "actor": actor, "action": action, "subject_type": subject_type,
        "subject_id": subject_id, "reason": reason,
        "before": _json(before), "after": _json(after),
    }
    digest = event_hash(str(head["prev_hash"]), fields)
    run_tx(tx, "audit/create_audit_event", **fields, prev_hash=head["prev_hash"], hash=digest)
    return int(fields["seq"])


def list_events(store: Store, *, subject_id: str | None = None, action: str | None = None,
                after_seq: int = 0, limit: int = 1000) -> list[AuditEvent]:
    """The events after ``after_seq`` (of one subject or action when given), oldest first."""
    rows = store.read("audit/list_audit_events", subject_id=subject_id, action=action,
                      after_seq=after_seq, limit=limit)
    return [_event(r) for r in rows]


def _event(row: dict[str, Any]) -> AuditEvent:
    text = {k: "" if row[k] is None else str(row[k]) for k in (
        "at", "actor", "action", "subject_type", "subject_id", "reason", "before", "after",
        "prev_hash", "hash")}
    return AuditEvent(seq=int(row["seq"]), **text)


def _normalise_at(text: str) -> str:
    """Neo4j prints ``...Z``; the hash was taken over Python's ``+00:00`` form."""
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat(
        timespec="microseconds")


def verify_chain(store: Store, batch: int = 10_000) -> tuple[int, list[str]]:
    """Recompute the chain: (events checked, problems found)."""
    problems: list[str] = []
    prev_hash, expected_seq, after, checked = "", 1, 0, 0
    while True:
        events = list_events(store, after_seq=after, limit=batch)
        if not events:
            break
        for e in events:
            checked += 1
            if e.seq != expected_seq:
                problems.append(f"event {expected_seq} is missing (next is {e.seq})")
            if e.prev_hash != prev_hash:
                problems.append(f"event {e.seq}: prev_hash does not match event {e.seq - 1}")
            fields = {"seq": e.seq, "at": _normalise_at(e.at), "actor": e.actor,
                      "action": e.action, "subject_type": e.subject_type,
                      "subject_id": e.subject_id, "reason": e.reason, "before": e.before,
                      "after": e.after}
            if event_hash(e.prev_hash, fields) != e.hash:
                problems.append(f"event {e.seq}: content does not match its hash (edited?)")
            prev_hash, expected_seq, after = e.hash, e.seq + 1, e.seq
    return checked, problems


def anchor_head(store: Store) -> AuditEvent | None:
    """Anchor the newest event now (graph/audit_anchor.py); None when there is none."""
    newest = store.read("audit/get_audit_head")
    if not newest or newest[0]["seq"] is None:
        return None
    event = _event(newest[0])
    append_anchor("head", event.seq, event.hash)
    return event


def verify_anchored(store: Store, batch: int = 10_000) -> tuple[int, list[str]]:
    """:func:`verify_chain`, plus the chain against its anchors outside the database:
    (events checked, problems found). A chain rebuilt with consistent hashes passes
    verify_chain but not this."""
    checked, problems = verify_chain(store, batch)
    anchors, anchor_problems = read_anchors()
    hashes: dict[int, str] = {}
    after = 0
    while True:
        events = list_events(store, after_seq=after, limit=batch)
        if not events:
            break
        hashes.update((e.seq, e.hash) for e in events)
        after = events[-1].seq
    return checked, problems + anchor_problems + check_against(anchors, hashes)
