"""``riskgraph serve``: the API under uvicorn, stopping within its grace period on SIGTERM."""

from __future__ import annotations

import logging
import os
import shutil
import threading
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
import uvicorn

from riskgraph.app.logging_setup import active_config
from riskgraph.app.metrics import MULTIPROCESS_DIR
from riskgraph.graph.config import get_settings

log = logging.getLogger("riskgraph.api.serve")

EXIT_FORCED = 1
"""Exit status when the grace period ran out before uvicorn finished shutting down."""


class GracefulServer(uvicorn.Server):
    """uvicorn's server, plus a deadline: once SIGTERM or SIGINT arrives, the process ends
    within ``grace`` seconds even if a request holds the event loop (uvicorn alone waits for
    the loop to turn, forever if it never does). uvicorn gets ``grace - 1`` seconds to close
    connections and run the shutdown (which writes the queued audit entries)."""

    def __init__(self, config: uvicorn.Config, grace: float) -> None:
        super().__init__(config)
        self.grace = grace
        self._deadline: threading.Timer | None = None

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        if self._deadline is None:
            self._deadline = threading.Timer(self.grace, self._force_exit)
            self._deadline.daemon = True
            self._deadline.start()

    def _force_exit(self) -> None:
        log.error("shutdown took longer than %.0f s: exiting now", self.grace)
        logging.shutdown()
        os._exit(EXIT_FORCED)


def share_state(folder: Path) -> None:
    """Make the worker processes share rate limits and metrics through ``folder``, emptied
    first (prometheus_client requires a fresh multiprocess folder per run). The workers are
    spawned with this process's environment, so they see both variables."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "metrics").mkdir(parents=True)
    os.environ["RISKGRAPH_API_SHARED_DIR"] = str(folder)
    os.environ[MULTIPROCESS_DIR] = str(folder / "metrics")
    get_settings.cache_clear()


def serve(
    host: Annotated[str | None, typer.Option(help="Listen address (RISKGRAPH_API_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (RISKGRAPH_API_PORT).")] = None,
    workers: Annotated[int, typer.Option(
        min=1, help="Worker processes. They share the rate-limit buckets and /metrics "
                    "(RISKGRAPH_HOME/run/api-PORT); each keeps its own report cache, kept "
                    "current by the graph's audit sequence.")] = 1,
    access_log: Annotated[bool, typer.Option(
        help="Log every request (the query audit log records agency requests anyway).")
    ] = True,
) -> None:
    """Serve the GraphQL API (/graphql), /health and /metrics."""
    settings = get_settings()
    grace = settings.riskgraph_shutdown_grace_seconds
    config = uvicorn.Config(
        "riskgraph.app.main:create_app",
        factory=True,
        host=host or settings.riskgraph_api_host,
        port=port or settings.riskgraph_api_port,
        log_config=active_config(),  # the CLI's set-up (app/logging_setup.py)
        log_level=settings.riskgraph_log_level.lower(),
        workers=workers,
        access_log=access_log,
        timeout_graceful_shutdown=max(1, int(grace) - 1),
    )
    if workers > 1:  # uvicorn's supervisor stops (and kills) its workers itself
        share_state(settings.riskgraph_home / "run" / f"api-{config.port}")
        uvicorn.run(config.app, factory=True, host=config.host, port=config.port,
                    log_config=active_config(), log_level=settings.riskgraph_log_level.lower(),
                    workers=workers, access_log=access_log,
                    timeout_graceful_shutdown=config.timeout_graceful_shutdown)
        return
    from riskgraph.app import watchdog

    watchdog.exit_when_stuck = True  # this process is the server: it may end itself
    GracefulServer(config, grace).run()
