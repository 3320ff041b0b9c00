"""Procurement as the screens read it: tenders, bids and their firms, links between bidders,
blacklisted parties (``screens/*``, ``api/list_visible_blacklisted_firms``).

Rows come back as the statements return them; models/screens builds its tenders, links and
releases from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from riskgraph.graph.store import Store


def cartel_bids(store: Store, min_bids: int) -> list[dict[str, Any]]:
    """Every bid of a tender with at least ``min_bids`` bids, with its firms."""
    return store.read("screens/cartel_list_bids", min_bids=min_bids)


def linked_pairs(store: Store, pairs: list[list[str]], hops: int, family: bool,
                 records: Mapping[str, list[str]] | None = None) -> list[dict[str, Any]]:
    """The pairs linked within ``hops`` relationships (through family ties when ``family``),
    people read through the entity resolution when the graph holds active SAME_AS links (the
    ``_resolved`` forms: a deeper search, so a graph without resolution keeps the plain one);
    the path of a pair ``[a, b]`` may start at any of ``records[a]`` (a firm's keys: itself and
    its copies, graph/firm_links.py; ``[a]`` when not given) and end at any of ``records[b]``."""
    resolved = bool(store.read("resolution/count_active_links")[0]["links"])
    name = ("screens/cartel_linked_pairs" + ("" if family else "_no_family")
            + ("_resolved" if resolved else ""))
    keys = records or {}
    rows = [{"a": a, "b": b, "a_keys": keys.get(a, [a]), "b_keys": keys.get(b, [b])}
            for a, b in pairs]
    return store.read(name, pairs=rows, hops=hops)


def blacklisted_bidders(store: Store, kinds: list[str]) -> list[dict[str, Any]]:
    """Consortium members of a bid with a blacklisting of ``kinds``."""
    return store.read("screens/cartel_blacklisted_bidders", kinds=kinds)


def blacklisted_firms(store: Store, kinds: list[str]) -> list[dict[str, Any]]:
    """Firms ever blacklisted with one of ``kinds``."""
    return store.read("screens/cartel_list_blacklisted_firms", kinds=kinds)


def visible_blacklisted_firms(store: Store, usccs: list[str], kinds: list[str],
                              disclosures: list[str], agencies: list[str]
                              ) -> list[dict[str, Any]]:
    """Firms among ``usccs`` with a blacklisting a reader of ``disclosures`` may see."""
    return store.read("api/list_visible_blacklisted_firms", usccs=usccs, kinds=kinds,
                      disclosures=disclosures, agencies=agencies)


def redflag_tenders(store: Store, tender_id: str | None) -> list[dict[str, Any]]:
    return store.read("screens/redflag_list_tenders", tender_id=tender_id)


def redflag_bids(store: Store, tender_id: str | None) -> list[dict[str, Any]]:
    return store.read("screens/redflag_list_bids", tender_id=tender_id)


def redflag_bidder_contacts(store: Store, tender_id: str | None) -> list[dict[str, Any]]:
    return store.read("screens/redflag_list_bidder_contacts", tender_id=tender_id)
