"""The ``judgeMatch`` mutation: through graph.resolution.judge, as ``riskgraph resolve judge``,
so it is checked, stored and audited the same way; the actor is the caller's API key."""

from __future__ import annotations

import asyncio
from typing import Any

import strawberry
from strawberry.types import Info

from riskgraph.app import cache
from riskgraph.app.graphql.accountability.mutations import mutation
from riskgraph.app.graphql.accountability.resolvers import actor_of, store_of
from riskgraph.app.graphql.permissions import require
from riskgraph.app.graphql.resolution.types import MatchJudgement, MatchVerdict
from riskgraph.app.security.principal import Role
from riskgraph.graph.resolution import judge


@strawberry.type
class ResolutionMutation:
    @mutation("Judge a pair of person records: same, not same or unsure, with a note "
              "(investigators; audited). \"same\" links them at once; \"not same\" splits a "
              "merged pair and is never merged again automatically.")
    async def judge_match(self, info: Info[Any, Any], a: str, b: str, verdict: MatchVerdict,
                          note: str = "") -> MatchJudgement:
        who = require(info, Role.INVESTIGATOR, "judging a match")
        store = store_of(info)
        j = await asyncio.to_thread(judge, store.driver, a, b, verdict.value, note,
                                    actor=actor_of(who), database=store.database)
        cache.invalidate()  # features, phoenix and conflicts read people through the resolution
        return MatchJudgement(judgement_id=j.judgement_id, pair_id=j.pair_id, a=j.a, b=j.b,
                              verdict=MatchVerdict(j.verdict), note=j.note, actor=j.actor,
                              at=j.at)
