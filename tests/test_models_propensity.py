"""att_ipw / att_aipw on LaLonde's NSW data (causaldata: nsw_mixtape, cps_mixtape).

References: the experimental benchmark $1,794 (Dehejia & Wahba 1999, NSW treated vs NSW
controls, re78); the naive comparison of NSW treated with CPS controls, about −$8,498
(Cunningham, *Causal Inference: The Mixtape*, ch. 5); and R DRDID's estimators as ported
in moderndid 0.2 (``std_ipw_did_panel`` and ``drdid_panel`` with a zero pre-period outcome,
which reduce to the cross-sectional normalised IPW and doubly robust ATT).
"""

import warnings

import numpy as np
import pandas as pd
import patsy
import pytest

from evalkit.models import att_aipw, att_ipw, balance

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
    result = ours(nsw_cps, "re78", "treat", COVARIATES)
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
    for estimator in (att_ipw, att_aipw):
        result = estimator(nsw_cps, "re78", "treat", COVARIATES)
        # Far from the naive -8,498 and with the experimental 1,794 inside the 95% CI.
        assert result.ci_low < 1794 < result.ci_high
        table = result.balance.set_index("covariate")
        assert table["smd_before"].abs().max() > 1.0  # CPS controls are very different
        assert table["smd_after"].abs().max() < 0.1  # weighting balances them
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
    # IF = [1, -1, 2, 0, -2]; clusters {a: 1 − 1 = 0, b: 2 + 0 = 2, c: −2}:
    # variance = (0² + 2² + (−2)²) / 5² = 8 / 25 → SE = sqrt(8)/5 (worked by hand).
    from evalkit.models import influence_se
    inf = np.array([1.0, -1.0, 2.0, 0.0, -2.0])
    assert influence_se(inf, ["a", "a", "b", "b", "c"]) == pytest.approx(np.sqrt(8) / 5)
    # unclustered: sample sd (ddof=1) / sqrt(n); mean 0, sum of squares 10 → sqrt(10/4)/sqrt(5)
    assert influence_se(inf) == pytest.approx(np.sqrt(10 / 4) / np.sqrt(5))
    with pytest.raises(ValueError, match="missing labels"):
        influence_se(inf, ["a", None, "b", "b", "c"])


def test_singleton_clusters_equal_the_unclustered_se(nsw_cps):
    # Each row its own cluster: sum IF_i² / n² against var(IF, ddof=1) / n, which differ
    # only by (n − 1)/n because the IF has mean zero by construction.
    data = nsw_cps.assign(row=np.arange(len(nsw_cps)))
    for estimator in (att_ipw, att_aipw):
        plain = estimator(data, "re78", "treat", ["age", "educ"])
        single = estimator(data, "re78", "treat", ["age", "educ"], cluster="row")
        n = len(data)
        assert abs(plain.influence.mean()) < 1e-6 * np.abs(plain.influence).mean()
        assert single.se == pytest.approx(plain.se * np.sqrt((n - 1) / n), rel=1e-6)
        assert single.estimate == plain.estimate


def test_clustered_se_uses_within_cluster_sums(nsw_cps):
    data = nsw_cps.assign(group=np.arange(len(nsw_cps)) % 7)
    fit = att_aipw(data, "re78", "treat", ["age", "educ"], cluster="group")
    sums = pd.Series(fit.influence).groupby(data["group"].to_numpy()).sum()
    assert fit.se == pytest.approx(np.sqrt((sums ** 2).sum()) / len(data))
    with pytest.raises(ValueError, match="not in the data"):
        att_aipw(data, "re78", "treat", ["age"], cluster="nope")
