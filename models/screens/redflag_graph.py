"""The graph's procurement as OCDS compiled releases, for the red-flag screens.

Reads tenders, bids (with their firms) and the bidders' current addresses and contact points
from Neo4j (``cypher/screens/redflag_list_*.cypher``) and builds exactly the releases that
``riskgraph export ocds`` writes for the same world (:func:`graph.exporters.ocds.build_release`),
so one implementation of the indicators serves both sources.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from riskgraph.graph.driver import read
from riskgraph.graph.errors import NotFound
from riskgraph.graph.exporters.ocds import build_release, contact_fields
from riskgraph.models.screens.redflag_ocds import Release

if TYPE_CHECKING:
    from neo4j import Driver

_ORDER = {"lead": 0, "sole": 0, "member": 1}


def graph_releases(driver: Driver, database: str | None = None,
                   tender_id: str | None = None) -> list[Release]:
    """One compiled release per tender (only ``tender_id``'s when given)."""
    tenders = read(driver, "screens/redflag_list_tenders", database, tender_id=tender_id)
    if tender_id is not None and not tenders:
        raise NotFound(f"no tender with tender_id {tender_id!r} in the graph")
    bids_by_tender: dict[str, list[dict[str, Any]]] = defaultdict(list)
    members: dict[str, list[tuple[int, str]]] = defaultdict(list)
    names: dict[str, str] = {}
    for row in read(driver, "screens/redflag_list_bids", database, tender_id=tender_id):
        bids_by_tender[row["tender_id"]].append({
            "bid_id": row["bid_id"], "tender_id": row["tender_id"], "amount": row["amount"],
            "status": row["status"], "submitted_at": row["submitted_at"],
            "currency": row["currency"]})
        for firm in row["firms"]:
            members[row["bid_id"]].append((_ORDER.get(str(firm["role"]), 1), firm["uscc"]))
            names[firm["uscc"]] = firm["name"] or firm["uscc"]
    extras = {row["uscc"]: contact_fields(row["addresses"], row["contacts"])
              for row in read(driver, "screens/redflag_list_bidder_contacts", database,
                              tender_id=tender_id)}
    return [build_release(t, bids_by_tender[t["tender_id"]], members, names, extras)
            for t in tenders]
