"""Supply chains and bars as the exposure report and the bid screen read them
(``exposure/*``): firms, supply hops, listings, listed key persons, shared people, the latest
assessments, tenders and bids.
"""

from __future__ import annotations

from typing import Any

from riskgraph.graph.store import Store


def list_companies(store: Store, usccs: list[str]) -> list[dict[str, Any]]:
    return store.read("exposure/list_companies", usccs=usccs)


def supply_hop(store: Store, usccs: list[str], as_of: str, downstream: bool
               ) -> list[dict[str, Any]]:
    """One tier of the supply network from ``usccs``: suppliers (customers when
    ``downstream``) under supplies in force at ``as_of``."""
    hop = "exposure/list_customer_hop" if downstream else "exposure/list_supplier_hop"
    return store.read(hop, usccs=usccs, as_of=as_of)


def company_listings(store: Store, usccs: list[str], kinds: list[str], as_of: str
                     ) -> list[dict[str, Any]]:
    return store.read("exposure/list_company_listings", usccs=usccs, kinds=kinds, as_of=as_of)


def listed_key_persons(store: Store, usccs: list[str], roles: list[str], kinds: list[str],
                       as_of: str) -> list[dict[str, Any]]:
    return store.read("exposure/list_listed_key_persons", usccs=usccs, roles=roles,
                      kinds=kinds, as_of=as_of)


def shared_people(store: Store, usccs: list[str], roles: list[str], kinds: list[str],
                  as_of: str) -> list[dict[str, Any]]:
    return store.read("exposure/list_shared_people", usccs=usccs, roles=roles, kinds=kinds,
                      as_of=as_of)


def latest_assessments(store: Store, usccs: list[str]) -> list[dict[str, Any]]:
    return store.read("exposure/list_latest_assessments", usccs=usccs)


def get_tender(store: Store, tender_id: str) -> dict[str, Any] | None:
    rows = store.read("exposure/get_tender", tender_id=tender_id)
    return rows[0] if rows else None


def bid_parties(store: Store, bid_id: str) -> dict[str, Any] | None:
    """The bid's tender, members and listed suppliers; None when unknown."""
    rows = store.read("exposure/list_bid_parties", bid_id=bid_id)
    return rows[0] if rows else None
