"""The query audit log: one ``(:QueryLog)`` per GraphQL operation of a non-public caller.

Entries are queued by the request and written in batches by one background thread, so a request
never waits for the audit write. The queue is bounded: when Neo4j cannot keep up, entries are
dropped and counted (``riskgraph_query_log_lost_total``) rather than slowing every request down.
"""

from __future__ import annotations

import hashlib
import json
import logging
import queue
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from riskgraph.app.metrics import QUERY_LOG_LOST, QUERY_LOG_WRITTEN, count_neo4j_error
from riskgraph.app.security.principal import Principal, Role
from riskgraph.app.security.request_call import RequestCall
from riskgraph.graph.connection import Driver
from riskgraph.graph.driver import read, write

log = logging.getLogger("riskgraph.api.audit")


def variables_sha256(variables: dict[str, Any] | None) -> str:
    """SHA-256 of the variables as canonical JSON (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(variables or {}, sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def should_audit(principal: Principal | None) -> bool:
    return principal is not None and principal.role is not Role.PUBLIC


def entries_for(call: RequestCall, status: int, duration: float,
                at: datetime | None = None) -> list[dict[str, Any]]:
    """The audit entries of a finished request (none for public callers or non-GraphQL)."""
    principal = call.principal
    if principal is None or not should_audit(principal):
        return []
    when = at or datetime.now(UTC)
    failed = status >= 400 or bool(call.error_codes)
    return [
        {
            "log_id": uuid.uuid4().hex, "key_id": principal.key_id, "role": principal.role.value,
            "at": when, "operation": op.name, "operation_type": op.type,
            "root_fields": list(op.root_fields), "variables_sha256": op.variables_sha256,
            "duration_ms": round(duration * 1000.0, 3), "status": status,
            "outcome": "error" if failed else "ok", "error_codes": sorted(set(call.error_codes)),
        }
        for op in call.operations
    ]


class QueryLogWriter:
    """A bounded queue drained by a daemon thread in batches of up to ``batch_size``."""

    def __init__(self, driver: Callable[[], Driver], database: str, capacity: int = 10_000,
                 batch_size: int = 500, interval: float = 0.2) -> None:
        self._driver = driver
        self._database = database
        self._queue: queue.Queue[dict[str, Any]] = queue.Queue(maxsize=capacity)
        self._batch_size = batch_size
        self._interval = interval
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._pending = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def submit(self, entries: list[dict[str, Any]]) -> None:
        """Queue entries for writing (never blocks; drops and counts when the queue is full)."""
        if not entries:
            return
        self._ensure_started()
        for entry in entries:
            try:
                with self._lock:
                    self._queue.put_nowait(entry)
                    self._pending += 1
            except queue.Full:
                QUERY_LOG_LOST.labels(reason="queue_full").inc()
                log.error("query audit queue full: entry of key %s dropped", entry["key_id"])

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued entry is written (or lost); False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Write what is queued, then stop the thread."""
        self.flush(timeout)
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _ensure_started(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            with self._lock:
                if self._thread is None or not self._thread.is_alive():
                    self._stop.clear()
                    self._thread = threading.Thread(target=self._run, name="query-log",
                                                    daemon=True)
                    self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                first = self._queue.get(timeout=self._interval)
            except queue.Empty:
                continue
            batch = [first]
            while len(batch) < self._batch_size:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._write(batch)
            with self._idle:
                self._pending -= len(batch)
                self._idle.notify_all()

    def _write(self, batch: list[dict[str, Any]]) -> None:
        for attempt in (1, 2):
            try:
                write(self._driver(), "security/create_query_logs", self._database,
                      entries=batch)
                QUERY_LOG_WRITTEN.inc(len(batch))
                return
            except Exception as exc:  # the writer thread must survive anything
                count_neo4j_error(exc)
                if attempt == 2:
                    QUERY_LOG_LOST.labels(reason="write_failed").inc(len(batch))
                    log.error("could not write %d query audit entries: %s", len(batch), exc)


def list_query_logs(driver: Driver, key_id: str | None = None, limit: int = 50, *,
                    database: str) -> list[dict[str, Any]]:
    """The latest audit entries (newest first), optionally of one key."""
    rows = read(driver, "security/list_query_logs", database, key_id=key_id, limit=limit)
    for row in rows:
        at = row.get("at")
        if at is not None and hasattr(at, "to_native"):
            row["at"] = at.to_native()
    return rows
