"""Which of an explanation's records the caller may see, asked while the explanation is built.

An explanation cites the records the engine reads by id (what a reason counted:
``explain/list_records_by_id``) and the bans on a phoenix path (``explain/list_phoenix_paths``);
a counterfactual names some of the firm's own records (``explain/list_company_records``). The
caller's filter is ``api/list_visible_records`` (the disclosure filter stays in Cypher). Asked
once the explanation was done, it was one more round trip after all the others. Here it is asked
for the ids each of those reads names as soon as they are known, beside the engine's other
reads (graph/store/together.py); any id the explanation names that none of them did is asked at
the end, so nothing is shown unchecked.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from riskgraph.app.graphql.db import GraphReader
from riskgraph.graph.store.together import Pending, start

RECORDS_BY_ID = "explain/list_records_by_id"
PHOENIX_PATHS = "explain/list_phoenix_paths"
OWN_RECORDS = "explain/list_company_records"


def _ban_ids(rows: list[dict[str, Any]]) -> list[str]:
    """The record ids of every ban a phoenix-path row carries (its firm's and its copies')."""
    return [str(ban["record_id"]) for row in rows for member in row.get("members") or []
            for ban in (member or {}).get("bans") or []]


class VisibilityReader:
    """The request's reader for the explanation engine (a ``graph.store.Reader``), asking
    which records the caller may see alongside the reads that name them.

    ``counterfactual``: the query asked for one, so the firm's own records are checked too."""

    def __init__(self, db: GraphReader, counterfactual: bool) -> None:
        self._db = db
        self._counterfactual = counterfactual
        self._lock = threading.Lock()
        self._asked: list[tuple[frozenset[str], Pending]] = []

    def __call__(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        if name == RECORDS_BY_ID:
            self._ask(params.get("record_ids") or [])
        rows = self._db.read_catalog(name, params)
        if name == PHOENIX_PATHS:
            self._ask(_ban_ids(rows))
        elif name == OWN_RECORDS and self._counterfactual:
            self._ask(str(r["record_id"]) for r in rows)
        return rows

    def _ask(self, ids: Iterable[str]) -> None:
        wanted = sorted(set(ids))
        if wanted:
            pending = start(lambda: self._visible(wanted))
            with self._lock:
                self._asked.append((frozenset(wanted), pending))

    def _visible(self, ids: list[str]) -> set[str]:
        rows = self._db.read("list_visible_records", record_ids=ids)
        return {str(r["record_id"]) for r in rows}

    def visible(self, needed: Iterable[str]) -> set[str]:
        """Which of ``needed`` the caller may see: the answers already asked for, and one read
        for the ids none of them covered (errors of any of those reads are raised here)."""
        wanted = set(needed)
        with self._lock:
            asked = list(self._asked)
        checked: set[str] = set()
        seen: set[str] = set()
        for ids, pending in asked:
            checked |= ids
            seen |= pending.results()[0]
        missing = sorted(wanted - checked)
        if missing:
            seen |= self._visible(missing)
        return seen & wanted
