"""One Neo4j driver per process, verified at start-up, with the project's credentials."""

from __future__ import annotations

import threading
from typing import Any

from neo4j import Driver, GraphDatabase, ManagedTransaction, RoutingControl
from neo4j.exceptions import AuthError, ServiceUnavailable

from riskgraph.graph.catalog import query
from riskgraph.graph.config import Settings, get_settings
from riskgraph.graph.errors import Unavailable
from riskgraph.graph.runtime.layout import read_or_create_password

NOT_REACHABLE = "the graph database is not available; try again later"
"""What remote callers see instead of the message naming the Bolt URI, user or file paths."""

_lock = threading.Lock()
_driver: Driver | None = None


def credentials(settings: Settings) -> tuple[str, str]:
    """User and password: NEO4J_PASSWORD, else the local server's password file."""
    if settings.neo4j_password is not None:
        return settings.neo4j_user, settings.neo4j_password.get_secret_value()
    if settings.uses_local_server or settings.password_file.is_file():
        return settings.neo4j_user, read_or_create_password(settings.password_file, None)
    raise Unavailable(f"NEO4J_URI is {settings.neo4j_uri} but NEO4J_PASSWORD is not set",
                      public=NOT_REACHABLE)


def connect(settings: Settings, wait: float | None = None) -> Driver:
    """A new driver, connectivity verified; Unavailable with a clear message if not.

    ``wait`` (the API's) bounds every wait for the server: the TCP connection, acquiring a
    pooled connection, and the driver's retries of a failed transaction (a quarter of it), so
    a request learns that Neo4j is down within ``wait`` seconds rather than after the driver's
    30 s of retries. The CLI leaves it unset and keeps the driver's defaults.
    """
    limits: dict[str, Any] = {"connection_timeout": settings.neo4j_connect_timeout}
    if wait is not None:
        limits = {"connection_timeout": min(settings.neo4j_connect_timeout, wait),
                  "connection_acquisition_timeout": wait,
                  "max_transaction_retry_time": wait / 4}
    driver = GraphDatabase.driver(
        settings.bolt_uri,
        auth=credentials(settings),
        max_connection_pool_size=50,
        # Deprecations and other warnings are logged (logger neo4j.notifications, WARNING).
        # Unknown labels / property keys are not: a sparse world lacks some (no inspections
        # yet, no person with a country), and every read would warn about it.
        notifications_min_severity="WARNING",
        notifications_disabled_classifications=["UNRECOGNIZED"],
        **limits,
    )
    try:
        driver.verify_connectivity()
    except AuthError as exc:
        driver.close()
        raise Unavailable(
            f"Neo4j at {settings.bolt_uri} rejected user {settings.neo4j_user!r}: {exc.message}. "
            f"Check NEO4J_USER / NEO4J_PASSWORD (local password file: {settings.password_file}).",
            public=NOT_REACHABLE,
        ) from None
    except (ServiceUnavailable, OSError) as exc:
        driver.close()
        hint = (
            "Start the local server with `riskgraph neo4j start`."
            if settings.uses_local_server
            else "Check NEO4J_URI and that the server is running."
        )
        raise Unavailable(
            f"Neo4j is not reachable at {settings.bolt_uri} ({exc}). {hint}", public=NOT_REACHABLE
        ) from None
    return driver


def get_driver() -> Driver:
    """The process-wide driver (created on first use)."""
    global _driver
    with _lock:
        if _driver is None:
            _driver = connect(get_settings())
        return _driver


def close_driver() -> None:
    global _driver
    with _lock:
        if _driver is not None:
            _driver.close()
            _driver = None


def _run(driver: Driver, name: str, routing: RoutingControl, database: str,
         params: dict[str, Any]) -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(
        query(name), params, database_=database,
        routing_=routing,
    )
    return [record.data() for record in records]


def read(
    driver: Driver, name: str, database: str, **params: Any
) -> list[dict[str, Any]]:
    """Run catalog statement ``name`` as a read; return its rows as dicts."""
    return _run(driver, name, RoutingControl.READ, database, params)


def write(
    driver: Driver, name: str, database: str, **params: Any
) -> list[dict[str, Any]]:
    """Run catalog statement ``name`` as a write; return its rows as dicts."""
    return _run(driver, name, RoutingControl.WRITE, database, params)


def run_tx(tx: ManagedTransaction, name: str, **params: Any) -> list[dict[str, Any]]:
    """Run catalog statement ``name`` inside a transaction function; return its rows."""
    return [record.data() for record in tx.run(query(name), params)]


def server_version(driver: Driver) -> str:
    rows = read(driver, "get_server_version", database="system")
    return str(rows[0]["version"]) if rows else "unknown"
