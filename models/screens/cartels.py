"""Joint-bid collusion screens on the graph (docs/screens-cartels.md).

Four screens, per tender and per group of firms:

* **linked competing bidders**: two firms that bid separately in one tender yet are linked
  through people (legal representative, director, supervisor, actual controller, shareholder;
  optionally FAMILY_OF / ASSOCIATE_OF between people) or ownership (HOLDS_EQUITY,
  SUBSIDIARY_OF, BRANCH_OF) within ``hops`` relationships (default 3);
* **co-bidding communities** with winner-rotation statistics (models/screens/cobidding.py);
* **cover-bid price patterns**: members' losing bids just above the winning member's bid;
* **blacklisted parties**: bids (consortia in particular) with a party on a procurement ban or
  the serious-dishonesty list when the tender was published.

A co-bidding group's cartel score (0..1) starts from ``base = rotation × cover``:

* ``rotation = member_win_share × evenness`` (members win the group tenders, in turn);
* ``cover`` = share of the members' losing bids within ``cover_band`` (10 %) above the winning
  member's bid (0.5 when amounts are missing);

and adds two small pieces of corroboration as a noisy-OR, ``score = 1 - (1 - base) ×
(1 - 0.1·linked) × (1 - 0.05·blacklisted)``: ``linked`` when two members are linked through
people or ownership within ``hops``, ``blacklisted`` when a member has ever been blacklisted
(procurement ban or serious-dishonesty list). Neither can lift a group without rotation and
cover bids over the threshold on its own.

Groups with fewer than ``min_tenders`` (4) group tenders are not scored (score 0): a rotation
needs a few rounds to be seen. A group is flagged when its score reaches ``threshold`` (0.7).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from riskgraph.graph.errors import BadInput
from riskgraph.graph.firm_links import all_firm_keys
from riskgraph.graph.store import Store
from riskgraph.models.screens.cartel_cypher import browser_query
from riskgraph.models.screens.cartel_data import (
    BLACKLIST_KINDS,
    BlacklistedParty,
    Link,
    blacklisted_parties,
    check_hops,
    competitive_tenders,
    ever_blacklisted,
    linked_pairs,
)
from riskgraph.models.screens.cartel_pairs import PairScreen, pair_screens
from riskgraph.models.screens.cobidding import (
    GroupStats,
    Tender,
    around,
    cobid_counts,
    cobid_groups,
    group_stats,
    prune,
    tender_cv,
    tenders_by_firm,
)
from riskgraph.models.screens.price_screens import TenderPrice, cover_bands, price_screens

DEFAULT_THRESHOLD = 0.7
DEFAULT_HOPS = 3


@dataclass(frozen=True)
class CartelConfig:
    """Screen parameters; the defaults are documented in docs/screens-cartels.md."""

    threshold: float = DEFAULT_THRESHOLD
    hops: int = DEFAULT_HOPS
    family: bool = True
    min_shared: int = 3
    min_tenders: int = 4
    min_group_size: int = 2
    min_presence: float = 0.5
    cover_band: float | None = None
    """A fixed cover band (the old 10 %); None: each market's ``cover_quantile`` premium."""
    cover_quantile: float = 0.75
    price_weight: float = 0.5
    link_bonus: float = 0.10
    blacklist_bonus: float = 0.05
    blacklist_kinds: tuple[str, ...] = BLACKLIST_KINDS
    seed: int = 0

    def check(self) -> CartelConfig:
        if not 0.0 <= self.threshold <= 1.0:
            raise BadInput(f"--threshold must be between 0 and 1, not {self.threshold}")
        check_hops(self.hops)
        if self.min_shared < 2 or self.min_tenders < 2:
            raise BadInput("--min-shared and --min-tenders must be at least 2, not "
                           f"{self.min_shared} / {self.min_tenders}")
        if self.min_group_size < 2:
            raise BadInput(f"--min-group-size must be at least 2, not {self.min_group_size}")
        if not 0.0 < self.cover_quantile < 1.0:
            raise BadInput(f"--cover-quantile must be in (0, 1), not {self.cover_quantile}")
        if self.cover_band is not None and not self.cover_band > 0.0:
            raise BadInput(f"--cover-band must be positive, not {self.cover_band}")
        return self


@dataclass
class GroupFlag:
    """A co-bidding group, its statistics, score and evidence."""

    group_id: str
    stats: GroupStats
    cover: float | None
    rotation: float
    links: list[Link]
    blacklisted: list[str]
    score: float
    flagged: bool
    cypher: dict[str, Any] = field(default_factory=dict)
    phantom: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        s = self.stats
        return {
            "group_id": self.group_id, "score": round(self.score, 4), "flagged": self.flagged,
            "members": s.members, "tenders": s.tenders,
            "statistics": {
                "group_tenders": len(s.tenders), "member_wins": s.member_wins,
                "member_win_share": round(s.member_win_share, 4),
                "evenness": round(s.evenness, 4), "turn_taking": round(s.turn_taking, 4),
                "rotation": round(self.rotation, 4), "phantom": round(self.phantom, 4),
                "cover_share": None if self.cover is None else round(self.cover, 4),
                "cover_premium_median": _r(s.cover_premium),
                "member_bid_cv_median": _r(s.member_cv),
            },
            "rounds": s.rounds,
            "links": [link.to_dict() for link in self.links],
            "blacklisted_members": self.blacklisted, "cypher": self.cypher,
        }


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


@dataclass
class TenderScore:
    """One tender's cartel score and what contributed to it."""

    tender_id: str
    score: float
    flagged: bool
    price: TenderPrice
    group_id: str | None
    group_score: float
    linked: bool
    blacklisted: bool
    bidders: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"tender_id": self.tender_id, "score": round(self.score, 4),
                "flagged": self.flagged, "bidders": self.bidders,
                "contributions": {"group_id": self.group_id,
                                  "group_score": round(self.group_score, 4),
                                  "price_score": _r(self.price.score),
                                  "linked_bidders": self.linked,
                                  "blacklisted_party": self.blacklisted},
                **self.price.to_dict()}


@dataclass
class CartelReport:
    """Everything the cartel screens found."""

    config: CartelConfig
    tenders_screened: int
    reference_cv: float | None
    groups: list[GroupFlag]
    linked_bidders: list[dict[str, Any]]
    blacklisted_bids: list[dict[str, Any]]
    tenders: list[TenderScore] = field(default_factory=list)
    pairs: list[PairScreen] = field(default_factory=list)
    source: dict[str, Tender] = field(default_factory=dict, repr=False)
    """The competitive tenders screened (for the supervised model; not in the JSON)."""
    firms: dict[str, float] = field(default_factory=dict)
    """Firm → its score: the best score of a group it belongs to, else half the mean score of
    the tenders it bid in."""

    @property
    def flagged(self) -> list[GroupFlag]:
        return [g for g in self.groups if g.flagged]

    def to_dict(self) -> dict[str, Any]:
        c = self.config
        return {
            "threshold": c.threshold, "hops": c.hops, "family_ties": c.family,
            "min_shared": c.min_shared, "min_tenders": c.min_tenders,
            "min_group_size": c.min_group_size,
            "cover_band": c.cover_band if c.cover_band is not None
            else f"market quantile {c.cover_quantile}",
            "tenders_screened": self.tenders_screened,
            "reference_tender_cv_median": _r(self.reference_cv),
            "groups_scored": len(self.groups), "groups_flagged": len(self.flagged),
            "tenders_flagged": sum(t.flagged for t in self.tenders),
            "groups": [g.to_dict() for g in self.groups],
            "tenders": [t.to_dict() for t in self.tenders],
            "pairs": [p.to_dict() for p in self.pairs if p.score > 0],
            "firms": [{"uscc": f, "score": round(v, 4)}
                      for f, v in sorted(self.firms.items(), key=lambda kv: (-kv[1], kv[0]))
                      if v > 0],
            "linked_bidders": self.linked_bidders,
            "blacklisted_bids": self.blacklisted_bids,
        }


def cover_share(stats: GroupStats, band: float | dict[str, float]) -> float | None:
    """Share of the members' losing bids within (0, band] above the winning member's bid
    (``band`` fixed, or per tender: its market's band)."""
    if not stats.premiums:
        return None
    if isinstance(band, dict):
        tids = stats.premium_tenders
        inside = sum(0.0 < p <= band.get(t, 0.10) for p, t in zip(stats.premiums, tids,
                                                                   strict=True))
    else:
        inside = sum(0.0 < p <= band for p in stats.premiums)
    return inside / len(stats.premiums)


def group_phantom(stats: GroupStats, never_won: set[str]) -> float:
    """Share of the members that never won any tender, times the members' win share: a group
    where one firm wins and the others exist to lose (0 when all members have won)."""
    if not stats.members:
        return 0.0
    phantoms = sum(m in never_won for m in stats.members)
    if phantoms == len(stats.members):
        return 0.0
    return phantoms / len(stats.members) * stats.member_win_share


def group_score(stats: GroupStats, cover: float | None, linked: bool, blacklisted: bool,
                cfg: CartelConfig, phantom: float = 0.0) -> tuple[float, float]:
    """(score, rotation) of a group (see the module docstring)."""
    rotation = stats.member_win_share * stats.evenness
    if len(stats.tenders) < cfg.min_tenders:
        return 0.0, rotation
    base = max(rotation, phantom) * (0.5 if cover is None else cover)
    keep = (1.0 - cfg.link_bonus * linked) * (1.0 - cfg.blacklist_bonus * blacklisted)
    return 1.0 - (1.0 - base) * keep, rotation


def never_won(tenders: dict[str, Tender]) -> set[str]:
    """Firms that bid in these tenders and never won one."""
    bidders = {f for t in tenders.values() for f in t.bid_of}
    winners = {f for t in tenders.values() if (w := t.winner) for f in w.firms}
    return bidders - winners


def bands(tenders: dict[str, Tender], cfg: CartelConfig) -> float | dict[str, float]:
    """The cover band: fixed, or each tender's market band."""
    return cfg.cover_band if cfg.cover_band is not None else cover_bands(tenders,
                                                                         cfg.cover_quantile)


def screen_groups(tenders: dict[str, Tender], cfg: CartelConfig
                  ) -> list[tuple[frozenset[str], GroupStats]]:
    """Co-bidding groups (pruned) with their statistics, largest first."""
    pairs = cobid_counts(tenders)
    by_firm = tenders_by_firm(tenders)
    out = []
    for g in cobid_groups(pairs, cfg.min_shared, cfg.seed):
        if len(g) < cfg.min_group_size:
            continue
        members = prune(g, around(g, by_firm), cfg.min_presence, cfg.min_group_size)
        out.append((members, group_stats(members, around(members, by_firm))))
    return out


def screen_cartels(store: Store, cfg: CartelConfig | None = None) -> CartelReport:
    """Run the screens on the graph and score the co-bidding groups and every tender."""
    cfg = (cfg or CartelConfig()).check()
    firms = all_firm_keys(store)  # firms read through the resolution (graph/firm_links.py)
    tenders = competitive_tenders(store, firms=firms)
    groups = screen_groups(tenders, cfg)
    competing = _competing_pairs(tenders)
    member_pairs = {(a, b) for members, _ in groups for a in members for b in members if a < b}
    links = linked_pairs(store, sorted(set(competing) | member_pairs), cfg.hops, cfg.family,
                         firms)
    black = blacklisted_parties(store, cfg.blacklist_kinds, firms)
    banned = ever_blacklisted(store, cfg.blacklist_kinds, firms)
    return score_all(tenders, cfg, groups, competing, links, _blacklist_flags(black), banned)


def score_all(tenders: dict[str, Tender], cfg: CartelConfig,
              groups: list[tuple[frozenset[str], GroupStats]] | None = None,
              competing: dict[tuple[str, str], list[str]] | None = None,
              links: dict[tuple[str, str], Link] | None = None,
              blacklisted_bids: list[dict[str, Any]] | None = None,
              banned: set[str] | None = None) -> CartelReport:
    """Score groups, pairs, tenders and firms from the bids and whatever graph links exist
    (none on bid-only data: ``links`` / ``banned`` empty)."""
    groups = screen_groups(tenders, cfg) if groups is None else groups
    competing = _competing_pairs(tenders) if competing is None else competing
    links, banned = links or {}, banned or set()
    blacklisted_bids = blacklisted_bids or []
    band = bands(tenders, cfg)
    losers = never_won(tenders)
    flags = []
    for members, stats in groups:
        glinks = [links[p] for p in sorted(links) if p[0] in members and p[1] in members]
        gblack = sorted(m for m in members if m in banned)
        cover = cover_share(stats, band)
        phantom = group_phantom(stats, losers)
        score, rotation = group_score(stats, cover, bool(glinks), bool(gblack), cfg, phantom)
        flags.append(GroupFlag(
            group_id="", stats=stats, cover=cover, rotation=rotation,
            links=glinks, blacklisted=gblack, score=score, flagged=score >= cfg.threshold,
            cypher=browser_query("screens/cartel_show_group",
                                 {"usccs": stats.members, "tender_ids": stats.tenders}),
            phantom=phantom))
    flags.sort(key=lambda g: (-g.score, -len(g.stats.members), g.stats.members))
    for i, g in enumerate(flags, 1):
        g.group_id = f"group-{i:04d}"
    cvs = [c for t in tenders.values() if (c := tender_cv(t)) is not None]
    tscores = _tender_scores(tenders, cfg, flags, competing, links, blacklisted_bids)
    pairs = pair_screens(tenders, competing, cfg.min_shared)
    return CartelReport(cfg, len(tenders), statistics.median(cvs) if cvs else None, flags,
                        _link_flags(competing, links), blacklisted_bids, tscores,
                        list(pairs.values()), tenders, _firm_scores(tenders, flags, tscores))


def _tender_scores(tenders: dict[str, Tender], cfg: CartelConfig, groups: list[GroupFlag],
                   competing: dict[tuple[str, str], list[str]],
                   links: dict[tuple[str, str], Link],
                   blacklisted_bids: list[dict[str, Any]]) -> list[TenderScore]:
    prices = price_screens(tenders)
    best: dict[str, GroupFlag] = {}
    for g in groups:  # best first
        for tid in g.stats.tenders:
            best.setdefault(tid, g)
    linked = {tid for pair, tids in competing.items() if pair in links for tid in tids}
    black = {str(b["tender_id"]) for b in blacklisted_bids}
    out = []
    for tid in sorted(tenders):
        price = prices[tid]
        top = best.get(tid)
        gscore = top.score if top else 0.0
        p = price.score
        pcomp = cfg.price_weight * max(0.0, 2.0 * p - 1.0) if p is not None else 0.0
        keep = ((1.0 - gscore) * (1.0 - pcomp) * (1.0 - cfg.link_bonus * (tid in linked))
                * (1.0 - cfg.blacklist_bonus * (tid in black)))
        score = 1.0 - keep
        out.append(TenderScore(tid, score, score >= cfg.threshold, price,
                               top.group_id if top else None, gscore, tid in linked,
                               tid in black,
                               sorted(tenders[tid].bid_of)))
    return out


def _firm_scores(tenders: dict[str, Tender], groups: list[GroupFlag],
                 tscores: list[TenderScore]) -> dict[str, float]:
    by_tender = {t.tender_id: t.score for t in tscores}
    out: dict[str, float] = {}
    for firm, ts in sorted(tenders_by_firm(tenders).items()):
        out[firm] = sum(by_tender[t.tender_id] for t in ts) / len(ts)
    for firm in out:
        out[firm] *= 0.5  # a firm's tenders alone cannot reach the group threshold
    for g in groups:
        for m in g.stats.members:
            out[m] = max(out.get(m, 0.0), g.score)
    return out


def _competing_pairs(tenders: dict[str, Tender]) -> dict[tuple[str, str], list[str]]:
    return dict(cobid_counts(tenders))


def _link_flags(competing: dict[tuple[str, str], list[str]],
                links: dict[tuple[str, str], Link]) -> list[dict[str, Any]]:
    out = []
    for pair, tids in sorted(competing.items()):
        link = links.get(pair)
        if link is None:
            continue
        out.append({"tenders": sorted(tids), **link.to_dict(),
                    "cypher": browser_query("screens/cartel_show_link",  # the keys the
                                            {"a": link.path[0], "b": link.path[-1],  # path joins
                                             "tender_id": sorted(tids)[0]})})
    return out


def _blacklist_flags(black: list[BlacklistedParty]) -> list[dict[str, Any]]:
    return [{"tender_id": p.tender_id, "bid_id": p.bid_id, "uscc": p.uscc, "role": p.role,
             "consortium": p.parties > 1, "record_id": p.record_id, "kind": p.kind,
             "issued_on": p.issued_on, "removed_on": p.removed_on,
             "disclosure": p.disclosure, "agency": p.agency,
             "cypher": browser_query("screens/cartel_show_blacklisted_bid",
                                     {"bid_id": p.bid_id, "record_id": p.record_id})}
            for p in black]
