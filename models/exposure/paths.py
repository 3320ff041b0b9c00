"""Simple supply paths from the focal firm outwards, each with its value share.

A path's value share is the product of its hops' shares (``SupplyNetwork.share``): for the
upstream path F ← A ← B it is A's share of F's purchases times B's share of A's purchases.
Paths never revisit a firm (nor the focal firm), so cycles in the supply graph end the path.
"""

from __future__ import annotations

from dataclasses import dataclass

from riskgraph.graph.errors import ErrorCode, RiskgraphError
from riskgraph.models.exposure.network import SupplyNetwork

MAX_PATHS = 500_000


@dataclass(frozen=True)
class SupplyPath:
    firms: tuple[str, ...]
    """From the focal firm outwards; the last one is the supplier (or customer) reached."""
    share: float

    @property
    def length(self) -> int:
        return len(self.firms) - 1

    @property
    def end(self) -> str:
        return self.firms[-1]


def simple_paths(net: SupplyNetwork, max_paths: int = MAX_PATHS) -> dict[str, list[SupplyPath]]:
    """Every simple path of 1..``net.tiers`` hops, grouped by the firm it reaches."""
    found: dict[str, list[SupplyPath]] = {}
    count = 0
    stack: list[tuple[tuple[str, ...], float]] = [((net.focal.uscc,), 1.0)]
    while stack:
        path, share = stack.pop()
        near = path[-1]
        for far in net.links.get(near, {}):
            if far in path:
                continue
            step = (*path, far)
            value = share * net.share(near, far)
            found.setdefault(far, []).append(SupplyPath(step, value))
            count += 1
            if count > max_paths:
                raise RiskgraphError(
                    f"more than {max_paths:,} supply paths within {net.tiers} tiers of "
                    f"{net.focal.uscc}; ask for fewer tiers", code=ErrorCode.LIMIT_EXCEEDED)
            if len(step) - 1 < net.tiers:
                stack.append((step, value))
    for paths in found.values():
        paths.sort(key=lambda p: (-p.share, p.length, p.firms))
    return found
