"""The cartel screen as a point-in-time risk feature (registered in models/features/bidding.py).

The risk snapshot (graph/snapshot.py) has every bid's firm, tender, status and dates but not its
amount, so the feature uses the rotation half of the cartel score: for the co-bidding groups of
tenders whose deadline passed by the as-of date (models/screens/cobidding.py), a member's value
is its group's ``member_win_share × evenness`` when the group has at least ``min_tenders`` group
tenders, else 0. Nothing dated after the as-of date is read.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from riskgraph.graph.snapshot import BID_STATUSES
from riskgraph.models.features.context import FeatureContext, FloatArray
from riskgraph.models.screens.cartels import CartelConfig, screen_groups
from riskgraph.models.screens.cobidding import TenderBid, tenders_from

_WON = BID_STATUSES.index("won")


def cobid_rotation(ctx: FeatureContext, cfg: CartelConfig | None = None) -> FloatArray:
    """It bids repeatedly against the same firms, and they take turns to win.

    Winner-rotation score (members' share of wins × evenness of the wins, 0..1) of the firm's
    co-bidding group over tenders whose deadline passed by the as-of date; 0 for firms outside
    a group with at least four group tenders."""
    cfg = cfg or CartelConfig()
    s = ctx.snap
    ok = (s.bid_deadline <= ctx.t) & (s.bid_deadline > -500_000)
    firms: dict[int, list[str]] = defaultdict(list)
    meta: dict[int, tuple[int, int, bool]] = {}
    for f, tender, bid, status, pub in zip(s.bid_firm[ok].tolist(), s.bid_tender[ok].tolist(),
                                           s.bid_id[ok].tolist(), s.bid_status[ok].tolist(),
                                           s.bid_published[ok].tolist(), strict=True):
        firms[bid].append(str(f))
        meta[bid] = (tender, pub, meta.get(bid, (0, 0, False))[2] or status == _WON)
    per_tender: dict[int, int] = defaultdict(int)
    for tender, _, _ in meta.values():
        per_tender[tender] += 1
    bids = [TenderBid(str(tender), f"{pub + 10**7:09d}", str(bid), None,
                      "won" if won else "lost", tuple(sorted(firms[bid])))
            for bid, (tender, pub, won) in meta.items() if per_tender[tender] >= 2]
    out = np.zeros(ctx.n)
    for members, stats in screen_groups(tenders_from(bids), cfg):
        if len(stats.tenders) >= cfg.min_tenders:
            idx = np.array(sorted(int(m) for m in members), dtype=np.int64)
            out[idx] = np.maximum(out[idx], stats.member_win_share * stats.evenness)
    return out
