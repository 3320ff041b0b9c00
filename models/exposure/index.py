"""Reasons, risk weights, the exposure index and supplier concentration (docs/exposure.md).

For a firm F, tiers N and decay d, with P the simple supply paths of 1..N hops, v(p) a path's
value share, |p| its length and w(s) the risk weight of the firm s it reaches:

    index = 100 × Σ_p v(p) · d^(|p|−1) · w(s(p))  /  Σ_{k=1..N} d^(k−1)

Each tier's value shares sum to at most 1 (exactly 1 for tier 1), so the index lies in
[0, 100]; 100 means every tier's whole purchase volume comes from maximally risky firms.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from riskgraph.models.disclosure import EVERYONE, WITHHELD, Audience
from riskgraph.models.exposure.facts import FirmFacts

DEFAULT_DECAY = 0.5

REASON_WEIGHTS: dict[str, float] = {
    "procurement_ban": 1.0,
    "serious_dishonest_enterprise_list": 1.0,
    "judgment_unsatisfied": 0.6,
    "listed_key_person": 0.6,
    "risk_tier_critical": 0.6,
    "risk_tier_high": 0.4,
    "abnormal_operations": 0.3,
    "shared_people": 0.3,
}
"""Risk weight of each reason; a firm's weight is the largest of its reasons' (0 if none)."""
TIER_REASONS = {"critical": "risk_tier_critical", "high": "risk_tier_high"}


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    evidence: list[dict[str, Any]] = field(default_factory=list)

    @property
    def weight(self) -> float:
        return REASON_WEIGHTS[self.code]


def reasons_of(facts: FirmFacts, audience: Audience = EVERYONE) -> list[Reason]:
    """The reasons a firm is risky, strongest first, each with its evidence rows.

    Every record counts towards the reasons (the verdict), but each text and evidence list is
    written from the rows ``audience`` may see; a reason none of whose records it may see
    keeps its code and weight with the text :data:`models.disclosure.WITHHELD`."""
    out: list[Reason] = []
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for row in facts.listings:
        by_kind.setdefault(str(row["kind"]), []).append(row)
    for kind, rows in by_kind.items():
        seen = [r for r in rows if audience.may_see(r)]
        if not seen:
            out.append(Reason(kind, WITHHELD, []))
            continue
        first = seen[0]
        out.append(Reason(kind, f"{kind.replace('_', ' ')} since {first['issued_on']} "
                                f"({first['agency']}, record {first['record_id']})", seen))
    if facts.listed_persons:
        seen = [r for r in facts.listed_persons if audience.may_see(r)]
        names = sorted({f"{r['person_name']} ({r['role'].removesuffix('_OF').lower()}, "
                        f"{r['kind'].replace('_', ' ')})" for r in seen})
        out.append(Reason("listed_key_person",
                          "key person listed: " + "; ".join(names) if names else WITHHELD,
                          seen))
    if facts.shared_people:
        seen = [r for r in facts.shared_people if audience.may_see(r)]
        others = sorted({f"{r['person_name']} also at {r['other_name'] or r['other_uscc']} "
                         f"({r['kind'].replace('_', ' ')})" for r in seen})
        out.append(Reason("shared_people", "shares people with blacklisted firms: "
                          + "; ".join(others[:5]) + (" …" if len(others) > 5 else "")
                          if others else WITHHELD, seen))
    a = facts.assessment
    if a is not None and a.get("tier") in TIER_REASONS:
        out.append(Reason(TIER_REASONS[str(a["tier"])],
                          f"risk tier {a['tier']} (risk {float(a['risk'] or 0):.2f}, rank "
                          f"{a['rank']}, run {a['run_id']})", [a]))
    out.sort(key=lambda r: (-r.weight, r.code))
    return out


def risk_weight(reasons: Iterable[Reason]) -> float:
    return max((r.weight for r in reasons), default=0.0)


def tier_factor(length: int, decay: float) -> float:
    """Weight of a path of ``length`` hops: 1 for tier 1, ``decay`` for tier 2, …"""
    return float(decay ** (length - 1))


def normaliser(tiers: int, decay: float) -> float:
    return sum(tier_factor(k, decay) for k in range(1, tiers + 1))


def hhi(shares: Iterable[float]) -> float:
    """Herfindahl-Hirschman index of value shares (0..1; 1 = a single supplier)."""
    return float(sum(s * s for s in shares))
