"""What code outside ``graph/`` needs of the Neo4j driver, so that only ``graph/`` imports
``neo4j``: the driver's type (to pass it along), its error classes (to count and map them), and
a read of a statement's text under a transaction timeout (the API's per-request budget)."""

from __future__ import annotations

from typing import Any

from neo4j import READ_ACCESS, Driver, Query
from neo4j.exceptions import ClientError, DriverError, Neo4jError, ServiceUnavailable

__all__ = ["ClientError", "Driver", "DriverError", "Neo4jError", "ServiceUnavailable",
           "read_within"]


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
        return [record.data() for record in session.run(Query(text, timeout=timeout), params)]
