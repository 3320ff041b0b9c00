"""OCDS 1.0 / 1.1 → our model: every package shape, every encoding, streamed.

Inputs (graph/importers/reading.py reads them): release packages, record packages, JSON arrays
of packages (Kingfisher collections), bare compiled, versioned or plain releases, records, and
JSON lines of any of these whatever the file's extension. Releases sharing an ``ocid`` are
compiled with the reference merge rules (graph/importers/ocds_merge.py); a record gives its
``compiledRelease``, else its ``versionedRelease`` (latest values), else its embedded releases
compiled; a record of linked releases only is rejected (they are not fetched). Two passes: the
first counts releases per ocid, so the second maps every single release as it streams by and
holds back only the releases of an ocid still waiting for its other versions.

Mapping (docs/importers.md has the full table):

- ``tender`` → ``:Tender`` keyed by ``ocid``: ``title``, the buyer's name (``buyer``, else the
  party with role ``buyer``, else ``tender.procuringEntity``), ``value.amount`` →
  estimated_value, ``tenderPeriod.startDate`` (else the release ``date``) → published_on,
  ``tenderPeriod.endDate`` → deadline, ``procurementMethod`` → procedure,
  ``mainProcurementCategory`` → category; all optional but published_on. ``minValue`` →
  floor_price, ``reservePrice`` / ``maxValue`` (extensions) → reserve_price,
  ``numberOfTenderers`` → number_of_tenderers, the first stated ``currency`` of ``value`` /
  ``minValue`` → currency (a bid's ``value.currency`` → the bid's currency); month-only dates
  (YYYY-MM) and date-only bid times are kept at that precision (``*_precision``). Region: the
  buyer's ``address.region`` when six digits, else the region of the buyer's USCC, else ``000000``.
- parties that tender or supply (by role, or named by a bid or award; OCDS 1.0's inline
  organisations too) → ``:Company`` keyed by graph/importers/firm_keys.py (USCC, LEI, a
  registry namespace, else ``ocds-party:<ocid>/<party id>``).
- ``bids.details[]`` → ``:Bid`` ``<ocid>/<bid id>``: status ``valid`` / ``pending`` / none →
  ``won`` when an award decides for it, else ``lost``; ``disqualified`` (and ``invalid``) →
  ``disqualified``; ``withdrawn`` → ``lost``; ``invited`` and unknown codes are rejected. An
  award decides through ``relatedBid``, or when its suppliers are exactly the tenderers of one
  competing bid; only ``active`` (or status-less) awards, or those an active / terminated
  contract names, decide. One tenderer is ``sole``; a consortium's first is ``lead``, the
  others ``member``. Without bids, each deciding award is one winning bid of its suppliers.

Duplicates: a second party or bid with an id already used in the release, and a second record
of an ocid, are rejected (the first is kept). Amounts are numbers or numeric strings in the
usual locales (common.parse_amount); a bad tender value is rejected as a field, keeping the
tender; a bad bid amount rejects the bid.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from riskgraph.graph.identifiers import IdentifierError, region_of, scheme_of
from riskgraph.graph.importers.common import (
    AmountError,
    ImportResult,
    TableBuilder,
    iso_date,
    iso_datetime,
    parse_amount,
)
from riskgraph.graph.importers.firm_keys import party_key
from riskgraph.graph.importers.ocds_merge import MergeConflict, compile_releases
from riskgraph.graph.importers.reading import Unit, Unreadable, read_units
from riskgraph.graph.schema import BidRole, BidStatus, Label, Rel

SOURCE = "ocds"
UNKNOWN_REGION = "000000"
"""Region of a tender whose buyer gives neither a GB/T 2260 region nor a USCC."""

_COMPETING = {"valid", "pending", None}
_DISQUALIFIED = {"disqualified", "invalid"}
_BID_STATUSES = _COMPETING | _DISQUALIFIED | {"withdrawn"}
_DECIDING_CONTRACTS = {"active", "terminated"}
_BIDDER_ROLES = {"tenderer", "supplier"}

Located = tuple[str, dict[str, Any]]
"""(position in the input — ``file:line`` or a JSON path, the release)."""
_Item = tuple[str, str, Any]
"""(position, ``release`` or ``record``, the object)."""


def _items(units: Iterable[Unit | Unreadable], result: ImportResult | None
           ) -> Iterator[_Item]:
    """Releases and records of every unit; unreadable parts and non-OCDS objects rejected."""
    for unit in units:
        if isinstance(unit, Unreadable):
            if result is not None:
                result.unreadable(unit.where, unit.reason)
            continue
        if unit.kind in ("releases", "records"):
            yield unit.where, unit.kind[:-1], unit.value
            continue
        yield from _object_items(unit.where, unit.value, result)


def _object_items(where: str, value: Any, result: ImportResult | None) -> Iterator[_Item]:
    if isinstance(value, dict):
        for kind in ("records", "releases"):
            inner = value.get(kind)
            if isinstance(inner, list) and "ocid" not in value:
                for i, item in enumerate(inner):
                    yield f"{where}/{kind}/{i}", kind[:-1], item
                return
        if "ocid" in value and ("compiledRelease" in value or isinstance(
                value.get("releases"), list) or "versionedRelease" in value):
            yield where, "record", value
            return
        if "ocid" in value:
            yield where, "release", value
            return
    if result is not None:
        result.seen("object")
        result.reject("object", where, "", "not an OCDS release, record or package (no ocid, "
                                          "releases or records)")


def is_versioned(release: dict[str, Any]) -> bool:
    """A versioned release: some field holds a list of ``{releaseID, releaseDate, value}``."""
    return any(isinstance(v, list) and v and isinstance(v[0], dict) and {"releaseID", "value"}
               <= v[0].keys() for k, v in release.items() if k != "ocid")


def unversion(value: Any) -> Any:
    """The latest values of a versioned release (what compiling its history gives)."""
    if isinstance(value, dict):
        return {k: unversion(v) for k, v in value.items()}
    if isinstance(value, list):
        if value and all(isinstance(x, dict) and {"releaseID", "value"} <= x.keys()
                         for x in value):
            return unversion(value[-1]["value"])
        return [unversion(x) for x in value]
    return value


def _record_release(where: str, record: Any) -> tuple[str, dict[str, Any] | None, str]:
    """(position, compiled release or None, reason when None) of one record."""
    if not isinstance(record, dict):
        return where, None, "a record must be a JSON object"
    compiled = record.get("compiledRelease")
    if isinstance(compiled, dict):
        return f"{where}/compiledRelease", compiled, ""
    versioned = record.get("versionedRelease")
    if isinstance(versioned, dict):
        return f"{where}/versionedRelease", unversion(versioned), ""
    embedded = [r for r in record.get("releases") or [] if isinstance(r, dict) and "url" not in r]
    if embedded:
        try:
            return f"{where}/releases", compile_releases(embedded), ""
        except MergeConflict as exc:
            return where, None, f"its releases cannot be merged: {exc}"
    return where, None, ("record has no compiledRelease, versionedRelease or embedded "
                         "releases (linked releases are not fetched)")


def read_releases(path: Path, encoding: str | None = None,
                  result: ImportResult | None = None) -> Iterator[Located]:
    """(position, compiled release) for each contracting process of any OCDS input.

    With ``result``, every release and record is counted, and the unusable ones rejected."""
    pending: dict[str, int] = Counter()
    for _, kind, value in _items(read_units(path, encoding), None):
        if kind == "release" and isinstance(value, dict) and isinstance(value.get("ocid"), str):
            pending[value["ocid"]] += 1
    waiting: dict[str, list[Located]] = {}
    records: dict[str, str] = {}
    for where, kind, value in _items(read_units(path, encoding), result):
        if result is not None:
            result.seen(kind)
        ocid = value.get("ocid") if isinstance(value, dict) else None
        if not isinstance(ocid, str) or not ocid.strip():
            _reject(result, kind, where, "", f"{kind} has no ocid (a non-empty string)")
            continue
        if kind == "record":
            if ocid in records:
                _reject(result, kind, where, ocid, f"duplicate record for ocid {ocid} (first at "
                                                   f"{records[ocid]})")
                continue
            records[ocid] = where
            at, compiled, reason = _record_release(where, value)
            if compiled is None:
                _reject(result, kind, where, ocid, reason)
            else:
                yield at, {**compiled, "ocid": ocid, "_riskgraph_kind": "record"}
            continue
        release = unversion(value) if is_versioned(value) else value
        group = waiting.setdefault(ocid, [])
        group.append((where, release))
        if len(group) < pending.get(ocid, 1):
            continue
        del waiting[ocid]
        if len(group) == 1:
            yield where, {**release, "_riskgraph_kind": "release"}
            continue
        try:
            merged = compile_releases([r for _, r in group])
        except MergeConflict as exc:
            for at, _ in group:
                _reject(result, "release", at, ocid, f"releases of {ocid} cannot be merged: {exc}")
            continue
        yield ",".join(w for w, _ in group), {**merged, "_riskgraph_kind": "release",
                                              "_riskgraph_releases": len(group)}
    for ocid, group in waiting.items():  # the file changed between the passes
        for at, _ in group:
            _reject(result, "release", at, ocid, "release not seen again on the second pass")


def _reject(result: ImportResult | None, kind: str, where: str, source_id: str,
            reason: str) -> None:
    if result is not None:
        result.reject(kind, where, source_id, reason)


def import_ocds(path: Path, encoding: str | None = None) -> ImportResult:
    """Map an OCDS file to a World; every release, record, party and bid is mapped or
    rejected with its position and the reason."""
    builder = TableBuilder(SOURCE)
    result = ImportResult(builder.world())
    for where, release in read_releases(path, encoding, result):
        kind = str(release.pop("_riskgraph_kind"))
        members = int(release.pop("_riskgraph_releases", 1))
        ok = _map_release(builder, result, where, release)
        if ok:
            result.mapped[kind] += members
        else:
            result.rejected[kind] += members
    result.world = builder.world()
    return result


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def _obj(value: Any, key: str) -> dict[str, Any]:
    got = value.get(key) if isinstance(value, dict) else None
    return got if isinstance(got, dict) else {}


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _ref_id(ref: dict[str, Any]) -> str | None:
    """The party id an organisation reference names; OCDS 1.0 inline organisations have
    none, so their identifier (scheme-id) or name stands in."""
    given = _text(ref.get("id"))
    if given:
        return given
    ident = _obj(ref, "identifier")
    if _text(ident.get("id")):
        return f"{_text(ident.get('scheme')) or ''}-{_text(ident.get('id'))}"
    return _text(ref.get("name"))


class _Parties:
    """The release's bidding parties (by party id) and their firm keys."""

    def __init__(self, builder: TableBuilder, result: ImportResult, where: str, ocid: str,
                 release: dict[str, Any]) -> None:
        self.builder, self.result, self.ocid = builder, result, ocid
        self.keys: dict[str, str] = {}
        self.inline_allowed = True
        refs = [t for bid in _dicts(_obj(release, "bids").get("details"))
                for t in _dicts(bid.get("tenderers"))]
        refs += [s for award in _dicts(release.get("awards")) for s in _suppliers(award)]
        referenced = {i for i in (_ref_id(r) for r in refs) if i}
        first: dict[str, int] = {}
        parties_seen: dict[str, dict[str, Any]] = {}
        for i, party in enumerate(release.get("parties") or [] if isinstance(
                release.get("parties"), list) else []):
            at = f"{where}/parties/{i}"
            if not isinstance(party, dict):
                result.seen("party")
                result.reject("party", at, "", "a party must be a JSON object")
                continue
            party_id = _text(party.get("id"))
            roles: list[Any] = party["roles"] if isinstance(party.get("roles"), list) else []
            bidder = bool(set(map(str, roles)) & _BIDDER_ROLES) or party_id in referenced
            if not bidder:
                result.notes["party not a tenderer or supplier (not a firm of ours)"] += 1
                continue
            result.seen("party")
            if party_id is None:
                result.reject("party", at, "", "party has no id (no bid or award can name it)")
                continue
            if party_id in first and party == parties_seen[party_id]:
                result.notes["identical duplicate party merged"] += 1
                result.ok("party")
                continue
            if party_id in first:
                result.reject("party", at, party_id, f"duplicate party id {party_id!r} (first "
                                                     f"at parties/{first[party_id]})")
                continue
            first[party_id] = i
            parties_seen[party_id] = party
            if self._add(at, party_id, party):
                result.ok("party")

    def _add(self, at: str, party_id: str, party: dict[str, Any]) -> bool:
        try:
            key, notes = party_key(party, self.ocid, party_id)
        except IdentifierError as exc:
            self.result.reject("party", at, party_id, f"no usable firm identifier: {exc}")
            return False
        for note in notes:
            self.result.notes[f"party {note.split(':')[0]}"] += 1
        self.keys[party_id] = key
        self.builder.node(Label.COMPANY, key, party_id, name=_text(party.get("name")),
                          region_code=region_of(key), id_scheme=scheme_of(key), status="active")
        return True

    def resolve(self, ref: dict[str, Any], at: str) -> str | None:
        """The firm key of a tenderer / supplier reference; an OCDS 1.0 inline organisation
        (not among the parties) becomes a party of its own."""
        ref_id = _ref_id(ref)
        if ref_id is None:
            return None
        if ref_id in self.keys:
            return self.keys[ref_id]
        if _text(ref.get("name")) or _obj(ref, "identifier"):
            self.result.seen("party")
            if self._add(at, ref_id, ref):
                self.result.ok("party")
                self.result.notes["inline organisation (OCDS 1.0) made a party"] += 1
                return self.keys[ref_id]
        return None


def _buyer(release: dict[str, Any]) -> dict[str, Any]:
    buyer = _obj(release, "buyer")
    parties = _dicts(release.get("parties"))
    party = next((p for p in parties if buyer and p.get("id") == buyer.get("id")), None)
    party = party or next((p for p in parties if isinstance(p.get("roles"), list)
                           and "buyer" in p["roles"]), None)
    party = party or _obj(_obj(release, "tender"), "procuringEntity")
    return {**party, **{k: v for k, v in buyer.items() if v}}


def _region(buyer: dict[str, Any]) -> str:
    region = str(_obj(buyer, "address").get("region") or "")
    if len(region) == 6 and region.isdigit():
        return region
    try:
        key, _ = party_key(buyer, "", "buyer")
    except IdentifierError:
        return UNKNOWN_REGION
    return region_of(key) or UNKNOWN_REGION


_TENDER_PRICES = (("floor_price", ("minValue",)), ("reserve_price", ("reservePrice",)),
                  ("reserve_price", ("maxValue",)))
"""Tender prices besides ``value`` (estimated_value): ``minValue`` (OCDS 1.1) is the floor;
the reserve (ceiling) has no core field: ``reservePrice`` or ``maxValue`` from extensions."""


def _tender_amount(result: ImportResult, where: str, ocid: str, tender: dict[str, Any],
                   path: tuple[str, ...]) -> float | None:
    raw = _obj(tender, path[0]).get("amount")
    if raw is None:
        return None
    try:
        return parse_amount(raw)
    except AmountError as exc:
        result.seen("field")
        result.reject("field", f"{where}/tender/{path[0]}/amount", ocid,
                      f"tender {path[0]}.amount {exc}; the tender is kept without it")
        return None


def _currency(*values: dict[str, Any]) -> str | None:
    """The first stated ``currency`` (upper-cased; validation checks ISO 4217)."""
    for value in values:
        code = _text(value.get("currency"))
        if code:
            return code.strip().upper()
    return None


def _count(value: Any) -> Any:
    """``numberOfTenderers`` as given (an integer; validation names anything else)."""
    return None if value is None or value == "" else value


def _coarse_or_datetime(value: Any) -> str | None:
    """A bid date: YYYY-MM or YYYY-MM-DD kept as is (validation records its precision),
    a date-time normalised to UTC."""
    if isinstance(value, str) and len(value.strip()) in (7, 10) and "T" not in value:
        return value.strip()
    return iso_datetime(value)


def _map_release(builder: TableBuilder, result: ImportResult, where: str,
                 release: dict[str, Any]) -> bool:
    ocid = str(release["ocid"])
    tender = _obj(release, "tender")  # optional in OCDS: the process is still a tender
    parties = _Parties(builder, result, where, ocid, release)
    buyer = _buyer(release)
    period = _obj(tender, "tenderPeriod")
    estimated = None
    raw_value = _obj(tender, "value").get("amount")
    try:
        estimated = parse_amount(raw_value)
    except AmountError as exc:
        result.seen("field")
        result.reject("field", f"{where}/tender/value/amount", ocid,
                      f"tender value.amount {exc}; the tender is kept without it")
    method = _text(tender.get("procurementMethod"))
    prices: dict[str, float | None] = {}
    for name, path in _TENDER_PRICES:
        if prices.get(name) is None:
            prices[name] = _tender_amount(result, where, ocid, tender, path)
    builder.node(
        Label.TENDER, ocid, str(_text(tender.get("id")) or ocid),
        title=_text(tender.get("title")), buyer=_text(buyer.get("name")),
        region_code=_region(buyer), category=_text(tender.get("mainProcurementCategory")),
        estimated_value=estimated, **prices,
        currency=_currency(_obj(tender, "value"), _obj(tender, "minValue")),
        number_of_tenderers=_count(tender.get("numberOfTenderers")),
        published_on=iso_date(period.get("startDate") or release.get("date")),
        deadline=iso_date(period.get("endDate")),
        procedure=method,  # validation names a method outside open/selective/limited/direct
    )
    awards = _deciding_awards(release)
    details = _obj(release, "bids").get("details")
    if isinstance(details, list) and details:
        winners = _winning_bids(_dicts(details), awards)
        first: dict[str, int] = {}
        for i, bid in enumerate(details):
            at = f"{where}/bids/details/{i}"
            result.seen("bid")
            if not isinstance(bid, dict):
                result.reject("bid", at, "", "a bid must be a JSON object")
                continue
            bid_id = _text(bid.get("id"))
            if bid_id is None:
                result.reject("bid", at, "", "bid has no id")
                continue
            if bid_id in first:
                result.reject("bid", at, f"{ocid}/{bid_id}",
                              f"duplicate bid id {bid_id!r} (first at bids/details/"
                              f"{first[bid_id]})")
                continue
            first[bid_id] = i
            _map_bid(builder, result, at, ocid, bid_id, bid, parties, bid_id in winners)
        return True
    for i, award in enumerate(awards):
        at = f"{where}/awards/{i}"
        result.seen("award")
        award_id = _text(award.get("id")) or str(i)
        bid = {"tenderers": _suppliers(award), "value": award.get("value"),
               "status": "valid", "date": award.get("date") or period.get("endDate")}
        _map_bid(builder, result, at, ocid, f"award-{award_id}", bid, parties, True,
                 kind="award")
    return True


def _suppliers(award: dict[str, Any]) -> list[dict[str, Any]]:
    """``suppliers``, or the non-standard single ``supplier`` object some publishers use."""
    if isinstance(award.get("suppliers"), list):
        return _dicts(award["suppliers"])
    return [award["supplier"]] if isinstance(award.get("supplier"), dict) else []


def _deciding_awards(release: dict[str, Any]) -> list[dict[str, Any]]:
    contracted = {str(c.get("awardID")) for c in _dicts(release.get("contracts"))
                  if c.get("status") in _DECIDING_CONTRACTS}
    return [a for a in _dicts(release.get("awards"))
            if a.get("status") in (None, "active") or str(a.get("id")) in contracted]


def _tenderer_ids(items: Any) -> list[str]:
    return [i for i in (_ref_id(t) for t in _dicts(items)) if i]


def _winning_bids(details: list[dict[str, Any]], awards: list[dict[str, Any]]) -> set[str]:
    """Ids of the bids the awards decide for (``relatedBid``, else the one competing bid whose
    tenderers are exactly the award's suppliers)."""
    won = {str(a["relatedBid"]) for a in awards if _text(a.get("relatedBid"))}
    competing = [b for b in details if b.get("status") in _COMPETING]
    for award in awards:
        if _text(award.get("relatedBid")):
            continue
        suppliers = frozenset(_tenderer_ids(_suppliers(award)))
        matches = [b for b in competing if frozenset(_tenderer_ids(b.get("tenderers")))
                   == suppliers]
        if len(matches) == 1:
            won.add(str(_text(matches[0].get("id"))))
    return won


def _map_bid(builder: TableBuilder, result: ImportResult, where: str, ocid: str, bid_id: str,
             bid: dict[str, Any], parties: _Parties, awarded: bool, kind: str = "bid") -> None:
    key = f"{ocid}/{bid_id}"
    code = bid.get("status")
    result.notes[f"bid status {code}"] += 1
    if code == "invited":
        result.reject(kind, where, key, "status 'invited': no bid was submitted")
        return
    if code not in _BID_STATUSES:
        result.reject(kind, where, key, f"status {str(code)[:40]!r} is not in the bidStatus "
                                        "codelist (invited, pending, valid, disqualified, "
                                        "withdrawn)")
        return
    refs = _dicts(bid.get("tenderers"))
    if not refs:
        result.reject(kind, where, key, "bid names no tenderer" if kind == "bid"
                      else "award names no supplier")
        return
    firms: list[str] = []
    for j, ref in enumerate(refs):
        firm = parties.resolve(ref, f"{where}/tenderers/{j}")
        if firm is None:
            result.reject(kind, where, key, f"tenderer {_ref_id(ref)!r} is not a party of the "
                                            "release that could be mapped")
            return
        if firm not in firms:
            firms.append(firm)
    try:
        amount = parse_amount(_obj(bid, "value").get("amount"))
    except AmountError as exc:
        result.reject(kind, where, key, f"value.amount {exc}")
        return
    if code in _DISQUALIFIED:
        status = BidStatus.DISQUALIFIED
    elif awarded and code != "withdrawn":
        status = BidStatus.WON
    else:
        status = BidStatus.LOST
    builder.node(Label.BID, key, bid_id, tender_id=ocid, amount=amount,
                 currency=_currency(_obj(bid, "value")),
                 submitted_at=_coarse_or_datetime(bid.get("date")), status=status.value)
    builder.rel(Rel.FOR_TENDER, key, ocid, key)
    for position, firm in enumerate(firms):
        role = (BidRole.SOLE if len(firms) == 1
                else BidRole.LEAD if position == 0 else BidRole.MEMBER)
        builder.rel(Rel.SUBMITTED, firm, key, key, role=role.value)
    result.ok(kind)
