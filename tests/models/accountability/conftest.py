"""A small hand-built graph for the accountability tests: firms, people, inspectors, records
and one stored ranking run (no trained model needed)."""

from __future__ import annotations

import datetime as dt

import pytest
from neo4j import Driver

from riskgraph.graph.config import get_settings
from riskgraph.graph.store import Store
from riskgraph.graph.store.runs import RankedFirm, RankingRun, ranking_digest, save_run
from riskgraph.graph.uscc import make_uscc

DB = get_settings().neo4j_database

PLAN_DAY = dt.date(2025, 6, 1)


def uscc(n: int, region: str = "330100") -> str:
    return make_uscc("9", "1", region, f"{n:08d}A")


A, B, C, D = uscc(1), uscc(2), uscc(3), uscc(4, "440300")

SETUP = """
UNWIND $firms AS f
CREATE (:Company {uscc: f.uscc, name: f.name, region_code: f.region, status: 'active'})
WITH count(*) AS _
CREATE (p:Person {person_id: 'P-INSPECTOR', name: 'Wang'})
CREATE (q:Person {person_id: 'P-COUSIN', name: 'Li'})
CREATE (old:Person {person_id: 'P-OLD', name: 'Zhao'})
CREATE (p)-[:FAMILY_OF]->(q)
CREATE (:Inspector {inspector_id: 'I1', name: 'Wang', agency: 'Market Regulation',
                    region_code: '330100', person_id: 'P-INSPECTOR'})
CREATE (:Inspector {inspector_id: 'I2', name: 'Chen', agency: 'Market Regulation',
                    region_code: '330200', person_id: 'P-OLD'})
CREATE (:Inspector {inspector_id: 'I3', name: 'Sun', agency: 'Market Regulation',
                    region_code: '330300'})
CREATE (:Inspector {inspector_id: 'I4', name: 'Zhou', agency: 'Market Regulation',
                    region_code: '440300'})
WITH p, q, old
MATCH (a:Company {uscc: $a}), (b:Company {uscc: $b}), (c:Company {uscc: $c})
CREATE (p)-[:HOLDS_EQUITY {share: 0.1}]->(a)
CREATE (q)-[:DIRECTOR_OF {since: date('2020-01-01')}]->(b)
CREATE (old)-[:DIRECTOR_OF {since: date('2010-01-01'), until: date('2019-01-01')}]->(c)
CREATE (c)-[:HAS_RECORD]->(r1:CreditRecord:Inspections {record_id: 'R-INSP-RECENT',
  category: 'inspections', kind: 'random_inspection', issued_on: date('2025-01-10'),
  polarity: 'neutral', outcome: 'no_violation', stream: 'random', inspector_id: 'I3',
  agency: 'Market Regulation', disclosure: 'public'})
CREATE (r1)-[:INSPECTED_BY]->(:Inspector {inspector_id: 'I5', name: 'Wu',
  agency: 'Market Regulation', region_code: '330100'})
WITH a, b
MATCH (i3:Inspector {inspector_id: 'I3'}), (i5:Inspector {inspector_id: 'I5'})
CREATE (b)-[:HAS_RECORD]->(r2:CreditRecord:Inspections {record_id: 'R-INSP-OLD',
  category: 'inspections', kind: 'random_inspection', issued_on: date('2024-01-10'),
  polarity: 'neutral', outcome: 'no_violation', stream: 'random', inspector_id: 'I5',
  agency: 'Market Regulation', disclosure: 'public'})
CREATE (r2)-[:INSPECTED_BY]->(i5)
CREATE (a)-[:HAS_RECORD]->(:CreditRecord:AdministrativePenalty {record_id: 'R-PENALTY',
  category: 'administrative_penalty', kind: 'administrative_penalty',
  issued_on: date('2024-03-01'), polarity: 'negative', severity: 'general',
  agency: 'Market Regulation', amount: 5000.0, disclosure: 'public'})
CREATE (a)-[:HAS_RECORD]->(:CreditRecord:Blacklist {record_id: 'R-LISTING',
  category: 'blacklist', kind: 'serious_dishonest_enterprise_list',
  issued_on: date('2024-03-01'), removed_on: date('2027-03-01'), polarity: 'negative',
  severity: 'serious', agency: 'Market Regulation', disclosure: 'public'})
"""


@pytest.fixture
def small_graph(clean_graph: Driver) -> Driver:
    firms = [{"uscc": u, "name": f"Firm {k}", "region": "440300" if u == D else "330100"}
             for k, u in enumerate((A, B, C, D), 1)]
    clean_graph.execute_query(SETUP, firms=firms, a=A, b=B, c=C)
    return clean_graph


@pytest.fixture
def stored_run(small_graph: Driver) -> RankingRun:
    firms = [RankedFirm(A, 0.7, 0.4, "critical", 1,
                        [{"feature": "blacklisted_active", "contribution": 1.0, "value": 1.0,
                          "text": "On a blacklist."}]),
             RankedFirm(B, 0.35, 0.1, "high", 2), RankedFirm(C, 0.2, 0.05, "average", 3),
             RankedFirm(D, 0.05, 0.01, "low", 4)]
    digest = ranking_digest((f.uscc, f.risk, f.tier, f.rank) for f in firms)
    run = RankingRun(run_id=f"run-test-{digest[:8]}", created_at="2025-05-31T00:00:00+00:00",
                     as_of=PLAN_DAY.isoformat(), model_version="test", data_snapshot_sha256="x",
                     code_version="test", parameters={"as_of": PLAN_DAY.isoformat()},
                     digest=digest, firms=firms)
    assert save_run(Store.open(small_graph, DB), run, actor="test") == "complete"
    return run
