"""One red flag and the indicators' codes and titles: what the screen
(:mod:`models.screens.redflags`), R044 (:mod:`models.screens.redflag_similarity`) and the
Browser statements (:mod:`models.screens.redflag_cypher`) share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from riskgraph.models.screens.redflag_cypher import snippet

CARDINAL_INDICATORS = ("R003", "R018", "R024", "R025", "R028", "R030", "R035", "R036", "R038",
                       "R048", "R058")
INDICATORS = (*CARDINAL_INDICATORS[:10], "R044", CARDINAL_INDICATORS[10])
TITLES = {
    "R003": "short submission period", "R018": "single bid",
    "R024": "price close to the winning bid", "R025": "excessive unsuccessful bids",
    "R028": "identical bid prices", "R030": "late bid won",
    "R035": "all except the winning bid disqualified", "R036": "lowest bid disqualified",
    "R038": "excessive disqualified bids", "R044": "business similarities between tenderers",
    "R048": "heterogeneous supplier", "R058": "heavily discounted bid",
}


@dataclass(frozen=True)
class Flag:
    """One red flag: Cardinal's group / id / value, plus what shows it."""

    indicator: str
    group: str
    id: str
    value: float
    evidence: dict[str, Any]
    tender_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        cypher = snippet(self)
        return {"indicator": self.indicator, "title": TITLES[self.indicator],
                "group": self.group, "id": self.id, "value": self.value,
                "tender_id": self.tender_id, "evidence": self.evidence, **cypher}
