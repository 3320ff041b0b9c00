"""The audit trail anchored outside Neo4j (issue 14, item 7): a chain edited and rebuilt with
consistent hashes passes the in-database check but not the anchors; the anchor file is
signed, private, and a deliberate reset is anchored too."""

from __future__ import annotations

import datetime as dt
import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver

from riskgraph.graph.audit_anchor import ANCHOR_FILE, KEY_FILE, audit_dir
from riskgraph.graph.config import get_settings
from riskgraph.graph.maintenance import clear_data
from riskgraph.graph.store import Store
from riskgraph.graph.store.audit import (
    anchor_head,
    append_event,
    event_hash,
    list_events,
    verify_anchored,
    verify_chain,
)

DB = get_settings().neo4j_database

pytestmark = pytest.mark.neo4j


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A state folder of the test's own for the anchors and their key."""
    monkeypatch.setenv("RISKGRAPH_HOME", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path
    monkeypatch.undo()
    get_settings.cache_clear()


def _append(driver: Driver, n: int) -> None:
    with driver.session() as session:
        for i in range(n):
            session.execute_write(lambda tx, i=i: append_event(  # type: ignore[misc]
                tx, actor="test", action="thing.done", subject_type="Thing",
                subject_id=f"t{i}", reason=f"reason {i}"))


def _rebuild_from(driver: Driver, seq: int, reason: str) -> None:
    """What an attacker with write access does: edit an event and re-hash the rest."""
    events = list_events(Store.open(driver, DB))
    prev = next(e.hash for e in events if e.seq == seq - 1) if seq > 1 else ""
    for e in (e for e in events if e.seq >= seq):
        # Neo4j prints the time without trailing zeros; the hash covers all six digits
        at = dt.datetime.fromisoformat(e.at.replace("Z", "+00:00"))
        fields = {"seq": e.seq, "at": at.isoformat(timespec="microseconds"), "actor": e.actor,
                  "action": e.action, "subject_type": e.subject_type,
                  "subject_id": e.subject_id, "reason": reason if e.seq == seq else e.reason,
                  "before": e.before, "after": e.after}
        digest = event_hash(prev, fields)
        driver.execute_query("MATCH (e:AuditEvent {seq: $seq}) SET e.reason = $reason, "
                             "e.prev_hash = $prev, e.hash = $hash",
                             seq=e.seq, reason=fields["reason"], prev=prev, hash=digest)
        prev = digest
    driver.execute_query("MATCH (l:AuditLog) SET l.head_hash = $h", h=prev)


def test_a_rebuilt_chain_is_detected_by_its_anchors(clean_graph: Driver, home: Path) -> None:
    clear_data(clean_graph, database=DB)  # a reset anchored in this test's own folder
    _append(clean_graph, 4)
    anchor_head(Store.open(clean_graph, DB))
    assert verify_anchored(Store.open(clean_graph, DB)) == (4, [])
    _rebuild_from(clean_graph, 2, "nothing happened")
    checked, problems = verify_chain(Store.open(clean_graph, DB))
    assert checked == 4 and problems == []  # the in-database chain is consistent again
    _, anchored = verify_anchored(Store.open(clean_graph, DB))
    assert anchored and all("rebuilt" in p for p in anchored)
    assert {p.split(":")[0] for p in anchored} == {"event 2", "event 3", "event 4"}


def test_the_anchor_file_is_signed_and_private(clean_graph: Driver, home: Path) -> None:
    clear_data(clean_graph, database=DB)
    _append(clean_graph, 3)
    anchor_head(Store.open(clean_graph, DB))
    folder = audit_dir()
    for name in (ANCHOR_FILE, KEY_FILE):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600
    lines = (folder / ANCHOR_FILE).read_text().splitlines()
    assert [json.loads(line)["kind"] for line in lines] == ["reset", "head", "head", "head"]
    forged = json.loads(lines[2])
    forged["hash"] = "0" * 64
    lines[2] = json.dumps(forged)
    (folder / ANCHOR_FILE).write_text("\n".join(lines) + "\n")
    _, problems = verify_anchored(Store.open(clean_graph, DB))
    assert any("signature does not verify" in p for p in problems)


def test_events_deleted_from_the_end_are_detected(clean_graph: Driver, home: Path) -> None:
    clear_data(clean_graph, database=DB)
    _append(clean_graph, 3)
    anchor_head(Store.open(clean_graph, DB))
    clean_graph.execute_query("MATCH (e:AuditEvent {seq: 3}) DETACH DELETE e")
    clean_graph.execute_query("MATCH (l:AuditLog) SET l.seq = 2")
    _, problems = verify_anchored(Store.open(clean_graph, DB))
    assert any("event 3" in p and "missing" in p for p in problems)
