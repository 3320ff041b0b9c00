"""Entity resolution's GraphQL types: a candidate pair with its comparison levels, a verdict and
a recorded judgement (no masked id number, birth date or address is ever a field)."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from riskgraph.app.graphql.common.fields import described
from riskgraph.app.graphql.registry.types import Person, load_person


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
