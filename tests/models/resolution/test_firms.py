"""Firm resolution across sources: script- and legal-form-aware name keys, USCC fragments, bad
input, and the matcher on planted copies (models/resolution/firms.py)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskgraph.models.resolution.firms import (
    firm_features,
    firm_name_key,
    resolve_firms,
    uscc_fragments,
)
from riskgraph.seed.firm_duplicates import TRUTH_FILE, firm_records
from riskgraph.seed.world import generate_world


def test_legal_forms_and_scripts_share_one_name_key() -> None:
    names = ("广州贤鑫贸易有限公司", "广州贤鑫贸易有限责任公司", "广州贤鑫贸易股份有限公司",
             "Guangzhou Xianxin Maoyi Co., Ltd.", "GUANGZHOU XIANXIN MAOYI COMPANY LIMITED")
    keys = {firm_name_key(n) for n in names}
    assert keys == {"guangzhouxianxinmaoyi"}
    assert firm_name_key("广州贤鑫科技有限公司") != "guangzhouxianxinmaoyi"
    assert firm_name_key("   ") is None


def test_uscc_fragments_keep_only_what_is_visible() -> None:
    assert uscc_fragments("91440100526JGGTWE0") == {
        "uscc": "91440100526JGGTWE0", "uscc_region": "440100", "uscc_body": "526JGGTWE",
        "uscc_check": "0"}
    assert uscc_fragments("91440100********E0") == {
        "uscc": None, "uscc_region": "440100", "uscc_body": None, "uscc_check": "0"}
    assert uscc_fragments("ocds-party:x/1")["uscc_region"] is None
    assert uscc_fragments(None)["uscc"] is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.fixed_dictionaries({
    "record_id": st.text(min_size=1, max_size=12), "name": st.text(max_size=40),
    "uscc": st.none() | st.text(max_size=20), "address": st.none() | st.text(max_size=40),
    "people": st.lists(st.text(max_size=8), max_size=3)}), max_size=5))
def test_any_text_makes_a_comparison_table(rows: list[dict[str, object]]) -> None:
    table = firm_features(rows)
    assert table.num_rows == len(rows)


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("firm-world")
    generate_world(1500, 5, out, progress=False, firm_duplicates=0.2)
    return out


def test_copies_with_their_name_and_uscc_are_merged_with_their_original(planted: Path) -> None:
    with (planted / TRUTH_FILE).open(encoding="utf-8") as fh:
        truth = list(csv.DictReader(fh))
    result = resolve_firms(firm_records(planted))
    assign = result.assignment()
    easy = [t for t in truth if t["record_id"] != t["entity_id"] and "uscc_same" in t["noise"]
            and ("name_same" in t["noise"] or "name_legal_form" in t["noise"])]
    assert easy
    assert all(assign.get(t["record_id"]) == assign.get(t["entity_id"]) is not None
               for t in easy)
    registry = {t["record_id"] for t in truth if t["record_id"] == t["entity_id"]}
    for members in result.clustering.members.values():  # two registry firms are never one
        assert len(registry.intersection(members)) <= 1
    assert all(link["record_id"] for link in result.links)
    not_same = sorted(result.clustering.members.values())[0][:2]
    again = resolve_firms(firm_records(planted), not_same=[tuple(not_same)])
    joined = again.assignment()
    assert joined.get(not_same[0]) is None or joined.get(not_same[0]) != joined.get(not_same[1])


def test_a_copy_that_keeps_only_its_name_scores_higher_once_u_is_corrected(
        planted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """u of a rare level is corrected for the matches among the random pairs (matcher.correct_u):
    a copy left with only its name (no USCC, no address, no key person) scores higher with it,
    and one with its legal name as written is merged at the firm threshold (without it such a
    copy scored 0.40-0.65 at 22,000 records and stayed apart)."""
    import riskgraph.models.resolution.firms as firms

    with (planted / TRUTH_FILE).open(encoding="utf-8") as fh:
        bare = [(t["record_id"], t["entity_id"], t["noise"]) for t in csv.DictReader(fh)
                if t["noise"].endswith("uscc_missing;address_missing;people_0")]
    assert bare
    records = firm_records(planted)

    def probabilities() -> dict[str, float]:
        pairs = {(p["unique_id_l"], p["unique_id_r"]): float(p["match_probability"])
                 for p in resolve_firms(records).scored.pairs}
        return {r: pairs.get((min(r, e), max(r, e)), 0.0) for r, e, _ in bare}

    corrected = probabilities()
    monkeypatch.setattr(firms, "correct_u", lambda df, linker, max_pairs: linker)
    sampled = probabilities()
    assert all(corrected[r] >= sampled[r] for r, _, _ in bare)
    assert sum(corrected.values()) > sum(sampled.values())
    written = [r for r, _, noise in bare if noise.split(";")[0] in ("name_same", "name_legal_form")]
    assert written and all(corrected[r] >= firms.FIRM_THRESHOLD for r in written)


def test_correct_u_takes_the_matches_out_of_the_random_pairs(planted: Path) -> None:
    from riskgraph.models.resolution.firms import score_firms
    from riskgraph.models.resolution.matcher import MatchSettings

    model = score_firms(firm_features(firm_records(planted)), MatchSettings(max_pairs=5e4)).model
    lam = float(model["probability_two_random_records_match"])
    name = next(c for c in model["comparisons"] if c["output_column_name"] == "name")
    for level in name["comparison_levels"]:
        if level.get("is_null_level"):
            continue
        assert float(level["u_probability"]) >= 0.5 / 5e4  # floored at half a sampled pair
    assert 0 < lam < 1
