"""Training participation, Kirkpatrick levels and the unit × quarter panel on small hand-made
frames. Expected numbers are worked by hand in the comments, or come from scipy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from evalkit import schemas
from evalkit.privacy import publish_jp_breakdown, publish_panel
from evalkit.training import (
    TrainingDataWarning,
    application_summary,
    jp_breakdown,
    jp_from_minutes,
    jp_summary,
    jp_to_hours,
    learning_gain,
    panel_unit_period,
    reaction_summary,
    service_cohort,
    training_asn_year,
)

COURSE = "Pelatihan Pelayanan Prima"


def pid(name: str) -> str:
    """A 16-hex pseudonym per test person (the format of evalkit.privacy.pseudonymise)."""
    return name.encode().hex().ljust(16, "0")[:16]


@pytest.fixture
def pegawai() -> pd.DataFrame:
    # Unit A: a1–a4 active since 2010, a5 appointed 2025 (not yet counted in 2024), a6 retired.
    # Unit B: b1, b2 active.
    rows = [("a1", "A", 2010, "Aktif", "Pelaksana"), ("a2", "A", 2010, "Aktif", "Pelaksana"),
            ("a3", "A", 2010, "Aktif", "Fungsional"), ("a4", "A", 2010, "Aktif", "Struktural"),
            ("a5", "A", 2025, "Aktif", "Pelaksana"), ("a6", "A", 2000, "Pensiun", "Pelaksana"),
            ("b1", "B", 2015, "Aktif", "Pelaksana"), ("b2", "B", 2015, "Aktif", "Pelaksana")]
    df = pd.DataFrame(rows, columns=["pid", "unit", "tahun_pengangkatan", "status",
                                     "jenis_jabatan"])
    df["pid"] = df["pid"].map(pid)
    return df


@pytest.fixture
def pelatihan() -> pd.DataFrame:
    rows = [
        # pid, course, rumpun, metode, klasikal, end date, JP, pre, post, reaction
        ("a1", COURSE, "teknis", "klasikal", True, "2024-02-10", 24, 50, 70, 4.0),
        ("a2", COURSE, "teknis", "blended", False, "2024-05-05", 32, 60, 65, 4.5),
        ("a6", COURSE, "teknis", "klasikal", True, "2024-01-10", 24, 40, 60, 3.5),
        ("a1", "Kearsipan", "teknis", "e-learning", False, "2024-08-20", 30, None, None, 4.2),
        ("b1", "Budaya Kerja", "sosial kultural", "klasikal", True, "2024-08-01", 10, None,
         None, None),
    ]
    df = pd.DataFrame(rows, columns=["pid", "nama_pelatihan", "rumpun", "metode", "klasikal",
                                     "tanggal_selesai", "jp", "nilai_pre_test",
                                     "nilai_post_test", "nilai_reaksi"])
    df["pid"] = df["pid"].map(pid)
    df["tanggal_selesai"] = pd.to_datetime(df["tanggal_selesai"])
    df["tanggal_mulai"] = df["tanggal_selesai"] - pd.Timedelta(days=3)
    return df.astype({"jp": "float64", "nilai_pre_test": "float64",
                      "nilai_post_test": "float64", "nilai_reaksi": "float64"})


def test_jp_units():
    # DOMAIN.md §2: 1 JP = 45 minutes, so 20 JP = 900 minutes = 15 hours.
    assert jp_from_minutes(900) == 20
    assert jp_to_hours(20) == 15


def test_training_asn_year_by_hand(pegawai, pelatihan):
    with pytest.warns(TrainingDataWarning, match="1 training records"):
        out = training_asn_year(pegawai, pelatihan)
    # 2024 only (every training ends in 2024); counted: a1–a4, b1, b2 (a5 appointed 2025,
    # a6 retired). JP by hand: a1 24 + 30 = 54, a2 32, b1 10, others 0.
    jp = dict(zip(out["pid"], out["jp"], strict=True))
    assert set(out["tahun"]) == {2024}
    assert len(out) == 6 and pid("a5") not in jp and pid("a6") not in jp
    assert jp[pid("a1")] == 54 and jp[pid("a2")] == 32 and jp[pid("b1")] == 10
    assert jp[pid("a3")] == 0
    meets = dict(zip(out["pid"], out["memenuhi_20jp"], strict=True))
    assert meets[pid("a1")] and meets[pid("a2")] and not meets[pid("b1")]
    assert out.attrs["records_not_counted"] == 1
    schemas.validate(out, "training_asn_year")  # the contract's schema


def test_jp_summary_compliance_and_coverage(pegawai, pelatihan):
    with pytest.warns(TrainingDataWarning):
        asn_year = training_asn_year(pegawai, pelatihan)
    out = jp_summary(asn_year).set_index("unit")
    # Unit A: JP 54, 32, 0, 0 → mean 21.5, median 16, 2/4 meet 20 JP, 2/4 trained.
    assert out.loc["A", "n_asn"] == 4
    assert out.loc["A", "jp_mean"] == 21.5 and out.loc["A", "jp_median"] == 16
    assert out.loc["A", "share_20jp"] == 0.5 and out.loc["A", "coverage"] == 0.5
    # Unit B: 10, 0 → none meets 20 JP, half trained.
    assert out.loc["B", "share_20jp"] == 0 and out.loc["B", "coverage"] == 0.5


def test_jp_breakdown_by_delivery_and_family(pegawai, pelatihan):
    with pytest.warns(TrainingDataWarning):
        asn_year = training_asn_year(pegawai, pelatihan)
    jalur = jp_breakdown(pelatihan, asn_year, "jalur").set_index(["unit", "jalur"])
    # A, klasikal: a1's 24 JP over 4 ASN = 6; non-klasikal: a2 blended 32 + a1 e-learning 30
    # = 62 / 4 = 15.5, two people trained → 0.5.
    assert jalur.loc[("A", "klasikal"), "jp_per_asn"] == 6
    assert jalur.loc[("A", "non-klasikal"), "jp_per_asn"] == 15.5
    assert jalur.loc[("A", "non-klasikal"), "share_trained"] == 0.5
    # B: 10 classroom JP over 2 ASN; no non-klasikal training, still listed with 0.
    assert jalur.loc[("B", "klasikal"), "jp_per_asn"] == 5
    assert jalur.loc[("B", "non-klasikal"), "jp_total"] == 0
    rumpun = jp_breakdown(pelatihan, asn_year, "rumpun").set_index(["unit", "rumpun"])
    assert rumpun.loc[("A", "teknis"), "jp_total"] == 86  # 24 + 32 + 30 (a6 not counted)
    assert rumpun.loc[("B", "sosial kultural"), "n_trained"] == 1


def test_reaction_summary_interval_matches_scipy():
    scores = [3.5, 4.0, 4.5, 5.0, 4.2]
    data = pd.DataFrame({"nama_pelatihan": "X", "nilai_reaksi": scores})
    out = reaction_summary(data).iloc[0]
    low, high = stats.t.interval(0.95, 4, loc=np.mean(scores), scale=stats.sem(scores))
    assert out["n"] == 5
    assert out["ci_low"] == pytest.approx(low) and out["ci_high"] == pytest.approx(high)


def test_learning_gain_matches_scipy_paired_tests():
    rng = np.random.default_rng(3)
    pre = rng.integers(30, 80, 40).astype(float)
    post = np.clip(pre + rng.normal(6, 9, 40).round(), 0, 100)
    data = pd.DataFrame({"nama_pelatihan": ["X"] * 25 + ["Y"] * 15, "nilai_pre_test": pre,
                         "nilai_post_test": post})
    data.loc[3, "nilai_post_test"] = np.nan  # an unpaired record is left out
    out = learning_gain(data).set_index("nama_pelatihan")
    for course, rows in (("X", slice(0, 25)), ("Y", slice(25, 40))):
        sub = data.iloc[rows].dropna()
        ref_t = stats.ttest_rel(sub["nilai_post_test"], sub["nilai_pre_test"])
        ref_w = stats.wilcoxon(sub["nilai_post_test"] - sub["nilai_pre_test"])
        assert out.loc[course, "n_pairs"] == len(sub)
        assert out.loc[course, "t_stat"] == pytest.approx(ref_t.statistic)
        assert out.loc[course, "p_ttest"] == pytest.approx(ref_t.pvalue)
        assert out.loc[course, "p_wilcoxon"] == pytest.approx(ref_w.pvalue)
    assert out.loc["X", "n_pairs"] == 24


def test_learning_gain_too_few_pairs_gets_no_test():
    data = pd.DataFrame({"nama_pelatihan": ["X"] * 3, "nilai_pre_test": [1.0, 2, 3],
                         "nilai_post_test": [2.0, 4, 5]})
    out = learning_gain(data).iloc[0]
    assert out["gain_mean"] == pytest.approx(5 / 3)
    assert np.isnan(out["p_ttest"]) and np.isnan(out["p_wilcoxon"])


def test_application_summary_by_hand():
    data = pd.DataFrame({"unit": ["A", "A", "A", "B"],
                         "skor_alumni": [4.0, 2.0, 5.0, 3.0],
                         "skor_atasan": [3.0, 3.0, np.nan, 3.0],
                         "skor_rekan": [5.0, 4.0, 5.0, 3.0],
                         "kesulitan_penerapan": pd.array([False, True, None, True],
                                                         dtype="boolean")})
    out = application_summary(data).set_index("unit")
    # A: evaluation means 4, 3, 5 (atasan missing: mean of the two given) → 4.0;
    # difficulty 1 of the 2 that answered.
    assert out.loc["A", "l3_score"] == pytest.approx(4.0)
    assert out.loc["A", "share_difficulty"] == 0.5
    assert out.loc["A", "skor_atasan"] == 3.0 and out.loc["A", "n"] == 3


def test_service_cohort_rule():
    share = pd.DataFrame({"unit": ["A"] * 4 + ["B"] * 4, "t": [1, 2, 3, 4] * 2,
                          "share_trained": [0, 0.3, 0.6, 0.7, 0.1, 0.2, 0.2, 0.2]})
    out = service_cohort(share, threshold=0.5).set_index("unit")["cohort"]
    assert out.to_dict() == {"A": 3, "B": 0}
    assert service_cohort(share, threshold=0.25).set_index("unit")["cohort"]["A"] == 2


@pytest.fixture
def panel_inputs(pegawai, pelatihan):
    ikm = pd.DataFrame({"unit": ["A", "A"], "period": ["2024Q1", "2024Q3"],
                        "ikm": [80.0, 85.0], "n_responses": [50, 60],
                        **{f"nrr_u{k}": [3.2, 3.4] for k in range(1, 10)}})
    kinerja = pd.DataFrame({"unit": ["A", "A"], "bulan": ["2024-01", "2024-02"],
                            "period": ["2024Q1", "2024Q1"], "jumlah_permohonan": [100, 300],
                            "selesai_tepat_waktu": [80, 270], "rata_rata_hari": [5.0, 3.0],
                            "jumlah_pengaduan": [2, 1]})
    mentoring = pd.DataFrame({"pid_mentor": [pid("a4")], "pid_mentee": [pid("a3")],
                              "unit": ["A"], "tanggal_mulai": pd.to_datetime(["2024-07-01"]),
                              "tanggal_selesai": pd.to_datetime(["2024-12-01"])})
    evaluasi = pd.DataFrame({
        "pid": [pid("a1"), pid("a2")], "unit": ["A", "A"], "nama_pelatihan": [COURSE] * 2,
        "tanggal_evaluasi": pd.to_datetime(["2024-06-01", "2024-11-01"]),
        "skor_alumni": [4.0, 2.0], "skor_atasan": [3.0, 3.0], "skor_rekan": [5.0, 4.0],
        "kesulitan_penerapan": pd.array([False, True], dtype="boolean")})
    return dict(ikm_unit_period=ikm, kinerja_layanan=kinerja, pegawai=pegawai,
                pelatihan=pelatihan, mentoring=mentoring, evaluasi=evaluasi)


def test_panel_by_hand(panel_inputs):
    periods = ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    panel = panel_unit_period(**panel_inputs, periods=periods, threshold=0.5)
    assert len(panel) == 2 * 4  # exactly units × quarters
    assert list(panel.columns) == schemas.columns("panel_unit_period")
    a = panel[panel["unit"] == "A"].set_index("period")
    b = panel[panel["unit"] == "B"].set_index("period")
    assert a["t"].tolist() == [1, 2, 3, 4]
    # IKM where surveyed, missing otherwise; no survey = 0 responses
    assert a.loc["2024Q1", "ikm"] == 80 and np.isnan(a.loc["2024Q2", "ikm"])
    assert a.loc["2024Q2", "n_responses"] == 0
    # Service outcomes Q1: on time (80+270)/(100+300) = 0.875; days (5·100+3·300)/400 = 3.5;
    # complaints 3/400 × 1000 = 7.5.
    assert a.loc["2024Q1", "share_on_time"] == 0.875
    assert a.loc["2024Q1", "rata_rata_hari"] == 3.5
    assert a.loc["2024Q1", "complaints_per_1000"] == 7.5
    assert np.isnan(b.loc["2024Q1", "share_on_time"])
    # Staff of A: a1–a4 (a5 appointed 2025, a6 retired) → 4.
    assert a["n_asn"].tolist() == [4, 4, 4, 4] and b["n_asn"].tolist() == [2, 2, 2, 2]
    # Service course: a1 in Q1, a2 in Q2 (a6 retired, not counted) → 0.25, 0.5, 0.5, 0.5;
    # threshold 0.5 first met at t = 2. B never trained → cohort 0.
    assert a["share_trained"].tolist() == [0.25, 0.5, 0.5, 0.5]
    assert a["cohort"].unique().tolist() == [2] and b["cohort"].unique().tolist() == [0]
    # Cumulative JP per ASN: 24/4, (24+32)/4, (56+30)/4, same → 6, 14, 21.5, 21.5.
    assert a["jp_per_asn_cum"].tolist() == [6, 14, 21.5, 21.5]
    assert b["jp_per_asn_cum"].tolist() == [0, 0, 5, 5]
    # Mentoring: a3 mentee from Q3 → 0, 0, 0.25, 0.25.
    assert a["share_mentored"].tolist() == [0, 0, 0.25, 0.25]
    # L3: a1 on 2024-06-01 (mean 4, no difficulty), a2 on 2024-11-01 (mean 3, difficulty).
    assert np.isnan(a.loc["2024Q1", "l3_score"])
    assert a["l3_score"].tolist()[1:] == [4.0, 4.0, 3.5]
    assert a["share_difficulty"].tolist()[1:] == [0.0, 0.0, 0.5]
    # n_evaluasi counts them cumulatively: 0, 1, 1, 2 for A; B has none.
    assert a["n_evaluasi"].tolist() == [0, 1, 1, 2] and b["n_evaluasi"].tolist() == [0] * 4
    schemas.validate(panel, "panel_unit_period")


def test_published_panel_hides_level3_on_few_evaluations(panel_inputs):
    # The worked panel: A's level-3 values rest on 1 and 2 evaluations → hidden, with the
    # counts; its n_asn is 4 → exposure shares hidden too (the old rule, kept).
    panel = panel_unit_period(**panel_inputs, periods=["2024Q1", "2024Q2", "2024Q3",
                                                       "2024Q4"], threshold=0.5)
    out = publish_panel(panel, min_n=5)
    assert out["l3_score"].isna().all() and out["share_difficulty"].isna().all()
    assert out["share_trained"].isna().all()
    a = out[out["unit"] == "A"].set_index("period")
    assert pd.isna(a.loc["2024Q2", "n_evaluasi"]) and a.loc["2024Q1", "n_evaluasi"] == 0
    assert a["suppressed"].tolist() == [True] * 4
    # IKM rests on 50 and 60 responses → shown; the analysis panel is left untouched.
    assert a.loc["2024Q1", "ikm"] == 80 and panel["l3_score"].notna().sum() == 3
    # With min_n = 1 nothing is hidden.
    assert not publish_panel(panel, min_n=1)["suppressed"].any()


def test_published_panel_blocks_differencing_of_cumulative_means():
    # Cumulative evaluations 1, 6, 8, 11, 11 with means m. Shown: 6 (≥ 5 and 6 − 0 ≥ 5),
    # not 8 (only 2 new since 6: (8·m₈ − 6·m₆)/2 would be the mean of two evaluations),
    # 11 (5 new since the shown 6), 11 again (nothing new, same value).
    p = pd.DataFrame({"unit": ["A"] * 5, "t": [1, 2, 3, 4, 5],
                      "n_evaluasi": [1, 6, 8, 11, 11],
                      "l3_score": [4.0, 3.5, 3.6, 3.7, 3.7],
                      "share_difficulty": [0.0, 0.5, 0.4, 0.3, 0.3]})
    out = publish_panel(p)
    assert out["l3_score"].isna().tolist() == [True, False, True, False, False]
    assert out["share_difficulty"].isna().tolist() == [True, False, True, False, False]
    assert out["n_evaluasi"].isna().tolist() == [True, False, False, False, False]


def test_published_jp_breakdown_suppresses_on_trainees(pegawai, pelatihan):
    # Hand-made: one year, 40 ASN. Families a (20 trained), b (2: hidden), c (9: the
    # next-smallest, hidden as complement since Σ jp_total = n_asn × jp_mean is public),
    # d (0: hidden, protects nobody). 2024 has 7 ASN; only klasikal 6 and non-klasikal 6.
    t = pd.DataFrame({"tahun": [2023] * 4 + [2024] * 2, "rumpun": list("abcd") + ["a", "b"],
                      "n_asn": [40] * 4 + [7] * 2, "n_trained": [20, 2, 9, 0, 6, 6],
                      "jp_total": [400.0, 30.0, 90.0, 0.0, 60.0, 50.0]})
    t["jp_per_asn"] = t["jp_total"] / t["n_asn"]
    t["share_trained"] = t["n_trained"] / t["n_asn"]
    out = publish_jp_breakdown(t, by="tahun", min_n=5)
    assert out["jp_total"].isna().tolist() == [False, True, True, True, False, False]
    assert out["n_trained"].isna().tolist() == [False, True, True, True, False, False]
    assert out["share_trained"].isna().tolist() == [False, True, True, True, False, False]
    assert out["n_asn"].tolist() == [40] * 4 + [7] * 2
    # The fixture's breakdown with min_n = 2: A's classroom cell rests on 1 trainee (a1) →
    # hidden, and with it A's non-klasikal cell (2 trainees; 4 ASN × jp_mean − it = a1's JP).
    # B: classroom 1 trainee (b1) hidden, non-klasikal 0 hidden.
    with pytest.warns(TrainingDataWarning):
        asn_year = training_asn_year(pegawai, pelatihan)
    jalur = publish_jp_breakdown(jp_breakdown(pelatihan, asn_year, "jalur"), min_n=2)
    hidden = jalur.set_index(["unit", "jalur"])["jp_total"].isna()
    assert hidden.to_dict() == {("A", "klasikal"): True, ("A", "non-klasikal"): True,
                                ("B", "klasikal"): True, ("B", "non-klasikal"): True}


def test_panel_default_quarters_fill_gaps(panel_inputs):
    # IKM in 2024Q1 and 2024Q3 → the panel covers 2024Q1–2024Q3, including the gap.
    panel = panel_unit_period(**panel_inputs)
    assert sorted(panel["period"].unique()) == ["2024Q1", "2024Q2", "2024Q3"]
    assert len(panel) == 2 * 3


def test_panel_front_line_restriction(panel_inputs):
    # Only Pelaksana: A has a1, a2 → share 0.5 in Q1 (a1), 1.0 in Q2.
    panel = panel_unit_period(**panel_inputs, periods=["2024Q1", "2024Q2"], threshold=0.5,
                              jabatan=("Pelaksana",))
    a = panel[panel["unit"] == "A"]
    assert a["share_trained"].tolist() == [0.5, 1.0]
    assert a["cohort"].iloc[0] == 1


def test_jp_breakdown_unit_comes_from_the_roster(pegawai, pelatihan):
    # The training record carries its own (possibly stale) unit column; the roster wins.
    with pytest.warns(TrainingDataWarning):
        asn_year = training_asn_year(pegawai, pelatihan)
    records = pelatihan.assign(unit="Old unit")
    out = jp_breakdown(records, asn_year, "rumpun", by=("unit", "tahun"))
    assert set(out["unit"]) == {"A", "B"}


def test_end_to_end_cohorts_match_the_simulated_truth(small_raw, small_processed):
    # Independent reference: the simulator writes the true roll-out quarter of every unit
    # (truth.json → cohort_by_unit) with the threshold it documents; the panel must recover
    # it from the cleaned records alone, with exactly units × quarters rows.
    import json

    from evalkit.ikm import compute_ikm, sample_adequacy

    truth = json.loads((small_raw / "truth.json").read_text(encoding="utf-8"))

    def read(name):
        return pd.read_parquet(small_processed / f"{name}.parquet")

    ikm = sample_adequacy(compute_ikm(read("skm"), ci=0.95), read("kinerja_layanan"))
    panel = panel_unit_period(ikm, read("kinerja_layanan"), read("pegawai"),
                              read("pelatihan"), read("mentoring"),
                              read("evaluasi_pasca_pelatihan"),
                              threshold=truth["cohort_threshold_share"])
    assert len(panel) == panel["unit"].nunique() * len(truth["periods"])
    assert sorted(panel["period"].unique()) == truth["periods"]
    derived = panel.drop_duplicates("unit").set_index("unit")["cohort"].to_dict()
    assert derived == {u: c for u, c in truth["cohort_by_unit"].items() if u in derived}
    schemas.validate(panel, "panel_unit_period")


def test_rollout_figure_boxes_the_cohort_quarter(panel_inputs):
    from matplotlib.patches import Rectangle

    from evalkit.training import plot_rollout

    panel = panel_unit_period(**panel_inputs, periods=["2024Q1", "2024Q2", "2024Q3"],
                              threshold=0.5)
    fig = plot_rollout(panel)
    boxes = [p for p in fig.axes[0].patches if isinstance(p, Rectangle)]
    assert [(b.get_x(), b.get_y()) for b in boxes] == [(1.0, 0.0)]  # unit A, cohort t = 2
