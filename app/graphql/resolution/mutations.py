"""The ``judgeMatch`` mutation: through graph.store.resolution.judge, as ``riskgraph resolve
judge``, so it is checked, stored and audited the same way; the actor is the caller's API key.
``judgeMatch`` (loose arguments) is the former spelling of ``createMatchJudgement``."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from riskgraph.app import cache
from riskgraph.app.graphql.accountability.mutations import arg, deprecated_mutation, mutation
from riskgraph.app.graphql.accountability.resolvers import actor_of, store_of
from riskgraph.app.graphql.common.enums import ResolutionKind
from riskgraph.app.graphql.common.payloads import CLIENT_MUTATION_ID, UserError, attempt, client_id
from riskgraph.app.graphql.permissions import require
from riskgraph.app.graphql.resolution.types import MatchJudgement, MatchVerdict
from riskgraph.app.security.principal import Role
from riskgraph.graph.store.resolution import judge

JUDGE = ("Judge a pair of records (people, or firms by `kind`): same, not same or unsure, "
         "with a note "
         "(investigators; audited). \"same\" links them at once; \"not same\" splits a "
         "merged pair and is never merged again automatically.")


async def _judge(info: Info[Any, Any], a: str, b: str, verdict: MatchVerdict,
                 note: str, kind: str = "person") -> MatchJudgement:
    who = require(info, Role.INVESTIGATOR, "judging a match")
    store = store_of(info)
    j = await asyncio.to_thread(judge, store, a, b, str(verdict.value), note,
                                actor=actor_of(who), kind=kind)
    cache.invalidate()  # features, phoenix and conflicts read people through the resolution
    return MatchJudgement.of(j)


@strawberry.input(description="What `createMatchJudgement` records: a verdict on a pair of "
                              "records (people unless `kind` says firms).")
class CreateMatchJudgementInput:
    a: str = strawberry.field(description="The first record's key (a personId, or a firm's "
                                          "key).")
    b: str = strawberry.field(description="The second record's key.")
    verdict: MatchVerdict = strawberry.field(description="Same, not same or unsure.")
    note: str = strawberry.field(default="", description="Why (up to 2,000 characters).")
    kind: ResolutionKind | None = strawberry.field(
        default=ResolutionKind("person"),
        description="What the records are: people (the default; also when null) or firms.")
    client_mutation_id: str | None = strawberry.field(default=None,
                                                      description=CLIENT_MUTATION_ID)


@strawberry.type(description="What `createMatchJudgement` did.")
class CreateMatchJudgementPayload:
    judgement: MatchJudgement | None = strawberry.field(
        description="The recorded judgement; null when `errors` says why not.")
    errors: list[UserError] = strawberry.field(
        description="Why nothing was recorded, with codes; empty on success.")
    client_mutation_id: str | None = strawberry.field(description=CLIENT_MUTATION_ID)


@strawberry.type
class ResolutionMutation:
    @mutation(JUDGE)
    async def create_match_judgement(
            self, info: Info[Any, Any],
            input: Annotated[CreateMatchJudgementInput, arg("The judgement.")]
    ) -> CreateMatchJudgementPayload:
        found, errors = await attempt(info, _judge(info, input.a, input.b, input.verdict,
                                             input.note,
                                             "person" if input.kind is None
                                             else str(input.kind.value)))
        return CreateMatchJudgementPayload(judgement=found, errors=errors,
                                           client_mutation_id=client_id(input))

    @deprecated_mutation(JUDGE, "createMatchJudgement")
    async def judge_match(self, info: Info[Any, Any],
                          a: Annotated[str, arg("The first record's key (a personId, or a "
                                                "firm's key with `kind`).")],
                          b: Annotated[str, arg("The second record's key.")],
                          verdict: Annotated[MatchVerdict, arg("The verdict.")],
                          note: Annotated[str, arg("Why.")] = "",
                          kind: Annotated[ResolutionKind | None,
                                          arg("What the records are: people (when omitted "
                                              "or null) or firms.")] = None
                          ) -> MatchJudgement:
        return await _judge(info, a, b, verdict, note,
                            "person" if kind is None else str(kind.value))
