"""Accountability types: inspection targets and plans, objections and their transitions,
fairness audits and model cards (the fields of the models' records)."""

from __future__ import annotations

import strawberry

from riskgraph.app.graphql.common.node import Node
from riskgraph.app.graphql.risk.types import Reason


@strawberry.type
class InspectionTarget:
    uscc: str
    name: str | None
    region_code: str | None
    risk: float
    serious_risk: float | None
    tier: str
    rank: int
    overturned: bool = strawberry.field(description="Assessment overturned by an objection")
    reasons: list[Reason]


@strawberry.type
class PlannedInspection:
    order: int
    uscc: str
    name: str | None
    stream: str = strawberry.field(description="random (double random) or tier")
    tier: str
    risk: float
    inspector_ids: list[str]
    status: str = strawberry.field(description="planned, unassigned or done")
    note: str | None
    outcome: str | None
    record_id: str | None


@strawberry.type
class InspectionPlan(Node):
    plan_id: str
    run_id: str
    plan_date: str
    seed: int
    capacity: int
    region: str
    digest: str
    parameters: strawberry.scalars.JSON
    summary: strawberry.scalars.JSON
    inspections: list[PlannedInspection]

    def node_key(self) -> tuple[str, str]:
        return "InspectionPlan", self.plan_id


@strawberry.type
class ObjectionTransition:
    seq: int
    from_state: str | None
    to_state: str
    at: str
    actor: str
    reason: str


@strawberry.type
class Objection(Node):
    objection_id: str
    uscc: str
    subject: str = strawberry.field(description="record or ranking")
    record_id: str | None
    run_id: str | None
    state: str
    version: int
    filed_by: str
    grounds: str
    filed_at: str
    updated_at: str
    transitions: list[ObjectionTransition]

    def node_key(self) -> tuple[str, str]:
        return "Objection", self.objection_id


@strawberry.type
class FairnessAudit:
    audit_id: str
    created_at: str
    flag_count: int
    outcome_window: str
    retrospective: bool
    markdown: str
    result: strawberry.scalars.JSON


@strawberry.type
class ModelCard:
    version: str
    markdown: str
