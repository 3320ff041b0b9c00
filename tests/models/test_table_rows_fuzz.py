"""Property-based tests of the user-table input paths: ``--features`` tables (uscc, date, numeric
columns, models/userdata.py) and ``--event-features`` tables (record_id, numeric and text
columns, models/inspections.py).

Invariant: no traceback (only BadInput, naming the file, for a fault of the whole file or
column); otherwise every bad row is left out with a reason naming the file, the row and the
field, and every good row is kept with its values.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskgraph.graph.errors import BadInput
from riskgraph.graph.identifiers import firm_id_error
from riskgraph.models.inspections import EventTable
from riskgraph.models.userdata import UserTable

BAD_DATES = ("2021-13-01", "2021-02-30", "yesterday", "2021/01/05", "01-02-2021")
BAD_NUMBERS = ("abc", "1..2", "inf", "-inf", "3 apples")
EPOCH = dt.date(1970, 1, 1)
NULLS = {"", "#n/a", "#n/a n/a", "#na", "-1.#ind", "-1.#qnan", "-nan", "1.#ind", "1.#qnan",
         "n/a", "na", "nan", "null", "none", "true", "false"}
"""Texts pyarrow reads as null or boolean: not used as bad firm ids (they are other faults)."""

good_firm = st.integers(1, 10**6).map(lambda n: f"acme-reg:{n}")
bad_firm = st.one_of(
    st.sampled_from(["12345", "Bad Space:1", "x:1", "acme-reg:", "lei:123"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"),
            min_size=1, max_size=12).filter(lambda v: v.strip() == v and bool(v)
                                            and firm_id_error(v) is not None
                                            and v.lower() not in NULLS))
good_day = st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31))
good_value = st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: round(v, 3))

user_row = st.one_of(
    st.tuples(st.just("good"), good_firm, good_day.map(str), good_value.map(repr)),
    st.tuples(st.just("uscc"), bad_firm, good_day.map(str), good_value.map(repr)),
    st.tuples(st.just("date"), good_firm, st.sampled_from(BAD_DATES), good_value.map(repr)),
    st.tuples(st.just("score"), good_firm, good_day.map(str), st.sampled_from(BAD_NUMBERS)),
)


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def _check_rejects(rejects: list[str], path: Path, bad: dict[int, str]) -> None:
    assert len(rejects) == len(bad), rejects
    for row, fld in bad.items():
        mine = [r for r in rejects if f"row {row + 1}:" in r]
        assert len(mine) == 1, (row, rejects)
        assert str(path) in mine[0] and f"field '{fld}'" in mine[0], mine[0]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(user_row, min_size=1, max_size=25))
def test_feature_table_keeps_good_rows_and_names_every_bad_one(
        rows: list[tuple[str, str, str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "audits.csv"
        _write(path, ["uscc", "date", "score"], [[u, d, v] for _, u, d, v in rows])
        bad = {i: kind for i, (kind, *_) in enumerate(rows) if kind != "good"}
        good = [r for r in rows if r[0] == "good"]
        wrong_values = sum(kind == "score" for kind, *_ in rows)
        try:
            table = UserTable.read(path)
        except BadInput as exc:
            # a whole-file fault: no good row at all, or a column mostly not numeric
            assert str(path) in str(exc)
            score_is_text = wrong_values * 2 > len(rows)
            assert score_is_text or not good, str(exc)
            if score_is_text:
                assert "column 'score' is not numeric" in str(exc), str(exc)
            else:
                assert "no usable row" in str(exc), str(exc)
            return
        _check_rejects(table.rejects, path, bad)
        assert list(table.uscc) == [u for _, u, _, _ in good]
        assert list(table.day) == [(dt.date.fromisoformat(d) - EPOCH).days
                                   for _, _, d, _ in good]
        np.testing.assert_allclose(table.columns["user_audits_score"],
                                   [float(v) for *_, v in good])


event_row = st.one_of(
    st.tuples(st.just("good"), st.sampled_from(["north", "south", "", "east"]),
              good_value.map(repr)),
    st.tuples(st.just("empty"), st.sampled_from(["north", "south"]), good_value.map(repr)),
    st.tuples(st.just("repeat"), st.sampled_from(["north", "south"]), good_value.map(repr)),
    st.tuples(st.just("heat"), st.sampled_from(["north", "south"]),
              st.sampled_from(BAD_NUMBERS)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(event_row, min_size=1, max_size=25))
def test_event_table_keeps_good_rows_and_names_every_bad_one(
        rows: list[tuple[str, str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "context.csv"
        ids: list[str] = []
        for i, (kind, _, _) in enumerate(rows):
            if kind == "empty":
                ids.append("")
            elif kind == "repeat" and any(ids):
                ids.append(next(x for x in ids if x))
            else:
                ids.append(f"insp-{i}")
        # a "repeat" with no earlier id to repeat is a good row under a fresh id
        kinds = [k if k != "repeat" or ids[i] != f"insp-{i}" else "good"
                 for i, (k, _, _) in enumerate(rows)]
        _write(path, ["record_id", "area", "heat"],
               [[ids[i], a, v] for i, (_, a, v) in enumerate(rows)])
        field = {"empty": "record_id", "repeat": "record_id", "heat": "heat"}
        bad = {i: field[k] for i, k in enumerate(kinds) if k != "good"}
        good = [i for i, k in enumerate(kinds) if k == "good"]
        try:
            table = EventTable.read(path)
        except BadInput as exc:
            assert str(path) in str(exc)
            assert not good or "area" in str(exc) or "heat" in str(exc), str(exc)
            return
        heat_is_text = "event_context_heat" not in table.columns
        if heat_is_text:  # most heat values are not numbers: a text column, no row is bad
            bad = {i: f for i, f in bad.items() if f != "heat"}
            good = [i for i, k in enumerate(kinds) if k in ("good", "heat")]
        _check_rejects(table.rejects, path, bad)
        assert list(table.record_id) == [ids[i] for i in good]
        if not heat_is_text:
            np.testing.assert_allclose(table.columns["event_context_heat"],
                                       [float(rows[i][2]) for i in good])
        for level in ("north", "south", "east"):
            key = f"event_context_area_{level}"
            expected = [float(rows[i][1] == level) for i in good]
            assert list(table.columns.get(key, np.zeros(len(good)))) == expected
