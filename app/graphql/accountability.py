"""GraphQL for accountability: runs, inspection targets and plans, objections, fairness
audits, model cards, and the mutations that record outcomes, move objections, add records and
trigger runs. Writes go through the same model functions as the CLI, so each one appends its
audit event; the actor is the caller's API key."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid
from collections.abc import Callable
from dataclasses import asdict
from typing import Any, TypeVar, cast

import strawberry
from strawberry.types import Info

from riskgraph.app.graphql.loaders import loaders_of, read
from riskgraph.app.graphql.permissions import require
from riskgraph.app.graphql.types.node import Node
from riskgraph.app.graphql.types.pagination import (
    Connection,
    connection_from_list,
    connection_of,
    window,
)
from riskgraph.app.graphql.types.risk import RankingRun, Reason
from riskgraph.app.security.principal import Principal, Role
from riskgraph.graph.config import get_settings
from riskgraph.graph.errors import BadInput, Forbidden, NotFound
from riskgraph.models.tiers import TIERS

MAX_TARGETS = 500


@strawberry.type
class InspectionTarget:
    uscc: str
    name: str | None
    region_code: str | None
    risk: float
    serious_risk: float | None
    tier: str
    rank: int
    overturned: bool = strawberry.field(description="Assessment overturned by an objection")
    reasons: list[Reason]


@strawberry.type
class PlannedInspection:
    order: int
    uscc: str
    name: str | None
    stream: str = strawberry.field(description="random (double random) or tier")
    tier: str
    risk: float
    inspector_ids: list[str]
    status: str = strawberry.field(description="planned, unassigned or done")
    note: str | None
    outcome: str | None
    record_id: str | None


@strawberry.type
class InspectionPlan(Node):
    plan_id: str
    run_id: str
    plan_date: str
    seed: int
    capacity: int
    region: str
    digest: str
    parameters: strawberry.scalars.JSON
    summary: strawberry.scalars.JSON
    inspections: list[PlannedInspection]

    def node_key(self) -> tuple[str, str]:
        return "InspectionPlan", self.plan_id


@strawberry.type
class ObjectionTransition:
    seq: int
    from_state: str | None
    to_state: str
    at: str
    actor: str
    reason: str


@strawberry.type
class Objection(Node):
    objection_id: str
    uscc: str
    subject: str = strawberry.field(description="record or ranking")
    record_id: str | None
    run_id: str | None
    state: str
    version: int
    filed_by: str
    grounds: str
    filed_at: str
    updated_at: str
    transitions: list[ObjectionTransition]

    def node_key(self) -> tuple[str, str]:
        return "Objection", self.objection_id


@strawberry.type
class FairnessAudit:
    audit_id: str
    created_at: str
    flag_count: int
    outcome_window: str
    retrospective: bool
    markdown: str
    result: strawberry.scalars.JSON


@strawberry.type
class ModelCard:
    version: str
    markdown: str


def _actor(who: Principal) -> str:
    return f"api:{who.key_id or 'anonymous'}:{who.name}"


def _driver(info: Info[Any, Any]) -> Any:
    return loaders_of(info).db.driver


async def _record_visible(info: Info[Any, Any], record_id: str) -> bool:
    """Whether the caller may see credit record ``record_id`` (False when unknown too)."""
    return bool(await read(info, "list_visible_records", record_ids=[record_id]))


def _reasons(value: Any) -> list[Reason]:
    rows = json.loads(value) if isinstance(value, str) else (value or [])
    return [Reason(feature=str(r.get("feature")), contribution=r.get("contribution"),
                   value=r.get("value"), text=str(r.get("text", "")), detail="", evidence=[])
            for r in rows]


def _objection(o: Any) -> Objection:
    """The GraphQL type of a models.objections.Objection (the same fields)."""
    fields = asdict(o)
    fields["transitions"] = [ObjectionTransition(**t) for t in o.transitions]
    return Objection(**fields)


MAX_RUNS = 100
"""Ranking runs listed at most (newest first): the list pages in memory."""


def _run(r: dict[str, Any]) -> RankingRun:
    return RankingRun(run_id=r["run_id"], created_at=r["created_at"], as_of=r["as_of"],
                      model_version=r["model_version"], digest=r["digest"],
                      status=r["status"], firms=r["firms"])


async def resolve_runs(info: Info[Any, Any], first: int = 20) -> list[RankingRun]:
    """The former list form of :func:`resolve_ranking_runs`."""
    require(info, Role.INVESTIGATOR, "ranking runs")
    from riskgraph.models.ranking import list_runs

    rows = await asyncio.to_thread(list_runs, _driver(info), None, min(first, MAX_RUNS))
    return [_run(r) for r in rows]


async def resolve_ranking_runs(info: Info[Any, Any], first: int | None = None,
                               after: str | None = None, last: int | None = None,
                               before: str | None = None) -> Connection[RankingRun]:
    """Ranking runs, newest first (the latest MAX_RUNS)."""
    require(info, Role.INVESTIGATOR, "ranking runs")
    from riskgraph.models.ranking import list_runs

    win = window(first, after, last, before)
    rows = await asyncio.to_thread(list_runs, _driver(info), None, MAX_RUNS)
    return connection_from_list(rows, lambda r: str(r["run_id"]), win, _run)


def _target(r: dict[str, Any]) -> InspectionTarget:
    return InspectionTarget(uscc=r["uscc"], name=r["name"], region_code=r["region_code"],
                            risk=r["risk"], serious_risk=r["serious_risk"], tier=r["tier"],
                            rank=r["rank"], overturned=r["overturned"],
                            reasons=_reasons(r["reasons"]))


async def _run_and_tiers(info: Info[Any, Any], run_id: str | None,
                         tiers: list[str] | None) -> str:
    require(info, Role.INVESTIGATOR, "inspection targets")
    from riskgraph.models.ranking import latest_run_id

    bad = [t for t in tiers or [] if t not in TIERS]
    if bad:
        raise BadInput(f"argument tiers: unknown {bad}; tiers are {', '.join(TIERS)}")
    return run_id or str(await asyncio.to_thread(latest_run_id, _driver(info)))


async def resolve_inspection_targets(info: Info[Any, Any], run_id: str | None = None,
                                     tiers: list[str] | None = None, first: int = 100,
                                     after_rank: int = 0) -> list[InspectionTarget]:
    """The former list form of :func:`resolve_targets` (``afterRank`` = the last rank)."""
    run = await _run_and_tiers(info, run_id, tiers)
    if not 0 < first <= MAX_TARGETS:
        raise BadInput(f"argument first: must be 1 to {MAX_TARGETS}, got {first}")
    rows = await read(info, "list_run_targets", run_id=run, tiers=tiers or [],
                      after_rank=after_rank, before_rank=0, backward=False, first=first)
    return [_target(r) for r in rows]


def _rank(cursor: str, argument: str) -> int:
    if not cursor:
        return 0
    if not cursor.isdigit():
        raise BadInput(f"argument {argument}: not a cursor of this list")
    return int(cursor)


async def resolve_targets(info: Info[Any, Any], run_id: str | None = None,
                          tiers: list[str] | None = None, first: int | None = None,
                          after: str | None = None, last: int | None = None,
                          before: str | None = None) -> Connection[InspectionTarget]:
    """A run's firms in rank order (default: the latest run), optionally of some tiers."""
    run = await _run_and_tiers(info, run_id, tiers)
    win = window(first, after, last, before, default=100, maximum=MAX_TARGETS)
    rows = await read(info, "list_run_targets", run_id=run, tiers=tiers or [],
                      after_rank=_rank(win.after, "after"),
                      before_rank=_rank(win.before, "before"), backward=win.backward,
                      first=win.size + 1)

    async def count() -> int:
        found = await read(info, "count_run_targets", run_id=run, tiers=tiers or [])
        return int(found[0]["total"])

    return connection_of(rows, win, "rank", _target, counter=count)


async def resolve_inspection_plan(info: Info[Any, Any], plan_id: str) -> InspectionPlan | None:
    """A stored inspection plan with its inspections (null when there is none)."""
    require(info, Role.INVESTIGATOR, "inspection plans")
    from riskgraph.models.plan_store import get_plan, plan_inspections

    try:
        meta = await asyncio.to_thread(get_plan, _driver(info), plan_id)
    except NotFound:
        return None
    rows = await asyncio.to_thread(plan_inspections, _driver(info), plan_id)
    return InspectionPlan(
        plan_id=meta["plan_id"], run_id=meta["run_id"], plan_date=meta["plan_date"],
        seed=meta["seed"], capacity=meta["capacity"], region=meta["region"],
        digest=meta["digest"], parameters=meta["parameters"], summary=meta["summary"],
        inspections=[PlannedInspection(
            order=r["order"], uscc=r["uscc"], name=r["name"], stream=r["stream"],
            tier=r["tier"], risk=r["risk"], inspector_ids=list(r["inspector_ids"] or []),
            status=r["status"], note=r["note"], outcome=r["outcome"],
            record_id=r["record_id"]) for r in rows])


def may_read_objection(who: Principal, filed_by: str) -> bool:
    """Agency roles read every objection; any other caller only those its own key filed
    (the key acts for the firm). Anonymous callers read none."""
    if who.can(Role.INVESTIGATOR):
        return True
    return who.key_id is not None and filed_by.startswith(f"api:{who.key_id}:")


async def resolve_objection(info: Info[Any, Any], objection_id: str) -> Objection | None:
    """An objection with every transition: for its filer and agency roles; null, as for an
    unknown id, for anyone else."""
    who = require(info, Role.PUBLIC, "objections")
    from riskgraph.models.objections import get_objection

    try:
        found = await asyncio.to_thread(get_objection, _driver(info), objection_id)
    except NotFound:
        return None
    if not may_read_objection(who, found.filed_by):
        return None
    return _objection(found)


async def resolve_fairness_audits(info: Info[Any, Any], run_id: str) -> list[FairnessAudit]:
    """A run's fairness audits, newest first."""
    require(info, Role.INVESTIGATOR, "fairness audits")
    from riskgraph.graph.driver import read as graph_read

    rows = await asyncio.to_thread(graph_read, _driver(info), "fairness/list_fairness_audits",
                                   None, run_id=run_id)
    return [FairnessAudit(audit_id=r["audit_id"], created_at=r["created_at"],
                          flag_count=r["flag_count"], outcome_window=r["outcome_window"],
                          retrospective=r["retrospective"], markdown=r["markdown"],
                          result=json.loads(r["result"])) for r in rows]


async def resolve_model_card(info: Info[Any, Any], version: str | None = None) -> ModelCard:
    """The model card of a model version (default: the latest), as Markdown."""
    home = get_settings().riskgraph_home / "models"
    latest = home / "LATEST"
    name = version or (latest.read_text().strip() if latest.is_file() else "")
    if not name or "/" in name or ".." in name:
        raise NotFound("no trained model on this server yet")
    card = home / name / "MODEL_CARD.md"
    if not card.is_file():
        raise NotFound(f"no model card for version {name!r} (`riskgraph model-card`)")
    return ModelCard(version=name, markdown=card.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# Mutations
# ---------------------------------------------------------------------------------------------


F = TypeVar("F", bound=Callable[..., Any])


def mutation(description: str) -> Callable[[F], F]:
    """``@mutation(...)``, keeping the method's type."""
    return cast(Callable[[F], F], strawberry.mutation(description=description))


@strawberry.type
class Mutation:
    @mutation("Record a planned inspection's outcome (investigators).")
    async def record_inspection_outcome(
            self, info: Info[Any, Any], plan_id: str, uscc: str, outcome: str, date: dt.date,
            inspector_id: str | None = None, publish: bool = False) -> str:
        who = require(info, Role.INVESTIGATOR, "recording an outcome")
        from riskgraph.app.graphql import explain_cache
        from riskgraph.models.plan_store import record_outcome

        record_id = await asyncio.to_thread(
            record_outcome, _driver(info), plan_id=plan_id, uscc=uscc, outcome=outcome,
            on=date, inspector_id=inspector_id, publish=publish, actor=_actor(who))
        explain_cache.forget()
        return record_id

    @mutation("File an objection against a record or a ranking "
                                     "(any authenticated key, on behalf of the firm).")
    async def file_objection(self, info: Info[Any, Any], uscc: str, grounds: str,
                             record_id: str | None = None,
                             run_id: str | None = None) -> Objection:
        who = require(info, Role.PUBLIC, "filing an objection")
        if who.key_id is None:
            raise Forbidden("filing an objection needs an API key")
        from riskgraph.models.objections import file_objection

        if record_id is not None and not await _record_visible(info, record_id):
            raise NotFound(f"no credit record {record_id!r}")  # hidden answers as unknown
        o = await asyncio.to_thread(file_objection, _driver(info), uscc=uscc, grounds=grounds,
                                    filed_by=_actor(who), record_id=record_id, run_id=run_id)
        return _objection(o)

    @mutation("Move an objection to its next state (investigators).")
    async def transition_objection(self, info: Info[Any, Any], objection_id: str,
                                   to_state: str, reason: str) -> Objection:
        who = require(info, Role.INVESTIGATOR, "deciding an objection")
        from riskgraph.app.graphql import explain_cache
        from riskgraph.models.objections import transition

        o = await asyncio.to_thread(transition, _driver(info), objection_id, to_state,
                                    actor=_actor(who), reason=reason)
        explain_cache.forget()
        return _objection(o)

    @mutation("Add a credit record published by the caller's agency "
                                     "(restricted-role keys of that agency, or admin).")
    async def add_credit_record(self, info: Info[Any, Any], uscc: str, kind: str,
                                agency: str, issued_on: dt.date, disclosure: str,
                                severity: str | None = None, amount: float | None = None,
                                removed_on: dt.date | None = None) -> str:
        who = require(info, Role.RESTRICTED, "adding a credit record")
        if who.role is Role.RESTRICTED and agency not in who.agencies:
            raise Forbidden(f"this key may add records of {', '.join(who.agencies)} only")
        from riskgraph.app.graphql import explain_cache
        from riskgraph.models.record_entry import add_record

        record_id = f"API-{uuid.uuid4().hex[:16].upper()}"
        await asyncio.to_thread(
            add_record, _driver(info), record_id=record_id, uscc=uscc, kind=kind,
            agency=agency, issued_on=issued_on, disclosure=disclosure, severity=severity,
            amount=amount, removed_on=removed_on, actor=_actor(who))
        explain_cache.forget()
        return record_id

    @mutation("Score, tier and rank every firm now (admin).")
    async def trigger_ranking_run(self, info: Info[Any, Any],
                                  as_of: dt.date | None = None) -> RankingRun:
        who = require(info, Role.ADMIN, "triggering a ranking run")
        from riskgraph.models.ranking import create_run

        run = await asyncio.to_thread(create_run, _driver(info), as_of=as_of,
                                      actor=_actor(who), reason="triggered through the API")
        return RankingRun(run_id=run.run_id, created_at=run.created_at, as_of=run.as_of,
                          model_version=run.model_version, digest=run.digest,
                          status="complete", firms=len(run.firms))
