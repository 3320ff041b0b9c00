"""A circuit breaker for Neo4j: once it is found unavailable, requests fail fast.

While Neo4j is down or restarting, every request that needs it would wait for a connection and
then fail; with the breaker open they are answered ``UNAVAILABLE`` (HTTP 503) at once, for
``open_seconds``. Then one request is let through as a trial: if it succeeds (a statement ran,
or ``/health`` reached the server) the breaker closes, if not it stays open for another period.
``/health`` always probes, so it sees the database come back. Refusals of the open breaker
(:class:`CircuitOpen`) are not failures: they do not restart the period. Each application
state (``app.context.AppState``: one driver) has its own breaker.
"""

from __future__ import annotations

import threading
import time

from riskgraph.graph.errors import Unavailable

OPEN_MESSAGE = "the graph database is not available; try again in a few seconds"


class CircuitOpen(Unavailable):
    """A request refused by the open breaker, without asking Neo4j: not a new failure, so it
    must not keep the breaker open (else steady traffic would hold it open for ever)."""


class CircuitBreaker:
    """Open after a failure, half-open after ``open_seconds``, closed after a success."""

    def __init__(self, open_seconds: float = 5.0) -> None:
        self.open_seconds = open_seconds
        self._opened_at: float | None = None
        self._lock = threading.Lock()

    @property
    def is_open(self) -> bool:
        return self._opened_at is not None

    def check(self) -> None:
        """Raise Unavailable while open; let one caller through per period as a trial."""
        with self._lock:
            if self._opened_at is None:
                return
            now = time.monotonic()
            if now - self._opened_at >= self.open_seconds:
                self._opened_at = now  # this caller is the trial; the others keep failing fast
                return
        raise CircuitOpen(OPEN_MESSAGE)

    def failed(self) -> None:
        with self._lock:
            self._opened_at = time.monotonic()

    def succeeded(self) -> None:
        with self._lock:
            self._opened_at = None

