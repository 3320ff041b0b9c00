"""Explanations without re-reading the whole graph per request.

``models.explain.explain`` needs the graph snapshot, the trained model and every firm's
scores; building them takes seconds on a large graph. They are kept in the report cache
(app/cache.py) per (database, the graph's latest write, the latest model version, as-of), so
a new `riskgraph train` in another process is used from the next request on. The snapshot is
one cache entry of its own, shared by the scores of every as-of date and model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from riskgraph.app import cache
from riskgraph.graph.config import get_settings
from riskgraph.graph.connection import Driver
from riskgraph.graph.snapshot import Snapshot
from riskgraph.graph.store import Store
from riskgraph.models.risk import explain as engine
from riskgraph.models.risk.artifact import RiskArtifact, latest_version, load_artifact
from riskgraph.models.risk.scoring import Scores, score_snapshot


@dataclass(frozen=True)
class Scored:
    snapshot: Snapshot
    artifact: RiskArtifact
    scores: Scores


def scored(driver: Driver, database: str, as_of: dt.date | None) -> Scored:
    """The snapshot, model and scores for ``as_of``, from the cache when the graph is unchanged."""

    home = get_settings().riskgraph_home
    version = latest_version(home)

    def build() -> Scored:
        artifact = load_artifact(home, version)
        snapshot = cache.cached("snapshot", driver, database,
                                lambda: Snapshot.from_neo4j(driver, database))
        return Scored(snapshot, artifact, score_snapshot(snapshot, artifact, as_of))

    return cache.cached("explanation", driver, database, build, version,
                        None if as_of is None else as_of.isoformat())


def explain_firm(driver: Driver, uscc: str, as_of: dt.date | None,
                 database: str, with_counterfactual: bool = True) -> engine.Explanation:
    """``models.explain.explain`` for one firm, reusing the cached snapshot and scores."""
    found = scored(driver, database, as_of)
    return engine.explain(Store(driver, database), uscc, as_of, snapshot=found.snapshot,
                          artifact=found.artifact, scores=found.scores,
                          with_counterfactual=with_counterfactual)
