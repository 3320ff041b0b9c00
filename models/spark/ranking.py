"""A ranking run on Spark: features, scores, tiers, reasons, rank, digest, batched write-back.

Same inputs, same code, same run as ``models.accountability.ranking.create_run``:

1. the snapshot is read once by the driver (from Neo4j, or from a world directory) for its
   data hash and firm list; features run as Spark tasks (models/spark/features.py);
2. the firms × features table becomes a Spark DataFrame; each partition is scored by
   ``models.risk.scoring.score_features`` and its reasons drawn by
   ``models.accountability.ranking``'s own code;
3. alive firms are sorted by (risk descending, USCC ascending) and numbered (``zipWithIndex``,
   distributed); the digest is the SHA-256 of ``graph.store.runs.ranking_digest``
   streamed over the sorted rows on the driver;
4. the run is opened, assessments are written from the partitions in batches of
   ``graph.store.runs.BATCH`` rows through ``graph.store.runs`` and the ``ranking/*``
   catalog statements (``writers`` partitions at once; default 1: every batch links to the one run
   node, so parallel writers mostly wait on its lock), and the run is completed.

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
from riskgraph.models.accountability.ranking import TOP_REASONS, code_version, reasons_of_rows
from riskgraph.models.risk.artifact import RiskArtifact, load_artifact
from riskgraph.models.risk.features import FeatureMatrix
from riskgraph.models.risk.scoring import score_features
from riskgraph.models.risk.tiers import DEFAULT_CUTOFFS, TIERS, check_cutoffs
from riskgraph.models.risk.training import as_of_default
from riskgraph.models.spark.features import spark_features

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

Phase = Callable[[str], AbstractContextManager[Any]]
SCORED_SCHEMA = ("uscc string, alive boolean, risk double, serious_risk double, tier string, "
                 "reasons string")


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


def score_partition(art: RiskArtifact, names: list[str], as_of: dt.date, digest: str,
                    cutoffs: dict[str, float], top: int,
                    batches: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Score firms batch by batch with the in-process scoring and reason code."""
    for pdf in batches:
        fm = FeatureMatrix(names, pdf[names].to_numpy(dtype=np.float64, copy=True), as_of,
                           pdf["alive"].to_numpy(dtype=bool))
        sc = score_features(art, fm, pdf["uscc"].to_numpy(dtype=object), digest, cutoffs)
        reasons = [json.dumps(r, ensure_ascii=False)
                   for r in reasons_of_rows(sc, np.arange(len(pdf), dtype=np.int64), top)]
        yield pd.DataFrame({"uscc": pdf["uscc"], "alive": pdf["alive"], "risk": sc.risk,
                            "serious_risk": sc.serious_risk, "tier": sc.tier.astype(str),
                            "reasons": reasons})


def feature_frame(spark: SparkSession, snap: Snapshot, fm: FeatureMatrix,
                  partitions: int) -> DataFrame:
    """Firms × features as a Spark DataFrame (uscc, alive, one column per feature)."""
    pdf = pd.DataFrame(fm.values, columns=fm.names)
    pdf.insert(0, "alive", fm.alive)
    pdf.insert(0, "uscc", snap.uscc.astype(str))
    return spark.createDataFrame(pdf).repartition(partitions)


def rank_frame(scored: DataFrame) -> DataFrame:
    """Alive firms by descending risk, ties by ascending USCC, with ranks from 1.

    Numbered without moving rows to one partition: after the sort, a row's rank is the number
    of rows in the partitions before its own plus its position in its partition."""
    from pyspark.sql import functions as F  # noqa: N812 - Spark's own convention

    ordered = (scored.where(F.col("alive")).drop("alive")
               .orderBy(F.desc("risk"), F.asc("uscc"))
               .withColumn("_part", F.spark_partition_id())
               .withColumn("_id", F.monotonically_increasing_id())
               .persist())
    sizes = {int(r["_part"]): int(r["count"])
             for r in ordered.groupBy("_part").count().collect()}
    offsets, total = {}, 0
    for part in sorted(sizes):
        offsets[part] = total
        total += sizes[part]
    # monotonically_increasing_id = partition index << 33 | position within the partition
    offset = F.create_map(*[x for p, o in offsets.items() for x in (F.lit(p), F.lit(o))]) \
        if offsets else F.create_map(F.lit(0), F.lit(0))
    position = F.col("_id") - F.shiftleft(F.col("_part").cast("long"), 33)
    return ordered.withColumn("rank", (offset[F.col("_part")] + position + 1).cast("long")) \
        .drop("_part", "_id")


def stream_digest(ranked: DataFrame) -> str:
    """``ranking_digest`` over the ranked rows, streamed to the driver in rank order."""

    def rows() -> Iterator[tuple[str, float, str, int]]:
        expected = 1
        for r in ranked.select("uscc", "risk", "tier", "rank").toLocalIterator():
            if r["rank"] != expected:
                raise RuntimeError(f"rank {r['rank']} arrived where {expected} was due")
            expected += 1
            yield r["uscc"], float(r["risk"]), r["tier"], int(r["rank"])

    return ranking_digest(rows())


def write_partition(settings: Settings, database: str, run_id: str, rows: Iterable[Any]
                    ) -> Iterator[int]:
    """Write one partition's assessments in batches (one transaction each); yield the count."""
    store = Store.connect(settings, database)
    written = 0
    try:
        with store.session() as session:
            batch: list[dict[str, Any]] = []

            def flush() -> int:
                return int(session.execute_write(write_assessments_tx, run_id, batch))

            for r in rows:
                serious = r["serious_risk"]
                batch.append({"uscc": r["uscc"], "risk": float(r["risk"]),
                              "serious_risk": None if serious is None or math.isnan(serious)
                              else float(serious),
                              "tier": r["tier"], "rank": int(r["rank"]),
                              "reasons": r["reasons"]})
                if len(batch) >= BATCH:
                    written += flush()
                    batch = []
            if batch:
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
                     writers: int = 1, write: bool = True,
                     phase: Phase = _no_phase) -> SparkRun:
    """Rank every firm on Spark and store the run in the Neo4j of ``store``.

    The data is read from ``world`` when given (the graph must hold the same firms), else
    from Neo4j. ``write=False`` computes the run without storing it (benchmarks)."""
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
    with timed("features (Spark)"):
        fm = spark_features(spark, snap, day_of(when), art.all_features,
                            art.user_feature_files, world=world)
    parts = max(2, spark.sparkContext.defaultParallelism)
    with timed("scores, tiers, reasons, ranks, digest (Spark)"):
        frame = feature_frame(spark, snap, fm, parts)
        del snap
        scored = frame.mapInPandas(
            lambda it: score_partition(art, fm.names, fm.as_of, digest_data, cut,
                                       TOP_REASONS, it), SCORED_SCHEMA).persist()
        ranked = rank_frame(scored).persist()
        digest = stream_digest(ranked)
        tiers = {r["tier"]: int(r["count"]) for r in ranked.groupBy("tier").count().collect()}
    created = dt.datetime.now(dt.UTC)
    params: dict[str, Any] = {"as_of": fm.as_of.isoformat(), "model_version": art.version,
                              "tier_cutoffs": cut, "top_reasons": TOP_REASONS,
                              "engine": "spark"}
    if reason:
        params["reason"] = reason
    run = SparkRun(run_id=f"run-{created:%Y%m%dT%H%M%S%fZ}-{digest[:8]}",
                   created_at=created.isoformat(), as_of=fm.as_of.isoformat(),
                   model_version=art.version, data_snapshot_sha256=digest_data,
                   code_version=code_version(), parameters=params, digest=digest,
                   firm_count=sum(tiers.values()),
                   tiers={t: tiers[t] for t in reversed(TIERS) if t in tiers},
                   seconds=seconds)
    if write:
        with timed("write-back (batched Bolt)"):
            _open_run(store, run, actor)
            run_id, database = run.run_id, store.database  # the closure must not hold the driver
            counts = ranked.coalesce(max(1, writers)).rdd.mapPartitions(
                lambda rows: write_partition(cfg, database, run_id, rows)).collect()
            run.written = sum(counts)
            run.status = _complete(store, run)
    ranked.unpersist()
    scored.unpersist()
    return run


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
