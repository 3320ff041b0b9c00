"""The one as-of rule: every command scores, reports and screens as of ``--as-of`` when given,
else as of the graph's **data date**, the day after its newest credit record (the date the risk
engine defaults to, models/risk/training.py: ``as_of_default``; records issued on the last day
count).
"""

from __future__ import annotations

import datetime as dt

from riskgraph.graph.store import Store


def data_date(store: Store) -> dt.date:
    """The day after the newest (not overturned) credit record; today in a graph without any."""
    rows = store.read("snapshot/get_data_date")
    last = rows[0]["last"] if rows else None
    if last is None:
        return dt.date.today()
    return dt.date(last.year, last.month, last.day) + dt.timedelta(days=1)


def resolve_as_of(store: Store, given: dt.date | None) -> dt.date:
    """``given`` when set, else :func:`data_date`."""
    return given if given is not None else data_date(store)
