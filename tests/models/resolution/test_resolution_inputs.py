"""Input paths of entity resolution: judgements, truth files, clustering under constraints,
the name and id-fragment features. No database."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskgraph.graph.errors import BadInput
from riskgraph.graph.store.resolution import VERDICTS, check_judgement
from riskgraph.models.resolution.clusters import cluster, pair
from riskgraph.models.resolution.features import id_fragments, name_key
from riskgraph.models.resolution.metrics import evaluate
from riskgraph.models.resolution.truth import read_truth
from tests.foundation.test_cli import run_cli

ids = st.text(alphabet="abcdef0123", min_size=1, max_size=3)


@given(st.text(max_size=20), st.text(max_size=20), st.text(max_size=12),
       st.text(max_size=2100))
def test_judgement_input_is_normalised_or_refused(a: str, b: str, verdict: str,
                                                  note: str) -> None:
    try:
        a2, b2, v, n = check_judgement(a, b, verdict, note)
    except BadInput as exc:
        assert exc.message.startswith("judgement")
        return
    assert a2 and b2 and a2 != b2 and v in VERDICTS and len(n) <= 2000


@pytest.mark.parametrize("verdict", ["same", "Not-Same", "not same", "UNSURE"])
def test_verdict_spellings(verdict: str) -> None:
    assert check_judgement("p-1", "p-2", verdict, "")[2] in VERDICTS


def test_cli_refuses_a_bad_verdict_with_exit_code_2() -> None:
    result = run_cli("resolve", "judge", "p-1", "p-2", "--verdict", "maybe")
    assert result.returncode == 2
    assert "verdict 'maybe'" in result.stderr and "Traceback" not in result.stderr


rows = st.lists(st.tuples(st.sampled_from(["person", "company", "firm", ""]), ids, ids),
                max_size=12)


@settings(max_examples=60)
@given(rows, st.booleans())
def test_truth_files_are_read_or_refused_naming_the_row(tmp_path_factory: pytest.TempPathFactory,
                                                        body: list[tuple[str, str, str]],
                                                        header: bool) -> None:
    path = Path(tmp_path_factory.mktemp("truth")) / "truth.csv"
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["kind", "record_id", "entity_id"] if header else ["kind", "record"])
    w.writerows(body)
    path.write_text(out.getvalue(), encoding="utf-8")
    try:
        truth = read_truth(path)
    except BadInput as exc:
        assert str(path) in exc.message or "row" in exc.message
        return
    assert header
    assert set(truth) == {r for k, r, _ in body if k == "person"}


edges = st.lists(st.tuples(ids, ids, st.floats(-5, 30), st.floats(0, 1)), max_size=40)


@given(edges, st.lists(st.tuples(ids, ids), max_size=6), st.lists(st.tuples(ids, ids),
                                                                   max_size=3))
def test_not_same_is_never_merged_even_through_a_third(scored: list[tuple[str, str, float,
                                                                          float]],
                                                       not_same: list[tuple[str, str]],
                                                       same: list[tuple[str, str]]) -> None:
    not_same = [p for p in not_same if p[0] != p[1]]
    same = [p for p in same if p[0] != p[1] and pair(*p) not in {pair(*q) for q in not_same}]
    c = cluster([e for e in scored if e[0] != e[1]], 0.5, same, not_same)
    where = {m: cid for cid, ms in c.members.items() for m in ms}
    for a, b in not_same:
        assert a not in where or where.get(a) != where.get(b)
    again = cluster(list(reversed([e for e in scored if e[0] != e[1]])), 0.5, same, not_same)
    if len({(min(e[0], e[1]), max(e[0], e[1])) for e in scored}) == len(scored):
        assert again.members == c.members  # the order of the input does not matter


def test_names_across_scripts_share_a_key() -> None:
    keys = {name_key(n) for n in ("张晓龙", "張曉龍", "Zhang Xiaolong", "XIAOLONG ZHANG",
                                  "Zhang Xiao-long")}
    assert keys == {"xiaolong zhang"}
    assert name_key("SMITH, John") == name_key("John Smith")
    assert name_key("") is None


def test_id_fragments_follow_the_mask() -> None:
    assert id_fragments("330102********1234") == {
        "id_region": "330102", "id_birth": None, "id_tail": "1234", "id_ends": "34"}
    assert id_fragments("33010219800307****")["id_birth"] == "19800307"
    assert id_fragments("3****************4") == {
        "id_region": None, "id_birth": None, "id_tail": None, "id_ends": "34"}
    assert id_fragments("short") == {"id_region": None, "id_birth": None, "id_tail": None,
                                     "id_ends": None}


def test_metrics_on_a_known_case() -> None:
    truth = {"a": "1", "b": "1", "c": "1", "d": "2"}
    s = evaluate(truth, {"a": "x", "b": "x", "d": "x"})
    assert (s.predicted_pairs, s.true_pairs) == (3, 3)
    assert s.pair_precision == pytest.approx(1 / 3) and s.pair_recall == pytest.approx(1 / 3)
    assert s.exact_entities == 0.0


def test_same_judgements_pull_m_towards_the_labelled_pairs(tmp_path: Path) -> None:
    """With enough "same" labels, Splink's estimate_m_from_pairwise_labels joins the EM
    sessions (Splink averages the sessions' m): m of a level moves towards the share of the
    labelled pairs in it."""
    from riskgraph.models.resolution.features import person_features
    from riskgraph.models.resolution.matcher import MIN_LABELS, MatchSettings, score
    from riskgraph.models.resolution.world_records import world_records
    from riskgraph.seed.duplicates import TRUTH_FILE
    from riskgraph.seed.world import generate_world

    generate_world(200, 5, tmp_path, progress=False, duplicates=0.2)
    truth = read_truth(tmp_path / TRUTH_FILE)
    same = [(r, e) for r, e in sorted(truth.items()) if r != e][: MIN_LABELS + 10]
    table = person_features(world_records(tmp_path))
    exact = {r["unique_id"]: r["name_exact"] for r in table.to_pylist()}
    share = sum(exact[a] == exact[b] for a, b in same) / len(same)

    def m(labels: list[tuple[str, str]]) -> float:
        model = score(table, MatchSettings(max_pairs=5e4), labels).model
        name = next(c for c in model["comparisons"] if c["output_column_name"] == "name")
        return float(next(lv["m_probability"] for lv in name["comparison_levels"]
                          if lv.get("label_for_charts") == "same name as written"))

    without, with_labels = m([]), m(same)
    assert abs(with_labels - share) < abs(without - share)
    assert m(same[: MIN_LABELS - 1]) == pytest.approx(without)  # too few labels: unchanged


def test_a_small_register_with_nothing_to_merge_resolves_and_says_why() -> None:
    """Three people, two of them 王伟 with nothing else: no deterministic rule finds a match
    (Splink's prior is 0, whose weight is minus infinity), so the prior is floored and noted;
    a shared common name alone is no candidate pair. This raised a math domain error before."""
    from riskgraph.models.resolution.matcher import MatchSettings
    from riskgraph.models.resolution.run import resolve

    records = [{"person_id": "p1", "name": "王伟"}, {"person_id": "p2", "name": "王伟"},
               {"person_id": "p3", "name": "Li Na"}]
    result = resolve(records, MatchSettings(max_pairs=1e3))
    assert result.detail["pairs_scored"] == 0 and result.links == []
    assert result.detail["notes"] == [
        "no pair met the prior's deterministic rules; the prior is one match among the 3 pairs"]


def test_people_sharing_no_blocking_key_are_each_their_own_person() -> None:
    from riskgraph.models.resolution.matcher import MatchSettings
    from riskgraph.models.resolution.run import resolve

    records = [{"person_id": f"p{i}", "name": name, "birth_date": f"19{60 + i}-0{i + 1}-1{i}"}
               for i, name in enumerate(["Anna Berg", "Chen Jie", "Olu Ade", "Mira Sol"])]
    result = resolve(records, MatchSettings(max_pairs=1e3))
    assert result.detail["pairs_scored"] == 0 and result.links == []
    assert result.detail["notes"][-1].startswith("no two person records share a blocking key")
