"""Credit records written after the load: added by hand, repaired, published; read one back.

Every write appends an audit event in the same transaction. A record is never deleted: a
repair moves its ``removed_on`` (the original end kept beside it), an overturn marks it
(graph/store/objections.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from neo4j import ManagedTransaction

from riskgraph.graph.driver import run_tx
from riskgraph.graph.errors import NotFound
from riskgraph.graph.schema import category_label
from riskgraph.graph.store import Store
from riskgraph.graph.store.audit import append_event


def get_record(store: Store, record_id: str) -> dict[str, Any] | None:
    """A record's kind, dates, severity, its firm, the firms its person serves, whether it is
    overturned (``records/get_credit_record``); None when unknown."""
    rows = store.read("records/get_credit_record", record_id=record_id)
    return rows[0] if rows else None


def create_record(store: Store, *, uscc: str, record: dict[str, Any], actor: str) -> str:
    """Create company ``uscc``'s credit record ``record`` (its properties, ``category``
    included); NotFound when the firm is unknown."""

    def write_it(tx: ManagedTransaction) -> None:
        done = run_tx(tx, "records/create_credit_record", uscc=uscc, record=record,
                      label=category_label(record["category"]))
        if not done:
            raise NotFound(f"no company with USCC {uscc!r}")
        append_event(tx, actor=actor, action="credit_record.created",
                     subject_type="CreditRecord", subject_id=record["record_id"], after=record)

    store.write_tx(write_it)
    return str(record["record_id"])


def repair_record(store: Store, record_id: str, *, on: dt.date, actor: str, reason: str) -> None:
    """End listing ``record_id`` on ``on`` (``repaired`` set, the original end kept)."""

    def write_it(tx: ManagedTransaction) -> None:
        before = run_tx(tx, "records/repair_record", record_id=record_id,
                        removed_on=on.isoformat(), actor=actor, reason=reason)
        append_event(tx, actor=actor, action="credit_record.repaired",
                     subject_type="CreditRecord", subject_id=record_id, reason=reason,
                     before=before[0]["before"], after={"removed_on": on.isoformat(),
                                                        "repaired": True})

    store.write_tx(write_it)


def publish_record(store: Store, record_id: str, actor: str = "cli") -> None:
    """Make a credit record public (e.g. an inspection result once published)."""

    def write_it(tx: ManagedTransaction) -> None:
        rows = run_tx(tx, "records/publish_credit_record", record_id=record_id)
        if not rows:
            raise NotFound(f"no credit record {record_id!r}")
        append_event(tx, actor=actor, action="credit_record.published",
                     subject_type="CreditRecord", subject_id=record_id,
                     before={"disclosure": rows[0]["before"]}, after={"disclosure": "public"})

    store.write_tx(write_it)
