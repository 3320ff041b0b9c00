"""Bid screening: is any party to a bid barred from public procurement at the tender date?

A party (a bidding firm — sole, lead or consortium member — or a supplier the bid lists) is
barred when, at the tender's deadline (or ``as_of`` if given), it has

* an active ``procurement_ban`` (Ministry of Finance blacklisting that bars it from government
  procurement),
* an active ``serious_dishonest_enterprise_list`` inclusion (joint punishment includes
  exclusion from procurement), or
* a legal representative, director or actual controller in role at that date who is on a
  persons' blacklist (``dishonest_person_list`` or ``person_judgment_unsatisfied``).

Every bar carries its evidence: record id, kind, agency, dates and, for key personnel, the person.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from neo4j import Driver

from riskgraph.graph.driver import read
from riskgraph.graph.errors import BadInput, NotFound
from riskgraph.models.disclosure import EVERYONE, Audience
from riskgraph.models.exposure.facts import KEY_ROLES, PERSON_LIST_KINDS
from riskgraph.models.exposure.network import check_uscc

BAR_KINDS: tuple[str, ...] = ("procurement_ban", "serious_dishonest_enterprise_list")


@dataclass
class Bar:
    reason: str
    """procurement_ban, serious_dishonest_enterprise_list or listed_key_person."""
    record_id: str
    kind: str
    agency: str
    issued_on: str
    removed_on: str | None
    person_id: str | None = None
    person_name: str | None = None
    person_role: str | None = None


@dataclass
class PartyScreen:
    uscc: str
    name: str
    role: str
    """sole, lead, member (bidders) or listed_supplier."""
    bars: list[Bar] = field(default_factory=list)
    """The bars whose records the screen's audience may see."""
    withheld: int = 0
    """Bars on records the audience may not see: they still bar, unnamed."""

    @property
    def barred(self) -> bool:
        return bool(self.bars) or self.withheld > 0


@dataclass
class BidScreen:
    tender_id: str
    as_of: str
    bid_id: str | None
    parties: list[PartyScreen]
    disclosure: str = EVERYONE.marking()

    @property
    def barred(self) -> bool:
        return any(p.barred for p in self.parties)

    def to_dict(self) -> dict[str, Any]:
        return {"disclosure": self.disclosure,
                "tender_id": self.tender_id, "as_of": self.as_of, "bid_id": self.bid_id,
                "barred": self.barred,
                "parties": [{**asdict(p), "barred": p.barred} for p in self.parties]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)


def _tender_date(row: dict[str, Any]) -> dt.date:
    text = row.get("deadline") or row.get("published_on")
    if not text:
        raise BadInput(f"tender {row['tender_id']} has neither a deadline nor a publication date")
    return dt.date.fromisoformat(str(text)[:10])


def _bid_parties(driver: Driver, tender_id: str, bid_id: str,
                 database: str | None) -> list[tuple[str, str]]:
    rows = read(driver, "exposure/list_bid_parties", database, bid_id=bid_id)
    if not rows:
        raise NotFound(f"no bid with id {bid_id!r}")
    row = rows[0]
    if row["tender_id"] != tender_id:
        raise BadInput(f"bid {bid_id} is for tender {row['tender_id']}, not {tender_id}")
    parties = [(str(m["uscc"]), str(m["role"])) for m in row["members"] if m["uscc"]]
    parties += [(str(u), "listed_supplier") for u in row["suppliers"] if u]
    return sorted(set(parties), key=lambda p: (p[1] == "listed_supplier", p[1] != "lead", p[0]))


def screen_bid(driver: Driver, tender_id: str, bid_id: str | None = None,
               members: list[str] | None = None, suppliers: list[str] | None = None,
               as_of: dt.date | None = None, database: str | None = None,
               audience: Audience = EVERYONE) -> BidScreen:
    """Screen an existing bid (``bid_id``) or proposed parties (``members``, ``suppliers``);
    bars on records ``audience`` may not see still bar, counted but not described."""
    members, suppliers = members or [], suppliers or []
    if bid_id is not None and (members or suppliers):
        raise BadInput("give either --bid or --member/--supplier, not both")
    if bid_id is None and not members:
        raise BadInput("give --bid BID, or at least one --member USCC (plus any --supplier)")
    tenders = read(driver, "exposure/get_tender", database, tender_id=tender_id)
    if not tenders:
        raise NotFound(f"no tender with id {tender_id!r}")
    when = as_of or _tender_date(tenders[0])
    if bid_id is not None:
        parties = _bid_parties(driver, tender_id, bid_id, database)
    else:
        parties = [(check_uscc(u, "--member"), "member") for u in members]
        parties += [(check_uscc(u, "--supplier"), "listed_supplier") for u in suppliers]
    usccs = sorted({u for u, _ in parties})
    names = {r["uscc"]: r for r in read(driver, "exposure/list_companies", database,
                                        usccs=usccs)}
    unknown = [u for u in usccs if u not in names]
    if unknown:
        raise NotFound(f"no company with USCC {', '.join(unknown)}")
    bars: dict[str, list[Bar]] = {u: [] for u in usccs}
    withheld: dict[str, int] = dict.fromkeys(usccs, 0)
    iso = when.isoformat()
    for r in read(driver, "exposure/list_company_listings", database, usccs=usccs,
                  kinds=list(BAR_KINDS), as_of=iso):
        if not audience.may_see(r):
            withheld[r["uscc"]] += 1
            continue
        bars[r["uscc"]].append(Bar(r["kind"], r["record_id"], r["kind"], r["agency"] or "",
                                   r["issued_on"], r["removed_on"]))
    for r in read(driver, "exposure/list_listed_key_persons", database, usccs=usccs,
                  roles=list(KEY_ROLES), kinds=list(PERSON_LIST_KINDS), as_of=iso):
        if not audience.may_see(r):
            withheld[r["uscc"]] += 1
            continue
        bars[r["uscc"]].append(Bar("listed_key_person", r["record_id"], r["kind"],
                                   r["agency"] or "", r["issued_on"], r["removed_on"],
                                   r["person_id"], r["person_name"], r["role"]))
    screened = [PartyScreen(u, str(names[u]["name"] or ""), role, bars[u], withheld[u])
                for u, role in parties]
    return BidScreen(tender_id, iso, bid_id, screened, audience.marking())
