"""Per-process application state and the per-request GraphQL context."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from neo4j import Driver
from strawberry.fastapi import BaseContext

from graph.config import Settings
from graph.driver import connect
from graph.errors import RiskgraphError, Unavailable


@dataclass
class AppState:
    settings: Settings
    driver: Driver | None = None

    def require_driver(self) -> Driver:
        """The driver, reconnecting once if start-up could not connect."""
        if self.driver is None:
            try:
                self.driver = connect(self.settings)
            except RiskgraphError as exc:
                raise Unavailable(exc.message) from None
        return self.driver


class Context(BaseContext):
    """What resolvers see: the app state (driver, settings) of this process."""

    def __init__(self, state: AppState) -> None:
        super().__init__()
        self.state = state


async def get_context(request: Request) -> Context:
    return Context(request.app.state.riskgraph)
