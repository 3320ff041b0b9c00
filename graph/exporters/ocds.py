"""A world's procurement → OCDS 1.1 compiled releases, one JSON object per line.

One release per tender (``ocid`` = the tender_id when it came from OCDS — ``source`` ``ocds`` or
an ``ocds-xxxxxx-`` prefix — else ``ocds-rgraph-<tender_id>``; a bid imported as
``<ocid>/<bid id>`` gets its bid id back): parties (the buyer and every bidding firm; a firm's
identifier from its key: ``CN-USCC``, ``XI-LEI``, the namespace upper-cased, none for
``ocds-party:<ocid>/<party id>`` whose party id comes back), the tender (value, tender
period, method, category, number of tenderers; absent values left out), the bids extension's
``bids.details`` (value, date, status, tenderers — a consortium lists all members, lead
first) and one award per winning bid (``relatedBid``, suppliers, value, one item classified by
the tender's category). Firms carry
their current address and contact points (``contactPoint``, ``additionalContactPoints``); the
tender period ends at the end of the deadline day. Tools built for OCDS (e.g. Cardinal) can run
on it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow as pa

from riskgraph.graph.schema import BidRole, BidStatus, Label, Rel
from riskgraph.graph.world_io import World

OCID_PREFIX = "ocds-rgraph-"
_OCID = re.compile(r"^ocds-[a-z0-9]{6}-", re.IGNORECASE)


def ocid_of(tender: dict[str, Any]) -> str:
    """The tender's ocid: its own id when it came from OCDS, else ``ocds-rgraph-<id>``."""
    tender_id = str(tender["tender_id"])
    if tender.get("source") == "ocds" or _OCID.match(tender_id):
        return tender_id
    return f"{OCID_PREFIX}{tender_id}"


def _party(key: str) -> tuple[str, dict[str, Any]]:
    """(party id, identifier fields) of a firm key."""
    scheme, _, local = key.partition(":")
    if not local:
        return key, {"identifier": {"scheme": "CN-USCC", "id": key}}
    if scheme == "ocds-party":
        return local.split("/", 1)[-1], {}
    code = "XI-LEI" if scheme == "lei" else scheme.upper()
    return key, {"identifier": {"scheme": code, "id": local}}
_STATUS = {BidStatus.WON.value: "valid", BidStatus.LOST.value: "valid",
           BidStatus.DISQUALIFIED.value: "disqualified"}


def _rows(table: pa.Table | None) -> list[dict[str, Any]]:
    return table.to_pylist() if table is not None else []


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text + ("T00:00:00Z" if len(text) == 10 else "" if text.endswith("Z") else "Z")


def _end_of_day(value: Any) -> str | None:
    """A deadline date → the last second of that day (bids that day are on time)."""
    text = _iso(value)
    return None if text is None else text.replace("T00:00:00Z", "T23:59:59Z")


def contact_fields(addresses: list[dict[str, Any]],
                   contacts: list[dict[str, Any]]) -> dict[str, Any]:
    """OCDS party fields: the first address ({text, region}); contact points ({kind, value}):
    the first phone and e-mail in ``contactPoint``, any others in ``additionalContactPoints``."""
    out: dict[str, Any] = {}
    if addresses:
        first = addresses[0]
        out["address"] = {"streetAddress": first["text"],
                          **({"region": first["region"]} if first.get("region") else {})}
    phones = sorted(str(c["value"]) for c in contacts if c.get("kind") == "phone")
    emails = sorted(str(c["value"]) for c in contacts if c.get("kind") == "email")
    main = {**({"telephone": phones[0]} if phones else {}),
            **({"email": emails[0]} if emails else {})}
    if main:
        out["contactPoint"] = main
    more = [{"telephone": p} for p in phones[1:]] + [{"email": e} for e in emails[1:]]
    if more:
        out["additionalContactPoints"] = more
    return out


def _party_contacts(world: World) -> dict[str, dict[str, Any]]:
    """Each firm's current (no ``until``) address and contact points as OCDS party fields."""
    addr = {r["address_id"]: r for r in _rows(world.nodes.get(Label.ADDRESS))}
    point = {r["contact_id"]: r for r in _rows(world.nodes.get(Label.CONTACT_POINT))}
    addresses: dict[str, list[dict[str, Any]]] = defaultdict(list)
    contacts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in sorted(_rows(world.rels.get(Rel.REGISTERED_AT)),
                    key=lambda r: str(r.get("since") or ""), reverse=True):
        if r.get("until") is None and r["dst"] in addr:
            a = addr[r["dst"]]
            addresses[r["src"]].append({"text": a["text"], "region": a.get("region_code")})
    for r in _rows(world.rels.get(Rel.HAS_CONTACT)):
        if r.get("until") is None and r["dst"] in point:
            contacts[r["src"]].append(point[r["dst"]])
    return {uscc: contact_fields(addresses.get(uscc, []), contacts.get(uscc, []))
            for uscc in set(addresses) | set(contacts)}


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
    extras = _party_contacts(world)
    count = 0
    with out.open("w", encoding="utf-8") as fh:
        for tender in _rows(world.nodes.get(Label.TENDER)):
            release = build_release(tender, bids_by_tender[tender["tender_id"]], members, names,
                                    extras)
            fh.write(json.dumps(release, ensure_ascii=False) + "\n")
            count += 1
    return count


def build_release(tender: dict[str, Any], bids: list[dict[str, Any]],
                  members: dict[str, list[tuple[int, str]]], names: dict[str, str],
                  extras: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """One compiled release; ``extras`` adds OCDS party fields (address, contacts) per firm."""
    ocid = ocid_of(tender)
    parties: dict[str, dict[str, Any]] = {}
    buyer_id = f"buyer-{tender['buyer']}" if tender.get("buyer") is not None else None
    if buyer_id is not None:
        parties[buyer_id] = {"id": buyer_id, "name": tender["buyer"], "roles": ["buyer"],
                             "address": {"region": tender["region_code"]}}
    details, awards = [], []
    prefix = f"{tender['tender_id']}/"

    def own(bid_id: str) -> str:
        return bid_id[len(prefix):] if bid_id.startswith(prefix) else bid_id

    def ref(key: str) -> dict[str, Any]:
        return {"id": _party(key)[0], "name": names.get(key, key)}

    for bid in sorted(bids, key=lambda b: b["bid_id"]):
        firms = [uscc for _, uscc in sorted(members.get(bid["bid_id"], []))]
        for uscc in firms:
            party_id, identifier = _party(uscc)
            party = parties.setdefault(party_id, {
                "id": party_id, "name": names.get(uscc, uscc), "roles": [], **identifier,
                **(extras or {}).get(uscc, {})})
            for role in ("tenderer", *(["supplier"] if bid["status"] == "won" else [])):
                if role not in party["roles"]:
                    party["roles"].append(role)
        value = (_value(bid["amount"], bid.get("currency") or tender.get("currency"))
                 if bid.get("amount") is not None else None)
        detail: dict[str, Any] = {"id": own(bid["bid_id"]), "date": _iso(bid.get("submitted_at")),
                                  "value": value, "status": _STATUS.get(bid["status"], "valid"),
                                  "tenderers": [ref(u) for u in firms]}
        details.append({k: v for k, v in detail.items() if v is not None})
        if bid["status"] == BidStatus.WON.value:
            award: dict[str, Any] = {
                "id": f"award-{own(bid['bid_id'])}", "status": "active",
                "relatedBid": own(bid["bid_id"]), "value": value,
                "suppliers": [ref(u) for u in firms]}
            if tender.get("category") is not None:
                award["items"] = [{"id": "1", "classification": {
                    "scheme": "X-RISKGRAPH-CATEGORY", "id": tender["category"]}}]
            awards.append({k: v for k, v in award.items() if v is not None})
    period = {"startDate": _iso(tender["published_on"]),
              "endDate": _end_of_day(tender.get("deadline"))}
    stated = tender.get("number_of_tenderers")
    tender_obj: dict[str, Any] = {
        "id": tender["tender_id"], "title": tender.get("title"), "status": "complete",
        "procurementMethod": tender.get("procedure"),
        "mainProcurementCategory": tender.get("category"),
        "tenderPeriod": {k: v for k, v in period.items() if v is not None},
        "numberOfTenderers": int(stated) if stated is not None else len(
            {u for b in bids for _, u in members.get(b["bid_id"], [])}),
    }
    tender_obj = {k: v for k, v in tender_obj.items() if v is not None}
    currency = tender.get("currency")
    top = tender.get("estimated_value")
    if top is None:
        top = tender.get("reserve_price")
    if top is not None:
        tender_obj["value"] = _value(top, currency)
    if tender.get("floor_price") is not None:
        tender_obj["minValue"] = _value(tender["floor_price"], currency)
    release: dict[str, Any] = {
        "ocid": ocid, "id": f"{ocid}-compiled", "date": _iso(tender["published_on"]),
        "tag": ["compiled"], "initiationType": "tender",
        "parties": list(parties.values()), "tender": tender_obj,
        "bids": {"details": details}, "awards": awards,
    }
    if buyer_id:
        release["buyer"] = {"id": buyer_id, "name": tender["buyer"]}
    return release


def _value(amount: Any, currency: Any) -> dict[str, Any]:
    """An OCDS Value: the amount, and its currency only when the data states one."""
    return {"amount": amount, **({"currency": str(currency)} if currency else {})}
