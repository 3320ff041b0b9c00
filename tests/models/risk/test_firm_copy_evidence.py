"""An explanation's graph evidence reads firms through the entity resolution (issue 21), on the
real Neo4j: the features count the folded snapshot (a copy's bids, registrations, roles and
records are its registry firm's, graph/firm_links.py), so the evidence must cite what was moved
to a copy, name every other firm by the firm it counts as, and agree with the features' counts.

The graph (every copy ``ocds-party:src-b/…`` judged the same as its registry firm):

* X, the explained firm, and its copy CX. CX holds X's bids in tenders T1-T3 (Z bids there
  too), X bids in T4 with Z and in T5 with CW, the copy of W: X met Z in 4 tenders, W in 1.
* X and CX are registered at AD1 (one firm: no sharer); CX at AD2 with Y and CY, Y's copy (one
  sharer, Y).
* P-X, X's legal representative in the copy CX, directed OLD, dissolved in 2022 after a ban
  published under OLD's copy COLD (a phoenix path).
* A penalty of X published under CX.

(``feature_evidence`` gives a reason's evidence whatever the feature's contribution, by the same
reads and words as ``explain``.)
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from neo4j import Driver

from riskgraph.graph.config import get_settings
from riskgraph.graph.errors import NotFound
from riskgraph.graph.snapshot import Snapshot, day_of
from riskgraph.graph.store import Store
from riskgraph.graph.store.evidence import company_records
from riskgraph.graph.store.firm_groups import firm_group
from riskgraph.graph.store.resolution import judge
from riskgraph.graph.uscc import make_uscc
from riskgraph.models.risk.explain import explain, feature_evidence
from riskgraph.models.risk.features import compute_features
from riskgraph.models.risk.features.context import FeatureContext
from riskgraph.seed.firm_duplicates import COPY_PREFIX

DB = get_settings().neo4j_database
pytestmark = pytest.mark.neo4j


def _firm(n: int) -> str:
    return make_uscc("9", "1", "330100", f"0000005{n}A")


X, Z, W, Y, OLD = (_firm(n) for n in range(5))
CX, CW, CY, COLD = (f"{COPY_PREFIX}000010{n}" for n in range(4))
WHEN = dt.date(2024, 6, 1)
FEATURES = ["cobid_max_repeat", "address_cluster_size", "phoenix_signal", "penalties_3y"]

SETUP = """
UNWIND $registry AS r
CREATE (:Company {uscc: r.uscc, name: r.name, region_code: '330100', status: 'active',
                  founded_on: date('2015-01-01')})
WITH count(*) AS _
UNWIND $copies AS c
CREATE (:Company {uscc: c.uscc, name: c.name, status: 'active'})
WITH count(*) AS _
MATCH (old:Company {uscc: $old}) SET old.dissolved_on = date('2022-01-01'), old.status = 'dissolved'
WITH count(*) AS _
UNWIND range(1, 5) AS n
CREATE (:Tender {tender_id: 'T' + n, published_on: date('2023-0' + n + '-01'),
                 deadline: date('2023-0' + n + '-20')})
WITH count(*) AS _
UNWIND $bids AS b
MATCH (f:Company {uscc: b.firm}), (t:Tender {tender_id: b.tender})
CREATE (f)-[:SUBMITTED {role: 'sole'}]->(:Bid {bid_id: b.firm + '/' + b.tender,
                                               status: 'lost'})-[:FOR_TENDER]->(t)
WITH count(*) AS _
CREATE (a1:Address {address_id: 'AD1', text: '1 Lake Road'})
CREATE (a2:Address {address_id: 'AD2', text: '2 Hill Road'})
WITH a1, a2
MATCH (x:Company {uscc: $x}), (cx:Company {uscc: $cx}), (y:Company {uscc: $y}),
      (cy:Company {uscc: $cy}), (old:Company {uscc: $old}), (cold:Company {uscc: $cold})
CREATE (x)-[:REGISTERED_AT {since: date('2015-01-01')}]->(a1)
CREATE (cx)-[:REGISTERED_AT {since: date('2023-01-01')}]->(a1)
CREATE (cx)-[:REGISTERED_AT {since: date('2023-01-01')}]->(a2)
CREATE (y)-[:REGISTERED_AT {since: date('2015-01-01')}]->(a2)
CREATE (cy)-[:REGISTERED_AT {since: date('2023-01-01')}]->(a2)
CREATE (p:Person {person_id: 'P-X', name: 'Zhou Min'})
CREATE (p)-[:LEGAL_REPRESENTATIVE_OF {since: date('2023-01-01')}]->(cx)
CREATE (p)-[:DIRECTOR_OF {since: date('2012-01-01'), until: date('2022-01-01')}]->(old)
CREATE (cold)-[:HAS_RECORD]->(:CreditRecord:Blacklist {record_id: 'R-OLD-BAN',
  category: 'blacklist', kind: 'procurement_ban', issued_on: date('2021-03-01'),
  polarity: 'negative', severity: 'serious', agency: 'Finance', disclosure: 'public'})
CREATE (cx)-[:HAS_RECORD]->(:CreditRecord {record_id: 'R-X-PEN',
  category: 'administrative', kind: 'administrative_penalty', issued_on: date('2023-06-01'),
  polarity: 'negative', severity: 'general', agency: 'AMR', disclosure: 'public'})
"""
BIDS = ([(CX, f"T{n}") for n in (1, 2, 3)] + [(Z, f"T{n}") for n in (1, 2, 3, 4)]
        + [(X, "T4"), (X, "T5"), (CW, "T5")])


@pytest.fixture
def graph(clean_graph: Driver) -> Driver:
    clean_graph.execute_query(
        SETUP, registry=[{"uscc": u, "name": f"Firm {n}"} for n, u in
                         zip("XZWYO", (X, Z, W, Y, OLD), strict=True)],
        copies=[{"uscc": c, "name": f"Portal party {c[-1]}"} for c in (CX, CW, CY, COLD)],
        bids=[{"firm": f, "tender": t} for f, t in BIDS],
        x=X, cx=CX, y=Y, cy=CY, old=OLD, cold=COLD, database_=DB)
    store = Store.open(clean_graph, DB)
    for firm, copy in ((X, CX), (W, CW), (Y, CY), (OLD, COLD)):
        judge(store, firm, copy, "same", "one firm", actor="test", kind="company")
    return clean_graph


def _values(snap: Snapshot) -> dict[str, float]:
    fm = compute_features(snap, WHEN, FEATURES)
    i = snap.firm_index(X)
    assert i is not None
    return {n: float(fm.column(n)[i]) for n in FEATURES}


def test_the_evidence_cites_what_a_copy_holds_and_equals_what_the_features_count(
        graph: Driver) -> None:
    store = Store.open(graph, DB)
    snap = Snapshot.from_neo4j(graph, DB)
    assert not {CX, CW, CY, COLD} & set(snap.uscc.tolist())  # the copies folded
    values = _values(snap)
    i = snap.firm_index(X)
    assert i is not None

    # co-bidders: the features' own matrix, firm by firm, is what the evidence names
    row = FeatureContext(snap, day_of(WHEN)).cobid.getrow(i)
    counted = {str(snap.uscc[j]): int(v) for j, v in zip(row.indices, row.data, strict=True)}
    assert counted == {Z: 4, W: 1} and values["cobid_max_repeat"] == 4.0
    lines = feature_evidence(store, snap, "cobid_max_repeat", X, WHEN)
    assert [ln.path[-1] for ln in lines] == [Z, W]
    assert [ln.text.split(" tender(s)")[0] for ln in lines] == ["bid in 4", "bid in 1"]
    assert lines[0].path[1:-1] == ["T1", "T2", "T3", "T4"]  # the copy's tenders are cited
    assert "Firm W" in lines[1].text and CW in lines[1].text  # named W, found under CW

    # addresses: X's copy at X's address is no sharer, Y's copy is Y
    lines = feature_evidence(store, snap, "address_cluster_size", X, WHEN)
    assert [ln.path for ln in lines] == [[X, Y]]
    assert values["address_cluster_size"] == pytest.approx(np.log10(1 + len(lines)))

    # phoenix: the key person of X's copy, the old firm's ban published under its copy
    lines = feature_evidence(store, snap, "phoenix_signal", X, WHEN)
    assert [(ln.path, ln.record_ids) for ln in lines] == [([X, "P-X", OLD], ["R-OLD-BAN"])]
    assert "Firm O" in lines[0].text and "dissolved 2022-01-01" in lines[0].text
    assert values["phoenix_signal"] == len({ln.path[1] for ln in lines}) == 1

    # a record published under the copy's key is cited, saying so
    lines = feature_evidence(store, snap, "penalties_3y", X, WHEN)
    assert values["penalties_3y"] == len(lines) == 1
    assert lines[0].record_ids == ["R-X-PEN"] and CX in lines[0].text
    # the scorecards read the copy's records and key persons; a copy is explained as its firm
    keys = list(firm_group(store, X).keys)
    assert keys == [X, CX]
    assert [r["record_id"] for r in company_records(store, keys, WHEN.isoformat())] == [
        "R-X-PEN"]
    with pytest.raises(NotFound, match=f"record of firm {X}"):
        explain(store, CX, WHEN)
