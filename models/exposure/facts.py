"""What is known against each firm of a supply network, read in bulk at an as-of date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver

from riskgraph.graph.driver import read

BLACKLIST_KINDS: tuple[str, ...] = ("serious_dishonest_enterprise_list", "procurement_ban")
"""Company blacklistings that make a firm "blacklisted" (shared people are traced to these;
unsatisfied judgments are too common in registry data to taint every co-director)."""
COMPANY_LIST_KINDS: tuple[str, ...] = (*BLACKLIST_KINDS, "judgment_unsatisfied",
                                       "abnormal_operations")
"""Every company list inclusion an exposure report shows."""
PERSON_LIST_KINDS: tuple[str, ...] = ("dishonest_person_list", "person_judgment_unsatisfied")
KEY_ROLES: tuple[str, ...] = ("LEGAL_REPRESENTATIVE_OF", "DIRECTOR_OF", "ACTUAL_CONTROLLER_OF")
"""Roles whose holders count as key personnel (supervisors do not run the firm)."""
CHUNK = 5_000


@dataclass
class FirmFacts:
    """Rows of evidence about one firm (each a dict as returned by the Cypher statement)."""

    listings: list[dict[str, Any]] = field(default_factory=list)
    listed_persons: list[dict[str, Any]] = field(default_factory=list)
    shared_people: list[dict[str, Any]] = field(default_factory=list)
    assessment: dict[str, Any] | None = None


def _chunks(items: list[str]) -> list[list[str]]:
    return [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)] or [[]]


def gather(driver: Driver, usccs: list[str], as_of: dt.date,
           database: str | None = None) -> dict[str, FirmFacts]:
    """Facts for every firm in ``usccs`` (firms with none get an empty ``FirmFacts``)."""
    facts = {u: FirmFacts() for u in usccs}
    iso = as_of.isoformat()
    for chunk in _chunks(usccs):
        for row in read(driver, "exposure/list_company_listings", database, usccs=chunk,
                        kinds=list(COMPANY_LIST_KINDS), as_of=iso):
            facts[row["uscc"]].listings.append(row)
        for row in read(driver, "exposure/list_listed_key_persons", database, usccs=chunk,
                        roles=list(KEY_ROLES), kinds=list(PERSON_LIST_KINDS), as_of=iso):
            facts[row["uscc"]].listed_persons.append(row)
        for row in read(driver, "exposure/list_shared_people", database, usccs=chunk,
                        roles=list(KEY_ROLES), kinds=list(BLACKLIST_KINDS), as_of=iso):
            facts[row["uscc"]].shared_people.append(row)
        for row in read(driver, "exposure/list_latest_assessments", database, usccs=chunk):
            if row.get("run_id") is not None:
                facts[row["uscc"]].assessment = row
    return facts
