"""Risk tiers for inspection planning: low / average / high / critical on calibrated risk.

A firm's tier follows from its calibrated risk (P(an inspection finds a violation)) and fixed
cut-offs, so a tier means the same thing in every run and every region:

* **critical** — risk ≥ 0.50: an inspection is more likely than not to find a violation;
* **high** — 0.30 to 0.50: about twice the average firm's risk or more;
* **average** — 0.15 to 0.30: around the average (the demo world's mean risk is about 0.20);
* **low** — below 0.15.

On the demo world this puts about 2% of firms in critical, 8% in high, 45% in average and 45%
in low (docs/inspection-plans.md). Override with
``riskgraph rank --tier-cutoffs average=0.15,high=0.3,critical=0.5``.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from riskgraph.graph.errors import BadInput
from riskgraph.models.name_values import parse_name_numbers

TIERS: tuple[str, ...] = ("low", "average", "high", "critical")
"""From least to most risky."""
HIGH_TIERS: tuple[str, ...] = ("high", "critical")
DEFAULT_CUTOFFS: dict[str, float] = {"average": 0.15, "high": 0.30, "critical": 0.50}
"""Lower bounds of calibrated risk for each tier above ``low``."""


def check_cutoffs(cutoffs: Mapping[str, float]) -> dict[str, float]:
    """Validate tier cut-offs: all three tiers above low, in (0, 1), strictly increasing."""
    missing = [t for t in TIERS[1:] if t not in cutoffs]
    extra = [t for t in cutoffs if t not in TIERS[1:]]
    if missing or extra:
        raise BadInput(f"tier cut-offs need exactly {', '.join(TIERS[1:])}; "
                       f"missing {missing or 'none'}, unknown {extra or 'none'}")
    values = [float(cutoffs[t]) for t in TIERS[1:]]
    if not all(0.0 < v < 1.0 for v in values) or not all(
            a < b for a, b in pairwise(values)):
        raise BadInput(f"tier cut-offs must lie in (0, 1) and increase average < high < "
                       f"critical; got {dict(zip(TIERS[1:], values, strict=True))}")
    return dict(zip(TIERS[1:], values, strict=True))


def parse_cutoffs(text: str) -> dict[str, float]:
    """``"average=0.1,high=0.25,critical=0.45"`` → checked cut-offs."""
    out = parse_name_numbers(text, lambda part: f"tier cut-off {part!r} is not name=number")
    return check_cutoffs(out)


def assign_tiers(risk: npt.NDArray[np.float64],
                 cutoffs: Mapping[str, float] | None = None) -> npt.NDArray[np.object_]:
    """The tier of each risk value (``low`` below the ``average`` cut-off)."""
    cut = check_cutoffs(cutoffs or DEFAULT_CUTOFFS)
    tier = np.full(len(risk), TIERS[0], dtype=object)
    for name in TIERS[1:]:
        tier[risk >= cut[name]] = name
    return tier
