"""staggered_did against R's did package on mpdta (published output) and against moderndid.

Published numbers: R ``did`` (Callaway & Sant'Anna), vignette "Getting Started with the did
Package" / README, call ``att_gt(yname="lemp", tname="year", idname="countyreal",
gname="first.treat", data=mpdta)`` (control_group "nevertreated", est_method "dr", no
covariates, varying base period). The ATT(g,t) rows and their bootstrap SEs are the one
data file ``evalkit/data/r_did_mpdta_att_gt.csv`` (its header gives the provenance), read by
``evalkit.validation.published_mpdta_att_gt`` here and in notebook 07. R reports
multiplier-bootstrap standard errors, which differ between runs, hence the loose SE
tolerance against them; the analytical SEs are compared exactly with moderndid 0.2 (a
Python port of did). The options (bands, pre-test, base period, est_method, unbalanced
panels) are tested in test_models_did_r.py (R's printed output), test_models_did_moderndid.py
and test_models_did_sample.py (units left out, band coverage).
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from evalkit.models import DidDataWarning, staggered_did
from evalkit.validation import published_mpdta_att_gt

md = pytest.importorskip("moderndid")

# did README/vignette: aggte(type="simple") -0.0400 (se 0.0115); aggte(type="dynamic") e = 0..3.
PUBLISHED_SIMPLE = (-0.0400, 0.0115)
PUBLISHED_DYNAMIC = {0: -0.0199, 1: -0.0510, 2: -0.1373, 3: -0.1008}


@pytest.fixture(scope="module")
def mpdta():
    return md.load_mpdta().to_pandas()


@pytest.fixture(scope="module")
def cs_never(mpdta):
    return staggered_did(mpdta, "lemp", "countyreal", "year", "first.treat",
                         control_group="nevertreated")


def test_att_gt_matches_published_r_did(cs_never):
    table = cs_never.att_gt.set_index(["group", "time"])
    published = published_mpdta_att_gt().set_index(["group", "time"])
    assert len(published) == 12 and len(table) == len(published)
    assert set(table.index) == set(published.index)
    for key, row in published.iterrows():  # twelve group-time cells
        assert table.loc[key, "att"] == pytest.approx(row["att"], abs=5e-5)  # 4 decimals
        assert table.loc[key, "se"] == pytest.approx(row["se"], rel=0.15)  # bootstrap SE in R


def test_aggregations_match_published_r_did(cs_never):
    simple = cs_never.aggregate("simple").iloc[0]
    assert simple["estimate"] == pytest.approx(PUBLISHED_SIMPLE[0], abs=5e-5)
    assert simple["se"] == pytest.approx(PUBLISHED_SIMPLE[1], rel=0.15)
    dynamic = cs_never.aggregate("dynamic").set_index("event_time")
    for e, att in PUBLISHED_DYNAMIC.items():
        assert dynamic.loc[e, "estimate"] == pytest.approx(att, abs=5e-5)
    band = ["cband_low", "cband_high", "crit_value"]  # appended after the former columns
    assert list(dynamic.columns) == ["estimate", "se", "ci_low", "ci_high", *band]
    group = cs_never.aggregate("group")
    assert list(group.columns) == ["group", "estimate", "se", "ci_low", "ci_high", *band]


@pytest.mark.parametrize("control_group", ["nevertreated", "notyettreated"])
@pytest.mark.parametrize("covariates", [None, ["lpop"]], ids=["nocov", "lpop"])
def test_equals_moderndid_analytical(mpdta, control_group, covariates):
    # Reference: moderndid.att_gt(..., est_method="dr", boot=False) and moderndid.aggte.
    ours = staggered_did(mpdta, "lemp", "countyreal", "year", "first.treat",
                         control_group=control_group, covariates=covariates)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = md.att_gt(data=md.load_mpdta(), yname="lemp", tname="year",
                        idname="countyreal", gname="first.treat", control_group=control_group,
                        xformla="~lpop" if covariates else None, boot=False)
        np.testing.assert_allclose(ours.att_gt["group"], ref.groups)
        np.testing.assert_allclose(ours.att_gt["time"], ref.times)
        np.testing.assert_allclose(ours.att_gt["att"], ref.att_gt, atol=1e-10)
        np.testing.assert_allclose(ours.att_gt["se"], ref.se_gt, rtol=1e-8)
        for kind in ("simple", "dynamic", "group"):
            agg = md.aggte(ref, type=kind)
            mine = ours.aggregate(kind)
            if kind == "simple":
                assert mine["estimate"].iloc[0] == pytest.approx(agg.overall_att, abs=1e-10)
                assert mine["se"].iloc[0] == pytest.approx(agg.overall_se, rel=1e-8)
            else:
                np.testing.assert_allclose(mine["estimate"], agg.att_by_event, atol=1e-10)
                np.testing.assert_allclose(mine["se"], agg.se_by_event, rtol=1e-8)
                overall = ours.overall(kind).iloc[0]
                assert overall["estimate"] == pytest.approx(agg.overall_att, abs=1e-10)
                assert overall["se"] == pytest.approx(agg.overall_se, rel=1e-8)


def test_unbalanced_units_are_left_out_with_a_warning(mpdta):
    holes = mpdta.drop(index=mpdta.index[:3])  # three rows of the first county
    with pytest.warns(DidDataWarning, match="1 unit"):
        res = staggered_did(holes, "lemp", "countyreal", "year", "first.treat")
    assert res.n_units == mpdta["countyreal"].nunique() - 1


def test_bad_input_is_named(mpdta):
    with pytest.raises(ValueError, match="notyettreated"):
        staggered_did(mpdta, "lemp", "countyreal", "year", "first.treat", control_group="x")
    varying = mpdta.copy()
    varying.loc[varying.index[0], "first.treat"] = 2006
    with pytest.raises(ValueError, match="constant"):
        staggered_did(varying, "lemp", "countyreal", "year", "first.treat")
    with pytest.raises(KeyError, match="nope"):
        staggered_did(mpdta, "nope", "countyreal", "year", "first.treat")


def _simulated_city(rng, n_units=60, n_periods=8, effect=2.0):
    units = pd.DataFrame({"unit": range(n_units),
                          "g": rng.choice([0, 3, 5, 7], n_units, p=[0.3, 0.25, 0.25, 0.2])})
    panel = units.merge(pd.DataFrame({"t": range(1, n_periods + 1)}), how="cross")
    alpha = rng.normal(size=n_units)[panel["unit"]]
    trend = 0.3 * panel["t"]
    treated = (panel["g"] > 0) & (panel["t"] >= panel["g"])
    panel["y"] = alpha + trend + effect * treated + rng.normal(size=len(panel))
    return panel


@pytest.mark.slow
def test_confidence_intervals_cover_the_truth():
    # Known truth: a constant effect of 2 in a parallel-trends DGP; nominal 95% coverage.
    rng = np.random.default_rng(20261127)
    hits = [staggered_did(_simulated_city(rng), "y", "unit", "t", "g")
            .aggregate("simple").pipe(lambda a: (a.ci_low <= 2.0) & (2.0 <= a.ci_high)).iloc[0]
            for _ in range(200)]
    assert 0.92 <= np.mean(hits) <= 0.98


def test_nullable_dtypes_give_the_same_result(mpdta, cs_never):
    # Processed tables use pandas' nullable Int64/Float64; results must not change.
    nullable = mpdta.astype({"year": "Int64", "countyreal": "Int64", "first.treat": "Int64",
                             "lemp": "Float64"})
    res = staggered_did(nullable, "lemp", "countyreal", "year", "first.treat",
                        control_group="nevertreated")
    pd.testing.assert_frame_equal(res.att_gt, cs_never.att_gt)


def test_multiplier_bootstrap_is_reproducible_and_close_to_analytical(mpdta, cs_never):
    # R did's default bstrap=TRUE: its SEs differ from the analytical ones only by
    # simulation noise (the published R bootstrap SEs are within 15% of analytical above).
    boot = staggered_did(mpdta, "lemp", "countyreal", "year", "first.treat",
                         control_group="nevertreated", boot=True, biters=2000, seed=3)
    again = staggered_did(mpdta, "lemp", "countyreal", "year", "first.treat",
                          control_group="nevertreated", boot=True, biters=2000, seed=3)
    pd.testing.assert_frame_equal(boot.att_gt, again.att_gt)
    np.testing.assert_allclose(boot.att_gt["att"], cs_never.att_gt["att"])
    np.testing.assert_allclose(boot.att_gt["se"], cs_never.att_gt["se"], rtol=0.1)
    simple = boot.aggregate("simple").iloc[0]
    assert simple["se"] == pytest.approx(cs_never.aggregate("simple")["se"].iloc[0], rel=0.1)
    assert simple["se"] == pytest.approx(PUBLISHED_SIMPLE[1], rel=0.15)
