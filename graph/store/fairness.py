"""Fairness audits as stored: one ``(:FairnessAudit)`` per audit, linked to its ranking run."""

from __future__ import annotations

import datetime as dt
from typing import Any

from neo4j import ManagedTransaction

from riskgraph.graph.driver import run_tx
from riskgraph.graph.store import Store
from riskgraph.graph.store.audit import append_event


def save_fairness_audit(store: Store, *, audit_id: str, run_id: str, created: dt.datetime,
                        flags: list[str], outcome_window: Any, retrospective: bool,
                        result: str, markdown: str, actor: str) -> None:
    """Write the audit (its JSON ``result`` and ``markdown``) and its audit event."""

    def write_it(tx: ManagedTransaction) -> None:
        run_tx(tx, "fairness/create_fairness_audit", audit_id=audit_id, run_id=run_id,
               created_at=created.isoformat(), flag_count=len(flags),
               outcome_window=outcome_window, retrospective=retrospective, result=result,
               markdown=markdown)
        append_event(tx, actor=actor, action="fairness_audit.created",
                     subject_type="FairnessAudit", subject_id=audit_id,
                     after={"run_id": run_id, "flags": flags})

    store.write_tx(write_it)


def list_fairness_audits(store: Store, run_id: str) -> list[dict[str, Any]]:
    """A run's fairness audits, newest first."""
    return store.read("fairness/list_fairness_audits", run_id=run_id)
