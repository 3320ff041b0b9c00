"""GraphQL for accountability: runs, inspection targets and plans, objections, fairness
audits, model cards, and the mutations that record outcomes, move objections, add records and
trigger runs. Writes go through the same model functions as the CLI, so each one appends its
audit event; the actor is the caller's API key."""

from __future__ import annotations

import asyncio
import json
from dataclasses import asdict
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from riskgraph.app.graphql.accountability.types import (
    FairnessAudit,
    InspectionPlan,
    InspectionTarget,
    ModelCard,
    Objection,
    ObjectionTransition,
    PlannedInspection,
)
from riskgraph.app.graphql.common.arguments import (
    After,
    Before,
    First,
    Last,
    OldTiers,
    RiskTiers,
    RunId,
    about,
    tier_values,
)
from riskgraph.app.graphql.common.pagination import (
    Connection,
    connection_from_list,
    connection_of,
    window,
)
from riskgraph.app.graphql.loaders import loaders_of, read
from riskgraph.app.graphql.permissions import require
from riskgraph.app.graphql.risk.types import RankingRun, Reason
from riskgraph.app.security.principal import Principal, Role
from riskgraph.graph.config import get_settings
from riskgraph.graph.errors import BadInput, NotFound
from riskgraph.graph.store import Store
from riskgraph.graph.store.fairness import list_fairness_audits
from riskgraph.graph.store.objections import get_objection
from riskgraph.graph.store.plans import get_plan, plan_inspections
from riskgraph.graph.store.runs import latest_run_id, list_runs
from riskgraph.models.risk.tiers import TIERS

MAX_TARGETS = 500


def actor_of(who: Principal) -> str:
    return f"api:{who.key_id or 'anonymous'}:{who.name}"


def store_of(info: Info[Any, Any]) -> Store:
    """The request's graph as a Store (its driver and database)."""
    db = loaders_of(info).db
    return Store(db.driver, db.database)


async def record_visible(info: Info[Any, Any], record_id: str) -> bool:
    """Whether the caller may see credit record ``record_id`` (False when unknown too)."""
    return bool(await read(info, "list_visible_records", record_ids=[record_id]))


def _reasons(value: Any) -> list[Reason]:
    rows = json.loads(value) if isinstance(value, str) else (value or [])
    return [Reason(feature=str(r.get("feature")), contribution=r.get("contribution"),
                   value=r.get("value"), text=str(r.get("text", "")), detail="", evidence=[],
                   plain=str(r.get("plain") or ""))
            for r in rows]


def objection_of(o: Any) -> Objection:
    """The GraphQL type of a graph.store.objections.Objection (the same fields)."""
    fields = asdict(o)
    fields["transitions"] = [ObjectionTransition(**t) for t in o.transitions]
    return Objection(**fields)


MAX_RUNS = 100
"""Ranking runs listed at most (newest first): the list pages in memory."""


def _run(r: dict[str, Any]) -> RankingRun:
    return RankingRun(run_id=r["run_id"], created_at=r["created_at"], as_of=r["as_of"],
                      model_version=r["model_version"], digest=r["digest"],
                      status=r["status"], firms=r["firms"])


async def resolve_runs(info: Info[Any, Any], first: Annotated[int, about("How many (at most "
                                                                    "100).")] = 20
                       ) -> list[RankingRun]:
    """The former list form of :func:`resolve_ranking_runs`."""
    require(info, Role.INVESTIGATOR, "ranking runs")
    rows = await asyncio.to_thread(list_runs, store_of(info), min(first, MAX_RUNS))
    return [_run(r) for r in rows]


async def resolve_ranking_runs(info: Info[Any, Any], first: First = None,
                               after: After = None, last: Last = None,
                               before: Before = None) -> Connection[RankingRun]:
    """Ranking runs, newest first (the latest MAX_RUNS)."""
    require(info, Role.INVESTIGATOR, "ranking runs")
    win = window(first, after, last, before)
    rows = await asyncio.to_thread(list_runs, store_of(info), MAX_RUNS)
    return connection_from_list(rows, lambda r: str(r["run_id"]), win, _run)


def _target(r: dict[str, Any]) -> InspectionTarget:
    return InspectionTarget(uscc=r["uscc"], name=r["name"], region_code=r["region_code"],
                            risk=r["risk"], serious_risk=r["serious_risk"], tier=r["tier"],
                            rank=r["rank"], overturned=r["overturned"],
                            reasons=_reasons(r["reasons"]))


async def _run_and_tiers(info: Info[Any, Any], run_id: str | None,
                         tiers: list[str] | None) -> str:
    require(info, Role.INVESTIGATOR, "inspection targets")
    bad = [t for t in tiers or [] if t not in TIERS]
    if bad:
        raise BadInput(f"argument tiers: unknown {bad}; tiers are {', '.join(TIERS)}")
    return run_id or str(await asyncio.to_thread(latest_run_id, store_of(info)))


async def resolve_inspection_targets(
        info: Info[Any, Any], run_id: RunId = None, tiers: OldTiers = None,
        first: Annotated[int, about("How many (1 to 500).")] = 100,
        after_rank: Annotated[int, about("Firms ranked after this rank.")] = 0,
        risk_tiers: RiskTiers = None) -> list[InspectionTarget]:
    """The former list form of :func:`resolve_targets` (``afterRank`` = the last rank)."""
    tiers = tier_values(tiers, risk_tiers)
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


async def resolve_targets(info: Info[Any, Any], run_id: RunId = None,
                          tiers: OldTiers = None, first: First = None,
                          after: After = None, last: Last = None,
                          before: Before = None,
                          risk_tiers: RiskTiers = None) -> Connection[InspectionTarget]:
    """A run's firms in rank order (default: the latest run), optionally of some tiers."""
    tiers = tier_values(tiers, risk_tiers)
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


async def resolve_inspection_plan(info: Info[Any, Any],
                                  plan_id: Annotated[str, about("The plan's id.")]
                                  ) -> InspectionPlan | None:
    """A stored inspection plan with its inspections (null when there is none)."""
    require(info, Role.INVESTIGATOR, "inspection plans")
    try:
        meta = await asyncio.to_thread(get_plan, store_of(info), plan_id)
    except NotFound:
        return None
    rows = await asyncio.to_thread(plan_inspections, store_of(info), plan_id)
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


async def resolve_objection(info: Info[Any, Any],
                            objection_id: Annotated[str, about("The objection's id.")]
                            ) -> Objection | None:
    """An objection with every transition: for its filer and agency roles; null, as for an
    unknown id, for anyone else."""
    who = require(info, Role.PUBLIC, "objections")
    try:
        found = await asyncio.to_thread(get_objection, store_of(info), objection_id)
    except NotFound:
        return None
    if not may_read_objection(who, found.filed_by):
        return None
    return objection_of(found)


async def resolve_fairness_audits(info: Info[Any, Any],
                                  run_id: Annotated[str, about("The ranking run.")]
                                  ) -> list[FairnessAudit]:
    """A run's fairness audits, newest first."""
    require(info, Role.INVESTIGATOR, "fairness audits")
    rows = await asyncio.to_thread(list_fairness_audits, store_of(info), run_id)
    return [FairnessAudit(audit_id=r["audit_id"], created_at=r["created_at"],
                          flag_count=r["flag_count"], outcome_window=r["outcome_window"],
                          retrospective=r["retrospective"], markdown=r["markdown"],
                          result=json.loads(r["result"])) for r in rows]


async def resolve_model_card(info: Info[Any, Any], version: Annotated[str | None, about(
        "The model version (default: the latest).")] = None) -> ModelCard:
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


@strawberry.type
class AccountabilityQuery:
    runs: list[RankingRun] | None = strawberry.field(
        resolver=resolve_runs, description="Ranking runs, newest first.",
        deprecation_reason="Use rankingRuns (a connection); removed in 0.3.")
    ranking_runs: Connection[RankingRun] | None = strawberry.field(
        resolver=resolve_ranking_runs,
        description="Ranking runs, newest first (the latest 100; agency roles).")
    inspection_targets: list[InspectionTarget] | None = strawberry.field(
        resolver=resolve_inspection_targets,
        description="A run's firms in rank order (default: the latest run); first <= 500, "
                    "afterRank = a cursor.",
        deprecation_reason="Use targets (a connection); removed in 0.3.")
    targets: Connection[InspectionTarget] | None = strawberry.field(
        resolver=resolve_targets,
        description="A run's firms in rank order (default: the latest run), optionally of "
                    "some tiers; pages of at most 500 (agency roles).")
    inspection_plan: InspectionPlan | None = strawberry.field(
        resolver=resolve_inspection_plan, description="A stored inspection plan.")
    objection: Objection | None = strawberry.field(resolver=resolve_objection,
                                            description="An objection and its transitions.")
    fairness_audits: list[FairnessAudit] | None = strawberry.field(
        resolver=resolve_fairness_audits, description="A run's fairness audits.")
    model_card: ModelCard | None = strawberry.field(
        resolver=resolve_model_card, description="A model version's card (Markdown).")
