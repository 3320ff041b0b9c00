"""Cursor connections (the Relay / GitHub convention), one implementation for every list.

A list field takes ``first`` / ``after`` (forwards) or ``last`` / ``before`` (backwards) and
returns a ``<Type>Connection`` with ``edges { cursor node }``, ``nodes``, a full ``pageInfo``
and, where it is cheap, ``totalCount``. Cursors are opaque: the base64 of the row's sort key.

Lists read from Neo4j are keyset-paginated: :func:`window` turns the arguments into the
parameters every paginated statement takes (``$after``, ``$before``: keys or ''; ``$backward``:
read the keys in descending order; ``$limit``: page size + 1, the extra row telling whether
another page follows in the reading direction) and :func:`connection_of` turns the rows back
into a page in ascending order. Short lists already in memory use :func:`connection_from_list`.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry
from strawberry.dataloader import DataLoader

from riskgraph.app.graphql.limits import page_size
from riskgraph.app.graphql.types.fields import described
from riskgraph.graph.errors import BadInput

T = TypeVar("T")
R = TypeVar("R")


@strawberry.type(description="Where a page sits in its list (Relay cursor connections).")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="Whether more items follow the last one of this page.")
    has_previous_page: bool = strawberry.field(
        description="Whether items come before the first one of this page.")
    start_cursor: str | None = strawberry.field(
        description="The cursor of the first item (use as `before`); null on an empty page.")
    end_cursor: str | None = strawberry.field(
        description="The cursor of the last item (use as `after`); null on an empty page.")


@strawberry.type(description="An item of a page with its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="An opaque cursor for `after` / `before`.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list: edges with cursors, the nodes, page info.")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items of the page with cursors.")
    page_info: PageInfo = strawberry.field(description="Cursors and neighbours of the page.")
    counter: strawberry.Private[Callable[[], Awaitable[int]] | None] = None

    @described("The items of the page, without their cursors.")
    def nodes(self) -> list[T]:
        return [e.node for e in self.edges]

    @described("How many items the whole list has (all pages). Costs one count of the "
               "matches when asked for; null where a list cannot count cheaply "
               "(related-party searches stop expanding once a page is full).")
    async def total_count(self) -> int | None:
        return None if self.counter is None else await self.counter()


Page = Connection
"""The former name of :class:`Connection` (types were named ``CompanyPage``, ...)."""


@dataclass(frozen=True)
class Window:
    """What a paginated statement reads: keys after ``after`` and before ``before`` (''
    for no bound), ``size`` of them, descending when ``backward``."""

    after: str
    before: str
    size: int
    backward: bool

    def params(self) -> dict[str, Any]:
        """The statement parameters ($after, $before, $backward, $limit)."""
        return {"after": self.after, "before": self.before, "backward": self.backward,
                "limit": self.size + 1}


def encode_cursor(key: str) -> str:
    return base64.urlsafe_b64encode(f"k:{key}".encode()).decode()


def decode_cursor(cursor: str | None, argument: str = "after") -> str:
    """The sort key a cursor stands for ('' when there is none)."""
    if not cursor:
        return ""
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadInput(f"argument {argument}: {cursor!r} is not a cursor from this API") from None
    if not text.startswith("k:"):
        raise BadInput(f"argument {argument}: {cursor!r} is not a cursor from this API")
    return text[2:]


def window(first: int | None = None, after: str | None = None, last: int | None = None,
           before: str | None = None, *, default: int | None = None,
           maximum: int | None = None) -> Window:
    """The window the pagination arguments ask for (``first`` and ``last`` are exclusive;
    page sizes are checked by app.graphql.limits.page_size)."""
    if first is not None and last is not None:
        raise BadInput("arguments first and last: give one of them, not both")
    backward = last is not None
    kwargs: dict[str, int] = {}
    if default is not None:
        kwargs["default"] = default
    if maximum is not None:
        kwargs["maximum"] = maximum
    size = page_size(last if backward else first, argument="last" if backward else "first",
                     **kwargs)
    return Window(decode_cursor(after, "after"), decode_cursor(before, "before"), size,
                  backward)


def connection_of(rows: list[dict[str, Any]], win: Window, key: str,
                  convert: Callable[[dict[str, Any]], T],
                  loader: DataLoader[str, Any] | None = None,
                  counter: Callable[[], Awaitable[int]] | None = None) -> Connection[T]:
    """A page from the rows a statement read for ``win`` (``size + 1`` at most, in reading
    order); each row also primes ``loader``, so the page's children need no second read."""
    more = len(rows) > win.size
    kept = rows[:win.size]
    if win.backward:
        kept.reverse()
    edges = []
    for row in kept:
        if loader is not None:
            loader.prime(str(row[key]), row)
        edges.append(Edge(cursor=encode_cursor(str(row[key])), node=convert(row)))
    # Across the bound we came from, items exist whenever a cursor was given (the keyset
    # reading does not look back; Relay allows this answer).
    has_next = (not win.backward and more) or (win.backward and bool(win.before))
    has_previous = (win.backward and more) or (not win.backward and bool(win.after))
    return Connection(edges=edges, counter=counter, page_info=PageInfo(
        has_next_page=has_next, has_previous_page=has_previous,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None))


def connection_from_list(items: Sequence[R], key: Callable[[R], str], win: Window,
                         convert: Callable[[R], T]) -> Connection[T]:
    """A page of a list already in memory (in its order; ``key`` names each item uniquely),
    with an exact totalCount and neighbours."""
    keys = [key(i) for i in items]
    start, stop = 0, len(items)
    if win.after:
        start = keys.index(win.after) + 1 if win.after in keys else len(items)
    if win.before:
        stop = keys.index(win.before) if win.before in keys else stop
    stop = max(start, stop)
    if win.backward:
        lo, hi = max(start, stop - win.size), stop
    else:
        lo, hi = start, min(stop, start + win.size)
    edges = [Edge(cursor=encode_cursor(keys[k]), node=convert(items[k])) for k in range(lo, hi)]
    total = len(items)

    async def count() -> int:
        return total

    return Connection(edges=edges, counter=count, page_info=PageInfo(
        has_next_page=hi < len(items), has_previous_page=lo > 0,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None))


def page_of(rows: list[dict[str, Any]], size: int, key: str,
            loader: DataLoader[str, Any], convert: Callable[[dict[str, Any]], T]) -> Connection[T]:
    """A forward page from ``size + 1`` rows sorted by ``key`` (kept for callers of the
    former helper)."""
    return connection_of(rows, Window("", "", size, False), key, convert, loader)
