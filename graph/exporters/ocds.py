"""A world's procurement → OCDS 1.1 compiled releases, one JSON object per line.

One release per tender (``ocid`` = ``ocds-rgraph-<tender_id>``): parties (the buyer and every
bidding firm, identified by scheme ``CN-USCC``), the tender (value, tender period, method,
category, number of tenderers), the bids extension's ``bids.details`` (value, date, status,
tenderers — a consortium lists all members, lead first) and one award per winning bid
(``relatedBid``, suppliers, value). Tools built for OCDS (e.g. Cardinal) can run on it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow as pa

from graph.schema import BidRole, BidStatus, Label, Rel
from graph.world_io import World

OCID_PREFIX = "ocds-rgraph-"
_STATUS = {BidStatus.WON.value: "valid", BidStatus.LOST.value: "valid",
           BidStatus.DISQUALIFIED.value: "disqualified"}


def _rows(table: pa.Table | None) -> list[dict[str, Any]]:
    return table.to_pylist() if table is not None else []


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text + ("T00:00:00Z" if len(text) == 10 else "" if text.endswith("Z") else "Z")


def export_ocds(world: World, out: Path) -> int:
    """Write one compiled release per tender to ``out`` (JSON lines); return how many."""
    names = {r["uscc"]: r["name"] for r in _rows(world.nodes.get(Label.COMPANY))}
    bids_by_tender: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for bid in _rows(world.nodes.get(Label.BID)):
        bids_by_tender[bid["tender_id"]].append(bid)
    members: dict[str, list[tuple[int, str]]] = defaultdict(list)
    order = {BidRole.LEAD.value: 0, BidRole.SOLE.value: 0, BidRole.MEMBER.value: 1}
    for sub in _rows(world.rels.get(Rel.SUBMITTED)):
        members[sub["dst"]].append((order.get(sub["role"], 1), sub["src"]))
    count = 0
    with out.open("w", encoding="utf-8") as fh:
        for tender in _rows(world.nodes.get(Label.TENDER)):
            release = _release(tender, bids_by_tender[tender["tender_id"]], members, names)
            fh.write(json.dumps(release, ensure_ascii=False) + "\n")
            count += 1
    return count


def _release(tender: dict[str, Any], bids: list[dict[str, Any]],
             members: dict[str, list[tuple[int, str]]], names: dict[str, str]) -> dict[str, Any]:
    ocid = f"{OCID_PREFIX}{tender['tender_id']}"
    buyer_id = f"buyer-{tender['buyer']}"
    parties: dict[str, dict[str, Any]] = {buyer_id: {
        "id": buyer_id, "name": tender["buyer"], "roles": ["buyer"],
        "address": {"region": tender["region_code"]}}}
    details, awards = [], []
    for bid in sorted(bids, key=lambda b: b["bid_id"]):
        firms = [uscc for _, uscc in sorted(members.get(bid["bid_id"], []))]
        for uscc in firms:
            party = parties.setdefault(uscc, {
                "id": uscc, "name": names.get(uscc, uscc), "roles": [],
                "identifier": {"scheme": "CN-USCC", "id": uscc}})
            for role in ("tenderer", *(["supplier"] if bid["status"] == "won" else [])):
                if role not in party["roles"]:
                    party["roles"].append(role)
        value = {"amount": bid["amount"], "currency": "CNY"}
        details.append({"id": bid["bid_id"], "date": _iso(bid["submitted_at"]), "value": value,
                        "status": _STATUS.get(bid["status"], "valid"),
                        "tenderers": [{"id": u, "name": names.get(u, u)} for u in firms]})
        if bid["status"] == BidStatus.WON.value:
            awards.append({"id": f"award-{bid['bid_id']}", "status": "active",
                           "relatedBid": bid["bid_id"], "value": value,
                           "suppliers": [{"id": u, "name": names.get(u, u)} for u in firms]})
    tender_obj: dict[str, Any] = {
        "id": tender["tender_id"], "title": tender.get("title"), "status": "complete",
        "procurementMethod": tender["procedure"],
        "mainProcurementCategory": tender["category"],
        "tenderPeriod": {"startDate": _iso(tender["published_on"]),
                         "endDate": _iso(tender["deadline"])},
        "numberOfTenderers": len({u for b in bids for _, u in members.get(b["bid_id"], [])}),
    }
    if tender.get("estimated_value") is not None:
        tender_obj["value"] = {"amount": tender["estimated_value"], "currency": "CNY"}
    return {
        "ocid": ocid, "id": f"{ocid}-compiled", "date": _iso(tender["published_on"]),
        "tag": ["compiled"], "initiationType": "tender",
        "buyer": {"id": buyer_id, "name": tender["buyer"]},
        "parties": list(parties.values()), "tender": tender_obj,
        "bids": {"details": details}, "awards": awards,
    }
