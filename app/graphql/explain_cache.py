"""Explanations without re-reading the whole graph per request.

``models.explain.explain`` needs the graph snapshot, the trained model and every firm's
scores; building them takes seconds on a large graph. They are kept per (database, as-of) for
``CACHE_SECONDS``; ``forget()`` drops them at once (call it after a write that changes
records, e.g. an upheld objection).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass

from neo4j import Driver

from riskgraph.graph.config import get_settings
from riskgraph.graph.snapshot import Snapshot
from riskgraph.models import explain as engine
from riskgraph.models.scoring import Scores, score_snapshot
from riskgraph.models.training import RiskArtifact, load_artifact

CACHE_SECONDS = 600.0


@dataclass(frozen=True)
class Scored:
    made_at: float
    snapshot: Snapshot
    artifact: RiskArtifact
    scores: Scores


_lock = threading.Lock()
_cache: dict[tuple[str, str | None], Scored] = {}


def forget() -> None:
    """Drop every cached snapshot and score table."""
    with _lock:
        _cache.clear()


def scored(driver: Driver, database: str, as_of: dt.date | None) -> Scored:
    """The snapshot, model and scores for ``as_of``, from the cache when fresh."""
    key = (database, None if as_of is None else as_of.isoformat())
    with _lock:
        hit = _cache.get(key)
        if hit is not None and time.monotonic() - hit.made_at < CACHE_SECONDS:
            return hit
        artifact = load_artifact(get_settings().riskgraph_home)
        snapshot = Snapshot.from_neo4j(driver, database)
        made = Scored(time.monotonic(), snapshot, artifact,
                      score_snapshot(snapshot, artifact, as_of))
        _cache[key] = made
        return made


def explain_firm(driver: Driver, uscc: str, as_of: dt.date | None,
                 database: str, with_counterfactual: bool = True) -> engine.Explanation:
    """``models.explain.explain`` for one firm, reusing the cached snapshot and scores."""
    found = scored(driver, database, as_of)
    return engine.explain(driver, uscc, as_of, database=database, snapshot=found.snapshot,
                          artifact=found.artifact, scores=found.scores,
                          with_counterfactual=with_counterfactual)
