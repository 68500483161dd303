"""Minimum detectable effect for the next evaluation round.

Two routes. :func:`mde_ikm` (Bloom's formula below) plans from respondent-level numbers and
ignores the fixed effects. The design route plans from the fitted difference-in-differences
panel itself, so it can be checked against the SE the study achieved:

* :func:`did_variance_components` — the residual SD σ_e of the unit-period outcome after unit
  and period effects (and the roll-out), split into true unit-period shocks and the
  sampling noise of an IKM from m respondents: σ_e² = σ_up² + σ_resp²/m;
* :func:`did_design_se` / :func:`did_mde` — SE and MDE of the TWFE effect for a roll-out
  (σ_e / sqrt(Σ D̃²), D̃ the treatment with unit and period means removed; for half of J
  units treated in half of T periods Σ D̃² = J·T/16);
* :func:`did_power_simulation` — placebo roll-outs: the study's cohorts reassigned to
  units at random on the fitted panel, which keeps serial correlation the formula ignores;
* :func:`mde_from_se` — 2.8 × an achieved SE (80% power, 5% two-sided);
* :func:`did_scenarios` — units vs respondents for the next round from those components.

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

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from evalkit.models.panel import demean


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


def mde_from_se(se: float, alpha: float = 0.05, power: float = 0.8,
                df: float | None = None) -> float:
    """Minimum detectable effect of an estimate with standard error ``se``.

    MDE = (q_{1−α/2} + q_{power}) · se, normal quantiles (2.80 at 5% and 80%) or t with
    ``df`` degrees of freedom (e.g. clusters − 1).

    Examples
    --------
    >>> round(mde_from_se(1.0), 3)
    2.802

    """
    if se < 0 or not 0 < alpha < 1 or not 0 < power < 1:
        raise ValueError(f"mde_from_se: se={se} must be ≥ 0, alpha={alpha} and power={power} "
                         "in (0, 1).")
    dist = stats.norm if df is None else stats.t(df)
    return float((dist.ppf(1 - alpha / 2) + dist.ppf(power)) * se)


def _balanced_matrix(panel: pd.DataFrame, value: str, unit: str, time: str):
    """Units × periods matrix of ``value`` with the units observed in every period."""
    wide = panel.pivot_table(index=unit, columns=time, values=value, aggfunc="first",
                             observed=True)
    complete = wide.notna().all(axis=1)
    return wide[complete], int((~complete).sum())


def _twoway_resid(matrix: np.ndarray) -> np.ndarray:
    """Balanced J × T matrix minus its row and column means (plus the grand mean)."""
    return (matrix - matrix.mean(axis=-1, keepdims=True) - matrix.mean(axis=-2, keepdims=True)
            + matrix.mean(axis=(-2, -1), keepdims=True))


def treatment_matrix(first_treated: Sequence[int] | np.ndarray,
                     periods: Sequence[int] | np.ndarray) -> np.ndarray:
    """0/1 roll-out matrix (units × periods) from each unit's first treated period (0 never).

    Examples
    --------
    >>> treatment_matrix([0, 3], [1, 2, 3, 4]).tolist()
    [[0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 1.0]]

    """
    g = np.asarray(first_treated)[..., None]
    return ((g > 0) & (np.asarray(periods)[None, :] >= g)).astype(float)


def block_rollout(n_units: int, n_periods: int, share_treated: float = 0.5,
                  share_post: float = 0.5) -> np.ndarray:
    """Roll-out matrix: the first ``share_treated`` of units treated in the last periods.

    Examples
    --------
    >>> block_rollout(2, 4).tolist()
    [[0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0]]

    """
    treated = int(round(share_treated * n_units))
    start = n_periods - int(round(share_post * n_periods)) + 1
    first = np.where(np.arange(n_units) < treated, start, 0)
    return treatment_matrix(first, np.arange(1, n_periods + 1))


def did_design_se(treatment: np.ndarray, sigma_e: float) -> float:
    """SE of the TWFE effect for a balanced roll-out with iid unit-period errors.

    ``σ_e / sqrt(Σ D̃²)`` with D̃ the treatment matrix minus its unit and period means: the
    OLS standard error with unit and period dummies (Frisch–Waugh–Lovell).

    Examples
    --------
    >>> round(did_design_se(block_rollout(30, 8), sigma_e=2.0), 4)  # 2 / sqrt(30·8/16)
    0.5164

    """
    dtilde = _twoway_resid(np.asarray(treatment, dtype=float))
    ss = float(np.sum(dtilde ** 2))
    if ss <= 0:
        raise ValueError("did_design_se: the roll-out has no variation left after unit and "
                         "period effects (everyone or no one treated at the same time).")
    return float(sigma_e / np.sqrt(ss))


def did_mde(sigma_e: float, n_units: int | None = None, n_periods: int | None = None,
            share_treated: float = 0.5, share_post: float = 0.5, *,
            treatment: np.ndarray | None = None, alpha: float = 0.05,
            power: float = 0.8) -> float:
    """MDE of the TWFE effect of a roll-out: :func:`mde_from_se` of :func:`did_design_se`.

    Give either a ``treatment`` matrix (e.g. the study's, :func:`treatment_matrix`) or the
    block design by ``n_units``, ``n_periods``, ``share_treated`` and ``share_post``.

    Examples
    --------
    >>> round(did_mde(2.0, 30, 8), 3)  # 2.8016 · 2 / sqrt(15)
    1.447

    """
    if treatment is None:
        if n_units is None or n_periods is None:
            raise ValueError("did_mde: give treatment= or n_units and n_periods.")
        treatment = block_rollout(n_units, n_periods, share_treated, share_post)
    return mde_from_se(did_design_se(treatment, sigma_e), alpha=alpha, power=power)


@dataclass(frozen=True)
class DidVarianceComponents:
    """Residual variance of a unit-period outcome after unit and period effects.

    Attributes
    ----------
    sigma_e : float
        SD of the unit-period residual (after unit, period and roll-out effects).
    sigma_unit_period : float or None
        SD of the true unit-period shocks: sqrt(max(σ_e² − sampling variance, 0)); None
        without respondent information.
    sigma_respondent : float or None
        SD of respondents within a unit-period (as given).
    respondents : float or None
        Harmonic mean of respondents per unit-period (the m of σ_resp²/m).
    n_units, n_periods, df_resid : int
        Units and periods used; residual degrees of freedom.
    units_left_out : int
        Units not observed in every period (left out).

    """

    sigma_e: float
    sigma_unit_period: float | None
    sigma_respondent: float | None
    respondents: float | None
    n_units: int
    n_periods: int
    df_resid: int
    units_left_out: int

    def sigma_e_with(self, respondents: float) -> float:
        """σ_e with ``respondents`` per unit-period: sqrt(σ_up² + σ_resp²/m)."""
        if self.sigma_unit_period is None or self.sigma_respondent is None:
            raise ValueError("sigma_e_with needs the respondent SD and counts; pass "
                             "respondent_sd= and n_responses= to did_variance_components.")
        return float(np.sqrt(self.sigma_unit_period ** 2
                             + self.sigma_respondent ** 2 / respondents))


def did_variance_components(panel: pd.DataFrame, y: str = "ikm", unit: str = "unit",
                            time: str = "t", first_treated: str | None = "cohort", *,
                            n_responses: str | None = None,
                            respondent_sd: float | None = None) -> DidVarianceComponents:
    """Estimate the residual variance of the DiD design from the study's panel.

    Fits y = unit + period effects + τ·D (D from ``first_treated``, 0 = never treated) on
    the units observed in every period and returns σ_e² = RSS / (N − J − T + 1 − 1). With
    ``respondent_sd`` (SD of respondents within a unit-period) and ``n_responses`` (column
    of respondents per cell) it splits σ_e² into the sampling variance σ_resp²/m (m the
    harmonic mean of the counts) and the unit-period shocks σ_up² = σ_e² − σ_resp²/m.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> p = pd.DataFrame({"unit": np.repeat(np.arange(50), 6), "t": np.tile(np.arange(6), 50)})
    >>> p["cohort"] = 0
    >>> p["ikm"] = rng.normal(0, 2, 300) + p["unit"] + p["t"]
    >>> round(did_variance_components(p).sigma_e, 1)
    2.0

    """
    columns = [y, unit, time] + ([first_treated] if first_treated else []) + \
        ([n_responses] if n_responses else [])
    missing = [c for c in columns if c not in panel.columns]
    if missing:
        raise KeyError(f"did_variance_components: column(s) {missing} not in the panel.")
    frame = panel[columns].dropna()
    wide, left_out = _balanced_matrix(frame, y, unit, time)
    if wide.shape[0] < 2 or wide.shape[1] < 2:
        raise ValueError(f"did_variance_components: {wide.shape[0]} units observed in all "
                         f"{wide.shape[1]} periods; need at least 2 of each.")
    keep = frame[unit].isin(wide.index)
    frame = frame[keep]
    codes = [pd.factorize(frame[unit])[0], pd.factorize(frame[time])[0]]
    columns_in = [frame[y].to_numpy(dtype=float)]
    if first_treated:
        g = frame[first_treated].to_numpy(dtype=float)
        columns_in.append(((g > 0) & (frame[time].to_numpy(dtype=float) >= g)).astype(float))
    resid = demean(np.column_stack(columns_in), codes)
    y_tilde, x_tilde = resid[:, 0], resid[:, 1:]
    k = 0
    if x_tilde.shape[1] and np.any(np.abs(x_tilde) > 1e-12):
        beta = np.linalg.lstsq(x_tilde, y_tilde, rcond=None)[0]
        y_tilde = y_tilde - x_tilde @ beta
        k = 1
    n_units, n_periods = wide.shape
    df_resid = len(frame) - n_units - n_periods + 1 - k
    sigma_e = float(np.sqrt(np.sum(y_tilde ** 2) / df_resid))
    sigma_up = m = None
    if respondent_sd is not None and n_responses:
        counts = frame[n_responses].to_numpy(dtype=float)
        if (counts <= 0).any():
            raise ValueError(f"did_variance_components: {int((counts <= 0).sum())} cells with "
                             f"no respondents in {n_responses!r}; drop them first.")
        m = float(len(counts) / np.sum(1.0 / counts))
        sigma_up = float(np.sqrt(max(sigma_e ** 2 - respondent_sd ** 2 / m, 0.0)))
    return DidVarianceComponents(
        sigma_e=sigma_e, sigma_unit_period=sigma_up, sigma_respondent=respondent_sd,
        respondents=m, n_units=n_units, n_periods=n_periods, df_resid=int(df_resid),
        units_left_out=left_out)


def pooled_within_sd(values, groups) -> float:
    """Pooled SD of values around their group means (e.g. respondents within a unit-period).

    sqrt(Σ (v − mean of its group)² / (N − k)): the σ_resp of
    :func:`did_variance_components`. ``groups`` is one label per value or a DataFrame of
    several key columns (e.g. ``skm[["unit", "period"]]``). Rows with a missing value or
    key are left out.

    Examples
    --------
    >>> round(pooled_within_sd([1, 3, 4, 6, 8], ["a", "a", "b", "b", "b"]), 4)
    1.8257

    """
    keys = (groups.reset_index(drop=True) if isinstance(groups, pd.DataFrame)
            else pd.DataFrame({"g": np.asarray(groups, dtype=object)}))
    frame = keys.assign(_v=np.asarray(values, dtype=float)).dropna()
    by = [c for c in frame.columns if c != "_v"]
    grouped = frame.groupby(by, observed=True)["_v"]
    centred = frame["_v"] - grouped.transform("mean")
    df = len(frame) - grouped.ngroups
    if df < 1:
        raise ValueError("pooled_within_sd: no group has two values.")
    return float(np.sqrt(np.sum(centred ** 2) / df))


def did_power_simulation(panel: pd.DataFrame, y: str = "ikm", unit: str = "unit",
                         time: str = "t", first_treated: str = "cohort", *,
                         n_sims: int = 2000, seed: int = 0, alpha: float = 0.05,
                         power: float = 0.8) -> pd.Series:
    """SE and MDE of the study's roll-out by placebo roll-outs on its own panel.

    The outcome is cleared of unit and period effects and of the fitted roll-out effect;
    then the study's cohorts (``first_treated`` per unit, 0 = never) are reassigned to the
    units at random ``n_sims`` times and the TWFE effect of each placebo roll-out is
    computed (Σ D̃·ỹ / Σ D̃², vectorised over the draws). Their SD is the SE of the design
    with the panel's own serial correlation and heteroskedasticity; the formula
    (:func:`did_design_se`) assumes iid errors. With few units the placebo SD is itself
    noisy (its spread comes from J units: about ±1/sqrt(2J) relative, ±11% for 40 units).
    Units not observed in every period are left out (counted in ``units_left_out``).

    Returns
    -------
    pandas.Series
        ``se_placebo``, ``mde_placebo``, ``se_formula`` (iid formula with the panel's σ_e
        and the study's roll-out), ``mde_formula``, ``mean_placebo`` (≈ 0), ``n_sims``,
        ``n_units``, ``n_periods``, ``units_left_out``.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> p = pd.DataFrame({"unit": np.repeat(np.arange(40), 8), "t": np.tile(np.arange(1, 9), 40)})
    >>> p["cohort"] = np.repeat(rng.choice([0, 5], 40), 8)
    >>> p["ikm"] = rng.normal(0, 1, len(p)) + p["unit"]
    >>> out = did_power_simulation(p, n_sims=500)
    >>> bool(0.7 < out["se_placebo"] / out["se_formula"] < 1.3)  # iid errors: close
    True

    """
    frame = panel[[y, unit, time, first_treated]].dropna()
    wide, left_out = _balanced_matrix(frame, y, unit, time)
    cohorts = frame.groupby(unit, observed=True)[first_treated].first().reindex(wide.index)
    periods = wide.columns.to_numpy(dtype=float)
    actual = treatment_matrix(cohorts.to_numpy(dtype=float), periods)
    y_tilde = _twoway_resid(wide.to_numpy(dtype=float))
    d_tilde = _twoway_resid(actual)
    ss = float(np.sum(d_tilde ** 2))
    if ss > 0:  # clear the study's own effect so it does not leak into the placebos
        y_tilde = y_tilde - d_tilde * float(np.sum(d_tilde * y_tilde)) / ss
    n_units, n_periods = wide.shape
    sigma_e = float(np.sqrt(np.sum(y_tilde ** 2) / ((n_units - 1) * (n_periods - 1) - 1)))
    rng = np.random.default_rng(seed)
    draws = rng.permuted(np.tile(cohorts.to_numpy(dtype=float), (n_sims, 1)), axis=1)
    placebo = _twoway_resid(treatment_matrix(draws, periods))
    # Σ D̃·ỹ = Σ D̃·y: D̃ is orthogonal to the fixed effects, so ỹ can stand for y.
    estimates = (np.einsum("sjt,jt->s", placebo, y_tilde)
                 / np.einsum("sjt,sjt->s", placebo, placebo))
    se_placebo = float(np.std(estimates, ddof=1))
    se_formula = did_design_se(actual, sigma_e)
    return pd.Series({
        "se_placebo": se_placebo,
        "mde_placebo": mde_from_se(se_placebo, alpha, power),
        "se_formula": se_formula,
        "mde_formula": mde_from_se(se_formula, alpha, power),
        "mean_placebo": float(np.mean(estimates)), "n_sims": n_sims, "n_units": n_units,
        "n_periods": n_periods, "units_left_out": left_out,
    })


def did_scenarios(components: DidVarianceComponents, units: Sequence[int] = (30, 60),
                  respondents: Sequence[float] | None = None, n_periods: int | None = None,
                  share_treated: float = 0.5, share_post: float = 0.5,
                  alpha: float = 0.05, power: float = 0.8) -> pd.DataFrame:
    """MDE of the next round for units × respondents, from the design's variance components.

    More respondents only shrink the sampling part of the unit-period variance:
    σ_e(m) = sqrt(σ_up² + σ_resp²/m); more units shrink the SE by sqrt(J). Default
    respondents: the study's m and 2m; default periods: the study's.

    Returns
    -------
    pandas.DataFrame
        ``units``, ``respondents_per_period``, ``sigma_e``, ``se``, ``mde``.

    Examples
    --------
    >>> c = DidVarianceComponents(2.0, 1.0, 10.0, 33.3, 30, 8, 100, 0)
    >>> did_scenarios(c, units=(30,), respondents=(25, 100))["sigma_e"].round(3).tolist()
    [2.236, 1.414]

    """
    respondents = ([components.respondents, 2 * components.respondents]
                   if respondents is None else list(respondents))
    n_periods = components.n_periods if n_periods is None else n_periods
    grid = pd.MultiIndex.from_product([list(units), respondents],
                                      names=["units", "respondents_per_period"])
    table = grid.to_frame(index=False)
    table["sigma_e"] = [components.sigma_e_with(m) for m in table["respondents_per_period"]]
    # Σ D̃² of the block design scales with J: one design per unit count (a handful).
    ss = {j: did_design_se(block_rollout(j, n_periods, share_treated, share_post), 1.0)
          for j in table["units"].unique()}
    table["se"] = table["sigma_e"] * table["units"].map(ss)
    table["mde"] = [mde_from_se(se, alpha, power) for se in table["se"]]
    return table


__all__ = ["DidVarianceComponents", "block_rollout", "did_design_se", "did_mde",
           "did_power_simulation", "did_scenarios", "did_variance_components",
           "icc_oneway", "mde_from_se", "mde_ikm", "mde_scenarios", "pooled_within_sd",
           "respondent_ikm", "treatment_matrix"]
