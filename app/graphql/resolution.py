"""GraphQL for investigators' entity resolution (issue 21): the review queue of uncertain pairs
with the comparison levels behind each score, and the ``judgeMatch`` mutation. Both need the
investigator role or above. A judgement goes through graph.resolution.judge, as the CLI's
``riskgraph resolve judge`` does, so it is checked, stored and audited the same way; the actor is
the caller's API key. Person identity evidence keeps its disclosure: a comparison says which
level matched (``exact match``, ``day and month swapped``), never the masked id number, birth
date or address it compared."""

from __future__ import annotations

import asyncio
import json
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from riskgraph.app.graphql.accountability import _actor, _driver, mutation
from riskgraph.app.graphql.limits import page_size
from riskgraph.app.graphql.permissions import require
from riskgraph.app.graphql.types.fields import described
from riskgraph.app.graphql.types.person import Person, load_person
from riskgraph.app.security.principal import Role

MAX_QUEUE = 100


@strawberry.enum(description="An investigator's verdict on a pair of person records.")
class MatchVerdict(Enum):
    SAME = "same"
    NOT_SAME = "not_same"
    UNSURE = "unsure"


@strawberry.type(description="One comparison of a candidate pair: the level it reached and its "
                             "match weight (log2 Bayes factor; the prior is the first).")
class MatchComparison:
    comparison: str
    level: str
    weight: float | None


@strawberry.type(description="A pair of person records the matcher is unsure of, open for "
                             "review.")
class MatchCandidate:
    pair_id: str
    a_id: strawberry.Private[str]
    b_id: strawberry.Private[str]
    probability: float = strawberry.field(description="Match probability (Splink).")
    weight: float = strawberry.field(description="Total match weight.")
    comparisons: list[MatchComparison]

    @described("The first record (null when no longer in the graph).")
    async def a(self, info: Info[Any, Any]) -> Person | None:
        return await load_person(info, self.a_id)

    @described("The second record (null when no longer in the graph).")
    async def b(self, info: Info[Any, Any]) -> Person | None:
        return await load_person(info, self.b_id)


@strawberry.type(description="A recorded judgement on a pair of person records.")
class MatchJudgement:
    judgement_id: str
    pair_id: str
    a: str
    b: str
    verdict: MatchVerdict
    note: str
    actor: str
    at: str


def _comparisons(evidence: str | None) -> list[MatchComparison]:
    out = []
    for e in json.loads(evidence or "[]"):
        w = e.get("weight")
        out.append(MatchComparison(comparison=str(e.get("comparison", "")),
                                   level=str(e.get("level", "")),
                                   weight=None if w is None else float(w)))
    return out


async def resolve_match_review_queue(info: Info[Any, Any], first: int = 20
                                     ) -> list[MatchCandidate]:
    """Open pairs, most uncertain first (investigators)."""
    require(info, Role.INVESTIGATOR, "the match review queue")
    size = page_size(first, 20, MAX_QUEUE)
    from riskgraph.graph.resolution import review_queue

    rows = await asyncio.to_thread(review_queue, _driver(info), size)
    return [MatchCandidate(pair_id=str(r["pair_id"]), a_id=str(r["a"]), b_id=str(r["b"]),
                           probability=float(r["probability"]), weight=float(r["weight"]),
                           comparisons=_comparisons(r["evidence"])) for r in rows]


@strawberry.type
class ResolutionMutation:
    @mutation("Judge a pair of person records: same, not same or unsure, with a note "
              "(investigators; audited). \"same\" links them at once; \"not same\" splits a "
              "merged pair and is never merged again automatically.")
    async def judge_match(self, info: Info[Any, Any], a: str, b: str, verdict: MatchVerdict,
                          note: str = "") -> MatchJudgement:
        who = require(info, Role.INVESTIGATOR, "judging a match")
        from riskgraph.graph.resolution import judge

        j = await asyncio.to_thread(judge, _driver(info), a, b, verdict.value, note,
                                    actor=_actor(who))
        return MatchJudgement(judgement_id=j.judgement_id, pair_id=j.pair_id, a=j.a, b=j.b,
                              verdict=MatchVerdict(j.verdict), note=j.note, actor=j.actor,
                              at=j.at)
