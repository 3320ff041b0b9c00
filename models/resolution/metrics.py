"""How well predicted clusters recover the true entities: pairwise and cluster measures.

Pairwise: every pair of records put in one cluster is a predicted match; precision, recall and F1
against the pairs of records of one true entity. Cluster: B-cubed precision / recall (per record,
the share of its predicted cluster that is truly its entity, and of its entity that it was
clustered with) and the share of true multi-record entities recovered exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from itertools import combinations


@dataclass(frozen=True)
class Scores:
    pair_precision: float
    pair_recall: float
    pair_f1: float
    predicted_pairs: int
    true_pairs: int
    bcubed_precision: float
    bcubed_recall: float
    exact_entities: float
    """Share of true entities with two or more records whose cluster is exactly right."""

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def _groups(assign: Mapping[str, str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for record, entity in assign.items():
        out.setdefault(entity, set()).add(record)
    return out


def _pairs(groups: dict[str, set[str]]) -> set[tuple[str, str]]:
    return {(a, b) for g in groups.values() for a, b in combinations(sorted(g), 2)}


def evaluate(truth: Mapping[str, str], predicted: Mapping[str, str]) -> Scores:
    """``truth`` and ``predicted``: record → entity for every record (records missing from
    ``predicted`` stand alone)."""
    pred = {r: predicted.get(r, f"\0{r}") for r in truth}
    t_groups, p_groups = _groups(truth), _groups(pred)
    t_pairs, p_pairs = _pairs(t_groups), _pairs(p_groups)
    hit = len(t_pairs & p_pairs)
    precision = hit / len(p_pairs) if p_pairs else 1.0
    recall = hit / len(t_pairs) if t_pairs else 1.0
    bp = br = 0.0
    for record in truth:
        mine, theirs = p_groups[pred[record]], t_groups[truth[record]]
        common = len(mine & theirs)
        bp += common / len(mine)
        br += common / len(theirs)
    multi = [g for g in t_groups.values() if len(g) > 1]
    exact = sum(p_groups[pred[next(iter(g))]] == g for g in multi)
    n = max(1, len(truth))
    return Scores(pair_precision=precision, pair_recall=recall, pair_f1=_f1(precision, recall),
                  predicted_pairs=len(p_pairs), true_pairs=len(t_pairs),
                  bcubed_precision=bp / n, bcubed_recall=br / n,
                  exact_entities=exact / len(multi) if multi else 1.0)
