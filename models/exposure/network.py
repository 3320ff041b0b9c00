"""Walk a firm's supply network tier by tier (breadth first) with ``cypher/exposure`` hops."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from neo4j import Driver

from riskgraph.graph.driver import read
from riskgraph.graph.errors import BadInput, ErrorCode, NotFound, RiskgraphError
from riskgraph.graph.identifiers import IdentifierError, clean_firm_id

MAX_TIERS = 6
"""Deepest walk allowed; supply networks grow roughly 10-40 fold per tier."""
MAX_FIRMS = 50_000
"""A walk that reaches more firms than this stops with LIMIT_EXCEEDED."""

UPSTREAM, DOWNSTREAM = "upstream", "downstream"


@dataclass(frozen=True)
class Firm:
    uscc: str
    name: str
    status: str


@dataclass
class SupplyNetwork:
    """The firms within ``tiers`` hops of ``focal`` and the supplies between them.

    ``links[near][far]`` is the annual value of the supplies between a firm (``near``, the one
    closer to the focal firm) and its counterpart one tier further out (``far``); ``totals[near]``
    sums all of ``near``'s in-force supplies in the walk's direction (purchases upstream, sales
    downstream), so ``share(near, far)`` is far's share of near's purchases (or sales).
    """

    focal: Firm
    direction: str
    tiers: int
    as_of: dt.date
    firms: dict[str, Firm] = field(default_factory=dict)
    tier: dict[str, int] = field(default_factory=dict)
    links: dict[str, dict[str, float]] = field(default_factory=dict)
    totals: dict[str, float] = field(default_factory=dict)

    def share(self, near: str, far: str) -> float:
        total = self.totals.get(near, 0.0)
        return self.links[near][far] / total if total > 0 else 0.0


def check_uscc(uscc: str, what: str = "USCC") -> str:
    """``uscc`` as a canonical firm identifier (graph/identifiers.py), or BadInput saying what is
    wrong with it."""
    try:
        return clean_firm_id(uscc)
    except IdentifierError as exc:
        raise BadInput(f"{what} {uscc!r}: {exc}") from None


def check_tiers(tiers: int) -> int:
    if not 1 <= tiers <= MAX_TIERS:
        raise BadInput(f"--tiers must be between 1 and {MAX_TIERS}, got {tiers}")
    return tiers


def get_firm(driver: Driver, uscc: str, database: str | None = None) -> Firm:
    """The company ``uscc`` (validated), or NotFound."""
    code = check_uscc(uscc)
    rows = read(driver, "exposure/get_company", database, uscc=code)
    if not rows:
        raise NotFound(f"no company with USCC {code}")
    return Firm(code, str(rows[0]["name"] or ""), str(rows[0]["status"] or ""))


def walk(driver: Driver, uscc: str, tiers: int = 3, downstream: bool = False,
         as_of: dt.date | None = None, database: str | None = None) -> SupplyNetwork:
    """The supply network of firm ``uscc`` up to ``tiers`` hops, supplies in force at ``as_of``."""
    check_tiers(tiers)
    focal = get_firm(driver, uscc, database)
    net = SupplyNetwork(focal, DOWNSTREAM if downstream else UPSTREAM, tiers,
                        as_of or dt.date.today(), firms={focal.uscc: focal})
    hop = "exposure/list_customer_hop" if downstream else "exposure/list_supplier_hop"
    frontier = [focal.uscc]
    for k in range(1, tiers + 1):
        rows = read(driver, hop, database, usccs=frontier, as_of=net.as_of.isoformat())
        reached: set[str] = set()
        for row in rows:
            near, far, value = str(row["near"]), str(row["far"]), float(row["value"] or 0.0)
            net.links.setdefault(near, {})[far] = value
            net.totals[near] = net.totals.get(near, 0.0) + value
            if far not in net.firms:
                net.firms[far] = Firm(far, str(row["far_name"] or ""),
                                      str(row["far_status"] or ""))
                net.tier[far] = k
                reached.add(far)
        if len(net.firms) > MAX_FIRMS:
            raise RiskgraphError(
                f"the {net.direction} network of {focal.uscc} reaches more than {MAX_FIRMS:,} "
                f"firms within {k} tiers; ask for fewer tiers", code=ErrorCode.LIMIT_EXCEEDED)
        frontier = sorted(reached)
        if not frontier:
            break
    return net
