"""Inspection plans from a stored run: draw, store, record outcomes (graph/store/plans.py
runs the statements; this module decides what is written and refuses what may not be).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from riskgraph.graph.errors import BadInput, Conflict, NotFound, about
from riskgraph.graph.identifiers import lookup_firm_id
from riskgraph.graph.store import Store
from riskgraph.graph.store.plans import (
    get_inspector,
    get_plan,
    list_inspectors,
    planned_inspection,
    save_outcome,
    save_plan,
)
from riskgraph.graph.store.runs import get_run, run_assessments
from riskgraph.models.accountability.conflicts import find_conflicts
from riskgraph.models.accountability.planning import (
    Plan,
    PlanFirm,
    PlanInspector,
    PlanParams,
    draw_plan,
)

OUTCOMES = ("no_violation", "violation", "serious_violation")


def plan_from_run(store: Store, run_id: str, params: PlanParams,
                  plan_date: dt.date | None = None) -> tuple[Plan, dt.date]:
    """Draw a plan from run ``run_id``'s firms (the plan date defaults to the run's as-of)."""
    params.check()
    meta = get_run(store, run_id)
    if meta["status"] != "complete":
        raise BadInput(f"ranking run {run_id} is {meta['status']}, not complete")
    when = plan_date or dt.date.fromisoformat(str(meta["as_of"]))
    firms = [PlanFirm(uscc=r["uscc"], tier=r["tier"], risk=float(r["risk"]),
                      rank=int(r["rank"]), region_code=str(r["region_code"] or ""),
                      name=str(r["name"] or ""), reasons=r["reasons"])
             for r in run_assessments(store, run_id)]
    staff = [PlanInspector(inspector_id=r["inspector_id"], region_code=r["region_code"],
                           agency=str(r["agency"] or ""), name=str(r["name"] or ""))
             for r in list_inspectors(store)]
    plan = draw_plan(firms, staff, lambda usccs: find_conflicts(store, usccs, when), params)
    return plan, when


def store_plan(store: Store, run_id: str, plan: Plan, plan_date: dt.date, actor: str,
               now: dt.datetime | None = None) -> str:
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
    return save_plan(store, plan_id=plan_id, run_id=run_id, created=created,
                     plan_date=plan_date, seed=p.seed, capacity=p.capacity, region=p.region,
                     parameters=parameters, digest=plan.digest, summary=plan.summary(),
                     rows=rows, actor=actor)


# ---------------------------------------------------------------------------------------------
# Outcomes
# ---------------------------------------------------------------------------------------------


def record_outcome(store: Store, *, plan_id: str, uscc: str, outcome: str,
                   on: dt.date, inspector_id: str | None = None, publish: bool = False,
                   actor: str = "cli") -> str:
    """Create the inspection record of a planned inspection; return its record id."""
    if outcome not in OUTCOMES:
        raise BadInput(f"outcome must be one of {', '.join(OUTCOMES)}, got {outcome!r}",
                       field="outcome")
    with about("plan_id"):
        plan = get_plan(store, plan_id)
    uscc = lookup_firm_id(uscc)
    planned = planned_inspection(store, plan_id, uscc)
    if planned is None:
        raise NotFound(f"firm {uscc} is not in plan {plan_id}", field="uscc")
    if planned["record_id"]:
        raise Conflict(f"the inspection of {uscc} in plan {plan_id} already has its outcome "
                       f"({planned['record_id']})")
    team = list(planned["inspector_ids"] or [])
    who = inspector_id or (team[0] if team else None)
    if who is None:
        raise BadInput(f"the inspection of {uscc} was never assigned: name its inspector",
                       field="inspector_id")
    if team and who not in team:
        raise BadInput(f"inspector {who} is not on the team for {uscc} ({', '.join(team)})",
                       field="inspector_id")
    plan_date = dt.date.fromisoformat(plan["plan_date"])
    if on < plan_date:
        raise BadInput(f"outcome date {on} is before the plan date {plan_date}", field="on")
    inspector = get_inspector(store, who)
    if inspector is None:
        raise NotFound(f"no inspector {who!r}", field="inspector_id")
    stream = "random" if planned["stream"] == "random" else "targeted"
    record_id = f"INSP-{plan_id}-{uscc}"
    record: dict[str, Any] = {
        "record_id": record_id, "category": "inspections",
        "kind": f"{stream}_inspection", "agency": inspector["agency"] or "",
        "issued_on": on.isoformat(),
        "polarity": "neutral" if outcome == "no_violation" else "negative",
        "severity": {"no_violation": None, "violation": "general",
                     "serious_violation": "serious"}[outcome],
        "outcome": outcome, "stream": stream, "inspector_id": who,
        "disclosure": "public" if publish else "agency_shared",
        "source": "riskgraph-plan", "source_id": plan_id,
    }

    return save_outcome(store, plan_id=plan_id, uscc=uscc, inspector_id=who, record=record,
                        actor=actor)
