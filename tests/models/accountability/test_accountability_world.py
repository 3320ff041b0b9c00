"""The issue-5 flow on a generated world, through the CLI: rank, plan, audit, model card, an
overturned objection and the re-score that follows."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from riskgraph.app.cli.main import app
from riskgraph.graph.config import Settings, get_settings
from riskgraph.graph.loader import load_world
from riskgraph.graph.store import Store
from riskgraph.graph.store.runs import run_assessments, tier_history

DB = get_settings().neo4j_database

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


@pytest.fixture(scope="module")
def world(driver: Driver, settings: Settings, world_dir: Path) -> Driver:
    from riskgraph.graph.maintenance import clear_data

    clear_data(driver, settings.neo4j_database)
    load_world(driver, world_dir, database=settings.neo4j_database, progress=False)
    result = CliRunner().invoke(app, ["train"])
    assert result.exit_code == 0, result.output
    return driver


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _field(text: str, name: str) -> str:
    found = re.search(rf"^{name}: (\S+)", text, re.MULTILINE)
    assert found, text
    return found.group(1)


def test_rank_and_plan_are_reproducible(world: Driver, tmp_path: Path) -> None:
    first, second = _run("rank"), _run("rank")
    assert _field(first, "digest") == _field(second, "digest")
    assert _field(first, "run id") != _field(second, "run id")
    run_id = _field(second, "run id")
    assert "matches" in _run("rank", "--verify", run_id)
    plans = [_run("plan", "--run", run_id, "--capacity", "60", "--seed", "1", "--out",
                  str(tmp_path / f"plan{k}.csv")) for k in (1, 2)]
    assert _field(plans[0], "digest") == _field(plans[1], "digest")
    assert (tmp_path / "plan1.csv").read_text() == (tmp_path / "plan2.csv").read_text()
    other = _run("plan", "--run", run_id, "--capacity", "60", "--seed", "2", "--out",
                 str(tmp_path / "plan3.csv"))
    assert _field(other, "digest") != _field(plans[0], "digest")
    assert "<h2>" in (tmp_path / "plan1.html").read_text()
    rows = (tmp_path / "plan1.csv").read_text().splitlines()
    assert len(rows) == 61 and rows[0].startswith("order,uscc")
    empty = _run("plan", "--run", run_id, "--capacity", "0", "--seed", "1", "--out",
                 str(tmp_path / "empty.csv"))
    assert "capacity is 0" in empty


def test_audit_and_model_card(world: Driver, settings: Settings) -> None:
    _run("rank")
    doc = json.loads(_run("audit", "--json"))
    attrs = {g["attribute"] for g in doc["groups"]}
    assert attrs == {"ownership", "province", "size", "age", "political"}
    for g in doc["groups"]:
        assert 0.0 <= g["selection_rate"] <= 1.0
        assert g["flagged"] == (bool(g["note"]) and "warranted by outcomes" not in g["note"])
    assert doc["soft_merit"]["verdict"]
    card = Path(_field(_run("model-card"), "model card"))
    text = card.read_text()
    for heading in ("Intended use", "Must not be used", "Features", "Disaggregated metrics",
                    "Caveats"):
        assert heading in text


def test_overturned_objection_rescores_the_firm(world: Driver) -> None:
    run_id = _field(_run("rank"), "run id")
    rows = run_assessments(Store.open(world, DB), run_id)
    # a high-ranked firm whose top reason is one of its own penalties or listings
    records, _, _ = world.execute_query(
        "UNWIND $usccs AS u MATCH (c:Company {uscc: u})-[:HAS_RECORD]->(r:CreditRecord) "
        "WHERE r.polarity = 'negative' AND r.kind IN ['administrative_penalty', "
        "'serious_dishonest_enterprise_list', 'abnormal_operations'] "
        "RETURN u AS uscc, collect(r.record_id) AS ids, collect(r.kind) AS kinds LIMIT 50",
        usccs=[r["uscc"] for r in rows[:200]])
    target = next(r for r in records if len(r["ids"]) == 1)
    uscc, record_id = target["uscc"], target["ids"][0]
    out = _run("objection", "file", "--firm", uscc, "--record", record_id, "--grounds",
               "annulled on appeal")
    oid = re.search(r"objection (OBJ-\w+) filed", out)
    assert oid, out
    for state in ("accepted", "under_review"):
        _run("objection", "transition", oid.group(1), "--to", state, "--reason", "review")
    bad = CliRunner().invoke(app, ["objection", "transition", oid.group(1), "--to",
                                   "accepted", "--reason", "again"])
    assert bad.exit_code != 0
    assert str(bad.exception).endswith("(--to)"), bad.exception  # the CLI's name of to_state
    out = _run("objection", "transition", oid.group(1), "--to", "overturned", "--reason",
               "the court annulled the penalty")
    assert "re-scored in run" in out and "before" in out and "after" in out
    history = tier_history(Store.open(world, DB), uscc)
    assert history[0]["run_id"] != run_id and history[1]["run_id"] == run_id
    assert history[0]["risk"] < history[1]["risk"]
    shown = json.loads(_run("objection", "show", oid.group(1), "--json"))
    assert [t["to_state"] for t in shown["transitions"]] == [
        "filed", "accepted", "under_review", "overturned"]
    assert shown["transitions"][-1]["reason"] == "the court annulled the penalty"
    assert "chain intact" in _run("audit-trail", "--verify")
