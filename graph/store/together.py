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

THREADS = 8
"""Threads of the pool: an explanation has at most six reads in flight at once (its own and
key persons' records, the counted records and up to three kinds of graph evidence), and the API
asks which of the records they name the caller may see beside them
(app/graphql/risk/visibility.py)."""

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


class Pending:
    """Calls started in the pool (:func:`start`); :meth:`results` waits for them."""

    def __init__(self, calls: tuple[Callable[[], Any], ...]) -> None:
        inline = getattr(_INSIDE, "active", False)
        self._inline = [call() for call in calls] if inline else None
        self._futures = [] if inline else [_POOL.submit(_marked(call)) for call in calls]

    def results(self, first: BaseException | None = None) -> list[Any]:
        """The calls' results in their order, once all have finished; the first error raised
        (``first``, the caller's own, before any of theirs) is raised then."""
        if self._inline is not None:
            if first is not None:
                raise first
            return self._inline
        results: list[Any] = []
        error = first
        for future in self._futures:
            try:
                results.append(future.result())
            except BaseException as exc:  # the first error wins, once all have finished
                error = error or exc
        if error is not None:
            raise error
        return results


def start(*calls: Callable[[], Any]) -> Pending:
    """Start ``calls`` in the pool now (inline, at once, when called from a pool thread); the
    caller goes on with its own work and collects them with :meth:`Pending.results`."""
    return Pending(calls)


def together(*calls: Callable[[], Any]) -> list[Any]:
    """The results of ``calls`` in their order, run concurrently: the caller's thread runs the
    first while the pool runs the others (all inline when there is one call, or when called
    from a pool thread)."""
    if len(calls) <= 1 or getattr(_INSIDE, "active", False):
        return [call() for call in calls]
    others = start(*calls[1:])
    try:
        mine = calls[0]()
    except BaseException as exc:  # raised once the others have finished
        others.results(exc)
        raise
    return [mine, *others.results()]
