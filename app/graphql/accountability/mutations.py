"""Accountability mutations: record outcomes, file and move objections, add records and
trigger runs. Writes go through the same model functions as the CLI, so each one appends its
audit event (the actor is the caller's API key), and each drops the report cache."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any, TypeVar, cast

import strawberry
from strawberry.types import Info

from riskgraph.app import cache
from riskgraph.app.graphql.accountability.resolvers import (
    actor_of,
    objection_of,
    record_visible,
    store_of,
)
from riskgraph.app.graphql.accountability.types import Objection
from riskgraph.app.graphql.permissions import require
from riskgraph.app.graphql.risk.types import RankingRun
from riskgraph.app.security.principal import Role
from riskgraph.graph.errors import Forbidden, NotFound
from riskgraph.models.accountability.objections import file_objection, transition
from riskgraph.models.accountability.plan_store import record_outcome
from riskgraph.models.accountability.ranking import create_run
from riskgraph.models.accountability.record_entry import add_record

F = TypeVar("F", bound=Callable[..., Any])


def mutation(description: str) -> Callable[[F], F]:
    """``@mutation(...)``, keeping the method's type."""
    return cast(Callable[[F], F], strawberry.mutation(description=description))


@strawberry.type
class AccountabilityMutation:
    @mutation("Record a planned inspection's outcome (investigators).")
    async def record_inspection_outcome(
            self, info: Info[Any, Any], plan_id: str, uscc: str, outcome: str, date: dt.date,
            inspector_id: str | None = None, publish: bool = False) -> str:
        who = require(info, Role.INVESTIGATOR, "recording an outcome")
        record_id = await asyncio.to_thread(
            record_outcome, store_of(info), plan_id=plan_id, uscc=uscc, outcome=outcome,
            on=date, inspector_id=inspector_id, publish=publish, actor=actor_of(who))
        cache.invalidate()
        return record_id

    @mutation("File an objection against a record or a ranking "
                                     "(any authenticated key, on behalf of the firm).")
    async def file_objection(self, info: Info[Any, Any], uscc: str, grounds: str,
                             record_id: str | None = None,
                             run_id: str | None = None) -> Objection:
        who = require(info, Role.PUBLIC, "filing an objection")
        if who.key_id is None:
            raise Forbidden("filing an objection needs an API key")
        if record_id is not None and not await record_visible(info, record_id):
            raise NotFound(f"no credit record {record_id!r}")  # hidden answers as unknown
        o = await asyncio.to_thread(file_objection, store_of(info), uscc=uscc, grounds=grounds,
                                    filed_by=actor_of(who), record_id=record_id, run_id=run_id)
        cache.invalidate()
        return objection_of(o)

    @mutation("Move an objection to its next state (investigators).")
    async def transition_objection(self, info: Info[Any, Any], objection_id: str,
                                   to_state: str, reason: str) -> Objection:
        who = require(info, Role.INVESTIGATOR, "deciding an objection")
        o = await asyncio.to_thread(transition, store_of(info), objection_id, to_state,
                                    actor=actor_of(who), reason=reason)
        cache.invalidate()
        return objection_of(o)

    @mutation("Add a credit record published by the caller's agency "
                                     "(restricted-role keys of that agency, or admin).")
    async def add_credit_record(self, info: Info[Any, Any], uscc: str, kind: str,
                                agency: str, issued_on: dt.date, disclosure: str,
                                severity: str | None = None, amount: float | None = None,
                                removed_on: dt.date | None = None) -> str:
        who = require(info, Role.RESTRICTED, "adding a credit record")
        if who.role is Role.RESTRICTED and agency not in who.agencies:
            raise Forbidden(f"this key may add records of {', '.join(who.agencies)} only")
        record_id = f"API-{uuid.uuid4().hex[:16].upper()}"
        await asyncio.to_thread(
            add_record, store_of(info), record_id=record_id, uscc=uscc, kind=kind,
            agency=agency, issued_on=issued_on, disclosure=disclosure, severity=severity,
            amount=amount, removed_on=removed_on, actor=actor_of(who))
        cache.invalidate()
        return record_id

    @mutation("Score, tier and rank every firm now (admin).")
    async def trigger_ranking_run(self, info: Info[Any, Any],
                                  as_of: dt.date | None = None) -> RankingRun:
        who = require(info, Role.ADMIN, "triggering a ranking run")
        run = await asyncio.to_thread(create_run, store_of(info), as_of=as_of,
                                      actor=actor_of(who), reason="triggered through the API")
        cache.invalidate()
        return RankingRun(run_id=run.run_id, created_at=run.created_at, as_of=run.as_of,
                          model_version=run.model_version, digest=run.digest,
                          status="complete", firms=len(run.firms))
