"""Automatic persisted queries (Apollo's APQ protocol, version 1) for POST /graphql.

A client sends ``extensions.persistedQuery.sha256Hash`` without ``query``; if this process
knows the document it runs it, else it answers ``PERSISTED_QUERY_NOT_FOUND`` and the client
sends the document once with its hash, which registers it. Documents are kept per process in a
bounded LRU (``CAPACITY``): several workers need no shared state, since a miss in one worker
costs the client one resend, never a wrong answer (a document is stored only under its own
SHA-256). Registered documents still go through every limit and validation, as any query.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any

CAPACITY = 2000
"""Documents remembered per process (a flood of registrations only evicts, it cannot grow)."""
NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"


class PersistedQueryError(Exception):
    """The request names a persisted query this process cannot run; ``code`` says why."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


_documents: OrderedDict[str, str] = OrderedDict()
_lock = threading.Lock()


def _digest(query: str) -> str:
    return hashlib.sha256(query.encode("utf-8")).hexdigest()


def forget() -> None:
    """Drop every remembered document (tests)."""
    with _lock:
        _documents.clear()


def resolve(data: Any) -> Any:
    """``data`` with its ``query`` filled in from a persisted hash (unchanged when the request
    carries no persisted query). Registers a document sent with its hash."""
    if not isinstance(data, dict):
        return data
    extensions = data.get("extensions")
    persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
    if persisted is None:
        return data
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise PersistedQueryError("extensions.persistedQuery: only version 1 is supported",
                                  NOT_SUPPORTED)
    wanted = persisted.get("sha256Hash")
    if not isinstance(wanted, str) or len(wanted) != 64:
        raise PersistedQueryError("extensions.persistedQuery.sha256Hash: must be the 64 hex "
                                  "digits of the document's SHA-256", "BAD_INPUT")
    wanted = wanted.lower()
    query = data.get("query")
    if isinstance(query, str) and query:
        if _digest(query) != wanted:
            raise PersistedQueryError("extensions.persistedQuery.sha256Hash: not the SHA-256 "
                                      "of the query sent with it", "BAD_INPUT")
        with _lock:
            _documents[wanted] = query
            _documents.move_to_end(wanted)
            while len(_documents) > CAPACITY:
                _documents.popitem(last=False)
        return data
    with _lock:
        known = _documents.get(wanted)
        if known is not None:
            _documents.move_to_end(wanted)
    if known is None:
        raise PersistedQueryError("PersistedQueryNotFound", NOT_FOUND)
    return {**data, "query": known}
