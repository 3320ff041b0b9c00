"""A ranking run on Spark: features, scores, tiers, reasons, rank, digest, batched write-back.

Same inputs, same code, same run as ``models.accountability.ranking.create_run``:

1. the snapshot is read once by the driver (from Neo4j, or from a world directory) for its
   data hash and firm list; features run as Spark tasks (models/spark/features.py: the
   own and network features on firm slices, each network slice with the halo of the graph it
   reads, the four whole-graph features in one task);
2. the firms × features table is cut into firm slices of at most ``SCORE_SLICE`` firms; each
   task scores its slice with ``models.risk.scoring.score_features`` and draws the reasons
   of its alive firms with ``models.accountability.ranking``'s own code, and the scored
   slices stay on the executors (persisted);
3. only risk and tier come back to the driver (≈ 16 bytes a firm), which orders the alive
   firms by (risk descending, USCC ascending) — one sort, no shuffle of the reasons — and
   computes the digest (``graph.store.runs.ranking_digest``: one SHA-256 over the ranking,
   sequential by definition);
4. the run is opened, the ranks are broadcast and the executors write their slices'
   assessments in batches of ``graph.store.runs.BATCH`` rows through ``graph.store.runs``
   and the ``ranking/*`` catalog statements (``writers`` partitions at once; default 1), and
   the run is completed.

The Neo4j Connector for Apache Spark was not used: it would fetch its jar at run time (the
project runs with no downloads at run time) and bypass the Cypher catalog (graph/ is the only
door to Neo4j).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from riskgraph.graph.config import Settings, get_settings
from riskgraph.graph.snapshot import Snapshot, day_of
from riskgraph.graph.store import Store
from riskgraph.graph.store.runs import (
    BATCH,
    RunHeader,
    complete_run_tx,
    open_run_tx,
    ranking_digest,
    write_assessments_tx,
)
from riskgraph.models.accountability.ranking import (
    TOP_REASONS,
    code_version,
    rank_rows,
    reasons_of_rows,
)
from riskgraph.models.risk.artifact import RiskArtifact, load_artifact
from riskgraph.models.risk.features import FeatureMatrix
from riskgraph.models.risk.scoring import score_features
from riskgraph.models.risk.tiers import DEFAULT_CUTOFFS, TIERS, check_cutoffs
from riskgraph.models.risk.training import as_of_default
from riskgraph.models.spark.features import SLICE_FIRMS, spark_features
from riskgraph.models.spark.partition import firm_bounds
from riskgraph.models.spark.shipping import Shipper, fetch

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

Phase = Callable[[str], AbstractContextManager[Any]]


def _no_phase(_label: str) -> AbstractContextManager[Any]:
    return nullcontext()


@dataclass
class SparkRun(RunHeader):
    """What a Spark ranking run produced (the per-firm rows stay in Neo4j); the same header as
    an in-process run."""

    firm_count: int
    tiers: dict[str, int]
    written: int = 0
    status: str = ""
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("written", "seconds")}


SCORE_SLICE = 200_000
"""At most this many firms per scoring task."""

Scored = tuple[int, npt.NDArray[np.float64], npt.NDArray[np.float64], list[str], list[str]]
"""A scored slice: its first firm, risk, serious risk, tiers, reasons (JSON; '' for a firm
not alive, which is not ranked)."""


def score_slice(art: RiskArtifact, names: list[str], as_of: dt.date, digest: str,
                cutoffs: dict[str, float], top: int, lo: int, values: npt.NDArray[np.float64],
                alive: npt.NDArray[np.bool_], uscc: npt.NDArray[np.object_]) -> Scored:
    """Score one firm slice with the in-process scoring and reason code."""
    fm = FeatureMatrix(names, values, as_of, alive)
    sc = score_features(art, fm, uscc, digest, cutoffs)
    rows = np.nonzero(alive)[0].astype(np.int64)
    reasons = [""] * len(uscc)
    for i, r in zip(rows.tolist(), reasons_of_rows(sc, rows, top), strict=True):
        reasons[i] = json.dumps(r, ensure_ascii=False)
    return lo, sc.risk, sc.serious_risk, [str(t) for t in sc.tier.tolist()], reasons


def write_slice(settings: Settings, database: str, run_id: str, slices: Iterable[Scored],
                uscc: npt.NDArray[np.object_], rank: npt.NDArray[np.int64],
                batch: int = BATCH) -> Iterator[int]:
    """Write the ranked firms of these scored slices in transactions of ``batch`` rows;
    yield the count written."""
    store = Store.connect(settings, database)
    written = 0
    try:
        with store.session() as session:
            pending: list[dict[str, Any]] = []

            def flush() -> int:
                return int(session.execute_write(write_assessments_tx, run_id, pending))

            for lo, risk, serious, tier, reasons in slices:
                for k in np.nonzero(rank[lo:lo + len(tier)] > 0)[0].tolist():
                    ser = float(serious[k])
                    pending.append({"uscc": str(uscc[lo + k]), "risk": float(risk[k]),
                                    "serious_risk": None if math.isnan(ser) else ser,
                                    "tier": tier[k], "rank": int(rank[lo + k]),
                                    "reasons": reasons[k]})
                    if len(pending) >= batch:
                        written += flush()
                        pending = []
            if pending:
                written += flush()
    finally:
        store.close()
    yield written


def _open_run(store: Store, run: SparkRun, actor: str) -> None:
    meta = {k: v for k, v in run.summary().items()
            if k not in ("firm_count", "tiers", "status")}
    meta["parameters"] = json.dumps(run.parameters, sort_keys=True)
    store.write_tx(lambda tx: open_run_tx(tx, meta, run.firm_count, actor, run.summary(),
                                          str(run.parameters.get("reason", ""))))


def create_run_spark(store: Store, spark: SparkSession, *, as_of: dt.date | None = None,
                     version: str | None = None, cutoffs: dict[str, float] | None = None,
                     actor: str = "cli", reason: str = "", home: Path | None = None,
                     world: Path | None = None, settings: Settings | None = None,
                     writers: int = 1, batch: int = BATCH, write: bool = True,
                     phase: Phase = _no_phase, network: str = "halo",
                     slice_firms: int = SLICE_FIRMS) -> SparkRun:
    """Rank every firm on Spark and store the run in the Neo4j of ``store``.

    The data is read from ``world`` when given (the graph must hold the same firms), else
    from Neo4j. ``write=False`` computes the run without storing it (benchmarks);
    ``network``: how the network features are cut (models/spark/features.py
    ``NETWORK_MODES``); ``slice_firms``: at most this many firms per feature task."""
    from pyspark import StorageLevel

    cfg = settings or get_settings()
    cut = check_cutoffs(cutoffs or DEFAULT_CUTOFFS)
    seconds: dict[str, float] = {}

    def timed(label: str) -> AbstractContextManager[Any]:
        return _Timed(label, seconds, phase(label))

    art = load_artifact(home or cfg.riskgraph_home, version)
    with timed("read snapshot" + (" (world)" if world else " (Neo4j)")):
        snap = Snapshot.from_world(world) if world else store.snapshot()
        digest_data = snap.digest()
    when = as_of or as_of_default(snap)
    # network="whole" only: in local mode the executors are this machine, so the driver's
    # snapshot is broadcast rather than read again from the world (a second read's peak)
    local = str(spark.sparkContext.master or "").startswith("local")
    with timed("features (Spark)"):
        fm = spark_features(spark, snap, day_of(when), art.all_features,
                            art.user_feature_files, world=None if local else world,
                            network=network, slice_firms=slice_firms)
    sc = spark.sparkContext
    n = snap.n_firms
    uscc = snap.uscc
    del snap
    shipper = Shipper(sc)  # the scoring inputs go as files (models/spark/shipping.py)
    try:
        with timed("scores, tiers, reasons (Spark)"):
            parts = max(sc.defaultParallelism, -(-n // SCORE_SLICE))
            names, when_of = fm.names, fm.as_of
            work = [shipper.ship((lo, fm.values[lo:hi], fm.alive[lo:hi], uscc[lo:hi]))
                    for lo, hi in firm_bounds(n, parts)]
            scored = sc.parallelize(work, len(work)).map(
                lambda w: score_slice(art, names, when_of, digest_data, cut, TOP_REASONS,
                                      *fetch(w))
            ).persist(StorageLevel.MEMORY_AND_DISK)
            alive, fm_as_of = fm.alive, fm.as_of
            del fm  # the matrix is in the shipped files now
            risk = np.empty(n, dtype=np.float64)
            tier = np.empty(n, dtype=object)
            for lo, r, t in scored.map(lambda x: (x[0], x[1], x[3])).collect():
                risk[lo:lo + len(r)] = r
                tier[lo:lo + len(r)] = t
        with timed("ranks, digest (driver)"):
            order = rank_rows(uscc, alive, risk)
            rank = np.zeros(n, dtype=np.int64)
            rank[order] = np.arange(1, len(order) + 1, dtype=np.int64)
            digest = ranking_digest(zip(map(str, uscc[order].tolist()), risk[order].tolist(),
                                        tier[order].tolist(), range(1, len(order) + 1),
                                        strict=True))
            counts = pd.Series(tier[order]).value_counts()
            tiers = {str(k): int(v) for k, v in counts.items()}
        created = dt.datetime.now(dt.UTC)
        params: dict[str, Any] = {"as_of": fm_as_of.isoformat(), "model_version": art.version,
                                  "tier_cutoffs": cut, "top_reasons": TOP_REASONS,
                                  "engine": "spark"}
        if reason:
            params["reason"] = reason
        run = SparkRun(run_id=f"run-{created:%Y%m%dT%H%M%S%fZ}-{digest[:8]}",
                       created_at=created.isoformat(), as_of=fm_as_of.isoformat(),
                       model_version=art.version, data_snapshot_sha256=digest_data,
                       code_version=code_version(), parameters=params, digest=digest,
                       firm_count=sum(tiers.values()),
                       tiers={t: tiers[t] for t in reversed(TIERS) if t in tiers},
                       seconds=seconds)
        if write:
            with timed("write-back (batched Bolt)"):
                _open_run(store, run, actor)
                # the closure must not hold the driver
                run_id, database = run.run_id, store.database
                shared = sc.broadcast((uscc, rank))
                written = scored.coalesce(max(1, writers)).mapPartitions(
                    lambda it: write_slice(cfg, database, run_id, it, *shared.value, batch=batch)
                ).collect()
                shared.unpersist()
                run.written = sum(written)
                run.status = _complete(store, run)
        scored.unpersist()
        return run
    finally:
        shipper.close()


def _complete(store: Store, run: SparkRun) -> str:
    return store.write_tx(lambda tx: complete_run_tx(tx, run.run_id, run.firm_count))


class _Timed:
    """A phase (the CLI's progress display) that also records its seconds."""

    def __init__(self, label: str, into: dict[str, float],
                 inner: AbstractContextManager[Any]) -> None:
        self.label, self.into, self.inner = label, into, inner

    def __enter__(self) -> None:
        self.began = time.perf_counter()
        self.inner.__enter__()

    def __exit__(self, *exc: Any) -> None:
        self.inner.__exit__(*exc)
        self.into[self.label] = time.perf_counter() - self.began
