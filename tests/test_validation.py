"""evalkit.validation: the public data of notebook 07 and the published R output, with real
data flowing through the estimators. Expected numbers: R ``did``'s printed mpdta output (the
package data file, provenance in its header), Dehejia & Wahba (1999) for LaLonde's samples
(185 NSW trainees, 260 NSW controls, 15,992 CPS respondents; experimental effect $1,794),
and differences of means computed here with pandas."""

import warnings

import numpy as np
import pandas as pd
import pytest

from evalkit.models import att_aipw, fit_ols, staggered_did, twfe
from evalkit.validation import (
    LALONDE_BENCHMARK,
    LALONDE_COVARIATES,
    as_float,
    att_gt_against_published,
    benchmark_table,
    did_aggregates,
    lalonde_experiment,
    lalonde_observational,
    load_mpdta,
    published_mpdta_att_gt,
    published_mpdta_did,
)


@pytest.fixture(scope="module")
def mpdta():
    return load_mpdta()


@pytest.fixture(scope="module")
def cs(mpdta):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the published example needs no unit dropped
        return staggered_did(mpdta, "lemp", "countyreal", "year", "first.treat",
                             control_group="nevertreated")


def test_published_file_has_twelve_cells_matching_staggered_did(cs):
    published = published_mpdta_att_gt()
    assert published.columns.tolist() == ["group", "time", "att", "se"]
    assert len(published) == 12
    assert published[["group", "time"]].dtypes.tolist() == [np.int64, np.int64]
    both = cs.att_gt.merge(published, on=["group", "time"], suffixes=("", "_r"))
    assert len(both) == 12
    np.testing.assert_allclose(both["att"], both["att_r"], atol=1e-4)


def test_att_gt_against_published_marks_every_cell_as_matching(mpdta, cs):
    boot = staggered_did(mpdta, "lemp", "countyreal", "year", "first.treat",
                         control_group="nevertreated", boot=True, biters=200, seed=1)
    table = att_gt_against_published(cs, boot)
    assert table["matches"].all()
    assert table[["group", "time"]].equals(cs.att_gt[["group", "time"]])
    assert table["se_boot"].tolist() == boot.att_gt["se"].tolist()
    # a cell off in the fourth decimal no longer matches
    wrong = published_mpdta_att_gt().assign(att=lambda d: d["att"] + 1e-4)
    assert not att_gt_against_published(cs, published=wrong)["matches"].any()
    assert "se_boot" not in att_gt_against_published(cs).columns


def test_did_aggregates_stack_the_three_kinds(cs):
    table = did_aggregates(cs)
    assert table.columns.tolist() == ["kind", "event_time", "group", "estimate", "se",
                                      "ci_low", "ci_high", "cband_low", "cband_high",
                                      "crit_value"]
    # mpdta: one overall, event times -3…3, cohorts 2004, 2006, 2007
    assert table["kind"].value_counts().to_dict() == {"dynamic": 7, "group": 3, "simple": 1}
    simple = table[table["kind"] == "simple"].iloc[0]
    assert simple["estimate"] == pytest.approx(-0.0400, abs=5e-5)  # R aggte(type="simple")
    assert pd.isna(simple["event_time"]) and pd.isna(simple["group"])
    dynamic = table[table["kind"] == "dynamic"].set_index("event_time")["estimate"]
    assert dynamic.loc[2] == pytest.approx(-0.1373, abs=5e-5)  # R aggte(type="dynamic")
    assert table.loc[table["kind"] == "group", "group"].tolist() == [2004, 2006, 2007]


def test_did_aggregates_with_calendar_adds_the_period(cs):
    table = did_aggregates(cs, kinds=("calendar",))
    assert table["time"].tolist() == [2004, 2005, 2006, 2007]  # periods with a treated cohort
    # R aggte(type="calendar") reference-manual example: 2006 -0.0488 (r_did_mpdta_printed.csv)
    assert table.set_index("time").loc[2006, "estimate"] == pytest.approx(-0.0488, abs=5e-5)


def test_published_did_output_is_typed_and_traceable():
    printed = published_mpdta_did()
    # 3 att_gt examples + vignette att_gt (12 cells and a pre-test each), aggte example
    # (1 + 8 + 4 + 5 rows), vignette dynamic (8) and balanced dynamic (5)
    assert len(printed) == 4 * 13 + 18 + 8 + 5
    assert printed["provenance"].str.contains("bcallaway11").all()
    assert printed[["group", "time", "event_time"]].dtypes.astype(str).tolist() == ["Int64"] * 3
    assert printed.loc[printed["kind"] == "pretest", "p_value"].tolist() == [
        0.16812, 0.23267, 0.23326, 0.16812]
    out3 = published_mpdta_did("att_gt_out3")
    assert set(out3["control_group"]) == {"notyettreated"} and set(out3["xformla"]) == {"~lpop"}
    with pytest.raises(KeyError, match="att_gt_out1"):
        published_mpdta_did("nope")


def test_load_mpdta_adds_the_twfe_regressor(mpdta):
    assert len(mpdta) == 2500 and mpdta["countyreal"].nunique() == 500
    expected = ((mpdta["first.treat"] > 0) & (mpdta["year"] >= mpdta["first.treat"]))
    assert mpdta["post"].tolist() == expected.astype(float).tolist()
    fit = twfe(mpdta, "lemp", "post", "countyreal", "year")
    # notebook 07's committed output of the same regression (pyfixest agrees in its tests)
    assert fit.coef()["post"] == pytest.approx(-0.0365, abs=5e-5)


def test_lalonde_samples_are_dehejia_wahbas():
    nsw = lalonde_experiment()
    assert len(nsw) == 445 and int(nsw["treat"].sum()) == 185
    assert (nsw.dtypes == np.float64).all() and "data_id" not in nsw
    observational = lalonde_observational()
    assert int((observational["treat"] == 1).sum()) == 185
    assert int((observational["treat"] == 0).sum()) == 15992
    assert observational["u74"].tolist() == (observational["re74"] == 0).astype(float).tolist()
    assert set(LALONDE_COVARIATES) - {"I(age**2)"} <= set(observational.columns)


def test_as_float_drops_the_id_and_widens_small_types():
    frame = pd.DataFrame({"data_id": ["a", "b"], "x": pd.array([1, 2], dtype="int8"),
                          "y": np.array([0.5, 1.5], dtype="float32")})
    out = as_float(frame)
    assert out.columns.tolist() == ["x", "y"]
    assert (out.dtypes == np.float64).all()


def test_benchmark_table_on_lalonde():
    nsw = lalonde_experiment()
    observational = lalonde_observational()
    experimental = fit_ols("re78 ~ treat", nsw, vcov="HC1")
    naive = fit_ols("re78 ~ treat", observational, vcov="HC1")
    aipw = att_aipw(observational, "re78", "treat", LALONDE_COVARIATES)
    table = benchmark_table({"experimental": experimental, "naive": naive, "aipw": aipw},
                            LALONDE_BENCHMARK)
    assert table.columns.tolist() == ["method", "estimate", "se", "ci_low", "ci_high",
                                      "covers_1794"]
    # the experimental estimate is the difference of means of the randomised groups
    means = nsw.groupby("treat")["re78"].mean()
    assert table.loc[0, "estimate"] == pytest.approx(means[1.0] - means[0.0])
    assert table.loc[0, "estimate"] == pytest.approx(LALONDE_BENCHMARK, abs=1.0)
    assert table.loc[2, "estimate"] == pytest.approx(aipw.estimate)
    assert table["ci_high"].sub(table["estimate"]).tolist() == pytest.approx(
        (1.96 * table["se"]).tolist())
    assert table["covers_1794"].tolist() == [True, False, True]
