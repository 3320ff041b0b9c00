"""A run written from several sessions at once, in small batches, is the same stored run."""

from __future__ import annotations

import dataclasses

from neo4j import Driver

from riskgraph.graph.store import Store
from riskgraph.graph.store.runs import RankingRun, run_assessments, save_run, verify_run
from tests.models.accountability.conftest import DB


def test_parallel_batches_store_every_assessment_and_verify(small_graph: Driver,
                                                            stored_run: RankingRun) -> None:
    store = Store.open(small_graph, DB)
    again = dataclasses.replace(stored_run, run_id=stored_run.run_id + "-parallel")
    assert save_run(store, again, actor="test", batch=1, writers=3) == "complete"
    ok, digest = verify_run(store, again.run_id)
    assert ok and digest == stored_run.digest
    assert run_assessments(store, again.run_id) == run_assessments(store, stored_run.run_id)
