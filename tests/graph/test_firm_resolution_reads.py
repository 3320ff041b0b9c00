"""Firms read through the entity resolution (issue 21): a second source's copy of a firm, linked
``SAME_AS`` its registry firm, folds into it in the snapshot (graph/firm_links.py): its records,
roles and bids count for the registry firm, it is no firm of its own, a split undoes it, and the
link counts by the people's rule. On the real Neo4j.

The graph: registry firm X (founded 2019), its copy C from a procurement portal
(``ocds-party:src-b/0000001``) whose only facts date from 2023-06-01 (a procurement ban, a
penalty, a director Q), and firm Z led by Q since 2020.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from neo4j import Driver

from riskgraph.graph.config import get_settings
from riskgraph.graph.firm_links import canonical_of, firm_links, firm_of, fold_firms
from riskgraph.graph.loader import load_world
from riskgraph.graph.snapshot import Snapshot, day_of
from riskgraph.graph.store import Store
from riskgraph.graph.store.resolution import judge, split
from riskgraph.graph.uscc import make_uscc
from riskgraph.models.resolution.truth import read_truth
from riskgraph.models.risk.features import compute_features
from riskgraph.seed.firm_duplicates import COPY_PREFIX, TRUTH_FILE
from riskgraph.seed.world import generate_world

DB = get_settings().neo4j_database
pytestmark = pytest.mark.neo4j

X, Z = make_uscc("9", "1", "330100", "00000041A"), make_uscc("9", "1", "330100", "00000043A")
C = f"{COPY_PREFIX}0000001"
FIRST_DAY = dt.date(2023, 6, 1)

SETUP = """
CREATE (x:Company {uscc: $x, name: '杭州甲乙贸易有限公司', region_code: '330100',
                   status: 'active', founded_on: date('2019-01-01')})
CREATE (c:Company {uscc: $c, name: 'Hangzhou Jiayi Maoyi Co., Ltd.', region_code: '330100',
                   status: 'active'})
CREATE (z:Company {uscc: $z, name: '杭州丙丁科技有限公司', region_code: '330100',
                   status: 'active', founded_on: date('2019-01-01')})
CREATE (p:Person {person_id: 'P-X', name: 'Wang Fang'})
CREATE (q:Person {person_id: 'P-Q', name: 'Li Qiang'})
CREATE (p)-[:LEGAL_REPRESENTATIVE_OF {since: date('2019-01-01')}]->(x)
CREATE (q)-[:LEGAL_REPRESENTATIVE_OF {since: date('2020-01-01')}]->(z)
CREATE (q)-[:DIRECTOR_OF {since: date('2023-06-01')}]->(c)
CREATE (c)-[:HAS_RECORD]->(:CreditRecord:Blacklist {record_id: 'R-C-BAN',
  category: 'blacklist', kind: 'procurement_ban', issued_on: date('2023-06-01'),
  polarity: 'negative', severity: 'serious', agency: 'Finance', disclosure: 'public'})
CREATE (c)-[:HAS_RECORD]->(:CreditRecord {record_id: 'R-C-PEN',
  category: 'administrative', kind: 'administrative_penalty', issued_on: date('2023-06-01'),
  polarity: 'negative', severity: 'general', agency: 'AMR', disclosure: 'public'})
"""
FEATURES = ["penalties_3y", "blacklisted_active", "linked_firms", "linked_blacklisted"]


@pytest.fixture
def graph(clean_graph: Driver) -> Driver:
    clean_graph.execute_query(SETUP, x=X, c=C, z=Z)
    return clean_graph


def _store(driver: Driver) -> Store:
    return Store.open(driver, DB)


def _features(snap: Snapshot, when: dt.date) -> dict[str, dict[str, float]]:
    fm = compute_features(snap, when, FEATURES)
    return {u: {n: float(fm.column(n)[i]) for n in FEATURES}
            for i, u in enumerate(snap.uscc.astype(str).tolist())}


def test_a_copy_linked_same_as_folds_into_its_registry_firm_and_a_split_undoes_it(
        graph: Driver) -> None:
    plain = Snapshot.from_neo4j(graph, DB)
    assert sorted(plain.uscc.tolist()) == sorted([X, C, Z])
    before = _features(plain, dt.date(2024, 1, 1))
    nothing = dict.fromkeys(FEATURES, 0.0)
    assert before[X] == nothing
    assert before[C]["penalties_3y"] == 1.0 and before[Z]["linked_blacklisted"] == 1.0

    judge(_store(graph), X, C, "same", "the portal's party is the registry firm", actor="test",
          kind="company")
    folded = Snapshot.from_neo4j(graph, DB)
    assert sorted(folded.uscc.tolist()) == sorted([X, Z])  # a copy is no firm of its own
    after = _features(folded, dt.date(2024, 1, 1))
    # the copy's penalty, its director and its ban count for X
    assert after[X] == {"penalties_3y": 1.0, "blacklisted_active": 1.0,
                        "linked_firms": float(np.log10(2)), "linked_blacklisted": 0.0}
    assert after[Z]["linked_blacklisted"] == 1.0  # Z's link to the banned firm is now X
    assert folded.digest() != plain.digest()
    # the facts keep their dates: before the copy's first day nothing of it counts
    early = _features(folded, dt.date(2023, 1, 1))
    assert early[X] == nothing

    split(_store(graph), C, actor="test", reason="another firm after all", kind="company")
    rows, _, _ = graph.execute_query(
        "MATCH (:Company {uscc: $c})-[r:SAME_AS]->() RETURN r.active AS active", c=C)
    assert [r["active"] for r in rows] == [False]  # retired, kept
    again = Snapshot.from_neo4j(graph, DB)
    assert sorted(again.uscc.tolist()) == sorted([X, C, Z])
    assert again.digest() == plain.digest()  # a split link folds nothing
    assert _features(again, dt.date(2024, 1, 1))[X] == before[X]


def test_firm_of_counts_a_link_from_the_copys_first_day_whatever_the_decision_day(
        graph: Driver) -> None:
    plain = Snapshot.from_neo4j(graph, DB)
    judge(_store(graph), X, C, "same", "", actor="test", kind="company")  # decided today
    rows, _, _ = graph.execute_query(
        "MATCH (c:Company)-[:SAME_AS {active: true}]->(e:ResolvedEntity) "
        "RETURN c.uscc AS k, e.entity_id AS e")
    keys, entities = [r["k"] for r in rows], [r["e"] for r in rows]
    links = firm_links(plain, keys, entities)
    x, c = plain.firm_index(X), plain.firm_index(C)
    assert links.since.tolist() == [day_of(FIRST_DAY)]
    assert firm_of(plain, links, day_of(FIRST_DAY) - 1)[c] == c  # not yet a record of X
    assert firm_of(plain, links, day_of(FIRST_DAY))[c] == x
    assert firm_of(plain, links, day_of(dt.date(2022, 1, 1)))[x] == x
    # the people's rule: a training panel before the decision (but after the first day) sees it
    assert firm_of(plain, links, day_of(dt.date(2024, 1, 1)))[c] == x


def test_two_registry_firms_in_one_entity_stay_two_firms() -> None:
    other = make_uscc("9", "1", "330100", "00000042A")
    assert canonical_of([X, other, C], ["e", "e", "e"]) == {C: min(X, other)}
    assert canonical_of(["chicago-license:2", "chicago-license:1"], ["e", "e"]) == {
        "chicago-license:2": "chicago-license:1"}
    assert canonical_of([X], ["e"]) == {}


def test_the_copies_of_a_seeded_world_load_and_fold_back_into_their_firms(
        clean_graph: Driver, tmp_path: Path) -> None:
    plain_dir, dup_dir = tmp_path / "plain", tmp_path / "dup"
    generate_world(600, 3, plain_dir, progress=False)
    generate_world(600, 3, dup_dir, progress=False, firm_duplicates=0.2)
    report = load_world(clean_graph, dup_dir, database=DB, progress=False)
    assert report.rejects == 0
    rows, _, _ = clean_graph.execute_query(
        "MATCH (c:Company) WHERE c.uscc STARTS WITH $p "
        "OPTIONAL MATCH (c)-[:HAS_RECORD]->(r) OPTIONAL MATCH (c)-[:SUBMITTED]->(b) "
        "RETURN count(DISTINCT c) AS copies, count(DISTINCT r) AS records, "
        "count(DISTINCT b) AS bids", p=COPY_PREFIX)
    assert rows[0]["copies"] == 120 and rows[0]["records"] > 0 and rows[0]["bids"] > 0
    unresolved = Snapshot.from_neo4j(clean_graph, DB)
    assert unresolved.n_firms == 720  # without resolution every copy is a firm
    truth = read_truth(dup_dir / TRUTH_FILE, kind="company")
    keys = sorted(truth)
    folded = fold_firms(unresolved, keys, [truth[k] for k in keys])
    reference = Snapshot.from_world(plain_dir)
    assert sorted(folded.uscc.tolist()) == sorted(reference.uscc.tolist())

    def per_firm(s: Snapshot) -> dict[str, tuple[int, int]]:
        recs = np.bincount(s.rec_subject[~s.rec_on_person], minlength=s.n_firms)
        bids = np.bincount(s.bid_firm, minlength=s.n_firms)
        return {u: (int(recs[i]), int(bids[i])) for i, u in enumerate(s.uscc.tolist())}

    # through the truth, every firm has again exactly the records and bids of the plain world
    assert per_firm(folded) == per_firm(reference)
    split_off = per_firm(unresolved)
    assert any(split_off[u] < n for u, n in per_firm(reference).items())  # copies took some
    moved = pq.read_table(dup_dir / "rels/HAS_RECORD.parquet")["src"].to_pylist()
    assert any(s.startswith(COPY_PREFIX) for s in moved)


BIDS = """
MATCH (c:Company {uscc: $c}), (z:Company {uscc: $z})
UNWIND range(1, 3) AS n
CREATE (t:Tender {tender_id: 'T-' + n, published_on: date('2023-07-0' + n)})
CREATE (c)-[:SUBMITTED {role: 'sole'}]->(:Bid {bid_id: 'B-C-' + n, status: 'lost'})
       -[:FOR_TENDER]->(t)
CREATE (z)-[:SUBMITTED {role: 'sole'}]->(:Bid {bid_id: 'B-Z-' + n, status: 'won'})
       -[:FOR_TENDER]->(t)
"""


def test_the_cartel_screen_reads_a_copys_bids_as_its_registry_firms(graph: Driver) -> None:
    from riskgraph.models.screens.cartel_data import competitive_tenders
    from riskgraph.models.screens.cobidding import cobid_counts

    graph.execute_query(BIDS, c=C, z=Z)
    assert set(cobid_counts(competitive_tenders(_store(graph)))) == {tuple(sorted((C, Z)))}
    judge(_store(graph), X, C, "same", "", actor="test", kind="company")
    tenders = competitive_tenders(_store(graph))
    assert set(cobid_counts(tenders)) == {tuple(sorted((X, Z)))}
    assert {f for t in tenders.values() for b in t.bids for f in b.firms} == {X, Z}
    split(_store(graph), C, actor="test", reason="another firm", kind="company")
    assert set(cobid_counts(competitive_tenders(_store(graph)))) == {tuple(sorted((C, Z)))}


PHOENIX = """
MATCH (x:Company {uscc: $x}), (c:Company {uscc: $c}), (z:Company {uscc: $z})
SET x.dissolved_on = date('2023-09-01')
WITH x, c, z
MATCH (p:Person {person_id: 'P-X'})-[r:LEGAL_REPRESENTATIVE_OF]->(x)
SET r.until = date('2023-09-01')
CREATE (p)-[:LEGAL_REPRESENTATIVE_OF {since: date('2023-06-01')}]->(c)
CREATE (p)-[:DIRECTOR_OF {since: date('2023-10-01')}]->(z)
"""


def _phoenix(driver: Driver) -> list[str]:
    from riskgraph.graph.driver import read

    rows = read(driver, "api/list_phoenix_candidates", as_of="2024-01-01", after="", before="",
                backward=False, limit=10, disclosures=["public"], agencies=[], database=DB)
    return [str(r["uscc"]) for r in rows]


def test_the_phoenix_screen_reads_a_copys_ban_as_the_dissolved_firms(graph: Driver) -> None:
    # X dissolves; its ban was published under the portal's key C, whose legal representative
    # (P-X, listed there too) then leads Z
    graph.execute_query(PHOENIX, x=X, c=C, z=Z)
    assert _phoenix(graph) == []  # X has no ban of its own; C never dissolved
    judge(_store(graph), X, C, "same", "", actor="test", kind="company")
    assert _phoenix(graph) == [Z]  # and C, X's other key, is not its own successor
    split(_store(graph), C, actor="test", reason="another firm", kind="company")
    assert _phoenix(graph) == []


def test_resolve_firms_on_a_loaded_world_folds_the_copies_it_links(clean_graph: Driver,
                                                                   tmp_path: Path) -> None:
    from tests.foundation.test_cli import run_cli

    generate_world(600, 3, tmp_path, progress=False, firm_duplicates=0.2)
    load_world(clean_graph, tmp_path, database=DB, progress=False)
    result = run_cli("resolve", "firms")
    assert result.returncode == 0, result.stderr
    truth = read_truth(tmp_path / TRUTH_FILE, kind="company")
    rows, _, _ = clean_graph.execute_query(
        "MATCH (c:Company)-[:SAME_AS {active: true}]->(e:ResolvedEntity {kind: 'company'}) "
        "RETURN c.uscc AS k, e.entity_id AS e")
    linked = {r["k"]: r["e"] for r in rows}
    copies = [k for k in linked if k.startswith(COPY_PREFIX)]
    assert copies
    snap = Snapshot.from_neo4j(clean_graph, DB)
    assert snap.n_firms == 720 - len(copies)  # every linked copy folds, nothing else
    assert not set(copies) & set(snap.uscc.tolist())
    right = [k for k in copies if {truth[m] for m, e in linked.items() if e == linked[k]}
             == {truth[k]}]
    assert len(right) >= 0.8 * len(copies)
