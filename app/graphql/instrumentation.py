"""The GraphQL half of the request instrumentation, as a strawberry ``SchemaExtension``.

:class:`OperationRecorder` notes, in the request's call record (``app/security/request_call``),
which operation ran (name, type, root fields, hash of the variables) and the ``extensions.code``
of each error of the answer; it counts those codes in ``riskgraph_graphql_errors_total``. The
HTTP half (:class:`riskgraph.app.instrumentation.InstrumentationMiddleware`) turns the record
into the per-request metrics and query audit entries when the response is sent.

It reads the document strawberry parsed (and cached), so nothing is parsed twice. It must be
listed before :class:`~riskgraph.app.graphql.errors.ErrorCodes`: hooks end in reverse order, so
it then sees the errors already coded.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import DocumentNode, FieldNode, GraphQLError, OperationDefinitionNode
from strawberry.exceptions import MissingQueryError
from strawberry.extensions import SchemaExtension
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError

from riskgraph.app.metrics import GRAPHQL_ERRORS, count_neo4j_error
from riskgraph.app.security.query_log import variables_sha256
from riskgraph.app.security.request_call import Operation, RequestCall, call_of

MAX_OPERATION_NAME = 120
REQUEST_ERRORS = (MissingQueryError, CannotGetOperationTypeError, InvalidOperationTypeError)


def outline(document: DocumentNode | None,
            operation_name: str | None) -> tuple[str, str, tuple[str, ...]]:
    """``(name, type, root fields)`` of the operation a request selects in ``document``
    (``type`` is ``invalid`` when the document did not parse or names no such operation)."""
    if document is None:
        return (operation_name or "-", "invalid", ())
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = next((o for o in operations if o.name and o.name.value == operation_name), None)
    if chosen is None and len(operations) == 1:
        chosen = operations[0]
    if chosen is None:
        return (operation_name or "-", "invalid", ())
    fields = tuple(s.name.value for s in chosen.selection_set.selections
                   if isinstance(s, FieldNode))
    name = operation_name or (chosen.name.value if chosen.name else "")
    kind = chosen.operation.value
    return (name or f"{kind} {{{','.join(fields)}}}", kind, fields)


def error_code(error: GraphQLError) -> str:
    """The ``extensions.code`` of a response error (or what it will be)."""
    code = (error.extensions or {}).get("code")
    if isinstance(code, str):
        return code
    original = error.original_error
    if original is None:
        return "GRAPHQL_VALIDATION_FAILED"
    value = getattr(getattr(original, "code", None), "value", None)
    return value if isinstance(value, str) else "INTERNAL_SERVER_ERROR"


def _call(context: Any) -> RequestCall | None:
    request = getattr(context, "request", None)
    scope = getattr(request, "scope", None)
    return call_of(scope) if isinstance(scope, dict) else None


def record_payload_errors(context: Any, codes: list[str]) -> None:
    """Count a mutation payload's error codes as the recorder counts top-level ones, so the
    metrics and the query audit log mark the request as failed (app/graphql/common/payloads)."""
    for code in codes:
        GRAPHQL_ERRORS.labels(code=code).inc()
    call = _call(context)
    if call is not None:
        call.error_codes.extend(codes)


class OperationRecorder(SchemaExtension):
    """Notes the operation and its error codes in the request's call record (module doc)."""

    def on_operation(self) -> Iterator[None]:
        ctx = self.execution_context
        call = _call(ctx.context)
        codes: list[str] = []
        try:
            yield
        except REQUEST_ERRORS:  # strawberry answers these with HTTP 400, no GraphQL errors
            raise
        except Exception as exc:  # strawberry answers with this one error (schema.execute)
            count_neo4j_error(exc)
            codes.append(error_code(GraphQLError(str(exc), original_error=exc)))
            raise
        else:
            errors = (ctx.result.errors if ctx.result is not None
                      else ctx.pre_execution_errors) or ()
            for error in errors:
                if error.original_error is not None:
                    count_neo4j_error(error.original_error)
                codes.append(error_code(error))
        finally:
            name, kind, fields = outline(ctx.graphql_document, ctx.operation_name)
            for code in codes:
                GRAPHQL_ERRORS.labels(code=code).inc()
            if call is not None:
                call.operations.append(Operation(
                    name=name[:MAX_OPERATION_NAME], type=kind, root_fields=fields,
                    variables_sha256=variables_sha256(ctx.variables)))
                call.error_codes.extend(codes)
