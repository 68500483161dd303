"""Minimum detectable effect for the next evaluation round (clustered design).

The service-quality training is rolled out to whole units, so respondents within a unit are
correlated and the effective sample is smaller than the number of survey answers. The MDE
follows Bloom (1995, 2005) for a cluster-level treatment:

    MDE = (z_{1-α/2} + z_{power}) · σ · sqrt( DEFF · (1 − R²) / (P (1 − P) · J · T · m) )

with J units, T quarters, m respondents per unit and quarter, P the share of units
treated, σ the respondent-level standard deviation of the IKM, and the design effect
DEFF = 1 + (T·m − 1)·ICC of clusters of T·m answers. ``r2`` is the share of variance
explained by covariates or fixed effects (0 is conservative).

Examples
--------
>>> round(mde_ikm(n_units=30, n_periods=4, n_respondents=100, icc=0.05, sd=10.0), 2)
2.34

"""

from __future__ import annotations

import numpy as np
from scipy import stats


def mde_ikm(n_units: int, n_periods: int, n_respondents: int, icc: float, sd: float,
            share_treated: float = 0.5, alpha: float = 0.05, power: float = 0.8,
            r2: float = 0.0) -> float:
    """Minimum detectable effect on IKM points (two-sided test).

    Parameters
    ----------
    n_units : int
        Units (perangkat daerah) in the evaluation.
    n_periods : int
        Quarters surveyed per unit.
    n_respondents : int
        Survey answers per unit and quarter.
    icc : float
        Intra-unit correlation of respondents' IKM (0–1).
    sd : float
        Standard deviation of a respondent's IKM (0–100 scale).
    share_treated : float, default 0.5
        Share of units reached by the training.
    alpha, power : float
        Test size and power.
    r2 : float, default 0
        Variance share explained by covariates/fixed effects.

    Returns
    -------
    float
        The smallest true effect (IKM points) detected with the given power.

    Examples
    --------
    See the module docstring.

    """
    for name, value in {"icc": icc, "share_treated": share_treated, "r2": r2}.items():
        if not 0 <= value < 1 or (name == "share_treated" and value == 0):
            raise ValueError(f"{name}={value} must lie in (0, 1) (icc and r2 may be 0).")
    if min(n_units, n_periods, n_respondents) < 1 or sd <= 0:
        raise ValueError("n_units, n_periods, n_respondents must be ≥ 1 and sd > 0.")
    cluster_size = n_periods * n_respondents
    deff = 1 + (cluster_size - 1) * icc
    multiplier = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    variance = deff * (1 - r2) / (share_treated * (1 - share_treated) * n_units * cluster_size)
    return float(multiplier * sd * np.sqrt(variance))


def icc_oneway(values, groups) -> float:
    """Intra-class correlation from a one-way ANOVA (ICC(1), unequal group sizes).

    ICC = (MSB − MSW) / (MSB + (n₀ − 1)·MSW) with n₀ = (N − Σnᵢ²/N)/(k − 1) (Donner 1986),
    truncated at 0. Used to plan the next round from this round's respondents.

    Examples
    --------
    >>> round(icc_oneway([1, 2, 3, 7, 8, 9], [0, 0, 0, 1, 1, 1]), 3)
    0.946

    """
    import pandas as pd

    frame = pd.DataFrame({"v": np.asarray(values, dtype=float), "g": np.asarray(groups)})
    frame = frame.dropna()
    stats_g = frame.groupby("g")["v"].agg(["count", "mean"])
    n_total, k = len(frame), len(stats_g)
    if k < 2:
        raise ValueError("icc_oneway needs at least two groups.")
    grand = frame["v"].mean()
    ssb = float((stats_g["count"] * (stats_g["mean"] - grand) ** 2).sum())
    ssw = float(((frame["v"] - frame["g"].map(stats_g["mean"])) ** 2).sum())
    msb, msw = ssb / (k - 1), ssw / (n_total - k)
    n0 = (n_total - float((stats_g["count"] ** 2).sum()) / n_total) / (k - 1)
    return float(max((msb - msw) / (msb + (n0 - 1) * msw), 0.0))


def respondent_ikm(skm, items=tuple(f"u{k}" for k in range(1, 10))):
    """Each respondent's IKM on the 25–100 scale: the mean of their answered items × 25.

    Blank answers are left out of the mean (as in the element averages).

    Examples
    --------
    >>> import pandas as pd
    >>> skm = pd.DataFrame({f"u{k}": [4, 2] for k in range(1, 10)}).astype("Int8")
    >>> skm.loc[1, "u1"] = pd.NA
    >>> respondent_ikm(skm).tolist()
    [100.0, 50.0]

    """
    return skm[list(items)].astype("Float64").mean(axis=1).astype(float) * 25


def mde_scenarios(icc: float, sd: float, respondents: int, units=(30, 60), quarters=(4, 8),
                  **kwargs):
    """MDE (:func:`mde_ikm`) for each combination of units, quarters and respondents.

    Respondents per unit and quarter are ``respondents`` and twice as many.

    Returns
    -------
    pandas.DataFrame
        ``units``, ``quarters``, ``respondents_per_quarter``, ``mde_ikm_points``.

    Examples
    --------
    >>> table = mde_scenarios(icc=0.05, sd=10.0, respondents=100, units=(30,), quarters=(4,))
    >>> table["mde_ikm_points"].round(2).tolist()
    [2.34, 2.31]

    """
    import pandas as pd

    grid = pd.MultiIndex.from_product(
        [list(units), list(quarters), [respondents, 2 * respondents]],
        names=["units", "quarters", "respondents_per_quarter"]).to_frame(index=False)
    # A handful of scenarios; mde_ikm is scalar, so a comprehension over them is clearest.
    grid["mde_ikm_points"] = [
        mde_ikm(int(u), int(q), int(m), icc=icc, sd=sd, **kwargs)
        for u, q, m in grid[["units", "quarters", "respondents_per_quarter"]].to_numpy()]
    return grid


__all__ = ["icc_oneway", "mde_ikm", "mde_scenarios", "respondent_ikm"]
