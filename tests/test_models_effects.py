"""The estimator comparison of notebook 04 on panels whose answer is known by construction,
and the individual-level samples on small hand-made tables."""

import numpy as np
import pandas as pd
import pytest

from evalkit.models import (EFFECTS_COLUMNS, attach_truth, compare_estimators,
                            l3_training_sample, skp_training_sample, truth_effects,
                            unit_subgroup_effects)


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
    att = table[table["estimand"] == "ATT"].set_index("method")["estimate"]
    assert att["TWFE (roll-out dummy)"] == pytest.approx(2.0, abs=1e-9)
    assert att["Callaway-Sant'Anna"] == pytest.approx(2.0, abs=1e-9)
    # Before/after is the plain difference of means among reached units (pandas by hand);
    # it also picks up the trend and the unit mix, so it misses 2.
    reached = panel[panel["cohort"] > 0]
    post = reached["t"] >= reached["cohort"]
    by_hand = reached.loc[post, "y"].mean() - reached.loc[~post, "y"].mean()
    assert att["naive before/after"] == pytest.approx(by_hand, abs=1e-9)
    assert abs(by_hand - 2.0) > 0.1
    pre = table[table["estimand"].isin(["ATT e=-3", "ATT e=-2"])]
    np.testing.assert_allclose(pre["estimate"], 0.0, atol=1e-9)


def test_growing_effect_biases_twfe_but_not_cs():
    # Effect 1 + 0.5·e: the staggered TWFE estimate falls short of the true average, the
    # Callaway–Sant'Anna dynamic aggregation recovers each e exactly (no noise).
    panel = noiseless_panel(lambda e: 1.0 + 0.5 * e)
    table = compare_estimators(panel, ["y"], event_window=(-3, 3))
    post = panel[(panel["cohort"] > 0) & (panel["t"] >= panel["cohort"])]
    true_att = float((1.0 + 0.5 * (post["t"] - post["cohort"])).mean())
    att = table[table["estimand"] == "ATT"].set_index("method")["estimate"]
    assert att["Callaway-Sant'Anna"] == pytest.approx(true_att, abs=1e-9)
    assert att["TWFE (roll-out dummy)"] < true_att - 0.2
    cs_dynamic = table[(table["method"] == "Callaway-Sant'Anna")
                       & (table["estimand"] == "ATT e=2")]
    assert cs_dynamic["estimate"].iloc[0] == pytest.approx(2.0, abs=1e-9)


def test_subgroups_use_their_own_units():
    panel = noiseless_panel()
    # Double the effect in units U3..U5 (cohort 4) only.
    boost = panel["unit"].isin(["U3", "U4", "U5"]) & (panel["t"] >= panel["cohort"])
    panel.loc[boost, "y"] += 2.0
    groups = {"strong": ["U3", "U4", "U5"], "weak": ["U6", "U7", "U8", "U9", "U10", "U11"]}
    table = unit_subgroup_effects(panel, "y", groups).set_index("estimand")
    assert table.loc["ATT strong", "estimate"] == pytest.approx(4.0, abs=1e-9)
    assert table.loc["ATT weak", "estimate"] == pytest.approx(2.0, abs=1e-9)


def test_truth_is_attached_by_outcome_and_estimand():
    truth = {"att": {"y": {"overall": 2.5, "by_event_time": {"0": 1.0, "1": 2.0}}},
             "heterogeneity": {"y": {"strong": 4.0}},
             "individual_effects": {"l3_application": {"att": 0.57}}}
    table = truth_effects(truth)
    assert set(table["estimand"]) == {"ATT", "ATT e=0", "ATT e=1", "ATT strong"}
    effects = pd.DataFrame({"outcome": ["y", "y", "y", "z"], "method": "m",
                            "estimand": ["ATT", "ATT e=-2", "ATT e=1", "ATT"],
                            "estimate": 1.0, "se": 0.1, "ci_low": 0.8, "ci_high": 1.2,
                            "truth": np.nan})
    out = attach_truth(effects, table)
    assert out["truth"].tolist()[:3] == [2.5, 0.0, 2.0]  # placebo e < 0: true effect 0
    assert np.isnan(out["truth"].iloc[3])  # outcome without truth stays unknown


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
    training = pd.DataFrame({"pid": ["a", "b"], "nama_pelatihan": "Pelatihan Pelayanan Prima",
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


def test_l3_sample_compares_course_alumni_with_other_alumni(roster):
    evaluasi = pd.DataFrame({
        "pid": ["a", "b", "x"], "unit": "U",
        "nama_pelatihan": ["Pelatihan Pelayanan Prima", "Coaching Kinerja Pegawai",
                           "Pelatihan Pelayanan Prima"],
        "tanggal_evaluasi": pd.to_datetime(["2024-06-01", "2024-07-01", "2024-08-01"]),
        "skor_alumni": [5.0, 4.0, 4.0], "skor_atasan": [4.0, 3.0, 3.0],
        "skor_rekan": [3.0, 3.5, 3.0], "kesulitan_penerapan": [False, True, False]})
    sample = l3_training_sample(evaluasi, roster).set_index("pid")
    assert sample.loc["a", "treat"] == 1.0 and sample.loc["b", "treat"] == 0.0
    assert sample.loc["a", "l3_score"] == 3.5  # supervisor and colleague, not self
    assert "x" not in sample.index and sample.attrs["dropped"] == 1  # not in the roster
