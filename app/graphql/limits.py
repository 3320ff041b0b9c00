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

import contextlib
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
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
from strawberry.extensions import ParserCache, SchemaExtension, ValidationCache

from riskgraph.app.graphql.errors import LimitExceeded
from riskgraph.graph.errors import BadInput, ErrorCode

MAX_DEPTH = 10
MAX_TOKENS = 2000
"""Tokens of a document (GraphiQL's introspection query has 163): parsing is linear but not
free, about 0.1 ms a token on a busy machine."""
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
MAX_PROBLEMS = 20
"""Argument problems reported at most (one document can repeat a bad argument endlessly)."""
INTROSPECTION_LISTS = frozenset({"types", "fields", "args", "inputFields", "interfaces",
                                 "enumValues", "possibleTypes", "directives"})
"""Assumed firms per hop when estimating a related-party search's cost."""
RELATED_DEFAULT = 100
"""Firms a related-party search returns when ``first`` is not given."""
PAGE_ARGS = ("first", "last", "limit")

# Request bodies and their values (app/request_guard.py checks these before strawberry).
MAX_BODY_BYTES = 256 * 1024
"""Bytes of a POST body (or of a GET query string)."""
MAX_NESTING = 10
"""Levels of lists / objects in variables (and extensions)."""
MAX_LIST_ITEMS = 1000
"""Items in one list of the variables."""
MAX_VARIABLE_STRING = 10_000
"""Characters of any string in the variables (arguments have tighter limits below)."""

# Arguments, whether inline or from variables (checked by the Analyser before validation).
MAX_ARGUMENT_TEXT = 200
"""Characters of a string argument: identifiers, names, agencies, search strings."""
ARGUMENT_TEXT = {"grounds": 4000, "reason": 2000, "note": 2000, "after": 400}
"""Longer free-text arguments (objection grounds, decision reasons, match notes, cursors)."""
MAX_ARGUMENT_ITEMS = 100
"""Items of a list argument (bid members, suppliers, tiers)."""
DATE_ARGUMENTS = frozenset({"asOf", "date", "issuedOn", "removedOn"})
EARLIEST_DATE = date(1900, 1, 1)
LATEST_YEARS_AHEAD = 10
"""A date argument must lie between EARLIEST_DATE and this many years after today."""
AMOUNT_ARGUMENTS = frozenset({"amount"})
MAX_AMOUNT = 1e13
"""Yuan: an amount argument must be finite, not negative and at most this."""


def page_size(first: int | None, default: int = DEFAULT_PAGE, maximum: int = MAX_PAGE,
              argument: str = "first") -> int:
    """A checked page size: 1..maximum (LimitExceeded above, BadInput below)."""
    size = default if first is None else first
    if size < 1:
        raise BadInput(f"argument {argument}: must be at least 1, got {size}")
    if size > maximum:
        raise LimitExceeded(f"argument {argument}: at most {maximum} per page, got {size}")
    return size


def truncate(text: str, limit: int = 200) -> str:
    """``text`` cut to ``limit`` characters (an echoed value never makes a huge message)."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def _latest_date() -> date:
    today = date.today()
    return today.replace(year=today.year + LATEST_YEARS_AHEAD, day=min(today.day, 28))


def argument_problems(field: str, name: str, value: Any, *, path: str | None = None,
                      depth: int = 0) -> list[tuple[ErrorCode, str]]:
    """What is wrong with argument ``name`` of ``field`` (empty when it is within limits).

    Input objects are looked into: each member is checked under its own name (``grounds`` of
    an ``input:`` object has the limit of a ``grounds`` argument) and named by its path
    (``argument input.grounds of createObjection``), down to MAX_NESTING levels (deeper
    values fit no input type of the schema; validation refuses them).
    Values of the wrong type are left to validation; this checks sizes and plausibility."""
    path = path or name
    where = f"argument {path} of {field}"
    problems: list[tuple[ErrorCode, str]] = []
    if isinstance(value, dict):
        if len(value) > MAX_ARGUMENT_ITEMS:
            return [(ErrorCode.LIMIT_EXCEEDED,
                     f"{where}: at most {MAX_ARGUMENT_ITEMS} members, got {len(value)}")]
        if depth >= MAX_NESTING:
            return problems
        for key, inner in value.items():
            problems.extend(argument_problems(field, str(key), inner, path=f"{path}.{key}",
                                              depth=depth + 1))
        return problems
    items = value if isinstance(value, list) else [value]
    if isinstance(value, list) and len(value) > MAX_ARGUMENT_ITEMS:
        problems.append((ErrorCode.LIMIT_EXCEEDED,
                         f"{where}: at most {MAX_ARGUMENT_ITEMS} items, got {len(value)}"))
        return problems
    limit = ARGUMENT_TEXT.get(name, MAX_ARGUMENT_TEXT)
    for item in items:
        if isinstance(item, (dict, list)):
            if depth < MAX_NESTING:
                problems.extend(argument_problems(field, name, item, path=path,
                                                  depth=depth + 1))
        elif isinstance(item, str) and len(item) > limit:
            problems.append((ErrorCode.LIMIT_EXCEEDED,
                             f"{where}: at most {limit} characters, got {len(item)}"))
        elif isinstance(item, str) and name in DATE_ARGUMENTS:
            try:
                day = date.fromisoformat(item)
            except ValueError:
                continue  # the Date scalar says what is wrong
            if not EARLIEST_DATE <= day <= _latest_date():
                problems.append((ErrorCode.BAD_INPUT,
                                 f"{where}: {item} is not a plausible date (between "
                                 f"{EARLIEST_DATE} and {_latest_date()})"))
        elif isinstance(item, (int, float)) and not isinstance(item, bool) and (
                name in AMOUNT_ARGUMENTS) and not (math.isfinite(item)
                                                   and 0 <= item <= MAX_AMOUNT):
            problems.append((ErrorCode.BAD_INPUT,
                             f"{where}: {item:g} is not a plausible amount (0 to "
                             f"{MAX_AMOUNT:g} yuan)"))
        elif isinstance(item, int) and not isinstance(item, bool) and item < 0:
            problems.append((ErrorCode.BAD_INPUT, f"{where}: must not be negative, got {item}"))
        elif isinstance(item, int) and not isinstance(item, bool) and name in PAGE_ARGS \
                and item < 1:
            problems.append((ErrorCode.BAD_INPUT, f"{where}: must be at least 1, got {item}"))
    return problems


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
    problems: tuple[tuple[ErrorCode, str], ...] = ()
    """Arguments beyond their limits (set on the operation's shape only)."""
    introspects: bool = False
    """Whether the operation asks for ``__schema`` or ``__type`` (set on the top shape)."""


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
        self.problems: list[tuple[ErrorCode, str]] = []
        """Arguments beyond their limits (each field node checked once)."""
        self.introspects = False

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
        if name in ("__schema", "__type"):
            self.introspects = True
        alias = 1 if node.alias is not None else 0
        for arg in node.arguments or ():
            if len(self.problems) < MAX_PROBLEMS:
                self.problems.extend(argument_problems(
                    name, arg.name.value, value_from_ast_untyped(arg.value, self.variables)))
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
    every = {id(o): analyser.operation(o) for o in _operations(document, None)}
    shapes = [every[id(o)] for o in _operations(document, operation_name)]
    every_shape = list(every.values())
    return Shape(problems=tuple(analyser.problems[:MAX_PROBLEMS]),
                 introspects=analyser.introspects,
                 depth=max((s.depth for s in shapes), default=0),
                 introspection_depth=max((s.introspection_depth for s in shapes), default=0),
                 aliases=sum(s.aliases for s in every_shape),
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
    errors = [GraphQLError(message, extensions={"code": problem.value})
              for problem, message in shape.problems]
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
"""Documents whose parse and validation strawberry's ParserCache / ValidationCache keep:
investigators' tools send the same few queries with different variables, and validation was
over half of a small request's CPU time. The cost, which depends on the variables, is still
estimated every time."""


def introspection_allowed(context: Any) -> bool:
    """RISKGRAPH_INTROSPECTION: ``keyed`` (default) lets callers with an API key introspect,
    ``all`` everyone, ``off`` nobody."""
    state = getattr(context, "state", None)
    policy = getattr(getattr(state, "settings", None), "riskgraph_introspection", "keyed")
    if policy == "all":
        return True
    if policy == "off":
        return False
    principal = getattr(context, "principal", None)
    return getattr(principal, "key_id", None) is not None or str(
        getattr(principal, "role", "public")) != "public"


class QueryCostLimiter(SchemaExtension):
    """Refuses operations beyond the depth, alias or cost limits (LIMIT_EXCEEDED), before
    validation and execution.

    The limits are checked first, by one linear pass over the document (:class:`Analyser`),
    so an oversized document costs milliseconds; then :class:`CachedValidation` runs the
    schema's validation rules. This replaces strawberry's QueryDepthLimiter and
    MaxAliasesLimiter, which expand fragments without memoisation (exponential time).
    """

    def __init__(self, max_cost: int = MAX_COST) -> None:
        self.max_cost = max_cost

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is not None and ctx.pre_execution_errors is None:
            try:
                shape = analyse(ctx.graphql_document, ctx.variables, ctx.operation_name)
                errors = limit_errors(shape, self.max_cost)
                if shape.introspects and not introspection_allowed(ctx.context):
                    errors.append(GraphQLError(
                        "schema introspection needs an API key on this server "
                        "(RISKGRAPH_INTROSPECTION)",
                        extensions={"code": ErrorCode.FORBIDDEN.value}))
            except LimitExceeded as exc:  # e.g. interrupted by the loop watchdog
                errors = [GraphQLError(exc.public_message,
                                       extensions={"code": exc.code.value})]
            if errors:  # else CachedValidation (next) runs the schema's rules
                ctx.pre_execution_errors = errors
        yield


class CachedParser(ParserCache):
    """strawberry's ParserCache (an LRU keyed by the query text and the parse options, so
    MaxTokensLimiter's bound still applies), leaving a document that does not parse to
    strawberry's own parse, which reports the error as every other (coded by ErrorCodes)."""

    def __init__(self) -> None:
        super().__init__(maxsize=VALID_CACHE_SIZE)

    def on_parse(self) -> Iterator[None]:
        ctx = self.execution_context
        # a syntax error is not cached: strawberry parses again and answers it
        with contextlib.suppress(GraphQLError):
            ctx.graphql_document = self.cached_parse_document(ctx.query, **ctx.parse_options)
        yield


class CachedValidation(ValidationCache):
    """strawberry's ValidationCache (an LRU keyed by the document, which ParserCache makes the
    same object for the same text), run only after QueryCostLimiter passed the document: the
    validation rules are not linear, so a document over the limits never reaches them."""

    def __init__(self) -> None:
        super().__init__(maxsize=VALID_CACHE_SIZE)

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is not None and ctx.pre_execution_errors is None:
            yield from super().on_validate()
        else:
            yield
