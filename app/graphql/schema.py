"""The root Query type and the schema with its limits and error coding.

Extensions are given as factories so that each request gets its own instances.
"""

from __future__ import annotations

import logging
from functools import partial

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaxTokensLimiter
from strawberry.types import ExecutionContext

from riskgraph.app.graphql.accountability import (
    FairnessAudit,
    InspectionPlan,
    InspectionTarget,
    ModelCard,
    Mutation,
    Objection,
    resolve_fairness_audits,
    resolve_inspection_plan,
    resolve_inspection_targets,
    resolve_model_card,
    resolve_objection,
    resolve_ranking_runs,
    resolve_runs,
    resolve_targets,
)
from riskgraph.app.graphql.errors import ErrorCodes
from riskgraph.app.graphql.health import Health, resolve_health
from riskgraph.app.graphql.limits import (
    MAX_TOKENS,
    CachedParser,
    CachedValidation,
    QueryCostLimiter,
)
from riskgraph.app.graphql.queries.companies import (
    resolve_companies,
    resolve_company,
    resolve_people,
    resolve_person,
)
from riskgraph.app.graphql.queries.explanation import resolve_explanation
from riskgraph.app.graphql.queries.network import (
    AS_OF_RULE,
    resolve_ownership_chain,
    resolve_phoenix_candidates,
    resolve_phoenix_firms,
    resolve_related_parties,
    resolve_shared_people,
    resolve_shortest_connection,
    resolve_ultimate_controllers,
)
from riskgraph.app.graphql.queries.node import resolve_node, resolve_nodes
from riskgraph.app.graphql.queries.tenders import resolve_tender, resolve_tenders
from riskgraph.app.graphql.resolution import (
    MatchCandidate,
    ResolutionMutation,
    resolve_match_review_queue,
)
from riskgraph.app.graphql.screens import (
    BidScreenResult,
    CartelScreen,
    ExposureReport,
    RedFlag,
    resolve_cartel_screen,
    resolve_exposure_report,
    resolve_screen_bid,
    resolve_tender_red_flags,
)
from riskgraph.app.graphql.types.company import Company
from riskgraph.app.graphql.types.network import (
    Controller,
    OwnershipPath,
    PhoenixCandidate,
    RelatedParty,
    SharedPerson,
    ShortestPath,
)
from riskgraph.app.graphql.types.node import Node
from riskgraph.app.graphql.types.pagination import Connection
from riskgraph.app.graphql.types.person import Person
from riskgraph.app.graphql.types.records import RECORD_TYPES
from riskgraph.app.graphql.types.risk import Explanation, RankingRun
from riskgraph.app.graphql.types.tender import Tender

log = logging.getLogger("riskgraph.api.graphql")


@strawberry.type
class Query:
    """Every root field is nullable: one failing field (FORBIDDEN, NOT_FOUND, ...) leaves
    the others of the answer standing, with its error beside them (issue 14)."""

    health: Health | None = strawberry.field(resolver=resolve_health, description="Service health.")
    node: Node | None = strawberry.field(
        resolver=resolve_node,
        description="Any object by its global id (`id` of a Node), with the caller's "
                    "disclosure applied: null when absent or not visible to the caller.")
    nodes: list[Node | None] | None = strawberry.field(
        resolver=resolve_nodes,
        description="Objects by global ids (at most 100), in order; null for each one absent "
                    "or not visible to the caller.")
    company: Company | None = strawberry.field(resolver=resolve_company,
                                               description="A company by its identifier: a USCC, "
                                                           "lei:<LEI> or <namespace>:<id> "
                                                           "(null if unknown).")
    companies: Connection[Company] | None = strawberry.field(
        resolver=resolve_companies,
        description="Companies by name, region / industry prefix and tier in the latest "
                    "ranking run, ordered by USCC; pages of at most 100. A name matches when "
                    "it contains `name` with its Latin words starting where the name's do "
                    "(full-text index; Chinese: any substring of 2+ characters).")
    person: Person | None = strawberry.field(resolver=resolve_person, description="A person by id.")
    people: Connection[Person] | None = strawberry.field(
        resolver=resolve_people,
        description="People whose name contains `name` (matched as for `companies`).")
    ownership_chain: list[OwnershipPath] | None = strawberry.field(
        resolver=resolve_ownership_chain,
        description="Simple equity paths into a firm with the product of their shares, "
                    f"{AS_OF_RULE}.")
    ultimate_controllers: list[Controller] | None = strawberry.field(
        resolver=resolve_ultimate_controllers,
        description="Top holders of a firm with their penetrated (effective) shares, "
                    f"{AS_OF_RULE}.")
    related_parties: list[RelatedParty] | None = strawberry.field(
        resolver=resolve_related_parties,
        description="Firms within hops (<= 3) links by the chosen channels, with the paths.")
    shared_people: list[SharedPerson] | None = strawberry.field(
        resolver=resolve_shared_people, description="People with roles in both firms.")
    shortest_connection: ShortestPath | None = strawberry.field(
        resolver=resolve_shortest_connection,
        description="The shortest chain of links between two firms.")
    phoenix_candidates: list[PhoenixCandidate] | None = strawberry.field(
        resolver=resolve_phoenix_candidates,
        description="Active firms led by people of blacklisted-then-dissolved firms, "
                    f"{AS_OF_RULE}.",
        deprecation_reason="Use phoenixFirms (a connection); removed in 0.3.")
    phoenix_firms: Connection[PhoenixCandidate] | None = strawberry.field(
        resolver=resolve_phoenix_firms,
        description="Active firms led by people of blacklisted-then-dissolved firms (only "
                    f"blacklistings the caller may see count), by USCC, {AS_OF_RULE}.")
    explanation: Explanation | None = strawberry.field(
        resolver=resolve_explanation,
        description="A firm's risk explanation with the evidence the caller may see.")
    tender: Tender | None = strawberry.field(resolver=resolve_tender, description="A tender by id.")
    tenders: Connection[Tender] | None = strawberry.field(
        resolver=resolve_tenders, description="Tenders by buyer and region, with their bids.")
    tender_red_flags: list[RedFlag] | None = strawberry.field(
        resolver=resolve_tender_red_flags,
        description="Cardinal red flags (and R044) about a tender, with evidence.")
    cartel_screen: CartelScreen | None = strawberry.field(
        resolver=resolve_cartel_screen,
        description="The cartel screen: co-bidding groups, linked bidders, blacklisted bids.")
    exposure_report: ExposureReport | None = strawberry.field(
        resolver=resolve_exposure_report,
        description="Supplier-network exposure of a firm (tiers <= 6; docs/exposure.md).")
    screen_bid: BidScreenResult | None = strawberry.field(
        resolver=resolve_screen_bid,
        description="Whether any party of a bid (or proposed parties) is barred, with evidence.")
    runs: list[RankingRun] | None = strawberry.field(
        resolver=resolve_runs, description="Ranking runs, newest first.",
        deprecation_reason="Use rankingRuns (a connection); removed in 0.3.")
    ranking_runs: Connection[RankingRun] | None = strawberry.field(
        resolver=resolve_ranking_runs,
        description="Ranking runs, newest first (the latest 100; agency roles).")
    inspection_targets: list[InspectionTarget] | None = strawberry.field(
        resolver=resolve_inspection_targets,
        description="A run's firms in rank order (default: the latest run); first <= 500, "
                    "afterRank = a cursor.",
        deprecation_reason="Use targets (a connection); removed in 0.3.")
    targets: Connection[InspectionTarget] | None = strawberry.field(
        resolver=resolve_targets,
        description="A run's firms in rank order (default: the latest run), optionally of "
                    "some tiers; pages of at most 500 (agency roles).")
    inspection_plan: InspectionPlan | None = strawberry.field(
        resolver=resolve_inspection_plan, description="A stored inspection plan.")
    objection: Objection | None = strawberry.field(resolver=resolve_objection,
                                            description="An objection and its transitions.")
    fairness_audits: list[FairnessAudit] | None = strawberry.field(
        resolver=resolve_fairness_audits, description="A run's fairness audits.")
    model_card: ModelCard | None = strawberry.field(
        resolver=resolve_model_card, description="A model version's card (Markdown).")
    match_review_queue: list[MatchCandidate] | None = strawberry.field(
        resolver=resolve_match_review_queue,
        description="Pairs of person records the matcher is unsure of, most uncertain first, "
                    "with their comparison levels (investigators; first <= 100).")


@strawberry.type(name="Mutation")
class RootMutation(Mutation, ResolutionMutation):
    """The accountability mutations and the entity-resolution one (app/graphql/resolution.py)."""


class Schema(strawberry.Schema):
    """The strawberry schema, logging errors once: unexpected ones (with their traceback) by
    app.graphql.errors.ErrorCodes under an incident id, expected ones (bad input, not found,
    limits) at debug level only."""

    def process_errors(self, errors: list[GraphQLError],
                       execution_context: ExecutionContext | None = None) -> None:
        for error in errors:
            log.debug("GraphQL error: %s", error.message)


schema = Schema(
    query=Query,
    mutation=RootMutation,
    types=list(RECORD_TYPES.values()),
    extensions=[
        partial(MaxTokensLimiter, max_token_count=MAX_TOKENS),
        CachedParser,  # strawberry's parser cache
        QueryCostLimiter,  # depth, aliases and cost in one linear pass (issue 14)
        CachedValidation,  # then the validation rules, cached by strawberry
        ErrorCodes,
    ],
)
