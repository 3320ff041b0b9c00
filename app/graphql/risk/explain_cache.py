"""Explanations without re-reading the whole graph per request.

``models.explain.explain`` needs the graph snapshot, the trained model and every firm's
scores; building them takes seconds on a large graph. They are kept in the report cache
(app/cache.py) per (database, the graph's latest write, the latest model version, as-of), so
a new `riskgraph train` in another process is used from the next request on. The snapshot is
one cache entry of its own, shared by the scores of every as-of date and model.

The API's explanation reads go through the request's reader (``reader``: auto-commit, one
round trip each, under the request's budget and circuit breaker; the CLI's ``riskgraph
explain`` keeps the store's retried transactions), and the cache key's graph version comes
with the firm's row in one statement (``cache/get_company_and_version``), so a request pays no
read for the key and still sees every other process's latest write.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Hashable
from dataclasses import dataclass

from riskgraph.app import cache
from riskgraph.app.metrics import EXPLANATIONS_WARM
from riskgraph.graph.config import get_settings
from riskgraph.graph.connection import Driver
from riskgraph.graph.identifiers import lookup_firm_id
from riskgraph.graph.snapshot import Snapshot
from riskgraph.graph.store import Reader, Store
from riskgraph.models.risk import explain as engine
from riskgraph.models.risk.artifact import RiskArtifact, latest_version, load_artifact
from riskgraph.models.risk.scoring import Scores, score_snapshot


@dataclass(frozen=True)
class Scored:
    snapshot: Snapshot
    artifact: RiskArtifact
    scores: Scores


def frozen(found: Scored) -> Scored:
    """``found``, with every object the process holds now (the snapshot's millions among them)
    moved out of the cyclic garbage collector's sight (``gc.freeze``), garbage collected
    first: a full collection then skips them, where it took 127-216 ms at 100k firms (a
    pause of every request of the worker) and takes about 1 µs after
    (bench/bench_gc_pause.py). Frozen objects are still freed when their last reference
    goes (a replaced snapshot is); only reference cycles among them would stay."""
    gc.collect()
    gc.freeze()
    return found


def scored(driver: Driver, database: str, as_of: dt.date | None,
           version: tuple[Hashable, ...] | None = None) -> Scored:
    """The snapshot, model and scores for ``as_of``, from the cache when the graph is unchanged
    (``version``: the graph's latest write when the caller read it, app/cache.py)."""

    home = get_settings().riskgraph_home
    model = latest_version(home)

    def build() -> Scored:
        artifact = load_artifact(home, model)
        snapshot = cache.cached("snapshot", driver, database,
                                lambda: Snapshot.from_neo4j(driver, database),
                                version=graph)
        return frozen(Scored(snapshot, artifact, score_snapshot(snapshot, artifact, as_of)))

    graph = version if version is not None else cache.graph_version(driver, database)
    found = cache.cached("explanation", driver, database, build, model,
                         None if as_of is None else as_of.isoformat(), version=graph)
    EXPLANATIONS_WARM.set(1)
    return found


def explain_firm(driver: Driver, uscc: str, as_of: dt.date | None,
                 database: str, with_counterfactual: bool = True,
                 reader: Reader | None = None) -> engine.Explanation:
    """``models.explain.explain`` for one firm, reusing the cached snapshot and scores; the
    firm's row and the graph version read together (module doc), the reads through
    ``reader`` when given."""
    store = Store(driver, database, reader)
    row = store.read("cache/get_company_and_version", uscc=lookup_firm_id(uscc))[0]
    found = scored(driver, database, as_of, cache.version_of(row))
    return engine.explain(store, uscc, as_of, snapshot=found.snapshot,
                          artifact=found.artifact, scores=found.scores,
                          with_counterfactual=with_counterfactual, company=row["company"])
