"""Request limits: depth, size, aliases, page size, hops and an estimated query cost.

The cost of a field is 1 plus the cost of its selections multiplied by the number of items it
may return: the page size it asks for (``first`` / ``limit``), or for a related-party search
at most ``first`` (default 100) firms, plus ``FANOUT ** hops`` for the search itself. A request
whose estimate exceeds ``MAX_COST`` is refused before anything reaches Neo4j.

Depth, aliases and cost are computed together in one pass that analyses each fragment once
(:class:`Analyser`), so the check is linear in the document however its fragments nest, and it
runs before validation and execution.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
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
MAX_BREADTH = 200
"""Fields in one selection set (fragments inlined): validation compares them pairwise."""
MAX_PAGE = 100
DEFAULT_PAGE = 20
MAX_HOPS = 3
MAX_COST = 20_000
FANOUT = 10
MAX_INTROSPECTION_DEPTH = 16
"""Depth counting introspection fields too (GraphiQL's introspection query needs 13)."""
INTROSPECTION_FANOUT = 5
"""Assumed items of an introspection list (``types``, ``fields``, ...) when estimating cost:
enough for GraphiQL's introspection query, while nesting ``fields { type { fields ... } }``
multiplies the estimate at every level."""
INTROSPECTION_LISTS = frozenset({"types", "fields", "args", "inputFields", "interfaces",
                                 "enumValues", "possibleTypes", "directives"})
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


@dataclass(frozen=True)
class Shape:
    """What a selection set (or a whole operation) would cost once its fragments are expanded.

    ``depth`` counts nested fields outside introspection (``__schema`` / ``__type``
    subtrees are left out, as strawberry's depth limiter did), ``introspection_depth`` counts
    every field. ``aliases`` and ``cost`` are totals over the expansion; they are Python ints,
    so a document whose expansion is astronomically large just gets an astronomically large
    number, computed in time linear in the document.
    """

    depth: int = 0
    introspection_depth: int = 0
    aliases: int = 0
    cost: int = 0
    breadth: int = 0
    """Fields this selection set contributes to its parent's level (fragments inlined)."""
    widest: int = 0
    """The most fields any one selection set has once its fragments are inlined."""


class Analyser:
    """Depth, aliases and cost of an operation, each fragment analysed once (memoised).

    Walking the expansion of fragment spreads naively is exponential: 30 fragments that each
    spread the next twice expand to 2**30 fields (issue 14). Here every fragment definition is
    summarised once per context (inside introspection or not), so the work is linear in the
    size of the document. A spread into a fragment that is still being analysed (a cycle,
    which validation refuses anyway) counts as empty; an unknown fragment likewise.
    """

    def __init__(self, document: DocumentNode, variables: dict[str, Any]) -> None:
        self.variables = variables
        self.fragments = {d.name.value: d for d in document.definitions
                          if isinstance(d, FragmentDefinitionNode)}
        self._memo: dict[tuple[str, bool], Shape] = {}
        self._active: set[tuple[str, bool]] = set()

    def operation(self, operation: OperationDefinitionNode) -> Shape:
        return self.selections(operation.selection_set, inside=False)

    def fragment(self, name: str, inside: bool) -> Shape:
        key = (name, inside)
        if key in self._memo:
            return self._memo[key]
        definition = self.fragments.get(name)
        if definition is None or key in self._active:
            return Shape()
        self._active.add(key)
        try:
            shape = self.selections(definition.selection_set, inside)
        finally:
            self._active.discard(key)
        self._memo[key] = shape
        return shape

    def field(self, node: FieldNode, inside: bool) -> Shape:
        name = node.name.value
        inside_now = inside or name.startswith("__")
        alias = 1 if node.alias is not None else 0
        if node.selection_set is None:
            return Shape(aliases=alias, cost=1, breadth=1, widest=1)
        sub = self.selections(node.selection_set, inside_now)
        if inside_now:
            multiplier = INTROSPECTION_FANOUT if name in INTROSPECTION_LISTS else 1
            own = 1
        else:
            multiplier = _multiplier(node, self.variables)
            own = _own_cost(node, self.variables)
        return Shape(depth=0 if inside_now else 1 + sub.depth,
                     introspection_depth=1 + sub.introspection_depth,
                     aliases=alias + multiplier * sub.aliases,
                     cost=own + multiplier * sub.cost,
                     breadth=1, widest=max(1, sub.widest))

    def selections(self, selection_set: SelectionSetNode | None, inside: bool) -> Shape:
        if selection_set is None:
            return Shape()
        depth = introspection_depth = aliases = cost = breadth = widest = 0
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                part = self.field(sel, inside)
            elif isinstance(sel, InlineFragmentNode):
                part = self.selections(sel.selection_set, inside)
            elif isinstance(sel, FragmentSpreadNode):
                part = self.fragment(sel.name.value, inside)
            else:  # pragma: no cover - the grammar has no other selection
                continue
            depth = max(depth, part.depth)
            introspection_depth = max(introspection_depth, part.introspection_depth)
            aliases += part.aliases
            cost += part.cost
            breadth += part.breadth
            widest = max(widest, part.widest)
        return Shape(depth, introspection_depth, aliases, cost, breadth, max(widest, breadth))


def _operations(document: DocumentNode,
                operation_name: str | None) -> list[OperationDefinitionNode]:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    return operations


def analyse(document: DocumentNode, variables: dict[str, Any] | None,
            operation_name: str | None = None) -> Shape:
    """The shape of the operation to run in ``document`` (the largest, if not named).

    Aliases are counted over every operation of the document, as strawberry's limiter did.
    """
    analyser = Analyser(document, variables if isinstance(variables, dict) else {})
    shapes = [analyser.operation(o) for o in _operations(document, operation_name)]
    every = [analyser.operation(o) for o in _operations(document, None)]
    return Shape(depth=max((s.depth for s in shapes), default=0),
                 introspection_depth=max((s.introspection_depth for s in shapes), default=0),
                 aliases=sum(s.aliases for s in every),
                 cost=max((s.cost for s in shapes), default=0),
                 widest=max((s.widest for s in shapes), default=0))


def query_cost(document: Any, variables: dict[str, Any] | None,
               operation_name: str | None = None) -> int:
    """The estimated cost of the operation to run in ``document``."""
    return analyse(document, variables, operation_name).cost


def _digits(number: int) -> str:
    """A number for a message: in full up to 12 digits, else its order of magnitude (an
    expansion can have millions of digits; converting those to text is itself slow)."""
    if number < 10**12:
        return str(number)
    return f"about 2^{number.bit_length() - 1}"


def limit_errors(shape: Shape, max_cost: int = MAX_COST) -> list[GraphQLError]:
    """LIMIT_EXCEEDED errors for every limit ``shape`` is beyond (none when within)."""
    code = {"code": ErrorCode.LIMIT_EXCEEDED.value}
    errors: list[GraphQLError] = []
    if shape.depth > MAX_DEPTH:
        errors.append(GraphQLError(
            f"the operation exceeds maximum operation depth of {MAX_DEPTH} "
            f"(depth {_digits(shape.depth)})", extensions=code))
    if shape.introspection_depth > MAX_INTROSPECTION_DEPTH:
        errors.append(GraphQLError(
            f"the operation exceeds maximum operation depth of {MAX_INTROSPECTION_DEPTH} "
            "including introspection fields", extensions=code))
    if shape.aliases > MAX_ALIASES:
        errors.append(GraphQLError(
            f"{_digits(shape.aliases)} aliases found once fragments are expanded; "
            f"allowed: {MAX_ALIASES}", extensions=code))
    if shape.widest > MAX_BREADTH:
        errors.append(GraphQLError(
            f"a selection set has {_digits(shape.widest)} fields once fragments are inlined; "
            f"allowed: {MAX_BREADTH}", extensions=code))
    if shape.cost > max_cost:
        errors.append(GraphQLError(
            f"estimated query cost {_digits(shape.cost)} is above the limit of {max_cost}; "
            "ask for smaller pages, fewer hops or fewer fields", extensions=code))
    return errors


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
    """Refuses operations beyond the depth, alias or cost limits (LIMIT_EXCEEDED), before
    validation and execution.

    The limits are checked first, by one linear pass over the document (:class:`Analyser`),
    so an oversized document costs milliseconds; then the schema's validation rules run here
    (strawberry then skips its own pass). This replaces strawberry's QueryDepthLimiter and
    MaxAliasesLimiter, which expand fragments without memoisation (exponential time).
    """

    def __init__(self, max_cost: int = MAX_COST) -> None:
        self.max_cost = max_cost

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is not None and ctx.pre_execution_errors is None:
            try:
                errors = limit_errors(analyse(ctx.graphql_document, ctx.variables,
                                              ctx.operation_name), self.max_cost)
                if not errors and ctx.query not in _VALID:
                    errors = list(validate(ctx.schema._schema, ctx.graphql_document,
                                           list(ctx.validation_rules)))
                    if not errors and ctx.query:
                        _remember_valid(ctx.query)
            except LimitExceeded as exc:  # e.g. interrupted by the loop watchdog
                errors = [GraphQLError(exc.public_message,
                                       extensions={"code": exc.code.value})]
            ctx.pre_execution_errors = errors
        yield
