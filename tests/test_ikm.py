"""IKM by Permenpan RB 14/2017, checked against cases computed by hand and published tables.

Every expected number says where it comes from: the regulation's formula worked by hand,
DOMAIN.md's published rows, or another package (scipy, the decimal module, DuckDB).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evalkit.ikm import (
    ELEMENTS,
    compute_ikm,
    grade,
    ikm_elements,
    ikm_standard_error,
    krejcie_morgan,
    profile_breakdown,
    round_half_up,
    sample_adequacy,
    service_population,
)
from evalkit.privacy import hidden_cells, publishable_rows


def survey(rows: list[list], unit="Dinas A", period="2024Q1") -> pd.DataFrame:
    """Responses from a list of nine-answer rows (None = blank), as nullable Int8."""
    answers = pd.DataFrame(rows, columns=list(ELEMENTS)).astype("Int8")
    return answers.assign(unit=unit, period=period)[["unit", "period", *ELEMENTS]]


# --- hand-computed IKM ---------------------------------------------------------------------
def test_all_threes_is_75_grade_c():
    # By hand: NRR 3 for every element, Σ 3/9 × 9 = 3, × 25 = 75.00 → C (65.00–76.60), the
    # regulation's "all 3 is C, not B" trap noted in DOMAIN.md §1.
    out = compute_ikm(survey([[3] * 9] * 4))
    row = out.iloc[0]
    assert row["n_responses"] == 4
    assert row["ikm_interval"] == pytest.approx(3.0)
    assert row["ikm"] == 75.00
    assert (row["mutu"], row["kinerja"]) == ("C", "Kurang baik")


def test_all_fours_is_100_grade_a():
    out = compute_ikm(survey([[4] * 9] * 3))
    assert out.loc[0, "ikm"] == 100.00
    assert (out.loc[0, "mutu"], out.loc[0, "kinerja"]) == ("A", "Sangat baik")


def test_mixed_answers_by_hand():
    # Two respondents: (1,2,3,4,1,2,3,4,1) and (4,4,4,4,4,4,4,4,4).
    # NRR = 2.5,3,3.5,4,2.5,3,3.5,4,2.5; sum = 28.5; /9 = 3.1666…; × 25 = 79.1666… → 79.17 B.
    out = compute_ikm(survey([[1, 2, 3, 4, 1, 2, 3, 4, 1], [4] * 9]))
    nrr = out[[f"nrr_{e}" for e in ELEMENTS]].iloc[0].tolist()
    assert nrr == [2.5, 3, 3.5, 4, 2.5, 3, 3.5, 4, 2.5]
    assert out.loc[0, "ikm_interval"] == pytest.approx(28.5 / 9)
    assert out.loc[0, "ikm"] == 79.17
    assert out.loc[0, "mutu"] == "B"


def test_blank_answer_excluded_from_its_element_only():
    # Respondent 2 left u1 blank. By hand: NRR u1 = 2/1 = 2 (not (2+0)/2 = 1, not imputed);
    # the other elements use both answers: (2+4)/2 = 3. Interval = (2 + 8×3)/9 = 26/9.
    out = compute_ikm(survey([[2] * 9, [None] + [4] * 8]))
    assert out.loc[0, "nrr_u1"] == 2.0
    assert out.loc[0, "nrr_u2"] == 3.0
    assert out.loc[0, "n_responses"] == 2  # the respondent still counts
    assert out.loc[0, "ikm_interval"] == pytest.approx(26 / 9)
    assert out.loc[0, "ikm"] == round_half_up(26 / 9 * 25)  # 72.22
    assert out.loc[0, "ikm"] == 72.22
    elements = ikm_elements(survey([[2] * 9, [None] + [4] * 8]))
    assert elements.loc[elements["unsur"] == "u1", "n"].item() == 1
    assert elements.loc[elements["unsur"] == "u2", "n"].item() == 2


def test_float_answers_with_nan_give_the_same_result():
    ints = survey([[2] * 9, [None] + [4] * 8, [3, 3, None, 1, 2, 3, 4, 4, 4]])
    floats = ints.astype({e: "float64" for e in ELEMENTS})
    pd.testing.assert_frame_equal(compute_ikm(ints), compute_ikm(floats))


def test_element_without_any_answer_gives_no_ikm():
    out = compute_ikm(survey([[None] + [3] * 8] * 2))
    assert np.isnan(out.loc[0, "nrr_u1"])
    assert np.isnan(out.loc[0, "ikm"]) and pd.isna(out.loc[0, "mutu"])


def test_exact_and_rounded_weight_domain_example():
    # DOMAIN.md §1: NRR mean 3.5324 gives 88.31 (A) with 1/9 and 88.22 (B) with 0.111.
    # 5,324 fours and 4,676 threes give exactly 3.5324 in every element.
    rows = [[4] * 9] * 5324 + [[3] * 9] * 4676
    data = survey(rows)
    exact = compute_ikm(data, weight="exact").iloc[0]
    rounded = compute_ikm(data, weight="rounded").iloc[0]
    assert exact["ikm_interval"] == pytest.approx(3.5324)
    assert (exact["ikm"], exact["mutu"]) == (88.31, "A")
    # by hand: 9 × 0.111 × 3.5324 × 25 = 88.2216… → 88.22
    assert rounded["ikm_interval"] == pytest.approx(0.999 * 3.5324)
    assert (rounded["ikm"], rounded["mutu"]) == (88.22, "B")


def test_custom_weights_must_sum_to_one():
    data = survey([[3] * 9])
    with pytest.raises(ValueError, match="sum to 1"):
        compute_ikm(data, weight={e: 0.1 for e in ELEMENTS})
    weights = {e: (0.2 if e == "u1" else 0.1) for e in ELEMENTS}
    assert compute_ikm(data, weight=weights).loc[0, "ikm"] == 75.0


def test_groups_sorted_and_independent():
    data = pd.concat([survey([[4] * 9], unit="B", period="2024Q2"),
                      survey([[3] * 9], unit="A", period="2024Q2"),
                      survey([[2] * 9], unit="A", period="2024Q1")], ignore_index=True)
    out = compute_ikm(data)
    assert out[["unit", "period"]].values.tolist() == [["A", "2024Q1"], ["A", "2024Q2"],
                                                      ["B", "2024Q2"]]
    assert out["ikm"].tolist() == [50.0, 75.0, 100.0]
    assert out["mutu"].tolist() == ["D", "C", "A"]
    # categorical keys give the same table (unused categories are not reported)
    cat = data.astype({"unit": pd.CategoricalDtype(["A", "B", "Z"])})
    out_cat = compute_ikm(cat)
    assert out_cat["unit"].astype("str").tolist() == ["A", "A", "B"]
    assert out_cat["ikm"].tolist() == out["ikm"].tolist()


def test_output_columns_match_design():
    out = compute_ikm(survey([[3] * 9]))
    assert list(out.columns) == ["unit", "period", "n_responses",
                                 *[f"nrr_{e}" for e in ELEMENTS],
                                 "ikm_interval", "ikm", "mutu", "kinerja"]


def test_out_of_range_answer_is_refused_with_row_and_column():
    data = survey([[3] * 9, [3] * 9])
    data.loc[1, "u4"] = 5
    with pytest.raises(ValueError, match=r"'u4'.*row 1 = 5"):
        compute_ikm(data)
    data.loc[1, "u4"] = 0  # 0 is not "blank"
    with pytest.raises(ValueError, match="outside 1–4"):
        compute_ikm(data)


def test_missing_group_key_is_refused():
    data = survey([[3] * 9, [3] * 9])
    data.loc[1, "unit"] = None
    with pytest.raises(ValueError, match="'unit' is empty in rows \\[1\\]"):
        compute_ikm(data)


def test_matches_duckdb_sql_on_random_data():
    # Independent implementation: the same aggregation in DuckDB SQL (AVG skips NULL).
    duckdb = pytest.importorskip("duckdb")
    rng = np.random.default_rng(5)
    n = 3000
    data = pd.DataFrame({"unit": rng.choice(list("ABCDEFG"), n),
                         "period": rng.choice(["2024Q1", "2024Q2", "2024Q3"], n)})
    for e in ELEMENTS:
        values = rng.integers(1, 5, n).astype("float64")
        values[rng.random(n) < 0.05] = np.nan
        data[e] = values
    ours = compute_ikm(data)
    avg = ", ".join(f"avg({e}) AS nrr_{e}" for e in ELEMENTS)
    ref = duckdb.sql(f"SELECT unit, period, count(*) AS n, {avg} FROM data "
                     "GROUP BY unit, period ORDER BY unit, period").df()
    assert ours["n_responses"].tolist() == ref["n"].tolist()
    for e in ELEMENTS:
        np.testing.assert_allclose(ours[f"nrr_{e}"], ref[f"nrr_{e}"], rtol=1e-12)
    np.testing.assert_allclose(ours["ikm_interval"],
                               ref[[f"nrr_{e}" for e in ELEMENTS]].mean(axis=1), rtol=1e-12)


# --- grades and rounding -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("ikm", "expected"),
    [(25.0, "D"), (64.99, "D"), (65.00, "C"), (76.60, "C"), (76.61, "B"), (88.30, "B"),
     (88.31, "A"), (100.0, "A"),
     # half-up at the third decimal (DOMAIN.md: grade after rounding half-up to 2 decimals)
     (64.994, "D"), (64.995, "C"), (76.604, "C"), (76.605, "B"), (88.304, "B"),
     (88.305, "A")],
)
def test_grade_boundaries(ikm, expected):
    # Bounds from the Permenpan RB 14/2017 table as printed in DOMAIN.md §1.
    assert grade(ikm) == expected
    assert grade(pd.Series([ikm])).tolist() == [expected]


def test_grade_is_not_fooled_by_binary_float_or_bankers_rounding():
    # numpy rounds 88.305 to 88.3 (binary value 88.30499…); the regulation's half-up gives
    # 88.31 → A. Also a computed value: 3.5322 × 25 is 88.305 in decimal arithmetic.
    assert float(np.round(88.305, 2)) == 88.3  # the trap exists
    assert grade(88.305) == "A"
    assert grade(3.5322 * 25) == "A"
    assert grade(np.nextafter(88.305, 0)) == "A"  # 88.30499999999999
    assert grade(pd.Series([88.305, np.nextafter(88.305, 0)])).tolist() == ["A", "A"]


def test_grade_series_keeps_index_and_missing():
    out = grade(pd.Series([75.0, np.nan], index=[10, 11]))
    assert out.index.tolist() == [10, 11]
    assert out.iloc[0] == "C" and pd.isna(out.iloc[1])


def test_grade_refuses_values_off_the_scale():
    with pytest.raises(ValueError, match="25–100"):
        grade(3.2)  # an interval value passed by mistake


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=2500, max_value=9999), st.integers(min_value=0, max_value=999))
def test_vectorised_half_up_agrees_with_decimal(hundredths, thousandths_tail):
    # Reference: the decimal module's ROUND_HALF_UP on the decimal text of the number.
    text = f"{hundredths // 100}.{hundredths % 100:02d}{thousandths_tail:03d}"
    value = float(text)
    expected = float(Decimal(text).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    assert round_half_up(value) == expected
    assert round_half_up(np.array([value]))[0] == expected
    assert grade(value) == grade(pd.Series([value])).iloc[0]


# --- Krejcie & Morgan ----------------------------------------------------------------------
# Published rows of the Krejcie & Morgan (1970) table, as listed in DOMAIN.md §1.
PUBLISHED_KM = {10: 10, 50: 44, 100: 80, 200: 132, 500: 217, 1000: 278, 2000: 322,
                5000: 357, 10000: 370, 20000: 377, 50000: 381, 75000: 382, 1000000: 384}


@pytest.mark.parametrize(("population", "sample"), sorted(PUBLISHED_KM.items()))
def test_krejcie_morgan_published_rows(population, sample):
    assert krejcie_morgan(population) == sample


def test_krejcie_morgan_100000_quirk():
    # The published table prints 384 at N = 100 000; its own formula gives
    # 3.841·1e5·0.25 / (0.0025·99 999 + 0.96025) = 383.1…, so 383. We follow the formula
    # (documented in krejcie_morgan's docstring).
    assert krejcie_morgan(100_000) == 383


def test_krejcie_morgan_vectorised():
    pops = pd.Series([*PUBLISHED_KM, None, 0], index=range(100, 115))
    out = krejcie_morgan(pops)
    assert out.index.tolist() == pops.index.tolist()
    assert out.iloc[:13].tolist() == list(PUBLISHED_KM.values())
    assert pd.isna(out.iloc[13]) and out.iloc[14] == 0
    np.testing.assert_array_equal(krejcie_morgan(np.array([100, 1000])), [80, 278])


# --- confidence interval -------------------------------------------------------------------
def test_se_without_blanks_is_sem_of_respondent_scores():
    # With no blank answers IKM is the mean of each respondent's weighted score, so the
    # linearised SE must equal scipy.stats.sem of those scores (× 25).
    from scipy import stats

    rng = np.random.default_rng(1)
    rows = rng.integers(1, 5, size=(40, 9))
    out = ikm_standard_error(survey(rows.tolist()), level=0.95).iloc[0]
    scores = rows.mean(axis=1) * 25
    assert out["ikm_se"] == pytest.approx(stats.sem(scores), rel=1e-10)
    half = stats.t.ppf(0.975, 39) * stats.sem(scores)
    assert out["ikm_ci_low"] == pytest.approx(scores.mean() - half)
    assert out["ikm_ci_high"] == pytest.approx(scores.mean() + half)


def test_se_with_blanks_agrees_with_bootstrap_over_respondents():
    # Reference: a plain nonparametric bootstrap of compute_ikm over respondents (numpy
    # resampling, 2,000 replicates); the linearised SE should agree within ~10%.
    rng = np.random.default_rng(7)
    n = 150
    person = rng.normal(0, 0.8, n)  # respondents differ: their answers are correlated
    raw = np.clip(np.rint(3 + person[:, None] + rng.normal(0, 0.6, (n, 9))), 1, 4)
    raw[rng.random((n, 9)) < 0.15] = np.nan
    data = pd.DataFrame(raw, columns=list(ELEMENTS)).assign(unit="A")
    se = ikm_standard_error(data, by="unit")["ikm_se"].item()
    boot = []
    for _ in range(2000):
        sample = raw[rng.integers(0, n, n)]
        nrr = np.nanmean(sample, axis=0)
        boot.append(nrr.mean() * 25)
    assert se == pytest.approx(np.std(boot, ddof=1), rel=0.1)
    # and it is clearly larger than the SE that ignores the respondent clustering
    naive = np.sqrt(np.nansum(np.nanvar(raw, axis=0, ddof=1) / (~np.isnan(raw)).sum(0))) / 9
    assert se > 1.5 * naive * 25


def test_ci_columns_from_compute_ikm():
    out = compute_ikm(survey([[3] * 9, [4] * 9, [2] * 9]), ci=0.95)
    assert {"ikm_se", "ikm_ci_low", "ikm_ci_high"} <= set(out.columns)
    assert out.loc[0, "ikm_ci_low"] < out.loc[0, "ikm"] < out.loc[0, "ikm_ci_high"]
    single = compute_ikm(survey([[3] * 9]), ci=0.95)
    assert np.isnan(single.loc[0, "ikm_se"])  # one respondent: no variance


# --- sample adequacy and profiles ------------------------------------------------------------
def test_service_population_uses_previous_quarter():
    kinerja = pd.DataFrame({"unit": ["A"] * 4,
                            "period": ["2023Q4", "2024Q1", "2024Q1", "2024Q1"],
                            "jumlah_permohonan": [40, 100, 60, 40]})
    pop = service_population(kinerja)
    assert pop.to_dict("records") == [{"unit": "A", "period": "2024Q1", "populasi": 40},
                                      {"unit": "A", "period": "2024Q2", "populasi": 200}]


def test_sample_adequacy_against_krejcie_morgan():
    table = pd.DataFrame({"unit": ["A", "A", "A"], "period": ["2024Q1", "2024Q2", "2024Q3"],
                          "n_responses": [50, 132, 131]})
    kinerja = pd.DataFrame({"unit": ["A", "A"], "period": ["2024Q1", "2024Q2"],
                            "jumlah_permohonan": [200, 200]})
    out = sample_adequacy(table, kinerja)
    # 2024Q1 has no previous quarter; 200 users → 132 (published K&M row)
    assert out["sample_min"].tolist() == [pd.NA, 132, 132]
    assert out["sample_adequate"].tolist() == [pd.NA, True, False]


def test_semester_survey_gives_ikm_per_unit_semester_by_hand():
    # A unit surveying twice a year. 2024S1: one respondent all 4, one all 3 → NRR 3.5 per
    # element, IKM 3.5 × 25 = 87.50 (B: 76.61–88.30). 2024S2: all 4 → 100.00 (A).
    skm = pd.concat([survey([[4] * 9, [3] * 9], unit="A", period="2024S1"),
                     survey([[4] * 9], unit="A", period="2024S2")], ignore_index=True)
    out = compute_ikm(skm, by=("unit", "period"))
    assert out[["period", "n_responses", "ikm", "mutu"]].to_dict("list") == {
        "period": ["2024S1", "2024S2"], "n_responses": [2, 1], "ikm": [87.5, 100.0],
        "mutu": ["B", "A"]}


def test_sample_adequacy_lags_one_semester_summing_months():
    # Months of service records (quarterly `period` as the reader writes it) summed into
    # semesters: S1 2024 = 120 + 80 = 200, S2 2024 = 150 + 50 = 200. The population of a
    # semester is the previous semester's: 2024S1 → none, 2024S2 → 200, 2025S1 → 200;
    # K&M for 200 users is 132 (published row).
    table = pd.DataFrame({"unit": ["A", "A", "A"], "period": ["2024S1", "2024S2", "2025S1"],
                          "n_responses": [50, 132, 131]})
    kinerja = pd.DataFrame({"unit": ["A"] * 4,
                            "bulan": ["2024-01", "2024-06", "2024-07", "2024-12"],
                            "period": ["2024Q1", "2024Q2", "2024Q3", "2024Q4"],
                            "jumlah_permohonan": [120, 80, 150, 50]})
    out = sample_adequacy(table, kinerja)
    assert out["populasi"].tolist() == [pd.NA, 200, 200]
    assert out["sample_min"].tolist() == [pd.NA, 132, 132]
    assert out["sample_adequate"].tolist() == [pd.NA, True, False]
    # a year lags one year: 2025's population is 2024's 400 users → K&M 196 (published row)
    years = sample_adequacy(pd.DataFrame({"unit": ["A"], "period": ["2025"],
                                          "n_responses": [196]}), kinerja)
    assert years[["populasi", "sample_min", "sample_adequate"]].to_dict("records") == [
        {"populasi": 400, "sample_min": 196, "sample_adequate": True}]


def test_profile_breakdown_suppresses_small_cells():
    # L 8, P 3 (below 5: hidden), blank sex 6 (the next-smallest cell: hidden as complement,
    # else 17 − 8 − 6 = 3 would give P away).
    rows = [[3] * 9] * 8 + [[4] * 9] * 9
    data = survey(rows).assign(jenis_kelamin=["L"] * 8 + ["P"] * 3 + [None] * 6)
    out = profile_breakdown(data, "jenis_kelamin", min_cell_size=5).set_index("jenis_kelamin")
    male, female, blank = out.loc["L"], out.loc["P"], out.loc["(kosong)"]
    assert (male["n_responses"], male["ikm"], male["share"]) == (8, 75.0, pytest.approx(8 / 17))
    assert female["suppressed"] and pd.isna(female["ikm"]) and pd.isna(female["n_responses"])
    assert pd.isna(female["mutu"])
    assert blank["suppressed"] and pd.isna(blank["n_responses"]) and pd.isna(blank["share"])


def test_profile_breakdown_hidden_counts_cannot_be_recovered():
    # Reviewer's attack: total = n / share, hidden = total − visible. Hand-made units:
    # A: L 10, P 3, (kosong) 7 → P hidden, and 7 (next smallest) hidden with it;
    # B: L 6, P 6 → nothing hidden; C: L 2, P 9 → both hidden (one group member left).
    # D: L 12, P 4, (kosong) 0 → the empty cell protects nothing, so L is hidden too.
    sexes = (["L"] * 10 + ["P"] * 3 + [None] * 7 + ["L"] * 6 + ["P"] * 6 + ["L"] * 2
             + ["P"] * 9 + ["L"] * 12 + ["P"] * 4)
    units = ["A"] * 20 + ["B"] * 12 + ["C"] * 11 + ["D"] * 16
    data = survey([[3] * 9] * len(sexes)).assign(unit=units, jenis_kelamin=sexes)
    true_n = data.assign(jenis_kelamin=data["jenis_kelamin"].fillna("(kosong)")) \
        .groupby(["unit", "jenis_kelamin"]).size()
    out = profile_breakdown(data, "jenis_kelamin", by="unit", min_cell_size=5)
    for unit, group in out.groupby("unit"):
        visible = group[group["n_responses"].notna()]
        hidden = group[group["n_responses"].isna()]
        # every cell under 5 is hidden
        small = true_n[unit][true_n[unit] < 5].index
        assert set(small) <= set(hidden["jenis_kelamin"])
        if hidden.empty:
            continue
        # the unit total is public (n / share, or the unit's IKM table): what is left over
        # belongs to at least two hidden cells, so no single hidden count follows from it
        total = int(true_n[unit].sum())
        if not visible.empty:
            derived = visible["n_responses"].iloc[0] / visible["share"].iloc[0]
            assert derived == pytest.approx(total)
        assert len(hidden) >= 2, (unit, hidden)
    by_cell = out.set_index(["unit", "jenis_kelamin"])["n_responses"]
    assert pd.isna(by_cell[("A", "(kosong)")]) and by_cell[("A", "L")] == 10
    assert by_cell[("B", "L")] == 6 and pd.isna(by_cell[("C", "P")])
    assert pd.isna(by_cell[("D", "L")])


def test_hidden_cells_complement_ignores_empty_cells():
    # By hand: group a = 10, 3, 0 → 3 and 0 are small; 0 hides nobody, so 10 is hidden too.
    # Group b = 8, 6, 2 → 2 hidden, then 6 (next smallest). Group c = 1, 2, 9 → two small
    # cells hide each other; 9 stays.
    counts = pd.Series([10, 3, 0, 8, 6, 2, 1, 2, 9])
    groups = pd.Series(list("aaabbbccc"))
    assert hidden_cells(counts, groups).tolist() == [True, True, True, False, True, True,
                                                     True, True, False]


def test_ikm_change_interval_by_hand():
    # Independent quarters: se = sqrt(1.5² + 2²) = 2.5. Welch–Satterthwaite df with
    # n = 61 and 41 respondents: 2.5⁴ / (1.5⁴/60 + 2⁴/40) = 39.0625 / 0.484375 = 80.645;
    # t(0.975, 80.645) = 1.98982 (scipy.stats.t.ppf; t tables: 1.990 at 80 df).
    from evalkit.ikm import ikm_change

    table = pd.DataFrame({"unit": ["A", "A", "B", "B"],
                          "period": ["2024Q1", "2024Q2", "2024Q1", "2024Q2"],
                          "n_responses": [61, 41, 30, 30],
                          "ikm": [80.0, 84.0, 80.0, 90.0], "ikm_se": [1.5, 2.0, 1.0, 1.0]})
    out = ikm_change(table, "2024Q1", "2024Q2").set_index("unit")
    assert out.loc["A", "change_se"] == pytest.approx(2.5)
    assert out.loc["A", "df"] == pytest.approx(39.0625 / 0.484375)
    assert out.loc["A", "ci_low"] == pytest.approx(4 - 1.98982 * 2.5, abs=1e-4)
    # Equal SEs and n: df = 2(n − 1) = 58, the pooled two-sample t.
    assert out.loc["B", "df"] == pytest.approx(58.0)
    assert not out.loc["A", "clear_change"] and out.loc["B", "clear_change"]
    with pytest.raises(KeyError, match="n_responses"):
        ikm_change(table.drop(columns="n_responses"), "2024Q1", "2024Q2")


def test_ikm_change_df_reduces_to_compute_ikm_rule():
    # One quarter with a negligible SE: the df is the other quarter's n − 1, as compute_ikm.
    from evalkit.ikm import ikm_change

    table = pd.DataFrame({"unit": ["A", "A"], "period": ["2024Q1", "2024Q2"],
                          "n_responses": [12, 500], "ikm": [80.0, 84.0],
                          "ikm_se": [2.0, 1e-9]})
    assert ikm_change(table, "2024Q1", "2024Q2").loc[0, "df"] == pytest.approx(11.0)


def test_figures_show_every_unit():
    import matplotlib

    matplotlib.use("Agg")
    from evalkit.ikm import plot_element_heatmap, plot_ikm_by_unit

    data = pd.concat([survey([[3] * 9, [4] * 9, [2] * 9], unit=u) for u in "ABC"],
                     ignore_index=True)
    table = compute_ikm(data, ci=0.95)
    fig = plot_ikm_by_unit(table, "2024Q1")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert sorted(labels) == ["A", "B", "C"]
    heat = plot_element_heatmap(ikm_elements(data), "2024Q1")
    assert len(heat.axes[0].get_xticklabels()) == 9


def test_poisson_bootstrap_agrees_with_linearised_se():
    # Two independent routes to the same uncertainty: the analytic (delta-method) SE and a
    # bootstrap over respondents; with 400 replicates they should agree within ~15%.
    from evalkit.ikm import ikm_bootstrap

    rng = np.random.default_rng(11)
    n = 600
    person = rng.normal(0, 0.7, n)
    raw = np.clip(np.rint(3 + person[:, None] + rng.normal(0, 0.6, (n, 9))), 1, 4)
    raw[rng.random((n, 9)) < 0.1] = np.nan
    data = pd.DataFrame(raw, columns=list(ELEMENTS)).assign(unit=rng.choice(["A", "B"], n))
    analytic = ikm_standard_error(data, by="unit").set_index("unit")["ikm_se"]
    boot = ikm_bootstrap(data, by="unit", n_boot=400, seed=3).set_index("unit")
    np.testing.assert_allclose(boot["ikm_se_boot"], analytic, rtol=0.15)
    assert (boot["ikm_boot_low"] < boot["ikm_boot_high"]).all()


def test_profile_breakdown_by_unit_shares_sum_to_one_per_unit():
    data = pd.concat([survey([[3] * 9] * 6, unit="A").assign(jenis_kelamin=["L"] * 4 + ["P"] * 2),
                      survey([[4] * 9] * 5, unit="B").assign(jenis_kelamin="P")],
                     ignore_index=True)
    out = profile_breakdown(data, "jenis_kelamin", by="unit", min_cell_size=1)
    assert out.groupby("unit")["share"].sum().tolist() == [1.0, 1.0]
    assert out.set_index(["unit", "jenis_kelamin"])["n_responses"].to_dict() == {
        ("A", "L"): 4, ("A", "P"): 2, ("B", "P"): 5}


def test_publishable_rows_leave_out_small_units_for_displays():
    # Unit B has 3 responses: its IKM (75 by hand, all threes) must not reach a figure or a
    # displayed change table; A's 6 responses may.
    data = pd.concat([survey([[3] * 9] * 6, unit="A"), survey([[3] * 9] * 3, unit="B")],
                     ignore_index=True)
    table = compute_ikm(data, by=("unit", "period"), ci=0.95)
    assert publishable_rows(table, 5)["unit"].tolist() == ["A"]
    assert publishable_rows(table, 3)["unit"].tolist() == ["A", "B"]


# --- processed values are codes; the public names keep their paths ---------------------------
def test_kinerja_is_the_regulation_term_whatever_the_report_language():
    # Permenpan RB 14/2017's table: A Sangat baik, B Baik, C Kurang baik, D Tidak baik. The
    # processed table holds that term; English is a label added at display time.
    from evalkit.ikm import KINERJA, kinerja
    from evalkit.labels import has_label

    data = pd.concat([survey([[4] * 9], unit="A"), survey([[3] * 9], unit="B"),
                      survey([[1] * 9], unit="C")], ignore_index=True)
    assert compute_ikm(data)["kinerja"].tolist() == ["Sangat baik", "Kurang baik", "Tidak baik"]
    assert KINERJA == {"A": "Sangat baik", "B": "Baik", "C": "Kurang baik", "D": "Tidak baik"}
    assert [kinerja(g, "en") for g in "ABCD"] == ["Very good", "Good", "Poor", "Not good"]
    assert [kinerja(g, "id") for g in "ABCD"] == list(KINERJA.values())
    assert kinerja(pd.Series(["A", None]), "en").tolist()[0] == "Very good"
    assert pd.isna(kinerja(pd.Series(["A", None]), "en").iloc[1])
    assert kinerja(None) is None
    assert all(has_label(f"kinerja_{term}") for term in KINERJA.values())
    with pytest.raises(TypeError):  # no language switch left in the computation
        compute_ikm(data, lang="en")


def test_public_functions_and_constants_keep_their_import_paths():
    # DESIGN.md "Public functions" and the constants other modules import (COMMON.md).
    import inspect

    from evalkit import ikm
    from evalkit.ikm import elements, grades, index, sample_size

    assert ikm.compute_ikm is index.compute_ikm
    assert ikm.grade is grades.grade and ikm.krejcie_morgan is sample_size.krejcie_morgan
    for name in ("ELEMENTS", "UNSUR", "UNSUR_EN", "WEIGHTS"):
        assert getattr(ikm, name) is getattr(elements, name)
    for name in ("GRADE_FLOORS", "GRADE_FLOORS_HUNDREDTHS", "GRADE_COLORS", "KINERJA"):
        assert getattr(ikm, name) is getattr(grades, name)
    params = inspect.signature(ikm.compute_ikm).parameters
    assert list(params)[:3] == ["responses", "by", "weight"]
    assert params["by"].default == ("unit", "period") and params["weight"].default == "exact"
    assert not hasattr(ikm, "hidden_cells")  # lives in evalkit.privacy only
    assert ikm.krejcie_morgan(200) == 132 and ikm.grade(76.61) == "B"


def test_profile_breakdown_counts_the_cleaned_values_as_they_are():
    # The cleaning step harmonises the profile (evalkit.ingest.harmonise_profile); here a
    # "Laki-laki" that did not go through it stays its own category, and a missing
    # kelompok_umur column is an error that says to rerun the cleaning.
    data = survey([[3] * 9] * 6).assign(jenis_kelamin=["L"] * 3 + ["Laki-laki"] * 3)
    out = profile_breakdown(data, "jenis_kelamin", min_cell_size=1)
    assert out.set_index("jenis_kelamin")["n_responses"].to_dict() == {"L": 3, "Laki-laki": 3}
    with pytest.raises(KeyError, match="kelompok_umur.*notebook 01"):
        profile_breakdown(data.assign(umur="30"), "kelompok_umur")


def test_profile_tables_and_their_stack():
    from evalkit.ikm import profile_tables, stack_profiles

    data = survey([[3] * 9] * 5 + [[4] * 9] * 5).assign(
        jenis_kelamin=["L"] * 5 + ["P"] * 5, pekerjaan="Swasta")
    tables = profile_tables(data, ["jenis_kelamin", "pekerjaan"])
    assert list(tables) == ["jenis_kelamin", "pekerjaan"]
    pd.testing.assert_frame_equal(tables["jenis_kelamin"],
                                  profile_breakdown(data, "jenis_kelamin"))
    stacked = stack_profiles(tables)
    # by hand: L all threes → 75.00, P all fours → 100.00, everyone Swasta → 87.50
    assert stacked[["profil", "kategori", "n_responses", "ikm"]].values.tolist() == [
        ["jenis_kelamin", "L", 5, 75.0], ["jenis_kelamin", "P", 5, 100.0],
        ["pekerjaan", "Swasta", 10, 87.5]]
    assert stacked["share"].tolist() == [0.5, 0.5, 1.0]
