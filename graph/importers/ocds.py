"""OCDS 1.1 → our model: release packages, record packages and line-delimited releases.

Mapping (docs/importers.md):
- a release (or a record's ``compiledRelease``) with a ``tender`` → ``:Tender`` keyed by ``ocid``;
  ``tender.value.amount`` → estimated_value, ``tenderPeriod.startDate/endDate`` →
  published_on/deadline, ``procurementMethod`` → procedure, ``mainProcurementCategory`` →
  category; the buyer's name; the region from the buyer's ``address.region`` when it is a
  six-digit GB/T 2260 code, else from the first tenderer's USCC (characters 3-8).
- parties with role tenderer / supplier → ``:Company``, keyed by the first valid USCC among
  ``identifier.id`` and ``additionalIdentifiers[].id``. A party without one is rejected (we key
  firms by USCC only) and so are the bids that name it.
- the bids extension's ``bids.details[]`` → ``:Bid`` (id prefixed by the ocid), ``value.amount``,
  ``date``; status: the bid an award relates to (``awards[].relatedBid`` or the award's
  suppliers equal to the bid's tenderers) is ``won``; ``disqualified`` / ``invalid`` →
  ``disqualified``; the rest ``lost``. Several tenderers make a consortium: the first is
  ``lead``, the others ``member``; one tenderer is ``sole``.
- ``awards[].suppliers`` without any bids → a winning bid for that supplier.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graph.importers.common import (
    ImportResult,
    TableBuilder,
    first_uscc,
    iso_date,
    iso_datetime,
    json_lines,
)
from graph.schema import BidRole, BidStatus, Label, Procedure, Rel

SOURCE = "ocds"
_PROCEDURES = {p.value for p in Procedure}
_DISQUALIFIED = {"disqualified", "invalid"}


def read_releases(path: Path) -> tuple[list[tuple[str, dict[str, Any]]], list[tuple[str, str,
                                                                                 str]]]:
    """(position, release) pairs from a package or a JSON-lines file, and unreadable parts."""
    releases: list[tuple[str, dict[str, Any]]] = []
    rejects: list[tuple[str, str, str]] = []
    if path.suffix in (".jsonl", ".ndjson"):
        for number, obj, error in json_lines(path):
            where = f"{path.name}:{number}"
            if error or not isinstance(obj, dict):
                rejects.append((where, "", error or "a line must hold one JSON object"))
            elif "releases" in obj or "records" in obj:
                releases.extend(_from_package(obj, where))
            else:
                releases.append((where, obj))
        return releases, rejects
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        return [], [(path.name, "", f"malformed JSON: {exc.msg} at line {exc.lineno}")]
    if not isinstance(data, dict) or not ("releases" in data or "records" in data):
        return [], [(path.name, "", "not an OCDS release or record package")]
    return _from_package(data, path.name), rejects


def _from_package(data: dict[str, Any], where: str) -> list[tuple[str, dict[str, Any]]]:
    if "records" in data:
        out = []
        for i, record in enumerate(data.get("records") or []):
            compiled = record.get("compiledRelease") if isinstance(record, dict) else None
            if isinstance(compiled, dict):
                out.append((f"{where}/records/{i}/compiledRelease", compiled))
            elif isinstance(record, dict) and record.get("releases"):
                releases = [r for r in record["releases"] if isinstance(r, dict) and "tag" in r]
                if releases:
                    out.append((f"{where}/records/{i}/releases/-1", releases[-1]))
        return out
    return [(f"{where}/releases/{i}", r) for i, r in enumerate(data.get("releases") or [])
            if isinstance(r, dict)]


def import_ocds(path: Path) -> ImportResult:
    """Map an OCDS file to a World; unmappable parties and bids are rejected with reasons."""
    releases, rejects = read_releases(path)
    builder = TableBuilder(SOURCE)
    result = ImportResult(builder.world(), rejects=rejects)
    for where, release in releases:
        result.counts["release"] += 1
        _map_release(builder, result, where, release)
    result.world = builder.world()
    return result


def _party_usccs(release: dict[str, Any], builder: TableBuilder, result: ImportResult,
                 where: str) -> dict[str, str]:
    """Party id → USCC for tenderers and suppliers; companies are added to the builder."""
    found: dict[str, str] = {}
    for i, party in enumerate(release.get("parties") or []):
        roles = set(party.get("roles") or [])
        if not roles & {"tenderer", "supplier"}:
            continue
        identifiers = [party.get("identifier") or {}, *(party.get("additionalIdentifiers") or [])]
        uscc = first_uscc([ident.get("id") for ident in identifiers if isinstance(ident, dict)])
        if uscc is None:
            result.rejects.append((f"{where}/parties/{i}", str(party.get("id", "")),
                                   "party has no valid USCC among identifier / "
                                   "additionalIdentifiers"))
            continue
        found[str(party.get("id"))] = uscc
        builder.node(Label.COMPANY, uscc, str(party.get("id")), name=party.get("name") or uscc,
                     region_code=uscc[2:8], status="active")
    return found


def _map_release(builder: TableBuilder, result: ImportResult, where: str,
                 release: dict[str, Any]) -> None:
    tender = release.get("tender")
    ocid = release.get("ocid")
    if not isinstance(tender, dict) or not ocid:
        result.rejects.append((where, str(ocid or ""), "release has no ocid or no tender"))
        return
    usccs = _party_usccs(release, builder, result, where)
    buyer = release.get("buyer") or {}
    buyer_party: dict[str, Any] = next((p for p in release.get("parties") or []
                        if p.get("id") == buyer.get("id") or "buyer" in (p.get("roles") or [])),
                       {})
    region = str((buyer_party.get("address") or {}).get("region") or "")
    if not (len(region) == 6 and region.isdigit()):
        region = next(iter(usccs.values()))[2:8] if usccs else "000000"  # 000000: unknown
    method = tender.get("procurementMethod")
    period = tender.get("tenderPeriod") or {}
    builder.node(
        Label.TENDER, str(ocid), str(tender.get("id") or ocid),
        title=tender.get("title"), buyer=buyer.get("name") or buyer_party.get("name"),
        region_code=region, category=tender.get("mainProcurementCategory"),
        estimated_value=(tender.get("value") or {}).get("amount"),
        published_on=iso_date(period.get("startDate") or release.get("date")),
        deadline=iso_date(period.get("endDate")),
        procedure=method if method in _PROCEDURES else None,
    )
    awards = [a for a in release.get("awards") or [] if isinstance(a, dict)
              and a.get("status") not in ("cancelled", "unsuccessful")]
    winning_bids = {str(a["relatedBid"]) for a in awards if a.get("relatedBid")}
    winners = [frozenset(str(s.get("id")) for s in a.get("suppliers") or []) for a in awards]
    details = (release.get("bids") or {}).get("details") or []
    for i, bid in enumerate(details):
        _map_bid(builder, result, f"{where}/bids/details/{i}", str(ocid), bid, usccs,
                 winning_bids, winners)
    if not details:
        for i, award in enumerate(awards):
            suppliers = [str(s.get("id")) for s in award.get("suppliers") or []]
            bid = {"id": f"award-{award.get('id', i)}", "tenderers":
                   [{"id": s} for s in suppliers], "value": award.get("value"),
                   "date": award.get("date") or period.get("endDate"), "status": "valid"}
            _map_bid(builder, result, f"{where}/awards/{i}", str(ocid), bid, usccs,
                     {str(bid["id"])}, winners)


def _map_bid(builder: TableBuilder, result: ImportResult, where: str, ocid: str,
             bid: dict[str, Any], usccs: dict[str, str], winning_bids: set[str],
             winners: list[frozenset[str]]) -> None:
    bid_id = f"{ocid}/{bid.get('id')}"
    tenderers = [str(t.get("id")) for t in bid.get("tenderers") or [] if isinstance(t, dict)]
    unknown = [t for t in tenderers if t not in usccs]
    if not tenderers or unknown:
        result.rejects.append((where, bid_id, "bid names no tenderer" if not tenderers else
                               f"tenderer(s) {', '.join(unknown)} have no valid USCC"))
        return
    if str(bid.get("id")) in winning_bids or frozenset(tenderers) in winners:
        status = BidStatus.WON
    elif str(bid.get("status", "")).lower() in _DISQUALIFIED:
        status = BidStatus.DISQUALIFIED
    else:
        status = BidStatus.LOST
    builder.node(Label.BID, bid_id, str(bid.get("id")), tender_id=ocid,
                 amount=(bid.get("value") or {}).get("amount"),
                 submitted_at=iso_datetime(bid.get("date")), status=status.value)
    builder.rel(Rel.FOR_TENDER, bid_id, ocid, bid_id)
    for position, party in enumerate(tenderers):
        role = (BidRole.SOLE if len(tenderers) == 1
                else BidRole.LEAD if position == 0 else BidRole.MEMBER)
        builder.rel(Rel.SUBMITTED, usccs[party], bid_id, bid_id, role=role.value)
