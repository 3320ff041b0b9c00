"""Conflicts of interest between inspectors and firms.

An inspector may not inspect a firm when, as of the plan date:

* **through a person** — the inspector (when they are also a registered Person), or a relative
  or associate of theirs (``FAMILY_OF`` / ``ASSOCIATE_OF``), is or was within the last
  :data:`ROLE_LOOKBACK_DAYS` a legal representative, director, supervisor, actual controller or
  shareholder of the firm; people are read through the entity resolution (another record of
  the same person, ``SAME_AS`` one resolved entity as of the plan date, is that person), and
  firms too: a role at a copy of the firm (another source's key linked ``SAME_AS`` it,
  graph/firm_links.py) is a role at the firm, and the reason names the key;
* **through recent work** — the inspector inspected the firm within the last
  :data:`INSPECTION_LOOKBACK_DAYS` (rotation: nobody inspects the same firm twice in a year;
  an inspection recorded under a copy of the firm counts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from riskgraph.graph.store import Store
from riskgraph.graph.store.plans import person_conflicts, recent_inspections

ROLE_LOOKBACK_DAYS = 3 * 365
INSPECTION_LOOKBACK_DAYS = 365


def find_conflicts(store: Store, usccs: Sequence[str], plan_date: dt.date
                   ) -> dict[tuple[str, str], str]:
    """(inspector_id, uscc) → the reason(s) they conflict, for the given firms."""
    out: dict[tuple[str, str], str] = {}
    if not usccs:
        return out
    rows = person_conflicts(store, usccs, plan_date - dt.timedelta(days=ROLE_LOOKBACK_DAYS),
                            plan_date)
    rows += recent_inspections(store, usccs,
                               plan_date - dt.timedelta(days=INSPECTION_LOOKBACK_DAYS), plan_date)
    for r in sorted(rows, key=lambda r: (r["inspector_id"], r["uscc"], r["reason"])):
        key = (str(r["inspector_id"]), str(r["uscc"]))
        out[key] = f"{out[key]}; {r['reason']}" if key in out else str(r["reason"])
    return out
