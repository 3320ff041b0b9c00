"""One red flag and the indicators' codes and titles: what the screen
(:mod:`models.screens.redflags`), R044 (:mod:`models.screens.redflag_similarity`) and the
Browser statements (:mod:`models.screens.redflag_cypher`) share."""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass
class Flag:
    """One red flag: Cardinal's group / id / value, plus what shows it. The fields are in the
    order of the GraphQL ``RedFlag`` type built from this class (app/graphql/screens/types.py;
    not frozen, since strawberry types cannot inherit a frozen dataclass); ``title`` follows
    from the indicator."""

    indicator: str
    title: str = field(init=False)
    group: str
    id: str
    value: float
    tender_id: str | None = None
    evidence: dict[str, Any] = field(kw_only=True)

    def __post_init__(self) -> None:
        self.title = TITLES[self.indicator]

    def to_dict(self) -> dict[str, Any]:
        cypher = snippet(self)
        return {"indicator": self.indicator, "title": self.title,
                "group": self.group, "id": self.id, "value": self.value,
                "tender_id": self.tender_id, "evidence": self.evidence, **cypher}
