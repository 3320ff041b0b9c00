"""The names of the Neo4j driver that code outside ``graph/`` needs, re-exported so that only
``graph/`` imports ``neo4j``: the driver's type (to pass it along) and its error classes (to
count and map them)."""

from __future__ import annotations

from neo4j import Driver
from neo4j.exceptions import ClientError, DriverError, Neo4jError, ServiceUnavailable

__all__ = ["ClientError", "Driver", "DriverError", "Neo4jError", "ServiceUnavailable"]
