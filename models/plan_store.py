"""Inspection plans in the graph: draw from a stored run, store, read back, record outcomes.

``(:InspectionPlan)-[:FROM_RUN]->(:RankingRun)``; one ``(:PlannedInspection)`` per firm,
``-[:IN_PLAN]->`` the plan, ``-[:TARGETS]->`` the company and ``-[:ASSIGNED_TO]->`` each
inspector. Recording an outcome creates the inspection ``CreditRecord`` (the same shape as the
loaded ones, so the next ``riskgraph train`` learns from it), linked ``-[:RESULTED_IN]->``.
Every write appends an audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from neo4j import Driver, ManagedTransaction

from riskgraph.graph.audit_trail import append_event
from riskgraph.graph.config import get_settings
from riskgraph.graph.driver import read, run_tx
from riskgraph.graph.errors import BadInput, Conflict, NotFound
from riskgraph.graph.identifiers import lookup_firm_id
from riskgraph.graph.schema import category_label
from riskgraph.models.conflicts import find_conflicts
from riskgraph.models.planning import Plan, PlanFirm, PlanInspector, PlanParams, draw_plan
from riskgraph.models.ranking import get_run, run_assessments

OUTCOMES = ("no_violation", "violation", "serious_violation")
BATCH = 2_000


@dataclass
class StoredPlan:
    plan_id: str
    run_id: str
    plan_date: dt.date
    plan: Plan


def plan_from_run(driver: Driver, run_id: str, params: PlanParams,
                  plan_date: dt.date | None = None, database: str | None = None
                  ) -> tuple[Plan, dt.date]:
    """Draw a plan from run ``run_id``'s firms (the plan date defaults to the run's as-of)."""
    params.check()
    meta = get_run(driver, run_id, database)
    if meta["status"] != "complete":
        raise BadInput(f"ranking run {run_id} is {meta['status']}, not complete")
    when = plan_date or dt.date.fromisoformat(str(meta["as_of"]))
    firms = [PlanFirm(uscc=r["uscc"], tier=r["tier"], risk=float(r["risk"]),
                      rank=int(r["rank"]), region_code=str(r["region_code"] or ""),
                      name=str(r["name"] or ""), reasons=r["reasons"])
             for r in run_assessments(driver, run_id, database)]
    staff = [PlanInspector(inspector_id=r["inspector_id"], region_code=r["region_code"],
                           agency=str(r["agency"] or ""), name=str(r["name"] or ""))
             for r in read(driver, "planning/list_inspectors", database)]
    plan = draw_plan(firms, staff,
                     lambda usccs: find_conflicts(driver, usccs, when, database), params)
    return plan, when


def store_plan(driver: Driver, run_id: str, plan: Plan, plan_date: dt.date, actor: str,
               database: str | None = None, now: dt.datetime | None = None) -> str:
    """Write the plan and its inspections (one transaction) with an audit event; its id."""
    created = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    plan_id = f"plan-{created:%Y%m%dT%H%M%S%fZ}-{plan.digest[:8]}"
    p = plan.params
    parameters = {"capacity": p.capacity, "seed": p.seed, "region": p.region,
                  "rates": dict(p.rates), "random_share": p.random_share, "team": p.team,
                  "per_inspector": p.per_inspector, "plan_date": plan_date.isoformat()}
    rows = [{"order": i.order, "uscc": i.firm.uscc, "stream": i.stream, "tier": i.firm.tier,
             "risk": i.firm.risk, "rank": i.firm.rank, "inspector_ids": list(i.inspector_ids),
             "status": i.status, "note": i.note} for i in plan.inspections]

    def write_all(tx: ManagedTransaction) -> None:
        run_tx(tx, "planning/create_inspection_plan", plan_id=plan_id, run_id=run_id,
               created_at=created.isoformat(), plan_date=plan_date.isoformat(), seed=p.seed,
               capacity=p.capacity, region=p.region,
               parameters=json.dumps(parameters, sort_keys=True), digest=plan.digest,
               summary=json.dumps(plan.summary(), sort_keys=True))
        for start in range(0, len(rows), BATCH):
            run_tx(tx, "planning/create_planned_inspections", plan_id=plan_id,
                   rows=rows[start:start + BATCH])
        append_event(tx, actor=actor, action="inspection_plan.created",
                     subject_type="InspectionPlan", subject_id=plan_id,
                     after={"run_id": run_id, "digest": plan.digest, **parameters,
                            **plan.summary()})

    with driver.session(database=database or get_settings().neo4j_database) as s:
        s.execute_write(write_all)
    return plan_id


def get_plan(driver: Driver, plan_id: str, database: str | None = None) -> dict[str, Any]:
    rows = read(driver, "planning/get_inspection_plan", database, plan_id=plan_id)
    if not rows:
        raise NotFound(f"no inspection plan {plan_id!r}")
    out = dict(rows[0])
    out["parameters"] = json.loads(out["parameters"])
    out["summary"] = json.loads(out["summary"])
    return out


def inspector_names(driver: Driver, database: str | None = None) -> dict[str, str]:
    """Inspector id → name (empty when the graph has none), for the inspectors' sheets."""
    return {str(r["inspector_id"]): str(r["name"] or "")
            for r in read(driver, "planning/list_inspectors", database)}


def plan_inspections(driver: Driver, plan_id: str, database: str | None = None
                     ) -> list[dict[str, Any]]:
    get_plan(driver, plan_id, database)
    return read(driver, "planning/list_plan_inspections", database, plan_id=plan_id)


# ---------------------------------------------------------------------------------------------
# Outcomes
# ---------------------------------------------------------------------------------------------


def record_outcome(driver: Driver, *, plan_id: str, uscc: str, outcome: str,
                   on: dt.date, inspector_id: str | None = None, publish: bool = False,
                   actor: str = "cli", database: str | None = None) -> str:
    """Create the inspection record of a planned inspection; return its record id."""
    if outcome not in OUTCOMES:
        raise BadInput(f"outcome must be one of {', '.join(OUTCOMES)}, got {outcome!r}")
    plan = get_plan(driver, plan_id, database)
    uscc = lookup_firm_id(uscc)
    rows = read(driver, "planning/get_planned_inspection", database, plan_id=plan_id,
                uscc=uscc)
    if not rows:
        raise NotFound(f"firm {uscc} is not in plan {plan_id}")
    planned = rows[0]
    if planned["record_id"]:
        raise Conflict(f"the inspection of {uscc} in plan {plan_id} already has its outcome "
                       f"({planned['record_id']})")
    team = list(planned["inspector_ids"] or [])
    who = inspector_id or (team[0] if team else None)
    if who is None:
        raise BadInput(f"the inspection of {uscc} was never assigned: name the inspector "
                       "with --inspector")
    if team and who not in team:
        raise BadInput(f"inspector {who} is not on the team for {uscc} ({', '.join(team)})")
    plan_date = dt.date.fromisoformat(plan["plan_date"])
    if on < plan_date:
        raise BadInput(f"outcome date {on} is before the plan date {plan_date}")
    inspector = read(driver, "planning/get_inspector", database, inspector_id=who)
    if not inspector:
        raise NotFound(f"no inspector {who!r}")
    stream = "random" if planned["stream"] == "random" else "targeted"
    record_id = f"INSP-{plan_id}-{uscc}"
    record: dict[str, Any] = {
        "record_id": record_id, "category": "inspections",
        "kind": f"{stream}_inspection", "agency": inspector[0]["agency"] or "",
        "issued_on": on.isoformat(),
        "polarity": "neutral" if outcome == "no_violation" else "negative",
        "severity": {"no_violation": None, "violation": "general",
                     "serious_violation": "serious"}[outcome],
        "outcome": outcome, "stream": stream, "inspector_id": who,
        "disclosure": "public" if publish else "agency_shared",
        "source": "riskgraph-plan", "source_id": plan_id,
    }

    def write_it(tx: ManagedTransaction) -> str:
        done = run_tx(tx, "planning/record_inspection_outcome", plan_id=plan_id, uscc=uscc,
                      inspector_id=who, record=record, label=category_label("inspections"))
        append_event(tx, actor=actor, action="inspection.outcome_recorded",
                     subject_type="CreditRecord", subject_id=record_id,
                     before={"plan_id": plan_id, "uscc": uscc, "status": "planned"},
                     after=record)
        return str(done[0]["record_id"])

    with driver.session(database=database or get_settings().neo4j_database) as s:
        return str(s.execute_write(write_it))


def publish_record(driver: Driver, record_id: str, actor: str = "cli",
                   database: str | None = None) -> None:
    """Make a credit record public (e.g. an inspection result once published)."""

    def write_it(tx: ManagedTransaction) -> None:
        rows = run_tx(tx, "planning/publish_credit_record", record_id=record_id)
        if not rows:
            raise NotFound(f"no credit record {record_id!r}")
        append_event(tx, actor=actor, action="credit_record.published",
                     subject_type="CreditRecord", subject_id=record_id,
                     before={"disclosure": rows[0]["before"]}, after={"disclosure": "public"})

    with driver.session(database=database or get_settings().neo4j_database) as s:
        s.execute_write(write_it)
