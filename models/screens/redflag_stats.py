"""Order statistics exactly as Cardinal computes them (Rust ``statrs`` 0.16 ``Data``).

``statrs`` quantiles are Hyndman & Fan's type 8 (median-unbiased): ``h = (n + 1/3) tau + 1/3``,
interpolating between the ``floor(h)``-th and the next order statistic, with the minimum below
and the maximum above the range. Cardinal's fences use ``f64::mul_add`` (one rounding), which
:func:`fence` reproduces with exact rational arithmetic.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction

NAN = math.nan


def quantile(values: Iterable[float], tau: float) -> float:
    """statrs ``OrderStatistics::quantile``: NaN for no data or tau outside [0, 1]."""
    data = sorted(values, key=_total_order)
    n = len(data)
    if not 0.0 <= tau <= 1.0 or n == 0:
        return NAN
    h = (n + 1.0 / 3.0) * tau + 1.0 / 3.0
    hf = int(h)
    if hf <= 0 or tau == 0.0:
        return data[0]
    if hf >= n or math.isclose(tau, 1.0, rel_tol=0.0, abs_tol=2 * 2.220446049250313e-16):
        return data[-1]
    a, b = data[hf - 1], data[hf]
    return a + (h - hf) * (b - a)


def _total_order(value: float) -> tuple[bool, float]:
    """f64::total_cmp for the values met here: NaN after +inf (Python's < is not an order
    with NaN)."""
    return (math.isnan(value), 0.0 if math.isnan(value) else value)


def percentile(values: Iterable[float], p: int) -> float:
    return quantile(values, p / 100.0)


def quartiles(values: Iterable[float]) -> tuple[float, float]:
    """(q1, q3) of the values (NaN, NaN) when there are none."""
    data = list(values)
    return quantile(data, 0.25), quantile(data, 0.75)


def fence(q1: float, q3: float, factor: float, base: float) -> float:
    """``(q3 - q1).mul_add(factor, base)``: ``(q3 - q1) * factor + base``, rounded once."""
    iqr = q3 - q1
    if any(math.isnan(v) or math.isinf(v) for v in (iqr, factor, base)):
        return iqr * factor + base
    return float(Fraction(iqr) * Fraction(factor) + Fraction(base))


def lower_fence(values: Iterable[float]) -> tuple[float, float, float]:
    """(q1, q3, q1 - 1.5 IQR)."""
    q1, q3 = quartiles(values)
    return q1, q3, fence(q1, q3, -1.5, q1)


def upper_fence(values: Iterable[float]) -> tuple[float, float, float]:
    """(q1, q3, q3 + 1.5 IQR)."""
    q1, q3 = quartiles(values)
    return q1, q3, fence(q1, q3, 1.5, q3)
