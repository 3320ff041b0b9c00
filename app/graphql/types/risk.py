"""Ranking runs, risk assessments and risk explanations (models/explain.py)."""

from __future__ import annotations

import json
from typing import Any

import strawberry

from riskgraph.app.graphql.types.convert import number, text
from riskgraph.app.graphql.types.node import Node


@strawberry.type(description="One ranking run of the risk model over all firms.")
class RankingRun(Node):
    run_id: str
    created_at: str | None = strawberry.field(description="ISO date-time")
    as_of: str | None = strawberry.field(description="ISO date the firms were scored at")
    model_version: str | None
    digest: str | None
    status: str | None = strawberry.field(description="writing, complete or incomplete")
    firms: int | None

    def node_key(self) -> tuple[str, str]:
        return "RankingRun", self.run_id


@strawberry.type(description="Evidence behind a reason: records and graph paths.")
class Evidence:
    text: str
    record_ids: list[str]
    path: list[str] = strawberry.field(description="Node ids along the graph path")
    cypher: str = strawberry.field(description="Paste into Neo4j Browser to see the evidence")
    browser_url: str = strawberry.field(
        default="", description="Opens Neo4j Browser on this evidence (needs the API running)")


@strawberry.type(description="A feature that raises the firm's risk, in words, with evidence.")
class Reason:
    feature: str
    contribution: float | None = strawberry.field(description="Log-odds contribution")
    value: float | None = strawberry.field(description="The feature's value for the firm")
    text: str
    detail: str
    evidence: list[Evidence]


@strawberry.type(description="One feature's exact additive contribution to the log-odds.")
class Contribution:
    feature: str
    value: float
    feature_value: float


@strawberry.type(description="The fewest own records whose removal would lower the tier.")
class Counterfactual:
    possible: bool
    statement: str
    record_ids: list[str]
    new_risk: float | None
    new_tier: str | None


@strawberry.type(description="A firm's risk assessment in a ranking run.")
class RiskAssessment:
    run_id: str | None
    risk: float | None
    serious_risk: float | None
    tier: str | None
    rank: int | None
    reasons: list[Reason] = strawberry.field(
        description="Reasons stored with the run (evidence: see explanation)")
    run: RankingRun | None


@strawberry.type(description="Why a firm scores as it does, with evidence the caller may see.")
class Explanation:
    uscc: str
    name: str
    as_of: str
    model_version: str
    risk: float
    serious_risk: float | None
    tier: str
    log_odds: float
    base_value: float
    no_records: bool
    reasons: list[Reason]
    contributions: list[Contribution]
    counterfactual: Counterfactual


def _stored_reasons(value: Any) -> list[Reason]:
    """Reasons stored on an assessment node: a JSON list of strings or of objects."""
    if value is None:
        return []
    items = value
    if isinstance(value, str):
        try:
            items = json.loads(value)
        except ValueError:
            items = [value]
    if not isinstance(items, list):
        items = [items]
    out: list[Reason] = []
    for item in items:
        if isinstance(item, dict):
            out.append(Reason(feature=str(item.get("feature") or ""),
                              contribution=number(item.get("contribution")),
                              value=number(item.get("value")),
                              text=str(item.get("text") or ""),
                              detail=str(item.get("detail") or ""), evidence=[]))
        else:
            out.append(Reason(feature="", contribution=None, value=None, text=str(item),
                              detail="", evidence=[]))
    return out


def assessment_from_row(row: dict[str, Any]) -> RiskAssessment:
    """An assessment from a row of ``list_company_assessments``."""
    run = (RankingRun(run_id=str(row["run_id"]), created_at=text(row.get("created_at")),
                      as_of=text(row.get("as_of")), model_version=text(row.get("model_version")),
                      digest=text(row.get("digest")), status=text(row.get("status")),
                      firms=None if row.get("firms") is None else int(row["firms"]))
           if row.get("run_id") is not None else None)
    return RiskAssessment(run_id=text(row.get("run_id")), risk=number(row.get("risk")),
                          serious_risk=number(row.get("serious_risk")),
                          tier=text(row.get("tier")),
                          rank=None if row.get("rank") is None else int(row["rank"]),
                          reasons=_stored_reasons(row.get("reasons")), run=run)
