"""Prometheus metrics of the API, served as text at ``/metrics``.

The metrics live in their own registry (plus the process collector), so creating several apps in
one process (the tests do) never registers a metric twice. Labels are bounded: routes are the
route templates, GraphQL fields are checked against the schema, errors are class names.

Other code that *swallows* a Neo4j driver error (catches it and does not re-raise it or a domain
error chained from it) calls :func:`count_neo4j_error`; errors that reach the API are counted by
the API itself. Each exception is counted once, however many places see it.

With ``riskgraph serve --workers N`` the metrics are prometheus_client's multiprocess mode:
``PROMETHEUS_MULTIPROC_DIR`` (set by ``serve`` before the workers start) holds each worker's
values, and ``/metrics`` from any worker adds them up. The process collector (CPU, memory) is
per process and is left out there.
"""

from __future__ import annotations

import os
from contextlib import suppress

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)

from riskgraph.graph.connection import DriverError, Neo4jError

# No *_created series: they double the output and nobody reads them.
disable_created_metrics()  # type: ignore[no-untyped-call]

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"

REGISTRY = CollectorRegistry(auto_describe=True)
if not os.environ.get(MULTIPROCESS_DIR):
    ProcessCollector(registry=REGISTRY)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

HTTP_REQUESTS = Counter(
    "riskgraph_http_requests", "HTTP requests served, by method, route template and status.",
    ["method", "route", "status"], registry=REGISTRY)
HTTP_LATENCY = Histogram(
    "riskgraph_http_request_duration_seconds", "Time to serve an HTTP request, by route.",
    ["method", "route"], buckets=LATENCY_BUCKETS, registry=REGISTRY)
GRAPHQL_OPERATIONS = Counter(
    "riskgraph_graphql_operations",
    "GraphQL operations, by type (query/mutation), root field and outcome (ok/error).",
    ["type", "field", "outcome"], registry=REGISTRY)
GRAPHQL_ERRORS = Counter(
    "riskgraph_graphql_errors", "Errors in GraphQL responses, by extensions.code.",
    ["code"], registry=REGISTRY)
NEO4J_ERRORS = Counter(
    "riskgraph_neo4j_errors", "Neo4j driver errors (neo4j.exceptions.*), by class.",
    ["error"], registry=REGISTRY)
AUTH_FAILURES = Counter(
    "riskgraph_auth_failures", "Requests refused as UNAUTHENTICATED, by reason.",
    ["reason"], registry=REGISTRY)
RATE_LIMITED = Counter(
    "riskgraph_rate_limited", "Requests refused with 429, by caller kind (key/anonymous).",
    ["caller"], registry=REGISTRY)
KEY_LOOKUPS = Counter(
    "riskgraph_api_key_lookups", "API key look-ups, by result (cache hit or Neo4j read).",
    ["source"], registry=REGISTRY)
QUERY_LOG_WRITTEN = Counter(
    "riskgraph_query_log_written", "Query audit entries written to Neo4j.", registry=REGISTRY)
QUERY_LOG_LOST = Counter(
    "riskgraph_query_log_lost",
    "Query audit entries not written, by reason (queue_full/write_failed).",
    ["reason"], registry=REGISTRY)

EXPLANATIONS_WARM = Gauge(
    "riskgraph_explanations_warm",
    "1 once this worker holds the explanation snapshot and scores (built at start-up or by "
    "the first explanation), 0 before and after a write of this process cleared them; one "
    "series per worker (label pid) with several workers.",
    registry=REGISTRY, multiprocess_mode="liveall")

_COUNTED = "_riskgraph_metrics_counted"


def _neo4j_errors_in(exc: BaseException) -> list[BaseException]:
    """``exc`` and the exceptions it was raised from or during, that are Neo4j driver errors."""
    found: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, (Neo4jError, DriverError)):
            found.append(current)
        current = current.__cause__ or current.__context__
    return found


def count_neo4j_error(exc: BaseException) -> bool:
    """Count the Neo4j driver error in ``exc``'s chain (once per exception); True if one was."""
    counted = False
    for error in _neo4j_errors_in(exc):
        counted = True
        if getattr(error, _COUNTED, False):
            continue
        NEO4J_ERRORS.labels(error=type(error).__name__).inc()
        with suppress(AttributeError):  # exceptions with __slots__ cannot be marked
            setattr(error, _COUNTED, True)
    return counted


def render() -> tuple[bytes, str]:
    """The metrics in Prometheus text format (of every worker), and its content type."""
    if os.environ.get(MULTIPROCESS_DIR):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
