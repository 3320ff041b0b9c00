"""What the cartel screens read from Neo4j (cypher/screens/cartel_*.cypher)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from riskgraph.graph.errors import BadInput
from riskgraph.graph.firm_links import FirmKeys, all_firm_keys
from riskgraph.graph.store import Store, procurement
from riskgraph.models.screens.cobidding import Tender, TenderBid, tenders_from, with_info

MAX_HOPS = 4
"""The longest people / ownership path the link screen follows (the Cypher's fixed bound)."""
BLACKLIST_KINDS = ("procurement_ban", "serious_dishonest_enterprise_list")
"""Blacklist kinds that bar a firm from public procurement (docs/screens-cartels.md)."""
PAIR_BATCH = 2000
_LEADS = {"sole": 0, "lead": 0}


def competitive_tenders(store: Store, min_bids: int = 2, firms: FirmKeys | None = None
                        ) -> dict[str, Tender]:
    """Tenders with at least ``min_bids`` bids, each bid with its firms (lead first), firms read
    through the resolution (``firms``, else the graph's firm links): a second source's copy
    linked SAME_AS its registry firm bids as that firm (graph/firm_links.py; one firm named once
    per bid)."""
    rows = procurement.cartel_bids(store, min_bids)
    canonical = (firms or all_firm_keys(store)).canonical
    bids = []
    info: dict[str, dict[str, Any]] = {}
    for r in rows:
        info.setdefault(str(r["tender_id"]), {
            "category": _text(r.get("category")), "estimate": _num(r.get("estimated_value")),
            "reserve": _num(r.get("reserve_price")), "floor": _num(r.get("floor_price")),
            "currency": _text(r.get("currency"))})
        parties = sorted(zip(r["roles"], r["firms"], strict=True),
                         key=lambda p: (_LEADS.get(p[0], 1), p[1]))
        amount = r["amount"]
        bids.append(TenderBid(
            tender_id=str(r["tender_id"]), published_on=str(r["published_on"] or ""),
            bid_id=str(r["bid_id"]), amount=None if amount is None else float(amount),
            status=str(r["status"] or ""),
            firms=tuple(dict.fromkeys(canonical.get(str(f), str(f)) for _, f in parties))))
    return with_info(tenders_from(bids), info)


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


@dataclass(frozen=True)
class Link:
    """The shortest people / ownership path between two firms."""

    a: str
    b: str
    hops: int
    path: list[str]
    rels: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "hops": self.hops, "path": self.path,
                "rels": self.rels}


def check_hops(hops: int) -> int:
    if not 1 <= hops <= MAX_HOPS:
        raise BadInput(f"--hops must be between 1 and {MAX_HOPS}, not {hops}")
    return hops


def linked_pairs(store: Store, pairs: list[tuple[str, str]], hops: int, family: bool,
                 firms: FirmKeys | None = None) -> dict[tuple[str, str], Link]:
    """The pairs (a < b) linked within ``hops`` relationships, with their shortest path. Firms
    are read through the resolution (``firms``, else the graph's firm links): a pair is named
    by its canonical firms, the path may start at any key of either, and a firm and its own
    copy are one firm, never a linked pair."""
    check_hops(hops)
    keys = firms or all_firm_keys(store)
    out: dict[tuple[str, str], Link] = {}
    canon = {tuple(sorted((keys.of(a), keys.of(b)))) for a, b in pairs}
    todo = sorted((a, b) for a, b in canon if a != b)
    for i in range(0, len(todo), PAIR_BATCH):
        chunk = todo[i:i + PAIR_BATCH]
        records = {f: keys.records(f) for pair in chunk for f in pair}
        for r in procurement.linked_pairs(store, [[a, b] for a, b in chunk], hops, family,
                                          records):
            key = (str(r["a"]), str(r["b"]))
            out[key] = Link(key[0], key[1], int(r["hops"]), [str(x) for x in r["path"]],
                            [str(x) for x in r["rels"]])
    return out


@dataclass(frozen=True)
class BlacklistedParty:
    """A bid one of whose parties was blacklisted when the tender was published."""

    tender_id: str
    bid_id: str
    uscc: str
    role: str
    parties: int
    record_id: str
    kind: str
    issued_on: str
    removed_on: str | None
    disclosure: str = "public"
    agency: str = ""


def blacklisted_parties(store: Store, kinds: tuple[str, ...] = BLACKLIST_KINDS,
                        firms: FirmKeys | None = None) -> list[BlacklistedParty]:
    """Bids with a party blacklisted at the tender's publication, firms read through the
    resolution (``firms``, else the graph's firm links): a blacklisting on any key of a bidder
    counts for it, the party is named by its canonical firm and ``parties`` counts firms."""
    keys = firms or all_firm_keys(store)
    out: dict[tuple[str, str, str, str], BlacklistedParty] = {}
    for r in procurement.blacklisted_bidders(store, list(kinds)):
        bidder, holder = str(r["uscc"]), str(r["holder_uscc"])
        if not keys.same_firm(bidder, holder):
            continue  # a record of another firm of the bidder's entity
        p = BlacklistedParty(str(r["tender_id"]), str(r["bid_id"]), keys.of(bidder),
                             str(r["role"]), len({keys.of(str(f)) for f in r["parties"]}),
                             str(r["record_id"]), str(r["kind"]), str(r["issued_on"]),
                             None if r["removed_on"] is None else str(r["removed_on"]),
                             str(r["disclosure"]), str(r["agency"]))
        key = (p.tender_id, p.bid_id, p.uscc, p.record_id)
        if key not in out or _LEADS.get(p.role, 1) < _LEADS.get(out[key].role, 1):
            out[key] = p
    return [out[k] for k in sorted(out)]


def ever_blacklisted(store: Store, kinds: tuple[str, ...], firms: FirmKeys | None = None
                     ) -> set[str]:
    """The bidders (canonical firms) ever blacklisted with one of ``kinds`` under any of
    their keys (``firms``, else the graph's firm links)."""
    keys = firms or all_firm_keys(store)
    return {keys.of(str(r["uscc"])) for r in procurement.blacklisted_firms(store, list(kinds))
            if keys.same_firm(str(r["uscc"]), str(r["holder_uscc"]))}


def visibly_blacklisted(store: Store, usccs: set[str], kinds: tuple[str, ...],
                        disclosures: tuple[str, ...], agencies: tuple[str, ...]) -> set[str]:
    """The firms among ``usccs`` with a blacklisting of ``kinds`` that a reader of
    ``disclosures`` (and restricted records of ``agencies``) may see."""
    if not usccs:
        return set()
    rows = procurement.visible_blacklisted_firms(store, sorted(usccs), list(kinds),
                                                 list(disclosures), list(agencies))
    return {str(r["uscc"]) for r in rows}
