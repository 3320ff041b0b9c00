"""Settings, read once from the environment (and an optional ``.env`` file).

Each field is named after its environment variable (``neo4j_uri`` ← ``NEO4J_URI``). The same
names configure docker-compose.yml. A malformed value, an unknown key in ``.env`` or an unknown
``RISKGRAPH_*`` variable stops the program at start-up with a message naming it.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from riskgraph.graph.errors import ConfigError
from riskgraph.resources import is_checkout

PROJECT_ROOT = Path(__file__).resolve().parents[1]
"""The checkout when run from one (editable install); site-packages for an installed wheel."""


def default_state_root() -> Path:
    """Where state lives unless ``RISKGRAPH_HOME`` says otherwise: ``.riskgraph`` of the checkout
    when run from one (``make demo``, the tests), else the user's state folder
    (``$XDG_STATE_HOME/riskgraph``, by default ``~/.local/state/riskgraph``), never
    site-packages."""
    if is_checkout():
        return PROJECT_ROOT / ".riskgraph"
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "riskgraph"

MemorySize = Annotated[str, Field(pattern=r"^[0-9]+[kmgKMG]?$")]


class Settings(BaseSettings):
    """Everything riskgraph reads from its environment."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="forbid", case_sensitive=False
    )

    # The graph database. With NEO4J_URI unset, the project's local server is used (and started
    # by `riskgraph neo4j start`); with it set, nothing local is ever started.
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr | None = None
    neo4j_database: str = "neo4j"
    neo4j_connect_timeout: float = Field(default=10.0, gt=0)

    # The local server (graph.runtime).
    riskgraph_home: Path = Field(default_factory=default_state_root)
    riskgraph_neo4j_dist: Path | None = None
    riskgraph_neo4j_listen_address: str = "127.0.0.1"
    riskgraph_neo4j_bolt_port: int = Field(default=7687, ge=1, le=65535)
    riskgraph_neo4j_http_port: int = Field(default=7474, ge=1, le=65535)
    riskgraph_neo4j_heap: MemorySize = "2g"
    riskgraph_neo4j_pagecache: MemorySize = "2g"
    riskgraph_neo4j_start_timeout: float = Field(default=180.0, gt=0)

    # The API.
    riskgraph_api_host: str = "127.0.0.1"
    riskgraph_api_port: int = Field(default=8000, ge=1, le=65535)
    riskgraph_request_timeout: float = Field(default=10.0, gt=0)
    riskgraph_introspection: Literal["keyed", "all", "off"] = "keyed"
    """Who may introspect the GraphQL schema: callers with a key (default), all, or nobody."""
    riskgraph_audit_key: SecretStr | None = None
    """HMAC key of the audit-trail anchors (default: <home>/audit/anchor.key, mode 0600)."""
    riskgraph_neo4j_wait_seconds: float = Field(default=2.0, gt=0)
    """The API waits at most this long for Neo4j (connect, pooled connection, retries)."""
    riskgraph_breaker_seconds: float = Field(default=5.0, gt=0)
    """After Neo4j is found unavailable the API answers 503 at once for this long."""
    riskgraph_loop_stall_seconds: float = Field(default=5.0, gt=0)
    """A request holding the API's event loop this long is interrupted (app/watchdog.py)."""
    riskgraph_shutdown_grace_seconds: float = Field(default=10.0, gt=0)
    """After SIGTERM the API exits within this time, even if a request is stuck."""
    riskgraph_api_threads: int = Field(default=32, ge=1, le=256)
    """Threads the API uses to wait on Neo4j (the driver's pool holds 100 connections)."""
    riskgraph_warm_explanations: bool = True
    """Score every firm in the background when the API starts (first explanation is fast)."""
    # API security (app/security): token buckets per API key / per anonymous client IP (0 = off).
    riskgraph_rate_limit_per_minute: int = Field(default=1200, ge=0)
    riskgraph_anonymous_rate_limit_per_minute: int = Field(default=600, ge=0)
    riskgraph_rate_limit_burst: int = Field(default=100, ge=1)
    riskgraph_key_cache_seconds: float = Field(default=30.0, ge=0)
    riskgraph_api_shared_dir: Path | None = None
    """Set by ``serve --workers N``: the folder whose rate-limit buckets and metrics the
    worker processes share (unset: one process, kept in memory)."""
    # Logging (app/logging_setup.py): CLI and API alike; `--log-format` overrides.
    riskgraph_log_format: Literal["human", "json"] = "human"
    riskgraph_log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("neo4j_uri")
    @classmethod
    def _uri_scheme(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        schemes = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")
        if not value.startswith(schemes):
            raise ValueError(f"must start with one of {', '.join(schemes)}")
        return value

    @property
    def uses_local_server(self) -> bool:
        """True unless NEO4J_URI names another server."""
        return self.neo4j_uri is None

    @property
    def bolt_uri(self) -> str:
        """The Bolt URI to connect to: NEO4J_URI, or the local server's."""
        if self.neo4j_uri:
            return self.neo4j_uri
        host = self.riskgraph_neo4j_listen_address
        if host in ("0.0.0.0", "::"):  # noqa: S104 - a listen address, not a bind here
            host = "127.0.0.1"
        return f"bolt://{host}:{self.riskgraph_neo4j_bolt_port}"

    @property
    def http_url(self) -> str:
        """The local server's HTTP address (Neo4j Browser lives at ``/browser/``)."""
        host = self.riskgraph_neo4j_listen_address
        if host in ("0.0.0.0", "::"):  # noqa: S104
            host = "127.0.0.1"
        return f"http://{host}:{self.riskgraph_neo4j_http_port}"

    @property
    def dist_dir(self) -> Path:
        """Where the Maven-resolved jars live (shared by every local instance)."""
        return self.riskgraph_neo4j_dist or (default_state_root() / "dist")

    @property
    def password_file(self) -> Path:
        return self.riskgraph_home / "neo4j-password"


KNOWN_PREFIXES = ("RISKGRAPH_",)


def unknown_variables(environ: dict[str, str] | None = None) -> list[str]:
    """``RISKGRAPH_*`` variables that no setting reads (usually a typo)."""
    env = os.environ if environ is None else environ
    known = {name.upper() for name in Settings.model_fields}
    return sorted(
        key for key in env if key.upper().startswith(KNOWN_PREFIXES) and key.upper() not in known
    )


@cache
def get_settings() -> Settings:
    """Read the settings once per process; fail fast with a message naming what is wrong."""
    unknown = unknown_variables()
    if unknown:
        known = ", ".join(sorted(n.upper() for n in Settings.model_fields))
        raise ConfigError(f"unknown setting(s) {', '.join(unknown)}; known settings: {known}")
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']).upper() or 'settings'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"invalid settings: {problems}") from None
