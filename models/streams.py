"""Inspection streams: why an inspection happened, and how training and evaluation treat it.

Only the random ("double random") stream is an unbiased sample of the population. Every other
stream chose its firms for a reason, so in training its examples are *selected* (the inverse-
propensity weights model that selection from the features, models/training.py), and an
evaluation on it measures the ranking *among the firms that stream visits*, with the bias stated
in the report (models/evaluation.py). The table is documented in docs/risk-engine.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from riskgraph.graph.errors import BadInput
from riskgraph.graph.snapshot import STREAMS

RANDOM, TARGETED, ROUTINE, COMPLAINT, FOLLOW_UP = range(5)


@dataclass(frozen=True)
class StreamTreatment:
    name: str
    unbiased: bool
    bias: str
    """What an evaluation on this stream alone measures, and how it is biased."""


TREATMENTS: dict[str, StreamTreatment] = {
    "random": StreamTreatment("random", True, "none: firms and inspectors drawn at random"),
    "targeted": StreamTreatment(
        "targeted", False,
        "firms chosen by a risk rule (past records): flagged firms are over-represented, the "
        "base rate is higher than the population's and the ranking is judged only among firms "
        "the rule already picked"),
    "routine": StreamTreatment(
        "routine", False,
        "a scheduled canvass (licence type, time since the last visit): the sample is the "
        "firms due on the schedule, not the population; close to random among licensed firms "
        "but firms off the schedule are never seen"),
    "complaint": StreamTreatment(
        "complaint", False,
        "triggered by a complaint: the firm was reported, so the base rate is high and the "
        "ranking is judged among reported firms only"),
    "follow_up": StreamTreatment(
        "follow_up", False,
        "a re-inspection after a failed one: the outcome mostly reflects whether the last "
        "failure was fixed, and every firm in it has a recent violation"),
}
assert tuple(TREATMENTS) == STREAMS


def stream_codes(names: Sequence[str]) -> npt.NDArray[np.int64]:
    """Stream names → codes; BadInput naming the unknown one."""
    out = []
    for name in names:
        if name not in STREAMS:
            raise BadInput(f"unknown inspection stream {name!r}: expected one of "
                           f"{', '.join(STREAMS)}")
        out.append(STREAMS.index(name))
    return np.asarray(out, dtype=np.int64)


def bias_statement(codes: Sequence[int]) -> str:
    """The report's sentence on the bias of evaluating on these streams."""
    names = [STREAMS[c] for c in sorted(set(int(c) for c in codes))]
    if names == ["random"]:
        return "random stream only: an unbiased sample of the population"
    parts = [f"{n}: {TREATMENTS[n].bias}" for n in names if not TREATMENTS[n].unbiased]
    return ("not an unbiased sample — " + "; ".join(parts)
            + ". Read the figures as the ranking among the firms these streams visit.")
