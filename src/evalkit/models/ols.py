"""OLS with a small vcov vocabulary, the shared result type, and side-by-side tables.

statsmodels does the estimation; the surface follows pyfixest (``tidy()`` with fixed
columns, ``coef()``/``se()``, ``summary(digits=3)`` without timestamps, ``etable``).

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> df = pd.DataFrame({"x": rng.normal(size=200), "g": np.repeat(np.arange(20), 10)})
>>> df["y"] = 1 + 2 * df["x"] + rng.normal(size=200)
>>> fit = fit_ols("y ~ x", df, vcov={"CRV1": "g"})
>>> list(fit.tidy().columns)
['Estimate', 'Std. Error', 't value', 'Pr(>|t|)', '2.5%', '97.5%']
>>> abs(float(fit.coef()["x"]) - 2.0) < 0.2
True

"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from scipy import stats

#: The column names of every ``tidy()`` table (pyfixest's names).
TIDY_COLUMNS = ["Estimate", "Std. Error", "t value", "Pr(>|t|)", "2.5%", "97.5%"]

VcovSpec = Literal["iid", "HC1"] | Mapping[str, str]


def parse_vcov(vcov: Any) -> tuple[str, str | None]:
    """Check a vcov specification and return ``(kind, cluster_column)``.

    Parameters
    ----------
    vcov : {"iid", "HC1"} or {"CRV1": column}
        The vocabulary shared by :func:`fit_ols` and :func:`evalkit.models.twfe`.

    Returns
    -------
    tuple
        ``("iid", None)``, ``("HC1", None)`` or ``("CRV1", column)``.

    Examples
    --------
    >>> parse_vcov({"CRV1": "unit"})
    ('CRV1', 'unit')

    """
    if isinstance(vcov, str) and vcov in ("iid", "HC1"):
        return vcov, None
    if isinstance(vcov, Mapping) and list(vcov) == ["CRV1"] and isinstance(vcov["CRV1"], str):
        return "CRV1", vcov["CRV1"]
    raise ValueError(f"vcov={vcov!r} is not supported. Use 'iid', 'HC1' or "
                     "{'CRV1': '<cluster column>'}.")


@dataclass(frozen=True)
class RegressionResult:
    """Coefficients and their covariance from a linear model, in pyfixest's shape.

    Build it with :func:`fit_ols` or :func:`evalkit.models.twfe`; the fields are public so
    other estimators (event study) can construct one too.

    Attributes
    ----------
    params : pandas.Series
        Coefficients by name.
    vcov : pandas.DataFrame
        Their covariance matrix (after the small-sample correction).
    df_t : float
        Degrees of freedom of the t distribution for p-values and intervals
        (residual df for iid/HC1, clusters − 1 for CRV1, as pyfixest and Stata do).
    nobs : int
        Observations used.
    vcov_type : str
        ``"iid"``, ``"HC1"`` or ``"CRV1"``.
    depvar : str
        Name of the outcome.
    model : str
        A short label of the specification (formula, or ``y ~ x | unit + time``).
    extra : dict
        Anything else worth showing in ``etable`` (e.g. ``{"R2": 0.41, "clusters": 30}``).

    """

    params: pd.Series
    vcov: pd.DataFrame
    df_t: float
    nobs: int
    vcov_type: str
    depvar: str
    model: str
    cluster: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def tidy(self, alpha: float = 0.05) -> pd.DataFrame:
        """Return the coefficient table (columns :data:`TIDY_COLUMNS`, index = names).

        Examples
        --------
        >>> import pandas as pd
        >>> r = RegressionResult(pd.Series({"x": 2.0}), pd.DataFrame([[0.25]], ["x"], ["x"]),
        ...                      df_t=10, nobs=12, vcov_type="iid", depvar="y", model="y ~ x")
        >>> float(r.tidy().loc["x", "t value"])
        4.0

        """
        se = pd.Series(np.sqrt(np.diag(self.vcov.to_numpy())), index=self.params.index)
        tval = self.params / se
        pval = 2 * stats.t.sf(np.abs(tval), self.df_t)
        crit = stats.t.ppf(1 - alpha / 2, self.df_t)
        low, high = f"{100 * alpha / 2:g}%", f"{100 * (1 - alpha / 2):g}%"
        table = pd.DataFrame(
            {
                "Estimate": self.params,
                "Std. Error": se,
                "t value": tval,
                "Pr(>|t|)": pval,
                low: self.params - crit * se,
                high: self.params + crit * se,
            }
        )
        table.index.name = "Coefficient"
        return table

    @property
    def df_resid(self) -> float:
        """Degrees of freedom of the t quantile (``df_t``; statsmodels' name)."""
        return self.df_t

    def critical_value(self, alpha: float = 0.05) -> float:
        """Two-sided t quantile of the intervals: ``t(1 − alpha/2, df_t)``.

        With CRV1 that is t with G − 1 degrees of freedom (e.g. 2.045 for 30 clusters at
        95%), not the normal 1.96.

        Examples
        --------
        >>> import pandas as pd
        >>> r = RegressionResult(pd.Series({"x": 2.0}), pd.DataFrame([[0.25]], ["x"], ["x"]),
        ...                      df_t=29, nobs=300, vcov_type="CRV1", depvar="y", model="y ~ x")
        >>> round(r.critical_value(), 3)
        2.045

        """
        return float(stats.t.ppf(1 - alpha / 2, self.df_t))

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Confidence intervals by coefficient: columns ``ci_low``, ``ci_high``.

        The same numbers as the interval columns of :meth:`tidy` (t with ``df_t`` df).

        Examples
        --------
        >>> import pandas as pd
        >>> r = RegressionResult(pd.Series({"x": 2.0}), pd.DataFrame([[0.25]], ["x"], ["x"]),
        ...                      df_t=29, nobs=300, vcov_type="CRV1", depvar="y", model="y ~ x")
        >>> r.conf_int().round(3).loc["x"].tolist()
        [0.977, 3.023]

        """
        tidy = self.tidy(alpha=alpha)
        return pd.DataFrame({"ci_low": tidy.iloc[:, 4], "ci_high": tidy.iloc[:, 5]})

    def coef(self) -> pd.Series:
        """Coefficients by name (a view of ``tidy()["Estimate"]``)."""
        return self.tidy()["Estimate"]

    def se(self) -> pd.Series:
        """Return the standard errors by name (a view of ``tidy()["Std. Error"]``)."""
        return self.tidy()["Std. Error"]

    def pvalue(self) -> pd.Series:
        """Two-sided p-values by name."""
        return self.tidy()["Pr(>|t|)"]

    def summary(self, digits: int = 3) -> str:
        """Return a plain-text summary without timestamps (safe in checked notebook cells).

        Examples
        --------
        >>> import pandas as pd
        >>> r = RegressionResult(pd.Series({"x": 2.0}), pd.DataFrame([[0.25]], ["x"], ["x"]),
        ...                      df_t=10, nobs=12, vcov_type="iid", depvar="y", model="y ~ x")
        >>> print(r.summary().splitlines()[0])
        Model: y ~ x

        """
        vcov_label = self.vcov_type + (f" by {self.cluster}" if self.cluster else "")
        lines = [f"Model: {self.model}", f"Dependent variable: {self.depvar}",
                 f"Observations: {self.nobs}", f"Inference: {vcov_label}"]
        lines += [f"{key}: {_fmt(value, digits)}" for key, value in self.extra.items()]
        lines += ["", self.tidy().round(digits).to_string()]
        return "\n".join(lines)


def _fmt(value: Any, digits: int) -> str:
    if isinstance(value, float | np.floating):
        return f"{value:.{digits}f}"
    return str(value)


def _cluster_groups(data: pd.DataFrame, rows: pd.Index, column: str) -> np.ndarray:
    if column not in data.columns:
        raise KeyError(f"Cluster column {column!r} is not in the data; columns are "
                       f"{', '.join(map(str, data.columns))}.")
    groups = data.loc[rows, column]
    if groups.isna().any():
        raise ValueError(f"Cluster column {column!r} has missing values in rows used by the "
                         "model; fill them or drop those rows first.")
    return pd.factorize(groups)[0]


def fit_ols(formula: str, data: pd.DataFrame, vcov: VcovSpec = "HC1") -> RegressionResult:
    """Fit an OLS model with a formula and return a :class:`RegressionResult`.

    Parameters
    ----------
    formula : str
        A patsy formula, e.g. ``"ikm ~ share_trained + C(period)"``.
    data : pandas.DataFrame
        The data; rows with a missing value in a model column are left out (counted in
        ``nobs``).
    vcov : {"HC1", "iid"} or {"CRV1": column}, default "HC1"
        Heteroskedasticity-robust (HC1), classical, or cluster-robust by ``column``
        (small-sample factor G/(G−1)·(N−1)/(N−K), t with G−1 df, as Stata and pyfixest).

    Returns
    -------
    RegressionResult

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1.0, 2.1, 2.9, 4.2], "x": [1, 2, 3, 4]})
    >>> round(float(fit_ols("y ~ x", df, vcov="iid").coef()["x"]), 2)
    1.04

    """
    kind, cluster = parse_vcov(vcov)
    model = smf.ols(formula, data=data, missing="drop")
    rows = pd.Index(model.data.row_labels)
    if kind == "CRV1":
        groups = _cluster_groups(data, rows, cluster)
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups})
        n_clusters = int(groups.max()) + 1
        df_t = n_clusters - 1
    else:
        fit = model.fit(cov_type="nonrobust" if kind == "iid" else "HC1")
        n_clusters = None
        df_t = fit.df_resid
    extra: dict[str, Any] = {"R2": float(fit.rsquared)}
    if n_clusters is not None:
        extra["clusters"] = n_clusters
    return RegressionResult(
        params=fit.params.astype(float),
        vcov=pd.DataFrame(fit.cov_params(), index=fit.params.index, columns=fit.params.index),
        df_t=float(df_t),
        nobs=int(fit.nobs),
        vcov_type=kind,
        depvar=model.endog_names,
        model=formula,
        cluster=cluster,
        extra=extra,
    )


def etable(results: Sequence[RegressionResult], names: Sequence[str] | None = None,
           digits: int = 3, type: Literal["df", "md", "tex"] = "df",  # noqa: A002
           coefs: Sequence[str] | None = None) -> pd.DataFrame | str:
    """Set several models side by side: estimate with stars, standard error below.

    Parameters
    ----------
    results : sequence of RegressionResult
        The models, one column each.
    names : sequence of str, optional
        Column headers (default ``(1)``, ``(2)``, …).
    digits : int, default 3
        Rounding of estimates and standard errors.
    type : {"df", "md", "tex"}, default "df"
        A DataFrame, a Markdown string, or a LaTeX tabular string.
    coefs : sequence of str, optional
        Coefficients to show, in order (default: all, in order of first appearance).

    Returns
    -------
    pandas.DataFrame or str

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1.0, 2.1, 2.9, 4.2, 5.1], "x": [1, 2, 3, 4, 5]})
    >>> table = etable([fit_ols("y ~ x", df, vcov="iid")], names=["OLS"])
    >>> table.loc[("x", "estimate"), "OLS"]
    '1.030***'

    """
    if type not in ("df", "md", "tex"):
        raise ValueError(f"type={type!r}: use 'df', 'md' or 'tex'.")
    names = list(names) if names is not None else [f"({i + 1})" for i in range(len(results))]
    if len(names) != len(results):
        raise ValueError(f"{len(names)} names for {len(results)} models; give one per model.")
    if coefs is None:
        coefs = list(dict.fromkeys(name for r in results for name in r.params.index))
    rows = pd.MultiIndex.from_product([list(coefs), ["estimate", "se"]],
                                      names=["coefficient", "row"])
    table = pd.DataFrame("", index=rows, columns=names)
    for name, result in zip(names, results, strict=True):
        tidy = result.tidy()
        for coef in coefs:
            if coef not in tidy.index:
                continue
            est, se, p = tidy.loc[coef, ["Estimate", "Std. Error", "Pr(>|t|)"]]
            stars = "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else ""
            table.loc[(coef, "estimate"), name] = f"{est:.{digits}f}{stars}"
            table.loc[(coef, "se"), name] = f"({se:.{digits}f})"
    footer = pd.DataFrame(
        {
            name: [r.depvar, str(r.nobs),
                   r.vcov_type + (f" by {r.cluster}" if r.cluster else "")]
            for name, r in zip(names, results, strict=True)
        },
        index=pd.MultiIndex.from_tuples([("Dependent variable", ""), ("Observations", ""),
                                         ("Inference", "")], names=["coefficient", "row"]),
    )
    table = pd.concat([table, footer])
    if type == "df":
        return table
    flat = table.copy()
    flat.index = [coef if row != "se" else "" for coef, row in table.index]
    if type == "md":
        return flat.to_markdown()
    return flat.style.to_latex(hrules=True)


__all__ = ["RegressionResult", "TIDY_COLUMNS", "etable", "fit_ols", "parse_vcov"]
