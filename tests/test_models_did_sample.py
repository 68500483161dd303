"""staggered_did accounts for every unit, cohort and cell it does not use, and its
simultaneous bands cover as promised.

Expected values are counted by hand from the small panels built here, or are the known truth
of a simulated design (a constant effect under parallel trends).
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from evalkit.models import DidDataWarning, staggered_did


def _panel(cohorts: dict, periods=range(1, 6), seed=0) -> pd.DataFrame:
    """Units named by cohort: {unit: first_treated}, outcomes with a unit effect and noise."""
    rng = np.random.default_rng(seed)
    units = pd.DataFrame({"unit": list(cohorts), "g": list(cohorts.values())})
    panel = units.merge(pd.DataFrame({"t": list(periods)}), how="cross")
    panel["y"] = rng.normal(size=len(panel)) + panel["unit"].map(
        dict(zip(units["unit"], rng.normal(size=len(units)), strict=True)))
    return panel


#: 6 never treated, 5 in cohort 3, 5 in cohort 4; units 100+ are the awkward ones
BASE = {**{i: 0 for i in range(6)}, **{i: 3 for i in range(6, 11)},
        **{i: 4 for i in range(11, 16)}}


def test_every_unit_left_out_is_listed_with_its_reason():
    panel = _panel({**BASE, 100: 1, 101: 9, 102: 3, 103: np.nan})
    panel = panel[~((panel["unit"] == 102) & (panel["t"] == 2))]  # one period missing
    panel.loc[(panel["unit"] == 5) & (panel["t"] == 4), "y"] = np.nan  # an unobserved outcome
    with pytest.warns(DidDataWarning, match="4 unit"):
        res = staggered_did(panel, "y", "unit", "t", "g")
    left = res.left_out.set_index("unit")["reason"].to_dict()
    assert left == {100: "treated in the first period (no pre-period)",
                    102: "incomplete series (balanced panel required)",
                    5: "incomplete series (balanced panel required)",
                    103: "first_treated missing"}
    # 101 (treated after the last period) is kept as never treated
    assert res.n_units == 20 - 4 and set(res.units) | set(left) == set(panel["unit"])
    assert res.n_obs == res.n_units * 5
    assert res.left_out_counts.set_index("reason")["n_units"].to_dict() == {
        "first_treated missing": 1, "incomplete series (balanced panel required)": 2,
        "treated in the first period (no pre-period)": 1}
    status = res.cohorts.set_index("group")["status"]
    assert status.loc[9] == "treated after the last period: counted as never treated"
    assert status.loc[1].startswith("left out: treated in the first period")
    assert status.loc[3] == status.loc[4] == "treated"
    assert res.cohorts["n_units"].sum() == 20  # every input unit in one cohort row


def test_unbalanced_panel_keeps_units_with_holes():
    panel = _panel({**BASE, 102: 3})
    panel = panel[~((panel["unit"] == 102) & (panel["t"] == 2))]
    panel.loc[(panel["unit"] == 5) & (panel["t"] == 4), "y"] = np.nan
    with pytest.warns(DidDataWarning, match="1 row"):
        res = staggered_did(panel, "y", "unit", "t", "g", allow_unbalanced_panel=True)
    assert res.panel == "unbalanced" and len(res.left_out) == 0
    assert (res.n_units, res.n_obs) == (17, 17 * 5 - 2)
    # a balanced panel takes the balanced estimator even when holes are allowed (as R)
    balanced = _panel(BASE)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        allowed = staggered_did(balanced, "y", "unit", "t", "g", allow_unbalanced_panel=True)
    assert allowed.panel == "balanced"
    pd.testing.assert_frame_equal(allowed.att_gt,
                                  staggered_did(balanced, "y", "unit", "t", "g").att_gt)


def test_cells_without_comparison_units_are_reported():
    # no never-treated units: cohort 4 is the comparison of cohort 3 before period 4 only
    panel = _panel({i: (3 if i < 8 else 4) for i in range(16)})
    with pytest.warns(DidDataWarning) as caught:
        res = staggered_did(panel, "y", "unit", "t", "g")
    assert any("no never-treated units; cohort 4" in str(w.message) for w in caught)
    assert res.periods == (1, 2, 3)  # periods from 4 on have no comparison units
    assert res.skipped_cells.to_dict("records") == [
        {"group": 4, "time": 3, "event_time": -1, "reason": "no comparison units"}]
    assert res.cohorts.set_index("group").loc[4, "status"].startswith("comparison only")
    # one cohort only: as R, it becomes the never-treated group and nothing is left to estimate
    with pytest.warns(DidDataWarning), pytest.raises(ValueError, match="no treated cohort"):
        staggered_did(_panel({i: 3 for i in range(8)}), "y", "unit", "t", "g",
                      control_group="nevertreated")


def test_bands_are_reproducible_and_wider_than_intervals():
    panel = _panel(BASE, periods=range(1, 7))
    with warnings.catch_warnings():
        # two cohorts, few units: the group band may fall back to the pointwise z, as in R
        warnings.simplefilter("ignore")
        res = staggered_did(panel, "y", "unit", "t", "g", seed=4)
        tables = (res.att_gt, res.aggregate("dynamic"), res.aggregate("group"),
                  res.aggregate("calendar"))
    again = staggered_did(panel, "y", "unit", "t", "g", seed=4)
    other = staggered_did(panel, "y", "unit", "t", "g", seed=5)
    pd.testing.assert_frame_equal(res.att_gt, again.att_gt)
    assert res.att_gt["crit_value"].iloc[0] != other.att_gt["crit_value"].iloc[0]
    for table in tables:
        crit = table["crit_value"].iloc[0]
        assert 1.959 < crit < 4 and (table["crit_value"] == crit).all()
        assert ((table["cband_high"] - table["cband_low"])
                >= (table["ci_high"] - table["ci_low"])).all()
    pointwise = staggered_did(panel, "y", "unit", "t", "g", cband=False)
    np.testing.assert_allclose(pointwise.att_gt["cband_low"], pointwise.att_gt["ci_low"])
    assert pointwise.multipliers is None


def test_pretest_without_pre_periods_is_missing():
    panel = _panel({**{i: 0 for i in range(6)}, **{i: 2 for i in range(6, 12)}},
                   periods=[1, 2])
    res = staggered_did(panel, "y", "unit", "t", "g")
    assert res.pretest().iloc[0].to_dict() == pytest.approx(
        {"statistic": np.nan, "df": 0, "p_value": np.nan, "n_units": 12, "f_statistic": np.nan,
         "df_denominator": 12, "p_value_f": np.nan}, nan_ok=True)


def test_pretest_small_sample_version_holds_its_size_where_chi2_does_not():
    # 20 pre-period cells on 30 units, normal influence functions, the null true: Hotelling's
    # F is exact here (its size is 5% by construction, Hotelling 1931), the chi² is not.
    from evalkit.models.did_inference import wald_pretest

    rng = np.random.default_rng(7)
    draws = rng.normal(size=(1000, 30, 20))
    tests = pd.concat([wald_pretest(d.mean(axis=0), d - d.mean(axis=0)) for d in draws])
    assert (tests["p_value"] < 0.05).mean() > 0.5
    # 1000 draws: the binomial SE of a 5% rate is 0.7 points
    assert abs((tests["p_value_f"] < 0.05).mean() - 0.05) < 0.025
    assert (tests["df_denominator"] == 10).all()


def test_bad_options_are_named():
    panel = _panel(BASE)
    for option, message in [({"base_period": "x"}, "base_period"),
                            ({"est_method": "ols"}, "est_method"),
                            ({"anticipation": -1}, "anticipation"),
                            ({"alpha": 1.5}, "alpha")]:
        with pytest.raises(ValueError, match=message):
            staggered_did(panel, "y", "unit", "t", "g", **option)
    res = staggered_did(panel, "y", "unit", "t", "g")
    with pytest.raises(ValueError, match="kind='dynamic' only"):
        res.aggregate("group", balance_e=1)
    with pytest.raises(ValueError, match="no event time"):
        res.aggregate("dynamic", min_e=10)
    with pytest.raises(ValueError, match="calendar"):
        res.aggregate("weekly")


def _simulated(rng, n_units=300, n_periods=6, effect=1.0):
    units = pd.DataFrame({"unit": range(n_units),
                          "g": rng.choice([0, 3, 4, 5], n_units, p=[0.4, 0.2, 0.2, 0.2])})
    panel = units.merge(pd.DataFrame({"t": range(1, n_periods + 1)}), how="cross")
    treated = (panel["g"] > 0) & (panel["t"] >= panel["g"])
    panel["y"] = (rng.normal(size=n_units)[panel["unit"]] + 0.2 * panel["t"]
                  + effect * treated + rng.normal(size=len(panel)))
    return panel


@pytest.mark.slow
def test_simultaneous_band_covers_the_whole_event_study():
    # Known truth: effect 1 at every e ≥ 0 and 0 before. The band must cover all event times
    # at once in about 95% of samples; pointwise intervals do so less often.
    rng = np.random.default_rng(20261204)
    band, pointwise = [], []
    for rep in range(150):
        dyn = staggered_did(_simulated(rng), "y", "unit", "t", "g", biters=500,
                            seed=rep).aggregate("dynamic")
        truth = np.where(dyn["event_time"] >= 0, 1.0, 0.0)
        band.append(((dyn["cband_low"] <= truth) & (truth <= dyn["cband_high"])).all())
        pointwise.append(((dyn["ci_low"] <= truth) & (truth <= dyn["ci_high"])).all())
    assert 0.89 <= np.mean(band) <= 0.99  # 0.94 in this run of 150
    assert np.mean(pointwise) < 0.85  # 0.71: six pointwise intervals at once cover less
