"""The estimators on public data with known answers (notebook 07).

LaLonde's NSW experiment and the ``mpdta`` county panel of R's ``did`` package.

Loaders of the two data sets (shipped by ``causaldata`` and ``moderndid``), the published R
output that :func:`evalkit.models.staggered_did` must reproduce (``evalkit/data/
r_did_mpdta_att_gt.csv``, read by notebook 07 and the tests, and ``r_did_mpdta_printed.csv``:
R did 2.5.1's printed att_gt/aggte output of its manual and vignette, with provenance), and
the tables that set estimates beside their benchmark.

Examples
--------
>>> published = published_mpdta_att_gt()
>>> len(published), published.columns.tolist()
(12, ['group', 'time', 'att', 'se'])

"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources

import pandas as pd

from evalkit.effects.compare import rollout_indicator
from evalkit.models import ATTResult, RegressionResult, StaggeredDidResult

#: R ``did``'s printed ATT(g, t) on ``mpdta`` (provenance in the file's header comment).
R_DID_MPDTA_ATT_GT = "r_did_mpdta_att_gt.csv"

#: R ``did`` 2.5.1's printed att_gt/aggte output on ``mpdta`` from its reference manual and
#: "Getting Started" vignette: ATT(g, t), pre-test p-values, the four aggregations and their
#: overall lines, each row with its provenance (header comment of the file).
R_DID_MPDTA_PRINTED = "r_did_mpdta_printed.csv"

#: Effect of the NSW programme on 1978 earnings in the randomised experiment (US$; Dehejia
#: & Wahba 1999): the number an observational method should recover.
LALONDE_BENCHMARK = 1794.0

#: Dehejia & Wahba's propensity specification: age and its square, schooling, race,
#: marital status, no degree, earnings and zero-earnings indicators for 1974 and 1975.
LALONDE_COVARIATES = ["age", "I(age**2)", "educ", "black", "hisp", "marr", "nodegree", "re74",
                      "re75", "u74", "u75"]

#: Multiplier of the standard error for the 95% intervals of :func:`benchmark_table`.
Z_95 = 1.96


def as_float(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a ``causaldata`` table without its ``data_id`` column, all columns float64.

    causaldata ships int8/float32 columns; the estimators work in float64.

    Examples
    --------
    >>> as_float(pd.DataFrame({"data_id": ["x"], "treat": pd.array([1], "int8")})).dtypes.tolist()
    [dtype('float64')]

    """
    return frame.drop(columns="data_id").astype(float)


def lalonde_experiment() -> pd.DataFrame:
    """Load the NSW experiment (``causaldata.nsw_mixtape``): randomised trainees, controls.

    Examples
    --------
    >>> nsw = lalonde_experiment()
    >>> len(nsw), int(nsw["treat"].sum())
    (445, 185)

    """
    from causaldata import nsw_mixtape

    return as_float(nsw_mixtape.load_pandas().data)


def lalonde_observational() -> pd.DataFrame:
    """Load the NSW trainees with CPS respondents (``causaldata.cps_mixtape``) as controls.

    Adds ``u74`` and ``u75``: 1.0 for no earnings in 1974 / 1975.

    Examples
    --------
    >>> obs = lalonde_observational()
    >>> int(obs["treat"].sum()), int((obs["treat"] == 0).sum())
    (185, 15992)

    """
    from causaldata import cps_mixtape

    nsw = lalonde_experiment()
    cps = as_float(cps_mixtape.load_pandas().data)
    data = pd.concat([nsw[nsw["treat"] == 1], cps], ignore_index=True)
    data["u74"] = (data["re74"] == 0).astype(float)  # no earnings in 1974
    data["u75"] = (data["re75"] == 0).astype(float)  # no earnings in 1975
    return data


def _estimate_se(result: RegressionResult | ATTResult, term: str) -> tuple[float, float]:
    if isinstance(result, ATTResult):
        return float(result.estimate), float(result.se)
    return float(result.coef()[term]), float(result.se()[term])


def benchmark_table(results: Mapping[str, RegressionResult | ATTResult], benchmark: float,
                    term: str = "treat") -> pd.DataFrame:
    """Tabulate estimates of one effect with 95% intervals and whether each covers a benchmark.

    Parameters
    ----------
    results : mapping of name → result
        :func:`~evalkit.models.fit_ols` results (the coefficient of ``term`` is read) or
        :func:`~evalkit.models.att_ipw` / :func:`~evalkit.models.att_aipw` results.
    benchmark : float
        The value each interval should cover (e.g. :data:`LALONDE_BENCHMARK`).
    term : str
        The treatment coefficient of regression results.

    Returns
    -------
    pandas.DataFrame
        ``method`` (the names), ``estimate``, ``se``, ``ci_low``, ``ci_high`` (estimate ±
        1.96 se) and ``covers_<benchmark>``.

    Examples
    --------
    >>> from evalkit.models import fit_ols
    >>> fit = fit_ols("y ~ treat", pd.DataFrame({"treat": [0.0, 0, 1, 1], "y": [1.0, 3, 3, 5]}))
    >>> benchmark_table({"ols": fit}, 2.0).columns.tolist()[-1]
    'covers_2'

    """
    rows = [(name, *_estimate_se(result, term)) for name, result in results.items()]
    table = pd.DataFrame(rows, columns=["method", "estimate", "se"])
    table["ci_low"] = table["estimate"] - Z_95 * table["se"]
    table["ci_high"] = table["estimate"] + Z_95 * table["se"]
    covers = (table["ci_low"] <= benchmark) & (benchmark <= table["ci_high"])
    table[f"covers_{benchmark:g}"] = covers
    return table


def load_mpdta() -> pd.DataFrame:
    """Load R ``did``'s ``mpdta`` (500 counties, 2003–2007; from ``moderndid``) with ``post``.

    ``post`` is 1.0 from a county's first treated year on (``first.treat`` > 0), the
    regressor of the conventional TWFE comparison.

    Examples
    --------
    >>> m = load_mpdta()
    >>> m["countyreal"].nunique(), sorted(m["first.treat"].unique().tolist())
    (500, [0, 2004, 2006, 2007])

    """
    from moderndid import load_mpdta as moderndid_mpdta

    mpdta = moderndid_mpdta().to_pandas()
    mpdta["post"] = rollout_indicator(mpdta, time="year", cohort="first.treat")
    return mpdta


def published_mpdta_att_gt() -> pd.DataFrame:
    """Read R ``did``'s printed ATT(g, t) on ``mpdta`` with never-treated controls.

    Read from :data:`R_DID_MPDTA_ATT_GT`, whose header comment gives the R call and where
    the numbers were printed.

    Returns
    -------
    pandas.DataFrame
        ``group``, ``time`` (int), ``att`` (4 printed decimals), ``se`` (one run's
        multiplier-bootstrap standard error).

    Examples
    --------
    >>> published_mpdta_att_gt().set_index(["group", "time"]).loc[(2004, 2006), "att"]
    np.float64(-0.1373)

    """
    path = resources.files("evalkit") / "data" / R_DID_MPDTA_ATT_GT
    with path.open(encoding="utf-8") as handle:
        return pd.read_csv(handle, comment="#")


def published_mpdta_did(example: str | None = None) -> pd.DataFrame:
    """Read R ``did``'s printed output on ``mpdta`` (:data:`R_DID_MPDTA_PRINTED`).

    Parameters
    ----------
    example : str, optional
        Keep one printed block (e.g. ``"att_gt_out2"``, ``"aggte_out"``,
        ``"basics_mw_dyn_balance"``).

    Returns
    -------
    pandas.DataFrame
        ``example``, ``control_group``, ``xformla`` (empty when R's ``NULL``), ``kind``,
        ``group``, ``time``, ``event_time`` (nullable integers), ``estimate``, ``se``,
        ``band_low``, ``band_high``, ``p_value`` (floats, as printed) and ``provenance``.

    Examples
    --------
    >>> pre = published_mpdta_did("att_gt_out2").query("kind == 'pretest'")
    >>> float(pre["p_value"].iloc[0])
    0.23267

    """
    path = resources.files("evalkit") / "data" / R_DID_MPDTA_PRINTED
    with path.open(encoding="utf-8") as handle:
        table = pd.read_csv(handle, comment="#", keep_default_na=False,
                            na_values={c: [""] for c in ("group", "time", "event_time",
                                                         "estimate", "se", "band_low",
                                                         "band_high", "p_value")})
    table = table.astype({"group": "Int64", "time": "Int64", "event_time": "Int64"})
    if example is not None:
        if example not in set(table["example"]):
            raise KeyError(f"example={example!r} not in {R_DID_MPDTA_PRINTED}; it has "
                           f"{sorted(set(table['example']))}.")
        table = table[table["example"] == example].reset_index(drop=True)
    return table


def att_gt_against_published(result: StaggeredDidResult,
                             boot: StaggeredDidResult | None = None,
                             published: pd.DataFrame | None = None,
                             digits: int = 4) -> pd.DataFrame:
    """Set group-time effects beside R's printed ones, and whether they agree when rounded.

    Parameters
    ----------
    result : StaggeredDidResult
        ``staggered_did`` on ``mpdta`` (analytical standard errors).
    boot : StaggeredDidResult, optional
        The same with ``boot=True``: its standard errors become ``se_boot``.
    published : pandas.DataFrame, optional
        Default :func:`published_mpdta_att_gt`.
    digits : int
        Decimals R printed: ``matches`` compares ``att`` rounded to them.

    Returns
    -------
    pandas.DataFrame
        ``result.att_gt`` (+ ``se_boot``) with ``published``, ``published_se`` and
        ``matches``.

    Examples
    --------
    See ``tests/test_validation.py`` (it runs staggered_did on mpdta).

    """
    published = published_mpdta_att_gt() if published is None else published
    table = result.att_gt.copy()
    if boot is not None:
        table["se_boot"] = boot.att_gt["se"]
    table = table.merge(published.rename(columns={"att": "published", "se": "published_se"}),
                        on=["group", "time"], how="left")
    table["matches"] = (table["att"].round(digits) - table["published"]).abs() < 1e-9
    return table


def did_aggregates(result: StaggeredDidResult,
                   kinds: tuple[str, ...] = ("simple", "dynamic", "group")) -> pd.DataFrame:
    """Stack aggregations of a staggered DiD in one long table.

    Parameters
    ----------
    result : StaggeredDidResult
        A fitted :func:`~evalkit.models.staggered_did`.
    kinds : tuple of str
        Aggregations of :meth:`StaggeredDidResult.aggregate` (``"calendar"`` adds ``time``).

    Returns
    -------
    pandas.DataFrame
        ``kind``, ``event_time``, ``group`` and, with calendar, ``time`` (nullable integers,
        set for their kind), ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``cband_low``,
        ``cband_high``, ``crit_value`` (the simultaneous band within each kind).

    Examples
    --------
    See ``tests/test_validation.py``.

    """
    table = pd.concat([result.aggregate(kind).assign(kind=kind) for kind in kinds],
                      ignore_index=True)
    labels = ["event_time", "group"] + (["time"] if "calendar" in kinds else [])
    table = table.reindex(columns=["kind", *labels, "estimate", "se", "ci_low", "ci_high",
                                   "cband_low", "cband_high", "crit_value"])
    return table.astype({label: "Int64" for label in labels})


__all__ = ["LALONDE_BENCHMARK", "LALONDE_COVARIATES", "R_DID_MPDTA_ATT_GT", "Z_95", "as_float",
           "att_gt_against_published", "benchmark_table", "did_aggregates",
           "lalonde_experiment", "lalonde_observational", "load_mpdta",
           "published_mpdta_att_gt", "published_mpdta_did", "R_DID_MPDTA_PRINTED"]
