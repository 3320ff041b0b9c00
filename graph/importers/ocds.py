"""OCDS 1.1 → our model: release packages, record packages and line-delimited releases.

Inputs: a release package (``releases[]``; several releases of one ``ocid`` are merged in date
order, later values winning, as OCDS compiles them), a record package (each record's
``compiledRelease``; a record without one is rejected — linked releases are not fetched), or
JSON lines (``.jsonl`` / ``.ndjson``) holding one release, compiled release or package per line.

Mapping (docs/importers.md has the full table):

- ``tender`` → ``:Tender`` keyed by ``ocid``: ``title``, the buyer's name, ``value.amount`` →
  estimated_value, ``tenderPeriod.startDate`` (else the release ``date``) → published_on,
  ``tenderPeriod.endDate`` → deadline, ``procurementMethod`` → procedure,
  ``mainProcurementCategory`` → category. Region: the buyer's ``address.region`` when it is a
  six-digit GB/T 2260 code, else the region part of the buyer's USCC, else ``000000`` (unknown).
- parties that tender or supply → ``:Company`` keyed by USCC: identifiers whose scheme names the
  USCC (``CN-USCC``, ``CN-SCC``, ``USCC``…) first, then any other ``identifier`` /
  ``additionalIdentifiers`` id that passes the check character. Other identifiers (old SAIC
  registration numbers, organisation codes, tax numbers) are not keys: a party with no valid
  USCC is rejected, and so is every bid naming it. Status is ``active`` (OCDS has no registry
  status); the region comes from the USCC.
- bids extension ``bids.details[]`` → ``:Bid`` ``<ocid>/<bid id>``: status ``valid`` /
  ``pending`` → ``won`` when an award decides for it, else ``lost``; ``disqualified`` (and the
  non-standard ``invalid``) → ``disqualified``; ``withdrawn`` → ``lost`` (it was submitted);
  ``invited`` is no bid and is rejected; other codes are rejected. An award decides for a bid
  through ``relatedBid``, or when its suppliers are exactly the tenderers of one competing bid.
  Only awards that are ``active`` (or carry no status), or that an active / terminated
  ``contracts[].awardID`` names, decide. ``tenderers[]`` → ``SUBMITTED``: one tenderer is
  ``sole``; a consortium's first tenderer is ``lead`` and the others ``member``.
- awards of a release without bids → one winning bid per award, for its suppliers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from graph.importers.common import (
    ImportResult,
    TableBuilder,
    iso_date,
    iso_datetime,
    json_lines,
    uscc_from_identifiers,
)
from graph.schema import BidRole, BidStatus, Label, Rel

SOURCE = "ocds"
UNKNOWN_REGION = "000000"
"""Region of a tender whose buyer gives neither a GB/T 2260 region nor a USCC."""

_COMPETING = {"valid", "pending", None}
_DISQUALIFIED = {"disqualified", "invalid"}
_BID_STATUSES = _COMPETING | _DISQUALIFIED | {"withdrawn"}
_DECIDING_CONTRACTS = {"active", "terminated"}

Located = tuple[str, dict[str, Any]]
"""(position in the input — ``file:line`` or a JSON path, the release)."""


def read_releases(path: Path) -> tuple[list[Located], list[tuple[str, str, str]]]:
    """(position, compiled release) pairs from any OCDS input, and the parts that are unusable."""
    found: list[Located] = []
    rejects: list[tuple[str, str, str]] = []
    if path.suffix in (".jsonl", ".ndjson"):
        for number, obj, error in json_lines(path):
            where = f"{path.name}:{number}"
            if error or not isinstance(obj, dict):
                rejects.append((where, "", error or "a line must hold one JSON object"))
            elif "releases" in obj or "records" in obj:
                found.extend(_from_package(obj, where, rejects))
            else:
                found.append((where, obj))
        return compile_releases(found), rejects
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        return [], [(path.name, "", f"malformed JSON: {exc.msg} at line {exc.lineno} "
                                    f"column {exc.colno}")]
    if not isinstance(data, dict) or not ("releases" in data or "records" in data):
        return [], [(path.name, "", "not an OCDS release or record package")]
    return compile_releases(_from_package(data, path.name, rejects)), rejects


def _from_package(data: dict[str, Any], where: str,
                  rejects: list[tuple[str, str, str]]) -> list[Located]:
    out: list[Located] = []
    if "records" in data:
        for i, record in enumerate(data.get("records") or []):
            compiled = record.get("compiledRelease") if isinstance(record, dict) else None
            if isinstance(compiled, dict):
                out.append((f"{where}/records/{i}/compiledRelease", compiled))
            else:
                ocid = str(record.get("ocid", "")) if isinstance(record, dict) else ""
                rejects.append((f"{where}/records/{i}", ocid, "record has no compiledRelease "
                                "(linked releases are not fetched)"))
        return out
    for i, release in enumerate(data.get("releases") or []):
        if isinstance(release, dict):
            out.append((f"{where}/releases/{i}", release))
        else:
            rejects.append((f"{where}/releases/{i}", "", "a release must be a JSON object"))
    return out


def compile_releases(releases: list[Located]) -> list[Located]:
    """Merge releases sharing an ``ocid`` in date order (OCDS merge: objects field by field,
    arrays of objects with ids by id, other values replaced). Single releases pass through."""
    by_ocid: dict[str, list[Located]] = {}
    order: list[str] = []
    loose: list[Located] = []
    for where, release in releases:
        ocid = release.get("ocid")
        if not isinstance(ocid, str) or not ocid:
            loose.append((where, release))
            continue
        if ocid not in by_ocid:
            order.append(ocid)
        by_ocid.setdefault(ocid, []).append((where, release))
    out: list[Located] = []
    for ocid in order:
        group = by_ocid[ocid]
        if len(group) == 1:
            out.append(group[0])
            continue
        group.sort(key=lambda item: str(item[1].get("date") or ""))
        merged: dict[str, Any] = {}
        for _, release in group:
            merged = _merge(merged, release)
        out.append((",".join(w for w, _ in group), merged))
    return out + loose


def _merge(base: Any, update: Any) -> Any:
    if isinstance(base, dict) and isinstance(update, dict):
        merged = dict(base)
        for key, value in update.items():
            merged[key] = _merge(base.get(key), value) if value is not None else None
        return {k: v for k, v in merged.items() if v is not None}
    if (isinstance(base, list) and isinstance(update, list)
            and all(isinstance(x, dict) and "id" in x for x in base + update)):
        items = {str(x["id"]): x for x in base}
        for x in update:
            items[str(x["id"])] = _merge(items.get(str(x["id"])), x)
        return list(items.values())
    return update


def import_ocds(path: Path) -> ImportResult:
    """Map an OCDS file to a World; unmappable releases, parties and bids are rejected."""
    releases, rejects = read_releases(path)
    builder = TableBuilder(SOURCE)
    result = ImportResult(builder.world(), rejects=rejects)
    for where, release in releases:
        result.counts["release"] += 1
        _map_release(builder, result, where, release)
    result.world = builder.world()
    return result


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def _referenced(release: dict[str, Any]) -> set[str]:
    """Ids of parties named as tenderers of a bid or suppliers of an award."""
    bids = _dicts((release.get("bids") or {}).get("details"))
    named = [t for bid in bids for t in _dicts(bid.get("tenderers"))]
    named += [s for award in _dicts(release.get("awards")) for s in _dicts(award.get("suppliers"))]
    return {str(x.get("id")) for x in named}


def _companies(release: dict[str, Any], builder: TableBuilder, result: ImportResult,
               where: str) -> dict[str, str]:
    """Party id → USCC for tenderers and suppliers; companies are added to the builder."""
    found: dict[str, str] = {}
    referenced = _referenced(release)
    for i, party in enumerate(_dicts(release.get("parties"))):
        party_id = str(party.get("id"))
        if not set(party.get("roles") or []) & {"tenderer", "supplier"} \
                and party_id not in referenced:
            continue
        identifiers = _dicts([party.get("identifier"), *(party.get("additionalIdentifiers")
                                                         or [])])
        uscc = uscc_from_identifiers(identifiers)
        if uscc is None:
            result.rejects.append((f"{where}/parties/{i}", party_id,
                                   "party has no valid USCC among identifier / "
                                   "additionalIdentifiers"))
            continue
        found[party_id] = uscc
        builder.node(Label.COMPANY, uscc, party_id, name=party.get("name"),
                     region_code=uscc[2:8], status="active")
    return found


def _buyer(release: dict[str, Any]) -> dict[str, Any]:
    buyer = release.get("buyer") if isinstance(release.get("buyer"), dict) else {}
    parties = _dicts(release.get("parties"))
    party = next((p for p in parties if buyer and p.get("id") == buyer.get("id")), None)
    party = party or next((p for p in parties if "buyer" in (p.get("roles") or [])), {})
    return {**party, **{k: v for k, v in (buyer or {}).items() if v}}


def _region(buyer: dict[str, Any]) -> str:
    address = buyer.get("address") if isinstance(buyer.get("address"), dict) else {}
    region = str((address or {}).get("region") or "")
    if len(region) == 6 and region.isdigit():
        return region
    uscc = uscc_from_identifiers(_dicts([buyer.get("identifier"),
                                         *(buyer.get("additionalIdentifiers") or [])]))
    return uscc[2:8] if uscc else UNKNOWN_REGION


def _map_release(builder: TableBuilder, result: ImportResult, where: str,
                 release: dict[str, Any]) -> None:
    tender = release.get("tender")
    ocid = release.get("ocid")
    if not isinstance(tender, dict) or not ocid:
        result.rejects.append((where, str(ocid or ""), "release has no ocid or no tender"))
        return
    ocid = str(ocid)
    usccs = _companies(release, builder, result, where)
    buyer = _buyer(release)
    method = tender.get("procurementMethod")
    period = tender.get("tenderPeriod") if isinstance(tender.get("tenderPeriod"), dict) else {}
    value = tender.get("value") if isinstance(tender.get("value"), dict) else {}
    builder.node(
        Label.TENDER, ocid, str(tender.get("id") or ocid),
        title=tender.get("title"), buyer=buyer.get("name"), region_code=_region(buyer),
        category=tender.get("mainProcurementCategory"),
        estimated_value=(value or {}).get("amount"),
        published_on=iso_date((period or {}).get("startDate") or release.get("date")),
        deadline=iso_date((period or {}).get("endDate")),
        procedure=method,  # validation names a method outside open/selective/limited/direct
    )
    awards = _deciding_awards(release)
    details = _dicts((release.get("bids") or {}).get("details"))
    if details:
        winners = _winning_bids(details, awards)
        for i, bid in enumerate(details):
            _map_bid(builder, result, f"{where}/bids/details/{i}", ocid, bid, usccs,
                     str(bid.get("id")) in winners)
        return
    for i, award in enumerate(awards):
        bid = {"id": f"award-{award.get('id', i)}", "tenderers": award.get("suppliers"),
               "value": award.get("value"), "status": "valid",
               "date": award.get("date") or (period or {}).get("endDate")}
        _map_bid(builder, result, f"{where}/awards/{i}", ocid, bid, usccs, True)


def _deciding_awards(release: dict[str, Any]) -> list[dict[str, Any]]:
    contracted = {str(c.get("awardID")) for c in _dicts(release.get("contracts"))
                  if c.get("status") in _DECIDING_CONTRACTS}
    return [a for a in _dicts(release.get("awards"))
            if a.get("status") in (None, "active") or str(a.get("id")) in contracted]


def _tenderer_ids(items: Iterable[Any]) -> list[str]:
    return [str(t.get("id")) for t in items if isinstance(t, dict)]


def _winning_bids(details: list[dict[str, Any]], awards: list[dict[str, Any]]) -> set[str]:
    """Ids of the bids the awards decide for (``relatedBid``, else the one competing bid whose
    tenderers are exactly the award's suppliers)."""
    won = {str(a["relatedBid"]) for a in awards if a.get("relatedBid")}
    competing = [b for b in details if b.get("status") in _COMPETING]
    for award in awards:
        if award.get("relatedBid"):
            continue
        suppliers = frozenset(_tenderer_ids(award.get("suppliers") or []))
        matches = [b for b in competing
                   if frozenset(_tenderer_ids(b.get("tenderers") or [])) == suppliers]
        if len(matches) == 1:
            won.add(str(matches[0].get("id")))
    return won


def _map_bid(builder: TableBuilder, result: ImportResult, where: str, ocid: str,
             bid: dict[str, Any], usccs: dict[str, str], awarded: bool) -> None:
    bid_id = f"{ocid}/{bid.get('id')}"
    code = bid.get("status")
    result.counts[f"bid status {code}"] += 1
    if code == "invited":
        result.rejects.append((where, bid_id, "status 'invited': no bid was submitted"))
        return
    if code not in _BID_STATUSES:
        result.rejects.append((where, bid_id, f"status {code!r} is not in the bidStatus "
                               "codelist (invited, pending, valid, disqualified, withdrawn)"))
        return
    tenderers = _tenderer_ids(bid.get("tenderers") or [])
    unknown = [t for t in tenderers if t not in usccs]
    if not tenderers or unknown:
        result.rejects.append((where, bid_id, "bid names no tenderer" if not tenderers else
                               f"tenderer(s) {', '.join(unknown)} have no valid USCC"))
        return
    if code in _DISQUALIFIED:
        status = BidStatus.DISQUALIFIED
    elif awarded and code != "withdrawn":
        status = BidStatus.WON
    else:
        status = BidStatus.LOST
    value = bid.get("value") if isinstance(bid.get("value"), dict) else {}
    builder.node(Label.BID, bid_id, str(bid.get("id")), tender_id=ocid,
                 amount=(value or {}).get("amount"), submitted_at=iso_datetime(bid.get("date")),
                 status=status.value)
    builder.rel(Rel.FOR_TENDER, bid_id, ocid, bid_id)
    for position, party in enumerate(tenderers):
        role = (BidRole.SOLE if len(tenderers) == 1
                else BidRole.LEAD if position == 0 else BidRole.MEMBER)
        builder.rel(Rel.SUBMITTED, usccs[party], bid_id, bid_id, role=role.value)
