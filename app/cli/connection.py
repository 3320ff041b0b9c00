"""The Neo4j driver for one CLI command."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from neo4j import Driver

from graph.config import get_settings
from graph.driver import connect
from graph.errors import BadInput


@contextmanager
def graph() -> Iterator[Driver]:
    """Connect with the project's settings; close when the command ends."""
    driver = connect(get_settings())
    try:
        yield driver
    finally:
        driver.close()


def parse_date(value: str | None, option: str = "date") -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadInput(f"--{option}: not a date (yyyy-mm-dd): {value!r}") from None
