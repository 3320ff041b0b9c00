"""Co-bidding communities and their winner-rotation and cover-bid statistics (pure Python).

Input: the bids of competitive tenders (:class:`TenderBid` rows). Two firms *co-bid* in a
tender when they submit separate bids to it (consortium partners on one bid do not compete).
The co-bid graph links firms that co-bid in at least ``min_shared`` tenders (edge weight: the
number of such tenders); its connected components are the candidate groups, and components
larger than ``max_group`` firms are split into Louvain communities (networkx, fixed seed).

For a group, its *group tenders* are the tenders in which at least two members bid separately.
Statistics over them (:class:`GroupStats`):

* ``member_win_share``: share of group tenders won by a member's bid;
* ``evenness``: normalised entropy of the members' wins (1 = wins spread evenly over as many
  members as possible; 0 = one member wins everything or nothing was won);
* ``turn_taking``: share of consecutive member wins (by publication date) by a different member;
* ``cover_premium``: median relative difference (loser - winner) / winner of the members'
  losing bids against the winning member's bid;
* ``member_cv``: median, over group tenders, of the coefficient of variation of the members'
  bid amounts (cover bids cluster just above the winner, so rigged tenders have a low value).
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import networkx as nx

WON = "won"


@dataclass(frozen=True)
class TenderBid:
    """One bid: the tender, the bid, and the firms that submitted it (lead first)."""

    tender_id: str
    published_on: str
    bid_id: str
    amount: float | None
    status: str
    firms: tuple[str, ...]


@dataclass
class Tender:
    """A competitive tender: its bids, and which bid each firm is on."""

    tender_id: str
    published_on: str
    bids: list[TenderBid] = field(default_factory=list)
    category: str | None = None
    estimate: float | None = None
    reserve: float | None = None
    floor: float | None = None
    currency: str | None = None

    @cached_property
    def bid_of(self) -> dict[str, TenderBid]:
        """Firm → its bid (call after all bids are added)."""
        return {f: b for b in self.bids for f in b.firms}

    @property
    def winner(self) -> TenderBid | None:
        return next((b for b in self.bids if b.status == WON), None)


def tenders_from(bids: Iterable[TenderBid]) -> dict[str, Tender]:
    out: dict[str, Tender] = {}
    for b in bids:
        t = out.setdefault(b.tender_id, Tender(b.tender_id, b.published_on))
        t.bids.append(b)
    return out


def with_info(tenders: dict[str, Tender], info: Mapping[str, Mapping[str, Any]]
              ) -> dict[str, Tender]:
    """Set each tender's category, estimate, reserve, floor and currency from ``info``."""
    for tid, t in tenders.items():
        row = info.get(tid) or {}
        t.category, t.currency = row.get("category"), row.get("currency")
        t.estimate, t.reserve, t.floor = row.get("estimate"), row.get("reserve"), row.get("floor")
    return tenders


def tenders_by_firm(tenders: dict[str, Tender]) -> dict[str, list[Tender]]:
    out: dict[str, list[Tender]] = defaultdict(list)
    for t in tenders.values():
        for f in t.bid_of:
            out[f].append(t)
    return out


def around(members: frozenset[str], by_firm: dict[str, list[Tender]]) -> dict[str, Tender]:
    """The tenders any of ``members`` bid in (enough for the group statistics)."""
    return {t.tender_id: t for m in members for t in by_firm.get(m, [])}


def cv(values: Sequence[float]) -> float:
    """Coefficient of variation (population standard deviation / mean); 0 for < 2 values."""
    if len(values) < 2:
        return 0.0
    mean = sum(values) / len(values)
    return statistics.pstdev(values) / mean if mean > 0 else 0.0


def tender_cv(t: Tender) -> float | None:
    """CV of all priced bids of a tender (None with fewer than two)."""
    amounts = [b.amount for b in t.bids if b.amount is not None and b.amount > 0]
    return cv(amounts) if len(amounts) >= 2 else None


def cobid_counts(tenders: dict[str, Tender]) -> dict[tuple[str, str], list[str]]:
    """(firm a, firm b) with a < b → the tenders in which they bid separately."""
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    for t in tenders.values():
        bid_of = t.bid_of
        firms = sorted(bid_of)
        for i, a in enumerate(firms):
            for b in firms[i + 1:]:
                if bid_of[a] is not bid_of[b]:
                    out[(a, b)].append(t.tender_id)
    return out


def cobid_groups(pairs: dict[tuple[str, str], list[str]], min_shared: int = 3,
                 seed: int = 0) -> list[frozenset[str]]:
    """Groups of firms that repeatedly co-bid: Louvain communities of the co-bid graph."""
    edges = sorted((a, b, len(tids)) for (a, b), tids in pairs.items() if len(tids) >= min_shared)
    g = nx.Graph()
    g.add_weighted_edges_from(edges)
    groups: list[frozenset[str]] = []
    for comp in sorted(sorted(c) for c in nx.connected_components(g)):
        # a fresh graph with sorted nodes and edges: Louvain visits nodes in insertion order
        # (shuffled by its seed), and a subgraph view would iterate a set, whose order of
        # strings changes with PYTHONHASHSEED
        keep = set(comp)
        sub = nx.Graph()
        sub.add_nodes_from(comp)
        sub.add_weighted_edges_from(e for e in edges if e[0] in keep)
        for part in nx.community.louvain_communities(sub, weight="weight", seed=seed):
            if len(part) >= 2:
                groups.append(frozenset(part))
    return sorted(groups, key=lambda s: (-len(s), sorted(s)))


def prune(members: frozenset[str], tenders: dict[str, Tender], min_presence: float = 0.5,
          min_size: int = 2) -> frozenset[str]:
    """Drop, one at a time, the member present in the smallest share (< ``min_presence``) of
    the group tenders: firms that only brush against the group are not part of it."""
    while len(members) > min_size:
        chosen = group_tenders(members, tenders)
        if not chosen:
            break
        presence = {m: sum(m in t.bid_of for t in chosen) / len(chosen) for m in members}
        worst = min(sorted(presence), key=lambda m: presence[m])
        if presence[worst] >= min_presence:
            break
        members = members - {worst}
    return members


def group_tenders(members: frozenset[str], tenders: dict[str, Tender]) -> list[Tender]:
    """The tenders in which at least two members bid separately, by publication date."""
    chosen = [t for t in tenders.values()
              if len({id(b) for f, b in t.bid_of.items() if f in members}) >= 2]
    return sorted(chosen, key=lambda t: (t.published_on, t.tender_id))


@dataclass
class GroupStats:
    """Winner-rotation and cover-bid statistics of one group over its group tenders."""

    members: list[str]
    tenders: list[str]
    member_wins: dict[str, int]
    member_win_share: float
    evenness: float
    turn_taking: float
    cover_premium: float | None
    member_cv: float | None
    premiums: list[float]
    premium_tenders: list[str] = field(default_factory=list)
    """The tender of each premium (for per-market cover bands)."""
    rounds: list[dict[str, Any]] = field(default_factory=list)
    """Per group tender: date, winner, the members' bids and their premiums over the winner."""


def _evenness(wins: dict[str, int], n_members: int) -> float:
    total = sum(wins.values())
    k = min(n_members, total)
    if k < 2:
        return 0.0
    h = -sum(w / total * math.log(w / total) for w in wins.values() if w > 0)
    return h / math.log(k)


def group_stats(members: frozenset[str], tenders: dict[str, Tender]) -> GroupStats:
    """Statistics of ``members`` over the tenders where at least two of them bid separately."""
    chosen = group_tenders(members, tenders)
    wins: dict[str, int] = defaultdict(int)
    sequence: list[str] = []
    premiums: list[float] = []
    premium_tenders: list[str] = []
    cvs: list[float] = []
    rounds: list[dict[str, Any]] = []
    for t in chosen:
        own = [b for b in t.bids if set(b.firms) & members]
        priced = [b.amount for b in own if b.amount is not None and b.amount > 0]
        if len(priced) >= 2:
            cvs.append(cv(priced))
        win = t.winner
        info: dict[str, Any] = {
            "tender_id": t.tender_id, "published_on": t.published_on,
            "winner": list(win.firms) if win else None, "member_won": False,
            "member_bids": {f: b.amount for b in own for f in b.firms if f in members},
            "member_bid_cv": round(cv(priced), 4) if len(priced) >= 2 else None,
            "tender_bid_cv": _round(tender_cv(t)), "bids": len(t.bids)}
        rounds.append(info)
        if win is None or not set(win.firms) & members:
            continue
        who = next(f for f in win.firms if f in members)
        wins[who] += 1
        sequence.append(who)
        info["member_won"] = True
        if win.amount is None or win.amount <= 0:
            continue
        mine = [(b.amount - win.amount) / win.amount for b in own
                if b is not win and b.amount is not None]
        info["member_premiums"] = [round(p, 4) for p in mine]
        premiums += mine
        premium_tenders += [t.tender_id] * len(mine)
    n = len(chosen)
    turns = sum(a != b for a, b in itertools.pairwise(sequence))
    return GroupStats(
        members=sorted(members), tenders=[t.tender_id for t in chosen],
        member_wins=dict(sorted(wins.items())),
        member_win_share=len(sequence) / n if n else 0.0,
        evenness=_evenness(wins, len(members)),
        turn_taking=turns / (len(sequence) - 1) if len(sequence) > 1 else 0.0,
        cover_premium=statistics.median(premiums) if premiums else None,
        member_cv=statistics.median(cvs) if cvs else None,
        premiums=premiums, premium_tenders=premium_tenders, rounds=rounds)


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)
