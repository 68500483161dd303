"""Notebook 04's findings (issue 14): the interval of a subgroup difference, the units each
estimate used and left out, the robustness table, and the generated conclusions.

Expected values come from independent computations: a brute-force unit bootstrap that
re-runs both subgroup estimations on resampled units (for the joint-influence standard
error), the estimator's own ``aggregate("simple")`` (for the contributions), hand counts on
small panels (units in − units used), and the verdict rule applied by hand.
"""

import numpy as np
import pandas as pd
import pytest

from evalkit.effects import (
    compare_estimators,
    did_units_used,
    difference_of_fits,
    headline_robustness,
    panel_is_balanced,
    simple_att_contributions,
    study_findings,
    subgroup_difference,
    subgroup_differences,
    subgroup_fit,
    unit_subgroup_effects,
    with_cohort_threshold,
)
from evalkit.findings import FINDINGS_COLUMNS
from evalkit.models import staggered_did
from evalkit.models.did import DidDataWarning
from evalkit.schemas import validate


def simulated_panel(seed=0, n_per_group=20, effect_a=1.0, effect_b=1.0, periods=6):
    """Never-reached units and two subgroups (a, b) of reached units, cohorts 3 and 5.

    y = unit effect + period effect + noise, plus the subgroup's effect once reached.
    """
    rng = np.random.default_rng(seed)
    groups = np.repeat(["never", "a", "b"], n_per_group)
    cohort = np.where(groups == "never", 0, rng.choice([3, 5], size=len(groups)))
    units = pd.DataFrame({"unit": [f"U{i:03d}" for i in range(len(groups))],
                          "group": groups, "cohort": cohort,
                          "alpha": rng.normal(0, 1, len(groups))})
    panel = units.merge(pd.DataFrame({"t": range(1, periods + 1)}), how="cross")
    reached = (panel["cohort"] > 0) & (panel["t"] >= panel["cohort"])
    effect = np.select([panel["group"] == "a", panel["group"] == "b"], [effect_a, effect_b], 0)
    panel["y"] = (panel["alpha"] + 0.3 * panel["t"] + rng.normal(0, 1, len(panel))
                  + reached * effect)
    return panel


def members(panel, group):
    return sorted(panel.loc[panel["group"] == group, "unit"].unique())


# --- the interval of a difference ---------------------------------------------------------


def test_contributions_reproduce_the_simple_aggregate():
    panel = simulated_panel(seed=1)
    fit = staggered_did(panel, "y", "unit", "t", "cohort")
    used, _ = did_units_used(fit)
    estimate, contributions = simple_att_contributions(fit, used)
    simple = fit.aggregate("simple").iloc[0]
    assert estimate == pytest.approx(simple["estimate"], abs=1e-12)
    assert np.sqrt((contributions**2).sum()) == pytest.approx(simple["se"], rel=1e-10)
    assert list(contributions.index) == sorted(panel["unit"].unique())


def test_joint_influence_se_matches_a_brute_force_unit_bootstrap():
    # Resample units with replacement (each draw a new id), re-run both subgroup estimations
    # and take the SD of their difference: an independent estimate of the same SE.
    panel = simulated_panel(seed=2, n_per_group=25)
    a, b = members(panel, "a"), members(panel, "b")
    joint = subgroup_difference(panel, "y", a, b)
    rng = np.random.default_rng(11)
    units = panel["unit"].unique()
    by_unit = {u: rows for u, rows in panel.groupby("unit")}
    draws = []
    for _ in range(300):  # brute force on purpose: 300 draws × two estimations
        picked = rng.choice(units, size=len(units), replace=True)
        sample = pd.concat([by_unit[u].assign(unit=f"{u}_{k}") for k, u in enumerate(picked)])
        ids = sample.drop_duplicates("unit")
        sa = ids.loc[ids["group"] == "a", "unit"].tolist()
        sb = ids.loc[ids["group"] == "b", "unit"].tolist()
        try:
            d = subgroup_difference(sample, "y", sa, sb)
        except ValueError:  # a draw without a needed cohort: no estimate
            continue
        draws.append(d["estimate"])
    assert len(draws) > 280
    assert joint["se"] == pytest.approx(np.std(draws, ddof=1), rel=0.15)
    # the subgroups share the never-reached units: the difference's SE is not the
    # root sum of squares of the two SEs
    fa, fb = subgroup_fit(panel, "y", a), subgroup_fit(panel, "y", b)
    se_a = np.sqrt((fa["contributions"] ** 2).sum())
    se_b = np.sqrt((fb["contributions"] ** 2).sum())
    assert joint["se"] != pytest.approx(np.hypot(se_a, se_b), rel=1e-3)
    assert joint["n_units_shared"] == 25


def test_difference_by_hand_on_disjoint_and_shared_units():
    a = {"estimate": 3.0, "contributions": pd.Series([0.2, -0.2], index=["X", "Y"])}
    b = {"estimate": 1.0, "contributions": pd.Series([0.1, 0.1], index=["Z", "Y"])}
    d = difference_of_fits(a, b)
    # X: 0.2; Y: −0.2 − 0.1 = −0.3; Z: −0.1 → se² = 0.04 + 0.09 + 0.01
    assert d["estimate"] == 2.0
    assert d["se"] == pytest.approx(np.sqrt(0.14), abs=1e-12)
    assert d["ci_low"] == pytest.approx(2.0 - 1.959964 * np.sqrt(0.14), abs=1e-6)
    assert (d["n_units"], d["n_units_shared"]) == (3, 1)


def test_reversed_difference_reverses_estimate_and_interval():
    panel = simulated_panel(seed=3, effect_a=3.0, effect_b=0.0)
    a, b = members(panel, "a"), members(panel, "b")
    ab, ba = subgroup_difference(panel, "y", a, b), subgroup_difference(panel, "y", b, a)
    assert ab["estimate"] == pytest.approx(-ba["estimate"], abs=1e-12)
    assert ab["se"] == pytest.approx(ba["se"], abs=1e-12)
    assert ab["ci_low"] == pytest.approx(-ba["ci_high"], abs=1e-12)
    groups = {"mentoring_with": a, "mentoring_without": b}
    forward = subgroup_differences(panel, ["y"], groups,
                                   {"difference_mentoring": ("mentoring_with",
                                                             "mentoring_without")})
    backward = subgroup_differences(panel, ["y"], groups,
                                    {"difference_mentoring": ("mentoring_without",
                                                              "mentoring_with")})
    assert forward["estimate"].iloc[0] == pytest.approx(-backward["estimate"].iloc[0])
    assert forward["ci_low"].iloc[0] > 0 > backward["ci_high"].iloc[0]


# --- units used and left out ----------------------------------------------------------------


def test_units_left_out_are_units_in_minus_units_used():
    panel = simulated_panel(seed=4)
    # two units miss a period, one has no outcome at all
    gaps = panel["unit"].isin(["U021", "U041"]) & (panel["t"] == 4)
    panel.loc[gaps | (panel["unit"] == "U030"), "y"] = np.nan
    assert not panel_is_balanced(panel, ["y"]) and panel_is_balanced(panel)
    with pytest.warns(DidDataWarning):
        table = compare_estimators(panel, ["y"], event_window=(-2, 2))
    att = table[table["estimand"] == "att"].set_index("method")
    n_in = panel["unit"].nunique()  # 60
    assert (att["n_units"] + att["n_units_left_out"] == n_in).all()
    cs = att.loc["cs_did"]
    assert (cs["n_units"], cs["n_units_left_out"]) == (57, 3)
    assert cs["left_out_reason"] == "incomplete_series: 2; no_observation: 1"
    assert cs["n_obs"] == 57 * 6
    twfe = att.loc["twfe"]
    assert (twfe["n_units"], twfe["n_obs"]) == (59, 59 * 6 - 2)
    assert twfe["left_out_reason"] == "no_observation: 1"
    before_after = att.loc["naive_before_after"]
    # U000–U019 are never reached (left out by design), U030 has no outcome
    assert before_after["left_out_reason"] == "no_observation: 1; not_reached: 20"
    # every row of the staggered DiD carries the same sample; the event-study rows theirs
    assert table.loc[table["method"] == "cs_did", "n_units"].eq(57).all()
    assert validate(table, "effects").shape == table.shape


def test_subgroup_rows_count_against_the_subgroup_and_the_never_reached():
    panel = simulated_panel(seed=5)
    panel.loc[(panel["unit"] == members(panel, "a")[0]) & (panel["t"] == 2), "y"] = np.nan
    groups = {"mentoring_with": members(panel, "a"), "mentoring_without": members(panel, "b")}
    with pytest.warns(DidDataWarning):
        rows = unit_subgroup_effects(panel, "y", groups).set_index("estimand")
    assert rows.loc["att_mentoring_with", ["n_units", "n_units_left_out"]].tolist() == [39, 1]
    assert rows.loc["att_mentoring_without", ["n_units", "n_units_left_out"]].tolist() == [40, 0]


def test_clustered_rows_use_t_with_clusters_minus_one():
    panel = simulated_panel(seed=6)
    table = compare_estimators(panel, ["y"], event_window=(-2, 2))
    twfe = table[(table["method"] == "twfe") & (table["estimand"] == "att")].iloc[0]
    half = twfe["ci_high"] - twfe["estimate"]
    # 60 clusters: t(59) 0.975 quantile 2.000995 (R: qt(0.975, 59))
    assert half / twfe["se"] == pytest.approx(2.000995, abs=1e-5)
    cs = table[(table["method"] == "cs_did") & (table["estimand"] == "att")].iloc[0]
    assert (cs["ci_high"] - cs["estimate"]) / cs["se"] == pytest.approx(1.959964, abs=1e-5)


# --- robustness ---------------------------------------------------------------------------


def test_cohorts_are_recomputed_at_each_threshold():
    panel = pd.DataFrame({"unit": np.repeat(["A", "B", "C"], 4), "t": [1, 2, 3, 4] * 3,
                          "share_trained": [0, .2, .3, .5, 0, 0, .16, .45, 0, 0, 0, .1],
                          "cohort": np.repeat([3, 4, 0], 4)})
    cohorts = {th: with_cohort_threshold(panel, th).drop_duplicates("unit")["cohort"].tolist()
               for th in (0.15, 0.25, 0.40)}
    assert cohorts == {0.15: [2, 3, 0], 0.25: [3, 4, 0], 0.40: [4, 4, 0]}


def test_robustness_table_has_each_threshold_and_anticipation():
    panel = simulated_panel(seed=7, effect_a=2.0, effect_b=2.0)
    # a share that crosses 0.15 one period before the cohort and 0.40 at it
    reached = panel["cohort"] > 0
    gap = panel["t"] - panel["cohort"]
    panel["share_trained"] = np.where(reached, np.select([gap < -1, gap == -1, gap >= 0],
                                                         [0.0, 0.2, 0.5]), 0.0)
    table = headline_robustness(panel, "y")
    assert table[["cohort_threshold", "anticipation"]].values.tolist() == [
        [0.15, 0], [0.25, 0], [0.40, 0], [0.25, 1]]
    assert table["headline"].tolist() == [False, True, False, False]
    headline = staggered_did(panel, "y", "unit", "t", "cohort").aggregate("simple")
    assert table.loc[1, "estimate"] == pytest.approx(headline["estimate"].iloc[0])
    assert table.loc[2, "estimate"] == pytest.approx(headline["estimate"].iloc[0])
    assert table.loc[0, "estimate"] != pytest.approx(headline["estimate"].iloc[0])
    assert (table["n_units"] + table["n_units_left_out"] == 60).all()


# --- the findings -------------------------------------------------------------------------


def _findings(panel, groups):
    effects = pd.concat([compare_estimators(panel, ["ikm"], event_window=(-2, 2)),
                         unit_subgroup_effects(panel, "ikm", groups)], ignore_index=True)
    differences = subgroup_differences(panel, ["ikm"], groups)
    robustness = headline_robustness(panel, "ikm", thresholds=(0.25,), anticipation=(1,),
                                     headline_threshold=0.25)
    return study_findings(effects, ["ikm"], differences, robustness)


def _study_panel(seed, effect):
    panel = simulated_panel(seed=seed, n_per_group=20, effect_a=effect, effect_b=effect)
    panel = panel.rename(columns={"y": "ikm"})
    panel["share_trained"] = np.where((panel["cohort"] > 0) & (panel["t"] >= panel["cohort"]),
                                      0.5, 0.0)
    a, b = members(panel, "a"), members(panel, "b")
    return panel, {"mentoring_with": a, "mentoring_without": b,
                   "difficulty_low": a, "difficulty_high": b}


def test_a_panel_without_effect_gives_no_direction():
    panel, groups = _study_panel(seed=8, effect=0.0)
    table = _findings(panel, groups)
    assert table["topic"].tolist() == ["effect_ikm", "difference_mentoring",
                                       "difference_difficulty", "robustness"]
    assert (table["verdict"] == "inconclusive").all()
    assert table.loc[:2, "sentence_en"].str.startswith("The data cannot tell").all()
    assert table.loc[:2, "sentence_id"].str.startswith("Data belum dapat membedakan").all()
    assert "does not hold" in table.loc[3, "sentence_en"] or \
        "not told apart from zero" in table.loc[3, "sentence_en"]


def test_a_panel_with_an_effect_states_it_and_the_table_passes_its_schema():
    panel, groups = _study_panel(seed=9, effect=3.0)
    table = _findings(panel, groups)
    assert list(table.columns) == FINDINGS_COLUMNS
    head = table.set_index("topic")
    assert head.loc["effect_ikm", "verdict"] == "positive"
    assert "rose by" in head.loc["effect_ikm", "sentence_en"]
    # equal effects in both groups: the difference cannot be told from zero
    assert head.loc["difference_mentoring", "verdict"] == "inconclusive"
    assert head.loc["robustness", "verdict"] == "positive"
    assert "holds under all 2 specifications" in head.loc["robustness", "sentence_en"]
    assert head.loc["effect_ikm", "n_units"] == 60
    assert validate(table, "findings").shape == table.shape


def test_unbalanced_panel_keeps_units_and_still_counts_and_attributes_them():
    # Two units miss one period (kept, as R did's allow_unbalanced_panel=TRUE keeps them);
    # one unit has no outcome at all (left out, and counted with its reason).
    panel = simulated_panel(seed=4)
    gaps = panel["unit"].isin(["U021", "U041"]) & (panel["t"] == 4)
    panel.loc[gaps | (panel["unit"] == "U030"), "y"] = np.nan
    options = {"allow_unbalanced_panel": not panel_is_balanced(panel, ["y"])}
    table = compare_estimators(panel, ["y"], event_window=(-2, 2), did_options=options)
    cs = table[(table["method"] == "cs_did") & (table["estimand"] == "att")].iloc[0]
    assert (cs["n_units"], cs["n_units_left_out"], cs["n_obs"]) == (59, 1, 59 * 6 - 2)
    assert cs["left_out_reason"] == "no_observation: 1"
    data = panel[panel["y"].notna()]
    fit = staggered_did(data, "y", "unit", "t", "cohort", **options)
    used, _ = did_units_used(fit)
    estimate, contributions = simple_att_contributions(fit, used)
    simple = fit.aggregate("simple").iloc[0]
    assert estimate == pytest.approx(simple["estimate"], abs=1e-12)
    assert np.sqrt((contributions**2).sum()) == pytest.approx(simple["se"], rel=1e-10)


def test_units_reached_in_the_first_period_are_counted_with_their_reason():
    panel = simulated_panel(seed=10)
    first = members(panel, "a")[:2]  # reached in period 1: no period before to compare
    panel.loc[panel["unit"].isin(first), "cohort"] = 1
    with pytest.warns(DidDataWarning):
        table = compare_estimators(panel, ["y"], event_window=(-2, 2))
    cs = table[(table["method"] == "cs_did") & (table["estimand"] == "att")].iloc[0]
    assert (cs["n_units"], cs["n_units_left_out"]) == (58, 2)
    assert cs["left_out_reason"] == "treated_first_period: 2"


def test_placebo_sentence_counts_pointwise_and_simultaneous_and_states_the_pretest():
    from evalkit.effects import placebo_sentence

    # e = -3 excludes zero pointwise only; e = -2 excludes it under the band as well
    dynamic = pd.DataFrame({"event_time": [-3, -2, -1, 0],
                            "ci_low": [0.1, 0.5, -1.0, 1.0], "ci_high": [1.0, 2.0, 1.0, 2.0],
                            "cband_low": [-0.2, 0.1, -1.5, 0.6],
                            "cband_high": [1.3, 2.4, 1.5, 2.4], "crit_value": 2.71})
    # R's chi² rejects (p = 0.01) but Hotelling's F, here exact, does not (p = 0.2): the
    # verdict follows the small-sample version
    test = pd.DataFrame({"statistic": [11.3], "df": [3], "p_value": [0.0102], "n_units": [8],
                         "f_statistic": [2.35], "df_denominator": [5], "p_value_f": [0.19]})
    sentence = placebo_sentence(dynamic, "en", test)
    assert "2 of 3 placebo estimates" in sentence and "(e = -3, -2)" in sentence
    assert "critical value 2.71" in sentence and "1 of 3 exclude zero (e = -2)" in sentence
    assert "chi²(3) = 11.30, p = 0.010" in sentence and "F(3, 5) = 2.35, p = 0.190" in sentence
    assert sentence.endswith("do not reject parallel pre-trends at the 5% level.")
    rejected = test.assign(p_value_f=0.004)
    assert placebo_sentence(dynamic, "id", rejected).endswith(
        "Data menolak tren paralel sebelum peluncuran pada taraf 5%.")
    # without a small-sample version (units ≤ cells) R's p decides; none at all is said
    assert placebo_sentence(dynamic, "en", test.assign(p_value_f=np.nan)).endswith(
        "The data reject parallel pre-trends at the 5% level.")
    assert "cannot be computed" in placebo_sentence(
        dynamic, "en", test.assign(statistic=np.nan, p_value=np.nan, p_value_f=np.nan))


def test_differences_on_other_outcomes_get_intervals_simultaneous_over_their_family():
    from evalkit.effects import difference_findings

    # Headline (ikm) keeps its 95% interval; the 8 others (2 splits × 4 outcomes) get
    # Bonferroni intervals: z = Φ⁻¹(1 − 0.05/16) = 2.7344 (tables of the normal distribution).
    outcomes = ["ikm", "nrr_u6", "nrr_u7", "rata_rata_hari", "complaints_per_1000"]
    rows = [{"topic": f"difference_{split}", "outcome": o, "group_a": f"{split}_a",
             "group_b": f"{split}_b", "estimate": -0.08, "se": 0.033,
             "ci_low": -0.08 - 1.96 * 0.033, "ci_high": -0.08 + 1.96 * 0.033, "n_units": 30}
            for split in ("mentoring", "difficulty") for o in outcomes]
    differences = pd.DataFrame(rows).replace({"mentoring_a": "mentoring_with",
                                             "mentoring_b": "mentoring_without",
                                             "difficulty_a": "difficulty_low",
                                             "difficulty_b": "difficulty_high"})
    found = {f.topic: f for f in difference_findings(differences)}
    head = found["difference_mentoring"]
    assert head.verdict == "negative" and head.ci_high == pytest.approx(-0.08 + 1.96 * 0.033)
    other = found["difference_difficulty_nrr_u7"]
    assert other.ci_low == pytest.approx(-0.08 - 2.7344 * 0.033, abs=1e-4)
    assert other.ci_high == pytest.approx(-0.08 + 2.7344 * 0.033, abs=1e-4)
    assert other.verdict == "inconclusive"
    assert "simultaneous over the 8 differences" in other.sentence_en
    assert "simultan atas 8 selisih" in other.sentence_id
    assert "simultaneous" not in head.sentence_en
    # without family-wise control the pointwise interval decides
    pointwise = {f.topic: f for f in difference_findings(differences, family_wise=False)}
    assert pointwise["difference_difficulty_nrr_u7"].verdict == "negative"
