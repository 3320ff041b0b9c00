"""The review queue of uncertain pairs (investigators)."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from riskgraph.app.graphql.accountability.resolvers import store_of
from riskgraph.app.graphql.common.arguments import about
from riskgraph.app.graphql.common.enums import ResolutionKind
from riskgraph.app.graphql.limits import page_size
from riskgraph.app.graphql.permissions import require
from riskgraph.app.graphql.resolution.types import MatchCandidate, MatchComparison
from riskgraph.app.security.principal import Role
from riskgraph.graph.store.resolution import review_queue

MAX_QUEUE = 100
PERSON = ResolutionKind("person")


def _comparisons(evidence: str | None) -> list[MatchComparison]:
    out = []
    for e in json.loads(evidence or "[]"):
        w = e.get("weight")
        out.append(MatchComparison(comparison=str(e.get("comparison", "")),
                                   level=str(e.get("level", "")),
                                   weight=None if w is None else float(w)))
    return out


async def resolve_match_review_queue(
        info: Info[Any, Any], first: Annotated[int, about("How many pairs at most.")] = 20,
        kind: Annotated[ResolutionKind | None,
                        about("Which queue: pairs of people (the default; also when null) "
                              "or of firms.")] = PERSON
) -> list[MatchCandidate]:
    """Open pairs of one kind, most uncertain first (investigators)."""
    require(info, Role.INVESTIGATOR, "the match review queue")
    size = page_size(first, 20, MAX_QUEUE)
    store = store_of(info)
    kind = kind or PERSON
    rows = await asyncio.to_thread(review_queue, store, size, kind=str(kind.value))
    return [MatchCandidate(pair_id=str(r["pair_id"]), kind=kind,
                           a_key=str(r["a"]), b_key=str(r["b"]),
                           probability=float(r["probability"]), weight=float(r["weight"]),
                           comparisons=_comparisons(r["evidence"])) for r in rows]


@strawberry.type
class ResolutionQuery:
    match_review_queue: list[MatchCandidate] | None = strawberry.field(
        resolver=resolve_match_review_queue,
        description="Pairs of records of one kind (people unless `kind` says firms) the "
                    "matcher is unsure of, most uncertain first, with their comparison levels "
                    "(investigators; first <= 100).")
