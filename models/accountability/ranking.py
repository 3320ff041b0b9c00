"""Ranking runs: every active firm scored, tiered and ranked, stored with what made the ranking.

A run is reproducible: it records the model version, the hash of the data snapshot, the
parameters (as-of date, tier cut-offs) and the code version, and its **digest** — a SHA-256 over
``uscc|risk|tier|rank`` lines in rank order — lets anyone recompute the ranking from the same
inputs and compare (``riskgraph rank --verify RUN`` recomputes it from the stored assessments).
Ties in risk are broken by USCC, so the order never depends on how the graph returned rows.

Storage (graph/store/runs.py, with the run record types): ``(:RankingRun)`` with one
``(:Company)-[:HAS_ASSESSMENT]->(:RiskAssessment)
-[:IN_RUN]->(:RankingRun)`` per firm, carrying risk, tier, rank and the top reasons. Runs are
never overwritten: a firm's tier history is the list of its assessments.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from riskgraph.graph.config import PROJECT_ROOT
from riskgraph.graph.store import Store
from riskgraph.graph.store.runs import RankedFirm, RankingRun, ranking_digest, save_run
from riskgraph.models.risk.plain_values import reason_text
from riskgraph.models.risk.scoring import Scores, finite, score_all

TOP_REASONS = 3
MIN_REASON = 0.02
"""Contributions (log-odds) below this are not reasons (as in models/risk/explain.py)."""


def _reasons(sc: Scores, i: int, top: int) -> list[dict[str, Any]]:
    contrib = sc.contributions[i]
    out: list[dict[str, Any]] = []
    for j in np.argsort(-contrib, kind="stable")[:top]:
        if contrib[j] < MIN_REASON:
            break
        name = sc.model_features[j]
        value = float(sc.features.values[i, sc.features.names.index(name)])
        text = (reason_text(name, value) if not name.startswith("user_")
                else f"User feature {name}")
        out.append({"feature": name, "contribution": round(float(contrib[j]), 6),
                    "value": value, "text": text})
    return out


REASON_CHUNK = 65_536
"""Rows whose reasons are drawn at once (bounds the copy of their contributions)."""


def reasons_of_rows(sc: Scores, rows: npt.NDArray[np.int64], top: int
                    ) -> Iterator[list[dict[str, Any]]]:
    """``_reasons(sc, i, top)`` for each ``i`` of ``rows``, in order, drawn chunk by chunk
    with one sort per chunk (a row's stable sort is the one ``_reasons`` does)."""
    names = sc.model_features
    column = np.array([sc.features.names.index(n) for n in names], dtype=np.int64)
    headline: dict[str, str] = {}
    for start in range(0, len(rows), REASON_CHUNK):
        part = rows[start:start + REASON_CHUNK]
        contrib = sc.contributions[part]
        order = np.argsort(-contrib, axis=1, kind="stable")[:, :top]
        best = np.take_along_axis(contrib, order, axis=1).tolist()
        values = sc.features.values[part[:, None], column[order]].tolist()
        for js, cs, vs in zip(order.tolist(), best, values, strict=True):
            out: list[dict[str, Any]] = []
            for j, c, v in zip(js, cs, vs, strict=True):
                if c < MIN_REASON:
                    break
                name = names[j]
                if name.startswith("user_"):
                    text = f"User feature {name}"
                elif v != 0.0:  # the headline does not depend on the value
                    text = headline.get(name) or headline.setdefault(name, reason_text(name, v))
                else:
                    text = reason_text(name, v)
                out.append({"feature": name, "contribution": round(c, 6), "value": v,
                            "text": text})
            yield out


def rank_rows(uscc: npt.NDArray[np.object_], alive: npt.NDArray[np.bool_],
              risk: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Rows of the alive firms by descending risk, ties by ascending USCC (code-point order,
    as Python compares strings; a stable sort, so equal keys keep row order)."""
    rows = np.nonzero(alive)[0]
    keys = np.asarray(uscc[rows]).astype(str)
    return rows[np.lexsort((keys, -np.asarray(risk[rows], dtype=np.float64)))]


def rank_order(sc: Scores) -> npt.NDArray[np.int64]:
    """:func:`rank_rows` of a scoring."""
    return rank_rows(sc.uscc, sc.alive, sc.risk)


def rank_scores(sc: Scores, top_reasons: int = TOP_REASONS) -> list[RankedFirm]:
    """Alive firms by descending risk (ties: ascending USCC), ranks from 1."""
    order = rank_order(sc)
    risk, serious = sc.risk[order].tolist(), sc.serious_risk[order].tolist()
    uscc, tier = sc.uscc[order].tolist(), sc.tier[order].tolist()
    reasons = reasons_of_rows(sc, order, top_reasons)
    return [RankedFirm(uscc=str(uscc[k]), risk=risk[k], serious_risk=finite(serious[k]),
                       tier=str(tier[k]), rank=k + 1, reasons=next(reasons))
            for k in range(len(order))]


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


def create_run(store: Store, *, as_of: dt.date | None = None, version: str | None = None,
               cutoffs: dict[str, float] | None = None, actor: str = "cli",
               reason: str = "", home: Path | None = None) -> RankingRun:
    """Score every firm with the model in ``home`` (default: the settings'), rank, store."""
    sc = score_all(store, as_of, version, home, cutoffs=cutoffs)
    run = build_run(sc, run_parameters(sc, reason))
    save_run(store, run, actor)
    return run


def run_parameters(sc: Scores, reason: str = "") -> dict[str, Any]:
    """The parameters a run of ``sc`` stores (and its digest is reproduced from)."""
    params: dict[str, Any] = {"as_of": sc.as_of.isoformat(), "model_version": sc.version,
                              "tier_cutoffs": sc.cutoffs, "top_reasons": TOP_REASONS}
    if reason:
        params["reason"] = reason
    return params


def reasons_of(firms: Sequence[RankedFirm], uscc: str) -> RankedFirm | None:
    return next((f for f in firms if f.uscc == uscc), None)
