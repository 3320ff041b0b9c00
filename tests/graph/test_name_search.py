"""Name search through the full-text indexes (issue 18, item 5): the Lucene query of any
needle is well-formed, and against the real index it finds exactly what a scan finds for every
needle whose Latin words start where the name's do."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from neo4j import Driver

from riskgraph.graph.catalog import query as statement
from riskgraph.graph.name_search import CJK, fulltext_query

NAMES = ["福州贸易有限公司", "厦门科技贸易有限公司", "泉州建设实业集团", "Alpha Holdings",
         "Beta Trading Co", "Bank of China Fujian", "ABC科技服务", "李明", "王小明", "明",
         "O'Brien & Sons", "Zeta-Omega 77 Ltd", "Gamma 3.5 Tech 1,000", "株式会社トヨタ",
         "삼성전자"]


@given(st.text(max_size=40))
def test_any_needle_gives_a_balanced_escaped_query_or_none(needle: str) -> None:
    query = fulltext_query(needle)
    if query is None:
        return
    assert query.count('"') % 2 == 0
    unescaped = re.sub(r"\\.", "", query)
    assert not re.search(r'[!(){}\[\]^~?:/&|]', unescaped), query
    for clause in query.split(" "):
        assert clause.startswith("+") and len(clause) > 1


@given(st.sampled_from(NAMES), st.data())
def test_a_query_exists_for_every_chinese_substring_of_two_characters_or_more(
        name: str, data: st.DataObject) -> None:
    runs = re.findall(f"[{CJK}]{{2,}}", name)
    if not runs:
        return
    run = data.draw(st.sampled_from(runs))
    start = data.draw(st.integers(0, len(run) - 2))
    end = data.draw(st.integers(start + 2, len(run)))
    assert fulltext_query(run[start:end]) is not None


def _needles() -> list[str]:
    """Chinese substrings, word starts and word sequences of NAMES, plus some that no name has."""
    out = {"贸易", "科技贸易", "有限公司", "小明", "明", "alpha", "Alp", "holdings", "bank of",
           "of china", "o'brien", "omega 7", "77", "trading co", "tra", "科技服务", "ABC科",
           "トヨタ", "전자", "nothing here", "贸易科技", "the", "3.5", "gamma 3", "1,0"}
    return sorted(out)


def read(driver: Driver, file: str, /, **params: object) -> list[dict[str, object]]:
    records, _, _ = driver.execute_query(statement(file), params)
    return [r.data() for r in records]


def _indexed(driver: Driver, query: str, needle: str) -> tuple[list[str], list[str]]:
    """The companies and the people the full-text statements find for ``needle``, sorted."""
    page = {"query": query, "name": needle, "after": "", "before": "", "backward": False,
            "limit": 100}
    companies = read(driver, "api/search_companies_by_name", region=None, industry=None,
                     tier=None, **page)
    people = read(driver, "api/search_persons_by_name", **page)
    return (sorted(str(r["uscc"]) for r in companies),
            sorted(str(r["person_id"]) for r in people))


@pytest.mark.neo4j
def test_the_index_finds_what_a_scan_finds(clean_graph: Driver) -> None:
    with clean_graph.session() as session:
        session.run("UNWIND range(0, size($names) - 1) AS k "
                    "CREATE (:Company {uscc: 'T' + toString(k), name: $names[k]}) "
                    "CREATE (:Person {person_id: 'P' + toString(k), name: $names[k]})",
                    names=NAMES).consume()
    for needle in _needles():
        query = fulltext_query(needle)
        scan = sorted(str(r["uscc"]) for r in read(
            clean_graph, "api/search_companies", name=needle, region=None, industry=None,
            tier=None, after="", before="", backward=False, limit=100))
        if query is None:
            continue
        found, people = _indexed(clean_graph, query, needle)
        assert found == scan, needle
        assert people == [u.replace("T", "P") for u in scan], needle
        count = read(clean_graph, "api/count_companies_by_name", query=query, name=needle,
                     region=None, industry=None, tier=None)[0]["total"]
        assert count == len(scan), needle


OTHER_NAMES = ("other_names", "aliases", "previous_names", "weak_aliases")


@pytest.mark.neo4j
def test_other_names_are_found_as_the_name_is(clean_graph: Driver) -> None:
    """The same names, each kept as an other name (one of the four lists in turn) of a node
    whose own name matches nothing: the index and the scan find the same nodes as when they were
    the names, on companies and people alike."""
    with clean_graph.session() as session:
        for k, name in enumerate(NAMES):
            prop = OTHER_NAMES[k % len(OTHER_NAMES)]
            session.run(f"CREATE (:Company {{uscc: 'T' + $k, name: 'zz', {prop}: ['yy', $n]}}) "
                        f"CREATE (:Person {{person_id: 'P' + $k, name: 'zz', {prop}: [$n]}})",
                        k=str(k), n=name).consume()
    for needle in _needles():
        expected = sorted(f"T{k}" for k, name in enumerate(NAMES)
                          if needle.lower() in name.lower())
        scan = sorted(str(r["uscc"]) for r in read(
            clean_graph, "api/search_companies", name=needle, region=None, industry=None,
            tier=None, after="", before="", backward=False, limit=100))
        scan_people = sorted(str(r["person_id"]) for r in read(
            clean_graph, "api/search_persons", name=needle, after="", before="",
            backward=False, limit=100))
        assert scan == expected, needle
        assert scan_people == [u.replace("T", "P") for u in expected], needle
        query = fulltext_query(needle)
        if query is None:
            continue
        found, people = _indexed(clean_graph, query, needle)
        assert found == scan, needle  # the index keeps the scan's answers on other names
        assert people == scan_people, needle
        assert read(clean_graph, "api/count_persons_by_name", query=query,
                    name=needle)[0]["total"] == len(scan_people), needle
