"""Supply chains and bars as the exposure report and the bid screen read them
(``exposure/*``): firms, supply hops, listings, listed key persons, shared people, the latest
assessments, tenders and bids.

Firms are read through the entity resolution (graph/firm_links.py): the supplies, records and
roles of every key of a firm asked for (its copies: a second source's ``Company`` linked
``SAME_AS`` its registry firm) count for it, each row under the key asked for (``recorded_as``:
the key the row was found under); a firm reached is named by its canonical key; and a firm is
never exposed to its own copy (no supply, shared person or link between two keys of one firm).
"""

from __future__ import annotations

from typing import Any

from riskgraph.graph.firm_links import firm_keys
from riskgraph.graph.store import Store


def list_companies(store: Store, usccs: list[str]) -> list[dict[str, Any]]:
    return store.read("exposure/list_companies", usccs=usccs)


def supply_hop(store: Store, usccs: list[str], as_of: str, downstream: bool
               ) -> list[dict[str, Any]]:
    """One tier of the supply network from ``usccs``: suppliers (customers when
    ``downstream``) under supplies in force at ``as_of``, summed per firm reached (named by its
    canonical key); supplies between two keys of one firm are left out."""
    hop = "exposure/list_customer_hop" if downstream else "exposure/list_supplier_hop"
    near_keys = firm_keys(store, usccs)
    owners = near_keys.owners(usccs)
    rows = store.read(hop, usccs=sorted(owners), as_of=as_of)
    far_keys = firm_keys(store, [r["far"] for r in rows])
    value: dict[tuple[str, str], float] = {}
    named: dict[str, dict[str, Any]] = {}
    for r in rows:
        record, far = str(r["near"]), str(r["far"])
        firm = far_keys.of(far)
        if firm == far:
            named[far] = {"name": r["far_name"], "status": r["far_status"]}
        if near_keys.same_firm(record, far) or far_keys.same_firm(record, far):
            continue  # a firm's supply to its own copy
        for near in owners.get(record, []):
            if near != firm:
                value[near, firm] = value.get((near, firm), 0.0) + float(r["value"] or 0.0)
    missing = sorted({f for _, f in value} - set(named))
    named.update({str(c["uscc"]): c for c in list_companies(store, missing)})
    return [{"near": near, "far": far, "far_name": named.get(far, {}).get("name"),
             "far_status": named.get(far, {}).get("status"), "value": v}
            for (near, far), v in sorted(value.items())]


def _under_owners(rows: list[dict[str, Any]], owners: dict[str, list[str]],
                  key: tuple[str, ...]) -> list[dict[str, Any]]:
    """``rows`` (found under any key of the firms asked for) under the firm asked for, with
    ``recorded_as``; one row per ``key`` fields."""
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        record = str(row["uscc"])
        for firm in owners.get(record, []):
            moved = {**row, "uscc": firm, "recorded_as": record}
            out.setdefault(tuple(moved[k] for k in key), moved)
    return list(out.values())


def _by_latest(rows: list[dict[str, Any]], *first: str) -> list[dict[str, Any]]:
    """Sorted by ``first`` fields, then the latest issue first, then record id."""
    rows = sorted(rows, key=lambda r: str(r["record_id"]))
    rows.sort(key=lambda r: str(r["issued_on"]), reverse=True)
    return sorted(rows, key=lambda r: tuple(str(r[f]) for f in first))


def company_listings(store: Store, usccs: list[str], kinds: list[str], as_of: str
                     ) -> list[dict[str, Any]]:
    """List inclusions in force at ``as_of`` of these firms, a copy's counting for its firm."""
    owners = firm_keys(store, usccs).owners(usccs)
    rows = store.read("exposure/list_company_listings", usccs=sorted(owners), kinds=kinds,
                      as_of=as_of)
    return _by_latest(_under_owners(rows, owners, ("uscc", "record_id")), "uscc")


def listed_key_persons(store: Store, usccs: list[str], roles: list[str], kinds: list[str],
                       as_of: str) -> list[dict[str, Any]]:
    """Key persons of these firms (a role at a copy is a role at the firm) on a person list."""
    owners = firm_keys(store, usccs).owners(usccs)
    rows = store.read("exposure/list_listed_key_persons", usccs=sorted(owners), roles=roles,
                      kinds=kinds, as_of=as_of)
    return _by_latest(_under_owners(rows, owners, ("uscc", "person_id", "role", "record_id")),
                      "uscc", "person_id")


def shared_people(store: Store, usccs: list[str], roles: list[str], kinds: list[str],
                  as_of: str) -> list[dict[str, Any]]:
    """People of these firms (a role at a copy is a role at the firm) also in role at another
    firm with a listing (a listing on any key of that firm counts); the other firm is named by
    its canonical key and is never the firm itself."""
    owners = firm_keys(store, usccs).owners(usccs)
    rows = store.read("exposure/list_shared_people", usccs=sorted(owners), roles=roles,
                      kinds=kinds, as_of=as_of)
    keys = firm_keys(store, [str(r[k]) for r in rows
                             for k in ("uscc", "other_uscc", "holder_uscc")])
    out: dict[tuple[str, ...], dict[str, Any]] = {}
    for r in rows:
        record, other = str(r["uscc"]), str(r["other_uscc"])
        there = keys.of(other)
        if keys.of(str(r["holder_uscc"])) != there or keys.same_firm(record, other):
            continue  # a record of another firm of the entity; a key of the firm itself
        for firm in owners.get(record, []):
            row = {**r, "uscc": firm, "recorded_as": record, "other_uscc": there}
            out.setdefault((firm, str(r["person_id"]), str(r["role"]), there,
                            str(r["record_id"])), row)
    renamed = sorted({t for r in rows if (t := keys.of(str(r["other_uscc"]))) != r["other_uscc"]})
    names = {str(c["uscc"]): c["name"] for c in list_companies(store, renamed)}
    for row in out.values():
        row["other_name"] = names.get(row["other_uscc"], row["other_name"])
    return sorted(out.values(), key=lambda r: (r["uscc"], r["person_id"], r["other_uscc"],
                                               r["record_id"]))


def latest_assessments(store: Store, usccs: list[str]) -> list[dict[str, Any]]:
    return store.read("exposure/list_latest_assessments", usccs=usccs)


def get_tender(store: Store, tender_id: str) -> dict[str, Any] | None:
    rows = store.read("exposure/get_tender", tender_id=tender_id)
    return rows[0] if rows else None


def bid_parties(store: Store, bid_id: str) -> dict[str, Any] | None:
    """The bid's tender, members and listed suppliers; None when unknown."""
    rows = store.read("exposure/list_bid_parties", bid_id=bid_id)
    return rows[0] if rows else None
