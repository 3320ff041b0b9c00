"""What code outside ``graph/`` needs of the Neo4j driver, so that only ``graph/`` imports
``neo4j``: the driver's type (to pass it along), its error classes (to count and map them), and
a read of a statement's text under a transaction timeout (the API's per-request budget)."""

from __future__ import annotations

from typing import Any

from neo4j import READ_ACCESS, Driver, Query, Record
from neo4j.exceptions import ClientError, DriverError, Neo4jError, ServiceUnavailable
from neo4j.spatial import CartesianPoint, WGS84Point
from neo4j.time import Date, DateTime, Duration, Time

__all__ = ["ClientError", "Driver", "DriverError", "Neo4jError", "ServiceUnavailable",
           "read_within", "row_of"]


def read_within(driver: Driver, text: str, params: dict[str, Any], database: str,
                timeout: float) -> list[dict[str, Any]]:
    """Run ``text`` as a read that Neo4j ends after ``timeout`` seconds; the rows as dicts
    (driver errors propagate as they are, for the caller to map).

    An auto-commit transaction: RUN and PULL in one round trip, where a managed transaction
    (``execute_query``) pipelines BEGIN with them but then waits for a COMMIT too. A read
    has nothing to commit, and the API's callers do not want the driver's retries (the
    circuit breaker and the request's budget decide)."""
    with driver.session(database=database, default_access_mode=READ_ACCESS,
                        fetch_size=-1) as session:
        return [row_of(record) for record in session.run(Query(text, timeout=timeout), params)]


_KEPT = frozenset({str, int, float, bool, type(None), bytes, bytearray, Date, DateTime, Time,
                   Duration, CartesianPoint, WGS84Point})
"""Value types that ``Record.data()`` returns unchanged (exact types, no subclasses)."""


def _kept(value: Any) -> bool:
    """Whether ``Record.data()`` would return ``value`` as it is (no node, relationship or
    path anywhere in it; lists and maps checked all the way down)."""
    kind = type(value)
    if kind in _KEPT:
        return True
    if kind is list:
        return all(map(_kept, value))
    if kind is dict:
        return all(map(_kept, value.values()))
    return False


def row_of(record: Record) -> dict[str, Any]:
    """``record.data()``, without its conversion when nothing needs converting: the API's
    statements return scalars, lists and maps, and ``data()`` rebuilt each of them through
    ``isinstance`` checks against abstract classes (about 9% of a worker's CPU under load).
    A row holding a node, relationship or path (or a type not known here) still goes through
    ``data()``, so every row comes out as before."""
    values = record.values()
    if all(map(_kept, values)):
        return dict(zip(record.keys(), values, strict=True))
    return record.data()
