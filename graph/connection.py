"""What code outside ``graph/`` needs of the Neo4j driver, so that only ``graph/`` imports
``neo4j``: the driver's type (to pass it along), its error classes (to count and map them), and
a read of a statement's text under a transaction timeout (the API's per-request budget)."""

from __future__ import annotations

from typing import Any

from neo4j import Driver, Query, RoutingControl
from neo4j.exceptions import ClientError, DriverError, Neo4jError, ServiceUnavailable

__all__ = ["ClientError", "Driver", "DriverError", "Neo4jError", "ServiceUnavailable",
           "read_within"]


def read_within(driver: Driver, text: str, params: dict[str, Any], database: str,
                timeout: float) -> list[dict[str, Any]]:
    """Run ``text`` as a read transaction that Neo4j ends after ``timeout`` seconds; the rows
    as dicts (driver errors propagate as they are, for the caller to map)."""
    records, _, _ = driver.execute_query(Query(text, timeout=timeout), params,
                                         database_=database, routing_=RoutingControl.READ)
    return [record.data() for record in records]
