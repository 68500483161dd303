"""Training participation and Kirkpatrick levels on small hand-made frames
(tests/training_fixture.py). Expected numbers are worked by hand in the comments, or come from
scipy. The unit × quarter panel is tested in tests/test_panel.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from training_fixture import pid, roster, training_records

from evalkit import schemas
from evalkit.privacy import publish_jp_breakdown
from evalkit.training import (
    TrainingDataWarning,
    application_summary,
    jp_breakdown,
    jp_from_minutes,
    jp_summary,
    jp_to_hours,
    learning_gain,
    reaction_summary,
    training_asn_year,
)


@pytest.fixture
def pegawai() -> pd.DataFrame:
    return roster()


@pytest.fixture
def pelatihan() -> pd.DataFrame:
    return training_records()


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


def test_jp_breakdown_unit_comes_from_the_roster(pegawai, pelatihan):
    # The training record carries its own (possibly stale) unit column; the roster wins.
    with pytest.warns(TrainingDataWarning):
        asn_year = training_asn_year(pegawai, pelatihan)
    records = pelatihan.assign(unit="Old unit")
    out = jp_breakdown(records, asn_year, "rumpun", by=("unit", "tahun"))
    assert set(out["unit"]) == {"A", "B"}
