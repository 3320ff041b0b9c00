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
    SAME = strawberry.enum_value("same", description="One person: link the records.")
    NOT_SAME = strawberry.enum_value("not_same", description="Two people: keep them apart for "
                                                             "good.")
    UNSURE = strawberry.enum_value("unsure", description="Cannot tell; leave the pair open.")


@strawberry.type(description="One comparison of a candidate pair: the level it reached and its "
                             "match weight (log2 Bayes factor; the prior is the first).")
class MatchComparison:
    comparison: str = strawberry.field(
        description="The compared attribute (name, birth year, ...).")
    level: str = strawberry.field(description="The level of agreement reached.")
    weight: float | None = strawberry.field(description="Its match weight.")


@strawberry.type(description="A pair of person records the matcher is unsure of, open for "
                             "review.")
class MatchCandidate:
    pair_id: str = strawberry.field(description="The pair's id.")
    a_id: strawberry.Private[str]
    b_id: strawberry.Private[str]
    probability: float = strawberry.field(description="Match probability (Splink).")
    weight: float = strawberry.field(description="Total match weight.")
    comparisons: list[MatchComparison] = strawberry.field(description="Each comparison's result.")

    @described("The first record (null when no longer in the graph).")
    async def a(self, info: Info[Any, Any]) -> Person | None:
        return await load_person(info, self.a_id)

    @described("The second record (null when no longer in the graph).")
    async def b(self, info: Info[Any, Any]) -> Person | None:
        return await load_person(info, self.b_id)


@strawberry.type(description="A recorded judgement on a pair of person records.")
class MatchJudgement:
    judgement_id: str = strawberry.field(description="The judgement's id.")
    pair_id: str = strawberry.field(description="The pair's id.")
    a: str = strawberry.field(description="The first person record's id.")
    b: str = strawberry.field(description="The second person record's id.")
    verdict: MatchVerdict = strawberry.field(description="The verdict.")
    note: str = strawberry.field(description="Why.")
    actor: str = strawberry.field(description="Who judged (the API key).")
    at: str = strawberry.field(description="ISO date-time of the judgement.")
