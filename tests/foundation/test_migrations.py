"""Schema migrations against the real Neo4j."""

from __future__ import annotations

import pytest
from neo4j import Driver

from riskgraph.graph import migrations
from riskgraph.graph.config import Settings
from riskgraph.graph.errors import MigrationError
from riskgraph.graph.migrations import Migration, applied, available, migrate
from riskgraph.graph.schema import NODES

pytestmark = pytest.mark.neo4j


def test_every_migration_is_recorded_with_its_checksum(driver: Driver, settings: Settings) -> None:
    recorded = applied(driver, settings.neo4j_database)
    assert recorded == {m.id: m.checksum for m in available()}


def test_migrate_is_idempotent(driver: Driver, settings: Settings) -> None:
    assert migrate(driver, settings.neo4j_database) == []
    assert migrate(driver, settings.neo4j_database) == []


def test_every_natural_key_has_a_uniqueness_constraint(driver: Driver) -> None:
    records, _, _ = driver.execute_query(
        "SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties "
        "WHERE type = 'UNIQUENESS' RETURN labelsOrTypes[0] AS label, properties[0] AS key"
    )
    constrained = {(r["label"], r["key"]) for r in records}
    expected = {(node.label.value, node.key) for node in NODES.values()}
    assert expected <= constrained


def test_a_changed_applied_migration_is_refused(
    driver: Driver, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = available()
    tampered = [Migration(m.id, m.text + "\n// edited") if m.id.startswith("001") else m
                for m in original]
    monkeypatch.setattr(migrations, "available", lambda: tampered)
    with pytest.raises(MigrationError, match="001_constraints changed since they were applied"):
        migrate(driver, settings.neo4j_database)
