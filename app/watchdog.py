"""A watchdog for the event loop: no request may hold it.

The API serves every request on one asyncio loop; resolvers wait on Neo4j in threads, but
parsing, validation, the limit analysis and serialisation run on the loop itself. If one of
them runs away (issue 14: a 1.3 KB fragment bomb pinned a core for hours), ``/health`` stops
answering and so does everything else.

:class:`LoopWatchdog` keeps a heartbeat task on the loop and a thread that checks it. When the
heartbeat is older than ``stall_seconds``, the thread raises :class:`RequestStalled` (a
LIMIT_EXCEEDED error) inside the loop's thread, where the stuck code is running: the request
is answered with that code and the loop is free again. If the loop is still stuck
``stall_seconds`` later (code that does not run Python bytecode cannot be interrupted), the
watchdog logs and ends the process with exit status 70 (under ``riskgraph serve`` with one
worker), so a supervisor restarts it rather than leaving a dead service listening.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import os
import threading
import time

from riskgraph.app.graphql.errors import LimitExceeded

log = logging.getLogger("riskgraph.api.watchdog")

EXIT_STALLED = 70
"""Process exit status when the loop could not be freed (EX_SOFTWARE)."""
exit_when_stuck = False
"""Set by ``riskgraph serve`` (one worker): only a server process of its own may be ended;
an application embedded elsewhere (tests, other ASGI servers) only logs."""


class RequestStalled(LimitExceeded):
    """Raised inside a request that held the event loop for too long."""

    def __init__(self, message: str = "the request held the server for too long and was "
                                      "stopped; ask for less") -> None:
        super().__init__(message)


def _raise_in_thread(thread_id: int, exc_type: type[BaseException] | None) -> bool:
    """Schedule ``exc_type`` in thread ``thread_id`` (None clears a scheduled one)."""
    done = ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc_type) if exc_type else None)
    if done > 1:  # more than one thread matched: undo (the CPython documentation's advice)
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), None)
        return False
    return bool(done)


class LoopWatchdog:
    """Watches one event loop's heartbeat from a daemon thread (see the module docstring)."""

    def __init__(self, stall_seconds: float, interval: float | None = None) -> None:
        self.stall_seconds = stall_seconds
        self.interval = interval if interval is not None else min(0.25, stall_seconds / 4)
        self.stalls = 0
        self._beat = time.monotonic()
        self._stop = threading.Event()
        self._loop_thread = 0
        self._task: asyncio.Task[None] | None = None
        self._thread: threading.Thread | None = None

    async def _heartbeat(self) -> None:
        while True:
            self._beat = time.monotonic()
            await asyncio.sleep(self.interval)

    def start(self) -> None:
        """Start watching the running loop (call from a coroutine on that loop)."""
        self._loop_thread = threading.get_ident()
        self._beat = time.monotonic()
        self._task = asyncio.get_running_loop().create_task(self._heartbeat())
        self._thread = threading.Thread(target=self._watch, name="loop-watchdog", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            self._task.cancel()
        if self._thread is not None:
            self._thread.join(timeout=2 * self.interval + 1)

    def _watch(self) -> None:
        interrupted_at: float | None = None
        while not self._stop.wait(self.interval):
            now = time.monotonic()
            stalled = now - self._beat
            if stalled < self.stall_seconds:
                interrupted_at = None
                continue
            if interrupted_at is None:
                self.stalls += 1
                log.error("event loop held for %.1f s: interrupting the request", stalled)
                _raise_in_thread(self._loop_thread, RequestStalled)
                interrupted_at = now
            elif now - interrupted_at >= self.stall_seconds and exit_when_stuck:
                log.critical("event loop still held %.1f s after the interruption: exiting",
                             now - interrupted_at)
                logging.shutdown()
                os._exit(EXIT_STALLED)
