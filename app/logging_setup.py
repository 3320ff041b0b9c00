"""The one logging set-up of the CLI and the API: human lines or JSON lines, with request ids.

``configure(fmt, level)`` applies it to this process; ``logging_config(fmt, level)`` is the same
as a ``logging.config`` dictionary, which ``riskgraph serve`` hands to uvicorn (so its own
loggers, the access log and every worker process use it too). The format comes from
``--log-format`` or ``RISKGRAPH_LOG_FORMAT`` (``human``, the default, or ``json``).

Every record carries ``request_id``: the id of the API request being served (set by
app/request_id.py), else ``-``. Neo4j's notifications (``neo4j.notifications``, e.g. a
deprecation) come through at WARNING.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from contextvars import ContextVar
from typing import Any, Literal

LogFormat = Literal["human", "json"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]

request_id: ContextVar[str | None] = ContextVar("riskgraph_request_id", default=None)
"""The id of the API request the current code serves (None outside a request)."""

_active: dict[str, Any] = {}


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get() or "-"
        return True


class HumanFormatter(logging.Formatter):
    """``2026-12-01 22:40:01,123 INFO riskgraph.api [req 3f2a…]: message``."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(req)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        rid = getattr(record, "request_id", "-")
        record.req = f" [req {rid}]" if rid != "-" else ""
        return super().format(record)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id,
    and the traceback as ``exception`` when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", "-")
        if rid != "-":
            entry["request_id"] = rid
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is when a record is emitted (a test runner or Click's
    runner may swap it after the set-up)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


_QUIET = {"neo4j": "WARNING", "httpx": "WARNING", "httpcore": "WARNING"}
"""Third-party loggers held at WARNING (neo4j: its notifications of severity WARNING+)."""


def logging_config(fmt: LogFormat = "human", level: LogLevel = "INFO") -> dict[str, Any]:
    """The ``logging.config.dictConfig`` dictionary of the set-up."""
    formatter = JsonFormatter if fmt == "json" else HumanFormatter
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"riskgraph": {"()": formatter}},
        "handlers": {"stderr": {"()": StderrHandler, "formatter": "riskgraph",
                                "filters": ["request_id"]}},
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {
            # uvicorn's loggers reach the one handler (no handlers of their own).
            **{name: {"handlers": [], "propagate": True}
               for name in ("uvicorn", "uvicorn.error", "uvicorn.access")},
            **{name: {"level": lvl} for name, lvl in _QUIET.items()},
        },
    }


def configure(fmt: LogFormat = "human", level: LogLevel = "INFO") -> dict[str, Any]:
    """Apply the set-up to this process and remember it (``active_config``). Only the handler
    a previous call added is replaced; other handlers on the root logger (a test runner's)
    stay."""
    config = logging_config(fmt, level)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "riskgraph", False)]:
        root.removeHandler(old)
    handler = StderrHandler()
    handler.riskgraph = True  # type: ignore[attr-defined]
    handler.setFormatter(JsonFormatter() if fmt == "json" else HumanFormatter())
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).propagate = True
    for name, lvl in _QUIET.items():
        logging.getLogger(name).setLevel(lvl)
    _active.clear()
    _active.update(config)
    return config


def active_config() -> dict[str, Any]:
    """The set-up applied by ``configure`` (the human default if none was)."""
    return dict(_active) or logging_config()
