"""Learning from confirmed cases: screens + graph features → a random forest, evaluated under
grouped cross-validation (docs/screens-cartels.md).

Features come from a :class:`CartelReport` (computed without labels):

* **price** (per tender): the price screens of models/screens/price_screens.py, the number of
  bids, whether the tender has a floor / reserve price, and the unsupervised price score;
* **graph** (per tender): the best co-bidding group's score, rotation, phantom share, cover
  share, size and group tenders; the strongest pair among the bidders (shared tenders, rotation,
  phantom share); bidders that never won; the winner's bids and win rate; linked competing
  bidders (people / ownership) and blacklisted parties — zero on bid-only data.

Firm features aggregate the price features over the firm's tenders (mean), plus its bids, win
rate and its best group / pair / link / blacklist values.

Cross-validation (5 folds, :class:`sklearn.model_selection.GroupKFold`, no shuffling):

* **grouped by firm**: a tender goes to the fold of its winner's co-bidding group (the firm
  itself when it has none); a firm to the fold of its group. All tenders won by one cartel, and
  all its members, are in one fold, so a model never sees a test cartel in training;
* **grouped by time**: five consecutive blocks of publication dates (a firm: the block of the
  median date of its bids). Blocked, not forward-chaining: a fold may train on later blocks.

Precision, recall and F1 are at probability 0.5 (out-of-fold); ROC AUC over the out-of-fold
probabilities. The forest: 100 trees, min 3 samples per leaf, balanced class weights, seed 0,
one job; rows in sorted id order, so every run gives the same numbers.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score
from sklearn.model_selection import GroupKFold

from riskgraph.graph.errors import BadInput
from riskgraph.models.screens.cartel_labels import Labels
from riskgraph.models.screens.cartels import CartelReport
from riskgraph.models.screens.cobidding import Tender, tenders_by_firm

PRICE = ("bids", "cv", "spread", "kurtosis", "skewness", "diffp", "rd", "lowest_to_reserve",
         "lowest_to_estimate", "mean_to_estimate", "above_floor")
PRICE_FEATURES = (*PRICE, "has_floor", "price_score")
GRAPH_FEATURES = ("group_score", "group_rotation", "group_phantom", "group_cover",
                  "group_size", "group_tenders", "pair_shared", "pair_rotation",
                  "pair_phantom", "never_won_share", "winner_bids", "winner_win_rate",
                  "linked", "blacklisted")
FIRM_PRICE = tuple(f"mean_{f}" for f in PRICE_FEATURES)
FIRM_GRAPH = ("bids_total", "win_rate", "never_won", "group_score", "group_rotation",
              "group_phantom", "group_cover", "group_size", "pair_shared", "pair_rotation",
              "pair_phantom", "linked", "blacklisted", "mean_tender_score")
FOLDS = 5
CUT = 0.5


@dataclass
class Matrix:
    ids: list[str]
    names: tuple[str, ...]
    x: np.ndarray
    firm_group: list[str]
    time_group: list[int]


def _nan(v: float | None) -> float:
    return math.nan if v is None else float(v)


def _blocks(dates: Sequence[str]) -> list[int]:
    """Five consecutive blocks of (sorted) dates, as equal in size as possible."""
    order = sorted(range(len(dates)), key=lambda i: (dates[i], i))
    out = [0] * len(dates)
    for rank, i in enumerate(order):
        out[i] = min(FOLDS - 1, rank * FOLDS // max(1, len(dates)))
    return out


def _context(report: CartelReport, tenders: dict[str, Tender]) -> dict[str, Any]:
    by_firm = tenders_by_firm(tenders)
    wins: dict[str, int] = defaultdict(int)
    for t in tenders.values():
        if (w := t.winner) is not None:
            for f in w.firms:
                wins[f] += 1
    group_of: dict[str, Any] = {}
    for g in report.groups:  # best first
        for m in g.stats.members:
            group_of.setdefault(m, g)
    pair_of: dict[str, list[Any]] = defaultdict(list)
    for p in report.pairs:
        pair_of[p.a].append(p)
        pair_of[p.b].append(p)
    linked = {f for link in report.linked_bidders for f in (link["a"], link["b"])}
    black = {str(b["uscc"]) for b in report.blacklisted_bids}
    return {"by_firm": by_firm, "wins": wins, "group_of": group_of, "pair_of": pair_of,
            "linked": linked, "black": black}


def tender_matrix(report: CartelReport, tenders: dict[str, Tender]) -> Matrix:
    """One row per scored tender (sorted by id): price then graph features."""
    ctx = _context(report, tenders)
    groups = {g.group_id: g for g in report.groups}
    rows, ids, fgroup, dates = [], [], [], []
    for ts in report.tenders:
        t = tenders[ts.tender_id]
        s = ts.price.screens
        price = [_nan(s.get(k)) for k in PRICE] + [float(t.floor is not None),
                                                   _nan(ts.price.score)]
        g = groups.get(ts.group_id or "")
        bidders = set(t.bid_of)
        pairs = [p for f in sorted(bidders) for p in ctx["pair_of"].get(f, [])
                 if p.a in bidders and p.b in bidders]
        win = t.winner
        wfirm = win.firms[0] if win else (t.bids[0].firms[0] if t.bids else "")
        wbids = len(ctx["by_firm"].get(wfirm, []))
        graph = [ts.group_score,
                 g.rotation if g else 0.0, g.phantom if g else 0.0,
                 _nan(g.cover) if g else 0.0,
                 float(len(g.stats.members)) if g else 0.0,
                 float(len(g.stats.tenders)) if g else 0.0,
                 float(max((p.shared for p in pairs), default=0)),
                 max((p.rotation for p in pairs), default=0.0),
                 max((p.phantom for p in pairs), default=0.0),
                 sum(ctx["wins"].get(f, 0) == 0 for f in bidders) / max(1, len(bidders)),
                 float(wbids), ctx["wins"].get(wfirm, 0) / max(1, wbids),
                 float(ts.linked), float(ts.blacklisted)]
        rows.append(price + graph)
        ids.append(ts.tender_id)
        home = ctx["group_of"].get(wfirm)
        fgroup.append(home.group_id if home else f"firm:{wfirm}")
        dates.append(t.published_on)
    return Matrix(ids, (*PRICE_FEATURES, *GRAPH_FEATURES),
                  np.array(rows, dtype=np.float64).reshape(len(rows), -1), fgroup,
                  _blocks(dates))


def firm_matrix(report: CartelReport, tenders: dict[str, Tender], tm: Matrix) -> Matrix:
    """One row per bidding firm (sorted): mean tender price features, then graph features."""
    ctx = _context(report, tenders)
    row_of = {tid: i for i, tid in enumerate(tm.ids)}
    n_price = len(PRICE_FEATURES)
    tscore = {t.tender_id: t.score for t in report.tenders}
    rows, ids, fgroup, dates = [], [], [], []
    for firm in sorted(ctx["by_firm"]):
        ts = ctx["by_firm"][firm]
        idx = [row_of[t.tender_id] for t in ts if t.tender_id in row_of]
        block = tm.x[idx, :n_price] if idx else np.full((1, n_price), np.nan)
        with np.errstate(all="ignore"):
            means = [float(np.nanmean(c)) if np.isfinite(c).any() else math.nan
                     for c in block.T]
        g = ctx["group_of"].get(firm)
        pairs = ctx["pair_of"].get(firm, [])
        n, w = len(ts), ctx["wins"].get(firm, 0)
        graph = [float(n), w / max(1, n), float(w == 0),
                 g.score if g else 0.0, g.rotation if g else 0.0, g.phantom if g else 0.0,
                 _nan(g.cover) if g else 0.0, float(len(g.stats.members)) if g else 0.0,
                 float(max((p.shared for p in pairs), default=0)),
                 max((p.rotation for p in pairs), default=0.0),
                 max((p.phantom for p in pairs), default=0.0),
                 float(firm in ctx["linked"]), float(firm in ctx["black"]),
                 sum(tscore.get(t.tender_id, 0.0) for t in ts) / max(1, n)]
        rows.append(means + graph)
        ids.append(firm)
        fgroup.append(g.group_id if g else f"firm:{firm}")
        dates.append(sorted(t.published_on for t in ts)[len(ts) // 2])
    return Matrix(ids, (*FIRM_PRICE, *FIRM_GRAPH),
                  np.array(rows, dtype=np.float64).reshape(len(rows), -1), fgroup,
                  _blocks(dates))


def targets(labels: Labels, tm: Matrix, fm: Matrix, tenders: dict[str, Tender]
            ) -> tuple[np.ndarray, np.ndarray | None]:
    """0/1 per tender row and per firm row (None: the file labels no firm)."""
    firm_y = None
    if labels.firms:
        firm_y = np.array([labels.firms.get(f, 0) for f in fm.ids], dtype=np.int64)
    if labels.tenders:
        tender_y = np.array([labels.tenders.get(t, 0) for t in tm.ids], dtype=np.int64)
    else:
        bad = {f for f, v in labels.firms.items() if v}
        tender_y = np.array([int(len({id(b) for f, b in tenders[t].bid_of.items()
                                      if f in bad}) >= 2) for t in tm.ids], dtype=np.int64)
    return tender_y, firm_y


def forest() -> RandomForestClassifier:
    return RandomForestClassifier(n_estimators=100, min_samples_leaf=3, random_state=0,
                                  class_weight="balanced_subsample", n_jobs=1)


def _columns(m: Matrix, names: Sequence[str]) -> np.ndarray:
    return m.x[:, [m.names.index(n) for n in names]]


def out_of_fold(x: np.ndarray, y: np.ndarray, groups: Sequence[object]) -> np.ndarray:
    """Out-of-fold probabilities of class 1 under GroupKFold (base rate where a training fold
    has one class)."""
    n_groups = len(set(groups))
    if n_groups < 2:
        raise BadInput("grouped cross-validation needs at least two groups")
    proba = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=min(FOLDS, n_groups)).split(x, y, list(groups)):
        if len(set(y[train].tolist())) < 2:
            proba[test] = float(y[train].mean())
            continue
        model = forest().fit(x[train], y[train])
        proba[test] = model.predict_proba(x[test])[:, 1]
    return proba


def metrics(y: np.ndarray, score: np.ndarray, cut: float) -> dict[str, Any]:
    """Precision, recall, F1 at ``score >= cut``, ROC AUC of ``score``, counts."""
    pred = (score >= cut).astype(np.int64)
    auc = float(roc_auc_score(y, score)) if len(set(y.tolist())) == 2 else None
    return {"precision": round(float(precision_score(y, pred, zero_division=1.0)), 4),
            "recall": round(float(recall_score(y, pred, zero_division=0.0)), 4),
            "f1": round(float(f1_score(y, pred, zero_division=0.0)), 4),
            "roc_auc": None if auc is None else round(auc, 4),
            "positives": int(y.sum()), "rows": len(y), "flagged": int(pred.sum())}


def _check(y: np.ndarray, level: str) -> None:
    if y.sum() < 2 or y.sum() == len(y):
        raise BadInput(f"the labels give {int(y.sum())} rigged {level}(s) of {len(y)} matched; "
                       "a model needs at least two of each class")


def evaluate(report: CartelReport, tenders: dict[str, Tender], labels: Labels
             ) -> dict[str, Any]:
    """Unsupervised screen, price screens alone and the full model, tender and firm level,
    under firm- and time-grouped cross-validation."""
    tm = tender_matrix(report, tenders)
    fm = firm_matrix(report, tenders, tm)
    ty, fy = targets(labels, tm, fm, tenders)
    _check(ty, "tender")
    unsup_t = np.array([t.score for t in report.tenders])
    out: dict[str, Any] = {
        "labels": labels.source, "folds": FOLDS, "cut": CUT,
        "unmatched_labels": {
            "tender": sorted(set(labels.tenders) - set(tm.ids))[:20],
            "tender_count": len(set(labels.tenders) - set(tm.ids)),
            "firm": sorted(set(labels.firms) - set(fm.ids))[:20],
            "firm_count": len(set(labels.firms) - set(fm.ids))},
        "tender": {"unsupervised": metrics(ty, unsup_t, report.config.threshold)},
        "firm": {},
    }
    for grouping, groups in (("grouped_by_firm", tm.firm_group),
                             ("grouped_by_time", tm.time_group)):
        out["tender"][f"price_screens_{grouping}"] = metrics(
            ty, out_of_fold(_columns(tm, PRICE_FEATURES), ty, groups), CUT)
        out["tender"][f"model_{grouping}"] = metrics(ty, out_of_fold(tm.x, ty, groups), CUT)
    if fy is not None:
        _check(fy, "firm")
        unsup_f = np.array([report.firms.get(f, 0.0) for f in fm.ids])
        out["firm"]["unsupervised"] = metrics(fy, unsup_f, report.config.threshold)
        for grouping, groups in (("grouped_by_firm", fm.firm_group),
                                 ("grouped_by_time", fm.time_group)):
            out["firm"][f"price_screens_{grouping}"] = metrics(
                fy, out_of_fold(_columns(fm, FIRM_PRICE), fy, groups), CUT)
            out["firm"][f"model_{grouping}"] = metrics(fy, out_of_fold(fm.x, fy, groups), CUT)
    return out


def model_scores(report: CartelReport, tenders: dict[str, Tender], labels: Labels
                 ) -> dict[str, Any]:
    """Out-of-fold (firm-grouped) model probabilities for every tender and firm: a labelled
    row is scored by a model that never saw its cartel; the others as by any fold's model."""
    tm = tender_matrix(report, tenders)
    fm = firm_matrix(report, tenders, tm)
    ty, fy = targets(labels, tm, fm, tenders)
    _check(ty, "tender")
    out: dict[str, Any] = {"labels": labels.source, "cut": CUT,
                           "features": {"tender": list(tm.names), "firm": list(fm.names)}}
    tp = out_of_fold(tm.x, ty, tm.firm_group)
    out["tenders"] = {tid: round(float(p), 4) for tid, p in zip(tm.ids, tp, strict=True)}
    if fy is not None:
        _check(fy, "firm")
        fp = out_of_fold(fm.x, fy, fm.firm_group)
        out["firms"] = {f: round(float(p), 4) for f, p in zip(fm.ids, fp, strict=True)}
    importances = forest().fit(tm.x, ty).feature_importances_
    out["tender_feature_importance"] = {
        n: round(float(v), 4) for n, v in sorted(zip(tm.names, importances, strict=True),
                                                 key=lambda kv: -kv[1])}
    return out
