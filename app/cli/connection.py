"""The Neo4j driver (and the store on it) for one CLI command."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from riskgraph.graph.config import get_settings
from riskgraph.graph.connection import Driver
from riskgraph.graph.driver import connect
from riskgraph.graph.errors import BadInput
from riskgraph.graph.id_scheme_store import register_stored_schemes
from riskgraph.graph.store import Store


@contextmanager
def graph() -> Iterator[Driver]:
    """Connect with the project's settings and register the graph's declared identifier
    namespaces (graph/id_scheme_store.py); close when the command ends."""
    settings = get_settings()
    driver = connect(settings)
    try:
        register_stored_schemes(driver, settings.neo4j_database)
        yield driver
    finally:
        driver.close()


@contextmanager
def store() -> Iterator[Store]:
    """:func:`graph` as a store on the settings' database."""
    with graph() as driver:
        yield Store.open(driver, get_settings().neo4j_database)


def parse_date(value: str | None, option: str = "date") -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadInput(f"--{option}: not a date (yyyy-mm-dd): {value!r}") from None


def as_of(driver: Driver, value: str | None) -> dt.date:
    """The one as-of rule of every command: ``--as-of`` when given, else the graph's data date
    (graph/store/data_date.py: the day after its newest credit record)."""
    from riskgraph.graph.store import Store
    from riskgraph.graph.store.data_date import resolve_as_of

    return resolve_as_of(Store.open(driver, get_settings().neo4j_database),
                         parse_date(value, "as-of"))


AS_OF_HELP = "Date of the view (yyyy-mm-dd). Default: the graph's data date, the day after its " \
             "newest credit record (the same for every command)."
