"""The one as-of rule: every command scores, reports and screens as of ``--as-of`` when given,
else as of the graph's **data date**, the day after its newest credit record (the date the risk
engine defaults to, models/risk/training.py: ``as_of_default``; records issued on the last day
count).
"""

from __future__ import annotations

import datetime as dt

from neo4j import Driver

from riskgraph.graph.driver import read


def data_date(driver: Driver, database: str) -> dt.date:
    """The day after the newest (not overturned) credit record; today in a graph without any."""
    rows = read(driver, "snapshot/get_data_date", database)
    last = rows[0]["last"] if rows else None
    if last is None:
        return dt.date.today()
    return dt.date(last.year, last.month, last.day) + dt.timedelta(days=1)


def resolve_as_of(driver: Driver, given: dt.date | None, database: str
                  ) -> dt.date:
    """``given`` when set, else :func:`data_date`."""
    return given if given is not None else data_date(driver, database)
