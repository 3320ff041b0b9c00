"""Accountability mutations: record outcomes, file and move objections, add records and
trigger runs. Writes go through the same model functions as the CLI, so each one appends its
audit event (the actor is the caller's API key), and each drops the report cache.

Each write has one implementation (``_record_outcome`` ...), reached by the mutation that takes
an ``input:`` object and returns a payload (app/graphql/common/payloads.py) and by the former
loose-argument mutation, kept for one release (deprecated, removed in 0.3).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Callable
from typing import Annotated, Any, TypeVar, cast

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
from riskgraph.app.graphql.common.enums import (
    DisclosureClass,
    InspectionOutcomeEnum,
    ObjectionState,
    RecordKind,
)
from riskgraph.app.graphql.common.payloads import CLIENT_MUTATION_ID, UserError, attempt, client_id
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


OLD = "Use {0} (one input object, a payload with coded errors); removed in 0.3."


def deprecated_mutation(description: str, replacement: str) -> Callable[[F], F]:
    """``@mutation(...)`` of a former loose-argument mutation, deprecated for ``replacement``."""
    return cast(Callable[[F], F], strawberry.mutation(
        description=description, deprecation_reason=OLD.format(replacement)))


def arg(description: str) -> Any:
    """``strawberry.argument(description=...)``, for ``Annotated`` argument types."""
    return strawberry.argument(description=description)


async def _record_outcome(info: Info[Any, Any], plan_id: str, uscc: str, outcome: str,
                          date: dt.date, inspector_id: str | None, publish: bool) -> str:
    who = require(info, Role.INVESTIGATOR, "recording an outcome")
    record_id = await asyncio.to_thread(
        record_outcome, store_of(info), plan_id=plan_id, uscc=uscc, outcome=outcome,
        on=date, inspector_id=inspector_id, publish=publish, actor=actor_of(who))
    cache.invalidate()
    return record_id


async def _file_objection(info: Info[Any, Any], uscc: str, grounds: str,
                          record_id: str | None, run_id: str | None) -> Objection:
    who = require(info, Role.PUBLIC, "filing an objection")
    if who.key_id is None:
        raise Forbidden("filing an objection needs an API key")
    if record_id is not None and not await record_visible(info, record_id):
        # hidden answers as unknown
        raise NotFound(f"no credit record {record_id!r}", field="record_id")
    o = await asyncio.to_thread(file_objection, store_of(info), uscc=uscc, grounds=grounds,
                                filed_by=actor_of(who), record_id=record_id, run_id=run_id)
    cache.invalidate()
    return objection_of(o)


async def _move_objection(info: Info[Any, Any], objection_id: str, to_state: str,
                          reason: str) -> Objection:
    who = require(info, Role.INVESTIGATOR, "deciding an objection")
    o = await asyncio.to_thread(transition, store_of(info), objection_id, to_state,
                                actor=actor_of(who), reason=reason)
    cache.invalidate()
    return objection_of(o)


async def _add_record(info: Info[Any, Any], uscc: str, kind: str, agency: str,
                      issued_on: dt.date, disclosure: str, severity: str | None,
                      amount: float | None, removed_on: dt.date | None) -> str:
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


async def _create_run(info: Info[Any, Any], as_of: dt.date | None) -> RankingRun:
    who = require(info, Role.ADMIN, "triggering a ranking run")
    run = await asyncio.to_thread(create_run, store_of(info), as_of=as_of,
                                  actor=actor_of(who), reason="triggered through the API")
    cache.invalidate()
    return RankingRun(run_id=run.run_id, created_at=run.created_at, as_of=run.as_of,
                      model_version=run.model_version, digest=run.digest,
                      status="complete", firms=len(run.firms))


# --- input objects and payloads ---------------------------------------------------------------

@strawberry.input(description="What `recordOutcome` records: a planned inspection's outcome.")
class RecordOutcomeInput:
    plan_id: str = strawberry.field(description="The inspection plan's id.")
    uscc: str = strawberry.field(description="The inspected firm's identifier (in the plan).")
    outcome: InspectionOutcomeEnum = strawberry.field(description="What the inspection found.")
    date: dt.date = strawberry.field(description="The day of the inspection.")
    inspector_id: str | None = strawberry.field(
        default=None, description="The inspector who did it (default: the plan's first).")
    publish: bool = strawberry.field(
        default=False, description="Also publish the result as a public inspection record.")
    client_mutation_id: str | None = strawberry.field(default=None,
                                                      description=CLIENT_MUTATION_ID)


@strawberry.type(description="What `recordOutcome` did.")
class RecordOutcomePayload:
    record_id: str | None = strawberry.field(
        description="The inspection record written; null when `errors` says why not.")
    errors: list[UserError] = strawberry.field(
        description="Why nothing was recorded, with codes; empty on success.")
    client_mutation_id: str | None = strawberry.field(description=CLIENT_MUTATION_ID)


@strawberry.input(description="What `createObjection` files: a firm's objection against one "
                              "of its records or its ranking in a run.")
class CreateObjectionInput:
    uscc: str = strawberry.field(description="The objecting firm's identifier.")
    grounds: str = strawberry.field(description="Why the firm objects (up to 4,000 "
                                                "characters).")
    record_id: str | None = strawberry.field(
        default=None, description="The contested credit record (one of the firm's; give this "
                                  "or `runId`).")
    run_id: str | None = strawberry.field(
        default=None, description="The ranking run whose assessment of the firm is contested.")
    client_mutation_id: str | None = strawberry.field(default=None,
                                                      description=CLIENT_MUTATION_ID)


@strawberry.input(description="What `moveObjection` does: move an objection to its next "
                              "state, with the reason.")
class MoveObjectionInput:
    objection_id: str = strawberry.field(description="The objection's id (`objectionId`).")
    to_state: ObjectionState = strawberry.field(
        description="The next state (a state the current one may move to).")
    reason: str = strawberry.field(description="Why (recorded in the audit trail; up to 2,000 "
                                               "characters).")
    client_mutation_id: str | None = strawberry.field(default=None,
                                                      description=CLIENT_MUTATION_ID)


@strawberry.type(description="What `createObjection` or `moveObjection` did.")
class ObjectionPayload:
    objection: Objection | None = strawberry.field(
        description="The objection as it now stands; null when `errors` says why not.")
    errors: list[UserError] = strawberry.field(
        description="Why nothing was done, with codes; empty on success.")
    client_mutation_id: str | None = strawberry.field(description=CLIENT_MUTATION_ID)


@strawberry.input(description="What `createCreditRecord` adds: a credit record published by "
                              "the caller's agency.")
class CreateCreditRecordInput:
    uscc: str = strawberry.field(description="The firm the record is about.")
    kind: RecordKind = strawberry.field(description="The record's kind (its category follows).")
    agency: str = strawberry.field(description="The publishing agency (the caller's own, for a "
                                               "restricted-role key).")
    issued_on: dt.date = strawberry.field(description="The day the record was issued.")
    disclosure: DisclosureClass = strawberry.field(description="Who may see the record.")
    severity: str | None = strawberry.field(
        default=None, description="general, serious or particularly_serious (negative "
                                  "records).")
    amount: float | None = strawberry.field(default=None, description="Amount in yuan (RMB).")
    removed_on: dt.date | None = strawberry.field(
        default=None, description="The day a listing ended (list inclusions).")
    client_mutation_id: str | None = strawberry.field(default=None,
                                                      description=CLIENT_MUTATION_ID)


@strawberry.type(description="What `createCreditRecord` did.")
class CreateCreditRecordPayload:
    record_id: str | None = strawberry.field(
        description="The new record's id; null when `errors` says why not.")
    errors: list[UserError] = strawberry.field(
        description="Why nothing was added, with codes; empty on success.")
    client_mutation_id: str | None = strawberry.field(description=CLIENT_MUTATION_ID)


@strawberry.input(description="What `createRankingRun` scores: every firm, as of a day.")
class CreateRankingRunInput:
    as_of: dt.date | None = strawberry.field(
        default=None, description="Score the firms as of this day (default: the graph's data "
                                  "date).")
    client_mutation_id: str | None = strawberry.field(default=None,
                                                      description=CLIENT_MUTATION_ID)


@strawberry.type(description="What `createRankingRun` did.")
class CreateRankingRunPayload:
    ranking_run: RankingRun | None = strawberry.field(
        description="The new run; null when `errors` says why not.")
    errors: list[UserError] = strawberry.field(
        description="Why no run was made, with codes; empty on success.")
    client_mutation_id: str | None = strawberry.field(description=CLIENT_MUTATION_ID)


@strawberry.type
class AccountabilityMutation:
    @mutation("Record a planned inspection's outcome (investigators).")
    async def record_outcome(self, info: Info[Any, Any],
                             input: Annotated[RecordOutcomeInput, arg("The outcome.")]
                             ) -> RecordOutcomePayload:
        record_id, errors = await attempt(info, _record_outcome(
            info, input.plan_id, input.uscc, input.outcome.value, input.date,
            input.inspector_id, input.publish), renames={"on": "date"})
        return RecordOutcomePayload(record_id=record_id, errors=errors,
                                    client_mutation_id=client_id(input))

    @mutation("File an objection against a record or a ranking (any authenticated key, on "
              "behalf of the firm).")
    async def create_objection(self, info: Info[Any, Any],
                               input: Annotated[CreateObjectionInput, arg("The objection.")]
                               ) -> ObjectionPayload:
        found, errors = await attempt(info, _file_objection(
            info, input.uscc, input.grounds, input.record_id, input.run_id))
        return ObjectionPayload(objection=found, errors=errors,
                                client_mutation_id=client_id(input))

    @mutation("Move an objection to its next state (investigators).")
    async def move_objection(self, info: Info[Any, Any],
                             input: Annotated[MoveObjectionInput, arg("The move.")]
                             ) -> ObjectionPayload:
        found, errors = await attempt(info, _move_objection(
            info, input.objection_id, input.to_state.value, input.reason))
        return ObjectionPayload(objection=found, errors=errors,
                                client_mutation_id=client_id(input))

    @mutation("Add a credit record published by the caller's agency (restricted-role keys of "
              "that agency, or admin).")
    async def create_credit_record(
            self, info: Info[Any, Any],
            input: Annotated[CreateCreditRecordInput, arg("The record.")]
    ) -> CreateCreditRecordPayload:
        record_id, errors = await attempt(info, _add_record(
            info, input.uscc, input.kind.value, input.agency, input.issued_on,
            input.disclosure.value, input.severity, input.amount, input.removed_on))
        return CreateCreditRecordPayload(record_id=record_id, errors=errors,
                                         client_mutation_id=client_id(input))

    @mutation("Score, tier and rank every firm now (admin).")
    async def create_ranking_run(
            self, info: Info[Any, Any],
            input: Annotated[CreateRankingRunInput, arg("The run's day.")]
    ) -> CreateRankingRunPayload:
        run, errors = await attempt(info, _create_run(info, input.as_of))
        return CreateRankingRunPayload(ranking_run=run, errors=errors,
                                       client_mutation_id=client_id(input))

    # --- the former loose-argument mutations (one release) ---------------------------------

    @deprecated_mutation("Record a planned inspection's outcome (investigators); returns the "
                         "inspection record's id.", "recordOutcome")
    async def record_inspection_outcome(
            self, info: Info[Any, Any], plan_id: Annotated[str, arg("The plan's id.")],
            uscc: Annotated[str, arg("The inspected firm.")],
            outcome: Annotated[str, arg("no_violation, violation or serious_violation.")],
            date: Annotated[dt.date, arg("The day of the inspection.")],
            inspector_id: Annotated[str | None, arg("The inspector.")] = None,
            publish: Annotated[bool, arg("Also publish a public record.")] = False) -> str:
        return await _record_outcome(info, plan_id, uscc, outcome, date, inspector_id, publish)

    @deprecated_mutation("File an objection against a record or a ranking (any authenticated "
                         "key, on behalf of the firm).", "createObjection")
    async def file_objection(
            self, info: Info[Any, Any], uscc: Annotated[str, arg("The objecting firm.")],
            grounds: Annotated[str, arg("Why the firm objects.")],
            record_id: Annotated[str | None, arg("The contested record.")] = None,
            run_id: Annotated[str | None, arg("The contested run.")] = None) -> Objection:
        return await _file_objection(info, uscc, grounds, record_id, run_id)

    @deprecated_mutation("Move an objection to its next state (investigators).",
                         "moveObjection")
    async def transition_objection(
            self, info: Info[Any, Any], objection_id: Annotated[str, arg("The objection.")],
            to_state: Annotated[str, arg("The next state, e.g. accepted.")],
            reason: Annotated[str, arg("Why.")]) -> Objection:
        return await _move_objection(info, objection_id, to_state, reason)

    @deprecated_mutation("Add a credit record published by the caller's agency "
                         "(restricted-role keys of that agency, or admin); returns its id.",
                         "createCreditRecord")
    async def add_credit_record(
            self, info: Info[Any, Any], uscc: Annotated[str, arg("The firm.")],
            kind: Annotated[str, arg("The record kind, e.g. procurement_ban.")],
            agency: Annotated[str, arg("The publishing agency.")],
            issued_on: Annotated[dt.date, arg("The day issued.")],
            disclosure: Annotated[str, arg("public, agency_shared or restricted.")],
            severity: Annotated[str | None, arg("The severity.")] = None,
            amount: Annotated[float | None, arg("Amount in yuan.")] = None,
            removed_on: Annotated[dt.date | None, arg("The day a listing ended.")] = None
    ) -> str:
        return await _add_record(info, uscc, kind, agency, issued_on, disclosure, severity,
                                 amount, removed_on)

    @deprecated_mutation("Score, tier and rank every firm now (admin).", "createRankingRun")
    async def trigger_ranking_run(
            self, info: Info[Any, Any],
            as_of: Annotated[dt.date | None, arg("Score as of this day.")] = None
    ) -> RankingRun:
        return await _create_run(info, as_of)
