"""The conflict-of-interest rule against a real graph."""

from __future__ import annotations

import datetime as dt

import pytest
from neo4j import Driver

from riskgraph.graph.config import get_settings
from riskgraph.graph.store import Store
from riskgraph.models.accountability.conflicts import find_conflicts
from tests.models.accountability.conftest import PLAN_DAY, A, B, C, D

DB = get_settings().neo4j_database

pytestmark = pytest.mark.neo4j


def test_conflicts_through_people_and_recent_inspections(small_graph: Driver) -> None:
    found = find_conflicts(Store.open(small_graph, DB), [A, B, C, D], PLAN_DAY)
    # the inspector holds equity in A; their relative directs B; I5 inspected C in January 2025
    # (within 12 months of the plan date)
    assert ("I1", A) in found and "the inspector is a shareholder" in found[("I1", A)]
    assert ("I1", B) in found and "relative or associate" in found[("I1", B)]
    assert ("I5", C) in found and "2025-01-10" in found[("I5", C)]
    # not conflicts: I5 inspected B 17 months before; I2's directorship of C ended in 2019
    assert ("I5", B) not in found
    assert ("I2", C) not in found
    assert set(found) == {("I1", A), ("I1", B), ("I5", C)}


def test_conflicts_as_of_an_earlier_plan_date(small_graph: Driver) -> None:
    found = find_conflicts(Store.open(small_graph, DB), [A, B, C, D], dt.date(2019, 6, 1))
    # the relative's directorship of B began in 2020: not yet a conflict; I2's directorship
    # of C ended 2019-01-01, within the 12 months before; I5's inspection of C came later
    assert set(found) == {("I1", A), ("I2", C)}


def test_no_firms_no_queries(small_graph: Driver) -> None:
    assert find_conflicts(Store.open(small_graph, DB), [], PLAN_DAY) == {}
