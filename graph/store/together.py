"""Independent reads sent at once: a caller that needs several statements whose parameters do
not depend on each other's rows (an explanation's own records, key persons' records, counted
records and graph evidence) waits for the slowest instead of their sum.

Each call runs in a thread of a small pool of this process; a read there opens its own session
(``graph.connection.read_within`` and ``graph.driver.read`` do), as the driver requires: its
``Driver`` is safe to share between threads, a ``Session`` is not (neo4j's ``Session`` doc).
Every read is its own auto-commit or managed transaction, as it was when they ran one after
the other, so running them at once changes no row. A call made from a pool thread runs inline
(no thread waits for a slot of its own pool), and the first error raised by a call is raised
here once every call has finished.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

THREADS = 4
"""Threads of the pool: an explanation sends at most four independent reads at once."""

_POOL = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="store-read")
_INSIDE = threading.local()


def _marked(call: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        _INSIDE.active = True
        try:
            return call()
        finally:
            _INSIDE.active = False
    return run


def together(*calls: Callable[[], Any]) -> list[Any]:
    """The results of ``calls`` in their order, run concurrently (inline when there is one
    call, or when called from a pool thread)."""
    if len(calls) <= 1 or getattr(_INSIDE, "active", False):
        return [call() for call in calls]
    futures = [_POOL.submit(_marked(call)) for call in calls[1:]]
    results: list[Any] = []
    error: BaseException | None = None
    try:
        results.append(calls[0]())  # the caller's thread takes the first call itself
    except BaseException as exc:  # re-raised below, once the others have finished
        error = exc
    for future in futures:
        try:
            results.append(future.result())
        except BaseException as exc:  # the first error wins
            error = error or exc
    if error is not None:
        raise error
    return results
