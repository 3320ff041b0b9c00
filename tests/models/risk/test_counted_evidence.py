"""Explanations cite exactly what each feature counted (accountability), on a generated world
loaded into the real Neo4j.

1. For EVERY feature that counts credit records, the value is recomputed from the records (and
   firms) that models/risk/counted.py says it counted, with the feature's own formula: the cited
   records are the counted ones, no more, no fewer.
2. ``explain`` cites exactly those records (all of them, by record id) for every reason.
3. Features that count no record cite none (the phoenix signal aside, which cites the
   blacklisting that makes the old firm count).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from neo4j import Driver

from riskgraph.graph.config import Settings, get_settings
from riskgraph.graph.driver import read
from riskgraph.graph.loader import load_world
from riskgraph.graph.maintenance import clear_data
from riskgraph.graph.snapshot import KINDS, Snapshot, day_of
from riskgraph.graph.store import Store
from riskgraph.models.risk.artifact import save_artifact
from riskgraph.models.risk.counted import context, counted
from riskgraph.models.risk.explain import explain
from riskgraph.models.risk.features import feature_names
from riskgraph.models.risk.features.context import FeatureContext
from riskgraph.models.risk.features.counts import Network, Own
from riskgraph.models.risk.features.position import SHRINK
from riskgraph.models.risk.features.registry import get
from riskgraph.models.risk.scoring import Scores, score_snapshot
from riskgraph.models.risk.train_config import TrainConfig
from riskgraph.models.risk.training import train
from riskgraph.seed.world import generate_world

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

FIRMS, SEED = 2000, 11
PER_FEATURE = 8
"""Firms checked per feature (those with the largest values, then a few with small ones)."""
INSPECTION_KINDS = {"random_inspection", "targeted_inspection"}
OWN = {n for n in feature_names(include_soft=True) if isinstance(get(n).counts, Own)}
NETWORK = {n for n in feature_names(include_soft=True) if isinstance(get(n).counts, Network)}
"""The own-record and network features, as their ``@feature(counts=...)`` declares them."""
COUNTS = {"penalties_1y", "penalties_3y", "serious_penalties_3y", "negative_records_1y",
          "tax_arrears_3y", "social_insurance_arrears_3y", "utility_arrears_3y",
          "abnormal_operations_3y", "blacklistings_ever", "inspections_3y",
          "inspection_violations_3y", "inspection_serious_3y", "clean_inspections_3y",
          "honours_3y", "donations_3y"}
FLAGS = {"large_tax_arrears_active", "abnormal_operations_active",
         "judgment_unsatisfied_active", "blacklisted_active", "redlisted_active"}
FIRMS_WITH = {"linked_blacklisted", "linked_serious_3y", "subsidiaries_penalised",
              "branches_penalised_1y", "cobidders_risky"}
SHARES = {"linked_blacklisted_share", "linked_penalised_share", "cobidders_penalised_share"}


@pytest.fixture(scope="module")
def world(driver: Driver, settings: Settings, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[tuple[Snapshot, Scores, Path]]:
    out = tmp_path_factory.mktemp("counted-world")
    generate_world(FIRMS, SEED, out, progress=False)
    clear_data(driver, settings.neo4j_database)
    load_world(driver, out, database=settings.neo4j_database, progress=False)
    snap = Snapshot.from_neo4j(driver, settings.neo4j_database)
    art = train(snap, TrainConfig(include_soft=True))
    home = tmp_path_factory.mktemp("counted-home")
    save_artifact(art, home)
    yield snap, score_snapshot(snap, art), home
    get_settings.cache_clear()


def _years(ctx: FeatureContext, f: int) -> float:
    founded = int(ctx.snap.founded[f])
    years = (ctx.t - founded) / 365 if founded > -500_000 else 8.0
    return float(np.clip(years, 1.0, 8.0))


def _by_firm(snap: Snapshot, records: list[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for r in records:
        out.setdefault(int(snap.rec_subject[r]), []).append(r)
    return out


def _recomputed(ctx: FeatureContext, name: str, i: int) -> float | None:
    """Feature ``name`` of firm ``i`` recomputed from what ``counted`` says it counted; None
    for the supply exposures, which are only checked for agreeing on zero."""
    s = ctx.snap
    c = counted(ctx, name, i)
    assert c is not None
    recs, firms = c.records, c.firms
    assert all(not s.rec_on_person[r] or name == "key_personnel_listed" for r in recs)
    assert all(s.rec_issued[r] <= ctx.t for r in recs), f"{name}: a record after the as-of date"
    if name in OWN:
        assert all(int(s.rec_subject[r]) == i for r in recs), f"{name}: another firm's record"
    per_firm = _by_firm(s, recs)
    if name in NETWORK:
        assert set(per_firm) <= set(firms), f"{name}: a record of a firm it does not look at"
    if name in COUNTS:
        return float(len(recs))
    if name in FLAGS:
        return float(bool(recs))
    if name in ("penalty_recency", "violation_recency", "serious_violation_recency"):
        assert len(recs) <= 1
        return float(np.exp(-(ctx.t - int(s.rec_issued[recs[0]])) / 365)) if recs else 0.0
    if name == "years_since_last_inspection":
        assert len(recs) <= 1
        return min((ctx.t - int(s.rec_issued[recs[0]])) / 365, 3.0) if recs else 3.0
    if name == "failed_inspections_ever":
        return float(np.log10(1.0 + len(recs)))
    if name == "penalty_amount_3y":
        return float(np.log10(1.0 + sum(float(s.rec_amount[r]) for r in recs)))
    if name == "severity_score_3y":
        return float(sum(float(s.rec_severity[r]) + 1.0 if s.rec_severity[r] >= 0 else 1.0
                         for r in recs))
    if name == "negative_rate":
        assert not {KINDS[int(s.rec_kind[r])] for r in recs} & INSPECTION_KINDS
        return len(recs) / _years(ctx, i)

    def rate(f: int) -> float:
        return len(per_firm.get(f, [])) / _years(ctx, f)

    if name in FIRMS_WITH:
        return float(len(per_firm))
    if name in SHARES:
        return len(per_firm) / len(firms) if firms else 0.0
    if name == "linked_blacklist_recency":
        return float(sum(np.exp(-(ctx.t - int(s.rec_issued[r])) / 730) for r in recs))
    if name in ("linked_negative_rate", "legal_rep_other_firms_rate",
                "controller_other_firms_rate"):
        return float(np.mean([rate(f) for f in firms])) if firms else 0.0
    if name == "parent_negative_rate":
        return float(sum(rate(f) for f in firms))
    if name == "parent_penalties_3y":
        return float(np.log10(1.0 + len(recs)))
    if name == "parent_blacklisted":
        return float(bool(per_firm))
    if name == "branch_rollup":
        return float(len(per_firm) >= 5)
    if name == "community_violation_rate":
        overall = float(ctx.penalised_3y[ctx.alive].mean())
        return (len(per_firm) + SHRINK * overall) / (len(firms) + SHRINK)
    if name == "key_personnel_listed":
        listed = {int(s.rec_subject[r]) for r in recs}
        ok = ctx.key_roles & (s.role_firm == i)
        return float(sum(int(p) in listed for p in s.role_person[ok]))
    return None


def test_every_counting_feature_is_recomputed_from_its_cited_records(
        world: tuple[Snapshot, Scores, Path]) -> None:
    snap, sc, _ = world
    ctx = context(snap, day_of(sc.as_of))
    names = [n for n in feature_names(include_soft=True)
             if n in OWN or n in NETWORK or n == "key_personnel_listed"]
    assert "negative_rate" in names and len(names) >= 40
    checked: dict[str, int] = {}
    for name in names:
        values = sc.features.values[:, sc.features.names.index(name)]
        hits = np.nonzero(values != 0)[0]
        order = hits[np.argsort(-values[hits], kind="stable")]
        sample = list(order[:PER_FEATURE]) + list(order[-2:]) + [int(np.argmin(values))]
        for i in dict.fromkeys(int(k) for k in sample):
            expect = float(values[i])
            got = _recomputed(ctx, name, i)
            if got is None:
                c = counted(ctx, name, i)
                assert c is not None and bool(c.records) == (expect > 0), (name, i)
            else:
                assert got == pytest.approx(expect, rel=1e-9, abs=1e-9), (
                    f"{name} of firm {snap.uscc[i]}: feature {expect}, from the cited "
                    f"records {got}")
            checked[name] = checked.get(name, 0) + 1
    assert set(checked) == set(names)


def test_explanations_cite_exactly_the_counted_records(
        driver: Driver, settings: Settings, world: tuple[Snapshot, Scores, Path]) -> None:
    snap, sc, home = world
    art_version = sc.version
    ctx = context(snap, day_of(sc.as_of))
    order = np.argsort(-sc.risk, kind="stable")
    firms = [int(i) for i in order[:25]] + [int(i) for i in order[len(order) // 2:][:5]]
    seen_features: set[str] = set()
    for i in firms:
        exp = explain(Store.open(driver, settings.neo4j_database), str(snap.uscc[i]), sc.as_of,
                      art_version, home, snapshot=snap, with_counterfactual=False)
        for reason in exp.reasons:
            cited = {rid for ev in reason.evidence for rid in ev.record_ids}
            found = counted(ctx, reason.feature, i)
            if found is None:
                if reason.feature != "phoenix_signal":  # cites the old firm's blacklisting
                    assert not cited, f"{reason.feature} counts no record but cites {cited}"
                continue
            ids = [str(snap.rec_id[r]) for r in found.records]
            rows = read(driver, "explain/list_records_by_id", settings.neo4j_database,
                        record_ids=ids)
            assert len(rows) == len(ids)
            assert cited == {str(r["record_id"]) for r in rows}, reason.feature
            for ev in reason.evidence:  # a line's Browser snippet names only its own records
                named = set(re.findall(r'"(rec-[^"]+)"', ev.cypher))
                assert named == set(ev.record_ids), (reason.feature, ev.text)
            if reason.feature == "negative_rate":
                assert not {r["kind"] for r in rows} & INSPECTION_KINDS
            assert reason.plain and "=" not in reason.plain, reason.plain
            seen_features.add(reason.feature)
    assert seen_features, "no reason with counted records among the firms explained"
