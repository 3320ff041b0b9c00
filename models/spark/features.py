"""Point-in-time features computed in Spark tasks, by the in-process feature code itself.

Two stages. First the firm slices (models/spark/partition.py): the features of the firm's own
data and the firms' :data:`~models.risk.features.context.SIGNALS` (blacklisted, penalised,
negative-record rate …: what the network features read from other firms' records). Then the
network features on the same firm slices, each with the halo of the graph they read
(models/spark/halo.py) and its firms' signals instead of their records, except the four that
read the whole firm graph (PageRank, the community and industry rates, the co-bidding
rotation), which run in two tasks: one on the firm graph without the records it does not
read, one on the bids. Each task runs ``compute_features`` on its share; columns come back to
the driver and are assembled in the requested order, so the matrix equals
``compute_features`` over the whole list, bit for bit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from riskgraph.graph.snapshot import Snapshot, date_of, day_of
from riskgraph.models.risk.features import FeatureMatrix, compute_features
from riskgraph.models.risk.features.context import SIGNALS, FeatureContext, signal_matrix
from riskgraph.models.risk.features.registry import REGISTRY
from riskgraph.models.risk.userdata import UserTable
from riskgraph.models.spark.halo import (
    BID_FEATURES,
    HaloIndex,
    bids_view,
    global_view,
    halo_context,
    halo_scope,
    network_slice,
)
from riskgraph.models.spark.partition import firm_bounds, firm_slice, own_scope
from riskgraph.models.spark.pool import pull
from riskgraph.models.spark.shipping import Shipper, fetch

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


Result = tuple[list[str], int, int, bytes, dict[str, float], bytes]
"""What a feature task returns: its features, its firms ``lo..hi-1``, their values (float64,
row-major), the seconds each feature took and, from an own task asked for them, the firms'
signals (float64, firms × :data:`SIGNALS`, row-major; else empty)."""

Signals = np.ndarray
"""Firms × :data:`~models.risk.features.context.SIGNALS` of the whole snapshot (float64)."""

SLICE_FIRMS = 200_000
"""At most this many firms per slice task (own and network features)."""

NETWORK_MODES = ("halo", "whole", "groups")
"""How the network features are cut: ``halo`` (by firm slice, the global four in two tasks on
:func:`~models.spark.halo.global_view` and :func:`~models.spark.halo.bids_view`), ``whole``
(one task on the whole snapshot) or ``groups`` (one task per feature group on the whole
snapshot)."""


@dataclass(frozen=True)
class Work:
    """One task's share: features ``names`` of firms ``lo..hi-1`` computed on ``piece``.

    ``kind``: ``own`` (a :func:`firm_slice`; ``wants_signals``: return its firms'
    signals too), ``halo`` (a :func:`network_slice`: the rows ``core`` of its snapshot, whose
    firms' signals are ``signals``), ``global`` (a :func:`global_view` or :func:`bids_view`,
    every firm) or ``whole`` (the whole snapshot, read in the task: ``piece`` is None)."""

    kind: str
    names: list[str]
    lo: int
    hi: int
    piece: Snapshot | None
    core: Any = None
    signals: Any = None
    wants_signals: bool = False

    @property
    def task_firms(self) -> int:
        """Firms in the task's snapshot (the slice and its halo)."""
        return self.piece.n_firms if self.piece is not None else -1


def feature_work(snap: Snapshot, names: Sequence[str], parts: int, network: str = "halo",
                 signals: Signals | None = None) -> Iterator[Work]:
    """The tasks computing ``names`` over ``snap`` in ``parts`` firm slices (``network``: one
    of :data:`NETWORK_MODES`): :func:`own_work`, then :func:`network_work` (the halo tasks
    need the firms' ``signals``, which the own tasks return)."""
    if network not in NETWORK_MODES:
        raise ValueError(f"network={network!r}: one of {', '.join(NETWORK_MODES)}")
    return chain(own_work(snap, names, parts, network),
                 network_work(snap, names, parts, network, signals))


def needs_signals(names: Sequence[str], network: str) -> bool:
    """Whether ``names`` has halo tasks (``network="halo"``), which read the firms' signals."""
    return network == "halo" and any(halo_scope(n) for n in names)


def own_work(snap: Snapshot, names: Sequence[str], parts: int,
             network: str = "halo") -> Iterator[Work]:
    """The firm-slice tasks of the own features (with the firms' signals when halo tasks
    follow), each slice cut when reached."""
    own = [n for n in names if own_scope(n)]
    signals = needs_signals(names, network)
    if not own and not signals:
        return
    for lo, hi in firm_bounds(snap.n_firms, parts):
        yield Work("own", own, lo, hi, firm_slice(snap, lo, hi), wants_signals=signals)


def network_work(snap: Snapshot, names: Sequence[str], parts: int, network: str = "halo",
                 signals: Signals | None = None) -> Iterator[Work]:
    """The network features' tasks, the whole-graph ones first; each halo cut when reached,
    with its firms' rows of ``signals`` (required when there are halo tasks)."""
    if network not in NETWORK_MODES:
        raise ValueError(f"network={network!r}: one of {', '.join(NETWORK_MODES)}")
    near = [n for n in names if halo_scope(n)] if network == "halo" else []
    if near and (signals is None or signals.shape != (snap.n_firms, len(SIGNALS))):
        raise ValueError("the halo tasks need the firms' signals (firms × SIGNALS), "
                         "which the own tasks return")
    far = [n for n in names if not own_scope(n) and n not in near]
    if network == "halo" and far:  # two tasks: the firm graph's three, the bids' one
        graph = [n for n in far if n not in BID_FEATURES]
        bids = [n for n in far if n in BID_FEATURES]
        if graph:
            yield Work("global", graph, 0, snap.n_firms, global_view(snap))
        if bids:
            yield Work("global", bids, 0, snap.n_firms, bids_view(snap))
    elif far:
        for chunk in feature_chunks(far) if network == "groups" else [far]:
            yield Work("whole", chunk, 0, snap.n_firms, None)
    if near:
        assert signals is not None
        index = HaloIndex.of(snap)  # the rows grouped once: each cut gathers its own
        for lo, hi in firm_bounds(snap.n_firms, parts):
            yield _halo_work(snap, index, near, lo, hi, signals)


def _halo_work(snap: Snapshot, index: HaloIndex, names: list[str], lo: int, hi: int,
               signals: Signals) -> Work:
    """The network task of firms ``lo..hi-1`` (cut here, so that the generator's frame holds
    no reference to the slice while its task runs)."""
    cut = network_slice(snap, lo, hi, index)
    return Work("halo", names, lo, hi, cut.snap, cut.core, signals[cut.firms])


def spark_features(spark: SparkSession, snap: Snapshot, as_of: dt.date | int,
                   names: Sequence[str], user_feature_files: Sequence[str] = (), *,
                   world: Path | None = None, slice_firms: int = SLICE_FIRMS,
                   network: str = "halo") -> FeatureMatrix:
    """``compute_features(snap, as_of, names, tables)`` as Spark tasks.

    The firms are cut into slices of at most ``slice_firms`` firms (at least one per core),
    shipped from the driver by one thread per core, each taking the next task when its last
    is done (the driver holds one task's slice per core at a time). Own features
    (:func:`models.spark.partition.own_scope`) run on each slice, with the firms' signals;
    then the network features (``network="halo"``, the default) on each slice with its halo
    (:func:`models.spark.halo.network_slice`) and its firms' signals, the
    :data:`~models.spark.halo.GLOBAL_FEATURES` in two tasks
    (:func:`models.spark.halo.global_view`, :func:`models.spark.halo.bids_view`).
    ``network="whole"`` runs every network feature in one task on the whole snapshot
    (``"groups"``: one task per feature group); with ``world`` that task reads the world
    itself (on a cluster: a path every executor sees), without it the driver's ``snap`` is
    broadcast."""
    t = as_of if isinstance(as_of, int) else day_of(as_of)
    sc = spark.sparkContext
    parts = max(sc.defaultParallelism, -(-snap.n_firms // max(1, slice_firms)))
    world_path = str(world.resolve()) if world is not None else None
    whole = network != "halo" and any(not own_scope(n) for n in names)
    shared = sc.broadcast(snap) if world_path is None and whole else None
    files = list(user_feature_files)

    def run(part: Iterable[str]) -> Iterator[Result]:
        for shipped in part:
            w: Work = fetch(shipped)
            s = w.piece if w.piece is not None else task_snapshot(world_path, shared)
            tables = [UserTable.read(Path(p)) for p in files] if w.kind == "own" else []
            # a halo task reads its core's rows (the shared-people graph is built for them)
            # and its firms' signals, not their records
            ctx = (halo_context(s, t, w.core, w.signals) if w.kind == "halo"
                   else FeatureContext(s, t))
            values = compute_features(s, t, w.names, tables, context=ctx,
                                      rows=w.core if w.kind == "halo" else None)
            block = values.values
            sig = signal_matrix(ctx).tobytes() if w.wants_signals else b""
            yield (w.names, w.lo, w.hi, np.ascontiguousarray(block).tobytes(),
                   values.seconds, sig)

    # one driver thread per core, each pulling the next task when its last is done
    # (models/spark/pool.py): both cores stay busy, and the driver holds one task's slice,
    # halo and result per core at a time (each result goes into the matrix as it comes
    # back); the slices go as files (models/spark/shipping.py), not through the JVM's heap
    values = np.empty((snap.n_firms, len(names)), dtype=np.float64)
    where = {name: j for j, name in enumerate(names)}
    seconds: dict[str, float] = {}
    shipper = Shipper(sc)

    def one(w: Work) -> list[Result]:
        sc.setJobDescription(f"riskgraph features: {len(w.names)} features, "
                             f"{w.kind} {w.lo}..{w.hi}")
        shipped = shipper.ship(w)
        del w
        try:
            return sc.parallelize([shipped], 1).mapPartitions(run).collect()
        finally:
            shipper.drop(shipped)

    signals = (np.empty((snap.n_firms, len(SIGNALS)), dtype=np.float64)
               if needs_signals(names, network) else None)
    slots = max(1, sc.defaultParallelism)

    def done(results: list[Result]) -> None:
        _assemble(results, values, where, seconds, signals)

    try:  # the own tasks (and the signals) first: the halo tasks carry the signals
        pull(own_work(snap, names, parts, network), slots, one, done)
        pull(network_work(snap, names, parts, network, signals), slots, one, done)
    finally:
        shipper.close()
    if shared is not None:
        shared.unpersist()
    alive = FeatureContext(snap, t).alive
    return FeatureMatrix(list(names), values, date_of(t), alive, seconds)


def _assemble(results: list[Result], values: np.ndarray, where: dict[str, int],
              seconds: dict[str, float], signals: Signals | None) -> None:
    """Put a task's returned columns (and signals) into the matrix and add up their
    seconds."""
    for chunk, lo, hi, raw, secs, sig in results:
        if sig:
            assert signals is not None
            signals[lo:hi] = np.frombuffer(sig, dtype=np.float64).reshape(hi - lo, len(SIGNALS))
        block = np.frombuffer(raw, dtype=np.float64).reshape(hi - lo, len(chunk))
        for j, name in enumerate(chunk):
            values[lo:hi, where[name]] = block[:, j]
        for name, sec in secs.items():
            seconds[name] = seconds.get(name, 0.0) + sec
