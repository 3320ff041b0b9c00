"""explanation(uscc) end to end: a generated world in the real Neo4j, a trained model, and the
evidence each role gets back (only records it may see)."""

from __future__ import annotations

import datetime as dt
import gc
import shutil
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from neo4j import Driver, Query
from prometheus_client.parser import text_string_to_metric_families

from riskgraph.app import cache
from riskgraph.app.graphql.db import GraphReader
from riskgraph.app.graphql.risk import explain_cache
from riskgraph.app.graphql.risk.explain_cache import scored
from riskgraph.app.graphql.risk.explanations import record_ids_of
from riskgraph.app.graphql.risk.visibility import VisibilityReader
from riskgraph.app.metrics import render
from riskgraph.app.security.principal import Principal
from riskgraph.graph.catalog import names, query
from riskgraph.graph.config import Settings, get_settings
from riskgraph.graph.errors import NotFound
from riskgraph.graph.loader import load_world
from riskgraph.graph.maintenance import clear_data
from riskgraph.graph.snapshot import KINDS, Snapshot
from riskgraph.models.risk.artifact import latest_version, models_dir, save_artifact
from riskgraph.models.risk.train_config import TrainConfig
from riskgraph.models.risk.training import train
from riskgraph.seed.world import generate_world
from tests.app.conftest import ADMIN, INVESTIGATOR, make_client

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

FIRMS, SEED = 2000, 11
QUERY = """query($u: String!) { explanation(uscc: $u) { uscc tier risk
    reasons { feature evidence { recordIds } }
    contributions { feature value } counterfactual { recordIds statement } } }"""


@pytest.fixture(scope="module")
def explained_world(driver: Driver, settings: Settings,
                    tmp_path_factory: pytest.TempPathFactory) -> Iterator[Snapshot]:
    """A generated world loaded and a model trained on it (RISKGRAPH_HOME points at it)."""
    out = tmp_path_factory.mktemp("explain-world")
    generate_world(FIRMS, SEED, out, progress=False)
    clear_data(driver, settings.neo4j_database)
    load_world(driver, out, database=settings.neo4j_database, progress=False)
    snap = Snapshot.from_neo4j(driver, settings.neo4j_database)
    home = tmp_path_factory.mktemp("explain-home")
    save_artifact(train(snap, TrainConfig()), home)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RISKGRAPH_HOME", str(home))
        get_settings.cache_clear()
        cache.invalidate()
        yield snap
    get_settings.cache_clear()
    cache.invalidate()


def _evidence_ids(body: dict[str, object]) -> set[str]:
    found = body["data"]["explanation"]  # type: ignore[index]
    return {rid for r in found["reasons"] for e in r["evidence"] for rid in e["recordIds"]}


def _ask(driver: Driver, settings: Settings, principal: Principal, uscc: str) -> dict[str, object]:
    with make_client(driver, settings, principal) as client:
        body: dict[str, object] = client.post(
            "/graphql", json={"query": QUERY, "variables": {"u": uscc}}).json()
    assert "errors" not in body, body
    return body


def _most_penalised(snap: Snapshot, n: int) -> list[str]:
    negative = snap.rec_subject[~snap.rec_on_person & snap.rec_negative
                                & (snap.rec_kind == KINDS.index("administrative_penalty"))]
    counts = np.bincount(negative, minlength=snap.n_firms)
    return [str(snap.uscc[int(i)]) for i in np.argsort(-counts)[:n]]


def test_investigator_evidence_is_the_admin_evidence_it_may_see(
        driver: Driver, settings: Settings, explained_world: Snapshot) -> None:
    checked = hidden_somewhere = 0
    for uscc in _most_penalised(explained_world, 15):
        # a reader's budget is one request's: one per firm, not one for the whole loop
        public_reader = GraphReader(driver, INVESTIGATOR, 60.0, settings.neo4j_database)
        admin = _ask(driver, settings, ADMIN, uscc)
        public = _ask(driver, settings, INVESTIGATOR, uscc)
        admin_ids, public_ids = _evidence_ids(admin), _evidence_ids(public)
        visible = {r["record_id"] for r in public_reader.read(
            "list_visible_records", record_ids=sorted(admin_ids))}
        assert public_ids == admin_ids & visible
        tiers = {b["data"]["explanation"]["tier"] for b in (admin, public)}  # type: ignore[index]
        assert len(tiers) == 1
        checked += 1
        hidden_somewhere += bool(admin_ids - visible)
    assert checked and hidden_somewhere, "the sample should include non-public evidence"


def test_company_explanation_field_matches_the_root_field(
        driver: Driver, settings: Settings, explained_world: Snapshot) -> None:
    uscc = str(explained_world.uscc[0])
    root = _evidence_ids(_ask(driver, settings, INVESTIGATOR, uscc))
    with make_client(driver, settings, INVESTIGATOR) as client:
        body = client.post("/graphql", json={"query": """query($u: String!) {
            company(uscc: $u) { explanation { uscc reasons { evidence { recordIds } } } } }""",
            "variables": {"u": uscc}}).json()
    found = body["data"]["company"]["explanation"]
    assert found["uscc"] == uscc
    assert {rid for r in found["reasons"] for e in r["evidence"] for rid in e["recordIds"]} == root


def test_a_new_latest_model_is_used_without_waiting_for_the_cache(
        driver: Driver, settings: Settings, explained_world: Snapshot) -> None:
    """Another process's `riskgraph train` moves LATEST; the next explanation uses that model
    (the cache key holds the model version), while an unchanged LATEST is a cache hit."""
    home = get_settings().riskgraph_home
    first = scored(driver, settings.neo4j_database, None)
    assert scored(driver, settings.neo4j_database, None) is first
    old = latest_version(home)
    assert old is not None
    shutil.copytree(models_dir(home) / old, models_dir(home) / f"{old}-copy")
    (models_dir(home) / "LATEST").write_text(f"{old}-copy\n", encoding="utf-8")
    try:
        again = scored(driver, settings.neo4j_database, None)
        assert again is not first and latest_version(home) == f"{old}-copy"
        assert np.array_equal(again.scores.risk, first.scores.risk)
    finally:
        (models_dir(home) / "LATEST").write_text(f"{old}\n", encoding="utf-8")


def test_scores_of_two_dates_share_one_snapshot(
        driver: Driver, settings: Settings, explained_world: Snapshot) -> None:
    day = scored(driver, settings.neo4j_database, None).snapshot
    other = scored(driver, settings.neo4j_database, dt.date(2023, 6, 30))
    assert other.snapshot is day


def test_an_api_explanation_reads_through_the_request_and_sees_other_writes_at_once(
        driver: Driver, settings: Settings, explained_world: Snapshot) -> None:
    """The API's explanation runs every read through the request's reader (auto-commit, its
    budget), with no read of its own for the cache key; a write committed elsewhere (here
    straight to Neo4j, as another worker or `riskgraph load` would, without this process's
    invalidate) is in the very next explanation's key: the scores are rebuilt."""
    db = settings.neo4j_database
    reader = GraphReader(driver, INVESTIGATOR, 60.0, db)
    seen: list[str] = []
    own_rows: list[str] = []  # reads of the explained firm's own row after the first

    def counting(name: str, params: dict[str, object]) -> list[dict[str, object]]:
        seen.append(name)
        if name == "explain/get_company" and params.get("uscc") == uscc:
            own_rows.append(name)
        return reader.read_catalog(name, params)

    uscc = str(explained_world.uscc[0])
    first = explain_cache.explain_firm(driver, uscc, None, db, False, counting)
    assert seen[0] == "cache/get_company_and_version" and seen.count(seen[0]) == 1
    # A linked firm's row is read for its name (the linked_firms evidence); the explained
    # firm's own row came with the version and is never read again.
    assert "cache/get_graph_version" not in seen and own_rows == []
    assert "api/list_company_link_members" not in seen  # the firm's keys came with its row
    assert reader.round_trips == len(seen)
    before = explain_cache.scored(driver, db, None)
    assert explain_cache.explain_firm(driver, uscc, None, db, False, counting).risk == first.risk
    assert explain_cache.scored(driver, db, None) is before  # unchanged graph: a cache hit
    had, _, _ = driver.execute_query("MATCH (h:AuditLog {log_id: 'main'}) RETURN h.seq AS seq",
                                     database_=db)
    driver.execute_query("MERGE (h:AuditLog {log_id: 'main'}) "
                         "SET h.seq = coalesce(h.seq, 0) + 1000", database_=db)
    try:
        explain_cache.explain_firm(driver, uscc, None, db, False, counting)
        assert explain_cache.scored(driver, db, None) is not before  # rebuilt at once
    finally:
        if had:
            driver.execute_query("MATCH (h:AuditLog {log_id: 'main'}) SET h.seq = $seq",
                                 seq=had[0]["seq"], database_=db)
        else:
            driver.execute_query("MATCH (h:AuditLog {log_id: 'main'}) DELETE h", database_=db)
        cache.invalidate()


def test_an_unknown_firm_explained_through_the_reader_is_not_found(
        driver: Driver, settings: Settings, explained_world: Snapshot) -> None:
    reader = GraphReader(driver, INVESTIGATOR, 60.0, settings.neo4j_database)
    with pytest.raises(NotFound, match="no company with USCC"):
        explain_cache.explain_firm(driver, "91330100MA00000000", None,
                                   settings.neo4j_database, False, reader.read_catalog)


def _warm() -> float:
    return next(s.value for f in text_string_to_metric_families(render()[0].decode())
                for s in f.samples if s.name == "riskgraph_explanations_warm")


def test_the_warm_gauge_is_1_once_scores_are_built_and_0_after_a_write(
        driver: Driver, settings: Settings, explained_world: Snapshot) -> None:
    cache.invalidate()
    assert _warm() == 0
    scored(driver, settings.neo4j_database, None)
    assert _warm() == 1
    cache.invalidate()  # what every write path of the process calls
    assert _warm() == 0


def test_the_snapshot_is_frozen_out_of_the_collectors_sight_once_built(
        driver: Driver, settings: Settings, explained_world: Snapshot) -> None:
    """A full collection of a worker would otherwise walk the snapshot's objects (a pause of
    over 100 ms at 100k firms, bench/bench_gc_pause.py)."""
    cache.invalidate()
    gc.unfreeze()
    found = scored(driver, settings.neo4j_database, None)
    tracked = {id(o) for o in gc.get_objects()}
    assert id(found) not in tracked and id(found.snapshot) not in tracked
    assert gc.get_freeze_count() > 0


def test_an_explanation_sends_its_independent_reads_at_once(
        driver: Driver, settings: Settings, explained_world: Snapshot) -> None:
    """The firm's own records and its key persons' records depend on no other read's rows:
    both are in flight together (graph/store/together.py). The reader holds the first back
    until the second has started; read one after the other, the second would start only once
    the first gave up waiting."""
    reader = GraphReader(driver, INVESTIGATOR, 60.0, settings.neo4j_database)
    people_started = threading.Event()
    overlapped: list[bool] = []

    def holding(name: str, params: dict[str, object]) -> list[dict[str, object]]:
        if name == "explain/list_key_personnel_records":
            people_started.set()
        if name == "explain/list_company_records":
            overlapped.append(people_started.wait(timeout=10.0))
        return reader.read_catalog(name, params)

    uscc = str(explained_world.uscc[0])
    found = explain_cache.explain_firm(driver, uscc, None, settings.neo4j_database, False,
                                       holding)
    assert overlapped == [True]
    # the same reads and the same explanation as the plain reader gives
    again = explain_cache.explain_firm(driver, uscc, None, settings.neo4j_database, False,
                                       reader.read_catalog)
    assert found.to_dict() == again.to_dict()


class _RecordingDriver:
    """The real driver, noting the catalog name of every statement a session runs."""

    def __init__(self, driver: Driver) -> None:
        self._driver = driver
        self.sent: list[str] = []
        self._by_text = {query(n): n
                         for folder in ("api", "cache", "explain") for n in names(folder)}

    def session(self, *args: Any, **kwargs: Any) -> Any:
        session = self._driver.session(*args, **kwargs)
        run, sent, by_text = session.run, self.sent, self._by_text

        def recording(q: Any, *a: Any, **kw: Any) -> Any:
            text = q.text if isinstance(q, Query) else str(q)
            sent.append(by_text.get(text, "?"))
            return run(q, *a, **kw)

        session.run = recording
        return session

    def __getattr__(self, name: str) -> Any:
        return getattr(self._driver, name)


def test_explanation_reads_no_company_row_before_its_own_first_read(
        driver: Driver, settings: Settings, explained_world: Snapshot) -> None:
    """explanation(uscc:) sends the explanation's reads only: its first read brings the firm's
    row with the graph version, so the resolver reads no company of its own (no
    ``api/get_companies`` for the explained firm), and an unknown firm is still NOT_FOUND."""
    uscc = str(explained_world.uscc[0])
    recording = _RecordingDriver(driver)
    with make_client(recording, settings, INVESTIGATOR) as client:
        body = client.post("/graphql", json={"query": QUERY, "variables": {"u": uscc}}).json()
        assert "errors" not in body, body
        assert recording.sent[0] == "cache/get_company_and_version"
        assert "api/get_companies" not in recording.sent, recording.sent
        missing = client.post("/graphql", json={"query": QUERY,
                                                "variables": {"u": "91330100MA00000000"}}).json()
    assert missing["data"]["explanation"] is None
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert "no company with USCC" in missing["errors"][0]["message"]


def test_which_cited_records_the_caller_may_see_is_asked_beside_the_engines_reads(
        driver: Driver, settings: Settings, explained_world: Snapshot) -> None:
    """The visibility of the counted records is asked while the engine reads their rows
    (app/graphql/risk/visibility.py): the reader holds the counted records' read back until the
    visibility read has started; asked after the explanation, it would start only once the
    explanation was done. The ids found visible are those the plain filter gives, with and
    without a counterfactual (which names the firm's own records)."""
    asked: list[set[str]] = []
    news = threading.Condition()
    overlapped: list[bool] = []

    class Holding(GraphReader):
        def read_catalog(self, name: str, values: dict[str, Any]) -> list[dict[str, Any]]:
            if name == "api/list_visible_records":
                with news:
                    asked.append(set(values["record_ids"]))
                    news.notify_all()
            if name == "explain/list_records_by_id":
                ids = set(values["record_ids"])
                with news:
                    overlapped.append(news.wait_for(
                        lambda: any(ids <= seen for seen in asked), timeout=10.0))
            return super().read_catalog(name, values)

    uscc = _most_penalised(explained_world, 1)[0]
    plain = GraphReader(driver, INVESTIGATOR, 60.0, settings.neo4j_database)
    for counterfactual in (False, True):
        overlapped.clear()
        reader = VisibilityReader(Holding(driver, INVESTIGATOR, 60.0, settings.neo4j_database),
                                  counterfactual)
        found = explain_cache.explain_firm(driver, uscc, None, settings.neo4j_database,
                                           counterfactual, reader)
        cited = record_ids_of(found)
        assert overlapped == [True] and cited
        expected = {str(r["record_id"]) for r in plain.read("list_visible_records",
                                                            record_ids=cited)}
        assert reader.visible(cited) == expected


def test_ids_no_read_named_are_checked_at_the_end(
        driver: Driver, settings: Settings, explained_world: Snapshot) -> None:
    """An id the explanation names that no engine read named is still filtered: asked once at
    the end (none is taken as visible unchecked)."""
    snap = explained_world
    ids = sorted(str(r) for r in snap.rec_id[:40])
    admin = VisibilityReader(GraphReader(driver, ADMIN, 60.0, settings.neo4j_database), False)
    public = VisibilityReader(GraphReader(driver, INVESTIGATOR, 60.0, settings.neo4j_database),
                              False)
    assert admin.visible(ids) == set(ids)
    seen = public.visible([*ids, "no-such-record"])
    plain = GraphReader(driver, INVESTIGATOR, 60.0, settings.neo4j_database)
    assert seen == {str(r["record_id"]) for r in plain.read("list_visible_records",
                                                            record_ids=ids)}
    assert "no-such-record" not in seen


def test_phoenix_evidence_shows_only_bans_the_caller_may_see(
        driver: Driver, settings: Settings, explained_world: Snapshot) -> None:
    """Evidence citing a phoenix firm's ban (asked beside the phoenix read) is the admin's
    evidence cut to the bans the investigator may see, for every sampled firm with one."""
    scores = scored(driver, settings.neo4j_database, None).scores
    pull = scores.contributions[:, scores.model_features.index("phoenix_signal")]
    order = np.argsort(-pull)
    checked = 0
    for i in order[:int((pull > 0).sum())][:30]:
        uscc = str(scores.uscc[int(i)])
        admin = _ask(driver, settings, ADMIN, uscc)
        reasons = admin["data"]["explanation"]["reasons"]  # type: ignore[index]
        if not any(r["feature"] == "phoenix_signal" and r["evidence"] for r in reasons):
            continue
        public = _ask(driver, settings, INVESTIGATOR, uscc)
        admin_ids = _evidence_ids(admin)
        plain = GraphReader(driver, INVESTIGATOR, 60.0, settings.neo4j_database)
        visible = {r["record_id"] for r in plain.read("list_visible_records",
                                                       record_ids=sorted(admin_ids))}
        assert _evidence_ids(public) == admin_ids & visible
        checked += 1
    assert checked, "the sample should include firms with phoenix evidence"
