"""The report cache (app/cache.py) against the real Neo4j: a write through the API is seen by
the next screen query (before issue 17 the cartel and red-flag reports stayed 300 s stale)."""

from __future__ import annotations

import pytest
from neo4j import Driver

from riskgraph.app import cache
from riskgraph.graph.config import Settings
from tests.app.conftest import ADMIN, INVESTIGATOR, Gql, uscc

pytestmark = pytest.mark.neo4j

SCREEN = "{ cartelScreen(flaggedOnly: false) { tendersScreened blacklistedBids } }"
BAN = """mutation { addCreditRecord(uscc: "%s", kind: "procurement_ban", agency: "MOF",
  issuedOn: "2022-12-01", disclosure: "public") }"""


def test_a_ban_added_through_the_api_reaches_the_next_cartel_screen(gql: Gql) -> None:
    before = gql(SCREEN, INVESTIGATOR)
    assert "errors" not in before, before
    assert uscc("D") not in str(before["data"]["cartelScreen"]["blacklistedBids"])
    added = gql(BAN % uscc("D"), ADMIN)
    assert "errors" not in added, added
    record_id = added["data"]["addCreditRecord"]
    after = gql(SCREEN, INVESTIGATOR)
    assert "errors" not in after, after
    bids = after["data"]["cartelScreen"]["blacklistedBids"]
    assert record_id in str(bids) and uscc("D") in str(bids), bids


def test_the_key_follows_the_graph_and_invalidate_drops_everything(
        gql: Gql, api_graph: Driver, settings: Settings) -> None:
    database = settings.neo4j_database
    built: list[int] = []

    def build() -> int:
        built.append(1)
        return len(built)

    version = cache.graph_version(api_graph, database)
    assert cache.cached("test", api_graph, database, build) == 1
    assert cache.cached("test", api_graph, database, build) == 1  # a hit
    added = gql(BAN % uscc("A"), ADMIN)  # an audited write: the audit sequence moves on
    assert "errors" not in added, added
    assert cache.graph_version(api_graph, database) != version
    cache.invalidate()
    assert cache.cached("test", api_graph, database, build) == 2
    api_graph.execute_query("MATCH (h:AuditLog {log_id: 'main'}) SET h.seq = h.seq + 1",
                            database_=database)  # another process's write, not invalidated
    assert cache.cached("test", api_graph, database, build) == 3
