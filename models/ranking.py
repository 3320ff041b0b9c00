"""Ranking runs: every active firm scored, tiered and ranked, stored with what made the ranking.

A run is reproducible: it records the model version, the hash of the data snapshot, the
parameters (as-of date, tier cut-offs) and the code version, and its **digest** — a SHA-256 over
``uscc|risk|tier|rank`` lines in rank order — lets anyone recompute the ranking from the same
inputs and compare (``riskgraph rank --verify RUN`` recomputes it from the stored assessments).
Ties in risk are broken by USCC, so the order never depends on how the graph returned rows.

Storage: ``(:RankingRun)`` with one ``(:Company)-[:HAS_ASSESSMENT]->(:RiskAssessment)
-[:IN_RUN]->(:RankingRun)`` per firm, carrying risk, tier, rank and the top reasons. Runs are
never overwritten: a firm's tier history is the list of its assessments.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
from neo4j import Driver, ManagedTransaction

from riskgraph.graph.audit_trail import append_event
from riskgraph.graph.config import PROJECT_ROOT, get_settings
from riskgraph.graph.driver import read, run_tx
from riskgraph.graph.errors import NotFound
from riskgraph.graph.identifiers import lookup_firm_id
from riskgraph.models.features import get
from riskgraph.models.scoring import Scores, finite, score_all

TOP_REASONS = 3
MIN_REASON = 0.02
"""Contributions (log-odds) below this are not reasons (as in models/explain.py)."""
BATCH = 5_000


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
class RankingRun:
    run_id: str
    created_at: str
    as_of: str
    model_version: str
    data_snapshot_sha256: str
    code_version: str
    parameters: dict[str, Any]
    digest: str
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


def _reasons(sc: Scores, i: int, top: int) -> list[dict[str, Any]]:
    contrib = sc.contributions[i]
    out: list[dict[str, Any]] = []
    for j in np.argsort(-contrib, kind="stable")[:top]:
        if contrib[j] < MIN_REASON:
            break
        name = sc.model_features[j]
        text = get(name).reason if not name.startswith("user_") else f"User feature {name}"
        value = float(sc.features.values[i, sc.features.names.index(name)])
        out.append({"feature": name, "contribution": round(float(contrib[j]), 6),
                    "value": value, "text": text})
    return out


def rank_scores(sc: Scores, top_reasons: int = TOP_REASONS) -> list[RankedFirm]:
    """Alive firms by descending risk (ties: ascending USCC), ranks from 1."""
    alive = np.nonzero(sc.alive)[0]
    order = sorted(alive.tolist(), key=lambda i: (-float(sc.risk[i]), str(sc.uscc[i])))
    return [RankedFirm(uscc=str(sc.uscc[i]), risk=float(sc.risk[i]),
                       serious_risk=finite(sc.serious_risk[i]), tier=str(sc.tier[i]),
                       rank=r, reasons=_reasons(sc, i, top_reasons))
            for r, i in enumerate(order, start=1)]


def ranking_digest(rows: Iterable[tuple[str, float, str, int]]) -> str:
    """SHA-256 over ``uscc|risk|tier|rank`` lines (risk to 12 significant digits), in order."""
    h = hashlib.sha256()
    for uscc, risk, tier, rank in rows:
        h.update(f"{uscc}|{risk:.12g}|{tier}|{rank}\n".encode())
    return h.hexdigest()


def code_version() -> str:
    """The git commit of the checkout (``+dirty`` with uncommitted changes), else the package
    version."""
    try:
        if not (PROJECT_ROOT / ".git").exists():  # an installed wheel: no commit to name
            raise OSError("not a checkout")
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, check=True,
                              capture_output=True, text=True, timeout=5).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=PROJECT_ROOT, check=True, capture_output=True, text=True,
                               timeout=5).stdout.strip()
        return head + ("+dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return f"riskgraph {metadata.version('riskgraph')}"


def build_run(sc: Scores, parameters: dict[str, Any], now: dt.datetime | None = None,
              top_reasons: int = TOP_REASONS) -> RankingRun:
    """Rank ``sc`` into a run (not yet stored)."""
    firms = rank_scores(sc, top_reasons)
    digest = ranking_digest((f.uscc, f.risk, f.tier, f.rank) for f in firms)
    created = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    run_id = f"run-{created:%Y%m%dT%H%M%S%fZ}-{digest[:8]}"
    return RankingRun(run_id=run_id, created_at=created.isoformat(), as_of=sc.as_of.isoformat(),
                      model_version=sc.version, data_snapshot_sha256=sc.data_snapshot_sha256,
                      code_version=code_version(), parameters=parameters, digest=digest,
                      firms=firms)


def store_run(driver: Driver, run: RankingRun, actor: str, database: str | None = None) -> str:
    """Write the run, its assessments (in batches) and an audit event; return its status."""
    db = database or get_settings().neo4j_database
    meta = {k: v for k, v in run.summary().items() if k not in ("firm_count", "tiers")}
    meta["parameters"] = json.dumps(run.parameters, sort_keys=True)

    def open_run(tx: ManagedTransaction) -> None:
        run_tx(tx, "ranking/create_ranking_run", **meta, firms=len(run.firms))
        append_event(tx, actor=actor, action="ranking_run.created", subject_type="RankingRun",
                     subject_id=run.run_id, after=run.summary(),
                     reason=str(run.parameters.get("reason", "")))

    with driver.session(database=db) as session:
        session.execute_write(open_run)
        for start in range(0, len(run.firms), BATCH):
            rows = [{"uscc": f.uscc, "risk": f.risk, "serious_risk": f.serious_risk,
                     "tier": f.tier, "rank": f.rank,
                     "reasons": json.dumps(f.reasons, ensure_ascii=False)}
                    for f in run.firms[start:start + BATCH]]
            session.execute_write(lambda tx, r=rows: run_tx(  # type: ignore[misc]
                tx, "ranking/create_risk_assessments", run_id=run.run_id, rows=r))
        done = session.execute_write(lambda tx: run_tx(
            tx, "ranking/complete_ranking_run", run_id=run.run_id, firms=len(run.firms)))
    return str(done[0]["status"])


def create_run(driver: Driver, *, as_of: dt.date | None = None, version: str | None = None,
               cutoffs: dict[str, float] | None = None, actor: str = "cli",
               reason: str = "", database: str | None = None,
               home: Path | None = None) -> RankingRun:
    """Score every firm with the model in ``home`` (default: the settings'), rank, store."""
    sc = score_all(driver, as_of, version, home, database=database, cutoffs=cutoffs)
    run = build_run(sc, run_parameters(sc, reason))
    store_run(driver, run, actor, database)
    return run


def run_parameters(sc: Scores, reason: str = "") -> dict[str, Any]:
    """The parameters a run of ``sc`` stores (and its digest is reproduced from)."""
    params: dict[str, Any] = {"as_of": sc.as_of.isoformat(), "model_version": sc.version,
                              "tier_cutoffs": sc.cutoffs, "top_reasons": TOP_REASONS}
    if reason:
        params["reason"] = reason
    return params


# ---------------------------------------------------------------------------------------------
# Reading runs back
# ---------------------------------------------------------------------------------------------


def get_run(driver: Driver, run_id: str, database: str | None = None) -> dict[str, Any]:
    rows = read(driver, "ranking/get_ranking_run", database, run_id=run_id)
    if not rows:
        raise NotFound(f"no ranking run {run_id!r} (see `riskgraph runs`)")
    return _meta(rows[0])


def latest_run_id(driver: Driver, database: str | None = None) -> str:
    runs = [r for r in list_runs(driver, database, 50) if r["status"] == "complete"]
    if not runs:
        raise NotFound("no complete ranking run yet: run `riskgraph rank` first")
    return str(runs[0]["run_id"])


def list_runs(driver: Driver, database: str | None = None, limit: int = 20
              ) -> list[dict[str, Any]]:
    return [_meta(r) for r in read(driver, "ranking/list_ranking_runs", database, limit=limit)]


def _meta(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    out["parameters"] = json.loads(row["parameters"] or "{}")
    return out


def run_assessments(driver: Driver, run_id: str, database: str | None = None
                    ) -> list[dict[str, Any]]:
    """A run's assessments in rank order (reasons decoded)."""
    get_run(driver, run_id, database)
    rows = read(driver, "ranking/list_run_assessments", database, run_id=run_id)
    for r in rows:
        r["reasons"] = json.loads(r["reasons"] or "[]")
    return rows


def verify_run(driver: Driver, run_id: str, database: str | None = None) -> tuple[bool, str]:
    """Recompute a stored run's digest from its assessments: (matches, recomputed digest)."""
    meta = get_run(driver, run_id, database)
    rows = run_assessments(driver, run_id, database)
    digest = ranking_digest((r["uscc"], float(r["risk"]), r["tier"], int(r["rank"]))
                            for r in rows)
    return digest == meta["digest"], digest


def tier_history(driver: Driver, uscc: str, database: str | None = None
                 ) -> list[dict[str, Any]]:
    rows = read(driver, "ranking/list_tier_history", database, uscc=lookup_firm_id(uscc))
    for r in rows:
        r["reasons"] = json.loads(r["reasons"] or "[]")
    return rows


def reasons_of(firms: Sequence[RankedFirm], uscc: str) -> RankedFirm | None:
    return next((f for f in firms if f.uscc == uscc), None)
