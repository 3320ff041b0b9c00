"""Cursor pagination: opaque cursors over a sort key, page size capped (app/graphql/limits)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import strawberry
from strawberry.dataloader import DataLoader

from app.graphql.types.fields import described
from graph.errors import BadInput

T = TypeVar("T")


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of results.")
class Page(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo

    @described("The nodes of the edges, for convenience.")
    def nodes(self) -> list[T]:
        return [e.node for e in self.edges]


def encode_cursor(key: str) -> str:
    return base64.urlsafe_b64encode(f"k:{key}".encode()).decode()


def decode_cursor(cursor: str | None) -> str:
    """The sort key after which a page starts ('' for the first page)."""
    if not cursor:
        return ""
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadInput(f"argument after: {cursor!r} is not a cursor from this API") from None
    if not text.startswith("k:"):
        raise BadInput(f"argument after: {cursor!r} is not a cursor from this API")
    return text[2:]


def page_of(rows: list[dict[str, Any]], size: int, key: str,
            loader: DataLoader[str, Any], convert: Callable[[dict[str, Any]], T]) -> Page[T]:
    """A page from ``size + 1`` rows sorted by ``key`` (the extra row says there is a next
    page); each row also primes ``loader``, so the page's children need no second read."""
    edges = []
    for row in rows[:size]:
        loader.prime(str(row[key]), row)
        edges.append(Edge(cursor=encode_cursor(str(row[key])), node=convert(row)))
    return Page(edges=edges, page_info=PageInfo(
        has_next_page=len(rows) > size, end_cursor=edges[-1].cursor if edges else None))
