"""Read-only access to Neo4j for one GraphQL request.

Every statement runs with the caller's disclosure parameters (``$disclosures``, ``$agencies``)
so that the record filter inside the Cypher always has them, and with the time left of the
request's budget as the Neo4j transaction timeout. Driver errors become domain errors whose
messages never contain Cypher.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from riskgraph.app.circuit import CircuitBreaker
from riskgraph.app.graphql.errors import LimitExceeded
from riskgraph.app.security.principal import Principal
from riskgraph.graph.catalog import query
from riskgraph.graph.connection import ClientError, Driver, DriverError, Neo4jError, read_within
from riskgraph.graph.errors import Unavailable

log = logging.getLogger("riskgraph.api.db")

MIN_TIMEOUT = 0.05
"""Seconds: the shortest transaction timeout sent (the budget is nearly spent below this)."""


class GraphReader:
    """Runs catalog statements for one request, counting round trips and enforcing the budget."""

    def __init__(self, driver: Driver, principal: Principal, timeout: float,
                 database: str, breaker: CircuitBreaker | None = None) -> None:
        self.driver = driver
        self.breaker = breaker
        self.principal = principal
        self.database = database
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self.round_trips = 0
        self._counting = threading.Lock()  # an explanation reads from several threads at once

    def remaining(self) -> float:
        """Seconds left of the request's budget; LimitExceeded once it is spent."""
        left = self.deadline - time.monotonic()
        if left < MIN_TIMEOUT:
            raise LimitExceeded(f"the request took longer than its {self.timeout:g} s budget")
        return left

    def read(self, name: str, /, **params: Any) -> list[dict[str, Any]]:
        """Run catalog statement ``api/<name>`` as a read with the disclosure parameters."""
        return self.read_catalog(f"api/{name}",
                                 {**params, **self.principal.disclosure_params()})

    def read_catalog(self, name: str, values: dict[str, Any]) -> list[dict[str, Any]]:
        """Run catalog statement ``name`` (any folder) as one auto-commit read within the
        request's budget, errors mapped as for :meth:`read` (a ``graph.store.Reader``: the
        explanation engine's reads go through it)."""
        text = query(name)
        with self._counting:
            self.round_trips += 1
        try:
            rows = read_within(self.driver, text, values, self.database, self.remaining())
        except Neo4jError as exc:
            code = exc.code or ""
            if "TimedOut" in code or code.endswith("Transaction.Terminated"):
                raise LimitExceeded(
                    f"the request took longer than its {self.timeout:g} s budget") from None
            if isinstance(exc, ClientError):  # a fault of ours: INTERNAL, logged
                log.error("statement %s failed: %s", name, code)
                raise
            log.error("statement %s: Neo4j error %s", name, code)
            self._unavailable()
            raise Unavailable("the graph database could not answer; try again later") from None
        except DriverError as exc:
            log.error("statement %s: Neo4j unavailable: %s", name, exc)
            self._unavailable()
            raise Unavailable("the graph database is not available; try again later") from None
        if self.breaker is not None:
            self.breaker.succeeded()
        return rows

    def _unavailable(self) -> None:
        if self.breaker is not None:
            self.breaker.failed()
