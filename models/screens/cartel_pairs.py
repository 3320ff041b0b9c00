"""Pairwise co-bidding screens (docs/screens-cartels.md): pairs that rotate wins, and phantom
bidders that only ever lose to one partner.

For each pair of firms that bid *separately* in at least ``min_shared`` tenders:

* ``shared``: those tenders; ``wins_a`` / ``wins_b``: how many of them each firm won;
* ``rotation = (wins_a + wins_b) / shared × evenness``, where evenness is the entropy of the
  two win counts over log 2 (1 when they won equally often, 0 when one never won);
* ``phantom``: for the firm that never won any tender it bid in, the share of its bids placed in
  tenders its partner won (a bidder that exists to lose to one firm); 0 when both have won.

Both are reported; a pair's score is ``max(rotation, phantom)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from riskgraph.models.screens.cobidding import Tender, tenders_by_firm


@dataclass(frozen=True)
class PairScreen:
    a: str
    b: str
    shared: int
    wins_a: int
    wins_b: int
    rotation: float
    phantom: float
    phantom_firm: str | None

    @property
    def score(self) -> float:
        return max(self.rotation, self.phantom)

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "shared_tenders": self.shared, "wins_a": self.wins_a,
                "wins_b": self.wins_b, "rotation": round(self.rotation, 4),
                "phantom": round(self.phantom, 4), "phantom_firm": self.phantom_firm,
                "score": round(self.score, 4)}


def _winners(t: Tender) -> frozenset[str]:
    win = t.winner
    return frozenset(win.firms) if win else frozenset()


def pair_screens(tenders: dict[str, Tender], pairs: dict[tuple[str, str], list[str]],
                 min_shared: int) -> dict[tuple[str, str], PairScreen]:
    """The screens of every pair with at least ``min_shared`` separate co-bids."""
    by_firm = tenders_by_firm(tenders)
    total_wins = {f: sum(f in _winners(t) for t in ts) for f, ts in by_firm.items()}
    out = {}
    for (a, b), tids in sorted(pairs.items()):
        if len(tids) < min_shared:
            continue
        won = [_winners(tenders[tid]) for tid in tids]
        wa, wb = sum(a in w for w in won), sum(b in w for w in won)
        total = wa + wb
        even = 0.0
        if wa and wb:
            pa, pb = wa / total, wb / total
            even = -(pa * math.log(pa) + pb * math.log(pb)) / math.log(2)
        rotation = total / len(tids) * even
        phantom, who = 0.0, None
        for loser, wins in ((b, wa), (a, wb)):
            if total_wins.get(loser, 0) == 0 and wins:
                share = wins / len(by_firm[loser])
                if share > phantom:
                    phantom, who = share, loser
        out[(a, b)] = PairScreen(a, b, len(tids), wa, wb, rotation, phantom, who)
    return out
