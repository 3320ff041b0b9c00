"""Scorecards against hand-computed cases, and the bulk version against the pure one."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow.parquet as pq

from riskgraph.graph.snapshot import Snapshot
from riskgraph.models.records import Record
from riskgraph.models.scorecards import bulk_tax, bulk_zhejiang, tax_grade, zhejiang_score

AS_OF = dt.date(2024, 1, 1)


def rec(kind: str, issued: str, **kw: object) -> Record:
    return Record(record_id=f"r-{kind}-{issued}", kind=kind,
                  issued_on=dt.date.fromisoformat(issued), **kw)  # type: ignore[arg-type]


def test_clean_firm_keeps_the_negative_points_and_the_unlisted_ones() -> None:
    card = zhejiang_score([], AS_OF)
    assert (card.score, card.grade, card.items) == (815, "good", [])
    assert (tax_grade([], AS_OF).score, tax_grade([], AS_OF).grade) == (100, "A")


def test_one_penalty_loses_its_indicator_once_with_both_records_listed() -> None:
    records = [rec("administrative_penalty", "2023-06-01"),
               rec("administrative_penalty", "2022-02-01")]
    card = zhejiang_score(records, AS_OF)
    assert card.score == 815 - 90
    assert card.grade == "good"
    assert [(i.indicator, i.points, i.record_ids) for i in card.items] == [
        ("administrative_penalty", -90,
         ("r-administrative_penalty-2022-02-01", "r-administrative_penalty-2023-06-01"))]


def test_records_outside_their_period_or_in_the_future_do_not_count() -> None:
    records = [rec("administrative_penalty", "2020-06-01"),  # older than three years
               rec("judgment_unsatisfied", "2022-01-01", removed_on=dt.date(2023, 1, 1)),
               rec("tax_unpaid", "2024-03-01", amount=90_000.0)]  # after the as-of date
    assert zhejiang_score(records, AS_OF).score == 815
    assert tax_grade(records, AS_OF).grade == "A"


def test_merits_raise_the_score_to_excellent() -> None:
    records = [rec("redlist", "2022-05-01"), rec("honors_and_awards", "2023-01-01"),
               rec("donations", "2021-03-01")]
    card = zhejiang_score(records, AS_OF)
    assert card.score == 815 + 60 + 60 + 35
    assert card.grade == "excellent"


def test_key_personnel_and_inspection_findings_feed_their_indicators() -> None:
    person = rec("dishonest_person_list", "2022-01-01", subject="p-1")
    finding = rec("random_inspection", "2023-04-01", outcome="violation")
    clean = rec("targeted_inspection", "2023-05-01", outcome="no_violation")
    card = zhejiang_score([finding, clean], AS_OF, [person])
    assert {(i.indicator, i.points) for i in card.items} == {
        ("serious_dishonest_key_personnel", -20), ("other_noncompliance", -30)}
    assert card.score == 815 - 50


def test_a_blacklisted_firm_is_poor_with_enough_other_records() -> None:
    records = [rec("serious_dishonest_enterprise_list", "2021-01-01"),
               rec("administrative_penalty", "2023-01-01"),
               rec("judgment_unsatisfied", "2023-02-01"),
               rec("abnormal_operations", "2023-03-01")]
    card = zhejiang_score(records, AS_OF)
    assert card.score == 815 - 120 - 90 - 50 - 20 == 535
    assert card.grade == "poor"
    tax = tax_grade(records, AS_OF)
    assert tax.grade == "D"
    assert tax.items[-1].indicator == "blacklisting"


def test_tax_grade_arrears_of_50000_cost_eleven_points() -> None:
    big = tax_grade([rec("tax_unpaid", "2023-01-01", amount=50_000.0)], AS_OF)
    small = tax_grade([rec("tax_unpaid", "2023-01-01", amount=49_999.0)], AS_OF)
    assert (big.score, big.grade) == (89, "B")
    assert (small.score, small.grade) == (95, "A")
    both = tax_grade([rec("tax_unpaid", "2023-01-01", amount=80_000.0),
                      rec("social_insurance_unpaid", "2023-02-01"),
                      rec("administrative_penalty", "2023-03-01",
                          agency="Hangzhou Municipal Tax Service, STA"),
                      rec("administrative_penalty", "2023-03-02", agency="Hangzhou AMR")],
                     AS_OF)
    assert (both.score, both.grade) == (100 - 11 - 5 - 11, "B")


def test_abnormal_taxpayer_means_grade_d_at_once() -> None:
    card = tax_grade([rec("abnormal_taxpayer", "2023-06-01")], AS_OF)
    assert (card.score, card.grade) == (100, "D")


def test_bulk_scorecards_match_the_pure_functions(world_snapshot: Snapshot,
                                                  world_dir: object) -> None:
    from pathlib import Path

    root = Path(str(world_dir))
    snap = world_snapshot
    as_of = dt.date(2023, 7, 1)
    zj, zj_grade = bulk_zhejiang(snap, as_of)
    tax, tax_grades = bulk_tax(snap, as_of)
    records = pq.read_table(root / "nodes/CreditRecord.parquet").to_pylist()
    has = pq.read_table(root / "rels/HAS_RECORD.parquet").to_pylist()
    by_id = {r["record_id"]: r for r in records}
    firm_recs: dict[str, list[Record]] = {}
    person_recs: dict[str, list[Record]] = {}
    for h in has:
        r = by_id[h["dst"]]
        record = Record(r["record_id"], r["kind"], r["issued_on"], r["removed_on"],
                        r["severity"], r["amount"], r["outcome"], r["stream"], r["agency"],
                        h["src"])
        target = person_recs if h["src_label"] == "Person" else firm_recs
        target.setdefault(h["src"], []).append(record)
    roles = {}
    for rel in ("LEGAL_REPRESENTATIVE_OF", "DIRECTOR_OF", "SUPERVISOR_OF",
                "ACTUAL_CONTROLLER_OF"):
        for row in pq.read_table(root / f"rels/{rel}.parquet").to_pylist():
            since, until = row["since"], row["until"]
            if (since is None or since <= as_of) and (until is None or until > as_of):
                roles.setdefault(row["dst"], set()).add(row["src"])
    rng = np.random.default_rng(0)
    sample = rng.choice(snap.n_firms, 400, replace=False)
    with_records = [i for i in range(snap.n_firms) if snap.uscc[i] in firm_recs][:200]
    for i in [*sample, *with_records]:
        u = str(snap.uscc[i])
        people = [r for p in roles.get(u, ()) for r in person_recs.get(p, [])]
        card = zhejiang_score(firm_recs.get(u, []), as_of, people)
        grade = tax_grade(firm_recs.get(u, []), as_of)
        assert (card.score, card.grade) == (zj[i], zj_grade[i]), u
        assert (grade.score, grade.grade) == (tax[i], tax_grades[i]), u
