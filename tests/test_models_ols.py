"""fit_ols and etable, checked against pyfixest (an independent implementation of the same
estimators and small-sample conventions as Stata's ``regress, vce(robust|cluster)``)."""

import numpy as np
import pandas as pd
import pyfixest as pf
import pytest

from evalkit.models import TIDY_COLUMNS, etable, fit_ols


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(11)
    n = 400
    df = pd.DataFrame({"x": rng.normal(size=n), "z": rng.normal(size=n),
                       "g": np.repeat(np.arange(40), 10)})
    shock = rng.normal(size=40)[df["g"]]
    df["y"] = 1.0 + 0.5 * df["x"] - 0.2 * df["z"] + shock + rng.normal(size=n) * (1 + df["x"] ** 2)
    return df


@pytest.mark.parametrize(("ours", "theirs"), [("iid", "iid"), ("HC1", "hetero"),
                                              ({"CRV1": "g"}, {"CRV1": "g"})])
def test_fit_ols_equals_pyfixest(data, ours, theirs):
    # Reference: pyfixest.feols("y ~ x + z", vcov=...) on the same data.
    result = fit_ols("y ~ x + z", data, vcov=ours).tidy()
    reference = pf.feols("y ~ x + z", data=data, vcov=theirs).tidy()
    assert list(result.columns) == TIDY_COLUMNS
    np.testing.assert_allclose(result.to_numpy(), reference[TIDY_COLUMNS].to_numpy(),
                               rtol=1e-8, atol=1e-12)


def test_fit_ols_drops_missing_rows_and_counts_them(data):
    holes = data.copy()
    holes.loc[[0, 5, 7], "x"] = np.nan
    result = fit_ols("y ~ x", holes, vcov={"CRV1": "g"})
    assert result.nobs == len(data) - 3
    # Same fit as on the complete rows (statsmodels' missing="drop").
    complete = fit_ols("y ~ x", holes.dropna(), vcov={"CRV1": "g"})
    pd.testing.assert_frame_equal(result.tidy(), complete.tidy())


def test_bad_vcov_is_refused_with_the_vocabulary(data):
    with pytest.raises(ValueError, match="HC1"):
        fit_ols("y ~ x", data, vcov="HC3")
    with pytest.raises(KeyError, match="nope"):
        fit_ols("y ~ x", data, vcov={"CRV1": "nope"})


def test_summary_has_no_timestamp_and_is_stable(data):
    text = fit_ols("y ~ x", data).summary(digits=3)
    assert "Date" not in text and "Time" not in text
    assert text == fit_ols("y ~ x", data).summary(digits=3)
    assert "Intercept" in text and "HC1" in text


def test_etable_sets_models_side_by_side(data):
    m1 = fit_ols("y ~ x", data, vcov="iid")
    m2 = fit_ols("y ~ x + z", data, vcov={"CRV1": "g"})
    table = etable([m1, m2], names=["A", "B"])
    # Estimate and stars follow each model's own tidy() (p < 0.001 → ***).
    est = m2.tidy().loc["z"]
    stars = "***" if est["Pr(>|t|)"] < 0.001 else "**" if est["Pr(>|t|)"] < 0.01 else \
        "*" if est["Pr(>|t|)"] < 0.05 else ""
    assert table.loc[("z", "estimate"), "B"] == f"{est['Estimate']:.3f}{stars}"
    assert table.loc[("z", "se"), "B"] == f"({est['Std. Error']:.3f})"
    assert table.loc[("z", "estimate"), "A"] == ""  # not in model A
    assert table.loc[("Observations", ""), "A"] == str(len(data))
    md = etable([m1, m2], type="md")
    assert md.splitlines()[0].startswith("|") and "(2)" in md
    tex = etable([m1, m2], type="tex")
    assert "\\begin{tabular}" in tex and "\\toprule" in tex
