"""The store: the one place domain Cypher runs, one module per noun (``runs``, ``plans``, …).

A :class:`Store` is a driver and the database it talks to, resolved once where it is opened
(the settings' database unless the caller names one), so nothing below it carries a
``database`` parameter or falls back to the settings. Models take a store (or the data a store
read) and never see a driver; the stored record types live beside the statements that write
and read them, so imports run one way: ``models`` → ``graph.store`` → ``graph.driver``.

A store's reads are managed transactions the driver retries on transient errors (what the CLI
wants). A caller with its own policy passes ``reader``, which then runs every :meth:`Store.read`
(the API's: one auto-commit round trip under the request's budget, its circuit breaker
deciding, ``app/graphql/db.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from neo4j import Driver, ManagedTransaction, Session

from riskgraph.graph.config import Settings
from riskgraph.graph.driver import connect, read, write
from riskgraph.graph.snapshot import Snapshot

T = TypeVar("T")

Reader = Callable[[str, dict[str, Any]], list[dict[str, Any]]]
"""Runs catalog statement ``name`` with ``params`` as a read; its rows as dicts."""


@dataclass(frozen=True)
class Store:
    driver: Driver
    database: str
    reader: Reader | None = field(default=None, compare=False)

    @classmethod
    def open(cls, driver: Driver, database: str) -> Store:
        """A store on ``driver``'s ``database``."""
        return cls(driver, database)

    @classmethod
    def connect(cls, settings: Settings, database: str | None = None) -> Store:
        """A store on a new driver of its own (close it with :meth:`close`)."""
        return cls(connect(settings), database or settings.neo4j_database)

    def close(self) -> None:
        """Close the driver (only for a store made by :meth:`connect`)."""
        self.driver.close()

    def read(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run catalog statement ``name`` as a read; its rows as dicts (through ``reader``
        when the store has one)."""
        if self.reader is not None:
            return self.reader(name, params)
        return read(self.driver, name, self.database, **params)

    def write(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run catalog statement ``name`` as one write; its rows as dicts."""
        return write(self.driver, name, self.database, **params)

    def write_tx(self, work: Callable[[ManagedTransaction], T]) -> T:
        """Run ``work`` in one write transaction (retried by the driver on transient errors)."""
        with self.driver.session(database=self.database) as session:
            return session.execute_write(work)

    def read_tx(self, work: Callable[[ManagedTransaction], T]) -> T:
        """Run ``work`` in one read transaction."""
        with self.driver.session(database=self.database) as session:
            return session.execute_read(work)

    def snapshot(self) -> Snapshot:
        """The whole graph read once (graph/snapshot.py)."""
        return Snapshot.from_neo4j(self.driver, self.database)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session on the store's database, for several transactions in a row."""
        with self.driver.session(database=self.database) as session:
            yield session
