"""Precision and recall of the cartel screen against a synthetic world's planted cartels.

Only evaluation code reads ``ground_truth.json`` (schemes → ``bid_rigging_cartels``, each with
its ``members``). Two units:

* **firm level** (the headline ``precision`` / ``recall``): the flagged firms are the members of
  the flagged groups; precision = flagged firms that belong to a planted cartel / flagged firms;
  recall = planted cartel members flagged / planted cartel members;
* **group level**: a flagged group *matches* a planted cartel when at least half of the group's
  firms are members of that cartel and the group holds at least half of the cartel's members;
  group precision = flagged groups matching some cartel / flagged groups; group recall =
  cartels matched by some flagged group / cartels.

With nothing flagged precision is reported as 1.0 (no false alarm) and recall as 0.0.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from neo4j import Driver

from riskgraph.graph.errors import BadInput, NotFound
from riskgraph.graph.schema import GROUND_TRUTH_FILE
from riskgraph.graph.snapshot import list_load_batches
from riskgraph.models.screens.cartels import CartelReport


def find_ground_truth(driver: Driver, database: str | None = None) -> Path:
    """``ground_truth.json`` beside the most recently loaded world that has one."""
    for batch in list_load_batches(driver, database):
        candidate = Path(str(batch.get("directory") or "")) / GROUND_TRUTH_FILE
        if candidate.is_file():
            return candidate
    raise NotFound("no loaded world has a ground_truth.json beside it; load a synthetic world "
                   "(`riskgraph seed` + `riskgraph load`) or pass --ground-truth")


def planted_cartels(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise BadInput(f"ground truth {path} is not a file")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        cartels = doc["schemes"]["bid_rigging_cartels"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BadInput(f"{path}: not a ground_truth.json with schemes.bid_rigging_cartels "
                       f"({exc})") from None
    return [dict(c) for c in cartels]


def _ratio(num: int, den: int, empty: float) -> float:
    return num / den if den else empty


def evaluate_report(report: CartelReport, cartels: list[dict[str, Any]]) -> dict[str, Any]:
    """Firm- and group-level precision / recall of the report's flagged groups."""
    flagged = report.flagged
    planted = {str(m): str(c["cartel_id"]) for c in cartels for m in c["members"]}
    firms = {m for g in flagged for m in g.stats.members}
    hits = firms & set(planted)
    sizes = {str(c["cartel_id"]): len(c["members"]) for c in cartels}
    matched: set[str] = set()
    good_groups = 0
    per_group = []
    for g in flagged:
        members = g.stats.members
        counts: dict[str, int] = {}
        for m in members:
            if m in planted:
                counts[planted[m]] = counts.get(planted[m], 0) + 1
        best = max(sorted(counts), key=lambda c: counts[c], default=None)
        ok = best is not None and (2 * counts[best] >= len(members)
                                   and 2 * counts[best] >= sizes[best])
        if ok and best is not None:
            good_groups += 1
            matched.add(best)
        per_group.append({"group_id": g.group_id, "score": round(g.score, 4),
                          "size": len(members), "cartel": best if ok else None,
                          "planted_members": counts.get(best, 0) if best else 0})
    return {
        "unit": "firm (members of flagged groups vs planted cartel members)",
        "threshold": report.config.threshold, "hops": report.config.hops,
        "precision": _ratio(len(hits), len(firms), 1.0),
        "recall": _ratio(len(hits), len(planted), 0.0),
        "flagged_firms": len(firms), "planted_firms": len(planted),
        "true_positive_firms": len(hits),
        "group_precision": _ratio(good_groups, len(flagged), 1.0),
        "group_recall": _ratio(len(matched), len(cartels), 0.0),
        "flagged_groups": len(flagged), "planted_cartels": len(cartels),
        "matched_cartels": sorted(matched),
        "missed_cartels": sorted(set(sizes) - matched),
        "groups": per_group,
    }
