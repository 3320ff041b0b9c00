"""Neo4j going away and coming back under load (issue 14, items 5 and 8), against real Neo4j.

The API talks to the real test server through a TCP proxy that the test cuts (every
connection dropped, the port closed: what clients see while Neo4j restarts) and restores.
Restarting the JVM itself takes minutes on a loaded machine; the proxy gives the same view
from the API's side in seconds. While the database is away every answer is 503 UNAVAILABLE
(none LIMIT_EXCEEDED, none a 500), each within the API's wait; once it is back, requests
succeed again by themselves.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from contextlib import suppress

import pytest
from neo4j import Driver

from riskgraph.graph.config import Settings
from tests.app.security.test_security_unavailable import api

pytestmark = pytest.mark.neo4j

QUERY = {"query": '{ companies(first: 2) { nodes { name } } }'}
BOUND = 4.0
"""Seconds per answer while the database is away (the wait is 2 s; margin for a busy box)."""


class Proxy:
    """A TCP proxy to ``upstream`` on a fixed local port, which can be cut and restored."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self._held: socket.socket | None = self._bound(0)
        self.port = int(self._held.getsockname()[1])
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None

    @staticmethod
    def _bound(port: int) -> socket.socket:
        bound = socket.socket()
        bound.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        bound.bind(("127.0.0.1", port))
        return bound

    def restore(self) -> None:
        listener, self._held = self._held, None
        if listener is None:
            listener = self._bound(self.port)
        listener.listen(128)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Drop every connection and refuse new ones. The port stays bound (a socket that
        does not listen: connecting is refused, as with nothing there) so that no outgoing
        connection takes it as its ephemeral port meanwhile (the driver's own attempts can:
        a connection to a free local port in the ephemeral range may connect to itself).
        """
        with self._lock:
            listener, self._listener = self._listener, None
            conns, self._conns = self._conns, []
        if listener is not None:
            # close() alone leaves the socket listening while _accept's thread is blocked in
            # accept() (the call holds it): one more connection got through after the cut,
            # and restore() could not bind. shutdown() wakes that accept() first.
            with suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
            self._held = self._bound(self.port)
        for conn in conns:
            with suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with suppress(OSError):
                    s.close()


RECOVERY = 30.0  # seconds allowed from the connection's return to the first success

def test_a_restart_under_load_is_503_then_recovers(api_graph: Driver, settings: Settings) -> None:
    proxy = Proxy(("127.0.0.1", settings.riskgraph_neo4j_bolt_port))
    proxy.restore()
    outcomes: Counter[str] = Counter()
    slowest: dict[str, float] = {}
    phase = ["before"]
    stop = threading.Event()
    with api(f"bolt://127.0.0.1:{proxy.port}", settings.password_file.read_text().strip(),
             RISKGRAPH_BREAKER_SECONDS="1") as client:
        assert client.post("/graphql", json=QUERY).status_code == 200

        def load() -> None:
            while not stop.is_set():
                began = time.perf_counter()
                response = client.post("/graphql", json=QUERY)
                took = time.perf_counter() - began
                body = response.json()
                codes = sorted({e["extensions"]["code"] for e in body.get("errors") or ()})
                key = f"{phase[0]}: HTTP {response.status_code} {'/'.join(codes) or 'ok'}"
                outcomes[key] += 1
                slowest[phase[0]] = max(slowest.get(phase[0], 0.0), took)

        workers = [threading.Thread(target=load) for _ in range(4)]
        for w in workers:
            w.start()
        time.sleep(1.0)
        phase[0] = "away"
        proxy.cut()
        time.sleep(4.0)
        phase[0] = "back"
        proxy.restore()
        # Recovery must come without intervention: the breaker's next trial (one a breaker
        # period; the steady refusals meanwhile do not restart it) finds the database back.
        # Wait for the first success up to RECOVERY seconds (a loaded machine) instead of a
        # fixed few.
        deadline = time.monotonic() + RECOVERY
        while time.monotonic() < deadline and not outcomes.get("back: HTTP 200 ok", 0):
            time.sleep(0.25)
        time.sleep(1.0)
        stop.set()
        for w in workers:
            w.join()
    proxy.cut()
    print(f"\n{dict(sorted(outcomes.items()))}; slowest {slowest}")
    away = {k: v for k, v in outcomes.items() if k.startswith("away")}
    assert away, outcomes
    # requests in flight when the cut came may finish either way; none may blame the caller
    assert all(("LIMIT_EXCEEDED" not in k and "HTTP 5" in k) or "ok" in k for k in away), away
    assert not any("HTTP 500" in k or "INTERNAL" in k for k in outcomes), outcomes
    assert slowest["away"] < BOUND
    assert outcomes.get("back: HTTP 200 ok", 0) > 0, outcomes
