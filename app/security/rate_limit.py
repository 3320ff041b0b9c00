"""Per-caller token buckets, in memory (one API process; see docs/api-security.md)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from riskgraph.graph.errors import ErrorCode, RiskgraphError


class RateLimited(RiskgraphError):
    """Too many requests; ``retry_after`` is the number of seconds until one is allowed."""

    code = ErrorCode.LIMIT_EXCEEDED

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TokenBucketLimiter:
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

    def check(self, bucket: str, who: str) -> None:
        """RateLimited (code LIMIT_EXCEEDED) when ``bucket`` is empty."""
        wait = self.take(bucket)
        if wait > 0:
            raise RateLimited(
                f"rate limit exceeded for {who}: at most {self.rate * 60:g} requests a minute "
                f"(bursts of {self.burst:g}); retry in {math.ceil(wait)} s", retry_after=wait)
