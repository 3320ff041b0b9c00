"""The evidence an explanation cites, read from the graph as of a date (``explain/*``).

The risk engine computes a firm's features from the snapshot; these reads return the records,
firms and paths behind them for the words of an explanation.
"""

from __future__ import annotations

from typing import Any

from riskgraph.graph.store import Store


def company_records(store: Store, uscc: str, as_of: str) -> list[dict[str, Any]]:
    """The firm's own credit records in force or issued by ``as_of`` (every kind)."""
    return store.read("explain/list_company_records", uscc=uscc, as_of=as_of, kinds=[])


def key_personnel_records(store: Store, uscc: str, as_of: str) -> list[dict[str, Any]]:
    """Credit records of the firm's key persons as of ``as_of``."""
    return store.read("explain/list_key_personnel_records", uscc=uscc, as_of=as_of)


def records_by_id(store: Store, record_ids: list[str]) -> list[dict[str, Any]]:
    return store.read("explain/list_records_by_id", record_ids=record_ids)


def cobidder_records(store: Store, **params: Any) -> list[dict[str, Any]]:
    """Firms that bid with ``uscc`` (params: uscc, as_of, limit)."""
    return store.read("explain/list_cobidder_records", **params)


def address_sharers(store: Store, **params: Any) -> list[dict[str, Any]]:
    """Firms sharing an address or contact with ``uscc`` (params: uscc, as_of, limit)."""
    return store.read("explain/list_address_sharers", **params)


def phoenix_paths(store: Store, **params: Any) -> list[dict[str, Any]]:
    """Blacklisted, dissolved firms ``uscc``'s people served (params: uscc, as_of, limit)."""
    return store.read("explain/list_phoenix_paths", **params)
