"""Minimum detectable effect and multiple-testing adjustment.

References: with ICC 0 the MDE must equal statsmodels' two-sample normal power solution
(NormalIndPower) times the SD; the design effect 1 + (m − 1)·ICC is Kish's (1965). Holm and
Benjamini–Hochberg adjusted p-values are computed by hand from their definitions.
"""

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.power import NormalIndPower

from evalkit.models import adjust_pvalues, mde_ikm


def test_mde_without_clustering_equals_two_sample_power():
    n_units, n_periods, m = 20, 2, 50
    per_arm = n_units * n_periods * m / 2
    # rel 1e-4: statsmodels also counts the (negligible) power of the opposite tail.
    effect = NormalIndPower().solve_power(nobs1=per_arm, ratio=1.0, alpha=0.05, power=0.8)
    assert mde_ikm(n_units, n_periods, m, icc=0.0, sd=12.0) == pytest.approx(12.0 * effect,
                                                                             rel=1e-4)


def test_mde_scales_with_design_effect():
    base = mde_ikm(30, 4, 100, icc=0.0, sd=10.0)
    clustered = mde_ikm(30, 4, 100, icc=0.05, sd=10.0)
    assert clustered / base == pytest.approx(np.sqrt(1 + (400 - 1) * 0.05))
    # More units help more than more respondents once the ICC bites.
    assert mde_ikm(60, 4, 100, 0.05, 10.0) < mde_ikm(30, 4, 200, 0.05, 10.0)


def test_mde_refuses_impossible_inputs():
    with pytest.raises(ValueError, match="icc"):
        mde_ikm(30, 4, 100, icc=1.2, sd=10.0)


def test_holm_and_bh_by_hand():
    p = pd.Series([0.01, 0.04, 0.03, 0.20], index=["u1", "u2", "u3", "u4"])
    holm = adjust_pvalues(p, "holm")
    # Sorted 0.01, 0.03, 0.04, 0.20 times 4, 3, 2, 1, then running max.
    assert holm["p_adjusted"].to_dict() == pytest.approx(
        {"u1": 0.04, "u3": 0.09, "u2": 0.09, "u4": 0.20})
    bh = adjust_pvalues(p, "bh")
    # p_(i) * n / i, then running min from the top: 0.04, 0.0533, 0.0533, 0.20.
    assert bh["p_adjusted"].to_dict() == pytest.approx(
        {"u1": 0.04, "u3": 0.16 / 3, "u2": 0.16 / 3, "u4": 0.20})
    assert bh["reject"].tolist() == [True, False, False, False]
    with pytest.raises(ValueError, match="holm"):
        adjust_pvalues(p, "sidak")


def test_icc_by_hand():
    from evalkit.models import icc_oneway

    # Group means 2 and 8, grand mean 5: MSB = 54, MSW = 1, n0 = 3 → (54 − 1)/(54 + 2) = 53/56.
    assert icc_oneway([1, 2, 3, 7, 8, 9], [0, 0, 0, 1, 1, 1]) == pytest.approx(53 / 56)
    # No between-group variation → truncated at 0.
    assert icc_oneway([1, 2, 3, 1, 2, 3], [0, 0, 0, 1, 1, 1]) == 0.0


def test_respondent_ikm_averages_answered_items_only():
    from evalkit.models import respondent_ikm

    skm = pd.DataFrame({f"u{k}": [4, 1, 2] for k in range(1, 10)}).astype("Int8")
    skm.loc[2, "u1"] = pd.NA  # blank: the mean of eight 2s, not (0 + 8·2)/9
    assert respondent_ikm(skm).tolist() == [100.0, 25.0, 50.0]


def test_mde_scenarios_cover_the_grid_with_doubled_respondents():
    from evalkit.models import mde_scenarios

    out = mde_scenarios(icc=0.05, sd=10.0, respondents=50, units=(30, 60), quarters=(4,))
    assert out[["units", "quarters", "respondents_per_quarter"]].to_numpy().tolist() == [
        [30, 4, 50], [30, 4, 100], [60, 4, 50], [60, 4, 100]]
    # Bloom's formula by hand for J=30, T=4, m=100, ICC .05, σ 10, P .5, 80% power:
    # DEFF = 1 + 399·.05 = 20.95; MDE = 2.8016 · 10 · sqrt(20.95 / (.25 · 30 · 400)) = 2.3414
    assert out.loc[1, "mde_ikm_points"] == pytest.approx(2.3414, abs=1e-3)
    # Twice the units shrink the MDE by √2 (the design effect is unchanged)
    assert out.loc[3, "mde_ikm_points"] == pytest.approx(out.loc[1, "mde_ikm_points"]
                                                         / np.sqrt(2))
