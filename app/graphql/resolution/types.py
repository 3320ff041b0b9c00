"""Entity resolution's GraphQL types: a candidate pair with its comparison levels, a verdict and
a recorded judgement (no masked id number, birth date or address is ever a field)."""

from __future__ import annotations

from dataclasses import asdict
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from riskgraph.app.graphql.common.enums import ResolutionKind
from riskgraph.app.graphql.common.fields import described, field_descriptions
from riskgraph.app.graphql.registry.types import Company, Person, load_company, load_person
from riskgraph.graph.store.resolution import Judgement


@strawberry.enum(description="An investigator's verdict on a pair of records (people or firms).")
class MatchVerdict(Enum):
    SAME = strawberry.enum_value("same", description="One person (or firm): link the records.")
    NOT_SAME = strawberry.enum_value("not_same", description="Two people (or firms): keep them "
                                                             "apart for good.")
    UNSURE = strawberry.enum_value("unsure", description="Cannot tell; leave the pair open.")


@strawberry.type(description="One comparison of a candidate pair: the level it reached and its "
                             "match weight (log2 Bayes factor; the prior is the first).")
class MatchComparison:
    comparison: str = strawberry.field(
        description="The compared attribute (name, birth year, ...).")
    level: str = strawberry.field(description="The level of agreement reached.")
    weight: float | None = strawberry.field(description="Its match weight.")


@strawberry.type(description="A pair of records (people or firms) the matcher is unsure of, "
                             "open for review.")
class MatchCandidate:
    pair_id: str = strawberry.field(description="The pair's id.")
    kind: ResolutionKind = strawberry.field(description="What the records are: people or firms.")
    a_key: str = strawberry.field(description="The first record's key (a personId, or a firm's "
                                              "USCC or namespaced key).")
    b_key: str = strawberry.field(description="The second record's key.")
    probability: float = strawberry.field(description="Match probability (Splink).")
    weight: float = strawberry.field(description="Total match weight.")
    comparisons: list[MatchComparison] = strawberry.field(description="Each comparison's result.")

    @described("The first person record (null for a pair of firms, or when no longer in the "
               "graph).")
    async def a(self, info: Info[Any, Any]) -> Person | None:
        return await load_person(info, self.a_key) if self._is("person") else None

    @described("The second person record (null for a pair of firms, or when no longer in the "
               "graph).")
    async def b(self, info: Info[Any, Any]) -> Person | None:
        return await load_person(info, self.b_key) if self._is("person") else None

    @described("The first firm record (null for a pair of people, or when no longer in the "
               "graph).")
    async def a_company(self, info: Info[Any, Any]) -> Company | None:
        return await load_company(info, self.a_key) if self._is("company") else None

    @described("The second firm record (null for a pair of people, or when no longer in the "
               "graph).")
    async def b_company(self, info: Info[Any, Any]) -> Company | None:
        return await load_company(info, self.b_key) if self._is("company") else None

    def _is(self, kind: str) -> bool:
        return str(self.kind.value) == kind


@field_descriptions({
    "judgement_id": "The judgement's id.",
    "pair_id": "The pair's id.",
    "kind": "What the records are: people or firms.",
    "a": "The first record's key (a personId, or a firm's key).",
    "b": "The second record's key.",
    "verdict": "The verdict.",
    "note": "Why.",
    "actor": "Who judged (the API key).",
    "at": "ISO date-time of the judgement.",
})
@strawberry.type(description="A recorded judgement on a pair of records (people or firms).")
class MatchJudgement(Judgement):  # the stored judgement's fields
    kind: ResolutionKind  # type: ignore[assignment]  # the stored text as its enum member
    verdict: MatchVerdict  # type: ignore[assignment]

    @classmethod
    def of(cls, j: Judgement) -> MatchJudgement:
        """The GraphQL form of a stored judgement."""
        return cls(**{**asdict(j), "kind": ResolutionKind(j.kind),
                      "verdict": MatchVerdict(j.verdict)})
