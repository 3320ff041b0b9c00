"""One resolution run over person records: features, Splink scores, constrained clusters, and
what to write (links to resolved entities, the review queue). No database access here: the
caller reads the records and writes the result (graph/store/resolution.py)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from riskgraph.models.resolution.clusters import Clustering, cluster, pair
from riskgraph.models.resolution.features import person_features
from riskgraph.models.resolution.matcher import (
    COMPARISONS,
    SPLINK_VERSION,
    MatchSettings,
    Scored,
    explain,
    score,
)

METHOD = f"splink {SPLINK_VERSION} (DuckDB), Fellegi-Sunter"


@dataclass
class Resolution:
    clustering: Clustering
    scored: Scored
    links: list[dict[str, Any]] = field(default_factory=list)
    candidates: list[dict[str, Any]] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)

    def assignment(self) -> dict[str, str]:
        """record → cluster id, for the records in a cluster of two or more."""
        return {m: cid for cid, members in self.clustering.members.items() for m in members}


def resolve(records: Iterable[Mapping[str, Any]], settings: MatchSettings | None = None,
            same: Sequence[tuple[str, str]] = (), not_same: Sequence[tuple[str, str]] = (),
            entity_id: Any = None, scored: Scored | None = None) -> Resolution:
    """Score and cluster ``records``; ``same`` / ``not_same`` are the judged pairs;
    ``entity_id(first_member)`` names a cluster's entity (default: its first member);
    ``scored`` reuses the scores of an earlier run (only the clustering is redone)."""
    settings = settings or MatchSettings()
    table = person_features(records)
    scored = scored or score(table, settings, list(same))
    return assemble(scored, table.num_rows, settings, same, not_same, entity_id)


def assemble(scored: Scored, records: int, settings: MatchSettings,
             same: Sequence[tuple[str, str]] = (), not_same: Sequence[tuple[str, str]] = (),
             entity_id: Any = None, key_column: str = "person_id",
             comparisons: Sequence[str] = COMPARISONS, apart: Sequence[str] = ()) -> Resolution:
    """Cluster scored pairs under the judgements and build the links (``key_column``: the
    record key of a link row) and the review queue, each with its evidence by ``comparisons``;
    no scored link joins two ``apart`` records (clusters.cluster)."""
    by_pair = {pair(p["unique_id_l"], p["unique_id_r"]): p for p in scored.pairs}
    clustering = cluster(((p["unique_id_l"], p["unique_id_r"], float(p["match_weight"]),
                           float(p["match_probability"])) for p in scored.pairs),
                         settings.threshold, same, not_same, apart)
    name = entity_id or (lambda first: first)
    best: dict[str, Any] = {}
    for link in clustering.links:
        for member, other in ((link.a, link.b), (link.b, link.a)):
            if member not in best or link.weight > best[member][0].weight:
                best[member] = (link, other)
    links = []
    for first, members in clustering.members.items():
        for m in members:
            link, other = best[m]
            p = by_pair.get(pair(link.a, link.b))
            evidence = explain(p, scored, comparisons) if p is not None else [
                {"comparison": "judgement", "level": "judged the same"}]
            links.append({key_column: m, "entity_id": name(first),
                          "weight": None if link.method == "judgement" else link.weight,
                          "probability": link.probability, "method": link.method,
                          "via": other, "evidence": json.dumps(evidence, ensure_ascii=False)})
    judged = {pair(*p) for p in (*same, *not_same)}
    assign = {m: cid for cid, ms in clustering.members.items() for m in ms}
    candidates = []
    for key, p in sorted(by_pair.items()):
        prob = float(p["match_probability"])
        same_cluster = key[0] in assign and assign.get(key[0]) == assign.get(key[1])
        if key in judged or same_cluster or prob < settings.review_low:
            continue
        candidates.append({"a": key[0], "b": key[1], "weight": float(p["match_weight"]),
                           "probability": prob,
                           "evidence": json.dumps(explain(p, scored, comparisons),
                                                  ensure_ascii=False)})
    detail = {"threshold": settings.threshold, "review_low": settings.review_low,
              "records": records, "pairs_scored": len(scored.pairs),
              "clusters": len(clustering.members), "refused_by_not_same": len(clustering.refused),
              "kept_apart": len(clustering.kept_apart),
              "judged_same": len(same), "judged_not_same": len(not_same),
              "seconds": scored.seconds, "notes": list(scored.notes)}
    return Resolution(clustering, scored, links, candidates, detail)
