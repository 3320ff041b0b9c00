"""The Cypher screens read firms through the entity resolution (issue 21): conflicts of
interest, the exposure reports and the cartel screen's blacklisted-bidder and link searches count
a copy (a second source's ``Company`` linked ``SAME_AS`` its registry firm) as its registry
firm, never a firm and its own copy as two firms, and count the copy as a firm again after a
split. On the real Neo4j.

The graph: registry firm X (banned 2023), its copy C from a procurement portal
(``ocds-party:src-b/0000001``, on the serious-dishonesty list), firms Z and F. Q directs X and C;
S leads Z and directs C; inspector I1 (person P-I) directs C; inspector I2 inspected C in 2025.
C supplies F and X; Z supplies F. X bids against Z in T-1..T-3, C against Z in T-4.
"""

from __future__ import annotations

import datetime as dt

import pytest
from neo4j import Driver

from riskgraph.graph.config import get_settings
from riskgraph.graph.store import Store
from riskgraph.graph.store.resolution import judge, split
from riskgraph.graph.uscc import make_uscc
from riskgraph.models.accountability.conflicts import find_conflicts
from riskgraph.models.exposure.facts import gather
from riskgraph.models.exposure.report import build_report
from riskgraph.models.screens.cartel_data import (
    blacklisted_parties,
    ever_blacklisted,
    linked_pairs,
)
from riskgraph.models.screens.cartels import CartelConfig, screen_cartels
from riskgraph.seed.firm_duplicates import COPY_PREFIX

DB = get_settings().neo4j_database
pytestmark = pytest.mark.neo4j

X, Z, F = (make_uscc("9", "1", "330100", f"0000005{n}A") for n in (1, 2, 3))
C = f"{COPY_PREFIX}0000001"
KINDS = ("procurement_ban", "serious_dishonest_enterprise_list")

SETUP = """
CREATE (x:Company {uscc: $x, name: '杭州甲乙贸易有限公司', region_code: '330100',
                   status: 'active', founded_on: date('2019-01-01')})
CREATE (c:Company {uscc: $c, name: 'Hangzhou Jiayi Maoyi Co., Ltd.', region_code: '330100',
                   status: 'active'})
CREATE (z:Company {uscc: $z, name: '杭州丙丁科技有限公司', region_code: '330100',
                   status: 'active', founded_on: date('2019-01-01')})
CREATE (f:Company {uscc: $f, name: '杭州戊己制造有限公司', region_code: '330100',
                   status: 'active', founded_on: date('2019-01-01')})
CREATE (q:Person {person_id: 'P-Q', name: 'Li Qiang'})
CREATE (s:Person {person_id: 'P-S', name: 'Zhao Min'})
CREATE (pi:Person {person_id: 'P-I', name: 'Wang Wei'})
CREATE (q)-[:DIRECTOR_OF {since: date('2020-01-01')}]->(x)
CREATE (q)-[:DIRECTOR_OF {since: date('2020-01-01')}]->(c)
CREATE (s)-[:LEGAL_REPRESENTATIVE_OF {since: date('2020-01-01')}]->(z)
CREATE (s)-[:DIRECTOR_OF {since: date('2020-01-01')}]->(c)
CREATE (pi)-[:DIRECTOR_OF {since: date('2022-01-01')}]->(c)
CREATE (:Inspector {inspector_id: 'I1', name: 'Wang', agency: 'Market Regulation',
                    region_code: '330100', person_id: 'P-I'})
CREATE (i2:Inspector {inspector_id: 'I2', name: 'Chen', agency: 'Market Regulation',
                      region_code: '330100'})
CREATE (x)-[:HAS_RECORD]->(:CreditRecord:Blacklist {record_id: 'R-X-BAN',
  category: 'blacklist', kind: 'procurement_ban', issued_on: date('2023-01-01'),
  polarity: 'negative', severity: 'serious', agency: 'Finance', disclosure: 'public'})
CREATE (c)-[:HAS_RECORD]->(:CreditRecord:Blacklist {record_id: 'R-C-LIST',
  category: 'blacklist', kind: 'serious_dishonest_enterprise_list',
  issued_on: date('2023-01-01'), polarity: 'negative', severity: 'serious', agency: 'AMR',
  disclosure: 'public'})
CREATE (c)-[:HAS_RECORD]->(:CreditRecord {record_id: 'R-C-INSP', category: 'inspection',
  kind: 'inspection_pass', issued_on: date('2025-01-10'), polarity: 'neutral',
  severity: 'general', agency: 'AMR', disclosure: 'public'})-[:INSPECTED_BY]->(i2)
CREATE (c)-[:SUPPLIES {since: date('2022-01-01'), annual_value: 100.0}]->(f)
CREATE (z)-[:SUPPLIES {since: date('2022-01-01'), annual_value: 100.0}]->(f)
CREATE (c)-[:SUPPLIES {since: date('2022-01-01'), annual_value: 50.0}]->(x)
WITH x, c, z
UNWIND range(1, 4) AS n
CREATE (t:Tender {tender_id: 'T-' + n, published_on: date('2023-07-0' + n)})
CREATE (z)-[:SUBMITTED {role: 'sole'}]->(:Bid {bid_id: 'B-Z-' + n, status: 'won'})
       -[:FOR_TENDER]->(t)
WITH x, c, t, n
CALL (x, c, t, n) {
  WITH CASE WHEN n < 4 THEN x ELSE c END AS bidder
  CREATE (bidder)-[:SUBMITTED {role: 'sole'}]->(:Bid {bid_id: 'B-' + n, status: 'lost'})
         -[:FOR_TENDER]->(t)
}
"""
PLAN_DAY = dt.date(2025, 6, 1)
AS_OF = dt.date(2024, 6, 1)


@pytest.fixture
def store(clean_graph: Driver) -> Store:
    clean_graph.execute_query(SETUP, x=X, c=C, z=Z, f=F)
    return Store.open(clean_graph, DB)


def _same(store: Store) -> None:
    judge(store, X, C, "same", "the portal's party is the registry firm", actor="test",
          kind="company")


def _split(store: Store) -> None:
    split(store, C, actor="test", reason="another firm after all", kind="company")


def test_conflicts_count_a_persons_role_at_a_copy_as_a_role_at_its_firm(store: Store) -> None:
    assert find_conflicts(store, [X, Z], PLAN_DAY) == {}  # the roles and records are C's
    _same(store)
    found = find_conflicts(store, [X, Z], PLAN_DAY)
    assert set(found) == {("I1", X), ("I2", X)}
    assert found["I1", X] == f"the inspector is a director of the firm (under its key {C})"
    assert found["I2", X] == f"inspected the firm on 2025-01-10 (R-C-INSP) (under its key {C})"
    _split(store)
    assert find_conflicts(store, [X, Z], PLAN_DAY) == {}  # the copy is a firm of its own again
    assert set(find_conflicts(store, [C], PLAN_DAY)) == {("I1", C), ("I2", C)}


def _suppliers(store: Store, focal: str) -> dict[str, tuple[int, float, list[str]]]:
    report = build_report(store, focal, tiers=2, as_of=AS_OF)
    return {s.uscc: (s.tier, round(s.value_share, 4), sorted(r.code for r in s.reasons))
            for s in report.suppliers}


def test_exposure_through_a_copy_counts_for_its_registry_firm(store: Store) -> None:
    unresolved = {C: (1, 0.5, ["serious_dishonest_enterprise_list", "shared_people"]),
                  Z: (1, 0.5, ["shared_people"])}
    assert _suppliers(store, F) == unresolved
    assert _suppliers(store, X) == {C: (1, 1.0, ["serious_dishonest_enterprise_list",
                                                 "shared_people"])}  # X buys from C
    _same(store)
    # F buys from X through its copy; X's ban and its copy's listing both count; Z shares S
    # with X (S directs the copy); X is not exposed to its own copy, even through Q
    assert _suppliers(store, F) == {
        X: (1, 0.5, ["procurement_ban", "serious_dishonest_enterprise_list"]),
        Z: (1, 0.5, ["shared_people"])}
    assert _suppliers(store, X) == {}
    facts = gather(store, [X, Z], AS_OF)
    assert facts[X].shared_people == []
    assert [(r["record_id"], r["recorded_as"]) for r in facts[X].listings] == [
        ("R-C-LIST", C), ("R-X-BAN", X)]
    assert {(r["person_id"], r["other_uscc"], r["record_id"])
            for r in facts[Z].shared_people} == {("P-S", X, "R-X-BAN"), ("P-S", X, "R-C-LIST")}
    assert {r["other_name"] for r in facts[Z].shared_people} == {"杭州甲乙贸易有限公司"}
    _split(store)
    assert _suppliers(store, F) == unresolved
    assert set(_suppliers(store, X)) == {C}


def test_the_cartel_screen_counts_a_copys_blacklisting_and_links_for_its_firm(
        store: Store) -> None:
    def parties() -> set[tuple[str, str, str]]:
        return {(p.bid_id, p.uscc, p.record_id) for p in blacklisted_parties(store, KINDS)}

    plain_parties = {*((f"B-{n}", X, "R-X-BAN") for n in (1, 2, 3)), ("B-4", C, "R-C-LIST")}
    assert parties() == plain_parties
    assert ever_blacklisted(store, KINDS) == {X, C}
    assert linked_pairs(store, [(X, Z)], 2, True) == {}  # X-Q-C-S-Z: four hops
    assert set(linked_pairs(store, [(X, C)], 2, True)) == {(min(X, C), max(X, C))}
    _same(store)
    assert parties() == {(f"B-{n}", X, r) for n in (1, 2, 3, 4) for r in ("R-X-BAN", "R-C-LIST")}
    assert {p.parties for p in blacklisted_parties(store, KINDS)} == {1}
    assert ever_blacklisted(store, KINDS) == {X}
    (link,) = linked_pairs(store, [(X, Z)], 2, True).values()
    assert (link.a, link.b, link.hops) == (*sorted((X, Z)), 2)
    assert link.path in ([C, "P-S", Z], [Z, "P-S", C])  # through the copy's director
    assert linked_pairs(store, [(X, C)], 4, True) == {}  # a firm and its own copy
    report = screen_cartels(store, CartelConfig(hops=2))
    assert [(b["a"], b["b"]) for b in report.linked_bidders] == [tuple(sorted((X, Z)))]
    assert {b["uscc"] for b in report.blacklisted_bids} == {X}
    # with people resolved too, the deeper search (the _resolved statements) reads firms alike
    judge(store, "P-Q", "P-I", "same", "", actor="test")
    assert [(k, v.hops) for k, v in linked_pairs(store, [(X, Z)], 2, True).items()] == [
        (tuple(sorted((X, Z))), 2)]
    assert linked_pairs(store, [(X, C)], 4, True) == {}
    _split(store)
    assert parties() == plain_parties
    assert ever_blacklisted(store, KINDS) == {X, C}
    assert linked_pairs(store, [(X, Z)], 2, True) == {}
