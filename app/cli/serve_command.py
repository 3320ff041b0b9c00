"""``riskgraph serve``: the API under uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from graph.config import get_settings


def serve(
    host: Annotated[str | None, typer.Option(help="Listen address (RISKGRAPH_API_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (RISKGRAPH_API_PORT).")] = None,
    workers: Annotated[int, typer.Option(
        help="Worker processes. Each keeps its own explanation cache, rate-limit buckets and "
             "/metrics counters, so 1 (the default) keeps them exact.")] = 1,
    access_log: Annotated[bool, typer.Option(
        help="Log every request (the query audit log records agency requests anyway).")
    ] = True,
) -> None:
    """Serve the GraphQL API (/graphql), /health and /metrics."""
    settings = get_settings()
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host or settings.riskgraph_api_host,
        port=port or settings.riskgraph_api_port,
        log_level="info",
        workers=workers,
        access_log=access_log,
    )
