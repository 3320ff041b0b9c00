"""The world is hard the way real registries are: heavy tails, deep groups, biased inspections."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict

import pyarrow.parquet as pq

from riskgraph.graph.schema import Label, Rel
from tests.seed.conftest import World

ROLE_RELS = (Rel.LEGAL_REPRESENTATIVE_OF, Rel.DIRECTOR_OF, Rel.SUPERVISOR_OF,
             Rel.ACTUAL_CONTROLLER_OF)


def test_most_people_serve_one_firm_and_a_few_serve_dozens(world: World) -> None:
    firms_of: dict[str, set[str]] = defaultdict(set)
    for rel in ROLE_RELS:
        for src, dst in zip(world.col(world.rel(rel), "src"), world.col(world.rel(rel), "dst"),
                            strict=True):
            firms_of[src].add(dst)
    counts = [len(v) for v in firms_of.values()]
    assert sum(c == 1 for c in counts) / len(counts) > 0.5
    assert max(counts) >= 20
    lr = Counter(world.col(world.rel(Rel.LEGAL_REPRESENTATIVE_OF), "src"))
    assert max(lr.values()) >= 8


def test_groups_are_up_to_six_levels_deep_with_branches(world: World) -> None:
    parent = dict(zip(world.col(world.rel(Rel.SUBSIDIARY_OF), "src"),
                      world.col(world.rel(Rel.SUBSIDIARY_OF), "dst"), strict=True))
    assert len(parent) == world.rel(Rel.SUBSIDIARY_OF).num_rows  # one parent each

    def depth(firm: str) -> int:
        d = 0
        while firm in parent:
            firm, d = parent[firm], d + 1
            assert d <= 5
        return d

    depths = Counter(depth(f) for f in parent)
    assert max(depths) >= 3
    heads = Counter(world.col(world.rel(Rel.BRANCH_OF), "dst"))
    assert heads and max(heads.values()) >= 2
    company_holders = [
        (s, d) for s, d, label in zip(world.col(world.rel(Rel.HOLDS_EQUITY), "src"),
                                      world.col(world.rel(Rel.HOLDS_EQUITY), "dst"),
                                      world.col(world.rel(Rel.HOLDS_EQUITY), "src_label"),
                                      strict=True) if label == "Company"]
    assert any(parent.get(d) != s for s, d in company_holders)  # cross-holdings exist


def test_supply_degrees_are_heavy_tailed(world: World) -> None:
    out_degree = Counter(world.col(world.rel(Rel.SUPPLIES), "src"))
    values = sorted(out_degree.values())
    assert values[len(values) // 2] <= 3
    assert values[-1] >= 10 * values[len(values) // 2]


def test_industries_and_regions_use_national_codes(world: World) -> None:
    companies = world.node(Label.COMPANY).to_pylist()
    for c in companies:
        assert len(c["region_code"]) == 6 and c["region_code"].isdigit()
        assert c["uscc"][2:8] == c["region_code"]
        code = c["industry_code"]
        assert code[0].isalpha() and code[1:].isdigit() and len(code) == 3
    assert len({c["region_code"][:2] for c in companies}) >= 4


def _inspections(world: World) -> list[dict[str, object]]:
    return [r for r in world.node(Label.CREDIT_RECORD).to_pylist()
            if r["category"] == "inspections"]


def test_both_inspection_streams_exist_and_targeting_follows_past_penalties(
    world: World,
) -> None:
    records = world.node(Label.CREDIT_RECORD).to_pylist()
    subject = dict(zip(world.col(world.rel(Rel.HAS_RECORD), "dst"),
                       world.col(world.rel(Rel.HAS_RECORD), "src"), strict=True))
    penalties: dict[str, list[object]] = defaultdict(list)
    for r in records:
        if r["kind"] == "administrative_penalty":
            penalties[subject[r["record_id"]]].append(r["issued_on"])
    prior = {"random": [], "targeted": []}  # type: dict[str, list[bool]]
    for r in _inspections(world):
        firm = subject[r["record_id"]]
        prior[r["stream"]].append(any(d < r["issued_on"] for d in penalties[firm]))
    assert len(prior["random"]) > 50 and len(prior["targeted"]) > 20
    share_targeted = sum(prior["targeted"]) / len(prior["targeted"])
    share_random = sum(prior["random"]) / len(prior["random"])
    assert share_targeted > 0.95
    assert share_random < 0.5 * share_targeted
    inspected = set(world.col(world.rel(Rel.INSPECTED_BY), "src"))
    assert inspected == {r["record_id"] for r in _inspections(world)}


def test_targeted_stream_finds_more_violations_than_random(world: World) -> None:
    rate = {}
    for stream in ("random", "targeted"):
        rows = [r for r in _inspections(world) if r["stream"] == stream]
        rate[stream] = sum(r["outcome"] != "no_violation" for r in rows) / len(rows)
    assert rate["targeted"] > rate["random"] > 0


def test_outcomes_track_the_latent_propensity(world: World) -> None:
    truth = pq.read_table(world.root / "ground_truth_firms.parquet").to_pylist()
    logit = {t["uscc"]: t["logit"] for t in truth}
    subject = dict(zip(world.col(world.rel(Rel.HAS_RECORD), "dst"),
                       world.col(world.rel(Rel.HAS_RECORD), "src"), strict=True))
    rows = [r for r in _inspections(world) if r["stream"] == "random"]
    bad = [logit[subject[r["record_id"]]] for r in rows if r["outcome"] != "no_violation"]
    good = [logit[subject[r["record_id"]]] for r in rows if r["outcome"] == "no_violation"]
    assert statistics.mean(bad) > statistics.mean(good) + 0.3


def test_some_inspectors_are_persons(world: World) -> None:
    inspectors = world.node(Label.INSPECTOR).to_pylist()
    persons = set(world.col(world.node(Label.PERSON), "person_id"))
    linked = [i["person_id"] for i in inspectors if i["person_id"]]
    assert linked and set(linked) <= persons
