"""The schema: each domain's root fields (app/graphql/<domain>/resolvers.py) joined with
strawberry's merge_types, with its limits and error coding.

Extensions are given as factories so that each request gets its own instances.
"""

from __future__ import annotations

import logging
from functools import partial

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaxTokensLimiter
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.name_converter import NameConverter
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext
from strawberry.types.base import get_object_definition

from riskgraph.app.graphql.accountability.mutations import AccountabilityMutation
from riskgraph.app.graphql.accountability.resolvers import AccountabilityQuery
from riskgraph.app.graphql.errors import ErrorCodes
from riskgraph.app.graphql.exposure.resolvers import ExposureQuery
from riskgraph.app.graphql.instrumentation import OperationRecorder
from riskgraph.app.graphql.limits import (
    MAX_TOKENS,
    CachedParser,
    CachedValidation,
    QueryCostLimiter,
)
from riskgraph.app.graphql.network.resolvers import NetworkQuery
from riskgraph.app.graphql.procurement.resolvers import ProcurementQuery
from riskgraph.app.graphql.registry.resolvers import RegistryQuery
from riskgraph.app.graphql.registry.types import RECORD_TYPES
from riskgraph.app.graphql.resolution.mutations import ResolutionMutation
from riskgraph.app.graphql.resolution.resolvers import ResolutionQuery
from riskgraph.app.graphql.risk.resolvers import RiskQuery
from riskgraph.app.graphql.screens.resolvers import ScreensQuery
from riskgraph.app.graphql.system.resolvers import SystemQuery

log = logging.getLogger("riskgraph.api.graphql")


DOMAINS = (SystemQuery, RegistryQuery, NetworkQuery, RiskQuery, ProcurementQuery,
           ScreensQuery, ExposureQuery, AccountabilityQuery, ResolutionQuery)
"""Each domain's root fields, in the order the schema lists them."""

Query = merge_types("Query", DOMAINS)  # ``class Query(*DOMAINS)``: fields in DOMAINS' order
"""Every root field is nullable: one failing field (FORBIDDEN, NOT_FOUND, ...) leaves the
others of the answer standing, with its error beside them (issue 14)."""

Mutation = merge_types("Mutation", (AccountabilityMutation, ResolutionMutation))

get_object_definition(Query, strict=True).description = (
    "What can be read: the registry, its networks, risk, procurement screens, exposure, "
    "accountability and entity resolution. Fields a role may not read answer FORBIDDEN; "
    "records are filtered by the caller's disclosure.")
get_object_definition(Mutation, strict=True).description = (
    "What can be written, each write audited under the caller's API key. A mutation takes one "
    "`input` object and returns a payload with coded `errors` (the loose-argument forms are "
    "deprecated).")


class Schema(strawberry.Schema):
    """The strawberry schema, logging errors once: unexpected ones (with their traceback) by
    app.graphql.errors.ErrorCodes under an incident id, expected ones (bad input, not found,
    limits) at debug level only."""

    def process_errors(self, errors: list[GraphQLError],
                       execution_context: ExecutionContext | None = None) -> None:
        for error in errors:
            log.debug("GraphQL error: %s", error.message)


class CachedNameConverter(NameConverter):
    """strawberry's names, each worked out once: strawberry converts every argument's Python
    name to camelCase again on each call of a resolver (about 5% of a company request's
    CPU in py-spy before this)."""

    def __init__(self) -> None:
        super().__init__()
        self._names: dict[str, str] = {}

    def apply_naming_config(self, name: str) -> str:
        found = self._names.get(name)
        if found is None:
            found = self._names[name] = super().apply_naming_config(name)
        return found


schema = Schema(
    query=Query,
    config=StrawberryConfig(name_converter=CachedNameConverter()),
    mutation=Mutation,
    types=list(RECORD_TYPES.values()),
    extensions=[
        partial(MaxTokensLimiter, max_token_count=MAX_TOKENS),
        CachedParser,  # strawberry's parser cache
        QueryCostLimiter,  # depth, aliases and cost in one linear pass (issue 14)
        CachedValidation,  # then the validation rules, cached by strawberry
        OperationRecorder,  # metrics and audit record; before ErrorCodes: sees coded errors
        ErrorCodes,
    ],
)
