"""explanation(uscc): a firm's risk explanation with the evidence the caller may see."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from riskgraph.app.graphql.common.arguments import AsOf, Uscc
from riskgraph.app.graphql.permissions import require
from riskgraph.app.graphql.registry.resolvers import clean_uscc
from riskgraph.app.graphql.risk.explanations import explain_for
from riskgraph.app.graphql.risk.types import Explanation
from riskgraph.app.security.principal import Role


async def resolve_explanation(info: Info[Any, Any], uscc: Uscc,
                              as_of: AsOf = None) -> Explanation:
    """Why the firm scores as it does (needs a trained model: `riskgraph train`).

    Risk scores are for agencies, never published: the public role gets FORBIDDEN. An
    unknown firm is NOT_FOUND from the explanation's first read (the firm's row comes with the
    graph version: explain_cache.py), so no read of the company goes before it."""
    require(info, Role.INVESTIGATOR, "a risk explanation")
    return await explain_for(info, clean_uscc(uscc), as_of)


@strawberry.type
class RiskQuery:
    explanation: Explanation | None = strawberry.field(
        resolver=resolve_explanation,
        description="A firm's risk explanation with the evidence the caller may see.")
