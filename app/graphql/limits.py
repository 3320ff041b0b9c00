"""Request limits: depth, size, aliases, page size, hops and an estimated query cost.

The cost of a field is 1 plus the cost of its selections multiplied by the number of items it
may return: the page size it asks for (``first`` / ``limit``), or for a related-party search
at most ``first`` (default 100) firms, plus ``FANOUT ** hops`` for the search itself. A request
whose estimate exceeds ``MAX_COST`` is refused before anything reaches Neo4j.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    value_from_ast_untyped,
)
from graphql.error import GraphQLError
from graphql.validation import validate
from strawberry.extensions import SchemaExtension

from app.graphql.errors import LimitExceeded
from graph.errors import BadInput, ErrorCode

MAX_DEPTH = 10
MAX_TOKENS = 4000
MAX_ALIASES = 20
MAX_PAGE = 100
DEFAULT_PAGE = 20
MAX_HOPS = 3
MAX_COST = 20_000
FANOUT = 10
"""Assumed firms per hop when estimating a related-party search's cost."""
RELATED_DEFAULT = 100
"""Firms a related-party search returns when ``first`` is not given."""
PAGE_ARGS = ("first", "limit")


def page_size(first: int | None, default: int = DEFAULT_PAGE) -> int:
    """A checked page size: 1..MAX_PAGE (LimitExceeded above, BadInput below)."""
    size = default if first is None else first
    if size < 1:
        raise BadInput(f"argument first: must be at least 1, got {size}")
    if size > MAX_PAGE:
        raise LimitExceeded(f"argument first: at most {MAX_PAGE} per page, got {size}")
    return size


def _argument(node: FieldNode, name: str, variables: dict[str, Any]) -> Any:
    for arg in node.arguments or ():
        if arg.name.value == name:
            value: ValueNode = arg.value
            return value_from_ast_untyped(value, variables)
    return None


def _multiplier(node: FieldNode, variables: dict[str, Any]) -> int:
    for name in PAGE_ARGS:
        value = _argument(node, name, variables)
        if isinstance(value, int) and value > 0:
            return value
    if node.name.value == "relatedParties":
        return RELATED_DEFAULT
    return 1


def _own_cost(node: FieldNode, variables: dict[str, Any]) -> int:
    """The work of the field itself: 1, or ``FANOUT ** hops`` for a related-party search."""
    if node.name.value != "relatedParties":
        return 1
    hops = _argument(node, "hops", variables)
    return int(FANOUT ** (hops if isinstance(hops, int) and 0 < hops <= 10 else 1))


def _cost(selection_set: SelectionSetNode | None, fragments: dict[str, FragmentDefinitionNode],
          variables: dict[str, Any], seen: frozenset[str] = frozenset()) -> int:
    if selection_set is None:
        return 0
    total = 0
    for sel in selection_set.selections:
        if isinstance(sel, FieldNode):
            inner = _cost(sel.selection_set, fragments, variables, seen)
            total += _own_cost(sel, variables) + _multiplier(sel, variables) * inner
        elif isinstance(sel, InlineFragmentNode):
            total += _cost(sel.selection_set, fragments, variables, seen)
        elif isinstance(sel, FragmentSpreadNode):
            name = sel.name.value
            if name in fragments and name not in seen:
                total += _cost(fragments[name].selection_set, fragments, variables,
                               seen | {name})
    return total


def query_cost(document: Any, variables: dict[str, Any] | None,
               operation_name: str | None = None) -> int:
    """The estimated cost of the operation to run in ``document``."""
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, FragmentDefinitionNode)}
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    return max((_cost(o.selection_set, fragments, variables or {}) for o in operations),
               default=0)


VALID_CACHE_SIZE = 1024
_VALID: OrderedDict[str, None] = OrderedDict()
_VALID_LOCK = threading.Lock()


def _remember_valid(query: str) -> None:
    """Validation depends on the document alone (the rules and the schema are fixed), so a
    query text that passed once passes again: investigators' tools send the same few queries
    with different variables, and validation was over half of a small request's CPU time. The
    cost, which depends on the variables, is still estimated every time."""
    with _VALID_LOCK:
        _VALID[query] = None
        _VALID.move_to_end(query)
        while len(_VALID) > VALID_CACHE_SIZE:
            _VALID.popitem(last=False)


class QueryCostLimiter(SchemaExtension):
    """Refuses operations whose estimated cost is above ``max_cost`` (LIMIT_EXCEEDED).

    It runs the schema's validation rules itself first (strawberry then skips its own pass),
    so the cost is only estimated for valid documents.
    """

    def __init__(self, max_cost: int = MAX_COST) -> None:
        self.max_cost = max_cost

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is not None and ctx.pre_execution_errors is None:
            errors = [] if ctx.query in _VALID else list(validate(
                ctx.schema._schema, ctx.graphql_document, list(ctx.validation_rules)))
            if not errors and ctx.query:
                _remember_valid(ctx.query)
            if not errors:
                cost = query_cost(ctx.graphql_document, ctx.variables, ctx.operation_name)
                if cost > self.max_cost:
                    errors.append(GraphQLError(
                        f"estimated query cost {cost} is above the limit of {self.max_cost}; "
                        "ask for smaller pages, fewer hops or fewer fields",
                        extensions={"code": ErrorCode.LIMIT_EXCEEDED.value}))
            ctx.pre_execution_errors = errors
        yield
