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
from evalkit.models.power import (
    DidVarianceComponents,
    block_rollout,
    did_design_se,
    did_mde,
    did_power_simulation,
    did_scenarios,
    did_variance_components,
    mde_from_se,
    pooled_within_sd,
    treatment_matrix,
)


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


# --- the design route: variance components, formula, placebo roll-outs -------------------



def staggered_panel(n_units, n_periods, sigma_e, effect=0.0, seed=0, cohorts=(0, 4, 6)):
    """Unit + period effects + iid errors of known SD, staggered cohorts, a known effect."""
    rng = np.random.default_rng(seed)
    panel = pd.DataFrame({"unit": np.repeat(np.arange(n_units), n_periods),
                          "t": np.tile(np.arange(1, n_periods + 1), n_units)})
    panel["cohort"] = np.repeat(rng.choice(cohorts, n_units), n_periods)
    treated = (panel["cohort"] > 0) & (panel["t"] >= panel["cohort"])
    panel["ikm"] = (80 + rng.normal(0, 3, n_units)[panel["unit"]]
                    + rng.normal(0, 1, n_periods + 1)[panel["t"]]
                    + effect * treated + rng.normal(0, sigma_e, len(panel)))
    panel["treated"] = treated.astype(float)
    return panel


def test_mde_from_se_is_2_8_times_se():
    # z(0.975) + z(0.8) = 1.959964 + 0.841621 (normal table); t(29): 2.045230 + 0.854192.
    assert mde_from_se(1.0) == pytest.approx(2.801585, abs=1e-6)
    assert mde_from_se(0.5, df=29) == pytest.approx(0.5 * (2.045230 + 0.854192), abs=1e-5)


def test_block_design_sum_of_squares_by_hand():
    # D̃ = (G − P)(Post − f): Σ D̃² = J·T·P(1−P)·f(1−f) = 30·8·.25·.25 = 15.
    assert did_design_se(block_rollout(30, 8), 1.0) == pytest.approx(1 / np.sqrt(15))
    assert did_mde(2.0, 30, 8) == pytest.approx(2.801585 * 2 / np.sqrt(15), rel=1e-6)
    # a third of 60 units treated in the last quarter of 12 periods: 60·12·(2/9)·(3/16)
    assert did_design_se(block_rollout(60, 12, 1 / 3, 0.25), 1.0) == pytest.approx(
        1 / np.sqrt(60 * 12 * 2 / 9 * 3 / 16))


def test_design_se_equals_ols_with_dummies():
    # Reference: statsmodels OLS of y on D + unit and period dummies, classical SE.
    import statsmodels.formula.api as smf

    panel = staggered_panel(25, 8, sigma_e=2.0, effect=1.0, seed=4)
    comps = did_variance_components(panel)
    fit = smf.ols("ikm ~ treated + C(unit) + C(t)", panel).fit()
    assert comps.sigma_e == pytest.approx(np.sqrt(fit.scale), rel=1e-9)
    assert comps.df_resid == fit.df_resid
    cohorts = panel.groupby("unit")["cohort"].first().to_numpy()
    design = treatment_matrix(cohorts, np.arange(1, 9))
    assert did_design_se(design, comps.sigma_e) == pytest.approx(fit.bse["treated"], rel=1e-9)


def test_design_mde_reconciles_with_the_achieved_se():
    # 200 units, σ_e = 2 known: the MDE from the formula with the true σ_e, from the placebo
    # roll-outs and 2.8 × the SE the TWFE fit achieved (clustered by unit) agree.
    from evalkit.models import twfe

    panel = staggered_panel(200, 10, sigma_e=2.0, effect=1.5, seed=11)
    achieved = float(twfe(panel, "ikm", "treated", "unit", "t").se()["treated"])
    cohorts = panel.groupby("unit")["cohort"].first().to_numpy()
    design = treatment_matrix(cohorts, np.arange(1, 11))
    planned = did_mde(2.0, treatment=design)
    assert mde_from_se(achieved) == pytest.approx(planned, rel=0.10)
    sim = did_power_simulation(panel, n_sims=3000, seed=2)
    assert sim["units_left_out"] == 0 and abs(sim["mean_placebo"]) < 0.1 * sim["se_placebo"]
    assert sim["mde_placebo"] == pytest.approx(planned, rel=0.10)
    assert sim["se_formula"] == pytest.approx(did_design_se(design, 2.0), rel=0.05)


def test_respondent_variance_enters_through_the_cell_mean():
    # Cells are means of m = 20 respondents (SD 8) around unit + period + a shock (SD 1):
    # σ_e² = 1 + 64/20 = 4.2 (by construction).
    rng = np.random.default_rng(5)
    n_units, n_periods, m = 200, 8, 20
    panel = staggered_panel(n_units, n_periods, sigma_e=1.0, seed=5)
    panel["ikm"] += rng.normal(0, 8, (len(panel), m)).mean(axis=1)
    panel["n_responses"] = m
    comps = did_variance_components(panel, n_responses="n_responses", respondent_sd=8.0)
    assert comps.respondents == pytest.approx(20)
    assert comps.sigma_e == pytest.approx(np.sqrt(4.2), rel=0.06)
    assert comps.sigma_unit_period == pytest.approx(1.0, abs=0.25)
    assert comps.sigma_e_with(20) == pytest.approx(comps.sigma_e)


def test_did_scenarios_by_hand():
    # σ_up = 1, σ_resp = 10: m = 25 → σ_e = sqrt(1 + 4) = 2.2361; m = 100 → sqrt(2).
    # 30 units, 8 periods, half treated in half the periods: SE = σ_e / sqrt(15).
    comps = DidVarianceComponents(sigma_e=2.0, sigma_unit_period=1.0, sigma_respondent=10.0,
                                  respondents=50.0, n_units=30, n_periods=8, df_resid=100,
                                  units_left_out=0)
    table = did_scenarios(comps, units=(30, 60), respondents=(25, 100))
    row = table.set_index(["units", "respondents_per_period"]).loc[(30, 25)]
    assert row["sigma_e"] == pytest.approx(np.sqrt(5))
    assert row["se"] == pytest.approx(np.sqrt(5) / np.sqrt(15))
    assert row["mde"] == pytest.approx(2.801585 * np.sqrt(5 / 15), rel=1e-6)
    # Twice the units: SE / sqrt(2); four times the respondents: only the sampling part.
    assert table.loc[2, "se"] == pytest.approx(table.loc[0, "se"] / np.sqrt(2))
    assert table.loc[1, "sigma_e"] == pytest.approx(np.sqrt(2))
    # default respondents: the study's m and 2m
    assert did_scenarios(comps, units=(30,))["respondents_per_period"].tolist() == [50, 100]


def test_design_route_refuses_bad_input():
    with pytest.raises(ValueError, match="no variation"):
        did_design_se(np.ones((4, 3)), 1.0)
    with pytest.raises(KeyError, match="cohort"):
        did_variance_components(pd.DataFrame({"ikm": [1.0], "unit": [1], "t": [1]}))
    comps = DidVarianceComponents(2.0, None, None, None, 30, 8, 100, 0)
    with pytest.raises(ValueError, match="respondent_sd"):
        comps.sigma_e_with(20)


def test_pooled_within_sd_by_hand():
    # Groups (1, 3) and (4, 6, 8): squares about the group means 1+1 and 4+0+4 = 10 over
    # N − k = 5 − 2 = 3 → sqrt(10/3).
    values = [1.0, 3.0, 4.0, 6.0, 8.0]
    assert pooled_within_sd(values, ["a", "a", "b", "b", "b"]) == pytest.approx(np.sqrt(10 / 3))
    keys = pd.DataFrame({"unit": ["A", "A", "A", "A", "A"], "period": ["q1", "q1", "q2", "q2",
                                                                       "q2"]})
    assert pooled_within_sd(values, keys) == pytest.approx(np.sqrt(10 / 3))
