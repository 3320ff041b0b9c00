"""The screens read people through the entity resolution (issue 21): two source records judged
the same make each screen see one person, and a split undoes it. On the real Neo4j.

The graph: firms X and Y, whose key persons are two records of one man (P-ZHANG, legal
representative of X since 2020 with a political post; P-ZHANG-2, legal representative of Y
since 2021 and on the dishonest-person list since 2022), and a third firm Z led by a stranger.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from neo4j import Driver

from riskgraph.graph.config import get_settings
from riskgraph.graph.driver import read
from riskgraph.graph.snapshot import Snapshot, day_of
from riskgraph.graph.store import Store
from riskgraph.graph.store.evidence import key_personnel_records
from riskgraph.graph.store.exposure import listed_key_persons, shared_people
from riskgraph.graph.store.procurement import linked_pairs
from riskgraph.graph.store.resolution import judge, split
from riskgraph.graph.uscc import make_uscc
from riskgraph.models.risk.features import compute_features
from riskgraph.models.risk.scorecards import bulk_zhejiang

DB = get_settings().neo4j_database

pytestmark = pytest.mark.neo4j


def _uscc(n: int) -> str:
    return make_uscc("9", "1", "330100", f"{n:08d}A")


X, Y, Z = _uscc(31), _uscc(32), _uscc(33)
LISTS = ["dishonest_person_list"]
ROLES = ["LEGAL_REPRESENTATIVE_OF", "DIRECTOR_OF", "SUPERVISOR_OF", "ACTUAL_CONTROLLER_OF"]
TODAY = dt.datetime.now(dt.UTC).date()

SETUP = """
CREATE (x:Company {uscc: $x, name: 'X Co', region_code: '330100', status: 'active',
                   founded_on: date('2019-01-01')})
CREATE (y:Company {uscc: $y, name: 'Y Co', region_code: '330100', status: 'active',
                   founded_on: date('2019-01-01')})
CREATE (z:Company {uscc: $z, name: 'Z Co', region_code: '330100', status: 'active',
                   founded_on: date('2019-01-01')})
CREATE (a:Person {person_id: 'P-ZHANG', name: 'Zhang Wei', political_connection: true})
CREATE (b:Person {person_id: 'P-ZHANG-2', name: '张伟'})
CREATE (s:Person {person_id: 'P-LI', name: 'Li Na'})
CREATE (a)-[:LEGAL_REPRESENTATIVE_OF {since: date('2020-01-01')}]->(x)
CREATE (b)-[:LEGAL_REPRESENTATIVE_OF {since: date('2021-01-01')}]->(y)
CREATE (s)-[:LEGAL_REPRESENTATIVE_OF {since: date('2020-01-01')}]->(z)
CREATE (b)-[:HAS_RECORD]->(:CreditRecord:Blacklist {record_id: 'R-ZHANG-LIST',
  category: 'blacklist', kind: 'dishonest_person_list', issued_on: date('2022-01-01'),
  polarity: 'negative', severity: 'serious', agency: 'Court', disclosure: 'public'})
CREATE (y)-[:HAS_RECORD]->(:CreditRecord:Blacklist {record_id: 'R-Y-BAN',
  category: 'blacklist', kind: 'procurement_ban', issued_on: date('2022-06-01'),
  polarity: 'negative', severity: 'serious', agency: 'Finance', disclosure: 'public'})
"""


@pytest.fixture
def graph(clean_graph: Driver) -> Driver:
    clean_graph.execute_query(SETUP, x=X, y=Y, z=Z)
    return clean_graph


def _merge(driver: Driver) -> None:
    judge(Store.open(driver, DB), "P-ZHANG", "P-ZHANG-2", "same", "one man, two registries",
          actor="test")


def _split(driver: Driver) -> None:
    split(Store.open(driver, DB), "P-ZHANG-2", actor="test", reason="two men after all")


def test_shared_people_see_one_person_and_a_split_undoes_it(graph: Driver) -> None:
    def shared() -> list[dict[str, object]]:
        return read(graph, "api/list_shared_people", a=[X], b=[Y], database=DB)

    assert shared() == []
    _merge(graph)
    assert shared() == [{"person_id": "P-ZHANG", "roles_in_a": ["LEGAL_REPRESENTATIVE_OF"],
                         "roles_in_b": ["LEGAL_REPRESENTATIVE_OF"]}]
    assert read(graph, "api/list_shared_people", a=[X], b=[Z], database=DB) == []
    _split(graph)
    assert shared() == []


def test_related_parties_follow_the_resolution(graph: Driver) -> None:
    def people_links() -> list[tuple[str, str]]:
        rows = read(graph, "api/list_related_firm_links", frontier=[{"src": X, "keys": [X]}],
                    channels=["PEOPLE"], seen=[X], limit=10, database=DB)
        return [(str(r["dst"]), str(r["via_id"])) for r in rows]

    assert people_links() == []
    _merge(graph)
    assert people_links() == [(Y, "P-ZHANG")]
    _split(graph)
    assert people_links() == []


def test_cartel_links_cross_one_person_as_no_hop(graph: Driver) -> None:
    store = Store.open(graph, DB)
    assert linked_pairs(store, [[X, Y]], 2, True) == []
    _merge(graph)
    (link,) = linked_pairs(store, [[X, Y]], 2, True)
    assert link["hops"] == 2
    assert link["path"] == [X, "P-ZHANG", "P-ZHANG-2", Y]
    assert link["rels"] == ["LEGAL_REPRESENTATIVE_OF", "SAME_AS", "LEGAL_REPRESENTATIVE_OF"]
    assert linked_pairs(store, [[X, Y]], 2, False) == [link]  # no family tie needed
    assert linked_pairs(store, [[X, Y]], 1, True) == []  # still two hops
    assert linked_pairs(store, [[X, Z]], 4, True) == []
    _split(graph)
    assert linked_pairs(store, [[X, Y]], 4, True) == []


def test_exposure_and_scorecard_evidence_see_the_other_records_listing(graph: Driver) -> None:
    store, as_of = Store.open(graph, DB), TODAY.isoformat()

    def listed() -> list[tuple[str, str]]:
        return [(str(r["person_id"]), str(r["record_id"]))
                for r in listed_key_persons(store, [X], ROLES, LISTS, as_of)]

    def shared_with_banned() -> list[tuple[str, str]]:
        return [(str(r["person_id"]), str(r["other_uscc"]))
                for r in shared_people(store, [X], ROLES, ["procurement_ban"], as_of)]

    def personnel() -> list[str]:
        return [str(r["record_id"]) for r in key_personnel_records(store, [X], as_of)]

    assert (listed(), shared_with_banned(), personnel()) == ([], [], [])
    _merge(graph)
    assert listed() == [("P-ZHANG", "R-ZHANG-LIST")]
    assert shared_with_banned() == [("P-ZHANG", Y)]
    assert personnel() == ["R-ZHANG-LIST"]
    _split(graph)
    assert (listed(), shared_with_banned(), personnel()) == ([], [], [])


def _politically_connected(snap: Snapshot, day: dt.date) -> dict[str, float]:
    fm = compute_features(snap, day_of(day), ["politically_connected"])
    return dict(zip(snap.uscc.tolist(), fm.column("politically_connected").tolist(),
                    strict=True))


def _zhejiang(snap: Snapshot, day: dt.date) -> dict[str, float]:
    return dict(zip(snap.uscc.tolist(), bulk_zhejiang(snap, day)[0].tolist(), strict=True))


def test_political_signal_and_scorecard_read_through_the_resolution(graph: Driver) -> None:
    day = dt.date(2023, 1, 1)
    before = Store.open(graph, DB).snapshot()
    assert _politically_connected(before, day) == {X: 1.0, Y: 0.0, Z: 0.0}
    plain = _zhejiang(before, day)
    assert plain[X] == plain[Z]  # X's own key person is not listed
    _merge(graph)
    merged = Store.open(graph, DB).snapshot()
    assert _politically_connected(merged, day) == {X: 1.0, Y: 1.0, Z: 0.0}
    resolved = _zhejiang(merged, day)
    assert resolved[X] < plain[X] and resolved[Z] == plain[Z]  # the listing now counts for X
    _split(graph)
    after = Store.open(graph, DB).snapshot()
    assert _politically_connected(after, day) == _politically_connected(before, day)
    assert _zhejiang(after, day) == plain


def test_a_link_decided_today_counts_from_the_first_day_of_its_record(graph: Driver) -> None:
    """The chosen point-in-time rule (no train/serve skew): a training panel in the past sees
    the resolution decided today, from the day each record first appears, and a split counts at
    no date."""
    _merge(graph)
    snap = Store.open(graph, DB).snapshot()
    first = dict(zip(snap.person_id[snap.same_person].tolist(), snap.same_since.tolist(),
                     strict=True))
    assert first == {"P-ZHANG": day_of(dt.date(2020, 1, 1)),
                     "P-ZHANG-2": day_of(dt.date(2021, 1, 1))}
    assert (snap.same_until > day_of(TODAY)).all()
    past = day_of(dt.date(2021, 6, 1))  # long before the decision
    who = snap.person_of(past)
    index = {p: i for i, p in enumerate(snap.person_id.tolist())}
    assert who[index["P-ZHANG"]] == who[index["P-ZHANG-2"]]
    early = snap.person_of(day_of(dt.date(2020, 6, 1)))  # P-ZHANG-2 not yet in the data
    assert early[index["P-ZHANG"]] != early[index["P-ZHANG-2"]]
    # the panel of a past date and today's scoring read the same people
    panel = _politically_connected(snap, dt.date(2021, 6, 1))
    assert panel == _politically_connected(snap, TODAY) == {X: 1.0, Y: 1.0, Z: 0.0}
    _split(graph)
    after = Store.open(graph, DB).snapshot()
    assert len(after.same_person) == 0 or not np.isin(
        after.person_id[after.same_person], ["P-ZHANG-2"]).any()
    assert _politically_connected(after, dt.date(2021, 6, 1))[Y] == 0.0
