"""The ranking's order and reasons, drawn in bulk, are the per-firm definitions exactly:
stable sort by (risk descending, USCC ascending) and ``_reasons`` row by row."""

from __future__ import annotations

import numpy as np
import pytest

from riskgraph.graph.snapshot import Snapshot
from riskgraph.models.accountability import ranking
from riskgraph.models.accountability.ranking import _reasons, rank_scores, reasons_of_rows
from riskgraph.models.risk.artifact import RiskArtifact
from riskgraph.models.risk.scoring import score_snapshot
from riskgraph.models.risk.training import TrainConfig, train


@pytest.fixture(scope="module")
def art(world_snapshot: Snapshot) -> RiskArtifact:
    return train(world_snapshot, TrainConfig())


def test_bulk_order_and_reasons_equal_the_per_firm_definitions(
        world_snapshot: Snapshot, art: RiskArtifact, monkeypatch: pytest.MonkeyPatch) -> None:
    sc = score_snapshot(world_snapshot, art)
    # ties in risk and a chunk boundary inside the rows: both paths must still agree
    sc.risk[: 200] = sc.risk[0]
    monkeypatch.setattr(ranking, "REASON_CHUNK", 97)
    alive = np.nonzero(sc.alive)[0]
    order = sorted(alive.tolist(), key=lambda i: (-float(sc.risk[i]), str(sc.uscc[i])))
    firms = rank_scores(sc, top_reasons=6)
    assert [f.uscc for f in firms] == [str(sc.uscc[i]) for i in order]
    assert [f.rank for f in firms] == list(range(1, len(order) + 1))
    assert [f.reasons for f in firms] == [_reasons(sc, i, 6) for i in order]
    rows = np.arange(sc.uscc.shape[0], dtype=np.int64)[::-1].copy()
    assert list(reasons_of_rows(sc, rows, 3)) == [_reasons(sc, int(i), 3) for i in rows]


def test_scores_in_chunks_equal_scores_at_once(world_snapshot: Snapshot, art: RiskArtifact,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from riskgraph.models.risk import scoring

    whole = score_snapshot(world_snapshot, art)
    monkeypatch.setattr(scoring, "SCORE_CHUNK", 113)
    parts = score_snapshot(world_snapshot, art)
    for name in ("risk", "serious_risk", "log_odds", "contributions"):
        assert np.array_equal(getattr(parts, name), getattr(whole, name), equal_nan=True), name
    assert parts.tier.tolist() == whole.tier.tolist()
