"""Inspection plans as stored: the plan, its planned inspections, inspectors, outcomes.

``(:InspectionPlan)-[:FROM_RUN]->(:RankingRun)``; one ``(:PlannedInspection)`` per firm,
``-[:IN_PLAN]->`` the plan, ``-[:TARGETS]->`` the company and ``-[:ASSIGNED_TO]->`` each
inspector. Recording an outcome creates the inspection ``CreditRecord`` (the same shape as the
loaded ones, so the next ``riskgraph train`` learns from it), linked ``-[:RESULTED_IN]->``.
Every write appends an audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from neo4j import ManagedTransaction

from riskgraph.graph.driver import run_tx
from riskgraph.graph.errors import NotFound
from riskgraph.graph.firm_links import firm_keys
from riskgraph.graph.schema import category_label
from riskgraph.graph.store import Store
from riskgraph.graph.store.audit import append_event

BATCH = 2_000
"""Planned inspections per statement."""


def save_plan(store: Store, *, plan_id: str, run_id: str, created: dt.datetime,
              plan_date: dt.date, seed: int, capacity: int, region: str | None,
              parameters: dict[str, Any], digest: str, summary: dict[str, Any],
              rows: list[dict[str, Any]], actor: str) -> str:
    """Write the plan and its inspections (one transaction) with an audit event; its id."""

    def write_all(tx: ManagedTransaction) -> None:
        run_tx(tx, "planning/create_inspection_plan", plan_id=plan_id, run_id=run_id,
               created_at=created.isoformat(), plan_date=plan_date.isoformat(), seed=seed,
               capacity=capacity, region=region,
               parameters=json.dumps(parameters, sort_keys=True), digest=digest,
               summary=json.dumps(summary, sort_keys=True))
        for start in range(0, len(rows), BATCH):
            run_tx(tx, "planning/create_planned_inspections", plan_id=plan_id,
                   rows=rows[start:start + BATCH])
        append_event(tx, actor=actor, action="inspection_plan.created",
                     subject_type="InspectionPlan", subject_id=plan_id,
                     after={"run_id": run_id, "digest": digest, **parameters, **summary})

    store.write_tx(write_all)
    return plan_id


def get_plan(store: Store, plan_id: str) -> dict[str, Any]:
    rows = store.read("planning/get_inspection_plan", plan_id=plan_id)
    if not rows:
        raise NotFound(f"no inspection plan {plan_id!r}")
    out = dict(rows[0])
    out["parameters"] = json.loads(out["parameters"])
    out["summary"] = json.loads(out["summary"])
    return out


def list_inspectors(store: Store) -> list[dict[str, Any]]:
    """Every inspector: id, region code, agency, name."""
    return store.read("planning/list_inspectors")


def inspector_names(store: Store) -> dict[str, str]:
    """Inspector id → name (empty when the graph has none), for the inspectors' sheets."""
    return {str(r["inspector_id"]): str(r["name"] or "") for r in list_inspectors(store)}


def get_inspector(store: Store, inspector_id: str) -> dict[str, Any] | None:
    rows = store.read("planning/get_inspector", inspector_id=inspector_id)
    return rows[0] if rows else None


def plan_inspections(store: Store, plan_id: str) -> list[dict[str, Any]]:
    get_plan(store, plan_id)
    return store.read("planning/list_plan_inspections", plan_id=plan_id)


def planned_inspection(store: Store, plan_id: str, uscc: str) -> dict[str, Any] | None:
    rows = store.read("planning/get_planned_inspection", plan_id=plan_id, uscc=uscc)
    return rows[0] if rows else None


def person_conflicts(store: Store, usccs: Sequence[str], since: dt.date, plan_date: dt.date
                     ) -> list[dict[str, Any]]:
    """Inspectors tied to these firms through a person (role held since ``since``; people
    read through the entity resolution: active SAME_AS links, whatever the date; firms too: a
    role at a copy of the firm is a role at the firm)."""
    return _through_firm_links(store, "planning/list_person_conflicts", usccs,
                               since=since.isoformat(), plan_date=plan_date.isoformat())


def recent_inspections(store: Store, usccs: Sequence[str], since: dt.date, plan_date: dt.date
                       ) -> list[dict[str, Any]]:
    """Inspectors who inspected these firms between ``since`` and ``plan_date`` (an
    inspection recorded under a copy of the firm counts)."""
    return _through_firm_links(store, "planning/list_recent_inspections", usccs,
                               since=since.isoformat(), plan_date=plan_date.isoformat())


def _through_firm_links(store: Store, name: str, usccs: Sequence[str], **params: Any
                        ) -> list[dict[str, Any]]:
    """Rows of conflict statement ``name`` for every key of these firms (graph/firm_links.py:
    a firm's copies), each under the firm asked for; a row found under another key says so.
    A firm is one firm with its copies: it is never in conflict with itself."""
    owners = firm_keys(store, usccs).owners(usccs)
    rows = store.read(name, usccs=sorted(owners), **params)
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in rows:
        record = str(row["uscc"])
        for firm in owners.get(record, []):
            reason = str(row["reason"]) + ("" if record == firm else f" (under its key {record})")
            out.setdefault((str(row["inspector_id"]), firm, reason),
                           {**row, "uscc": firm, "reason": reason})
    return [out[k] for k in sorted(out)]


def save_outcome(store: Store, *, plan_id: str, uscc: str, inspector_id: str,
                 record: dict[str, Any], actor: str) -> str:
    """Create the inspection record of a planned inspection (with its audit event); its id."""

    def write_it(tx: ManagedTransaction) -> str:
        done = run_tx(tx, "planning/record_inspection_outcome", plan_id=plan_id, uscc=uscc,
                      inspector_id=inspector_id, record=record,
                      label=category_label("inspections"))
        append_event(tx, actor=actor, action="inspection.outcome_recorded",
                     subject_type="CreditRecord", subject_id=record["record_id"],
                     before={"plan_id": plan_id, "uscc": uscc, "status": "planned"},
                     after=record)
        return str(done[0]["record_id"])

    return store.write_tx(write_it)
