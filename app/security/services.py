"""The security services of an API process: key cache, rate limiters, query audit log.

The rate limiters are shared by the worker processes of ``riskgraph serve --workers N``
(``RISKGRAPH_API_SHARED_DIR``); the key cache stays per process (a revocation is seen by every
worker within ``RISKGRAPH_KEY_CACHE_SECONDS``), and each process queues its own audit entries.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from riskgraph.app.metrics import RATE_LIMITED, count_neo4j_error
from riskgraph.app.security.authentication import (
    KeyCache,
    Unauthenticated,
    credential,
    principal_for,
    refuse,
)
from riskgraph.app.security.keys import StoredKey, get_key, parse_token
from riskgraph.app.security.principal import ANONYMOUS, Principal
from riskgraph.app.security.query_log import QueryLogWriter
from riskgraph.app.security.rate_limit import (
    Limiter,
    RateLimited,
    SharedTokenBucketLimiter,
    TokenBucketLimiter,
)
from riskgraph.graph.config import Settings
from riskgraph.graph.connection import Driver
from riskgraph.graph.errors import RiskgraphError, Unavailable


def limiter(settings: Settings, per_minute: int,
            name: str) -> Limiter:
    """In memory for one process; in the workers' shared folder when there is one."""
    burst = settings.riskgraph_rate_limit_burst
    shared = settings.riskgraph_api_shared_dir
    if shared is None:
        return TokenBucketLimiter(per_minute, burst)
    return SharedTokenBucketLimiter(shared / f"rate-limit-{name}.sqlite", per_minute, burst)


class SecurityServices:
    """Authenticates and rate-limits requests; queues their audit entries."""

    def __init__(self, settings: Settings, driver: Callable[[], Driver]) -> None:
        self._driver = driver
        self._database = settings.neo4j_database
        self.keys = KeyCache(self._fetch, ttl=settings.riskgraph_key_cache_seconds)
        self.key_limiter = limiter(settings, settings.riskgraph_rate_limit_per_minute, "keys")
        self.anonymous_limiter = limiter(
            settings, settings.riskgraph_anonymous_rate_limit_per_minute, "anonymous")
        self.query_log = QueryLogWriter(driver, settings.neo4j_database)

    def _fetch(self, key_id: str) -> StoredKey | None:
        try:
            return get_key(self._driver(), key_id, self._database)
        except RiskgraphError:
            raise
        except Exception as exc:
            if count_neo4j_error(exc):
                raise Unavailable("cannot check the API key: the graph database is not "
                                  "available; try again later") from None
            raise

    async def admit(self, request: Request) -> Principal:
        """The caller of ``request``: authenticated, and within its rate limit.

        Raises Unauthenticated (bad key), RateLimited (bucket empty) or Unavailable (Neo4j down
        while a key had to be read). Refused credentials also draw on the client's anonymous
        bucket, so key guessing is rate-limited per address.
        """
        client = request.client.host if request.client else "unknown"
        try:
            principal = await self._authenticate(request)
        except Unauthenticated as exc:
            self._limit(self.anonymous_limiter, f"ip:{client}", f"client {client}", "anonymous")
            raise refuse(exc) from None
        if principal.key_id is None:
            self._limit(self.anonymous_limiter, f"ip:{client}", f"client {client}", "anonymous")
        else:
            self._limit(self.key_limiter, f"key:{principal.key_id}",
                        f"API key {principal.key_id}", "key")
        return principal

    async def _authenticate(self, request: Request) -> Principal:
        token = credential(request.headers)
        if token is None:
            return ANONYMOUS
        parsed = parse_token(token)
        if parsed is None:
            return principal_for(token, None)  # raises: malformed
        hit, stored = self.keys.cached(parsed[0])
        if not hit:
            stored = await run_in_threadpool(self.keys.load, parsed[0])
        return principal_for(token, stored)

    @staticmethod
    def _limit(limiter: Limiter, bucket: str, who: str, caller: str) -> None:
        try:
            limiter.check(bucket, who)
        except RateLimited:
            RATE_LIMITED.labels(caller=caller).inc()
            raise

    def close(self) -> None:
        self.query_log.close()
