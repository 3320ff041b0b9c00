"""Driver threads that keep every core busy: each pulls the next item when its last is done.

Waves of one task per core (ship a wave, ``collect()``, ship the next) leave a core idle
whenever one task of the wave is quicker than the others: the feature tasks pair a quick
own-feature slice with a slow network slice, so at 1M and 3M firms one core idled for most
of each wave. Here ``slots`` threads (one per core) each take the next item from the shared
iterator under a lock, run it (a one-task Spark job: Spark accepts concurrent jobs from
several driver threads) and hand the result over before taking another, so the driver holds
at most one item per thread (and the one being cut)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_END = object()


def pull(items: Iterator[T], slots: int, run: Callable[[T], R],
         done: Callable[[R], None]) -> None:
    """``done(run(item))`` for every item, in ``slots`` threads pulling from ``items``.

    ``items`` is advanced under one lock (it may be a generator cutting each item when
    reached); ``run`` gets the only reference to its item (it may ``del`` it once shipped);
    ``done`` runs under another lock, one result at a time. The first error stops the
    pulling (items already running finish) and is raised here."""
    take, give = threading.Lock(), threading.Lock()
    errors: list[BaseException] = []

    def worker() -> None:
        while not errors:
            with take:
                if errors:
                    return
                try:
                    box: list[Any] = [next(items, _END)]
                except BaseException as exc:  # raised in the caller's thread
                    errors.append(exc)
                    return
            if box[0] is _END:
                return
            try:
                result = run(box.pop())  # run holds the only reference: it may drop it
                with give:
                    done(result)
                del result
            except BaseException as exc:  # raised in the caller's thread
                errors.append(exc)
                return

    threads = [_thread(worker, f"riskgraph-pull-{k}") for k in range(max(1, slots))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def _thread(target: Callable[[], None], name: str) -> threading.Thread:
    """A thread that carries the JVM's thread-local properties (job descriptions) when
    PySpark is installed (``pyspark.InheritableThread``: it also closes the JVM thread when
    done, in PySpark's pinned-thread mode), else a plain one."""
    try:
        from pyspark import InheritableThread
    except ImportError:
        return threading.Thread(target=target, name=name, daemon=True)
    thread: threading.Thread = InheritableThread(target=target, name=name)
    thread.daemon = True
    return thread
