"""An additive logistic model over binned features, whose contributions are exact.

Each feature is cut into at most ``max_bins`` bins (its distinct values when there are few,
else quantile edges), one-hot encoded, and an L2-penalised logistic regression is fitted on the
indicators. The model is additive in the features: the log-odds of a firm is

    base_value + sum_j contribution_j,   contribution_j = w_j[bin_j(x_j)] − E_train[w_j[bin_j]]

where ``base_value`` is the (weighted) training-average log-odds; a feature constant in training
gets weight 0 (it is left out of the fit). The decomposition is exact
(not an approximation like SHAP on a tree ensemble): contributions sum to the log-odds to
floating-point precision (tests/models/test_additive.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression

from riskgraph.models.risk.features.context import FloatArray


class BinnedAdditiveClassifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Logistic regression on per-feature bins (a piecewise-constant GAM).

    Parameters: ``max_bins`` per feature, ``C`` the inverse L2 strength, ``random_state``.
    Learned: ``edges_`` (bin edges per feature), ``offsets_`` (first column of each feature in
    the design), ``coef_`` / ``intercept_`` (logistic regression), ``means_`` (training mean of
    each feature's bin weight), ``n_features_in_``, ``classes_``.
    """

    def __init__(self, max_bins: int = 8, C: float = 0.3,  # noqa: N803 - sklearn's name
                 random_state: int | None = 0) -> None:
        self.max_bins = max_bins
        self.C = C
        self.random_state = random_state

    # ------------------------------------------------------------------ binning
    def _edges(self, col: FloatArray) -> FloatArray:
        uniq = np.unique(col)
        if len(uniq) <= self.max_bins:
            return (uniq[:-1] + uniq[1:]) / 2.0
        qs = np.quantile(col, np.linspace(0, 1, self.max_bins + 1)[1:-1])
        nonzero = col[col != 0]
        if len(nonzero) and (col == 0).mean() > 0.3:
            # many zeros: zero gets a bin of its own, the other values are cut by quantile
            inner = np.quantile(nonzero, np.linspace(0, 1, self.max_bins - 1)[1:-1])
            qs = np.r_[inner, -1e-12, 1e-12]
        return np.unique(qs)

    def _bins(self, x: FloatArray) -> npt.NDArray[np.int64]:
        """n × features: the design column of each row's bin of each feature."""
        cols = np.empty((x.shape[0], len(self.edges_)), dtype=np.int64)
        for j, edges in enumerate(self.edges_):
            cols[:, j] = self.offsets_[j] + np.searchsorted(edges, x[:, j], side="right")
        return cols

    def _design(self, x: FloatArray) -> sp.csr_matrix:
        n = x.shape[0]
        cols = self._bins(x)
        rows = np.repeat(np.arange(n), len(self.edges_))
        return sp.csr_matrix((np.ones(cols.size), (rows, cols.ravel())),
                             shape=(n, int(self.offsets_[-1])))

    # ------------------------------------------------------------------ estimator API
    def fit(self, X: Any, y: Any,  # noqa: N803 - sklearn's name
            sample_weight: Any = None) -> BinnedAdditiveClassifier:
        x = np.asarray(X, dtype=np.float64)
        target = np.asarray(y).astype(int)
        self.classes_ = np.array([0, 1])
        self.n_features_in_ = x.shape[1]
        self.edges_ = [self._edges(x[:, j]) for j in range(x.shape[1])]
        sizes = np.array([len(e) + 1 for e in self.edges_])
        self.offsets_ = np.r_[0, np.cumsum(sizes)]
        design = self._design(x)
        weight = (np.ones(len(target)) if sample_weight is None
                  else np.asarray(sample_weight, dtype=np.float64))
        weight = weight * len(weight) / weight.sum()
        # a feature constant in training (one bin) would only duplicate the intercept: it is
        # left out of the fit, its weight exactly 0, so it cannot perturb the other weights
        varying = np.repeat(sizes > 1, sizes)
        self.coef_ = np.zeros(int(self.offsets_[-1]))
        if varying.any():
            lr = LogisticRegression(C=self.C, max_iter=2000, random_state=self.random_state)
            lr.fit(design[:, np.nonzero(varying)[0]], target, sample_weight=weight)
            self.coef_[varying] = lr.coef_.ravel()
            self.intercept_ = float(lr.intercept_[0])
        else:  # nothing varies: the weighted base rate
            rate = float(np.clip((weight @ target) / weight.sum(), 1e-6, 1 - 1e-6))
            self.intercept_ = float(np.log(rate / (1.0 - rate)))
        per_feature = self._per_feature(x)
        self.means_ = (weight @ per_feature) / weight.sum()
        return self

    def _per_feature(self, x: FloatArray) -> FloatArray:
        """n × features: the weight of each row's bin of each feature."""
        return np.asarray(self.coef_[self._bins(x)], dtype=np.float64)

    @property
    def base_value_(self) -> float:
        """Training-average log-odds (what a firm gets before any contribution)."""
        return float(self.intercept_ + self.means_.sum())

    def contributions(self, X: Any) -> FloatArray:  # noqa: N803
        """n × features: each feature's additive contribution to the log-odds."""
        x = np.asarray(X, dtype=np.float64)
        return np.asarray(self._per_feature(x) - self.means_, dtype=np.float64)

    def decision_function(self, X: Any) -> FloatArray:  # noqa: N803
        x = np.asarray(X, dtype=np.float64)
        return np.asarray(self._design(x) @ self.coef_ + self.intercept_, dtype=np.float64)

    def predict_proba(self, X: Any) -> FloatArray:  # noqa: N803
        p = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return np.column_stack([1.0 - p, p])

    def predict(self, X: Any) -> npt.NDArray[np.int64]:  # noqa: N803
        return (self.decision_function(X) > 0).astype(np.int64)

    def bin_table(self, j: int) -> list[tuple[float, float, float]]:
        """Feature ``j``'s bins as (low, high, contribution relative to the mean)."""
        edges = np.r_[-np.inf, self.edges_[j], np.inf]
        w = self.coef_[self.offsets_[j]: self.offsets_[j + 1]] - self.means_[j]
        return [(float(edges[i]), float(edges[i + 1]), float(w[i])) for i in range(len(w))]
