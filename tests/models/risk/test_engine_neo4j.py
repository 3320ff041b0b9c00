"""End to end against the real Neo4j: load a generated world, snapshot, train, score, explain,
evaluate, and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from neo4j import Driver
from typer.testing import CliRunner

from riskgraph.app.cli.main import app
from riskgraph.graph.config import Settings, get_settings
from riskgraph.graph.errors import NotFound
from riskgraph.graph.loader import load_world
from riskgraph.graph.snapshot import KINDS, Snapshot
from riskgraph.graph.store import Store
from riskgraph.models.risk.artifact import save_artifact
from riskgraph.models.risk.explain import explain
from riskgraph.models.risk.scoring import score_snapshot
from riskgraph.models.risk.train_config import TrainConfig
from riskgraph.models.risk.training import train

DB = get_settings().neo4j_database

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


@pytest.fixture(scope="module")
def loaded(driver: Driver, settings: Settings, world_dir: Path) -> Driver:
    from riskgraph.graph.maintenance import clear_data

    clear_data(driver, settings.neo4j_database)
    load_world(driver, world_dir, database=settings.neo4j_database, progress=False)
    return driver


def _records(s: Snapshot) -> set[tuple[object, ...]]:
    person = s.person_id[np.minimum(s.rec_subject, s.n_persons - 1)]
    firm = s.uscc[np.minimum(s.rec_subject, s.n_firms - 1)]
    subject = np.where(s.rec_on_person, person, firm)
    return set(zip(subject.tolist(), s.rec_kind.tolist(), s.rec_issued.tolist(),
                   s.rec_removed.tolist(), s.rec_severity.tolist(), s.rec_outcome.tolist(),
                   np.round(s.rec_amount, 2).tolist(), s.rec_tax_agency.tolist(), strict=True))


def _roles(s: Snapshot) -> set[tuple[object, ...]]:
    return set(zip(s.person_id[s.role_person].tolist(), s.uscc[s.role_firm].tolist(),
                   s.role_type.tolist(), s.role_since.tolist(), s.role_until.tolist(),
                   strict=True))


def test_snapshot_from_neo4j_equals_snapshot_from_the_world_files(
        loaded: Driver, world_snapshot: Snapshot) -> None:
    graph = Store.open(loaded, DB).snapshot()
    files = world_snapshot
    assert graph.n_firms == files.n_firms and graph.n_persons == files.n_persons
    assert _records(graph) == _records(files)
    assert _roles(graph) == _roles(files)
    sup = {(a, b, round(v, 2), s, u) for a, b, v, s, u in zip(
        graph.uscc[graph.sup_supplier], graph.uscc[graph.sup_customer], graph.sup_value,
        graph.sup_since, graph.sup_until, strict=True)}
    sup_files = {(a, b, round(v, 2), s, u) for a, b, v, s, u in zip(
        files.uscc[files.sup_supplier], files.uscc[files.sup_customer], files.sup_value,
        files.sup_since, files.sup_until, strict=True)}
    assert sup == sup_files
    order = np.argsort(graph.uscc.astype(str))
    order_f = np.argsort(files.uscc.astype(str))
    assert (graph.founded[order] == files.founded[order_f]).all()
    assert (graph.dissolved[order] == files.dissolved[order_f]).all()


@pytest.fixture(scope="module")
def trained(loaded: Driver, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Snapshot]:
    snap = Store.open(loaded, DB).snapshot()
    home = tmp_path_factory.mktemp("risk-home")
    save_artifact(train(snap, TrainConfig()), home)
    return home, snap


def test_explain_sums_and_cites_evidence(loaded: Driver, trained: tuple[Path, Snapshot]) -> None:
    home, snap = trained
    penalised = snap.rec_subject[~snap.rec_on_person & snap.rec_negative
                                 & (snap.rec_kind == KINDS.index("administrative_penalty"))]
    counts = np.bincount(penalised, minlength=snap.n_firms)
    uscc = str(snap.uscc[int(np.argmax(counts))])
    exp = explain(Store.open(loaded, DB), uscc, home=home)
    total = exp.base_value + sum(c["value"] for c in exp.contributions)
    assert abs(total - exp.log_odds) < 1e-6
    assert abs(exp.risk - 1 / (1 + np.exp(-exp.log_odds))) < 1e-9
    assert exp.reasons, "a heavily penalised firm has reasons"
    cited = [ev for r in exp.reasons for ev in r.evidence]
    assert cited and all(ev.cypher.startswith(":params ") for ev in cited)
    assert any(ev.record_ids for ev in cited)
    assert exp.counterfactual.statement
    assert exp.scorecards["zhejiang"]["score"] < 815


def test_a_firm_without_records_gets_the_prior_statement(
        loaded: Driver, trained: tuple[Path, Snapshot]) -> None:
    home, snap = trained
    has = np.zeros(snap.n_firms, dtype=bool)
    has[snap.rec_subject[~snap.rec_on_person]] = True
    listed_people = np.zeros(snap.n_persons, dtype=bool)
    listed_people[snap.rec_subject[snap.rec_on_person]] = True
    has[snap.role_firm[listed_people[snap.role_person]]] = True
    clean = np.nonzero(~has & (snap.dissolved > snap.data_end))[0]
    exp = explain(Store.open(loaded, DB), str(snap.uscc[clean[0]]), home=home)
    assert exp.no_records
    assert exp.reasons[0].feature == "no_records"
    assert "prior" in exp.reasons[0].detail


def test_unknown_firm_is_not_found(loaded: Driver, trained: tuple[Path, Snapshot]) -> None:
    home, _ = trained
    with pytest.raises(NotFound, match="no company with USCC"):
        explain(Store.open(loaded, DB), "91330100MA2XXXXXXX", home=home)


def test_scores_cover_every_firm(trained: tuple[Path, Snapshot]) -> None:
    from riskgraph.models.risk.artifact import load_artifact

    home, snap = trained
    sc = score_snapshot(snap, load_artifact(home))
    assert sc.risk.shape == (snap.n_firms,) and ((sc.risk > 0) & (sc.risk < 1)).all()
    assert set(sc.tier[sc.alive]) <= {"low", "average", "high", "critical"}


def test_cli_train_evaluate_explain(loaded: Driver, world_dir: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["train"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["evaluate", "--json", "--ground-truth",
                                 str(world_dir / "ground_truth.json")])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    for key in ("auc", "pr_auc", "base_rate", "precision_at_10pct", "lift_at_10pct",
                "scorecard_auc", "baseline_auc", "brier"):
        assert key in figures
    assert figures["scheme_recall_at_10pct"]
    snap = Store.open(loaded, DB).snapshot()
    result = runner.invoke(app, ["explain", str(snap.uscc[0]), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    for key in ("uscc", "risk", "log_odds", "base_value", "contributions", "reasons"):
        assert key in doc
    assert {"feature", "value"} <= set(doc["contributions"][0])
    result = runner.invoke(app, ["explain", "91330100MA2XXXXXXX"])
    assert result.exit_code != 0
    assert isinstance(result.exception, NotFound)


def test_cli_rank_reports_bad_feature_rows_and_keeps_the_good(loaded: Driver,
                                                              tmp_path: Path) -> None:
    """`rank` re-reads the model's --features tables: each bad row is reported with file, row
    and field (printed, in --json and in the rejects file), the good rows still score."""
    snap = Snapshot.from_neo4j(loaded, database=DB)
    firms = [str(u) for u in snap.uscc[:4]]
    table = tmp_path / "audits.csv"
    table.write_text("uscc,date,score\n"
                     f"{firms[0]},2020-01-01,3.5\n{firms[1]},2020-01-01,1.25\n"
                     f"{firms[2]},2020-01-01,high\n,2020-01-01,2\n"
                     f"{firms[3]},2020-02-30,2\n", encoding="utf-8")  # rows 3-5 are bad
    runner = CliRunner()
    result = runner.invoke(app, ["train", "--features", str(table)])
    assert result.exit_code == 0, result.output
    try:
        _rank_with_bad_rows(runner, snap, firms, table)
    finally:  # later tests get the default model back as the latest
        assert runner.invoke(app, ["train"]).exit_code == 0


def _rank_with_bad_rows(runner: CliRunner, snap: Snapshot, firms: list[str], table: Path
                        ) -> None:
    from riskgraph.graph.config import get_settings
    from riskgraph.models.risk.artifact import load_artifact

    result = runner.invoke(app, ["rank", "--json"])
    assert result.exit_code == 0, result.output
    rejected = json.loads(result.stdout)["rejected_rows"]
    assert rejected["count"] == 3
    first = " | ".join(rejected["first"])
    assert "row 3: field 'score': 'high' is not a finite number" in first
    assert "row 4: field 'uscc'" in first
    assert "row 5: field 'date'" in first
    assert all(str(table) in r for r in rejected["first"])
    listed = Path(rejected["file"]).read_text(encoding="utf-8")
    assert listed.count("\n") == 4 and "'high'" in listed
    result = runner.invoke(app, ["rank"])
    assert result.exit_code == 0, result.output
    assert f"3 row(s) of {table} left out" in " ".join(result.output.split())
    sc = score_snapshot(snap, load_artifact(get_settings().riskgraph_home))
    column = sc.features.values[:, sc.features.names.index("user_audits_score")]
    at = {u: float(column[sc.index(u)]) for u in firms}
    assert at[firms[0]] == 3.5 and at[firms[1]] == 1.25  # the good rows are kept
    assert at[firms[2]] == 0.0 and at[firms[3]] == 0.0  # the bad rows count for nothing
