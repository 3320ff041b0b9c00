"""The evidence an explanation cites, read from the graph as of a date (``explain/*``).

The risk engine computes a firm's features from the snapshot; these reads return the records,
firms and paths behind them for the words of an explanation. The snapshot reads firms through
the firm links (graph/firm_links.py), so these reads take the explained firm's keys (``firms``:
its registry key and its copies, graph/store/firm_groups.py) and return, for every other firm
they reach, its entity's members, which the caller maps to the firm it counts as.
"""

from __future__ import annotations

from typing import Any

from riskgraph.graph.store import Store


def company_records(store: Store, firms: list[str], as_of: str) -> list[dict[str, Any]]:
    """The firm's own credit records (under any of its keys ``firms``) in force or issued by
    ``as_of`` (every kind)."""
    return store.read("explain/list_company_records", firms=firms, as_of=as_of, kinds=[])


def key_personnel_records(store: Store, firms: list[str], as_of: str) -> list[dict[str, Any]]:
    """Credit records of the firm's key persons (in any of its keys ``firms``) as of
    ``as_of``."""
    return store.read("explain/list_key_personnel_records", firms=firms, as_of=as_of)


def records_by_id(store: Store, record_ids: list[str]) -> list[dict[str, Any]]:
    return store.read("explain/list_records_by_id", record_ids=record_ids)


def cobidder_records(store: Store, **params: Any) -> list[dict[str, Any]]:
    """Keys that bid with the firm, with their tenders and entity members (params: firms,
    as_of)."""
    return store.read("explain/list_cobidder_records", **params)


def address_sharers(store: Store, **params: Any) -> list[dict[str, Any]]:
    """Keys sharing an address or contact with the firm, with their entity members (params:
    firms, as_of)."""
    return store.read("explain/list_address_sharers", **params)


def phoenix_paths(store: Store, **params: Any) -> list[dict[str, Any]]:
    """Candidate blacklisted, dissolved firms the firm's people served, each key with its
    entity members (params: firms, as_of)."""
    return store.read("explain/list_phoenix_paths", **params)
