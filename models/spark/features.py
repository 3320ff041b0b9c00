"""Point-in-time features computed in Spark tasks, by the in-process feature code itself.

Features of the firm's own data run on firm slices (models/spark/partition.py: a slice's
memory does not grow with the world); the network features run in one task on the whole
snapshot (read from the world directory by the task, or from a broadcast of the one the driver
read from Neo4j). Each task runs ``compute_features`` on its share; columns come back to the
driver and are assembled in the requested order, so the matrix equals ``compute_features``
over the whole list, bit for bit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from riskgraph.graph.snapshot import Snapshot, date_of, day_of
from riskgraph.models.risk.features import FeatureMatrix, compute_features
from riskgraph.models.risk.features.context import FeatureContext
from riskgraph.models.risk.features.registry import REGISTRY
from riskgraph.models.risk.userdata import UserTable
from riskgraph.models.spark.partition import firm_bounds, firm_slice, own_scope

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


SLICE_FIRMS = 200_000
"""At most this many firms per own-scope task (its memory does not grow with the world)."""

Work = tuple[str, list[str], int, int, Any]
"""A task's work: ("network", names, 0, 0, None) on the whole snapshot, or
("own", names, lo, hi, firm slice)."""


def spark_features(spark: SparkSession, snap: Snapshot, as_of: dt.date | int,
                   names: Sequence[str], user_feature_files: Sequence[str] = (), *,
                   world: Path | None = None, slice_firms: int = SLICE_FIRMS,
                   split_network: bool = False) -> FeatureMatrix:
    """``compute_features(snap, as_of, names, tables)`` as Spark tasks.

    Features of the firm's own data (:func:`models.spark.partition.own_scope`) run on firm
    slices of at most ``slice_firms`` firms (at least one per core), shipped from the driver;
    network features run in one task on the whole snapshot (``split_network``: one task per
    feature group, which rebuilds the shared intermediates in each: the position group's firm
    graph is made of the people, group, supply and co-bidding links). With ``world``, that
    task reads the world itself (on a cluster: a path every executor sees); without, the
    driver's ``snap`` is broadcast."""
    t = as_of if isinstance(as_of, int) else day_of(as_of)
    own = [n for n in names if own_scope(n)]
    network = [n for n in names if not own_scope(n)]
    sc = spark.sparkContext
    chunks = feature_chunks(network) if split_network else [network] if network else []
    work: list[Work] = [("network", chunk, 0, 0, None) for chunk in chunks]
    if own:
        parts = max(sc.defaultParallelism, -(-snap.n_firms // max(1, slice_firms)))
        work += [("own", own, lo, hi, firm_slice(snap, lo, hi))
                 for lo, hi in firm_bounds(snap.n_firms, parts)]
    world_path = str(world.resolve()) if world is not None else None
    shared = sc.broadcast(snap) if world_path is None and network else None
    files = list(user_feature_files)

    def run(part: Iterable[Work]) -> Iterator[tuple[list[str], int, int, bytes,
                                                    dict[str, float]]]:
        for kind, chunk, lo, hi, piece in part:
            s = piece if kind == "own" else task_snapshot(world_path, shared)
            tables = [UserTable.read(Path(p)) for p in files]
            fm = compute_features(s, t, chunk, tables)
            if kind != "own":
                lo, hi = 0, s.n_firms
            yield chunk, lo, hi, np.ascontiguousarray(fm.values).tobytes(), fm.seconds

    slices = sum(1 for w in work if w[0] == "own")
    sc.setJobDescription(f"riskgraph features: {len(network)} network features in "
                         f"{len(work) - slices} tasks, {len(own)} own features on "
                         f"{slices} firm slices")
    results = sc.parallelize(work, max(1, len(work))).mapPartitions(run).collect()
    if shared is not None:
        shared.unpersist()
    values = np.empty((snap.n_firms, len(names)), dtype=np.float64)
    where = {name: j for j, name in enumerate(names)}
    seconds: dict[str, float] = {}
    for chunk, lo, hi, raw, secs in results:
        block = np.frombuffer(raw, dtype=np.float64).reshape(hi - lo, len(chunk))
        for j, name in enumerate(chunk):
            values[lo:hi, where[name]] = block[:, j]
        for name, sec in secs.items():
            seconds[name] = seconds.get(name, 0.0) + sec
    alive = FeatureContext(snap, t).alive
    return FeatureMatrix(list(names), values, date_of(t), alive, seconds)
