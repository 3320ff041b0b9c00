"""No deprecated Cypher in the catalog: no ``id()`` (natural keys or ``elementId()``), and the
server itself reports no deprecation when it plans each statement."""

from __future__ import annotations

import re

import pytest
from neo4j import Driver, NotificationClassification
from neo4j.exceptions import Neo4jError

from riskgraph.graph.catalog import _root, query, statements
from riskgraph.graph.config import PROJECT_ROOT, Settings

CYPHER = PROJECT_ROOT / "cypher"
ID_CALL = re.compile(r"(?<![A-Za-z0-9_.])id\s*\(", re.IGNORECASE)


def _catalog() -> list[str]:
    names = []
    for path in sorted(CYPHER.rglob("*.cypher")):
        rel = path.relative_to(CYPHER).with_suffix("")
        if rel.parts[0] in ("schema", "browser"):  # migrations / Browser guides: not planned
            continue
        names.append("/".join(rel.parts))
    return names


def test_no_statement_calls_id() -> None:
    offenders = [str(p.relative_to(PROJECT_ROOT)) for p in CYPHER.rglob("*.cypher")
                 if any(ID_CALL.search(text) for text in statements(p.read_text()))]
    assert not offenders, offenders
    assert ID_CALL.search("RETURN id(n)") and not ID_CALL.search("RETURN elementId(n)")


@pytest.mark.neo4j
def test_the_server_reports_no_deprecation_for_any_statement(
        driver: Driver, settings: Settings) -> None:
    """EXPLAIN plans without running (missing parameters only warn); the driver asks for
    WARNING notifications (graph/driver.py), deprecations among them."""
    assert _root().is_dir()
    planned, deprecated = 0, []
    with driver.session(database=settings.neo4j_database) as session:
        for name in _catalog():
            for text in statements(query(name)) or [query(name)]:
                try:
                    summary = session.run("EXPLAIN " + text).consume()  # type: ignore[arg-type]
                except Neo4jError:
                    continue  # e.g. CALL { } IN TRANSACTIONS or a system command
                planned += 1
                deprecated += [(name, g.status_description) for g in summary.gql_status_objects
                               if g.is_notification
                               and g.classification == NotificationClassification.DEPRECATION]
    assert planned >= 0.9 * len(_catalog()), (planned, len(_catalog()))
    assert not deprecated, deprecated
