"""Per-process application state and the per-request GraphQL context."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from neo4j import Driver
from strawberry.fastapi import BaseContext

from riskgraph.app.circuit import OPEN_MESSAGE, CircuitBreaker
from riskgraph.app.security.principal import ANONYMOUS, Principal
from riskgraph.app.security.request_call import call_of
from riskgraph.app.security.services import SecurityServices
from riskgraph.graph.config import Settings
from riskgraph.graph.driver import connect
from riskgraph.graph.errors import RiskgraphError, Unavailable


@dataclass
class AppState:
    settings: Settings
    driver: Driver | None = None
    security: SecurityServices | None = None
    breaker: CircuitBreaker = field(default_factory=CircuitBreaker)

    def require_driver(self) -> Driver:
        """The driver, reconnecting if start-up could not connect; Unavailable at once while
        the circuit breaker is open (app/circuit.py)."""
        self.breaker.check()
        if self.driver is None:
            try:
                self.driver = connect(self.settings, self.settings.riskgraph_neo4j_wait_seconds)
            except RiskgraphError as exc:
                self.breaker.failed()
                raise Unavailable(exc.message, public=OPEN_MESSAGE) from None
        return self.driver

    def require_security(self) -> SecurityServices:
        """The key cache, rate limiters and audit writer (created on first use)."""
        if self.security is None:
            self.security = SecurityServices(self.settings, self.require_driver)
        return self.security


class Context(BaseContext):
    """What resolvers see: the app state (driver, settings) and the authenticated caller."""

    def __init__(self, state: AppState, principal: Principal = ANONYMOUS) -> None:
        super().__init__()
        self.state = state
        self.principal = principal


async def get_context(request: Request) -> Context:
    """Authenticate and rate-limit the request, then build its context.

    Raises Unauthenticated (401), RateLimited (429) or Unavailable (503); app.main turns them
    into JSON responses carrying the code.
    """
    state: AppState = request.app.state.riskgraph
    principal = await state.require_security().admit(request)
    call = call_of(request.scope)
    if call is not None:
        call.principal = principal
    return Context(state, principal)
