"""The study of notebook 04 (evalkit.effects): the estimator comparison on panels whose
answer is known by construction, the individual-level samples, subgroups and presentation
tables on small hand-made tables, and the codes of the effects table with their labels."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

import evalkit.interviews as interviews
from evalkit.effects import (
    EFFECTS_COLUMNS,
    METHOD_CODES,
    METHODS,
    SKP_ESTIMANDS,
    SUBGROUPS,
    cells_with_both_groups,
    combine_effects,
    compare_estimators,
    difficulty_groups,
    dropped_table,
    element_effects,
    estimates_by_method,
    event_time_estimand,
    event_time_table,
    heterogeneity_table,
    individual_effects,
    l3_by_difficulty,
    l3_effects_table,
    l3_training_sample,
    median_split,
    mentoring_groups,
    naive_difference,
    outcome_labels,
    rollout_table,
    skp_effects_table,
    skp_training_sample,
    sort_effects,
    subgroup_estimand,
    subgroup_units,
    twfe_by_outcome,
    unit_subgroup_effects,
    varying_columns,
    with_labels,
)
from evalkit.labels import has_label, label
from evalkit.models import ATTResult, fit_ols
from evalkit.schemas import validate
from evalkit.training import SERVICE_COURSE
from evalkit.truth import true_event_path, with_truth


def noiseless_panel(effect_by_event=lambda e: 2.0 + 0.0 * e):
    """y = unit effect + linear trend + effect(e) after the roll-out, no noise."""
    units = pd.DataFrame({"unit": [f"U{i}" for i in range(12)],
                          "cohort": [0, 0, 0, 4, 4, 4, 6, 6, 6, 8, 8, 8]})
    panel = units.merge(pd.DataFrame({"t": range(1, 11)}), how="cross")
    panel["period"] = "2024Q" + panel["t"].astype(str)
    alpha = panel["unit"].str[1:].astype(int) * 1.5
    event = panel["t"] - panel["cohort"]
    treated = (panel["cohort"] > 0) & (event >= 0)
    panel["y"] = alpha + 0.5 * panel["t"] + np.where(treated, effect_by_event(event), 0.0)
    return panel


def test_constant_effect_is_recovered_exactly_by_twfe_and_cs():
    # With a homogeneous, constant effect of 2 and parallel trends, TWFE and CS are exact.
    panel = noiseless_panel()
    table = compare_estimators(panel, ["y"])
    assert list(table.columns) == EFFECTS_COLUMNS
    att = table[table["estimand"] == "att"].set_index("method")["estimate"]
    assert att["twfe"] == pytest.approx(2.0, abs=1e-9)
    assert att["cs_did"] == pytest.approx(2.0, abs=1e-9)
    # Before/after is the plain difference of means among reached units (pandas by hand);
    # it also picks up the trend and the unit mix, so it misses 2.
    reached = panel[panel["cohort"] > 0]
    post = reached["t"] >= reached["cohort"]
    by_hand = reached.loc[post, "y"].mean() - reached.loc[~post, "y"].mean()
    assert att["naive_before_after"] == pytest.approx(by_hand, abs=1e-9)
    assert abs(by_hand - 2.0) > 0.1
    pre = table[table["estimand"].isin(["att_e-3", "att_e-2"])]
    np.testing.assert_allclose(pre["estimate"], 0.0, atol=1e-9)


def test_growing_effect_biases_twfe_but_not_cs():
    # Effect 1 + 0.5·e: the staggered TWFE estimate falls short of the true average, the
    # Callaway–Sant'Anna dynamic aggregation recovers each e exactly (no noise).
    panel = noiseless_panel(lambda e: 1.0 + 0.5 * e)
    table = compare_estimators(panel, ["y"], event_window=(-3, 3))
    post = panel[(panel["cohort"] > 0) & (panel["t"] >= panel["cohort"])]
    true_att = float((1.0 + 0.5 * (post["t"] - post["cohort"])).mean())
    att = table[table["estimand"] == "att"].set_index("method")["estimate"]
    assert att["cs_did"] == pytest.approx(true_att, abs=1e-9)
    assert att["twfe"] < true_att - 0.2
    cs_dynamic = table[(table["method"] == "cs_did") & (table["estimand"] == "att_e2")]
    assert cs_dynamic["estimate"].iloc[0] == pytest.approx(2.0, abs=1e-9)


def test_subgroups_use_their_own_units():
    panel = noiseless_panel()
    # Double the effect in units U3..U5 (cohort 4) only.
    boost = panel["unit"].isin(["U3", "U4", "U5"]) & (panel["t"] >= panel["cohort"])
    panel.loc[boost, "y"] += 2.0
    groups = {"strong": ["U3", "U4", "U5"], "weak": ["U6", "U7", "U8", "U9", "U10", "U11"]}
    table = unit_subgroup_effects(panel, "y", groups).set_index("estimand")
    assert table.loc["att_strong", "estimate"] == pytest.approx(4.0, abs=1e-9)
    assert table.loc["att_weak", "estimate"] == pytest.approx(2.0, abs=1e-9)
    assert set(table["method"]) == {"cs_did"}
    # several outcomes: one block per outcome, the same numbers as one at a time
    panel["y2"] = panel["y"] * 2
    both = unit_subgroup_effects(panel, ["y", "y2"], groups)
    assert both["outcome"].tolist() == ["y", "y", "y2", "y2"]
    assert both["estimate"].tolist() == pytest.approx([4.0, 2.0, 8.0, 4.0], abs=1e-9)


@pytest.fixture()
def roster():
    return pd.DataFrame({"pid": ["a", "b", "c"], "unit": "U", "jenis_jabatan":
                         ["Fungsional", "Pelaksana", "Struktural"], "pendidikan":
                         ["D4/S1", "SMA", "S2"], "jenis_kelamin": ["P", "L", "P"],
                         "jenis_asn": ["PNS", "PPPK", "PNS"], "tahun_lahir": [1980, 1990, 1975],
                         "tahun_pengangkatan": [2005, 2015, 2000]})


def test_skp_sample_keeps_staff_at_risk_and_codes_treatment(roster):
    skp = pd.DataFrame({"pid": ["a", "a", "a", "b", "b", "b", "c", "c"], "unit": "U",
                        "tahun": [2023, 2024, 2025] * 2 + [2024, 2025],
                        "predikat": ["Baik", "Sangat Baik", "Baik", "Baik", "Baik",
                                     "Butuh Perbaikan", "Baik", "Baik"]})
    training = pd.DataFrame({"pid": ["a", "b"], "nama_pelatihan": SERVICE_COURSE,
                             "tanggal_selesai": pd.to_datetime(["2024-05-01", "2023-03-01"])})
    sample = skp_training_sample(skp, training, roster).set_index(["pid", "tahun"])
    # a: trained in 2024 → 2024 treated; 2025 no longer at risk. b: trained in 2023 → never
    # at risk from 2024. c: no 2023 SKP → 2024 dropped (no lag); 2025 control. The first
    # SKP year has no lag for anyone.
    assert sorted(sample.index) == [("a", 2024), ("c", 2025)]
    assert sample.loc[("a", 2024), "treat"] == 1.0
    assert sample.loc[("a", 2024), "predikat_lalu"] == 4.0  # "Baik" is the 4th of 5
    assert sample.loc[("a", 2024), "umur"] == 44
    assert sample.loc[("c", 2025), "treat"] == 0.0
    assert sample.attrs["dropped"] == 3  # a 2023, b 2023 (at risk, no lag) and c 2024
    assert sample.attrs["dropped_by_reason"] == {
        "first SKP year in the data (no earlier rating)": 2, "no SKP the year before": 1,
        "predikat missing": 0, "not in the roster": 0, "birth or appointment year missing": 0}
    assert sample.loc[("a", 2024), "baik_atau_lebih"] == 1.0  # Sangat Baik
    assert sample.loc[("a", 2024), "unit_tahun"] == "U 2024"


def test_every_accepted_education_level_is_kept_and_missing_gets_an_indicator():
    # read_pegawai maps to SD, SMP, SMA, D1, D2, D3, D4/S1, S2, S3 (ingest/readers.py);
    # each must get its rank 1..9 and a blank education must not drop the person.
    levels = ["SD", "SMP", "SMA", "D1", "D2", "D3", "D4/S1", "S2", "S3", None]
    pids = [f"p{i}" for i in range(len(levels))]
    roster = pd.DataFrame({"pid": pids, "unit": "U", "jenis_jabatan": "Pelaksana",
                           "pendidikan": pd.array(levels, dtype="str"), "jenis_kelamin": "L",
                           "jenis_asn": "PNS", "tahun_lahir": 1980,
                           "tahun_pengangkatan": 2005})
    skp = pd.DataFrame({"pid": pids * 2, "unit": "U", "tahun": [2023] * 10 + [2024] * 10,
                        "predikat": "Baik"})
    training = pd.DataFrame({"pid": ["p0"], "nama_pelatihan": SERVICE_COURSE,
                             "tanggal_selesai": pd.to_datetime(["2024-03-01"])})
    sample = skp_training_sample(skp, training, roster).set_index("pid")
    assert len(sample) == 10  # all 2024 rows kept; the 10 rows of 2023 have no lag
    assert sample["pendidikan_level"].tolist() == [1, 2, 3, 4, 5, 6, 7, 8, 9, 0]
    assert sample["pendidikan_tidak_diketahui"].tolist() == [0] * 9 + [1]
    assert sample.attrs["dropped_by_reason"]["first SKP year in the data (no earlier rating)"] == 10


def test_dropped_table_lists_reasons_for_both_samples(roster):
    skp = pd.DataFrame({"pid": ["a", "a", "z"], "unit": "U", "tahun": [2023, 2024, 2024],
                        "predikat": "Baik"})
    training = pd.DataFrame({"pid": ["q"], "nama_pelatihan": SERVICE_COURSE,
                             "tanggal_selesai": pd.to_datetime(["2024-03-01"])})
    s = skp_training_sample(skp, training, roster)
    evaluasi = pd.DataFrame({
        "pid": ["a", "b", "x"], "unit": "U", "nama_pelatihan": SERVICE_COURSE,
        "tanggal_evaluasi": pd.to_datetime(["2024-06-01"] * 3),
        "skor_atasan": [4.0, np.nan, 3.0], "skor_rekan": [3.0, np.nan, 3.0],
        "kesulitan_penerapan": False})
    l3 = l3_training_sample(evaluasi, roster)
    table = dropped_table({"SKP": s, "L3": l3}).set_index(["sample", "reason"])["rows"]
    # SKP: a 2023 first year; z 2024 has no 2023 SKP (checked before the roster); a 2024 kept
    assert table[("SKP", "first SKP year in the data (no earlier rating)")] == 1
    assert table[("SKP", "no SKP the year before")] == 1
    assert table[("SKP", "total left out")] == 2 and table[("SKP", "kept")] == 1
    # L3: b has no scores, x is not in the roster, a kept
    assert table[("L3", "no supervisor or colleague score")] == 1
    assert table[("L3", "not in the roster")] == 1
    assert table[("L3", "total left out")] == 2 and table[("L3", "kept")] == 1


def test_cells_with_both_groups_keeps_comparable_unit_years():
    s = pd.DataFrame({"unit_tahun": ["A", "A", "B", "B", "C"], "treat": [1.0, 0, 0, 0, 1]})
    out = cells_with_both_groups(s)
    assert out["unit_tahun"].tolist() == ["A", "A"]
    assert out.attrs["cells_left_out"] == 2 and out.attrs["rows_left_out"] == 3
    assert varying_columns(pd.DataFrame({"x": [1, 1], "y": [0, 1]}), ["x", "y"]) == ["y"]


def test_l3_sample_compares_course_alumni_with_other_alumni(roster):
    evaluasi = pd.DataFrame({
        "pid": ["a", "b", "x"], "unit": "U",
        "nama_pelatihan": [SERVICE_COURSE, "Coaching Kinerja Pegawai",
                           SERVICE_COURSE],
        "tanggal_evaluasi": pd.to_datetime(["2024-06-01", "2024-07-01", "2024-08-01"]),
        "skor_alumni": [5.0, 4.0, 4.0], "skor_atasan": [4.0, 3.0, 3.0],
        "skor_rekan": [3.0, 3.5, 3.0], "kesulitan_penerapan": [False, True, False]})
    sample = l3_training_sample(evaluasi, roster).set_index("pid")
    assert sample.loc["a", "treat"] == 1.0 and sample.loc["b", "treat"] == 0.0
    assert sample.loc["a", "l3_score"] == 3.5  # supervisor and colleague, not self
    assert "x" not in sample.index and sample.attrs["dropped"] == 1  # not in the roster


# --- subgroups, presentation tables and the closing comparison of notebook 04 -------------
# Expected values below are worked out by hand from the small frames (comments say how).


@pytest.fixture()
def split_panel():
    # Last quarter of each reached unit: difficulty .1 .2 .3 .4 (median .25), mentoring
    # .5 .0 .5 .1 (median .3); D is never reached; E's t=1 row must be ignored (last is t=2).
    return pd.DataFrame({
        "unit": list("AABBCCDEE"), "t": [1, 2, 1, 2, 1, 2, 2, 2, 1],
        "cohort": [1, 1, 2, 2, 2, 2, 0, 1, 1],
        "share_difficulty": [0.9, 0.1, 0.0, 0.2, 0.0, 0.3, 0.9, 0.4, 0.0],
        "share_mentored": [0.0, 0.5, 0.9, 0.0, 0.0, 0.5, 0.9, 0.1, 0.9]})


def test_difficulty_split_uses_each_reached_units_last_quarter(split_panel):
    assert difficulty_groups(split_panel) == {"difficulty_high": ["C", "E"],
                                              "difficulty_low": ["A", "B"]}
    # mentoring median (.5 .0 .5 .1) = .3: A and C at or above, B and E below
    assert mentoring_groups(split_panel) == {"mentoring_with": ["A", "C"],
                                             "mentoring_without": ["B", "E"]}
    assert list(subgroup_units(split_panel)) == ["difficulty_high", "difficulty_low",
                                                 "mentoring_with", "mentoring_without"]


def test_median_split_ties_go_high_and_missing_goes_low():
    panel = pd.DataFrame({"unit": list("ABCD"), "t": 1, "cohort": 1,
                          "x": [1.0, 2.0, 2.0, np.nan]})
    # median of 1, 2, 2 (NaN skipped) is 2: B and C tie at it → high; D has no value → low
    assert median_split(panel, "x", ("hi", "lo")) == {"hi": ["B", "C"], "lo": ["A", "D"]}


def test_interviews_use_the_one_difficulty_definition():
    assert interviews.difficulty_groups is difficulty_groups


def test_heterogeneity_table_counts_units_and_adds_truth():
    effects = pd.DataFrame({"outcome": "ikm", "method": "cs_did",
                            "estimand": ["att_difficulty_high", "att_difficulty_low"],
                            "estimate": [1.4, 3.6], "se": 0.5, "ci_low": [0.4, 2.6],
                            "ci_high": [2.4, 4.6], "truth": np.nan})
    groups = {"difficulty_high": ["A", "B", "C"], "difficulty_low": ["D", "E"]}
    truth = {"heterogeneity": {"ikm": {"difficulty_high": 1.7, "difficulty_low": 3.5}}}
    out = heterogeneity_table(with_truth(effects, truth), groups)
    assert out["units"].tolist() == [3, 2]
    assert out["truth"].tolist() == [1.7, 3.5]
    assert "truth" not in heterogeneity_table(with_truth(effects, None), groups).columns
    labelled = heterogeneity_table(effects, groups, lang="en")
    assert labelled["estimand"].tolist() == [label("estimand_att_difficulty_high", "en"),
                                             label("estimand_att_difficulty_low", "en")]
    assert labelled["outcome"].tolist() == ["IKM", "IKM"]


def test_rollout_table_counts_units_per_cohort():
    # units A, B reached at t=2 (2024Q2), C at t=3, D never: 1 never, 2 at t=2, 1 at t=3
    panel = pd.DataFrame({"unit": np.repeat(list("ABCD"), 3), "t": [1, 2, 3] * 4,
                          "period": ["2024Q1", "2024Q2", "2024Q3"] * 4,
                          "cohort": np.repeat([2, 2, 3, 0], 3)})
    out = rollout_table(panel)
    assert out.index.tolist() == [0, 2, 3]
    assert out["units"].tolist() == [1, 2, 1]
    assert out["reached_in"].tolist() == ["never reached", "2024Q2", "2024Q3"]


@pytest.fixture()
def headline():
    rows = [(o, m, 0.1 * i + 0.01 * j) for i, o in enumerate(["y1", "y2"], start=1)
            for j, m in enumerate(METHODS)]
    table = pd.DataFrame(rows, columns=["outcome", "method", "estimate"])
    return table.assign(estimand="att", se=0.1, ci_low=table["estimate"] - 0.2,
                        ci_high=table["estimate"] + 0.2, truth=np.nan)


def test_estimates_by_method_pivots_in_the_given_order(headline):
    extra = headline.iloc[:1].assign(estimand="att_e0", estimate=99.0)  # not att: ignored
    table = estimates_by_method(pd.concat([headline, extra]), ["y2", "y1"], METHODS[:2])
    assert table.index.tolist() == ["y2", "y1"]
    assert table.columns.tolist() == list(METHODS[:2])
    assert table.loc["y1", METHODS[1]] == pytest.approx(0.11)  # 0.1·1 + 0.01·1
    cells = estimates_by_method(headline, ["y1"], METHODS, with_ci=True)
    # y1, Callaway–Sant'Anna: 0.1 + 0.03 = 0.13, CI 0.13 ± 0.2
    assert cells.loc["y1", METHODS[3]] == "0.13 [-0.07, 0.33]"
    # with a language, rows and columns carry the labels of config/labels.yaml
    shown = estimates_by_method(headline, ["y1"], METHODS[2:], lang="en")
    assert shown.columns.tolist() == [label("method_twfe", "en"), label("method_cs_did", "en")]
    assert shown.index.tolist() == ["y1"]  # an outcome without a label keeps its code
    assert shown.index.name == "Outcome" and shown.columns.name == "Method"


def test_event_time_table_aligns_both_estimators_and_the_true_path():
    cs = pd.DataFrame({"event_time": [-6, -1, 0, 1], "estimate": [9.0, 0.1, 1.0, 2.0],
                       "se": [1.0, 0.2, 0.3, 0.4]})
    es = pd.DataFrame({"event_time": [1, 0, -1], "estimate": [1.8, 0.9, 0.0],
                       "se": [0.5, 0.4, 0.0]})
    truth = {"att": {"ikm": {"by_event_time": {"0": 1.1, "1": 2.1}}}}
    out = event_time_table(cs, es, true_event_path(truth, "ikm"), window=(-4, 4))
    assert out["event_time"].tolist() == [-1, 0, 1]  # -6 outside the window
    assert out["estimate_twfe"].tolist() == [0.0, 0.9, 1.8]
    assert out["truth"].tolist() == [0.0, 1.1, 2.1]  # no anticipation: 0 before
    assert "truth" not in event_time_table(cs, es, None).columns
    assert "truth" not in event_time_table(cs, es, true_event_path(None, "ikm")).columns


def test_element_effects_recover_known_effects_without_noise():
    # Element k gets a constant effect of 0.1·k after the roll-out, on top of unit effects
    # and a common trend: Callaway–Sant'Anna is exact (see noiseless_panel above).
    panel = noiseless_panel()
    post = ((panel["cohort"] > 0) & (panel["t"] >= panel["cohort"])).astype(float)
    for k in (1, 2, 3):
        panel[f"nrr_u{k}"] = panel["y"] + (0.1 * k - 2.0) * post  # replace the effect of 2
    out = element_effects(panel, elements=(1, 2, 3))
    assert out.index.tolist() == ["U1", "U2", "U3"]
    np.testing.assert_allclose(out["estimate"], [0.1, 0.2, 0.3], atol=1e-9)


def test_element_effects_adjust_pvalues_as_statsmodels_does():
    rng = np.random.default_rng(3)
    panel = noiseless_panel()
    for k in (1, 2, 3, 4):
        panel[f"nrr_u{k}"] = panel["y"] + rng.normal(scale=1.0, size=len(panel))
    out = element_effects(panel, elements=(1, 2, 3, 4))
    # two-sided normal p-value from estimate/se, then statsmodels' Holm and BH
    p = 2 * stats.norm.sf(np.abs(out["estimate"] / out["se"]))
    np.testing.assert_allclose(out["p_value"], p)
    np.testing.assert_allclose(out["p_holm"], multipletests(p, method="holm")[1])
    np.testing.assert_allclose(out["p_bh"], multipletests(p, method="fdr_bh")[1])
    assert (out["significant_holm"] == (out["p_holm"] < 0.05)).all()


def _att(estimate, se, method="aipw"):
    """An ATTResult with given numbers (the tables only read estimate, se and tidy())."""
    return ATTResult(estimate=estimate, se=se, ci_low=estimate - 1.96 * se,
                     ci_high=estimate + 1.96 * se, method=method, n_treated=3, n_control=2,
                     n_trimmed=0, pscore=pd.Series(dtype=float), balance=pd.DataFrame(),
                     influence=np.array([]))


@pytest.fixture()
def l3_sample():
    # treated scores 4, 3, 2 (mean 3); controls 1, 2 (mean 1.5) → naive difference 1.5
    return pd.DataFrame({"treat": [1.0, 1, 1, 0, 0], "l3_score": [4.0, 3, 2, 1, 2],
                         "kesulitan_penerapan": [False, True, True, False, True],
                         "unit": ["A", "A", "B", "B", "C"]})


def test_naive_difference_and_difficulty_breakdown(l3_sample):
    assert naive_difference(l3_sample, "l3_score") == pytest.approx(1.5)
    by = l3_by_difficulty(l3_sample)  # course alumni only: False → [4], True → [3, 2]
    assert by["count"].tolist() == [1, 2]
    assert by["mean"].tolist() == [4.0, 2.5]


def test_l3_effects_table_puts_the_naive_difference_beside_ipw_and_aipw(l3_sample):
    out = l3_effects_table(l3_sample, _att(1.2, 0.1, "ipw"), _att(1.3, 0.2, "aipw"))
    assert out.columns[:3].tolist() == ["method", "naive", "estimate"]
    assert out["method"].tolist() == ["ipw", "aipw"]
    assert out["naive"].tolist() == [1.5, 1.5]
    shown = l3_effects_table(l3_sample, _att(1.2, 0.1, "ipw"), _att(1.3, 0.2, "aipw"), lang="id")
    assert shown["method"].tolist() == [label("method_ipw", "id"), label("method_aipw", "id")]


def test_skp_table_gives_odds_ratios_for_the_logits_only():
    # OLS on a binary regressor: coefficient = difference of means, 3 − 1 = 2 (by hand);
    # the table only reads coef()/se(), which ordered logits share.
    data = pd.DataFrame({"treat": [0.0, 0, 1, 1], "y": [0.0, 2, 2, 4],
                         "predikat_skor": [3.0, 3, 4, 5]})
    fit = fit_ols("y ~ treat", data)
    out = skp_effects_table(data, fit, fit, _att(0.2, 0.05))
    assert out["method"].tolist() == ["ologit", "ologit_covariates", "naive_trained_untrained",
                                      "aipw"]
    assert out["estimand"].tolist() == ["log_odds_higher_predikat"] * 2 + [
        "att_predikat_score"] * 2
    out = out.set_index("method")
    assert out.loc["ologit_covariates", "estimate"] == pytest.approx(2.0)
    assert out.loc["ologit_covariates", "odds_ratio"] == pytest.approx(np.exp(2.0))
    assert out.loc["naive_trained_untrained", "estimate"] == pytest.approx(1.5)  # 4.5 − 3
    assert np.isnan(out.loc["naive_trained_untrained", "se"])
    assert np.isnan(out.loc["aipw", "odds_ratio"])
    # with the binary outcome: naive share difference (1 + 1)/2 − (0 + 0)/2 = 1 (Baik = 4)
    data["baik_atau_lebih"] = (data["predikat_skor"] >= 4).astype(float)
    both = skp_effects_table(data, fit, fit, _att(0.2, 0.05), _att(0.1, 0.02))
    share = both[both["estimand"] == "att_good_or_better"].set_index("method")
    assert share.loc["naive_trained_untrained", "estimate"] == pytest.approx(1.0)
    assert share.loc["aipw", "se"] == pytest.approx(0.02)
    shown = skp_effects_table(data, fit, fit, _att(0.2, 0.05), _att(0.1, 0.02), lang="en")
    assert shown["estimand"].iloc[-1] == "ATT (share Baik or better)"
    assert shown["method"].iloc[0] == "Ordered logit"


def test_individual_effects_keep_each_estimators_interval_and_sample(l3_sample):
    data = pd.DataFrame({"treat": [0.0, 0, 1, 1], "y": [0.0, 2, 2, 4]})
    fit = fit_ols("y ~ treat", data)
    skp = pd.DataFrame({"unit": ["A", "A", "B", "C", "D"], "unit_tahun": list("abcde")})
    out = individual_effects(l3_sample, _att(1.2, 0.1, "ipw"), _att(1.3, 0.2), fit,
                             _att(0.2, 0.05), _att(0.1, 0.02), skp_sample=skp,
                             skp_within=skp[skp["unit"].isin(["A", "B"])])
    assert out.columns.tolist() == EFFECTS_COLUMNS
    assert out["outcome"].tolist() == ["l3_application"] * 3 + ["skp_predikat"] * 3
    assert out["method"].tolist() == ["naive_other_courses", "ipw", "aipw",
                                      "ologit_covariates", "aipw", "aipw"]
    assert out["estimand"].tolist() == ["att"] * 3 + list(SKP_ESTIMANDS)
    ipw = out[out["method"] == "ipw"].iloc[0]
    assert ipw["ci_low"] == pytest.approx(1.2 - 1.96 * 0.1, abs=1e-12)  # _att's own interval
    naive = out[out["method"].str.startswith("naive")].iloc[0]
    assert naive["estimate"] == pytest.approx(1.5) and np.isnan(naive["ci_low"])
    assert out["truth"].isna().all()
    # level 3: 5 alumni in units A, B, C; ipw used 3 treated + 2 controls
    assert (ipw["n_units"], ipw["n_obs"], ipw["n_units_left_out"]) == (3, 5, 0)
    # SKP AIPW within unit-years: units C and D have no unit-year with both groups
    within = out[out["estimand"] == "att_good_or_better"].iloc[0]
    assert (within["n_units"], within["n_units_left_out"]) == (2, 2)
    assert within["left_out_reason"] == "no_unit_year_with_both_groups: 2"


def test_twfe_by_outcome_fits_the_rollout_dummy_as_compare_estimators_does():
    panel = noiseless_panel()
    fits = twfe_by_outcome(panel, ["y"])
    table = compare_estimators(panel, ["y"])
    twfe_row = table[(table["method"] == "twfe") & (table["estimand"] == "att")].iloc[0]
    assert fits[0].coef()["rollout"] == pytest.approx(twfe_row["estimate"], abs=1e-12)
    assert fits[0].coef()["rollout"] == pytest.approx(2.0, abs=1e-9)  # the built-in effect


# --- codes of the effects table ----------------------------------------------------------


def test_estimand_codes_are_lower_snake_with_signed_event_times():
    assert [event_time_estimand(e) for e in (-2, 0, 3)] == ["att_e-2", "att_e0", "att_e3"]
    assert [subgroup_estimand(g) for g in SUBGROUPS] == [
        "att_difficulty_high", "att_difficulty_low", "att_mentoring_with",
        "att_mentoring_without"]


def test_every_code_the_study_writes_has_a_label_and_passes_the_schema(l3_sample):
    # The codes of a full comparison (default event window) and of the individual rows.
    panel = noiseless_panel()
    groups = {"difficulty_high": ["U3", "U4", "U5"], "difficulty_low": ["U6", "U7"],
              "mentoring_with": ["U8", "U9"], "mentoring_without": ["U10", "U11"]}
    fit = fit_ols("y ~ treat", pd.DataFrame({"treat": [0.0, 0, 1, 1], "y": [0.0, 2, 2, 4]}))
    table = combine_effects(
        compare_estimators(panel, ["y"]), unit_subgroup_effects(panel, "y", groups),
        individual_effects(l3_sample, _att(1.2, 0.1, "ipw"), _att(1.3, 0.2), fit,
                           _att(0.2, 0.05), _att(0.1, 0.02)))
    assert set(table["method"]) <= set(METHOD_CODES)
    codes = [f"method_{m}" for m in METHOD_CODES] + [
        f"estimand_{e}" for e in table["estimand"].unique()] + [
        "outcome_l3_application", "outcome_skp_predikat"]
    assert [c for c in codes if not has_label(c)] == []
    assert validate(table, "effects").shape == table.shape
    # every label differs from its code, in both languages (no alias left behind)
    shown = with_labels(table, "en")
    assert not (shown["method"] == table["method"]).any()
    assert not (shown["estimand"] == table["estimand"]).any()


def test_effects_are_sorted_in_reading_order():
    # methods in METHOD_CODES order (unknown codes after, by name); att, then event times
    # in time order (not text order, where "att_e-1" < "att_e-2"), then subgroups
    table = pd.DataFrame({
        "outcome": ["y"] * 7 + ["x"],
        "method": ["zeta", "cs_did", "cs_did", "cs_did", "cs_did", "twfe", "alpha", "cs_did"],
        "estimand": ["att", "att_mentoring_with", "att_e-1", "att_e-2", "att", "att", "att",
                     "att"]})
    out = sort_effects(table)
    assert out["outcome"].tolist() == ["x"] + ["y"] * 7
    assert list(zip(out["method"][1:], out["estimand"][1:], strict=True)) == [
        ("twfe", "att"), ("cs_did", "att"), ("cs_did", "att_e-2"), ("cs_did", "att_e-1"),
        ("cs_did", "att_mentoring_with"), ("alpha", "att"), ("zeta", "att")]


def test_outcome_labels_come_from_the_label_file():
    assert outcome_labels(["ikm", "nrr_u6"], "id") == [label("outcome_ikm", "id"),
                                                        label("outcome_nrr_u6", "id")]
