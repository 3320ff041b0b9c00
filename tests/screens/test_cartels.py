"""Cartel screens against a real Neo4j: a hand-built graph, then a small generated world."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest
from neo4j import Driver
from typer.testing import CliRunner

from riskgraph.app.cli.main import app
from riskgraph.graph.config import PROJECT_ROOT, Settings
from riskgraph.graph.errors import BadInput
from riskgraph.graph.loader import load_world
from riskgraph.graph.snapshot import Snapshot
from riskgraph.models.features.context import FeatureContext
from riskgraph.models.screens.cartel_cypher import literal
from riskgraph.models.screens.cartel_evaluation import evaluate_report, planted_cartels
from riskgraph.models.screens.cartel_feature import cobid_rotation
from riskgraph.models.screens.cartels import CartelConfig, screen_cartels
from riskgraph.seed.world import generate_world

CARTEL = ["R1", "R2", "R3", "R4"]
INNOCENT = ["I1", "I2"]

BUILD = """
UNWIND $companies AS c
CREATE (:Company {uscc: c, name: c, region_code: '330100', status: 'active'})
WITH count(*) AS done
UNWIND $bids AS b
MERGE (t:Tender {tender_id: b.tender})
  ON CREATE SET t.buyer = 'Buyer', t.region_code = '330100', t.category = 'works',
                t.published_on = date(b.published),
                t.deadline = date(b.published) + duration('P30D'),
                t.procedure = 'open'
CREATE (bid:Bid {bid_id: b.bid, tender_id: b.tender, amount: b.amount, status: b.status,
                 submitted_at: datetime(b.published + 'T10:00:00Z')})-[:FOR_TENDER]->(t)
WITH bid, b
UNWIND range(0, size(b.firms) - 1) AS i
MATCH (c:Company {uscc: b.firms[i]})
CREATE (c)-[:SUBMITTED {role: CASE WHEN size(b.firms) = 1 THEN 'sole'
                                  WHEN i = 0 THEN 'lead' ELSE 'member' END}]->(bid)
"""
LINK = """
MATCH (a:Company {uscc: $a}), (b:Company {uscc: $b})
CREATE (p:Person {person_id: 'P1', name: 'Shared Rep'})
CREATE (p)-[:LEGAL_REPRESENTATIVE_OF]->(a), (p)-[:LEGAL_REPRESENTATIVE_OF]->(b)
"""
FAMILY = """
MATCH (a:Company {uscc: 'F1'}), (b:Company {uscc: 'F2'})
CREATE (a)<-[:LEGAL_REPRESENTATIVE_OF]-(:Person {person_id: 'P2', name: 'Brother'})
       -[:FAMILY_OF {relationship: 'sibling'}]->(:Person {person_id: 'P3', name: 'Sister'})
       -[:DIRECTOR_OF]->(b)
"""
BAN = """
MATCH (c:Company {uscc: $uscc})
CREATE (c)-[:HAS_RECORD]->(:CreditRecord:Blacklist {record_id: 'REC1', category: 'blacklist',
        kind: 'procurement_ban', agency: 'Finance', issued_on: date('2020-01-01'),
        polarity: 'negative', disclosure: 'public'})
"""


def _bid(tender: str, published: str, k: int, firms: list[str], amount: float, won: bool
         ) -> dict[str, Any]:
    return {"tender": tender, "published": published, "bid": f"{tender}-b{k}", "firms": firms,
            "amount": amount, "status": "won" if won else "lost"}


def _world() -> list[dict[str, Any]]:
    bids = []
    # a rotating cartel: each member wins in turn, the others bid 2–6 % above the winner
    for j in range(8):
        tid, day = f"TC{j}", f"2021-{j + 1:02d}-10"
        winner = CARTEL[j % 4]
        base = 1_000_000.0 + 10_000 * j
        covers = [m for m in CARTEL if m != winner]
        bids.append(_bid(tid, day, 0, [winner], base, True))
        for k, m in enumerate(covers, 1):
            bids.append(_bid(tid, day, k, [m], base * (1.02 + 0.015 * k), False))
    # an innocent pair: I1 wins every time, I2 far above (honest competition)
    for j in range(6):
        tid, day = f"TI{j}", f"2022-{j + 1:02d}-10"
        bids.append(_bid(tid, day, 0, ["I1"], 500_000.0, True))
        bids.append(_bid(tid, day, 1, ["I2"], 500_000.0 * (1.15 + 0.03 * j), False))
    # linked competitors in one tender, and a consortium with a banned member
    bids.append(_bid("TL0", "2023-03-01", 0, ["L1"], 200_000.0, True))
    bids.append(_bid("TL0", "2023-03-01", 1, ["L2"], 230_000.0, False))
    bids.append(_bid("TF0", "2023-03-05", 0, ["F1"], 100_000.0, True))
    bids.append(_bid("TF0", "2023-03-05", 1, ["F2"], 104_000.0, False))
    bids.append(_bid("TB0", "2023-04-01", 0, ["C1", "C2"], 300_000.0, True))
    bids.append(_bid("TB0", "2023-04-01", 1, ["L1"], 320_000.0, False))
    return bids


@pytest.fixture
def built(clean_graph: Driver) -> Driver:
    companies = [*CARTEL, *INNOCENT, "L1", "L2", "C1", "C2", "F1", "F2"]
    clean_graph.execute_query(BUILD, companies=companies, bids=_world())
    clean_graph.execute_query(LINK, a="L1", b="L2")
    clean_graph.execute_query(FAMILY)
    clean_graph.execute_query(BAN, uscc="C2")
    return clean_graph


def test_rotating_cartel_and_linked_bidders_are_flagged(built: Driver, settings: Settings
                                                        ) -> None:
    report = screen_cartels(built, CartelConfig(), settings.neo4j_database)
    flagged = [g for g in report.groups if g.flagged]
    assert [g.stats.members for g in flagged] == [CARTEL]
    cartel = flagged[0]
    assert cartel.stats.member_win_share == 1.0 and cartel.stats.turn_taking == 1.0
    assert cartel.stats.member_wins == {m: 2 for m in CARTEL}
    assert cartel.cover == 1.0 and sorted(cartel.stats.tenders) == [f"TC{j}" for j in range(8)]
    rounds = cartel.stats.rounds
    assert [r["winner"] for r in rounds] == [[CARTEL[j % 4]] for j in range(8)]
    assert all(0.02 <= p <= 0.066 for r in rounds for p in r["member_premiums"])
    innocent = [g for g in report.groups if g.stats.members == INNOCENT]
    assert len(innocent) == 1 and not innocent[0].flagged
    assert innocent[0].stats.evenness == 0.0 and innocent[0].score < 0.1
    links = {(f["a"], f["b"]): f for f in report.linked_bidders}
    assert set(links) == {("L1", "L2"), ("F1", "F2")}
    assert links[("L1", "L2")]["path"] == ["L1", "P1", "L2"]
    assert links[("F1", "F2")]["rels"] == ["LEGAL_REPRESENTATIVE_OF", "FAMILY_OF", "DIRECTOR_OF"]
    assert links[("L1", "L2")]["tenders"] == ["TL0"]
    banned = report.blacklisted_bids
    assert [(b["uscc"], b["role"], b["consortium"]) for b in banned] == [("C2", "member", True)]


@pytest.mark.parametrize(("disclosure", "role", "named"), [
    ("restricted", "public", False), ("restricted", "investigator", False),
    ("restricted", "admin", True), ("agency_shared", "investigator", True),
    ("public", "public", True)])
def test_cli_report_names_only_records_its_role_may_see(
        built: Driver, disclosure: str, role: str, named: bool) -> None:
    built.execute_query("MATCH (r:CreditRecord {record_id: 'REC1'}) SET r.disclosure = $d",
                        d=disclosure)
    result = CliRunner().invoke(app, ["screen", "cartels", "--json", "--role", role])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["disclosure"].startswith(f"Disclosure: written for role {role}")
    [bid] = doc["blacklisted_bids"]
    assert (bid["uscc"], bid["role"], bid["consortium"]) == ("C2", "member", True)  # the verdict
    assert ("REC1" in result.stdout) is named
    assert ("record_id" in bid) is named and ("record" in bid) is not named


def test_flags_carry_runnable_browser_cypher(built: Driver, settings: Settings) -> None:
    report = screen_cartels(built, CartelConfig(), settings.neo4j_database)
    group = report.flagged[0].to_dict()["cypher"]
    assert "$usccs" in group["cypher"] and "'R1'" in group["literal"]
    for text, params in ((group["cypher"], group["params"]), (group["literal"], {})):
        records, _, _ = built.execute_query(text, params)
        assert {r["c"]["uscc"] for r in records} == set(CARTEL)
    link = report.linked_bidders[0]["cypher"]
    records, _, _ = built.execute_query(link["literal"])
    assert records and records[0]["p"] is not None and records[0]["bids"] is not None


def test_hops_and_threshold_change_the_result(built: Driver, settings: Settings) -> None:
    one_hop = screen_cartels(built, CartelConfig(hops=1), settings.neo4j_database)
    assert one_hop.linked_bidders == []
    two_hops = screen_cartels(built, CartelConfig(hops=2), settings.neo4j_database)
    assert [(f["a"], f["b"]) for f in two_hops.linked_bidders] == [("L1", "L2")]
    no_family = screen_cartels(built, CartelConfig(family=False), settings.neo4j_database)
    assert [(f["a"], f["b"]) for f in no_family.linked_bidders] == [("L1", "L2")]
    too_few = screen_cartels(built, CartelConfig(min_tenders=9), settings.neo4j_database)
    assert too_few.flagged == [] and max(g.score for g in too_few.groups) == 0.0
    with pytest.raises(BadInput, match="--hops must be between 1 and 4"):
        screen_cartels(built, CartelConfig(hops=5), settings.neo4j_database)
    with pytest.raises(BadInput, match="--threshold must be between 0 and 1"):
        screen_cartels(built, CartelConfig(threshold=1.5), settings.neo4j_database)


def test_literal_escapes_quotes() -> None:
    assert literal(["a'b", 1, None, True]) == "['a\\'b', 1, null, true]"


FIRMS, SEED = 2000, 5


@pytest.fixture(scope="module")
def small_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cartel-world")
    generate_world(FIRMS, SEED, out, progress=False)
    return out


def test_evaluation_on_a_generated_world(clean_graph: Driver, settings: Settings,
                                         small_world: Path) -> None:
    load_world(clean_graph, small_world, database=settings.neo4j_database, progress=False)
    report = screen_cartels(clean_graph, CartelConfig(), settings.neo4j_database)
    truth = planted_cartels(small_world / "ground_truth.json")
    result = evaluate_report(report, truth)
    assert result["planted_cartels"] == len(truth) >= 2
    assert result["precision"] >= 0.9 and result["recall"] >= 0.8, result
    assert result["group_recall"] >= 0.5
    cli = subprocess.run([sys.executable, "-m", "riskgraph", "screen", "cartels", "--evaluate",
                          "--json"], capture_output=True, text=True, cwd=PROJECT_ROOT,
                         env=dict(os.environ), check=False)
    assert cli.returncode == 0, cli.stderr
    printed = json.loads(cli.stdout)
    assert printed["precision"] == result["precision"]
    assert printed["recall"] == result["recall"] and printed["threshold"] == 0.7
    assert printed["ground_truth"] == str(small_world / "ground_truth.json")
    # the world's planted cartels as a labels CSV: `--evaluate FILE` cross-validates
    labels = small_world / "ground_truth_labels.csv"
    cli = subprocess.run([sys.executable, "-m", "riskgraph", "screen", "cartels", "--evaluate",
                          str(labels), "--json"], capture_output=True, text=True,
                         cwd=PROJECT_ROOT, env=dict(os.environ), check=False)
    assert cli.returncode == 0, cli.stderr
    cv = json.loads(cli.stdout)
    assert cv["labels"] == str(labels) and cv["unmatched_labels"]["firm_count"] == 0
    for level in ("tender", "firm"):
        assert set(cv[level]) == {"unsupervised", "price_screens_grouped_by_firm",
                                  "price_screens_grouped_by_time", "model_grouped_by_firm",
                                  "model_grouped_by_time"}
        assert cv[level]["unsupervised"]["roc_auc"] >= 0.9, cv[level]
        assert cv[level]["model_grouped_by_firm"]["roc_auc"] >= 0.9, cv[level]
    bad = subprocess.run([sys.executable, "-m", "riskgraph", "screen", "cartels", "--labels",
                          str(small_world / "nope.csv")], capture_output=True, text=True,
                         cwd=PROJECT_ROOT, env=dict(os.environ), check=False)
    assert bad.returncode == 2 and "nope.csv not found" in bad.stderr + bad.stdout


def test_rotation_feature_is_point_in_time(small_world: Path) -> None:
    snap = Snapshot.from_world(small_world)
    truth = planted_cartels(small_world / "ground_truth.json")
    members = {m for c in truth for m in c["members"]}
    is_member = np.isin(snap.uscc, sorted(members))
    late = cobid_rotation(FeatureContext(snap, dt.date(2026, 1, 1)))
    assert late[is_member].mean() > 0.8 and (late[~is_member] < 0.8).all()
    first = min(dt.date.fromisoformat(str(d)) for d in pq.read_table(
        small_world / "nodes" / "Tender.parquet").column("deadline").to_pylist())
    assert cobid_rotation(FeatureContext(snap, first - dt.timedelta(days=1))).max() == 0.0
