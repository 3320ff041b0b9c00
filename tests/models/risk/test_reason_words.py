"""A reason's sentence never states what the firm does not have: a feature's headline describes
a high value ("A long record of negative entries"), so at 0 the value is said instead."""

from __future__ import annotations

import numpy as np
import pytest

from riskgraph.graph.snapshot import Snapshot
from riskgraph.models.accountability.ranking import rank_scores
from riskgraph.models.risk.features import feature_names, get
from riskgraph.models.risk.plain_values import plain_value, reason_text
from riskgraph.models.risk.scoring import score_snapshot
from riskgraph.models.risk.training import TrainConfig, train


@pytest.mark.parametrize("name", feature_names(include_soft=True))
def test_at_zero_the_value_is_said_not_the_headline(name: str) -> None:
    text = reason_text(name, 0.0)
    assert text != get(name).reason
    assert text.lower().startswith(plain_value(name, 0.0).lower())
    assert reason_text(name, 0.7) == get(name).reason


@pytest.mark.parametrize("name", feature_names(include_soft=True))
def test_every_headline_is_one_whole_sentence(name: str) -> None:
    """The headline is the docstring's first line: a sentence wrapped onto the next line would
    be cut ("… often find")."""
    assert get(name).reason.endswith("."), get(name).reason


def test_no_negative_records_is_not_a_long_record() -> None:
    text = reason_text("negative_rate", 0.0)
    assert "long record" not in text.lower()
    assert text.startswith("0 negative records (inspections aside) a year")


def test_ranked_reasons_at_zero_say_the_value(world_snapshot: Snapshot) -> None:
    """On a generated world some firms' risk is raised by a feature at 0 (in the additive model
    the bin holding 0 can sit above the average, e.g. no linked firm with negative records):
    their reasons say the value, the others keep the headline."""
    art = train(world_snapshot, TrainConfig())
    sc = score_snapshot(world_snapshot, art)
    zero = kept = 0
    for firm in rank_scores(sc, top_reasons=6):
        for r in firm.reasons:
            if r["feature"].startswith("user_"):
                continue
            headline = get(r["feature"]).reason
            if r["value"] == 0.0:
                zero += 1
                assert r["text"] != headline, (firm.uscc, r)
                assert r["text"].endswith("the model scores this value above average.")
            else:
                kept += 1
                assert r["text"] == headline
    assert zero and kept, "the world should have reasons of both kinds"
    assert np.isfinite(sc.risk).all()
