"""Ranking runs, risk assessments and risk explanations (models/risk/explain.py).

``Evidence``, ``Reason`` and ``Counterfactual`` are built from the explanation engine's
dataclasses (their fields are the engine's, described here by name)."""

from __future__ import annotations

import json
from typing import Any

import strawberry

from riskgraph.app.graphql.common.convert import number, text
from riskgraph.app.graphql.common.enums import RiskTier, member
from riskgraph.app.graphql.common.fields import described, field_descriptions
from riskgraph.app.graphql.common.node import Node
from riskgraph.models.risk import explain as engine

OLD_TIER = "Use {0} (an enum); removed in 0.3."


@strawberry.type(description="One ranking run of the risk model over all firms.")
class RankingRun(Node):
    run_id: str = strawberry.field(description="The run's id.")
    created_at: str | None = strawberry.field(description="ISO date-time")
    as_of: str | None = strawberry.field(description="ISO date the firms were scored at")
    model_version: str | None = strawberry.field(description="The model version that scored.")
    digest: str | None = strawberry.field(
        description="SHA-256 of the ranking: the same inputs give the same digest, byte for "
                    "byte.")
    status: str | None = strawberry.field(description="writing, complete or incomplete")
    firms: int | None = strawberry.field(description="Firms ranked.")

    def node_key(self) -> tuple[str, str]:
        return "RankingRun", self.run_id


@field_descriptions({
    "text": "The evidence in words.",
    "record_ids": "The credit records it rests on (only ones the caller may see).",
    "path": "Node ids along the graph path",
    "cypher": "Paste into Neo4j Browser to see the evidence",
    "browser_url": "Opens Neo4j Browser on this evidence (needs the API running)",
})
@strawberry.type(description="Evidence behind a reason: records and graph paths.")
class Evidence(engine.Evidence):  # the explanation engine's fields
    pass


@field_descriptions({
    "feature": "The feature's name (models/risk/features).",
    "contribution": "Log-odds contribution",
    "value": "The feature's value for the firm",
    "text": "What the feature means, in words (its docstring).",
    "detail": "The firm's case in words.",
    "evidence": "The records and paths behind it that the caller may see.",
    "plain": "The value in words (\"last penalty 9 months ago\"); empty when the reason was "
             "stored without it.",
})
@strawberry.type(description="A feature that raises the firm's risk, in words, with evidence.")
class Reason(engine.Reason):  # the explanation engine's fields
    contribution: float | None  # type: ignore[assignment]  # null in old stored runs
    value: float | None  # type: ignore[assignment]
    evidence: list[Evidence] = strawberry.field(  # type: ignore[assignment]
        default_factory=list)


@strawberry.type(description="One feature's exact additive contribution to the log-odds.")
class Contribution:
    feature: str = strawberry.field(description="The feature's name.")
    value: float = strawberry.field(description="Its contribution to the log-odds.")
    feature_value: float = strawberry.field(description="The feature's value for the firm.")


@field_descriptions({
    "possible": "Whether removing some of the firm's own records would lower the tier.",
    "statement": "The counterfactual in words.",
    "record_ids": "The records whose removal would do it.",
    "new_risk": "The risk without them.",
    "new_tier": "The tier without them, as text.",
})
@strawberry.type(description="The fewest own records whose removal would lower the tier.")
class Counterfactual(engine.Counterfactual):  # the explanation engine's fields
    new_tier: str | None = strawberry.field(default=None,
                                            deprecation_reason=OLD_TIER.format("newRiskTier"))

    @described("The tier without them.")
    def new_risk_tier(self) -> RiskTier | None:
        return member(RiskTier, self.new_tier)


@strawberry.type(description="A firm's risk assessment in a ranking run.")
class RiskAssessment:
    run_id: str | None = strawberry.field(description="The run's id.")
    risk: float | None = strawberry.field(description="Calibrated risk: P(an inspection finds "
                                                      "a violation).")
    serious_risk: float | None = strawberry.field(
        description="P(a serious violation); null when the model has no serious component.")
    tier: str | None = strawberry.field(description="The risk tier, as text.",
                                        deprecation_reason=OLD_TIER.format("riskTier"))
    rank: int | None = strawberry.field(description="Position in the run (1 = riskiest).")
    reasons: list[Reason] = strawberry.field(
        description="Reasons stored with the run (evidence: see explanation)")
    run: RankingRun | None = strawberry.field(description="The ranking run.")

    @described("The risk tier.")
    def risk_tier(self) -> RiskTier | None:
        return member(RiskTier, self.tier)


@strawberry.type(description="Why a firm scores as it does, with evidence the caller may see.")
class Explanation:
    uscc: str = strawberry.field(description="The firm's identifier.")
    name: str = strawberry.field(description="The firm's name.")
    as_of: str = strawberry.field(description="ISO date the firm was scored at.")
    model_version: str = strawberry.field(description="The model version that scored.")
    risk: float = strawberry.field(description="Calibrated risk: P(an inspection finds a "
                                               "violation).")
    serious_risk: float | None = strawberry.field(
        description="P(a serious violation); null when the model has no serious component.")
    tier: str = strawberry.field(description="The risk tier, as text.",
                                 deprecation_reason=OLD_TIER.format("riskTier"))
    log_odds: float = strawberry.field(description="The model's log-odds: base value plus "
                                                   "every contribution.")
    base_value: float = strawberry.field(description="The log-odds of a firm with no "
                                                     "distinguishing feature.")
    no_records: bool = strawberry.field(description="Whether the firm has no credit records "
                                                    "at all.")
    reasons: list[Reason] = strawberry.field(description="The features raising the risk, "
                                                         "largest first, with evidence.")
    contributions: list[Contribution] = strawberry.field(
        description="Every feature's exact contribution.")
    counterfactual: Counterfactual = strawberry.field(
        description="What would lower the tier.")

    @described("The risk tier.")
    def risk_tier(self) -> RiskTier:
        return RiskTier(self.tier)


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
                              detail=str(item.get("detail") or ""), evidence=[],
                              plain=str(item.get("plain") or "")))
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
