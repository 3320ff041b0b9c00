"""The one cache of reports that read the whole graph: the explanation engine's snapshot and
scores, the red-flag and cartel screens.

An entry is keyed on (kind, database, the graph's latest write, extra): the latest write is the
audit log's sequence and the newest load batch (``cypher/cache/get_graph_version.cypher``, one
cheap read per lookup, or read by the caller in a statement it runs anyway and passed as
``version``: the API's explanations, ``cypher/cache/get_company_and_version.cypher``), so a
write by another process (``riskgraph load``, ``rank``, ``record-outcome``, another API worker)
is seen on the next lookup: there is no staleness window. Every write path of this process (GraphQL
mutations, CLI commands, loads) also calls :func:`invalidate`, which drops everything at once.
What else a report depends on is in its ``extra`` key parts (the explanation's model version and
as-of date; an as-of default is the graph's data date, which only a write moves). Entries also
expire after :data:`TTL` seconds, a safety net only: rebuilding the explanation snapshot of a
100k-firm graph takes about a minute, which a short TTL made one request pay every 10 minutes.
At most :data:`MAXSIZE` entries are kept.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

from cachetools import TTLCache

from riskgraph.app.metrics import EXPLANATIONS_WARM
from riskgraph.graph.connection import Driver
from riskgraph.graph.driver import read

TTL = 6 * 3600.0
MAXSIZE = 32
T = TypeVar("T")

_entries: TTLCache[tuple[Hashable, ...], Any] = TTLCache(maxsize=MAXSIZE, ttl=TTL)
_guard = threading.Lock()
_building: dict[str, threading.Lock] = {}


def version_of(row: dict[str, Any]) -> tuple[Hashable, ...]:
    """The version in a row with the columns of ``cache/get_graph_version``."""
    return (int(row["audit_seq"]), int(row["batches"]), row["load_started"],
            row["load_completed"])


def graph_version(driver: Driver, database: str) -> tuple[Hashable, ...]:
    """The graph's latest write: (audit sequence, load batches, newest start, newest end)."""
    return version_of(read(driver, "cache/get_graph_version", database)[0])


def _lock_of(kind: str) -> threading.Lock:
    with _guard:
        return _building.setdefault(kind, threading.Lock())


def cached(kind: str, driver: Driver, database: str, build: Callable[[], T],
           *extra: Hashable, version: tuple[Hashable, ...] | None = None) -> T:
    """The ``kind`` report of ``database`` (with ``extra`` key parts, e.g. an as-of date) at
    the graph's latest write, built once by ``build`` (one build per kind at a time).
    ``version``: the latest write as the caller just read it (:func:`version_of`); read here
    when not given."""
    if version is None:
        version = graph_version(driver, database)
    key = (kind, database, version, *extra)
    with _lock_of(kind):
        with _guard:
            if key in _entries:
                found: T = _entries[key]
                return found
        value = build()
        with _guard:
            _entries[key] = value
        return value


def invalidate() -> None:
    """Drop every cached report (each write path calls this after it wrote)."""
    with _guard:
        _entries.clear()
    EXPLANATIONS_WARM.set(0)  # the explanation snapshot went with the rest


F = TypeVar("F", bound=Callable[..., Any])


def invalidating(command: F) -> F:
    """``command`` calling :func:`invalidate` when it returns or fails (a CLI write: the
    signature is kept for Typer)."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        finally:
            invalidate()

    return cast(F, run)
