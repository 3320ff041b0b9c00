"""Point-in-time features computed in Spark tasks, by the in-process feature code itself.

The feature list is cut into chunks (by feature group, the unit whose intermediates are
shared); each Spark task takes one chunk, gets the snapshot (read from the world directory by
the task, or from a broadcast of the one the driver read from Neo4j) and runs
``compute_features`` on its chunk. Columns come back to the driver and are assembled in the
requested order, so the matrix equals ``compute_features`` over the whole list, bit for bit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from riskgraph.graph.snapshot import Snapshot, date_of, day_of
from riskgraph.models.features import FeatureMatrix, compute_features
from riskgraph.models.features.context import FeatureContext
from riskgraph.models.features.registry import REGISTRY
from riskgraph.models.userdata import UserTable

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

_WORLDS: dict[str, Snapshot] = {}
"""Per Python worker: the snapshots read from world directories (a reused worker reads once)."""


def feature_chunks(names: Sequence[str]) -> list[list[str]]:
    """``names`` cut by feature group (user-table features form one chunk), in first-seen
    order."""
    chunks: dict[str, list[str]] = {}
    for name in names:
        group = REGISTRY[name].group if name in REGISTRY else "user"
        chunks.setdefault(group, []).append(name)
    return list(chunks.values())


def task_snapshot(world: str | None, broadcast: Any) -> Snapshot:
    """The snapshot inside a task: read from ``world`` (once per worker) or the broadcast's."""
    if world is None:
        return broadcast.value  # type: ignore[no-any-return]
    if world not in _WORLDS:
        _WORLDS.clear()
        _WORLDS[world] = Snapshot.from_world(Path(world))
    return _WORLDS[world]


def spark_features(spark: SparkSession, snap: Snapshot, as_of: dt.date | int,
                   names: Sequence[str], user_feature_files: Sequence[str] = (), *,
                   world: Path | None = None) -> FeatureMatrix:
    """``compute_features(snap, as_of, names, tables)``, one Spark task per feature chunk.

    With ``world``, tasks read the world themselves (on a cluster: a path every executor
    sees); without, the driver's ``snap`` is broadcast."""
    t = as_of if isinstance(as_of, int) else day_of(as_of)
    chunks = feature_chunks(names)
    sc = spark.sparkContext
    world_path = str(world.resolve()) if world is not None else None
    shared = sc.broadcast(snap) if world_path is None else None
    files = list(user_feature_files)

    def run(part: Iterable[list[str]]) -> Iterator[tuple[list[str], bytes, dict[str, float]]]:
        for chunk in part:
            s = task_snapshot(world_path, shared)
            tables = [UserTable.read(Path(p)) for p in files]
            fm = compute_features(s, t, chunk, tables)
            yield chunk, np.ascontiguousarray(fm.values).tobytes(), fm.seconds

    sc.setJobDescription(f"riskgraph features: {len(names)} in {len(chunks)} chunks")
    results = sc.parallelize(chunks, len(chunks)).mapPartitions(run).collect()
    if shared is not None:
        shared.unpersist()
    columns: dict[str, np.ndarray[Any, np.dtype[np.float64]]] = {}
    seconds: dict[str, float] = {}
    for chunk, raw, secs in results:
        block = np.frombuffer(raw, dtype=np.float64).reshape(snap.n_firms, len(chunk))
        for j, name in enumerate(chunk):
            columns[name] = block[:, j]
        seconds.update(secs)
    values = np.empty((snap.n_firms, len(names)), dtype=np.float64)
    for j, name in enumerate(names):
        values[:, j] = columns[name]
    alive = FeatureContext(snap, t).alive
    return FeatureMatrix(list(names), values, date_of(t), alive, seconds)
