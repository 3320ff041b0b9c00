"""Ranking runs as stored: the run record, its per-firm assessments, reading them back.

A run is written once (its node, assessments in batches, an audit event) and never changed;
its digest (:func:`ranking_digest`) is what ``riskgraph rank --verify`` recomputes from the
stored assessments.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

from neo4j import ManagedTransaction

from riskgraph.graph.driver import run_tx
from riskgraph.graph.errors import NotFound
from riskgraph.graph.identifiers import lookup_firm_id
from riskgraph.graph.store import Store
from riskgraph.graph.store.audit import append_event

BATCH = 5_000
"""Assessments written per transaction."""


@dataclass(frozen=True)
class RankedFirm:
    uscc: str
    risk: float
    serious_risk: float | None
    """None when the model has no serious-violation component."""
    tier: str
    rank: int
    reasons: list[dict[str, Any]] = field(default_factory=list)
    """Top reasons: feature, contribution (log-odds), value, text."""


@dataclass
class RunHeader:
    """What identifies a ranking run and what it was computed from (every engine's runs)."""

    run_id: str
    created_at: str
    as_of: str
    model_version: str
    data_snapshot_sha256: str
    code_version: str
    parameters: dict[str, Any]
    digest: str


@dataclass
class RankingRun(RunHeader):
    """A run computed in process: the header and every ranked firm."""

    firms: list[RankedFirm]

    def summary(self) -> dict[str, Any]:
        """Everything but the per-firm rows."""
        out = asdict(self)
        out.pop("firms")
        out["firm_count"] = len(self.firms)
        out["tiers"] = tier_counts(self.firms)
        return out


def tier_counts(firms: Iterable[RankedFirm]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for f in firms:
        counts[f.tier] = counts.get(f.tier, 0) + 1
    return counts


def ranking_digest(rows: Iterable[tuple[str, float, str, int]]) -> str:
    """SHA-256 over ``uscc|risk|tier|rank`` lines (risk to 12 significant digits), in order."""
    h = hashlib.sha256()
    for uscc, risk, tier, rank in rows:
        h.update(f"{uscc}|{risk:.12g}|{tier}|{rank}\n".encode())
    return h.hexdigest()


def run_meta(run: RankingRun) -> dict[str, Any]:
    """The run node's properties (parameters as sorted JSON)."""
    meta = {k: v for k, v in run.summary().items() if k not in ("firm_count", "tiers")}
    meta["parameters"] = json.dumps(run.parameters, sort_keys=True)
    return meta


def open_run_tx(tx: ManagedTransaction, meta: dict[str, Any], firms: int, actor: str,
                summary: dict[str, Any], reason: str) -> None:
    """Create the run node (status ``running``) and its audit event, in ``tx``."""
    run_tx(tx, "ranking/create_ranking_run", **meta, firms=firms)
    append_event(tx, actor=actor, action="ranking_run.created", subject_type="RankingRun",
                 subject_id=meta["run_id"], after=summary, reason=reason)


def assessment_rows(firms: Iterable[RankedFirm]) -> list[dict[str, Any]]:
    """The parameter rows of ``ranking/create_risk_assessments``."""
    return [{"uscc": f.uscc, "risk": f.risk, "serious_risk": f.serious_risk,
             "tier": f.tier, "rank": f.rank, "reasons": json.dumps(f.reasons, ensure_ascii=False)}
            for f in firms]


def write_assessments_tx(tx: ManagedTransaction, run_id: str, rows: list[dict[str, Any]]
                         ) -> int:
    """Write one batch of a run's assessments; how many were written."""
    done = run_tx(tx, "ranking/create_risk_assessments", run_id=run_id, rows=rows)
    return int(done[0]["written"]) if done else 0


def complete_run_tx(tx: ManagedTransaction, run_id: str, firms: int) -> str:
    """Mark the run complete when all ``firms`` assessments are there; its status."""
    done = run_tx(tx, "ranking/complete_ranking_run", run_id=run_id, firms=firms)
    return str(done[0]["status"])


def save_run(store: Store, run: RankingRun, actor: str, batch: int = BATCH,
             writers: int = 1) -> str:
    """Write the run, its assessments (``batch`` per transaction, from ``writers`` sessions at
    once) and an audit event; return its status (``complete`` once every assessment is
    there)."""
    meta = run_meta(run)
    with store.session() as session:
        session.execute_write(open_run_tx, meta, len(run.firms), actor, run.summary(),
                              str(run.parameters.get("reason", "")))
    starts = range(0, len(run.firms), batch)

    def write(part: Iterable[int]) -> None:
        with store.session() as session:
            for start in part:
                rows = assessment_rows(run.firms[start:start + batch])
                session.execute_write(write_assessments_tx, run.run_id, rows)

    if writers <= 1:
        write(starts)
    else:
        with ThreadPoolExecutor(writers) as pool:
            list(pool.map(write, [starts[k::writers] for k in range(writers)]))
    with store.session() as session:
        return str(session.execute_write(complete_run_tx, run.run_id, len(run.firms)))


def get_run(store: Store, run_id: str) -> dict[str, Any]:
    rows = store.read("ranking/get_ranking_run", run_id=run_id)
    if not rows:
        raise NotFound(f"no ranking run {run_id!r} (see `riskgraph runs`)")
    return _meta(rows[0])


def list_runs(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    return [_meta(r) for r in store.read("ranking/list_ranking_runs", limit=limit)]


def latest_run_id(store: Store) -> str:
    runs = [r for r in list_runs(store, 50) if r["status"] == "complete"]
    if not runs:
        raise NotFound("no complete ranking run yet: run `riskgraph rank` first")
    return str(runs[0]["run_id"])


def _meta(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    out["parameters"] = json.loads(row["parameters"] or "{}")
    return out


def run_assessments(store: Store, run_id: str) -> list[dict[str, Any]]:
    """A run's assessments in rank order (reasons decoded)."""
    get_run(store, run_id)
    rows = store.read("ranking/list_run_assessments", run_id=run_id)
    for r in rows:
        r["reasons"] = json.loads(r["reasons"] or "[]")
    return rows


def verify_run(store: Store, run_id: str) -> tuple[bool, str]:
    """Recompute a stored run's digest from its assessments: (matches, recomputed digest)."""
    meta = get_run(store, run_id)
    rows = run_assessments(store, run_id)
    digest = ranking_digest((r["uscc"], float(r["risk"]), r["tier"], int(r["rank"]))
                            for r in rows)
    return digest == meta["digest"], digest


def tier_history(store: Store, uscc: str) -> list[dict[str, Any]]:
    rows = store.read("ranking/list_tier_history", uscc=lookup_firm_id(uscc))
    for r in rows:
        r["reasons"] = json.loads(r["reasons"] or "[]")
    return rows
