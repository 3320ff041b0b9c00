"""A real non-Chinese registry on the real Neo4j: the Chicago slice (tests/fixtures/chicago)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from neo4j import Driver

from riskgraph.graph.config import PROJECT_ROOT, Settings
from riskgraph.graph.loader import load_world
from riskgraph.graph.migrations import migrate
from riskgraph.graph.validation import read_rejects

pytestmark = pytest.mark.neo4j

FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "chicago"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def scalar(driver: Driver, settings: Settings, cypher: str) -> object:
    records, _, _ = driver.execute_query(cypher, database_=settings.neo4j_database)
    return records[0][0]


def test_the_chicago_slice_loads_with_zero_rejects_and_its_links(
        clean_graph: Driver, settings: Settings, tmp_path: Path) -> None:
    world = tmp_path / "chicago"
    shutil.copytree(FIXTURE, world)
    report = load_world(clean_graph, world, database=settings.neo4j_database, progress=False)
    assert report.rejects == 0, read_rejects(world / "rejects.csv")[:5]
    for name in ("Company", "CreditRecord", "LicenceHolder", "LegalName", "Address"):
        assert report.merged[name] == len(rows(world / "nodes" / f"{name}.csv"))
    schemes = scalar(clean_graph, settings,
                     "MATCH (c:Company) RETURN collect(DISTINCT c.id_scheme)")
    assert schemes == ["chicago-license"]
    held = rows(world / "rels" / "HELD_BY.csv")
    per_holder: dict[str, int] = {}
    for r in held:
        per_holder[r["dst"]] = per_holder.get(r["dst"], 0) + 1
    shared = scalar(clean_graph, settings,
                    "MATCH (h:LicenceHolder)<-[:HELD_BY]-(c:Company) WITH h, count(c) AS n "
                    "WHERE n > 1 RETURN count(h)")
    assert shared == sum(1 for n in per_holder.values() if n > 1) > 0
    named = scalar(clean_graph, settings,
                   "MATCH (:Company)-[:HAS_LEGAL_NAME]->(n:LegalName) RETURN count(n)")
    assert named == len(rows(world / "rels" / "HAS_LEGAL_NAME.csv"))
    inspected = scalar(clean_graph, settings,
                       "MATCH (c:Company)-[:HAS_RECORD]->(r:CreditRecord {stream: 'routine'}) "
                       "RETURN count(r)")
    assert inspected == len(rows(world / "nodes" / "CreditRecord.csv"))


def test_bad_ids_are_rejected_naming_the_scheme(clean_graph: Driver, settings: Settings,
                                                tmp_path: Path) -> None:
    world = tmp_path / "chicago"
    shutil.copytree(FIXTURE, world)
    with (world / "nodes" / "Company.csv").open("a", encoding="utf-8") as fh:
        fh.write("chicago-license:12AB,Bad Licence,2012-01-01,active\n")
        fh.write("1234567,No Namespace,2012-01-01,active\n")
        fh.write("lei:5493001KJTIIGC8Y1R13,Bad Lei,2012-01-01,active\n")
    good = len(rows(FIXTURE / "nodes" / "Company.csv"))
    report = load_world(clean_graph, world, database=settings.neo4j_database, progress=False)
    reasons = [(r.file, r.row, r.reason) for r in read_rejects(world / "rejects.csv")]
    assert reasons == [
        ("nodes/Company.csv", good + 1,
         "chicago-license identifier '12AB' does not match the declared pattern '[0-9]{1,9}'"),
        ("nodes/Company.csv", good + 2,
         "USCC must have 18 characters, got 7 (identifiers of other schemes are written "
         "scheme:id, e.g. lei:…, chicago-license:…)"),
        ("nodes/Company.csv", good + 3, "LEI check digits do not verify (ISO 7064 mod 97-10)"),
    ]
    assert report.merged["Company"] == good


def test_the_migration_upgrades_a_graph_loaded_before_it(clean_graph: Driver,
                                                         settings: Settings,
                                                         tmp_path: Path) -> None:
    world = tmp_path / "chicago"
    shutil.copytree(FIXTURE, world)
    load_world(clean_graph, world, database=settings.neo4j_database, progress=False)
    db = settings.neo4j_database
    # the graph as an earlier release left it: no id_scheme, migration 005 never applied
    clean_graph.execute_query("MATCH (c:Company) REMOVE c.id_scheme", database_=db)
    clean_graph.execute_query(
        "CREATE (:Company {uscc: '91350100M000100Y43', name: 'Old', status: 'active'})",
        database_=db)
    clean_graph.execute_query("MATCH (m:SchemaMigration {id: '005_firm_id_schemes'}) DELETE m",
                              database_=db)
    clean_graph.execute_query("DROP INDEX company_id_scheme IF EXISTS", database_=db)
    assert migrate(clean_graph, db) == ["005_firm_id_schemes"]
    by_scheme = dict(clean_graph.execute_query(
        "MATCH (c:Company) RETURN c.id_scheme AS s, count(*) AS n ORDER BY s",
        database_=db)[0])
    assert by_scheme == {"chicago-license": len(rows(world / "nodes" / "Company.csv")),
                         "uscc": 1}
    indexes = scalar(clean_graph, settings,
                     "SHOW INDEXES YIELD name WHERE name = 'company_id_scheme' RETURN count(*)")
    assert indexes == 1


def test_load_applies_pending_migrations_and_says_so(clean_graph: Driver, settings: Settings,
                                                     tmp_path: Path) -> None:
    db = settings.neo4j_database
    clean_graph.execute_query("MATCH (m:SchemaMigration {id: '005_firm_id_schemes'}) DELETE m",
                              database_=db)
    world = tmp_path / "chicago"
    shutil.copytree(FIXTURE, world)
    report = load_world(clean_graph, world, database=settings.neo4j_database, progress=False)
    assert report.migrations == ["005_firm_id_schemes"]
    again = load_world(clean_graph, world, database=settings.neo4j_database, progress=False)
    assert again.migrations == []


def test_declared_id_schemes_are_stored_and_registered_on_connect(
        clean_graph: Driver, settings: Settings, tmp_path: Path) -> None:
    from riskgraph.app.cli.connection import graph
    from riskgraph.app.main import register_id_schemes
    from riskgraph.graph.id_scheme_store import stored_schemes
    from riskgraph.graph.identifiers import (
        BUILTIN_SCHEMES,
        IdentifierError,
        IdScheme,
        clean_firm_id,
        clear_declared_schemes,
        known_schemes,
        register_schemes,
    )

    before = {k: v for k, v in known_schemes().items() if k not in BUILTIN_SCHEMES}
    world = tmp_path / "chicago"
    shutil.copytree(FIXTURE, world)
    load_world(clean_graph, world, database=settings.neo4j_database, progress=False)
    declared = IdScheme("chicago-license", "City of Chicago business licence number",
                        "[0-9]{1,9}", False)
    assert stored_schemes(clean_graph, settings.neo4j_database) == {"chicago-license": declared}
    try:
        for connect_as in ("cli", "api"):
            clear_declared_schemes()  # a fresh process: only the generic rule
            assert clean_firm_id("chicago-license:ABC") == "chicago-license:ABC"
            if connect_as == "cli":
                with graph():
                    pass
            else:
                register_id_schemes(clean_graph, settings.neo4j_database)
            assert known_schemes()["chicago-license"] == declared
            with pytest.raises(IdentifierError, match="does not match the declared pattern"):
                clean_firm_id("chicago-license:ABC")
            assert clean_firm_id("chicago-license:1234") == "chicago-license:1234"
    finally:
        clear_declared_schemes()
        register_schemes(before)


def test_firm_resolution_runs_on_the_loaded_chicago_slice(clean_graph: Driver,
                                                         settings: Settings,
                                                         tmp_path: Path) -> None:
    """``riskgraph resolve firms`` on 300 real licences (no USCC, no key person) failed with
    "math domain error"; it now links licences of one name at one address, says what it had
    to decide, and stores that with the decision."""
    from tests.foundation.test_cli import run_cli

    world = tmp_path / "chicago"
    shutil.copytree(FIXTURE, world)
    load_world(clean_graph, world, database=settings.neo4j_database, progress=False)
    result = run_cli("resolve", "firms")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "300 firms" in result.stdout
    assert "note: m trained on the pairs blocked on" in result.stdout
    pairs, _, _ = clean_graph.execute_query(
        "MATCH (a:Company)-[:SAME_AS {active: true}]->(e:ResolvedEntity {kind: 'company'})"
        "<-[:SAME_AS {active: true}]-(b:Company) WHERE a.uscc < b.uscc "
        "MATCH (a)-[:REGISTERED_AT]->(x:Address)<-[:REGISTERED_AT]-(b) "
        "RETURN a.name AS a, b.name AS b", database_=settings.neo4j_database)
    linked = scalar(clean_graph, settings,
                    "MATCH (:Company)-[:SAME_AS {active: true}]->(e:ResolvedEntity) "
                    "RETURN count(DISTINCT e)")
    assert linked == len(pairs) >= 5  # every linked pair shares its address
    assert all(r["a"].upper() == r["b"].upper() for r in pairs)
    notes = scalar(clean_graph, settings,
                   "MATCH (d:ResolutionDecision) RETURN d.detail")
    assert "m trained on the pairs blocked on" in str(notes)
