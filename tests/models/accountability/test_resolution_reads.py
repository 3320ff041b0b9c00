"""Conflicts, phoenix candidates and the risk snapshot read people through the resolution: an
active SAME_AS link counts whatever the day of its decision (the point-in-time rule of
graph/snapshot.py ``Snapshot.with_links``: from the first day its record appears)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from neo4j import Driver

from riskgraph.graph.config import get_settings
from riskgraph.graph.driver import read
from riskgraph.graph.snapshot import day_of
from riskgraph.graph.store import Store
from riskgraph.graph.store.resolution import judge
from riskgraph.models.accountability.conflicts import find_conflicts
from riskgraph.models.risk.firm_evidence import phoenix_paths
from tests.models.accountability.conftest import PLAN_DAY, C, D, uscc

DB = get_settings().neo4j_database

pytestmark = pytest.mark.neo4j
OLD, NEW = uscc(11), uscc(12)

EXTRA = """
MATCH (d:Company {uscc: $d}), (c:Company {uscc: $c})
CREATE (p2:Person {person_id: 'P-INSPECTOR-2', name: '王'})-[:HOLDS_EQUITY {share: 0.2}]->(d)
CREATE (q2:Person {person_id: 'P-COUSIN-2', name: 'LI'})
       -[:DIRECTOR_OF {since: date('2021-01-01')}]->(c)
CREATE (old:Company {uscc: $old, name: 'Old Co', dissolved_on: date('2024-01-01')})
CREATE (new:Company {uscc: $new, name: 'New Co', status: 'active'})
CREATE (old)-[:HAS_RECORD]->(:CreditRecord:Blacklist {record_id: 'R-OLD-BAN',
  category: 'blacklist', kind: 'procurement_ban', issued_on: date('2023-06-01'),
  polarity: 'negative', severity: 'serious', agency: 'Finance', disclosure: 'public'})
CREATE (:Person {person_id: 'P-BOSS', name: '赵'})
       -[:LEGAL_REPRESENTATIVE_OF {since: date('2015-01-01')}]->(old)
CREATE (:Person {person_id: 'P-BOSS-2', name: 'Zhao'})
       -[:LEGAL_REPRESENTATIVE_OF {since: date('2024-02-01')}]->(new)
"""


@pytest.fixture
def resolved(small_graph: Driver) -> Driver:
    small_graph.execute_query(EXTRA, d=D, c=C, old=OLD, new=NEW)
    return small_graph


def _phoenix(driver: Driver, as_of: dt.date) -> list[str]:
    rows = read(driver, "api/list_phoenix_candidates", as_of=as_of.isoformat(), after="",
                before="", backward=False, limit=10, disclosures=["public"], agencies=[],
                database=DB)
    return [str(r["uscc"]) for r in rows]


def test_records_judged_the_same_count_as_one_person_at_every_date_of_their_records(
        resolved: Driver) -> None:
    today = dt.datetime.now(dt.UTC).date()
    before = find_conflicts(Store.open(resolved, DB), [C, D], today)
    assert ("I1", D) not in before and ("I1", C) not in before
    assert _phoenix(resolved, today) == []
    for a, b in (("P-INSPECTOR", "P-INSPECTOR-2"), ("P-COUSIN", "P-COUSIN-2"),
                 ("P-BOSS", "P-BOSS-2")):
        judge(Store.open(resolved, DB), a, b, "same", "one person", actor="test")
    found = find_conflicts(Store.open(resolved, DB), [C, D], today)
    assert found[("I1", D)] == "the inspector (also recorded as P-INSPECTOR-2) is a shareholder" \
        " of the firm"
    assert "a relative or associate (P-COUSIN-2) is a director" in found[("I1", C)]
    assert _phoenix(resolved, today) == [NEW]
    # decided today, but identity is not an event: it counts at an earlier plan date too
    assert ("I1", D) in find_conflicts(Store.open(resolved, DB), [C, D], PLAN_DAY)
    assert _phoenix(resolved, dt.date(2024, 3, 1)) == [NEW]
    assert _phoenix(resolved, dt.date(2023, 12, 31)) == []  # the old firm not yet dissolved
    snap = Store.open(resolved, DB).snapshot()
    assert sorted(snap.person_id[snap.same_person]) == sorted(
        ["P-INSPECTOR", "P-INSPECTOR-2", "P-COUSIN", "P-COUSIN-2", "P-BOSS", "P-BOSS-2"])
    since = dict(zip(snap.person_id[snap.same_person].tolist(), snap.same_since.tolist(),
                     strict=True))
    assert since["P-BOSS"] == day_of(dt.date(2015, 1, 1))  # its first role, not the decision
    assert since["P-BOSS-2"] == day_of(dt.date(2024, 2, 1))
    assert len(np.unique(snap.same_entity)) == 3


def test_the_explanations_phoenix_paths_follow_the_resolution(resolved: Driver) -> None:
    today = dt.datetime.now(dt.UTC).date()
    params = {"firms": [NEW], "as_of": today.isoformat()}

    def paths() -> list[tuple[str, str, str]]:
        rows = read(resolved, "explain/list_phoenix_paths", DB, **params)
        return [(p.person_id, p.firm.uscc, str(p.ban["record_id"]))
                for p in phoenix_paths(rows, today)]

    assert paths() == []
    judge(Store.open(resolved, DB), "P-BOSS", "P-BOSS-2", "same", "", actor="test")
    assert paths() == [("P-BOSS", OLD, "R-OLD-BAN")]
