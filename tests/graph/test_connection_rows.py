"""The API reader's rows (graph/connection.py ``read_within``): exactly ``record.data()`` for
every kind of value a statement can return, without rebuilding rows of plain values."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from neo4j import READ_ACCESS, Driver, Record

from riskgraph.graph.config import Settings
from riskgraph.graph.connection import read_within, row_of

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=8), st.binary(max_size=4))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=4), inner, max_size=4)),
    max_leaves=20)


@given(st.dictionaries(st.text(min_size=1, max_size=6), VALUES, max_size=6))
def test_a_row_of_plain_values_equals_record_data(row: dict[str, Any]) -> None:
    record = Record(row.items())
    assert row_of(record) == record.data()


def test_a_row_of_plain_values_is_not_rebuilt() -> None:
    """The fast path keeps the driver's own lists and maps (``data()`` copies each)."""
    officers = [{"person_id": "P1", "since": None}]
    record = Record({"uscc": "X", "officers": officers}.items())
    assert row_of(record)["officers"] is officers


ENTITIES = """
CREATE p = (a:RowProbe {name: 'a', tags: ['x']})-[r:ROW_PROBE {w: 1}]->(b:RowProbe {name: 'b'})
RETURN a AS node, r AS rel, p AS path, [a, b] AS nodes, {first: a, rel: r} AS map,
       [[a], [{deep: b}]] AS nested, 1 AS n, 'text' AS s, [1, 2] AS xs, {k: [true]} AS m,
       date('2024-02-29') AS day, datetime('2024-02-29T10:00:00Z') AS at,
       duration('P1DT2H') AS span, point({x: 1.0, y: 2.0}) AS xy,
       point({latitude: 26.1, longitude: 119.3}) AS geo, null AS nothing
"""


@pytest.mark.neo4j
def test_nodes_relationships_and_paths_come_out_as_record_data(clean_graph: Driver,
                                                               settings: Settings) -> None:
    db = settings.neo4j_database
    with clean_graph.session(database=db) as session:
        expected = [record.data() for record in session.run(ENTITIES)]
    # The same statement again, as a read (the nodes created above are matched, not created).
    text = ENTITIES.replace("CREATE p =", "MATCH p =")
    rows = read_within(clean_graph, text, {}, db, 30.0)
    assert rows == expected
    row = rows[0]
    assert row["node"] == {"name": "a", "tags": ["x"]}
    assert row["rel"] == ({"name": "a", "tags": ["x"]}, "ROW_PROBE", {"name": "b"})
    assert row["path"] == [{"name": "a", "tags": ["x"]}, "ROW_PROBE", {"name": "b"}]
    assert row["nested"] == [[{"name": "a", "tags": ["x"]}], [{"deep": {"name": "b"}}]]
    assert row["day"].to_native() == dt.date(2024, 2, 29)
    with clean_graph.session(database=db, default_access_mode=READ_ACCESS) as session:
        plain = [record.data() for record in session.run(
            "MATCH (a:RowProbe {name: 'a'}) RETURN a.name AS name, a.tags AS tags")]
    assert read_within(clean_graph, "MATCH (a:RowProbe {name: 'a'}) "
                       "RETURN a.name AS name, a.tags AS tags", {}, db, 30.0) == plain
