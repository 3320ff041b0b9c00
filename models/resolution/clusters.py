"""Clusters from scored pairs, under the investigators' judgements.

A "same" judgement links its pair first; then pairs at or above the threshold link in order of
decreasing match weight (ties by id, so the result is the same in every process), except that a
link never joins two clusters holding a pair judged "not same": a "not same" is never merged
automatically, not even through a third record. Records passed as ``apart`` (firms of the
registry: a USCC names one legal entity) are never joined into one cluster by scored links
either (judged "same" pairs are the investigators' word and link first).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class Link:
    a: str
    b: str
    weight: float
    probability: float
    method: str
    """``splink`` (scored above the threshold) or ``judgement`` (judged the same)."""


@dataclass
class Clustering:
    members: dict[str, list[str]] = field(default_factory=dict)
    """Cluster id (its smallest member) → members, sorted; only clusters of two or more."""
    links: list[Link] = field(default_factory=list)
    """The links that formed the clusters."""
    refused: list[Link] = field(default_factory=list)
    """Links above the threshold refused by a "not same" judgement."""
    kept_apart: list[Link] = field(default_factory=list)
    """Links above the threshold refused because both clusters hold an ``apart`` record."""


def pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def cluster(scored: Iterable[tuple[str, str, float, float]], threshold: float,
            same: Iterable[tuple[str, str]] = (),
            not_same: Iterable[tuple[str, str]] = (),
            apart: Iterable[str] = ()) -> Clustering:
    """``scored``: (a, b, match_weight, match_probability) per candidate pair; no scored link
    joins two clusters that both hold an ``apart`` record."""
    parent: dict[str, str] = {}
    forbidden: dict[str, set[str]] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in not_same:
        forbidden.setdefault(a, set()).add(b)
        forbidden.setdefault(b, set()).add(a)
    roots_forbidden: dict[str, set[str]] = {}
    for x, ys in forbidden.items():
        roots_forbidden.setdefault(find(x), set()).update(find(y) for y in ys)

    out = Clustering()
    holding = set(apart)
    """Roots of the clusters holding an apart record (a record is its own root at first)."""

    def union(link: Link) -> bool:
        ra, rb = find(link.a), find(link.b)
        if ra == rb:
            return True
        if rb in roots_forbidden.get(ra, set()):
            return False
        keep, gone = (ra, rb) if ra <= rb else (rb, ra)
        parent[gone] = keep
        if gone in holding:
            holding.discard(gone)
            holding.add(keep)
        merged = roots_forbidden.pop(keep, set()) | roots_forbidden.pop(gone, set())
        if merged:
            roots_forbidden[keep] = merged
            for other in merged:
                theirs = roots_forbidden.get(other)
                if theirs is not None and gone in theirs:
                    theirs.discard(gone)
                    theirs.add(keep)
        out.links.append(link)
        return True

    for a, b in sorted(pair(*p) for p in same):
        union(Link(a, b, float("inf"), 1.0, "judgement"))
    above = sorted((p for p in scored if p[3] >= threshold),
                   key=lambda p: (-p[2], *pair(p[0], p[1])))
    for a, b, weight, probability in above:
        a, b = pair(a, b)
        link = Link(a, b, weight, probability, "splink")
        ra, rb = find(a), find(b)
        if ra != rb and ra in holding and rb in holding:
            out.kept_apart.append(link)
        elif not union(link):
            out.refused.append(link)
    groups: dict[str, list[str]] = {}
    for x in parent:
        groups.setdefault(find(x), []).append(x)
    out.members = {min(m): sorted(m) for m in groups.values() if len(m) > 1}
    return out
