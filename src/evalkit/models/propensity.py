"""Average effect on the treated by inverse probability weighting and doubly robust AIPW.

The estimators and their influence functions are those of Sant'Anna & Zhao (2020) as
implemented in R's ``DRDID`` with the outcome change replaced by the outcome itself (pass
the change y₁ − y₀ to get the panel DiD estimators):

* :func:`att_ipw` — normalised (Hájek) IPW, logit propensity (``std_ipw_did_panel``);
* :func:`att_aipw` with ``method="imp"`` (the default, as ``DRDID::drdid``) — the improved
  locally efficient doubly robust ATT (``drdid_imp_panel``): propensity by inverse
  probability tilting (:func:`ipt_pscore`), outcome regression by least squares on the
  controls weighted by p/(1−p). Its estimation effects vanish, so the influence function
  needs no correction for the nuisance estimates;
* :func:`att_aipw` with ``method="trad"`` — the "traditional" doubly robust ATT
  (``drdid_panel``): logit by maximum likelihood, OLS on the controls, influence function
  corrected for both estimates. The same function gives the 2×2 blocks of
  :func:`evalkit.models.staggered_did`.

Standard errors (one convention for every estimator here, :func:`influence_se`): the
influence function's, V = Σ_g (Σ_{i∈g} IF_i)² / n² with each row its own cluster g unless
``cluster`` is given — DRDID's ``sd(IF)·sqrt(n−1)/n`` — and no small-sample factor. The
interval is normal without ``cluster`` (as DRDID) and uses t with G−1 degrees of freedom
with ``cluster``, like every clustered interval in :mod:`evalkit.models`.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> df = pd.DataFrame({"x": rng.normal(size=2000)})
>>> df["d"] = (rng.uniform(size=2000) < 1 / (1 + np.exp(-df["x"]))).astype(int)
>>> df["y"] = 2 * df["x"] + 1.5 * df["d"] + rng.normal(size=2000)
>>> fit = att_aipw(df, "y", "d", ["x"])
>>> abs(fit.estimate - 1.5) < 0.2
True

"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import patsy
import statsmodels.api as sm
from scipy import optimize, special, stats
from statsmodels.tools.sm_exceptions import PerfectSeparationError, PerfectSeparationWarning

#: Controls with a propensity score at or above this level get zero weight (R DRDID's
#: ``trim.level`` default), because their odds weights p/(1−p) explode.
TRIM_LEVEL = 0.995

#: Estimators of :func:`att_aipw`: DRDID's ``estMethod`` values.
AIPW_METHODS = ("imp", "trad")


class PropensityScoreError(ValueError):
    """The propensity model cannot be fitted: no convergence or (quasi-)separation."""


@dataclass(frozen=True)
class ATTResult:
    """An average effect on the treated with its influence-function standard error.

    Attributes
    ----------
    estimate, se : float
        The ATT and its standard error.
    ci_low, ci_high : float
        Normal-approximation confidence interval.
    method : str
        ``"ipw"`` or ``"aipw"``.
    n_treated, n_control, n_trimmed : int
        Treated and control units used; controls given zero weight by trimming.
    pscore : pandas.Series
        Fitted propensity scores, indexed like the rows used.
    balance : pandas.DataFrame
        Standardised mean differences before and after weighting (see :func:`balance`).
    influence : numpy.ndarray
        The influence function of each row used (mean zero).
    estimator : str
        ``"trad"`` or ``"imp"`` for ``method="aipw"`` (see :func:`att_aipw`), else ``""``.
    df : float
        Degrees of freedom of the interval's t quantile: ``inf`` (normal) without clusters,
        G − 1 with ``cluster``.
    n_clusters : int or None
        Clusters of the standard error (None without ``cluster``).

    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    method: str
    n_treated: int
    n_control: int
    n_trimmed: int
    pscore: pd.Series = field(repr=False)
    balance: pd.DataFrame = field(repr=False)
    influence: np.ndarray = field(repr=False)
    estimator: str = ""
    df: float = np.inf
    n_clusters: int | None = None

    def critical_value(self, alpha: float = 0.05) -> float:
        """Two-sided quantile of the interval: t with :attr:`df` degrees of freedom."""
        return float(stats.t.ppf(1 - alpha / 2, self.df))

    def conf_int(self, alpha: float = 0.05) -> tuple[float, float]:
        """Interval ``estimate ± critical_value(alpha) · se`` at any level."""
        q = self.critical_value(alpha)
        return self.estimate - q * self.se, self.estimate + q * self.se

    def tidy(self) -> pd.DataFrame:
        """One-row table: ``method``, ``estimate``, ``se``, ``ci_low``, ``ci_high``, counts."""
        return pd.DataFrame([{
            "method": self.method, "estimate": self.estimate, "se": self.se,
            "ci_low": self.ci_low, "ci_high": self.ci_high, "n_treated": self.n_treated,
            "n_control": self.n_control, "n_trimmed": self.n_trimmed,
        }])


def _column_names(X: np.ndarray, names: Sequence[str] | None) -> list[str]:
    return list(names) if names is not None else [f"column {j}" for j in range(X.shape[1])]


def separating_covariates(d: np.ndarray, X: np.ndarray,
                          names: Sequence[str] | None = None) -> list[str]:
    """Covariates that on their own separate treated rows from controls.

    A non-constant column separates (quasi-)completely when every treated value lies at or
    above every control value, or at or below it: e.g. a dummy that is 1 only among
    controls. The logit coefficient of such a column runs off to ±∞ and the scores of a
    whole group become 0 or 1. (Separation by a combination of columns is caught by the
    fit itself; see :func:`logit_pscore`.)

    Examples
    --------
    >>> import numpy as np
    >>> d = np.array([1, 1, 0, 0, 0])
    >>> X = np.column_stack([np.ones(5), [0, 0, 1, 0, 1], [3, 1, 2, 5, 0]])
    >>> separating_covariates(d, X, ["Intercept", "cell_b", "age"])
    ['cell_b']

    """
    labels = _column_names(X, names)
    treated, controls = X[d == 1], X[d == 0]
    if len(treated) == 0 or len(controls) == 0:
        return []
    varying = X.max(axis=0) > X.min(axis=0)
    above = treated.min(axis=0) >= controls.max(axis=0)
    below = treated.max(axis=0) <= controls.min(axis=0)
    return [labels[j] for j in np.flatnonzero(varying & (above | below))]


def _separation_error(columns: Sequence[str], detail: str) -> PropensityScoreError:
    which = (f"covariate(s) {', '.join(columns)} separate treated rows from controls"
             if columns else "a combination of covariates separates treated rows from "
             "controls")
    return PropensityScoreError(
        f"Propensity logit: {which} ({detail}), so some scores are exactly 0 or 1 and the "
        "weights are undefined. What to do: drop or coarsen those covariates, or keep only "
        "the common support, e.g. cells with both treated and untrained rows "
        "(evalkit.effects.samples.cells_with_both_groups).")


def _logit_fit(d: np.ndarray, X: np.ndarray, names: Sequence[str] | None):
    """Maximum-likelihood logit with the checks of :func:`logit_pscore`."""
    separating = separating_covariates(d, X, names)
    if separating:
        raise _separation_error(separating, "each on its own")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fit = sm.Logit(d, X).fit(disp=0, method="newton", maxiter=100)
        except PerfectSeparationError as exc:
            raise _separation_error([], "statsmodels: perfect separation") from exc
        except np.linalg.LinAlgError as exc:
            raise PropensityScoreError(
                f"Propensity logit: the design is singular ({exc}); columns "
                f"{', '.join(_column_names(X, names))}. What to do: drop constant or "
                "collinear covariates (evalkit.effects.samples.varying_columns).") from exc
    if any(issubclass(w.category, PerfectSeparationWarning) for w in caught):
        raise _separation_error([], "statsmodels: perfect separation")
    if not fit.mle_retvals.get("converged", False):
        raise PropensityScoreError(
            "Propensity logit: Newton's method did not converge in 100 iterations "
            f"(covariates {', '.join(_column_names(X, names))}). What to do: look for "
            "covariates that nearly separate treated rows from controls, rescale covariates "
            "in large units (earnings in thousands), or use fewer covariates.")
    return fit


def logit_pscore(d: np.ndarray, X: np.ndarray,
                 names: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Fit a logit of ``d`` on ``X`` (statsmodels) and return scores and the ps linear rep.

    Returns the fitted probabilities (capped at 1 − 1e−6 as DRDID does) and the asymptotic
    linear representation of the coefficient estimates, ``score @ (X'WX / n)^-1``.

    Raises
    ------
    PropensityScoreError
        When a covariate (named from ``names``) or a combination of covariates separates
        treated rows from controls, or when Newton's method does not converge in 100
        iterations; the message says what to do.

    Examples
    --------
    >>> import numpy as np
    >>> d = np.array([1, 1, 0, 0, 0]); X = np.column_stack([np.ones(5), [0, 0, 1, 0, 1]])
    >>> logit_pscore(d, X, ["Intercept", "cell_b"])
    Traceback (most recent call last):
    ...
    evalkit.models.propensity.PropensityScoreError: Propensity logit: covariate(s) cell_b ...

    """
    n = len(d)
    fit = _logit_fit(d, X, names)
    ps = np.minimum(fit.predict(X), 1 - 1e-6)
    hessian_inv = np.linalg.inv((X * (ps * (1 - ps))[:, None]).T @ X / n)
    score = (d - ps)[:, None] * X
    return ps, score @ hessian_inv


def ipt_pscore(d: np.ndarray, X: np.ndarray,
               names: Sequence[str] | None = None) -> np.ndarray:
    """Propensity score by inverse probability tilting (Graham, Pinto & Egel 2012).

    DRDID's ``pscore.cal``: starting from the logit fit, minimise Tan's (2019) calibration
    loss ``mean(−d·x'γ + (1 − d)·exp(x'γ))`` by a trust-region Newton method (R ``trust``;
    here scipy's ``trust-exact``). At the minimum the odds exp(x'γ) of the controls reweight
    them to the treated rows' covariate totals exactly. Returns ``plogis(x'γ)`` capped at
    1 − 1e−6.

    Raises
    ------
    PropensityScoreError
        As :func:`logit_pscore`, or when the tilting does not converge. (DRDID then falls
        back to Graham et al.'s loss and finally to the logit, with a warning; we stop and
        say why instead.)

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=400); d = (rng.uniform(size=400) < 1 / (1 + np.exp(-x))) * 1.0
    >>> X = np.column_stack([np.ones(400), x])
    >>> odds = ipt_pscore(d, X) / (1 - ipt_pscore(d, X))
    >>> bool(np.allclose(X[d == 0].T @ odds[d == 0], X[d == 1].sum(axis=0)))
    True

    """
    gamma = np.asarray(_logit_fit(d, X, names).params, dtype=float)
    controls = (1 - d).astype(float)

    def loss(g):
        index = X @ g
        return float(np.mean(-d * index + controls * np.exp(index)))

    def gradient(g):
        return X.T @ (-d + controls * np.exp(X @ g)) / len(d)

    def hessian(g):
        return (X * (controls * np.exp(X @ g))[:, None]).T @ X / len(d)

    result = optimize.minimize(loss, gamma, jac=gradient, hess=hessian, method="trust-exact",
                               options={"gtol": 1e-10, "maxiter": 1000})
    # scipy reports failure when it cannot shrink the gradient below gtol although it sits
    # at the minimum in double precision; accept a gradient small relative to the data.
    scale = np.abs(X).mean(axis=0) + 1.0
    if not (result.success or np.all(np.abs(result.jac) < 1e-7 * scale)):
        raise PropensityScoreError(
            f"Propensity score by inverse probability tilting did not converge "
            f"({result.message}; covariates {', '.join(_column_names(X, names))}). What to "
            "do: the controls cannot be reweighted to the treated rows' covariate means — "
            "look for covariates with little overlap, or use method='trad'.")
    return np.minimum(special.expit(X @ result.x), 1 - 1e-6)


def ipw_att_if(y: np.ndarray, d: np.ndarray, X: np.ndarray, trim_level: float = TRIM_LEVEL,
               names: Sequence[str] | None = None
               ) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    """Normalised IPW ATT and its influence function (DRDID ``std_ipw_did_panel``).

    ``y`` is the outcome (or the outcome change in a 2×2 DiD), ``d`` 0/1, ``X`` the design
    matrix with an intercept. Returns ``(att, influence, weights_of_controls, pscore)``.
    """
    ps, lin_ps = logit_pscore(d, X, names)
    keep = np.where(d == 1, 1.0, (ps < trim_level).astype(float))
    w_treat = keep * d
    w_cont = keep * ps * (1 - d) / (1 - ps)
    eta_treat = np.mean(w_treat * y) / np.mean(w_treat)
    eta_cont = np.mean(w_cont * y) / np.mean(w_cont)
    inf_treat = (w_treat * y - w_treat * eta_treat) / np.mean(w_treat)
    m2 = np.mean((w_cont * (y - eta_cont))[:, None] * X, axis=0)
    inf_cont = (w_cont * y - w_cont * eta_cont + lin_ps @ m2) / np.mean(w_cont)
    return float(eta_treat - eta_cont), inf_treat - inf_cont, w_cont, ps


def dr_att_if(y: np.ndarray, d: np.ndarray, X: np.ndarray, trim_level: float = TRIM_LEVEL,
              names: Sequence[str] | None = None
              ) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    """Doubly robust ATT and its influence function (DRDID ``drdid_panel``).

    Outcome regression: OLS of ``y`` on ``X`` among controls; propensity: logit. Returns
    ``(att, influence, weights_of_controls, pscore)``.
    """
    n = len(d)
    ps, lin_ps = logit_pscore(d, X, names)
    keep = np.where(d == 1, 1.0, (ps < trim_level).astype(float))
    controls = d == 0
    beta = np.linalg.lstsq(X[controls], y[controls], rcond=None)[0]
    fitted = X @ beta
    w_treat = keep * d
    w_cont = keep * ps * (1 - d) / (1 - ps)
    resid = y - fitted
    eta_treat = np.mean(w_treat * resid) / np.mean(w_treat)
    eta_cont = np.mean(w_cont * resid) / np.mean(w_cont)
    # Linear representation of the control-group OLS coefficients.
    w_ols = (1 - d).astype(float)
    xpx_inv = np.linalg.inv((X * w_ols[:, None]).T @ X / n)
    lin_ols = (w_ols * resid)[:, None] * X @ xpx_inv
    inf_treat = (w_treat * resid - w_treat * eta_treat
                 - lin_ols @ np.mean(w_treat[:, None] * X, axis=0)) / np.mean(w_treat)
    m2 = np.mean((w_cont * (resid - eta_cont))[:, None] * X, axis=0)
    m3 = np.mean(w_cont[:, None] * X, axis=0)
    inf_cont = (w_cont * resid - w_cont * eta_cont + lin_ps @ m2 - lin_ols @ m3) / np.mean(w_cont)
    return float(eta_treat - eta_cont), inf_treat - inf_cont, w_cont, ps


def dr_imp_att_if(y: np.ndarray, d: np.ndarray, X: np.ndarray, trim_level: float = TRIM_LEVEL,
                  names: Sequence[str] | None = None
                  ) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    """Improved locally efficient doubly robust ATT and its influence function.

    DRDID ``drdid_imp_panel`` (Sant'Anna & Zhao 2020, section 3.1): propensity p by inverse
    probability tilting (:func:`ipt_pscore`), outcome regression by least squares on the
    controls weighted by p/(1−p), then
    ``ATT = mean(keep·(d − (1−d)·p/(1−p))·(y − x'β)) / mean(d)``. The first-order
    conditions of the two fits make the estimation effects vanish, so the influence function
    is the summand itself, ``keep·(summand − d·ATT) / mean(d)``. Returns
    ``(att, influence, weights_of_controls, pscore)``.
    """
    ps = ipt_pscore(d, X, names)
    keep = np.where(d == 1, 1.0, (ps < trim_level).astype(float))
    controls = d == 0
    odds = ps / (1 - ps)
    root = np.sqrt(odds[controls])
    beta = np.linalg.lstsq(X[controls] * root[:, None], y[controls] * root, rcond=None)[0]
    resid = y - X @ beta
    summand = keep * (d - (1 - d) * odds) * resid
    att = float(np.mean(summand) / np.mean(d))
    influence = keep * (summand - d * att) / np.mean(d)
    return att, influence, keep * (1 - d) * odds, ps


def balance(data: pd.DataFrame, treat: str, covariates: Sequence[str],
            weights: np.ndarray | pd.Series | None = None) -> pd.DataFrame:
    """Standardised mean differences of covariates between treated and controls.

    SMD = (mean treated − mean control) / sqrt((var treated + var control) / 2), with the
    unweighted variances in the denominator both before and after weighting (Austin 2011),
    so the two columns are comparable. |SMD| < 0.1 is the usual mark of good balance.

    Parameters
    ----------
    data : pandas.DataFrame
        Treated and control rows.
    treat : str
        0/1 treatment column.
    covariates : sequence of str
        Numeric covariate columns.
    weights : array, optional
        Weights of control rows after weighting (treated rows' weights are ignored).

    Returns
    -------
    pandas.DataFrame
        ``covariate``, ``mean_treated``, ``mean_control``, ``smd_before`` and, with
        ``weights``, ``mean_control_weighted``, ``smd_after``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"d": [1, 1, 0, 0], "x": [1.0, 3.0, 0.0, 2.0]})
    >>> float(balance(df, "d", ["x"])["smd_before"].iloc[0]).__round__(3)
    0.707

    """
    d = data[treat].to_numpy()
    rows = []
    for cov in covariates:
        x = data[cov].to_numpy(dtype=float)
        xt, xc = x[d == 1], x[d == 0]
        pooled = np.sqrt((xt.var(ddof=1) + xc.var(ddof=1)) / 2)
        row = {"covariate": cov, "mean_treated": xt.mean(), "mean_control": xc.mean(),
               "smd_before": (xt.mean() - xc.mean()) / pooled if pooled > 0 else np.nan}
        if weights is not None:
            wc = np.asarray(weights, dtype=float)[d == 0]
            mean_w = np.sum(wc * xc) / np.sum(wc)
            row["mean_control_weighted"] = mean_w
            row["smd_after"] = (xt.mean() - mean_w) / pooled if pooled > 0 else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def _prepare(data: pd.DataFrame, y: str, treat: str, covariates: Sequence[str] | str):
    terms = covariates if isinstance(covariates, str) else " + ".join(covariates)
    needed = [y, treat]
    frame = data.dropna(subset=needed)
    X = patsy.dmatrix(terms, frame, return_type="dataframe", NA_action="raise")
    d = frame[treat].to_numpy()
    if not np.isin(d, (0, 1)).all():
        raise ValueError(f"Treatment column {treat!r} must be 0/1 (or boolean); found values "
                         f"{sorted(pd.unique(d))[:5]}.")
    return frame, X, d.astype(float), frame[y].to_numpy(dtype=float)


def influence_se(influence: np.ndarray, cluster: np.ndarray | pd.Series | None = None) -> float:
    """Return the standard error of an estimate from its influence functions (one per row).

    One convention for every estimator of this module: ``sqrt(Σ_g S_g²) / n`` where S_g is
    the sum of the centred influence values ``IF − mean(IF)`` of cluster g. Without
    ``cluster`` each row is its own cluster, which is R DRDID's ``sd(IF)·sqrt(n−1)/n``
    (since DRDID 1.1; earlier versions printed ``sd(IF)/sqrt(n)``, larger by
    sqrt(n/(n−1))). With ``cluster`` (one label per row) rows of one cluster (staff of one
    unit) may be correlated. No small-sample factor G/(G−1) is applied (with 30 clusters it
    would raise the SE by 1.7%); the clustered interval uses t with G − 1 degrees of
    freedom instead (:attr:`ATTResult.df`). Written here because statsmodels has no
    cluster-robust variance for a user-supplied influence function.

    Examples
    --------
    >>> round(influence_se(np.array([1.0, -1.0, 2.0, -2.0]), ["a", "a", "b", "b"]), 6)
    0.0
    >>> round(influence_se(np.array([1.0, -1.0, 2.0, -2.0])), 6)  # sqrt(10) / 4
    0.790569

    """
    influence = np.asarray(influence, dtype=float)
    n = len(influence)
    centred = influence - influence.mean()
    if cluster is None:
        return float(np.sqrt(np.sum(centred ** 2)) / n)
    labels = pd.Series(np.asarray(cluster, dtype=object))
    if len(labels) != n:
        raise ValueError(f"cluster has {len(labels)} labels for {n} influence values.")
    if labels.isna().any():
        raise ValueError(f"cluster has {int(labels.isna().sum())} missing labels; give every "
                         "row a cluster (or drop those rows first).")
    sums = pd.Series(centred).groupby(labels.to_numpy()).sum()
    return float(np.sqrt(np.sum(sums.to_numpy() ** 2)) / n)


def _att(method: str, data: pd.DataFrame, y: str, treat: str,
         covariates: Sequence[str] | str, trim_level: float, alpha: float,
         cluster: str | None = None, estimator: str = "") -> ATTResult:
    if cluster is not None:
        if cluster not in data.columns:
            raise ValueError(f"Cluster column {cluster!r} is not in the data.")
        data = data.dropna(subset=[cluster])
    frame, X, d, yv = _prepare(data, y, treat, covariates)
    names = list(X.columns)
    design = X.to_numpy()
    if method == "ipw":
        estimate = ipw_att_if
    elif estimator == "imp":
        estimate = dr_imp_att_if
    else:
        estimate = dr_att_if
    att, influence, w_cont, ps = estimate(yv, d, design, trim_level=trim_level, names=names)
    labels = None if cluster is None else frame[cluster]
    se = influence_se(influence, labels)
    n_clusters = None if labels is None else int(labels.nunique())
    df = np.inf if n_clusters is None else float(max(n_clusters - 1, 1))
    q = stats.t.ppf(1 - alpha / 2, df)
    # Fixed-effect dummies (patsy ``C(...)`` terms) are matched by construction; the balance
    # table shows the substantive covariates only.
    balance_cols = [c for c in X.columns if c != "Intercept" and not c.startswith("C(")]
    table = balance(pd.concat([X[balance_cols], frame[[treat]]], axis=1), treat, balance_cols,
                    weights=w_cont)
    return ATTResult(
        estimate=att, se=se, ci_low=att - q * se, ci_high=att + q * se, method=method,
        n_treated=int(d.sum()), n_control=int((1 - d).sum()),
        n_trimmed=int(((d == 0) & (ps >= trim_level)).sum()),
        pscore=pd.Series(ps, index=frame.index, name="pscore"), balance=table,
        influence=influence, estimator=estimator, df=df, n_clusters=n_clusters,
    )


def att_ipw(data: pd.DataFrame, y: str, treat: str, covariates: Sequence[str] | str,
            trim_level: float = TRIM_LEVEL, alpha: float = 0.05,
            cluster: str | None = None) -> ATTResult:
    """ATT by inverse probability weighting with a logit propensity score.

    Controls are weighted by the odds p/(1−p) of their score, normalised to sum to one
    (Hájek); treated rows keep weight one.

    Parameters
    ----------
    data : pandas.DataFrame
        Treated and control rows.
    y : str
        Outcome column.
    treat : str
        0/1 treatment column.
    covariates : sequence of str or str
        Propensity-model terms (patsy syntax allowed, e.g. ``"I(age**2)"``), or one formula
        right-hand side.
    trim_level : float, default 0.995
        Controls with a score at or above it get zero weight (their count is reported).
    alpha : float, default 0.05
        1 − confidence level.
    cluster : str, optional
        Column whose groups (e.g. ``unit``) may be correlated: the standard error is the
        cluster-robust one of :func:`influence_se` and the interval uses t with G − 1
        degrees of freedom. Rows without a cluster label are left out.

    Returns
    -------
    ATTResult

    Examples
    --------
    See the module docstring (the same call with ``att_ipw``).

    """
    return _att("ipw", data, y, treat, covariates, trim_level, alpha, cluster)


def att_aipw(data: pd.DataFrame, y: str, treat: str, covariates: Sequence[str] | str,
             trim_level: float = TRIM_LEVEL, alpha: float = 0.05,
             cluster: str | None = None, method: str = "imp") -> ATTResult:
    """Estimate the ATT doubly robustly (augmented IPW).

    Consistent if either the propensity logit or the linear outcome model for controls is
    right.

    Parameters
    ----------
    data, y, treat, covariates, trim_level, alpha, cluster
        As :func:`att_ipw`.
    method : {"imp", "trad"}, default "imp"
        R DRDID's ``estMethod``. ``"imp"`` (DRDID's default): the improved locally efficient
        estimator (:func:`dr_imp_att_if`; propensity by inverse probability tilting,
        weighted least squares outcome model), doubly robust for inference too.
        ``"trad"``: logit by maximum likelihood and OLS (:func:`dr_att_if`).

    Returns
    -------
    ATTResult
        ``method`` ``"aipw"``, ``estimator`` the ``method`` given here.

    Examples
    --------
    See the module docstring.

    """
    if method not in AIPW_METHODS:
        raise ValueError(f"method={method!r}: use 'imp' (DRDID's improved estimator, the "
                         "default) or 'trad'.")
    return _att("aipw", data, y, treat, covariates, trim_level, alpha, cluster,
                estimator=method)


__all__ = ["AIPW_METHODS", "ATTResult", "PropensityScoreError", "TRIM_LEVEL", "att_aipw",
           "att_ipw", "balance", "dr_att_if", "dr_imp_att_if", "influence_se", "ipt_pscore",
           "ipw_att_if", "logit_pscore", "separating_covariates"]
