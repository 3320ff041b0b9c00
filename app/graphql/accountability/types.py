"""Accountability types: inspection targets and plans, objections and their transitions,
fairness audits and model cards.

``Objection`` is built from the stored record (graph.store.objections.Objection): its fields are
the dataclass's, described here by name. Fields that used to be plain strings of a vocabulary
keep their string form for one release (deprecated) beside the enum field.
"""

from __future__ import annotations

import strawberry

from riskgraph.app.graphql.common.enums import (
    InspectionOutcomeEnum,
    InspectionStatus,
    ObjectionState,
    PlanStream,
    RiskTier,
    member,
)
from riskgraph.app.graphql.common.fields import described, field_descriptions
from riskgraph.app.graphql.common.node import Node
from riskgraph.app.graphql.risk.types import Reason
from riskgraph.graph.store import objections as stored

OLD_TIER = "Use riskTier (an enum); removed in 0.3."


@strawberry.type(description="A firm in a ranking run's order, with its top reasons.")
class InspectionTarget:
    uscc: str = strawberry.field(description="The firm's identifier.")
    name: str | None = strawberry.field(description="The firm's name.")
    region_code: str | None = strawberry.field(description="GB/T 2260 region code.")
    risk: float = strawberry.field(description="Calibrated risk: P(an inspection finds a "
                                               "violation).")
    serious_risk: float | None = strawberry.field(
        description="P(a serious violation); null when the model has no serious component.")
    tier: str = strawberry.field(description="The risk tier, as text.",
                                 deprecation_reason=OLD_TIER)
    rank: int = strawberry.field(description="Position in the run (1 = riskiest).")
    overturned: bool = strawberry.field(description="Assessment overturned by an objection")
    reasons: list[Reason] = strawberry.field(description="The top reasons stored with the run.")

    @described("The risk tier.")
    def risk_tier(self) -> RiskTier:
        return RiskTier(self.tier)


@strawberry.type(description="One inspection of a plan: the firm, why it is in the plan, who "
                             "goes, and what was found.")
class PlannedInspection:
    order: int = strawberry.field(description="Position in the plan.")
    uscc: str = strawberry.field(description="The firm's identifier.")
    name: str | None = strawberry.field(description="The firm's name.")
    stream: str = strawberry.field(description="random (double random) or tier, as text.",
                                   deprecation_reason="Use planStream (an enum); removed in "
                                                      "0.3.")
    tier: str = strawberry.field(description="The firm's risk tier, as text.",
                                 deprecation_reason=OLD_TIER)
    risk: float = strawberry.field(description="The firm's calibrated risk in the run.")
    inspector_ids: list[str] = strawberry.field(description="The inspectors assigned.")
    status: str = strawberry.field(description="planned, unassigned or done, as text.",
                                   deprecation_reason="Use inspectionStatus (an enum); removed "
                                                      "in 0.3.")
    note: str | None = strawberry.field(description="A planner's note (e.g. why unassigned).")
    outcome: str | None = strawberry.field(
        description="The recorded outcome, as text.",
        deprecation_reason="Use inspectionOutcome (an enum); removed in 0.3.")
    record_id: str | None = strawberry.field(description="The inspection record of the "
                                                         "outcome, once recorded.")

    @described("The firm's risk tier in the run.")
    def risk_tier(self) -> RiskTier:
        return RiskTier(self.tier)

    @described("Why the firm is in the plan.")
    def plan_stream(self) -> PlanStream:
        return PlanStream(self.stream)

    @described("Where the inspection stands.")
    def inspection_status(self) -> InspectionStatus:
        return InspectionStatus(self.status)

    @described("What the inspection found; null until recorded.")
    def inspection_outcome(self) -> InspectionOutcomeEnum | None:
        return member(InspectionOutcomeEnum, self.outcome)


@strawberry.type(description="An inspection plan: a run's firms drawn into a capacity-bound "
                             "list (double-random and tier streams), reproducible from its "
                             "seed.")
class InspectionPlan(Node):
    plan_id: str = strawberry.field(description="The plan's id.")
    run_id: str = strawberry.field(description="The ranking run it was drawn from.")
    plan_date: str = strawberry.field(description="ISO date the plan is for.")
    seed: int = strawberry.field(description="The random seed of the draw.")
    capacity: int = strawberry.field(description="Inspections the plan holds at most.")
    region: str = strawberry.field(description="Region code prefix the plan covers ('' for "
                                               "all).")
    digest: str = strawberry.field(description="SHA-256 of the plan: equal plans, equal "
                                               "digests.")
    parameters: strawberry.scalars.JSON = strawberry.field(
        description="The planning parameters (rates per tier, random share, ...).")
    summary: strawberry.scalars.JSON = strawberry.field(
        description="Counts per stream and tier.")
    inspections: list[PlannedInspection] = strawberry.field(
        description="The planned inspections, in order.")

    def node_key(self) -> tuple[str, str]:
        return "InspectionPlan", self.plan_id


OLD_STATE = "Use {0} (an enum); removed in 0.3."


@strawberry.type(description="One move of an objection: from which state to which, when, by "
                             "whom and why.")
class ObjectionTransition:
    seq: int = strawberry.field(description="Order of the move (1 = first).")
    from_state: str | None = strawberry.field(
        description="The state before, as text.",
        deprecation_reason=OLD_STATE.format("stateBefore"))
    to_state: str = strawberry.field(description="The state after, as text.",
                                     deprecation_reason=OLD_STATE.format("stateAfter"))
    at: str = strawberry.field(description="ISO date-time of the move.")
    actor: str = strawberry.field(description="Who moved it (API key or CLI user).")
    reason: str = strawberry.field(description="Why.")

    @described("The state before the move; null for the filing.")
    def state_before(self) -> ObjectionState | None:
        return member(ObjectionState, self.from_state)

    @described("The state after the move.")
    def state_after(self) -> ObjectionState:
        return ObjectionState(self.to_state)


@field_descriptions({
    "objection_id": "The objection's id.",
    "uscc": "The objecting firm's identifier.",
    "subject": "record or ranking",
    "record_id": "The contested credit record (subject record).",
    "run_id": "The ranking run whose assessment is contested (subject ranking).",
    "state": "The current state, as text.",
    "version": "Increases with each move (optimistic concurrency).",
    "filed_by": "Who filed it (the filing API key).",
    "grounds": "Why the firm objects.",
    "filed_at": "ISO date-time of filing.",
    "updated_at": "ISO date-time of the latest move.",
    "transitions": "Every move, in order.",
})
@strawberry.type(description="A firm's objection against one of its credit records or its "
                             "ranking in a run, with every move.")
class Objection(stored.Objection, Node):  # the stored record's fields
    state: str = strawberry.field(deprecation_reason=OLD_STATE.format("currentState"))
    transitions: list[ObjectionTransition] = strawberry.field(  # type: ignore[assignment]
        default_factory=list)

    def node_key(self) -> tuple[str, str]:
        return "Objection", self.objection_id

    @described("The current state.")
    def current_state(self) -> ObjectionState:
        return ObjectionState(self.state)


@strawberry.type(description="A fairness audit of a run: flag rates and outcomes by "
                             "protected group.")
class FairnessAudit:
    audit_id: str = strawberry.field(description="The audit's id.")
    created_at: str = strawberry.field(description="ISO date-time of the audit.")
    flag_count: int = strawberry.field(description="Groups flagged for disparity.")
    outcome_window: str = strawberry.field(description="The outcome period compared.")
    retrospective: bool = strawberry.field(description="Whether it used outcomes recorded "
                                                       "after the run.")
    markdown: str = strawberry.field(description="The audit report (Markdown).")
    result: strawberry.scalars.JSON = strawberry.field(description="The figures, as JSON.")


@strawberry.type(description="A trained model version's card: data, metrics, limits.")
class ModelCard:
    version: str = strawberry.field(description="The model version.")
    markdown: str = strawberry.field(description="The card (Markdown).")
