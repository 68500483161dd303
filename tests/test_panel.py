"""The unit × quarter panel (evalkit.panel) on the hand-made roster and training records of
tests/training_fixture.py, and on a small simulated city. Expected numbers are worked by hand
in the comments, or come from the simulator's written truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from training_fixture import pid, roster, training_records

from evalkit import schemas
from evalkit.panel import (
    COHORT_THRESHOLD,
    cohort_sizes,
    panel_shape,
    panel_unit_period,
    plot_rollout,
    service_cohort,
)
from evalkit.privacy import publish_panel
from evalkit.training import SERVICE_COURSE


def test_service_cohort_rule():
    share = pd.DataFrame({"unit": ["A"] * 4 + ["B"] * 4, "t": [1, 2, 3, 4] * 2,
                          "share_trained": [0, 0.3, 0.6, 0.7, 0.1, 0.2, 0.2, 0.2]})
    out = service_cohort(share, threshold=0.5).set_index("unit")["cohort"]
    assert out.to_dict() == {"A": 3, "B": 0}
    # the default threshold, COHORT_THRESHOLD = 0.25: A's 0.3 at t = 2 reaches it
    assert service_cohort(share).set_index("unit")["cohort"]["A"] == 2


@pytest.fixture
def panel_inputs():
    # the roster and training records of tests/training_fixture.py, plus two IKM quarters of
    # unit A, two months of its service records, one mentee (a3) and two evaluations
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
        "pid": [pid("a1"), pid("a2")], "unit": ["A", "A"],
        "nama_pelatihan": [SERVICE_COURSE] * 2,
        "tanggal_evaluasi": pd.to_datetime(["2024-06-01", "2024-11-01"]),
        "skor_alumni": [4.0, 2.0], "skor_atasan": [3.0, 3.0], "skor_rekan": [5.0, 4.0],
        "kesulitan_penerapan": pd.array([False, True], dtype="boolean")})
    return dict(ikm_unit_period=ikm, kinerja_layanan=kinerja, pegawai=roster(),
                pelatihan=training_records(), mentoring=mentoring, evaluasi=evaluasi)


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


def test_panel_default_quarters_fill_gaps(panel_inputs):
    # IKM in 2024Q1 and 2024Q3 → the panel covers 2024Q1–2024Q3, including the gap.
    panel = panel_unit_period(**panel_inputs)
    assert sorted(panel["period"].unique()) == ["2024Q1", "2024Q2", "2024Q3"]
    assert len(panel) == 2 * 3


@pytest.fixture
def semester_inputs(panel_inputs):
    # The same people and records; the IKM is per semester (2024S1 80, 2024S2 85) and the
    # service records have a third month, August (2024Q3, i.e. S2).
    ikm = panel_inputs["ikm_unit_period"].assign(period=["2024S1", "2024S2"])
    kinerja = pd.concat([panel_inputs["kinerja_layanan"], pd.DataFrame({
        "unit": ["A"], "bulan": ["2024-08"], "period": ["2024Q3"], "jumlah_permohonan": [200],
        "selesai_tepat_waktu": [150], "rata_rata_hari": [4.0], "jumlah_pengaduan": [4]})],
        ignore_index=True)
    return {**panel_inputs, "ikm_unit_period": ikm, "kinerja_layanan": kinerja}


def test_semester_panel_by_hand(semester_inputs):
    panel = panel_unit_period(**semester_inputs, threshold=0.5)
    assert list(panel.columns) == schemas.columns("panel_unit_period")
    a = panel[panel["unit"] == "A"].set_index("period")
    b = panel[panel["unit"] == "B"].set_index("period")
    # the periods are the IKM's semesters: 2024S1, 2024S2 (2 units × 2 semesters)
    assert a.index.tolist() == ["2024S1", "2024S2"] and a["t"].tolist() == [1, 2]
    assert len(panel) == 4 and a["ikm"].tolist() == [80, 85]
    # S1 = January + February: on time 350/400, days (5·100+3·300)/400 = 3.5, 3/400 × 1000;
    # S2 = August: 150/200 = 0.75, 4.0 days, 4/200 × 1000 = 20.
    assert a["share_on_time"].tolist() == [0.875, 0.75]
    assert a["rata_rata_hari"].tolist() == [3.5, 4.0]
    assert a["complaints_per_1000"].tolist() == [7.5, 20.0]
    # Exposure at the end of each semester: a1 (Feb) and a2 (May) both by June → 2/4 = 0.5,
    # cohort 1 at threshold 0.5; JP (24+32)/4 = 14, then + a1's 30 in August → 86/4 = 21.5;
    # B: b1's 10 JP in August over 2 staff → 0, 5.
    assert a["share_trained"].tolist() == [0.5, 0.5] and a["cohort"].iloc[0] == 1
    assert b["cohort"].iloc[0] == 0 and b["n_asn"].tolist() == [2, 2]
    assert a["jp_per_asn_cum"].tolist() == [14, 21.5] and b["jp_per_asn_cum"].tolist() == [0, 5]
    # a3 mentored from July → S2; evaluations June (a1: mean 4) and November (a2: mean 3,
    # difficulty) → cumulative 1, 2 evaluations, scores 4, 3.5, difficulty 0, 0.5.
    assert a["share_mentored"].tolist() == [0, 0.25]
    assert a["n_evaluasi"].tolist() == [1, 2]
    assert a["l3_score"].tolist() == [4.0, 3.5] and a["share_difficulty"].tolist() == [0, 0.5]
    schemas.validate(panel, "panel_unit_period")
    assert panel_shape(panel)["granularity"] == "semester"


def test_year_panel_and_refused_mismatched_periods(semester_inputs):
    # Per year: one period 2024 holding every record above (JP 86/4 = 21.5, all 3 months).
    ikm = semester_inputs["ikm_unit_period"].iloc[[0]].assign(period="2024")
    panel = panel_unit_period(**{**semester_inputs, "ikm_unit_period": ikm}, threshold=0.5)
    a = panel[panel["unit"] == "A"].iloc[0]
    assert (a["period"], a["t"], a["cohort"]) == ("2024", 1, 1)
    assert a["jp_per_asn_cum"] == 21.5 and a["share_on_time"] == (350 + 150) / 600
    # quarters asked for a semester IKM: refused, naming both
    with pytest.raises(ValueError, match="quarters but ikm_unit_period has semesters"):
        panel_unit_period(**semester_inputs, periods=["2024Q1", "2024Q2"])


def test_panel_front_line_restriction(panel_inputs):
    # Only Pelaksana: A has a1, a2 → share 0.5 in Q1 (a1), 1.0 in Q2.
    panel = panel_unit_period(**panel_inputs, periods=["2024Q1", "2024Q2"], threshold=0.5,
                              jabatan=("Pelaksana",))
    a = panel[panel["unit"] == "A"]
    assert a["share_trained"].tolist() == [0.5, 1.0]
    assert a["cohort"].iloc[0] == 1


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

    panel = panel_unit_period(**panel_inputs, periods=["2024Q1", "2024Q2", "2024Q3"],
                              threshold=0.5)
    fig = plot_rollout(panel)
    boxes = [p for p in fig.axes[0].patches if isinstance(p, Rectangle)]
    assert [(b.get_x(), b.get_y()) for b in boxes] == [(1.0, 0.0)]  # unit A, cohort t = 2


@pytest.fixture
def rollout_panel() -> pd.DataFrame:
    # Three units over three quarters: C reached at t = 1, A at t = 3, B never (cohort 0).
    shares = {"A": [0.0, 0.1, 0.3], "B": [0.0, 0.05, 0.1], "C": [0.4, 0.5, 0.6]}
    cohort = {"A": 3, "B": 0, "C": 1}
    return pd.DataFrame({
        "unit": np.repeat(list(shares), 3), "period": ["2024Q1", "2024Q2", "2024Q3"] * 3,
        "t": [1, 2, 3] * 3, "cohort": np.repeat([cohort[u] for u in shares], 3),
        "share_trained": np.concatenate(list(shares.values()))})


def test_rollout_draws_one_row_per_unit_and_boxes_each_cohort(rollout_panel):
    from matplotlib.patches import Rectangle

    fig = plot_rollout(rollout_panel, threshold=COHORT_THRESHOLD, lang="en")
    heatmap, colorbar = fig.axes
    # One row per unit, reached units by cohort quarter first, the never-reached one last.
    assert [tick.get_text() for tick in heatmap.get_yticklabels()] == ["C", "A", "B"]
    assert [tick.get_text() for tick in heatmap.get_xticklabels()] == ["2024Q1", "2024Q2",
                                                                      "2024Q3"]
    # The cells are the shares of those rows (row-major), nothing averaged away.
    cells = np.asarray(heatmap.collections[0].get_array()).reshape(3, 3)
    np.testing.assert_allclose(cells, [[0.4, 0.5, 0.6], [0.0, 0.1, 0.3], [0.0, 0.05, 0.1]])
    # Boxes: C's cohort t = 1 → column 0 of row 0; A's t = 3 → column 2 of row 1; B none.
    boxes = [p for p in heatmap.patches if isinstance(p, Rectangle)]
    assert sorted((b.get_x(), b.get_y()) for b in boxes) == [(0.0, 0.0), (2.0, 1.0)]
    # The threshold is marked on the colour bar and named in the title.
    marks = [line.get_ydata()[0] for line in colorbar.get_lines()]
    assert marks == [COHORT_THRESHOLD]
    # 0.25 written as a percentage
    assert "25%" in heatmap.get_title() and SERVICE_COURSE in heatmap.get_title()


def test_rollout_without_threshold_marks_none_and_speaks_indonesian(rollout_panel):
    fig = plot_rollout(rollout_panel.iloc[3:], course="Kursus X")  # units B and C only
    heatmap, colorbar = fig.axes
    assert len(heatmap.get_yticklabels()) == 2 and not colorbar.get_lines()
    assert heatmap.get_title().startswith("Peluncuran Kursus X")
    assert heatmap.get_xlabel() == "Triwulan"
    with pytest.raises(ValueError, match="language"):
        plot_rollout(rollout_panel, lang="fr")


def test_cohort_sizes_count_units_per_cohort_quarter(rollout_panel):
    # Hand count from the fixture: cohort 0 (B), 1 (C, reached 2024Q1), 3 (A, 2024Q3);
    # a fourth unit D also reached at t = 3.
    d = rollout_panel[rollout_panel["unit"] == "A"].assign(unit="D")
    panel = pd.concat([rollout_panel, d], ignore_index=True)
    out = cohort_sizes(panel, lang="en")
    assert out.to_dict("list") == {"cohort": [0, 1, 3], "units": [1, 1, 2],
                                   "period": ["never reached", "2024Q1", "2024Q3"]}
    assert cohort_sizes(panel)["period"].iloc[0] == "tidak pernah tercapai"


def test_panel_shape_says_whether_every_unit_has_every_quarter(rollout_panel):
    assert panel_shape(rollout_panel) == {"rows": 9, "units": 3, "periods": 3,
                                          "granularity": "quarter", "complete": True}
    # a duplicated row and a missing one keep the row count but break the grid
    broken = pd.concat([rollout_panel.iloc[:8], rollout_panel.iloc[[0]]])
    assert panel_shape(broken)["complete"] is False


def test_panel_names_have_one_home():
    # evalkit.panel holds the panel; evalkit.training does not re-export its names.
    import evalkit.panel
    import evalkit.training

    assert not set(evalkit.panel.__all__) & set(dir(evalkit.training))
