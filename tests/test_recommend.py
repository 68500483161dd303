"""Tests of evalkit.recommend: training needs, mentor matching, priorities, the typed result.

Expected numbers come from hand calculation (written out in the comments), from another
package (scipy's Welch t-test, the Wilson formula written out), or from brute force.
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from evalkit import recommend as rec
from evalkit.config import load_truth
from evalkit.ikm import ELEMENTS
from evalkit.panel import COHORT_THRESHOLD
from evalkit.training import SERVICE_COURSE, application_summary, l3_score
from evalkit.truth import transfer_vs_truth

# --- element gaps ------------------------------------------------------------------------------


def _responses() -> pd.DataFrame:
    return pd.DataFrame({
        "unit": ["A"] * 5 + ["B"] * 4,
        "u1": pd.array([1, 2, 1, 2, pd.NA, 4, 4, 3, 4], dtype="Int8"),
        "u2": pd.array([3, 3, 3, 3, 3, 3, 3, 3, 3], dtype="Int8"),
    })


def test_element_gaps_match_hand_formula_and_welch():
    gaps = rec.element_gaps(_responses(), elements=["u1", "u2"]).set_index(["unit", "unsur"])
    a = gaps.loc[("A", "u1")]
    # The blank answer of A is left out of u1 only: 4 filled answers.
    assert a["n"] == 4
    assert gaps.loc[("A", "u2"), "n"] == 5
    # City NRR u1 = (1+2+1+2+4+4+3+4)/8 = 21/8; A's NRR = 6/4.
    assert a["nrr_kota"] == pytest.approx(21 / 8)
    assert a["selisih"] == pytest.approx(6 / 4 - 21 / 8)
    # SE: (1 - w) times Welch's SE of A vs the rest (B); Welch's SE from scipy's t-test.
    welch = stats.ttest_ind([1, 2, 1, 2], [4, 4, 3, 4], equal_var=False)
    se_welch = (1.5 - 3.75) / welch.statistic
    assert a["se"] == pytest.approx(0.5 * se_welch)
    z = stats.norm.ppf(0.975)
    assert a["ci_high"] == pytest.approx(a["selisih"] + z * a["se"])
    assert bool(a["di_bawah_kota"])
    # B is above the city: not a need; u2 has no variation and no difference.
    assert not bool(gaps.loc[("B", "u1"), "di_bawah_kota"])
    assert gaps.loc[("A", "u2"), "selisih"] == pytest.approx(0.0)
    assert not gaps["di_bawah_kota"].loc[(slice(None), "u2")].any()


def test_element_gaps_noise_is_not_a_need():
    rng = np.random.default_rng(1)
    # Two units drawn from the same distribution: a small sample gap must not become a need.
    scores = rng.integers(2, 5, size=40)
    resp = pd.DataFrame({"unit": ["A"] * 20 + ["B"] * 20, "u1": scores})
    gaps = rec.element_gaps(resp, elements=["u1"])
    point_below = gaps["selisih"].lt(0)
    assert point_below.any()
    assert not gaps.loc[point_below, "di_bawah_kota"].any() or \
        gaps.loc[point_below, "ci_high"].lt(0).all()


def test_element_gaps_bh_by_hand_and_chance_counts():
    # Four units of 30 answers; unit means shift so the p-values differ. Reference: the
    # p-values are 2·Φ(−|selisih/se|) (scipy), BH by its definition p_(i)·m/i with a running
    # minimum from the top, and the counts m·alpha/2 by hand.
    rng = np.random.default_rng(3)
    shift = {"A": -0.35, "B": -0.2, "C": 0.0, "D": 0.1}
    resp = pd.DataFrame({"unit": np.repeat(list(shift), 30)})
    resp["u1"] = np.clip(np.round(3 + resp["unit"].map(shift) + rng.normal(0, .8, 120)), 1, 4)
    none = rec.element_gaps(resp, elements=["u1"], correction="none")
    bh = rec.element_gaps(resp, elements=["u1"])
    p = 2 * stats.norm.sf(np.abs(none["selisih"] / none["se"]))
    np.testing.assert_allclose(none["p_value"], p)
    order = np.argsort(p)
    scaled = p[order] * 4 / np.arange(1, 5)
    expected = np.empty(4)
    expected[order] = np.minimum.accumulate(scaled[::-1])[::-1].clip(max=1)
    np.testing.assert_allclose(bh["p_adjusted"], expected)
    assert bh["di_bawah_kota"].tolist() == ((bh["selisih"] < 0) & (expected < .05)).tolist()
    # Without correction the flag is the old one: the whole interval below zero.
    assert none["di_bawah_kota"].tolist() == none["ci_high"].lt(0).tolist()
    assert bh["di_bawah_kota_tanpa_koreksi"].tolist() == none["di_bawah_kota"].tolist()
    assert bh.attrs["n_tests"] == 4
    assert bh.attrs["expected_chance_flags_uncorrected"] == pytest.approx(4 * 0.05 / 2)
    assert bh.attrs["expected_chance_flags"] == pytest.approx(0.05 * bh.attrs["n_flagged"])
    holm = rec.element_gaps(resp, elements=["u1"], correction="holm")
    assert holm["di_bawah_kota"].sum() <= bh["di_bawah_kota"].sum() <= none[
        "di_bawah_kota"].sum()
    with pytest.raises(ValueError, match="bh"):
        rec.element_gaps(resp, elements=["u1"], correction="fdr")


def test_element_gaps_correction_removes_chance_flags():
    # 40 units × 9 elements all drawn from one distribution: every flag is chance. Without
    # correction about 360·0.025 = 9 are expected; BH (= Bonferroni-like under the global
    # null) should leave next to none.
    rng = np.random.default_rng(7)
    resp = pd.DataFrame({"unit": np.repeat(np.arange(40), 60)})
    for element in ELEMENTS:
        resp[element] = rng.integers(1, 5, size=len(resp))
    none = rec.element_gaps(resp, correction="none")
    bh = rec.element_gaps(resp)
    assert none.attrs["expected_chance_flags_uncorrected"] == pytest.approx(360 * 0.025)
    assert 3 <= none["di_bawah_kota"].sum() <= 18
    assert bh["di_bawah_kota"].sum() <= 1


def test_element_gaps_names_missing_columns():
    with pytest.raises(KeyError, match="u3"):
        rec.element_gaps(_responses(), elements=["u3"])


# --- JP and level 3 ----------------------------------------------------------------------------


def test_jp_gaps_hand_numbers_and_latest_year():
    t = pd.DataFrame({
        "pid": ["a", "b", "c", "a", "b", "c"],
        "unit": ["A", "A", "B", "A", "A", "B"],
        "tahun": [2023, 2023, 2023, 2024, 2024, 2024],
        "jp": [0, 0, 0, 24, 8, 0],
        "memenuhi_20jp": [False, False, False, True, False, False],
    })
    out = rec.jp_gaps(t).set_index("unit")
    assert (out["tahun"] == 2024).all()
    # A: one of two met 20 JP; shortfalls 0 and 12 → mean 6. B: shortfall 20.
    assert out.loc["A", "share_20jp"] == 0.5
    assert out.loc["A", "kekurangan_jp"] == 6.0
    assert out.loc["B", "kekurangan_jp"] == 20.0
    with pytest.raises(ValueError, match="2030"):
        rec.jp_gaps(t, year=2030)


def test_transfer_by_unit_wilson_by_hand():
    e = pd.DataFrame({
        "pid": [f"p{i}" for i in range(20)],
        "unit": ["A"] * 10 + ["B"] * 10,
        "nama_pelatihan": SERVICE_COURSE,
        "skor_alumni": 3, "skor_atasan": 4, "skor_rekan": pd.array([2] * 19 + [pd.NA], "Int64"),
        "kesulitan_penerapan": [True] * 8 + [False] * 2 + [True] + [False] * 9,
    })
    out = rec.transfer_by_unit(e).set_index("unit")
    # Wilson interval for 8/10 written out: (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)
    z, n, p = stats.norm.ppf(0.975), 10, 0.8
    centre = (p + z ** 2 / (2 * n)) / (1 + z ** 2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z ** 2 / (4 * n ** 2)) / (1 + z ** 2 / n)
    assert out.loc["A", "ci_low"] == pytest.approx(centre - half)
    assert out.loc["A", "ci_high"] == pytest.approx(centre + half)
    # City share 9/20 = 0.45 < A's lower bound (≈0.49): A transfers poorly, B does not.
    assert out.loc["A", "share_kesulitan_kota"] == pytest.approx(0.45)
    assert bool(out.loc["A", "transfer_lemah"]) and not bool(out.loc["B", "transfer_lemah"])
    # L3 score: mean of available ratings; the last person has no colleague rating → (3+4)/2.
    assert out.loc["A", "l3_skor"] == pytest.approx(3.0)
    assert out.loc["B", "l3_skor"] == pytest.approx((9 * 3 + 3.5) / 10)


def test_transfer_share_is_over_alumni_who_answered():
    # A: 6 alumni, 2 with difficulty, 1 without, 3 left the question blank. A blank answer is
    # unknown, not "no difficulty": the share is 2/3, not 2/6. B: 5 answered, 1 difficult.
    # One alumnus has no unit (counted by the city, not by a unit): answered, difficult.
    answers = [True, True, False, None, None, None] + [True, False, False, False, False] + [True]
    e = pd.DataFrame({
        "pid": [f"p{i}" for i in range(12)],
        "unit": ["A"] * 6 + ["B"] * 5 + [None],
        "nama_pelatihan": "X", "skor_alumni": 4, "skor_atasan": 3, "skor_rekan": 2,
        "kesulitan_penerapan": pd.array(answers, dtype="boolean"),
    })
    out = rec.transfer_by_unit(e, min_n=3).set_index("unit")
    assert out.loc["A", "n_alumni"] == 6 and out.loc["A", "n_menjawab"] == 3
    assert out.loc["A", "n_kesulitan"] == 2
    assert out.loc["A", "share_kesulitan"] == pytest.approx(2 / 3)
    # The same share as training.application_summary's share_difficulty (one definition).
    summary = application_summary(e.dropna(subset=["unit"])).set_index("unit")
    assert out["share_kesulitan"].tolist() == pytest.approx(
        summary.loc[out.index, "share_difficulty"].tolist())
    # Wilson on the 3 who answered: 2 of 3, by the formula written out.
    z, n, p = stats.norm.ppf(0.975), 3, 2 / 3
    centre = (p + z ** 2 / (2 * n)) / (1 + z ** 2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z ** 2 / (4 * n ** 2)) / (1 + z ** 2 / n)
    assert out.loc["A", "ci_low"] == pytest.approx(centre - half)
    # City: (2 + 1 + 1 without a unit) difficult of (3 + 5 + 1) who answered.
    assert out["share_kesulitan_kota"].tolist() == pytest.approx([4 / 9, 4 / 9])
    # A unit is judged only with min_n answers: A has 3 (judged at 3, not at 4).
    assert rec.transfer_by_unit(e, min_n=4).set_index("unit").loc["A", "transfer_lemah"] \
        == np.False_
    # The level-3 score is training.l3_score: (4 + 3 + 2) / 3 for everyone.
    assert out["l3_skor"].tolist() == pytest.approx([3.0, 3.0])
    assert l3_score(e).tolist() == pytest.approx([3.0] * 12)


def test_transfer_unit_where_nobody_answered_has_no_share():
    e = pd.DataFrame({"pid": ["a", "b"], "unit": ["A", "B"], "nama_pelatihan": "X",
                      "skor_alumni": 3, "skor_atasan": 3, "skor_rekan": 3,
                      "kesulitan_penerapan": pd.array([None, True], dtype="boolean")})
    out = rec.transfer_by_unit(e, min_n=1).set_index("unit")
    assert out.loc["A", "n_menjawab"] == 0 and pd.isna(out.loc["A", "share_kesulitan"])
    assert pd.isna(out.loc["A", "ci_low"]) and not out.loc["A", "transfer_lemah"]
    assert out.loc["B", "share_kesulitan"] == 1.0


def test_jp_gaps_counts_the_flag_of_notebook_03():
    # 20-JP compliance is notebook 03's memenuhi_20jp, counted, not recomputed from jp: a
    # person with 24 JP whose flag is False (e.g. JP outside the year's rules) does not count.
    t = pd.DataFrame({"pid": ["a", "b", "c"], "unit": "A", "tahun": 2024,
                      "jp": [24.0, 24.0, 10.0], "memenuhi_20jp": [True, False, False]})
    out = rec.jp_gaps(t).iloc[0]
    assert out["n_memenuhi_20jp"] == 1 and out["share_20jp"] == pytest.approx(1 / 3)
    # Shortfall to 20 JP (training.MIN_JP_PER_YEAR): 0, 0, 10 → mean 10/3.
    assert out["kekurangan_jp"] == pytest.approx(10 / 3)


# --- training needs ranking ----------------------------------------------------------------------


def _gaps() -> pd.DataFrame:
    rows = [
        # unit, unsur, selisih, ci_low, ci_high
        ("A", "u3", -0.20, -0.30, -0.10),
        ("A", "u6", -0.40, -0.55, -0.25),
        ("A", "u7", -0.30, -0.60, 0.05),   # below the city but the interval crosses 0: noise
        ("A", "u9", -0.10, -0.15, -0.05),
        ("B", "u7", -0.25, -0.35, -0.15),
        ("B", "u1", 0.10, 0.05, 0.15),     # above the city
    ]
    g = pd.DataFrame(rows, columns=["unit", "unsur", "selisih", "ci_low", "ci_high"])
    return g.assign(n=100, nrr=3.0 + g["selisih"], nrr_kota=3.0,
                    di_bawah_kota=g["ci_high"] < 0)


def test_training_needs_ranking_and_forms():
    jp = pd.DataFrame({"unit": ["A", "B"], "n_asn": [40, 30], "share_20jp": [0.9, 0.5],
                       "kekurangan_jp": [1.0, 9.0]})
    transfer = pd.DataFrame({"unit": ["A", "B"], "n_alumni": [12, 10], "n_menjawab": [12, 9],
                             "share_kesulitan": [0.2, 0.7], "transfer_lemah": [False, True]})
    needs = rec.training_needs(_gaps(), rec.load_catalog(), jp, transfer)
    a = needs[needs["unit"] == "A"]
    # Ranked by the size of the gap: u6 (-0.40) before u3 (-0.20) before u9 (-0.10); u7 is noise.
    assert a["unsur"].tolist() == ["u6", "u3", "u9"]
    assert a["peringkat"].tolist() == [1, 2, 3]
    assert a["topic"].tolist() == ["topic_technical_service", "topic_time_management",
                                   "topic_facilities"]
    # Facilities are not a training need; A transfers well so plain training.
    assert a["bentuk"].tolist() == ["pelatihan", "pelatihan", "perbaikan_sarana"]
    b = needs[needs["unit"] == "B"]
    # B transfers poorly → training + mentoring; B's JP share 0.5 < 0.8 adds a last JP line.
    assert b["unsur"].tolist() == ["u7", "jp_20"]
    assert b["bentuk"].tolist() == ["pelatihan_mentoring", "pelatihan_mentoring"]
    assert b["topic"].tolist() == ["topic_service_excellence", "topic_jp_20"]
    assert (b["share_20jp"] == 0.5).all()
    # The transfer evidence rests on the alumni who answered (9 of B's 10).
    assert b["n_menjawab"].tolist() == [9, 9] and b["share_kesulitan"].tolist() == [0.7, 0.7]


def test_training_needs_without_optional_evidence():
    needs = rec.training_needs(_gaps(), rec.load_catalog())
    assert set(needs["bentuk"]) == {"pelatihan", "perbaikan_sarana"}
    assert needs["share_20jp"].isna().all()


def test_catalog_covers_all_elements_with_expected_topics():
    cat = rec.load_catalog().set_index("unsur")
    assert list(cat.index) == list(ELEMENTS)
    assert cat.loc["u6", "topic"] == "topic_technical_service"
    assert cat.loc["u7", "topic"] == "topic_service_excellence"
    assert cat.loc["u3", "topic"] == "topic_time_management"
    assert cat.loc["u8", "topic"] == "topic_complaint_handling"
    assert cat.loc["u9", "kind"] == "facilities"
    # The city's service-quality course teaches service excellence (u7).
    assert SERVICE_COURSE in cat.loc["u7", "courses"]


def test_catalog_errors_name_the_entry(tmp_path):
    bad = tmp_path / "cat.yaml"
    bad.write_text("elements:\n" + "".join(
        f"  u{i}: {{kind: training, topic: t}}\n" for i in range(1, 9)), encoding="utf-8")
    with pytest.raises(ValueError, match="u9"):
        rec.load_catalog(bad)
    bad.write_text("elements:\n" + "".join(
        f"  u{i}: {{kind: {'lecture' if i == 4 else 'training'}, topic: t}}\n"
        for i in range(1, 10)), encoding="utf-8")
    with pytest.raises(ValueError, match="u4.kind"):
        rec.load_catalog(bad)


# --- assignment ----------------------------------------------------------------------------------


def test_gap_overview_hand_numbers():
    # u1: A and C below the city (gaps -0.4 and -0.2, mean -0.3 by hand), B not;
    # u2: nobody below, so the mean gap among those below is undefined (NaN), not 0.
    gaps = pd.DataFrame({
        "unit": ["A", "B", "C"] * 2, "unsur": ["u1"] * 3 + ["u2"] * 3,
        "nrr_kota": [3.0] * 3 + [3.5] * 3,
        "selisih": [-0.4, -0.1, -0.2, 0.1, -0.05, 0.0],
        "di_bawah_kota": [True, False, True, False, False, False],
    })
    out = rec.gap_overview(gaps)
    assert out.loc["u1", "units"] == 3 and out.loc["u1", "units_below_city"] == 2
    assert out.loc["u1", "mean_gap_below"] == pytest.approx(-0.3)
    assert out.loc["u1", "nrr_city"] == 3.0
    assert out.loc["u2", "units_below_city"] == 0 and pd.isna(out.loc["u2", "mean_gap_below"])


def test_needs_overview_counts_lines_and_units():
    # topic x: 3 lines in 2 units; y: 1 line; ties in lines are ordered by topic.
    needs = pd.DataFrame({"unit": ["A", "A", "B", "B", "C"], "topic": ["x", "x", "x", "y", "z"],
                          "bentuk": ["pelatihan"] * 5})
    out = rec.needs_overview(needs)
    assert out.values.tolist() == [["x", "pelatihan", 3, 2], ["y", "pelatihan", 1, 1],
                                   ["z", "pelatihan", 1, 1]]


def _plan():
    pairs = pd.DataFrame({"pid_mentor": ["m1", "m1", "m2"], "pid_mentee": ["a", "b", "c"],
                          "nama_pelatihan": ["X", "X", "Y"]})
    frames = {
        "mentees": pd.DataFrame({"pid": ["a", "b", "c"]}),
        "mentors": pd.DataFrame({"pid": ["m1", "m2", "m3"], "eligible": [True, True, False]}),
        "mentor_courses": pd.DataFrame({"pid": ["m1", "m2", "m3"],
                                        "nama_pelatihan": ["X", "Y", "X"]}),
        "pegawai": pd.DataFrame({"pid": ["m1", "m2", "m3", "a", "b", "c"],
                                 "unit": ["A", "B", "A", "A", "A", "B"]}),
    }
    return pairs, frames


def test_check_mentoring_plan_flags_each_broken_rule():
    pairs, frames = _plan()
    assert all(rec.check_mentoring_plan(pairs, capacity=2, **frames).values())
    # Negative controls: each change breaks exactly the rule it targets.
    broken = {
        "capacity respected": (pairs, 1),
        "each mentee at most one mentor": (
            pd.concat([pairs, pairs.iloc[[0]].assign(pid_mentor="m2", nama_pelatihan="Y")]), 3),
        "no self-pairing": (pairs.assign(pid_mentee=["a", "b", "m2"]), 2),
        "only eligible mentors": (pairs.assign(pid_mentor=["m1", "m1", "m3"],
                                               nama_pelatihan=["X", "X", "X"]), 2),
        "same unit": (pairs.assign(pid_mentee=["a", "c", "b"]), 2),
        "mentor trained in the course": (pairs.assign(nama_pelatihan=["X", "Y", "Y"]), 2),
    }
    for rule, (plan, capacity) in broken.items():
        checks = rec.check_mentoring_plan(plan, capacity=capacity, **frames)
        failed = [r for r, ok in checks.items() if not ok]
        assert rule in failed, (rule, failed)
    # A mentee listed as a mentor breaks "no mentee mentors".
    frames["mentees"] = pd.DataFrame({"pid": ["a", "b", "c", "m2"]})
    checks = rec.check_mentoring_plan(pairs, capacity=2, **frames)
    assert [r for r, ok in checks.items() if not ok] == ["no mentee mentors"]


def _brute_force(score, allowed, capacity):
    """Best (pairs, total score) over every plan: mentee -> mentor or nobody."""
    n_rows, n_cols = score.shape
    best = (-1, -np.inf)
    for plan in itertools.product(range(-1, n_cols), repeat=n_rows):
        load = np.bincount([j for j in plan if j >= 0], minlength=n_cols)
        if (load > capacity).any():
            continue
        if any(j >= 0 and not allowed[i, j] for i, j in enumerate(plan)):
            continue
        pairs = sum(j >= 0 for j in plan)
        total = sum(score[i, j] for i, j in enumerate(plan) if j >= 0)
        best = max(best, (pairs, total))
    return best


def _check_plan(rows, cols, allowed, capacity):
    assert len(set(rows.tolist())) == len(rows), "a mentee got two mentors"
    load = np.bincount(cols, minlength=allowed.shape[1])
    assert (load <= capacity).all(), "a mentor is over capacity"
    assert allowed[rows, cols].all(), "a forbidden pair was formed"


@pytest.mark.parametrize("seed", range(8))
def test_solve_assignment_is_optimal_against_brute_force(seed):
    rng = np.random.default_rng(seed)
    n_rows, n_cols = 5, 3
    score = rng.uniform(0, 4, size=(n_rows, n_cols)).round(2)
    allowed = rng.uniform(size=(n_rows, n_cols)) < 0.6
    capacity = rng.integers(0, 3, size=n_cols)
    rows, cols = rec.solve_assignment(score, allowed, capacity)
    _check_plan(rows, cols, allowed, capacity)
    pairs, total = _brute_force(score, allowed, capacity)
    assert len(rows) == pairs
    assert score[rows, cols].sum() == pytest.approx(total)


def test_solve_assignment_prefers_more_pairs_over_higher_score():
    # One mentor with capacity 1 cannot serve both: mentor 0 gives 10 to mentee 0, but then
    # mentee 1 (allowed only with mentor 0) stays alone; the rule maximises pairs first.
    score = np.array([[10.0, 0.1], [1.0, 0.0]])
    allowed = np.array([[True, True], [True, False]])
    rows, cols = rec.solve_assignment(score, allowed, 1)
    assert rows.tolist() == [0, 1] and cols.tolist() == [1, 0]


def test_solve_assignment_edge_cases():
    empty = rec.solve_assignment(np.zeros((0, 2)), np.zeros((0, 2), bool), 2)
    assert len(empty[0]) == 0
    nothing_allowed = rec.solve_assignment(np.ones((2, 2)), np.zeros((2, 2), bool), 2)
    assert len(nothing_allowed[0]) == 0
    with pytest.raises(ValueError, match="same shape"):
        rec.solve_assignment(np.ones((2, 2)), np.ones((2, 3), bool), 1)


def _people():
    pegawai = pd.DataFrame({
        "pid": ["m1", "m2", "m3", "m4", "m5", "e1", "e2", "e3", "e4", "x1"],
        "unit": ["A", "A", "A", "A", "A", "A", "A", "A", "A", "B"],
        "jenis_jabatan": ["Pelaksana", "Fungsional", "Pelaksana", "Pelaksana", "Pelaksana",
                          "Pelaksana", "Fungsional", "Pelaksana", "Pelaksana", "Pelaksana"],
        "tahun_pengangkatan": [2000, 2010, 2022, 2005, 2005, 2015, 2015, 2015, 2015, 2000],
        "status": ["Aktif"] * 4 + ["Pensiun"] + ["Aktif"] * 5,
    })
    skp = pd.DataFrame({
        "pid": pegawai["pid"].tolist() + ["m4"],
        "tahun": [2024] * 10 + [2023],
        # m4's 2024 rating is Butuh Perbaikan, its 2023 rating Sangat Baik: the latest counts.
        "predikat": ["Sangat Baik", "Baik", "Baik", "Butuh Perbaikan", "Baik",
                     "Baik", "Baik", "Baik", "Baik", "Sangat Baik", "Sangat Baik"],
    })
    course = SERVICE_COURSE
    pelatihan = pd.DataFrame({
        "pid": ["m1", "m2", "m3", "m4", "m5", "e1", "e2", "e3", "e4", "x1"],
        "nama_pelatihan": [course] * 10,
    })
    evaluasi = pd.DataFrame({
        "pid": ["e1", "e2", "e3", "e4", "m2"],
        "unit": "A", "nama_pelatihan": course,
        "skor_alumni": [2, 2, 3, 2, 4], "skor_atasan": [2, 3, 2, 1, 4],
        "skor_rekan": [2, 2, 2, 2, 4],
        "kesulitan_penerapan": [True, False, True, True, False],
    })
    return pegawai, skp, pelatihan, evaluasi


def test_eligible_mentors_rules():
    pegawai, skp, pelatihan, evaluasi = _people()
    mentees = rec.select_mentees(evaluasi)
    assert mentees["pid"].tolist() == ["e1", "e2", "e3", "e4"]
    mentors, courses = rec.eligible_mentors(pegawai, skp, pelatihan, evaluasi, min_tenure=5,
                                            exclude_pids=mentees["pid"])
    reason = mentors.set_index("pid")["alasan"]
    assert reason["m1"] == "" and reason["m2"] == "" and reason["x1"] == ""
    assert reason["m3"] == "masa_kerja_kurang"      # 2024 - 2022 = 2 years
    assert reason["m4"] == "predikat_skp"           # latest year counts
    assert reason["m5"] == "tidak_aktif"
    assert reason["e1"] == "mentee"
    assert set(courses["pid"]) == {"m1", "m2", "x1"}


def test_assign_mentors_constraints():
    pegawai, skp, pelatihan, evaluasi = _people()
    mentees = rec.select_mentees(evaluasi).drop(columns="unit").merge(
        pegawai[["pid", "unit", "jenis_jabatan"]], on="pid")
    mentors, courses = rec.eligible_mentors(pegawai, skp, pelatihan, evaluasi,
                                            exclude_pids=mentees["pid"])
    pairs = rec.assign_mentors(mentees, mentors, courses, capacity=1)
    eligible = set(mentors.loc[mentors["eligible"], "pid"])
    unit_of = pegawai.set_index("pid")["unit"]
    assert pairs["pid_mentee"].is_unique
    assert pairs["pid_mentor"].value_counts().max() <= 1
    assert set(pairs["pid_mentor"]) <= eligible
    assert (pairs["pid_mentor"] != pairs["pid_mentee"]).all()
    assert (pairs["pid_mentor"].map(unit_of) == pairs["pid_mentee"].map(unit_of)).all()
    # Two eligible mentors in A (m1 Pelaksana, 24 years, Sangat Baik; m2 Fungsional, 14 years,
    # Baik) and four mentees: two pairs. By hand with pair_scores: m1-e4 = 0.833 + 1 + 1 + 1
    # (e4 is the neediest Pelaksana, L3 5/3) and m2-e2 = 0.667 + 0.7 + 0.5 + 1 (same post)
    # total 6.70, beating m1-e4 + m2-e1 = 3.833 + 1.95 = 5.78.
    assert len(pairs) == 2
    assert sorted(map(tuple, pairs[["pid_mentor", "pid_mentee"]].values.tolist())) == [
        ("m1", "e4"), ("m2", "e2")]
    assert pairs["skor_pasangan"].sum() == pytest.approx(3 + 5 / 6 + 0.7 + 0.5 + 1 + 2 / 3)
    # Capacity 3: all four mentees matched, nobody above 3.
    pairs3 = rec.assign_mentors(mentees, mentors, courses, capacity=3)
    assert len(pairs3) == 4 and pairs3["pid_mentor"].value_counts().max() <= 3
    summary = rec.mentoring_summary(mentees, mentors, pairs3).set_index("unit")
    assert summary.loc["A", "n_tanpa_mentor"] == 0
    with pytest.raises(ValueError, match="capacity"):
        rec.assign_mentors(mentees, mentors, courses, capacity=0)


def test_assign_mentors_no_self_pairing_and_course_match():
    # The same person listed as mentee and as an eligible mentor must not mentor themselves;
    # a mentor trained in another course is not allowed.
    mentees = pd.DataFrame({"pid": ["p", "q"], "unit": "A", "nama_pelatihan": ["X", "Y"],
                            "kebutuhan": [1.0, 1.0], "jenis_jabatan": "Pelaksana"})
    mentors = pd.DataFrame({"pid": ["p", "r"], "unit": "A", "jenis_jabatan": "Pelaksana",
                            "masa_kerja": [20, 10], "predikat": "Baik", "eligible": True})
    courses = pd.DataFrame({"pid": ["p", "r"], "nama_pelatihan": ["X", "X"]})
    pairs = rec.assign_mentors(mentees, mentors, courses, capacity=2)
    assert pairs[["pid_mentor", "pid_mentee"]].values.tolist() == [["r", "p"]]


# --- priorities ----------------------------------------------------------------------------------


def _priorities_panel() -> pd.DataFrame:
    """Four units over two quarters; coverage in the latest: A 0.05, B 0.2, C 0.6, D 0."""
    return pd.DataFrame({
        "unit": ["A", "A", "B", "B", "C", "C", "D", "D"],
        "period": ["2024Q3", "2024Q4"] * 4,
        "ikm": [80, 81, 85, 86, 70, 71.0, 75, 76],
        "n_asn": [50, 50, 60, 60, 40, 40, 30, 30],
        "share_trained": [0.0, 0.05, 0.1, 0.2, 0.0, 0.6, 0.0, 0.0],
    })


def test_unit_priorities_hand_numbers():
    panel = _priorities_panel()
    out = rec.unit_priorities(panel, {"estimate": 4.0, "ci_low": -1.0, "ci_high": 9.0},
                              target=0.25)
    # latest period: gap = (0.25 - coverage) / 0.25 → A 0.8, B 0.2, C 0 (reached), D 1.
    assert out["unit"].tolist() == ["D", "A", "B", "C"]
    assert out["kesenjangan"].tolist() == pytest.approx([1.0, 0.8, 0.2, 0.0])
    assert out["perkiraan_kenaikan"].tolist() == pytest.approx([4.0, 3.2, 0.8, 0.0])
    assert out["ci_low"].tolist() == pytest.approx([-1.0, -0.8, -0.2, 0.0])
    assert out["ci_high"].tolist() == pytest.approx([9.0, 7.2, 1.8, 0.0])
    assert out["peringkat"].tolist() == [1, 2, 3, 4]
    # A negative effect: the interval bounds stay ordered.
    neg = rec.unit_priorities(panel, {"estimate": -2.0, "ci_low": -3.0, "ci_high": -1.0})
    assert (neg["ci_low"] <= neg["ci_high"]).all()
    with pytest.raises(ValueError, match="cohort_threshold"):
        rec.unit_priorities(panel, {"estimate": 1, "ci_low": 0, "ci_high": 2}, target=0)


def test_unit_priorities_rank_by_need_when_the_gain_is_not_established():
    # issue 14: an effect -1.0 [-3.0, 1.0] covers zero; ranked by its point estimate × gap
    # the reached unit C (gain 0) would come first. Ranked by need instead: gap D 1.0,
    # A 0.8, B 0.2, C 0 (hand numbers of test_unit_priorities_hand_numbers).
    panel = _priorities_panel()
    out = rec.unit_priorities(panel, {"estimate": -1.0, "ci_low": -3.0, "ci_high": 1.0},
                              target=0.25)
    assert out["unit"].tolist() == ["D", "A", "B", "C"]
    assert set(out["dasar_peringkat"]) == {"kebutuhan"}
    # the gain's interval stays as evidence: [-3, 1] × gap
    assert out["ci_low"].tolist() == pytest.approx([-3.0, -2.4, -0.6, 0.0])
    # An established negative effect is no gain either; equal gaps go to the lower IKM.
    flat = panel.assign(share_trained=0.0)
    worse = rec.unit_priorities(flat, {"estimate": -2.0, "ci_low": -3.0, "ci_high": -1.0})
    assert worse["unit"].tolist() == ["C", "D", "A", "B"]  # IKM 71, 76, 81, 86
    assert set(worse["dasar_peringkat"]) == {"kebutuhan"}
    # An established improvement ranks by gain.
    better = rec.unit_priorities(panel, {"estimate": 2.0, "ci_low": 0.5, "ci_high": 3.5},
                                 target=0.25)
    assert set(better["dasar_peringkat"]) == {"perkiraan_kenaikan"}


def test_effect_supports_gain_follows_the_outcome_direction():
    # A fall in days to finish is an improvement; a rise in IKM is.
    assert rec.effect_supports_gain({"outcome": "rata_rata_hari", "ci_low": -2.0,
                                     "ci_high": -0.5})
    assert not rec.effect_supports_gain({"outcome": "rata_rata_hari", "ci_low": 0.5,
                                         "ci_high": 2.0})
    assert rec.effect_supports_gain({"outcome": "ikm", "ci_low": 0.5, "ci_high": 2.0})
    # an interval touching zero is not an established gain
    assert not rec.effect_supports_gain({"outcome": "ikm", "ci_low": 0.0, "ci_high": 2.0})


@pytest.mark.parametrize(("verdict", "form"), [
    ("positive", "pelatihan_mentoring"), ("inconclusive", "pelatihan_mentoring_uji"),
    ("negative", "pelatihan"), (None, "pelatihan_mentoring_uji")])
def test_mentoring_form_of_a_need_follows_the_mentoring_finding(tmp_path, verdict, form):
    # Report fixture: Dinas A is weak on u7 and its training transferred poorly, which made
    # its needs "training + mentoring". Issue 14: only when notebook 04's finding
    # difference_mentoring is established in the better direction (None: no finding).
    from report_fixture import write_fixture

    from evalkit.report import load_inputs

    inputs = load_inputs(write_fixture(tmp_path / "data"))
    findings = inputs["findings"]
    if verdict is None:
        inputs["findings"] = findings[findings["topic"] != "difference_mentoring"]
    else:
        inputs["findings"] = findings.assign(verdict=findings["verdict"].where(
            findings["topic"] != "difference_mentoring", verdict))
    out = rec.recommend_all(inputs)
    weak = out.needs[out.needs["unit"] == "Dinas A"]
    assert weak["bentuk"].tolist() and set(weak["bentuk"]) == {form}
    assert out.mentoring_form == form
    assert (rec.finding_quality(out.mentoring_finding) == "better") == (verdict == "positive")


def test_unit_priorities_default_target_is_the_cohort_threshold():
    panel = pd.DataFrame({"unit": ["A", "B"], "period": "2024Q4", "ikm": [80.0, 85.0],
                          "n_asn": 20, "share_trained": [0.0, 0.1]})
    effect = {"estimate": 2.0, "ci_low": 1.0, "ci_high": 3.0}
    pd.testing.assert_frame_equal(rec.unit_priorities(panel, effect),
                                  rec.unit_priorities(panel, effect, target=COHORT_THRESHOLD))
    # B: gap (threshold − 0.1) / threshold, by hand.
    out = rec.unit_priorities(panel, effect).set_index("unit")
    assert out.loc["B", "kesenjangan"] == pytest.approx((COHORT_THRESHOLD - 0.1)
                                                         / COHORT_THRESHOLD)


def test_unit_priorities_ties_go_to_lower_ikm():
    panel = pd.DataFrame({"unit": ["A", "B", "C"], "period": "2024Q4", "ikm": [85.0, 70.0, 90.0],
                          "n_asn": 20, "share_trained": 0.0})
    out = rec.unit_priorities(panel, {"estimate": 1.0, "ci_low": 0.5, "ci_high": 1.5})
    assert out["unit"].tolist() == ["B", "A", "C"]


def test_select_effect_preference_and_error():
    e = pd.DataFrame({"outcome": ["ikm", "ikm", "nrr_u7"], "method": ["ols", "did", "did"],
                      "estimate": [1.0, 2.0, 3.0], "se": 0.1, "ci_low": 0, "ci_high": 1})
    assert rec.select_effect(e, methods=["did", "ols"])["estimate"] == 2.0
    assert rec.select_effect(e, methods=["none"])["estimate"] == 1.0
    with pytest.raises(ValueError, match="share_on_time"):
        rec.select_effect(e, outcome="share_on_time")


def test_select_effect_on_the_codes_of_notebook_04():
    # The effects table of notebook 04 (stable codes): the overall effect of each method,
    # cs_did's subgroups and event times. The default preference is cs_did, twfe, aipw, ipw.
    assert rec.EFFECT_METHODS == ("cs_did", "twfe", "aipw", "ipw")
    e = pd.DataFrame({
        "outcome": "ikm",
        "method": ["naive_before_after", "ipw", "aipw", "twfe", "event_study", "cs_did",
                   "cs_did", "cs_did"],
        "estimand": ["att", "att", "att", "att", "att_e0", "att_e0", "att_difficulty_high",
                     "att"],
        "estimate": [9.0, 5.0, 4.0, 3.0, 7.0, 6.0, 1.0, 2.0]})
    assert rec.select_effect(e)["estimate"] == 2.0  # cs_did overall, not its event time
    assert rec.select_effect(e[e["method"] != "cs_did"])["estimate"] == 3.0  # twfe
    assert rec.select_effect(e[~e["method"].isin(["cs_did", "twfe"])])["estimate"] == 4.0
    assert rec.select_effect(e[e["method"].isin(["ipw", "naive_before_after"])])[
        "estimate"] == 5.0
    # No preferred method: the first overall row, never an event time or a subgroup.
    only = e[e["method"].isin(["naive_before_after", "event_study"])]
    assert rec.select_effect(only)["method"] == "naive_before_after"


# --- the typed result --------------------------------------------------------------------------


def test_recommendations_is_a_frozen_typed_result():
    out = rec.recommend_all({}, mentor_capacity=2, cohort_threshold=0.4, n_periods=2)
    assert [f.name for f in dataclasses.fields(out)] == [
        "settings", "periods", "element_gaps", "jp", "transfer", "needs", "mentees", "mentors",
        "mentor_courses", "pairs", "mentoring_summary", "effect", "effect_supported",
        "priorities", "findings", "mentoring_finding", "mentoring_form", "missing"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        out.needs = pd.DataFrame()
    # The rules used travel with the result; the defaults are the pipeline's.
    assert (out.settings.mentor_capacity, out.settings.cohort_threshold,
            out.settings.n_periods) == (2, 0.4, 2)
    assert rec.recommend_all({}).settings.cohort_threshold == COHORT_THRESHOLD
    assert rec.recommend_all({}).settings.effect_methods == rec.EFFECT_METHODS
    # Nothing available: every step names what it lacks.
    assert out.missing == {"needs": ["skm"],
                           "mentoring": ["evaluasi_pasca_pelatihan", "pegawai", "skp",
                                         "pelatihan"],
                           "priorities": ["effects", "panel_unit_period"]}
    assert all(getattr(out, f) is None for f in ("periods", "element_gaps", "jp", "transfer",
                                                 "needs", "pairs", "effect", "priorities"))


def test_recommend_all_priorities_from_the_effects_codes():
    # effects with codes: cs_did overall 2.0 [1, 3] drives the priorities; A (coverage 0.1 of
    # the 0.25 threshold) has gap 0.6 → gain 1.2 by hand.
    effects = pd.DataFrame({"outcome": "ikm", "method": ["twfe", "cs_did", "cs_did"],
                            "estimand": ["att", "att_e0", "att"], "estimate": [3.0, 5.0, 2.0],
                            "ci_low": [2.0, 4.0, 1.0], "ci_high": [4.0, 6.0, 3.0]})
    panel = pd.DataFrame({"unit": ["A"], "period": "2024Q4", "ikm": [80.0], "n_asn": [30],
                          "share_trained": [0.1]})
    out = rec.recommend_all({"effects": effects, "panel_unit_period": panel},
                            cohort_threshold=0.25)
    assert (out.effect["method"], out.effect["estimand"]) == ("cs_did", "att")
    assert out.priorities["perkiraan_kenaikan"].tolist() == pytest.approx([1.2])
    assert out.effect_supported is True
    assert "priorities" not in out.missing


def test_eligibility_overview_counts_first_reasons():
    pegawai, skp, pelatihan, evaluasi = _people()
    mentees = rec.select_mentees(evaluasi)
    mentors, _ = rec.eligible_mentors(pegawai, skp, pelatihan, evaluasi,
                                      exclude_pids=mentees["pid"])
    # test_eligible_mentors_rules: m1, m2, x1 eligible; m3 tenure; m4 SKP; m5 not active;
    # e1..e4 mentees.
    assert rec.eligibility_overview(mentors).values.tolist() == [
        ["eligible", 3], ["masa_kerja_kurang", 1], ["mentee", 4], ["predikat_skp", 1],
        ["tidak_aktif", 1]]


def test_mentees_use_the_one_level_3_score():
    _, _, _, evaluasi = _people()
    mentees = rec.select_mentees(evaluasi).set_index("pid")
    expected = l3_score(evaluasi).set_axis(evaluasi["pid"])
    assert mentees["l3_skor"].tolist() == pytest.approx(expected[mentees.index].tolist())


# --- end to end on a small simulated city (real cleaned tables flow through) --------------------


def test_recommend_all_on_small_simulated_city(small_processed):
    tables = {name: pd.read_parquet(small_processed / f"{name}.parquet")
              for name in ("skm", "pegawai", "pelatihan", "skp", "evaluasi_pasca_pelatihan")}
    out = rec.recommend_all(tables, mentor_capacity=2)
    assert isinstance(out, rec.Recommendations) and out.settings.mentor_capacity == 2
    # The derived tables of notebooks 03/04 are absent: priorities say which inputs are missing.
    assert out.priorities is None and out.effect is None
    assert set(out.missing["priorities"]) == {"effects", "panel_unit_period"}
    gaps = out.element_gaps
    assert set(gaps["unsur"]) == set(ELEMENTS)
    assert gaps["unit"].nunique() == tables["skm"]["unit"].nunique()
    # Every need is a clear gap; every catalog kind maps to its form.
    needs = out.needs
    element_lines = needs[needs["unsur"] != "jp_20"]
    assert (element_lines["ci_high"] < 0).all()
    assert set(needs.loc[needs["unsur"] == "u9", "bentuk"]) <= {"perbaikan_sarana"}
    # The mentoring plan obeys the rule on real cleaned tables.
    pairs, mentors = out.pairs, out.mentors
    assert len(out.mentees) > 0
    assert pairs["pid_mentee"].is_unique
    assert pairs["pid_mentor"].value_counts().max() <= 2
    assert pairs["pid_mentor"].isin(mentors.loc[mentors["eligible"], "pid"]).all()
    assert not pairs["pid_mentor"].isin(out.mentees["pid"]).any()
    unit_of = tables["pegawai"].set_index("pid")["unit"]
    assert (pairs["pid_mentor"].map(unit_of) == pairs["pid_mentee"].map(unit_of)).all()
    trained = out.mentor_courses.assign(ok=True)
    check = pairs.merge(trained, left_on=["pid_mentor", "nama_pelatihan"],
                        right_on=["pid", "nama_pelatihan"], how="left")
    assert check["ok"].fillna(False).all()
    # The notebook's rule check agrees with the assertions above.
    assert all(rec.check_mentoring_plan(
        pairs, mentees=out.mentees, mentors=mentors, mentor_courses=out.mentor_courses,
        pegawai=tables["pegawai"], capacity=2).values())
    # The cleaning step copied the simulator's truth into the processed folder: the flag is
    # compared with every unit it judged, and the built-difficult count matches truth.json.
    truth = load_truth(small_processed)
    assert truth is not None
    table = transfer_vs_truth(out.transfer, truth)
    assert table.to_numpy().sum() == len(out.transfer)
    built = {u for u, c in truth["unit_characteristics"].items() if c["high_difficulty"]}
    assert table.loc[True].sum() == out.transfer["unit"].isin(built).sum()
