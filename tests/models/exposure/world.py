"""A small hand-built registry graph for the exposure tests, written with the loader's Cypher.

Upstream supplies into F (annual values; shares of the buyer's purchases in brackets):

    A → F 60 (0.6)   B → F 40 (0.4)
    C → A 30 (0.75)  D → A 10 (0.25)
    C → B 50 (0.5)   E → B 50 (0.5)
    G → C 100 (0.5)  A → C 100 (0.5)     (a cycle A → C → A)
    F → E 20 (0.5)   H → E 20 (0.5)      (a cycle through the focal firm F → E → B → F)
    X → F 99, ended 2024-12-31           (not in force at AS_OF)

Facts at AS_OF: D procurement ban; G serious-dishonest listing; B abnormal operations; C's
director P1 is G's legal representative (shared people); E's legal representative P2 is on
the dishonest persons' list; A's supervisor P3 too (supervisors are not key personnel); H's
listing was removed in 2024 and a new one is issued only in 2026 (neither in force).
Tender T1 (deadline AS_OF): bid BID1 = A (lead) + D (member), listing E; bid BID2 = A (sole),
listing H. Tender T2: bid BID3 = C (sole).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from neo4j import Driver

from riskgraph.graph.config import get_settings
from riskgraph.graph.driver import write
from riskgraph.graph.schema import RECORD_KINDS, category_label
from riskgraph.graph.uscc import make_uscc

DB = get_settings().neo4j_database

AS_OF = dt.date(2025, 6, 30)
BATCH = "test-exposure"
NAMES = "FABCDEGHX"
USCC = {n: make_uscc("9", "1", "330100", f"H3000000{i}") for i, n in enumerate(NAMES)}

SUPPLIES = [("A", "F", 60.0), ("B", "F", 40.0), ("C", "A", 30.0), ("D", "A", 10.0),
            ("C", "B", 50.0), ("E", "B", 50.0), ("G", "C", 100.0), ("A", "C", 100.0),
            ("F", "E", 20.0), ("H", "E", 20.0)]


def _rels(rows: list[tuple[str, str, dict[str, Any]]]) -> list[dict[str, Any]]:
    return [{"src": s, "dst": d, "rel_key": f"{s}>{d}>{i}", "props": p}
            for i, (s, d, p) in enumerate(rows)]


def _record(rid: str, kind: str, issued: dt.date, removed: dt.date | None = None
            ) -> dict[str, Any]:
    spec = RECORD_KINDS[kind]
    return {"key": rid, "category_label": category_label(spec.category),
            "props": {"record_id": rid, "kind": kind, "category": spec.category,
                      "agency": f"Agency of {rid}", "issued_on": issued, "removed_on": removed,
                      "polarity": spec.polarity.value, "disclosure": "public"}}


def build(driver: Driver) -> None:
    """Write the graph described in the module docstring into a cleared database."""
    w = lambda name, rows: write(driver, f"load/{name}", rows=rows, batch=BATCH, database=DB)  # noqa: E731
    w("merge_company", [{"key": u, "props": {"uscc": u, "name": f"Firm {n}", "status": "active",
                                            "region_code": "330100"}}
                        for n, u in USCC.items()])
    supplies = [(USCC[s], USCC[d], {"annual_value": v, "since": dt.date(2020, 1, 1)})
                for s, d, v in SUPPLIES]
    supplies.append((USCC["X"], USCC["F"], {"annual_value": 99.0, "since": dt.date(2020, 1, 1),
                                            "until": dt.date(2024, 12, 31)}))
    w("merge_supplies", _rels(supplies))
    w("merge_person", [{"key": p, "props": {"person_id": p, "name": f"Person {p}"}}
                       for p in ("P1", "P2", "P3")])
    w("merge_director_of", _rels([("P1", USCC["C"], {"since": dt.date(2019, 1, 1)})]))
    w("merge_legal_representative_of", _rels([
        ("P1", USCC["G"], {"since": dt.date(2019, 1, 1)}),
        ("P2", USCC["E"], {"since": dt.date(2019, 1, 1)})]))
    w("merge_supervisor_of", _rels([("P3", USCC["A"], {"since": dt.date(2019, 1, 1)})]))
    records = [
        ("rec-D-ban", "D", "procurement_ban", dt.date(2024, 3, 1), None),
        ("rec-G-sdl", "G", "serious_dishonest_enterprise_list", dt.date(2023, 5, 1), None),
        ("rec-B-abn", "B", "abnormal_operations", dt.date(2025, 1, 10), None),
        ("rec-H-old", "H", "serious_dishonest_enterprise_list", dt.date(2022, 1, 1),
         dt.date(2024, 1, 1)),
        ("rec-H-new", "H", "procurement_ban", dt.date(2026, 1, 1), None),
    ]
    w("merge_credit_record", [_record(r, k, i, x) for r, _, k, i, x in records])
    w("merge_has_record_from_company", _rels([(USCC[s], r, {}) for r, s, *_ in records]))
    people = [("rec-P2", "P2", "dishonest_person_list", dt.date(2024, 6, 1)),
              ("rec-P3", "P3", "dishonest_person_list", dt.date(2024, 6, 1))]
    w("merge_credit_record", [_record(r, k, i) for r, _, k, i in people])
    w("merge_has_record_from_person", _rels([(p, r, {}) for r, p, *_ in people]))
    w("merge_tender", [
        {"key": t, "props": {"tender_id": t, "buyer": "City", "region_code": "330100",
                             "category": "goods", "published_on": dt.date(2025, 5, 1),
                             "deadline": AS_OF, "procedure": "open"}} for t in ("T1", "T2")])
    bids = {"BID1": "T1", "BID2": "T1", "BID3": "T2"}
    w("merge_bid", [{"key": b, "props": {"bid_id": b, "tender_id": t, "amount": 1.0,
                                         "submitted_at": dt.datetime(2025, 6, 1),
                                         "status": "lost"}} for b, t in bids.items()])
    w("merge_for_tender", _rels([(b, t, {}) for b, t in bids.items()]))
    w("merge_submitted", _rels([(USCC["A"], "BID1", {"role": "lead"}),
                                (USCC["D"], "BID1", {"role": "member"}),
                                (USCC["A"], "BID2", {"role": "sole"}),
                                (USCC["C"], "BID3", {"role": "sole"})]))
    w("merge_list_supplier", _rels([("BID1", USCC["E"], {}), ("BID2", USCC["H"], {})]))


def add_assessments(driver: Driver) -> None:
    """Two ranking runs: A was 'high' in the older one and 'low' in the latest; C 'critical'
    in the older run only (so its latest assessment is still that one)."""
    driver.execute_query(
        "UNWIND $runs AS run CREATE (:RankingRun {run_id: run.id, created_at: run.at}) "
        "WITH count(*) AS _ UNWIND $rows AS row MATCH (c:Company {uscc: row.uscc}) "
        "CREATE (c)-[:HAS_ASSESSMENT]->(:RiskAssessment {run_id: row.run, uscc: row.uscc, "
        "risk: row.risk, tier: row.tier, rank: row.rank})",
        runs=[{"id": "r-old", "at": dt.datetime(2025, 1, 1, tzinfo=dt.UTC)},
              {"id": "r-new", "at": dt.datetime(2025, 6, 1, tzinfo=dt.UTC)}],
        rows=[{"uscc": USCC["A"], "run": "r-old", "risk": 0.3, "tier": "high", "rank": 5},
              {"uscc": USCC["A"], "run": "r-new", "risk": 0.05, "tier": "low", "rank": 900},
              {"uscc": USCC["C"], "run": "r-old", "risk": 0.6, "tier": "critical",
               "rank": 1}])
