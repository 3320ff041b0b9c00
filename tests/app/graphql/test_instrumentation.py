"""The OperationRecorder schema extension: what it notes in the request's call record and the
error-code metric, with no database (these requests fail before any resolver runs)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from graphql import parse

from riskgraph.app.context import Context
from riskgraph.app.graphql.instrumentation import outline
from riskgraph.app.graphql.schema import schema
from riskgraph.app.metrics import GRAPHQL_ERRORS
from riskgraph.app.security.principal import Principal
from riskgraph.app.security.query_log import variables_sha256
from riskgraph.app.security.request_call import RequestCall, start_call


def _run(query: str, variables: dict[str, Any] | None = None,
         operation_name: str | None = None) -> tuple[RequestCall, Any]:
    scope: dict[str, Any] = {}
    call = start_call(scope)
    context = Context(SimpleNamespace(breaker=None), Principal())  # type: ignore[arg-type]
    context.request = SimpleNamespace(scope=scope)  # type: ignore[assignment]
    result = asyncio.run(schema.execute(query, variable_values=variables,
                                        context_value=context, operation_name=operation_name))
    return call, result


def _errors(code: str) -> float:
    return GRAPHQL_ERRORS.labels(code=code)._value.get()  # type: ignore[attr-defined]


def test_a_failed_operation_is_noted_with_its_coded_errors() -> None:
    before = _errors("BAD_INPUT")
    call, result = _run("query Probe($u: String!) { company(uscc: $u) { nope } }", {"u": "x"})
    assert [e.extensions["code"] for e in result.errors] == ["BAD_INPUT"]
    (op,) = call.operations
    assert (op.name, op.type, op.root_fields) == ("Probe", "query", ("company",))
    assert op.variables_sha256 == variables_sha256({"u": "x"})
    assert call.error_codes == ["BAD_INPUT"]  # coded first: ErrorCodes ran before
    assert _errors("BAD_INPUT") == before + 1


def test_a_document_that_does_not_parse_is_an_invalid_operation() -> None:
    call, result = _run("{ company(", operation_name="Broken")
    assert result.errors
    (op,) = call.operations
    assert (op.name, op.type, op.root_fields) == ("Broken", "invalid", ())
    assert call.error_codes == [result.errors[0].extensions["code"]]


def test_without_a_request_nothing_is_recorded_but_errors_are_counted() -> None:
    before = _errors("BAD_INPUT")
    context = Context(SimpleNamespace(breaker=None), Principal())  # type: ignore[arg-type]
    result = asyncio.run(schema.execute("{ nope }", context_value=context))
    assert result.errors and _errors("BAD_INPUT") == before + 1


def test_outline_names_anonymous_operations_by_their_fields() -> None:
    document = parse("{ health { status } company(uscc: \"x\") { name } }")
    assert outline(document, None) == ("query {health,company}", "query",
                                       ("health", "company"))
    two = parse("query A { health { status } } mutation B { x }")
    assert outline(two, "B") == ("B", "mutation", ("x",))
    assert outline(two, None) == ("-", "invalid", ())
    assert outline(None, None) == ("-", "invalid", ())
