"""Ordered logit against R MASS::polr (UCLA ordinal logistic regression example).

Reference: ``polr(apply ~ pared + public + gpa, data = ologit_ucla, method = "logit",
Hess = TRUE)`` in R 3.4.4 as recorded by statsmodels' own test results
(statsmodels/miscmodels/tests/results/results_ordinal_model.py): coefficients 1.04769011,
-0.05878572, 0.61594057 (SE 0.2658, 0.2979, 0.2606), cut points 2.203915, 4.299363.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels

from evalkit.models import fit_ordered_logit

UCLA = Path(statsmodels.__file__).parent / "miscmodels/tests/results/ologit_ucla.csv"


@pytest.fixture(scope="module")
def ucla():
    if not UCLA.is_file():
        pytest.skip("statsmodels test data not installed")
    df = pd.read_csv(UCLA)
    df["apply"] = pd.Categorical(df["apply"], categories=["unlikely", "somewhat likely",
                                                          "very likely"], ordered=True)
    return df


def test_matches_r_polr(ucla):
    # Tolerance 5e-4: polr stops optim's BFGS at its default reltol; Newton, BFGS and
    # Nelder-Mead in statsmodels agree with each other to 1e-5 and with polr to 2e-4
    # (cut points 6e-4).
    fit = fit_ordered_logit(ucla, "apply", ["pared", "public", "gpa"])
    tidy = fit.tidy()
    np.testing.assert_allclose(tidy.loc[["pared", "public", "gpa"], "Estimate"],
                               [1.04769011, -0.05878572, 0.61594057], atol=5e-4)
    np.testing.assert_allclose(tidy.loc[["pared", "public", "gpa"], "Std. Error"],
                               [0.2658, 0.2979, 0.2606], atol=1e-3)
    cuts = tidy.loc[["cut unlikely|somewhat likely", "cut somewhat likely|very likely"],
                    "Estimate"]
    np.testing.assert_allclose(cuts, [2.203915, 4.299363], atol=1e-3)


def test_unordered_outcome_is_refused(ucla):
    bad = ucla.assign(apply=ucla["apply"].cat.as_unordered())
    with pytest.raises(ValueError, match="ordered"):
        fit_ordered_logit(bad, "apply", ["gpa"])


def test_fixed_effects_enter_as_dummies_without_the_first_level(ucla):
    # public is 0/1, so public as a fixed effect is one dummy "public[1]" and must give
    # R polr's fit with public as a covariate (the numbers of test_matches_r_polr).
    fit = fit_ordered_logit(ucla, "apply", ["pared", "gpa"], fixed_effects=["public"])
    coef = fit.coef()
    assert "public[0]" not in coef.index
    np.testing.assert_allclose(coef[["pared", "public[1]", "gpa"]],
                               [1.04769011, -0.05878572, 0.61594057], atol=5e-4)
