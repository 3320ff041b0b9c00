"""Per-caller token buckets: in memory for one API process, or in a SQLite file that the worker
processes of ``riskgraph serve --workers N`` share (see docs/api-security.md)."""

from __future__ import annotations

import math
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from riskgraph.graph.errors import ErrorCode, RiskgraphError


class RateLimited(RiskgraphError):
    """Too many requests; ``retry_after`` is the number of seconds until one is allowed."""

    code = ErrorCode.LIMIT_EXCEEDED

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Limiter:
    """A token-bucket limiter: ``take`` a token, or ``check`` and raise RateLimited."""

    rate: float
    burst: float

    def take(self, bucket: str) -> float:
        raise NotImplementedError

    def check(self, bucket: str, who: str) -> None:
        """RateLimited (code LIMIT_EXCEEDED) when ``bucket`` is empty."""
        wait = self.take(bucket)
        if wait > 0:
            raise RateLimited(
                f"rate limit exceeded for {who}: at most {self.rate * 60:g} requests a minute "
                f"(bursts of {self.burst:g}); retry in {math.ceil(wait)} s", retry_after=wait)


class TokenBucketLimiter(Limiter):
    """``per_minute`` requests a minute per bucket on average, bursts of up to ``burst``.

    ``per_minute == 0`` switches limiting off. Full, idle buckets are forgotten once more than
    ``max_buckets`` exist, so many distinct anonymous clients cannot grow memory without bound.
    """

    def __init__(self, per_minute: int, burst: int, max_buckets: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(max(burst, 1))
        self.max_buckets = max_buckets
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # id -> (tokens, updated)
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def take(self, bucket: str) -> float:
        """Take one token from ``bucket``: 0.0 if allowed, else seconds until one is free."""
        if not self.enabled:
            return 0.0
        now = self.clock()
        with self._lock:
            tokens, updated = self._buckets.get(bucket, (self.burst, now))
            tokens = min(self.burst, tokens + (now - updated) * self.rate)
            if tokens >= 1.0:
                self._buckets[bucket] = (tokens - 1.0, now)
                if len(self._buckets) > self.max_buckets:
                    self._forget_idle(now)
                return 0.0
            self._buckets[bucket] = (tokens, now)
            return (1.0 - tokens) / self.rate

    def _forget_idle(self, now: float) -> None:
        full_after = self.burst / self.rate
        for name, (_, updated) in list(self._buckets.items()):
            if now - updated >= full_after:
                del self._buckets[name]


_TAKE = """
INSERT INTO buckets (name, tokens, updated, allowed) VALUES (:name, :burst - 1, :now, 1)
ON CONFLICT (name) DO UPDATE SET
  tokens = min(:burst, tokens + max(0.0, :now - updated) * :rate)
           - (min(:burst, tokens + max(0.0, :now - updated) * :rate) >= 1.0),
  allowed = (min(:burst, tokens + max(0.0, :now - updated) * :rate) >= 1.0),
  updated = max(updated, :now)
RETURNING tokens, allowed
"""
"""One statement, so SQLite's write lock makes each take atomic across processes."""


class SharedTokenBucketLimiter(Limiter):
    """The same token buckets, kept in the SQLite file ``path`` so that every process using
    the file draws on one bucket per caller (``riskgraph serve --workers N``).

    Each take is one short write transaction (WAL, no fsync: the buckets need not survive a
    crash). Idle buckets older than a full refill are deleted now and then, bounding the file.
    """

    def __init__(self, path: Path, per_minute: int, burst: int,
                 clock: Callable[[], float] = time.time) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(max(burst, 1))
        self.clock = clock
        self.path = path
        self._local = threading.local()
        self._takes = 0
        if self.enabled:
            path.parent.mkdir(parents=True, exist_ok=True)
            with self._connection() as db:
                db.execute("CREATE TABLE IF NOT EXISTS buckets (name TEXT PRIMARY KEY, "
                           "tokens REAL NOT NULL, updated REAL NOT NULL, "
                           "allowed INTEGER NOT NULL)")

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def _connection(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=10.0, isolation_level=None,
                                 check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")
            self._local.db = db
        return db

    def take(self, bucket: str) -> float:
        """Take one token from ``bucket``: 0.0 if allowed, else seconds until one is free."""
        if not self.enabled:
            return 0.0
        now = self.clock()
        db = self._connection()
        tokens, allowed = db.execute(_TAKE, {"name": bucket, "burst": self.burst, "now": now,
                                             "rate": self.rate}).fetchone()
        self._takes += 1
        if self._takes % 10_000 == 0:
            db.execute("DELETE FROM buckets WHERE updated < ?", (now - self.burst / self.rate,))
        return 0.0 if allowed else (1.0 - float(tokens)) / self.rate
