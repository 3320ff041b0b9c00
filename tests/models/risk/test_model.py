"""The additive model (exact contributions, estimator contract) and the artifact contract."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone

from riskgraph.graph.errors import BadInput, Conflict, NotFound
from riskgraph.graph.snapshot import Snapshot
from riskgraph.models.risk.additive import BinnedAdditiveClassifier
from riskgraph.models.risk.artifact import load_artifact, save_artifact
from riskgraph.models.risk.train_config import TrainConfig
from riskgraph.models.risk.training import train


def test_contributions_sum_to_the_log_odds() -> None:
    rng = np.random.default_rng(0)
    x = np.column_stack([rng.poisson(0.3, 2000), rng.normal(size=2000), rng.random(2000)])
    y = rng.random(2000) < 1 / (1 + np.exp(-(x[:, 0] + x[:, 1] - 1)))
    w = rng.random(2000) + 0.5
    model = BinnedAdditiveClassifier(max_bins=6, C=1.0, random_state=0)
    assert model.fit(x, y, sample_weight=w) is model
    total = model.base_value_ + model.contributions(x).sum(axis=1)
    assert np.abs(total - model.decision_function(x)).max() < 1e-9
    assert model.predict_proba(x).shape == (2000, 2)
    assert clone(model).get_params() == model.get_params()
    assert not hasattr(clone(model), "coef_")


def test_a_feature_constant_in_training_does_not_perturb_the_model() -> None:
    rng = np.random.default_rng(1)
    x = np.column_stack([rng.poisson(0.3, 2000), rng.normal(size=2000)])
    y = rng.random(2000) < 1 / (1 + np.exp(-(x[:, 0] + x[:, 1] - 1)))
    plain = BinnedAdditiveClassifier(max_bins=6, C=0.1).fit(x, y)
    padded = BinnedAdditiveClassifier(max_bins=6, C=0.1).fit(
        np.column_stack([x[:, :1], np.zeros(2000), x[:, 1:]]), y)
    test = np.column_stack([x[:, :1], rng.random(2000), x[:, 1:]])  # unseen values too
    assert np.array_equal(plain.decision_function(x), padded.decision_function(test))
    assert not padded.contributions(test)[:, 1].any()
    nothing = BinnedAdditiveClassifier().fit(np.zeros((50, 2)), np.arange(50) < 10)
    assert np.allclose(nothing.predict_proba(np.ones((3, 2)))[:, 1], 0.2)


@pytest.fixture(scope="module")
def artifact(world_snapshot: Snapshot) -> object:
    return train(world_snapshot, TrainConfig())


def test_trained_models_are_exactly_additive(world_snapshot: Snapshot, artifact: object) -> None:
    from riskgraph.models.risk.features import compute_features
    from riskgraph.models.risk.scoring import model_matrix

    fm = compute_features(world_snapshot, dt.date(2025, 1, 1), artifact.all_features)
    x = model_matrix(artifact, fm)
    for model in artifact.models.values():
        total = model.base_value + model.contributions(x).sum(axis=1)
        assert np.abs(total - model.log_odds(x)).max() < 1e-6


def test_artifact_round_trip_and_metadata(artifact: object, tmp_path: Path) -> None:
    folder = save_artifact(artifact, tmp_path)
    meta = json.loads((folder / "metadata.json").read_text())
    for key in ("features", "training_window", "calibration_window", "metrics", "libraries",
                "data_snapshot_sha256", "model_sha256", "weighting", "cutoff"):
        assert key in meta
    assert "donations_3y" not in meta["features"] and "politically_connected" not in meta[
        "features"]
    loaded = load_artifact(tmp_path)
    assert loaded.version == artifact.version and loaded.features == artifact.features


def test_loading_refuses_a_different_feature_list(artifact: object, tmp_path: Path) -> None:
    save_artifact(artifact, tmp_path)
    with pytest.raises(Conflict, match="different feature list"):
        load_artifact(tmp_path, expected_features=[*artifact.features, "new_feature"])
    with pytest.raises(Conflict, match="different feature list"):
        load_artifact(tmp_path, expected_features=artifact.features[::-1])


def test_loading_refuses_a_tampered_model_file(artifact: object, tmp_path: Path) -> None:
    folder = save_artifact(artifact, tmp_path)
    (folder / "model.pkl").write_bytes((folder / "model.pkl").read_bytes() + b"x")
    with pytest.raises(Conflict, match="does not match the hash"):
        load_artifact(tmp_path)


def test_loading_a_model_saved_before_its_classes_moved_is_a_conflict(
        artifact: object, tmp_path: Path) -> None:
    folder = save_artifact(artifact, tmp_path)
    # RiskArtifact as an artifact saved before the namespace move names it (models.training)
    blob = b"criskgraph.models.training\nRiskArtifact\n)\x81."
    (folder / "model.pkl").write_bytes(blob)
    meta = json.loads((folder / "metadata.json").read_text())
    meta["model_sha256"] = hashlib.sha256(blob).hexdigest()
    (folder / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(Conflict, match="older riskgraph whose classes have moved"):
        load_artifact(tmp_path)


def test_no_model_yet_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="riskgraph train"):
        load_artifact(tmp_path)


def test_too_few_positives_says_how_many(world_snapshot: Snapshot) -> None:
    snap = world_snapshot
    cleaned = replace(snap, rec_outcome=np.where(snap.rec_outcome > 0, 0,
                                                 snap.rec_outcome).astype(np.int8))
    with pytest.raises(BadInput, match=r"found 0 inspection\(s\).*need at least 50"):
        train(cleaned, TrainConfig())
