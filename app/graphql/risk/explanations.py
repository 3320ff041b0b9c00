"""A firm's explanation (models/explain.py), cut to what the caller may see: the domain
function both ``explanation(uscc)`` and ``Company.explanation`` call.

Evidence naming a credit record the caller may not see is dropped (the statement
``api/list_visible_records`` applies the disclosure filter in Cypher, asked beside the engine's
reads: app/graphql/risk/visibility.py), and a counterfactual that rests on such records keeps
only its verdict.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from strawberry.types import Info

from riskgraph.app.graphql.loaders import loaders_of
from riskgraph.app.graphql.permissions import require
from riskgraph.app.graphql.risk import explain_cache
from riskgraph.app.graphql.risk.types import (
    Contribution,
    Counterfactual,
    Evidence,
    Explanation,
    Reason,
)
from riskgraph.app.graphql.risk.visibility import VisibilityReader
from riskgraph.app.security.principal import Role
from riskgraph.models.risk import explain as engine

HIDDEN = "withheld: it rests on records your role may not see"


def record_ids_of(found: engine.Explanation) -> list[str]:
    """Every record id an explanation mentions (evidence and counterfactual)."""
    ids = {rid for reason in found.reasons for ev in reason.evidence for rid in ev.record_ids}
    ids.update(found.counterfactual.record_ids)
    return sorted(ids)


def visible_explanation(found: engine.Explanation, visible: set[str]) -> Explanation:
    """The GraphQL explanation with evidence limited to the ``visible`` record ids."""
    reasons = [Reason(
        feature=r.feature, contribution=r.contribution, value=r.value, text=r.text,
        detail=r.detail, plain=r.plain,
        evidence=[Evidence(text=e.text, record_ids=list(e.record_ids), path=list(e.path),
                           cypher=e.cypher, browser_url=e.browser_url)
                  for e in r.evidence if all(rid in visible for rid in e.record_ids)])
        for r in found.reasons]
    cf = found.counterfactual
    if all(rid in visible for rid in cf.record_ids):
        counterfactual = Counterfactual(possible=cf.possible, statement=cf.statement,
                                        record_ids=list(cf.record_ids), new_risk=cf.new_risk,
                                        new_tier=cf.new_tier)
    else:
        counterfactual = Counterfactual(possible=cf.possible,
                                        statement=f"A counterfactual exists but is {HIDDEN}.",
                                        record_ids=[], new_risk=None, new_tier=None)
    return Explanation(
        uscc=found.uscc, name=found.name, as_of=found.as_of, model_version=found.model_version,
        risk=found.risk, serious_risk=found.serious_risk, tier=found.tier,
        log_odds=found.log_odds, base_value=found.base_value, no_records=found.no_records,
        reasons=reasons,
        contributions=[Contribution(feature=str(c["feature"]), value=float(c["value"]),
                                    feature_value=float(c["feature_value"]))
                       for c in found.contributions],
        counterfactual=counterfactual)


def asks_for(info: Info[Any, Any], name: str) -> bool:
    """Whether the query selects ``name`` under this field (fragments included)."""

    def walk(selections: list[Any]) -> bool:
        for sel in selections:
            if getattr(sel, "name", None) == name:
                return True
            if walk(list(getattr(sel, "selections", None) or [])):
                return True
        return False

    return walk([s for field in info.selected_fields for s in field.selections])


async def explain_for(info: Info[Any, Any], uscc: str, as_of: dt.date | None) -> Explanation:
    """Why the firm with canonical key ``uscc`` scores as it does (needs a trained model:
    `riskgraph train`). Risk scores are for agencies, never published: the public role gets
    FORBIDDEN."""
    require(info, Role.INVESTIGATOR, "a risk explanation")
    db = loaders_of(info).db
    db.remaining()
    with_counterfactual = asks_for(info, "counterfactual")

    def explained() -> tuple[engine.Explanation, set[str]]:
        # which records the caller may see is asked beside the engine's reads that name them
        reader = VisibilityReader(db, with_counterfactual)
        found = explain_cache.explain_firm(db.driver, uscc, as_of, db.database,
                                           with_counterfactual, reader)
        return found, reader.visible(record_ids_of(found))

    found, visible = await asyncio.to_thread(explained)
    return visible_explanation(found, visible)
