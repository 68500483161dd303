"""Inference for :func:`evalkit.models.staggered_did`, as R ``did``.

The multiplier bootstrap, the simultaneous (sup-t) critical value of the confidence bands,
and the Wald pre-test of parallel trends.

Following R ``did``'s ``mboot``: Rademacher multipliers (±1 with equal probability, as
``BMisc::multiplier_bootstrap``) over units, bootstrap draws
sqrt(n)·mean(v·IF), scale = interquartile range / (q.75 − q.25 of N(0,1)) with R's type-1
(inverse-CDF) quantiles, and the critical value of a uniform band = the 1 − α quantile over
draws of max_k |draw_k / scale_k| (columns with zero variance, such as the reference period
of a universal base period, are left out, as R does).

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(1)
>>> inf = rng.normal(size=(400, 1))
>>> crit = sup_t_critical_value(inf, rademacher_multipliers(400, 2000, seed=2), alpha=0.05)
>>> 1.8 < crit < 2.15
True

"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

#: R's tolerance below which a standard error counts as zero (sqrt(.Machine$double.eps)*10).
ZERO_SE = float(np.sqrt(np.finfo(float).eps) * 10)

_IQR_NORMAL = float(stats.norm.ppf(0.75) - stats.norm.ppf(0.25))


def rademacher_multipliers(n_units: int, biters: int, seed: int | None) -> np.ndarray:
    """Rademacher multipliers (±1, each with probability 1/2), one row per bootstrap draw.

    R did's draws (``BMisc::multiplier_bootstrap``); with them the sup-t critical values
    agree with R's printed bands (moderndid draws Mammen weights instead, which give larger
    critical values on mpdta).
    """
    rng = np.random.default_rng(seed)
    return np.where(rng.uniform(size=(biters, n_units)) < 0.5, -1.0, 1.0)


def mammen_multipliers(n_units: int, biters: int, seed: int | None) -> np.ndarray:
    """Mammen's two-point multipliers (mean 0, variance 1), one row per bootstrap draw."""
    rng = np.random.default_rng(seed)
    root5 = np.sqrt(5.0)
    low, high = (1 - root5) / 2, (1 + root5) / 2
    p_low = (root5 + 1) / (2 * root5)
    return np.where(rng.uniform(size=(biters, n_units)) < p_low, low, high)


def bootstrap_draws(influence: np.ndarray, multipliers: np.ndarray) -> np.ndarray:
    """R's ``bres``: sqrt(n)·mean(v·IF) per draw and column (biters × k)."""
    n = influence.shape[0]
    return np.sqrt(n) * (multipliers @ influence) / n


def _bootstrap_scale(draws: np.ndarray) -> np.ndarray:
    q25, q75 = np.quantile(draws, [0.25, 0.75], axis=0, method="inverted_cdf")
    return (q75 - q25) / _IQR_NORMAL


def bootstrap_se(influence: np.ndarray, multipliers: np.ndarray) -> np.ndarray:
    """Multiplier-bootstrap standard errors of R did's ``mboot`` (one per column)."""
    return _bootstrap_scale(bootstrap_draws(influence, multipliers)) / np.sqrt(influence.shape[0])


def sup_t_critical_value(influence: np.ndarray, multipliers: np.ndarray,
                         alpha: float) -> float:
    """Critical value of R did's simultaneous 1 − α confidence band over the columns.

    NaN when no column has a non-zero bootstrap variance.
    """
    draws = bootstrap_draws(np.asarray(influence, dtype=float), multipliers)
    finite = np.isfinite(draws).all(axis=0) & ((draws**2).sum(axis=0) > ZERO_SE)
    if not finite.any():
        return float("nan")
    draws = draws[:, finite]
    scale = _bootstrap_scale(draws)
    usable = scale > ZERO_SE
    if not usable.any():
        return float("nan")
    t_max = np.abs(draws[:, usable] / scale[usable]).max(axis=1)
    return float(np.quantile(t_max, 1 - alpha, method="inverted_cdf"))


def wald_pretest(att: np.ndarray, influence: np.ndarray) -> pd.DataFrame:
    """Wald test that all pre-treatment ATT(g, t) are zero, as ``summary(att_gt)`` prints.

    W = n·a'V⁻¹a with V = IF'IF/n over the pre-treatment cells whose standard error is not
    zero; chi-squared with as many degrees of freedom as cells. NaN (df 0) when there is no
    such cell or V is singular, where R prints no p-value.

    With q cells and n units, V is estimated from n influence-function rows, and the chi²
    reference rejects far too often when q is not small against n (about 90% at 5% with
    q = 20, n = 30 and normal influence functions). ``p_value_f`` is Hotelling's exact
    small-sample version for normal rows: with centred rows V = (n−1)/n·S, so Hotelling's
    T² = n·a'S⁻¹a = (n−1)/n·W and (n−q)/(q(n−1))·T² = (n−q)/(q·n)·W ~ F(q, n−q)
    (Hotelling 1931; NaN when n ≤ q). R does not print it; ``statistic``, ``df`` and
    ``p_value`` are R's.

    Returns
    -------
    pandas.DataFrame
        One row: ``statistic``, ``df``, ``p_value``, ``n_units``, ``f_statistic``,
        ``df_denominator`` (n − q), ``p_value_f``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> rows = rng.normal(size=(30, 20))
    >>> test = wald_pretest(rows.mean(axis=0), rows - rows.mean(axis=0)).iloc[0]
    >>> int(test["df"]), int(test["df_denominator"])
    (20, 10)
    >>> bool(np.isclose(test["f_statistic"], 10 / (20 * 30) * test["statistic"]))
    True

    """
    n = influence.shape[0]
    variance = influence.T @ influence / n
    se = np.sqrt(np.diag(variance) / n) if len(att) else np.array([])
    keep = np.isfinite(att) & (se > ZERO_SE)
    a, v = att[keep], variance[np.ix_(keep, keep)]
    q = int(keep.sum())
    row = {"statistic": np.nan, "df": q, "p_value": np.nan, "n_units": n,
           "f_statistic": np.nan, "df_denominator": n - q, "p_value_f": np.nan}
    if keep.any() and 1 / np.linalg.cond(v, 1) > np.finfo(float).eps:
        statistic = float(n * a @ np.linalg.solve(v, a))
        row.update(statistic=statistic, p_value=float(stats.chi2.sf(statistic, q)))
        if n > q:
            f_statistic = (n - q) / (q * n) * statistic
            row.update(f_statistic=f_statistic,
                       p_value_f=float(stats.f.sf(f_statistic, q, n - q)))
    return pd.DataFrame([row])


__all__ = ["ZERO_SE", "bootstrap_draws", "bootstrap_se", "mammen_multipliers",
           "rademacher_multipliers",
           "sup_t_critical_value", "wald_pretest"]
