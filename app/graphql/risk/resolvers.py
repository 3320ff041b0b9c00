"""explanation(uscc): a firm's risk explanation with the evidence the caller may see."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from riskgraph.app.graphql.common.arguments import AsOf, Uscc
from riskgraph.app.graphql.permissions import require
from riskgraph.app.graphql.registry.resolvers import require_company
from riskgraph.app.graphql.risk.explanations import explain_for
from riskgraph.app.graphql.risk.types import Explanation
from riskgraph.app.security.principal import Role


async def resolve_explanation(info: Info[Any, Any], uscc: Uscc,
                              as_of: AsOf = None) -> Explanation:
    """Why the firm scores as it does (needs a trained model: `riskgraph train`).

    Risk scores are for agencies, never published: the public role gets FORBIDDEN."""
    require(info, Role.INVESTIGATOR, "a risk explanation")
    code = (await require_company(info, uscc)).uscc
    return await explain_for(info, code, as_of)


@strawberry.type
class RiskQuery:
    explanation: Explanation | None = strawberry.field(
        resolver=resolve_explanation,
        description="A firm's risk explanation with the evidence the caller may see.")
