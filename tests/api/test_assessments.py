"""Risk assessments from ranking runs: the latest complete run wins; search by its tier."""

from __future__ import annotations

import json

import pytest
from neo4j import Driver

from riskgraph.graph.config import Settings
from riskgraph.graph.driver import write
from tests.api.conftest import INVESTIGATOR, Gql, uscc

pytestmark = pytest.mark.neo4j

REASONS = [{"feature": "penalties_3y", "contribution": 0.5, "value": 2.0,
            "text": "Administrative penalties in the last three years"}]


def _run(driver: Driver, database: str, run_id: str, created_at: str,
         tiers: dict[str, tuple[str, int]], complete: bool) -> None:
    write(driver, "ranking/create_ranking_run", database, run_id=run_id,
          created_at=created_at, as_of=created_at[:10], model_version="m1",
          data_snapshot_sha256="0" * 64, code_version="test", parameters="{}",
          digest=f"digest-{run_id}", firms=len(tiers))
    rows = [{"uscc": uscc(tag), "risk": 0.9 if tier == "high" else 0.1,
             "serious_risk": 0.05, "tier": tier, "rank": rank,
             "reasons": json.dumps(REASONS)} for tag, (tier, rank) in tiers.items()]
    write(driver, "ranking/create_risk_assessments", database, run_id=run_id, rows=rows)
    if complete:
        write(driver, "ranking/complete_ranking_run", database, run_id=run_id,
              firms=len(tiers))


@pytest.fixture(scope="module")
def ranked(api_graph: Driver, settings: Settings) -> Driver:
    db = settings.neo4j_database
    _run(api_graph, db, "run1", "2024-01-01T00:00:00", {"A": ("low", 5), "B": ("high", 1)},
         complete=True)
    _run(api_graph, db, "run2", "2024-06-01T00:00:00", {"A": ("high", 1), "B": ("low", 2)},
         complete=True)
    _run(api_graph, db, "run3", "2024-09-01T00:00:00", {"A": ("critical", 1)},
         complete=False)  # still being written: ignored
    return api_graph


def test_assessment_is_from_the_latest_complete_run(ranked: Driver, gql: Gql) -> None:
    body = gql("""query($a: String!, $c: String!) {
        a: company(uscc: $a) { assessment { runId tier rank risk
            reasons { feature contribution text evidence { text } }
            run { runId status digest asOf } } }
        c: company(uscc: $c) { assessment { tier } } }""", INVESTIGATOR, a=uscc("A"),
               c=uscc("C"))
    assert "errors" not in body, body
    a = body["data"]["a"]["assessment"]
    assert (a["runId"], a["tier"], a["rank"]) == ("run2", "high", 1)
    assert a["run"] == {"runId": "run2", "status": "complete", "digest": "digest-run2",
                        "asOf": "2024-06-01"}
    assert a["reasons"] == [{"feature": "penalties_3y", "contribution": 0.5,
                             "text": REASONS[0]["text"], "evidence": []}]
    assert body["data"]["c"]["assessment"] is None


def test_search_by_tier_uses_the_latest_complete_run(ranked: Driver, gql: Gql) -> None:
    query = '{ companies(tier: "%s") { nodes { uscc } } }'
    high = gql(query % "high", INVESTIGATOR)["data"]["companies"]["nodes"]
    low = gql(query % "low", INVESTIGATOR)["data"]["companies"]["nodes"]
    assert high == [{"uscc": uscc("A")}] and low == [{"uscc": uscc("B")}]
    critical = gql('{ companies(tier: "critical") { nodes { uscc } } }', INVESTIGATOR)
    assert critical["data"]["companies"]["nodes"] == []
    bogus = gql('{ companies(tier: "bogus") { nodes { uscc } } }', INVESTIGATOR)
    assert bogus["errors"][0]["extensions"]["code"] == "BAD_INPUT"
