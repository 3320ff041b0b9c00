"""Turn a request's credentials into a :class:`Principal`.

``Authorization: Bearer <key>`` or ``X-API-Key: <key>``; neither → the anonymous public caller.
A malformed, unknown or revoked key is refused (UNAUTHENTICATED), never downgraded to public.
Key records are cached for ``RISKGRAPH_KEY_CACHE_SECONDS`` (so a revocation takes effect within
that time); unknown key ids are cached too, so guessing costs no Neo4j round trip each.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping

from riskgraph.app.metrics import AUTH_FAILURES, KEY_LOOKUPS
from riskgraph.app.security.keys import StoredKey, parse_token
from riskgraph.app.security.principal import ANONYMOUS, Principal
from riskgraph.graph.errors import ErrorCode, RiskgraphError


class Unauthenticated(RiskgraphError):
    code = ErrorCode.UNAUTHENTICATED

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def credential(headers: Mapping[str, str]) -> str | None:
    """The API key the request presents, or None; Unauthenticated if the headers are malformed."""
    header = headers.get("authorization")
    api_key = headers.get("x-api-key")
    bearer: str | None = None
    if header is not None:
        scheme, _, value = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise Unauthenticated("the Authorization header must be 'Bearer <API key>'",
                                  reason="malformed")
        bearer = value.strip()
    if api_key is not None and bearer is not None and api_key.strip() != bearer:
        raise Unauthenticated("Authorization and X-API-Key carry different keys; send one",
                              reason="malformed")
    token = bearer if bearer is not None else api_key
    if token is not None and not token.strip():
        raise Unauthenticated("the X-API-Key header is empty", reason="malformed")
    return token.strip() if token is not None else None


class KeyCache:
    """Stored keys by id, each kept ``ttl`` seconds (missing ids too)."""

    def __init__(self, fetch: Callable[[str], StoredKey | None], ttl: float,
                 max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic) -> None:
        self._fetch = fetch
        self.ttl = ttl
        self.max_entries = max_entries
        self.clock = clock
        self._entries: dict[str, tuple[float, StoredKey | None]] = {}
        self._lock = threading.Lock()

    def cached(self, key_id: str) -> tuple[bool, StoredKey | None]:
        """``(True, key)`` when a fresh entry exists (key may be None: no such key)."""
        with self._lock:
            entry = self._entries.get(key_id)
        if entry is not None and entry[0] > self.clock():
            KEY_LOOKUPS.labels(source="cache").inc()
            return True, entry[1]
        return False, None

    def load(self, key_id: str) -> StoredKey | None:
        """Read the key from Neo4j and cache it (blocking: call it off the event loop)."""
        stored = self._fetch(key_id)
        KEY_LOOKUPS.labels(source="neo4j").inc()
        if self.ttl > 0:
            with self._lock:
                if len(self._entries) >= self.max_entries:
                    now = self.clock()
                    self._entries = {k: v for k, v in self._entries.items() if v[0] > now}
                    if len(self._entries) >= self.max_entries:
                        self._entries.clear()
                self._entries[key_id] = (self.clock() + self.ttl, stored)
        return stored

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def principal_for(token: str, stored: StoredKey | None) -> Principal:
    """The caller a presented key stands for; Unauthenticated unless it is valid and active."""
    parsed = parse_token(token)
    if parsed is None:
        raise Unauthenticated("malformed API key (expected rg_<key id>_<secret>)",
                              reason="malformed")
    _, secret = parsed
    if stored is None or not stored.matches(secret):
        raise Unauthenticated("invalid API key", reason="invalid")
    if not stored.key.active:
        raise Unauthenticated("this API key has been revoked", reason="revoked")
    return stored.key.principal()


def refuse(exc: Unauthenticated) -> Unauthenticated:
    """Count a refusal and return the error (to raise)."""
    AUTH_FAILURES.labels(reason=exc.reason).inc()
    return exc


__all__ = ["ANONYMOUS", "KeyCache", "Unauthenticated", "credential", "principal_for", "refuse"]
