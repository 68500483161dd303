"""att_ipw / att_aipw on LaLonde's NSW data (causaldata: nsw_mixtape, cps_mixtape).

References: the experimental benchmark $1,794 (Dehejia & Wahba 1999, NSW treated vs NSW
controls, re78); the naive comparison of NSW treated with CPS controls, about −$8,498
(Cunningham, *Causal Inference: The Mixtape*, ch. 5); and R DRDID's estimators as ported
in moderndid 0.2 (``std_ipw_did_panel`` and ``drdid_panel`` with a zero pre-period outcome,
which reduce to the cross-sectional normalised IPW and doubly robust ATT).

The panel DiD reference is DRDID's README example on the NSW–CPS panel,
``drdid(yname="re", tname="year", idname="id", dname="experimental",
xformla=~age+educ+black+married+nodegree+hisp+re74, data=eval_lalonde_cps, panel=TRUE)``
(https://github.com/pedrohcgs/DRDID, README.md; the README does not print its output). Its
printed results, full sample of 16,417 units (425 NSW controls as "treated", 15,992 CPS):

* R DRDID (as printed in M. Nguyen, *A Guide on Data Analysis*, chapter "Synthetic
  control", section "Doubly Robust Difference-in-Differences"): "Further improved locally
  efficient DR DID estimator for the ATT: -901.2703, Std. Error 393.6247";
* Stata ``drdid`` by F. Rios-Avila (https://friosavila.github.io/playingwithstata/drdid,
  README of ``drdid ... if treated==0 | sample==2, ivar(id) time(year) tr(experimental)
  all``): drimp −901.2703 (393.6127), dripw −871.3271 (396.0211), stdipw −1021.609
  (397.5201); an earlier version of the same page printed 393.6247 and 396.0332.

The two SE prints differ by exactly sqrt(n/(n−1)) (n = 16,417): sd(IF)/sqrt(n) in DRDID
before its "unify degrees of freedom adj" commit (pedrohcgs/DRDID 83a438c), sd(IF)·sqrt(n−1)/n
after it (R/drdid_imp_panel.R), which is our convention (:func:`influence_se`). The panel
data come from moderndid (``load_nsw``: DRDID's ``nsw_long`` already subset to
``treated == 0 | sample == 2``). DRDID's reference-manual example draws a 5,000-unit
subsample with R's ``set.seed(123)``, which cannot be reproduced without R.
"""

import warnings

import numpy as np
import pandas as pd
import patsy
import pytest

from evalkit.models import att_aipw, att_ipw, balance
from evalkit.models.propensity import (
    PropensityScoreError,
    ipt_pscore,
    logit_pscore,
    separating_covariates,
)

causaldata = pytest.importorskip("causaldata")
md = pytest.importorskip("moderndid")

COVARIATES = ["age", "I(age**2)", "educ", "black", "hisp", "marr", "nodegree", "re74", "re75",
              "u74", "u75"]


def _floats(frame):
    return frame.drop(columns="data_id").astype(float)


@pytest.fixture(scope="module")
def nsw():
    return _floats(causaldata.nsw_mixtape.load_pandas().data)


@pytest.fixture(scope="module")
def nsw_cps(nsw):
    cps = _floats(causaldata.cps_mixtape.load_pandas().data)
    data = pd.concat([nsw[nsw["treat"] == 1], cps], ignore_index=True)
    data["u74"] = (data["re74"] == 0).astype(float)
    data["u75"] = (data["re75"] == 0).astype(float)
    return data


def test_experimental_benchmark(nsw):
    # Dehejia & Wahba (1999): the randomised NSW difference in 1978 earnings is $1,794.
    means = nsw.groupby("treat")["re78"].mean()
    assert means[1] - means[0] == pytest.approx(1794.34, abs=0.5)


def test_naive_cps_comparison(nsw_cps):
    # The Mixtape: NSW treated vs CPS controls, naive difference about -$8,498.
    means = nsw_cps.groupby("treat")["re78"].mean()
    assert means[1] - means[0] == pytest.approx(-8497.5, abs=1.0)


@pytest.mark.parametrize(("ours", "theirs"), [(att_ipw, "std_ipw_did_panel"),
                                              (att_aipw, "drdid_panel")])
def test_equals_drdid_port(nsw_cps, ours, theirs):
    kwargs = {"method": "trad"} if ours is att_aipw else {}
    result = ours(nsw_cps, "re78", "treat", COVARIATES, **kwargs)
    X = patsy.dmatrix(" + ".join(COVARIATES), nsw_cps, return_type="dataframe").to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = getattr(md, theirs)(y1=nsw_cps["re78"].to_numpy(), y0=np.zeros(len(nsw_cps)),
                                  d=nsw_cps["treat"].to_numpy(), covariates=X)
    # The two logit fits stop at slightly different iterates on these badly scaled
    # covariates (earnings in dollars next to 0/1), hence 1e-3 rather than 1e-8.
    assert result.estimate == pytest.approx(ref.att, rel=1e-3)
    assert result.se == pytest.approx(float(ref.se), rel=1e-3)


def test_weighting_recovers_the_experimental_range_and_balances(nsw_cps):
    for estimator, kwargs in ((att_ipw, {}), (att_aipw, {"method": "trad"}),
                              (att_aipw, {"method": "imp"})):
        result = estimator(nsw_cps, "re78", "treat", COVARIATES, **kwargs)
        # Far from the naive -8,498 and with the experimental 1,794 inside the 95% CI.
        assert result.ci_low < 1794 < result.ci_high
        table = result.balance.set_index("covariate")
        assert table["smd_before"].abs().max() > 1.0  # CPS controls are very different
        assert table["smd_after"].abs().max() < 0.1  # weighting balances them
        if kwargs.get("method") == "imp":  # tilting balances the means exactly
            assert table["smd_after"].abs().max() < 1e-6
        assert result.n_treated == 185 and result.n_control == 15992


def test_balance_by_hand():
    # SMD = (mean_t - mean_c) / sqrt((var_t + var_c) / 2), sample variances.
    df = pd.DataFrame({"d": [1, 1, 1, 0, 0, 0], "x": [1.0, 2.0, 3.0, 0.0, 0.0, 3.0]})
    expected = (2.0 - 1.0) / np.sqrt((1.0 + 3.0) / 2)
    weights = np.array([0, 0, 0, 1.0, 1.0, 2.0])  # weighted control mean = 6/4 = 1.5
    row = balance(df, "d", ["x"], weights=weights).iloc[0]
    assert row["smd_before"] == pytest.approx(expected)
    assert row["smd_after"] == pytest.approx((2.0 - 1.5) / np.sqrt(2.0))


def test_treatment_must_be_binary(nsw_cps):
    bad = nsw_cps.assign(treat=nsw_cps["treat"] * 2)
    with pytest.raises(ValueError, match="0/1"):
        att_ipw(bad, "re78", "treat", ["age"])


# --- cluster-robust influence-function SE (added for the SKP models of notebook 04) -------

def test_cluster_se_by_hand():
    # IF = [1, -1, 2, 0, -2] (mean 0); clusters {a: 1 − 1 = 0, b: 2 + 0 = 2, c: −2}:
    # variance = (0² + 2² + (−2)²) / 5² = 8 / 25 → SE = sqrt(8)/5 (worked by hand).
    from evalkit.models import influence_se
    inf = np.array([1.0, -1.0, 2.0, 0.0, -2.0])
    assert influence_se(inf, ["a", "a", "b", "b", "c"]) == pytest.approx(np.sqrt(8) / 5)
    # unclustered: DRDID's sd(IF)·sqrt(n−1)/n = sqrt(sum of squares 10) / 5
    assert influence_se(inf) == pytest.approx(np.sqrt(10) / 5)
    # centred first: a shift of every IF by 1 changes nothing
    assert influence_se(inf + 1.0) == pytest.approx(np.sqrt(10) / 5)
    with pytest.raises(ValueError, match="missing labels"):
        influence_se(inf, ["a", None, "b", "b", "c"])


def test_singleton_clusters_equal_the_unclustered_se(nsw_cps):
    # One convention: each row its own cluster is exactly the unclustered SE; only the
    # interval changes, to t with G − 1 = n − 1 df.
    data = nsw_cps.assign(row=np.arange(len(nsw_cps)))
    n = len(data)
    for estimator in (att_ipw, att_aipw):
        plain = estimator(data, "re78", "treat", ["age", "educ"])
        single = estimator(data, "re78", "treat", ["age", "educ"], cluster="row")
        assert abs(plain.influence.mean()) < 1e-6 * np.abs(plain.influence).mean()
        assert single.se == pytest.approx(plain.se, rel=1e-12)
        assert single.estimate == plain.estimate
        assert plain.df == np.inf and single.df == n - 1 and single.n_clusters == n


def test_clustered_se_uses_within_cluster_sums(nsw_cps):
    data = nsw_cps.assign(group=np.arange(len(nsw_cps)) % 7)
    fit = att_aipw(data, "re78", "treat", ["age", "educ"], cluster="group")
    sums = pd.Series(fit.influence).groupby(data["group"].to_numpy()).sum()
    assert fit.se == pytest.approx(np.sqrt((sums ** 2).sum()) / len(data))
    # 7 clusters: the interval is estimate ± t(0.975, 6)·se = ± 2.446912·se (t table)
    assert fit.ci_high - fit.estimate == pytest.approx(2.446912 * fit.se, rel=1e-6)
    assert fit.conf_int(0.05) == pytest.approx((fit.ci_low, fit.ci_high))
    with pytest.raises(ValueError, match="not in the data"):
        att_aipw(data, "re78", "treat", ["age"], cluster="nope")


# --- DRDID's README example on the NSW–CPS panel (see the module docstring) -------------

@pytest.fixture(scope="module")
def nsw_panel():
    long = md.load_nsw().to_pandas()
    wide = long.pivot(index="id", columns="year", values="re")
    units = long[long["year"] == 1975].set_index("id")
    return units.assign(dre=wide[1978] - wide[1975])


DRDID_X = ["age", "educ", "black", "married", "nodegree", "hisp", "re74"]


@pytest.mark.parametrize(("estimator", "kwargs", "att", "se"), [
    (att_aipw, {"method": "imp"}, -901.2703, 393.6127),   # drdid(), estMethod "imp"
    (att_aipw, {"method": "trad"}, -871.3271, 396.0211),  # estMethod "trad"
    (att_ipw, {}, -1021.609, 397.5201),                   # ipwdid(..., normalized=TRUE)
])
def test_drdid_readme_example(nsw_panel, estimator, kwargs, att, se):
    fit = estimator(nsw_panel, "dre", "experimental", DRDID_X, **kwargs)
    assert (fit.n_treated, fit.n_control, fit.n_trimmed) == (425, 15992, 0)
    # Printed to 4 decimals (stdipw to 3); SE at the print's precision.
    assert fit.estimate == pytest.approx(att, abs=1e-3)
    assert fit.se == pytest.approx(se, abs=2e-4)


def test_drdid_readme_se_of_older_drdid(nsw_panel):
    # R DRDID's own print, sd(IF)/sqrt(n): 393.6247 = ours · sqrt(n/(n−1)).
    fit = att_aipw(nsw_panel, "dre", "experimental", DRDID_X)
    n = len(nsw_panel)
    assert fit.estimator == "imp"
    assert fit.se * np.sqrt(n / (n - 1)) == pytest.approx(393.6247, abs=2e-4)
    assert fit.ci_low == pytest.approx(-901.2703 - 1.959964 * fit.se, abs=1e-3)


def test_ipt_reweights_controls_to_the_treated_totals(nsw_panel):
    # The first-order condition of the tilting: Σ_controls x·p/(1−p) = Σ_treated x.
    X = patsy.dmatrix(" + ".join(DRDID_X), nsw_panel, return_type="dataframe").to_numpy()
    d = nsw_panel["experimental"].to_numpy(dtype=float)
    ps = ipt_pscore(d, X)
    odds = ps / (1 - ps)
    assert X[d == 0].T @ odds[d == 0] == pytest.approx(X[d == 1].sum(axis=0), rel=1e-6)


def test_separation_by_one_covariate_names_it():
    # cell_b = 1 only among controls: quasi-complete separation (its coefficient → −∞).
    frame = pd.DataFrame({"d": [1, 1, 1, 0, 0, 0, 0, 0], "age": [30, 41, 25, 33, 52, 28, 45, 39],
                          "cell_b": [0, 0, 0, 1, 0, 1, 0, 1], "y": np.arange(8.0)})
    assert separating_covariates(frame["d"].to_numpy(), frame[["age", "cell_b"]].to_numpy(),
                                 ["age", "cell_b"]) == ["cell_b"]
    for kwargs in ({"method": "imp"}, {"method": "trad"}):
        with pytest.raises(PropensityScoreError, match="cell_b separate"):
            att_aipw(frame, "y", "d", ["age", "cell_b"], **kwargs)
    with pytest.raises(ValueError, match="cells_with_both_groups"):  # a ValueError subclass
        att_ipw(frame, "y", "d", ["age", "cell_b"])


def test_separation_by_a_combination_is_refused():
    # x1 + x2 > 0 exactly for the treated, while neither column separates on its own.
    x1 = np.array([2.0, -1.0, 3.0, 0.5, -2.0, 1.0, -3.0, 0.0])
    x2 = np.array([-1.0, 2.0, -2.0, 0.0, 1.0, -2.0, 2.0, -1.0])
    d = (x1 + x2 > 0).astype(float)
    X = np.column_stack([np.ones(8), x1, x2])
    assert separating_covariates(d, X) == []
    with pytest.raises(PropensityScoreError, match="separat|did not converge"):
        logit_pscore(d, X, ["Intercept", "x1", "x2"])
    # Quasi-complete: two more rows tie on the boundary x1 + x2 = 0, one of each group.
    d_quasi = np.append(d, [1.0, 0.0])
    X_quasi = np.vstack([X, [[1.0, 1.0, -1.0], [1.0, -1.0, 1.0]]])
    assert separating_covariates(d_quasi, X_quasi) == []
    with pytest.raises(PropensityScoreError, match="separat|did not converge"):
        logit_pscore(d_quasi, X_quasi, ["Intercept", "x1", "x2"])


def test_aipw_method_is_checked(nsw_cps):
    with pytest.raises(ValueError, match="imp"):
        att_aipw(nsw_cps, "re78", "treat", ["age"], method="improved")
