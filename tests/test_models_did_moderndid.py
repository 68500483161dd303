"""staggered_did's options against moderndid 0.2 (a Python port of R did) on mpdta.

Reference: ``moderndid.att_gt(..., boot=False)`` and ``moderndid.aggte`` with the same
options (analytical standard errors, deterministic); point estimates and standard errors
must agree to 1e-8. For unbalanced panels moderndid needs ``panel=False,
allow_unbalanced_panel=True`` (R sets ``panel=FALSE`` itself) and adds the influence of the
estimated cohort weights to units in its cohort-sorted order while its influence function is
in unit-id order; R did 2.5.1 fixed the same misalignment (``compute.aggte``: "Restore that
order so the estimated-weight influence term (wif) is added to the matching units"). The
exact comparison of aggregated standard errors therefore uses ids numbered in cohort order,
where both orders coincide.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from evalkit.models import staggered_did
from evalkit.models.did_inference import mammen_multipliers, sup_t_critical_value
from evalkit.validation import load_mpdta

md = pytest.importorskip("moderndid")
pl = pytest.importorskip("polars")

KEYS = {"yname": "lemp", "tname": "year", "idname": "countyreal", "gname": "first.treat"}


@pytest.fixture(scope="module")
def mpdta():
    return load_mpdta().drop(columns="post")


def _moderndid(data, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return md.att_gt(data=pl.from_pandas(data), **KEYS, boot=False, **options)


def _ours(data, control_group="nevertreated", xformla=None, **options):
    return staggered_did(data, "lemp", "countyreal", "year", "first.treat",
                         control_group=control_group,
                         covariates=["lpop"] if xformla else None, **options)


def _assert_same(ours, ref, rtol_agg=1e-8):
    np.testing.assert_allclose(ours.att_gt["group"], ref.groups)
    np.testing.assert_allclose(ours.att_gt["time"], ref.times)
    np.testing.assert_allclose(ours.att_gt["att"], ref.att_gt, atol=1e-10)
    np.testing.assert_allclose(ours.att_gt["se"], ref.se_gt, rtol=1e-8)  # NaN where both 0
    assert round(ours.pretest()["p_value"].iloc[0], 5) == pytest.approx(ref.wald_pvalue)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        simple = md.aggte(ref, type="simple")
        assert ours.aggregate("simple")["estimate"].iloc[0] == pytest.approx(
            simple.overall_att, abs=1e-10)
        assert ours.aggregate("simple")["se"].iloc[0] == pytest.approx(simple.overall_se,
                                                                       rel=rtol_agg)
        for kind in ("dynamic", "group", "calendar"):
            agg = md.aggte(ref, type=kind)
            mine, overall = ours.aggregate(kind), ours.overall(kind).iloc[0]
            np.testing.assert_allclose(mine.iloc[:, 0], agg.event_times)
            np.testing.assert_allclose(mine["estimate"], agg.att_by_event, atol=1e-10)
            np.testing.assert_allclose(mine["se"], agg.se_by_event, rtol=rtol_agg)
            assert overall["estimate"] == pytest.approx(agg.overall_att, abs=1e-10)
            assert overall["se"] == pytest.approx(agg.overall_se, rel=rtol_agg)


OPTIONS = [
    {"control_group": "notyettreated", "base_period": "universal"},
    {"control_group": "nevertreated", "base_period": "universal", "xformla": "~lpop"},
    {"control_group": "nevertreated", "xformla": "~lpop", "est_method": "ipw"},
    {"control_group": "notyettreated", "xformla": "~lpop", "est_method": "ipw"},
    {"control_group": "nevertreated", "xformla": "~lpop", "est_method": "reg"},
    {"control_group": "notyettreated", "xformla": "~lpop", "est_method": "reg",
     "base_period": "universal"},
    {"control_group": "notyettreated", "anticipation": 1},
    {"control_group": "nevertreated", "xformla": "~lpop", "anticipation": 1},
]


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: "-".join(map(str, o.values())))
def test_options_equal_moderndid(mpdta, options):
    _assert_same(_ours(mpdta, **options), _moderndid(mpdta, **options))


def test_universal_base_period_has_a_zero_reference_cell(mpdta):
    ours = _ours(mpdta, base_period="universal")
    reference = ours.att_gt[ours.att_gt["time"] == ours.att_gt["group"] - 1]
    assert (reference["att"] == 0).all() and reference["se"].isna().all()
    # pre-treatment cells against the reference year: 2006 in 2003, 2004; 2007 in 2003–2005
    assert ours.pretest()["df"].iloc[0] == 5


@pytest.mark.parametrize("window", [{"balance_e": 1}, {"balance_e": 0}, {"balance_e": 2},
                                    {"min_e": -1, "max_e": 2}, {"max_e": 0}])
def test_dynamic_windows_equal_moderndid(mpdta, window):
    ours = _ours(mpdta)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        agg = md.aggte(_moderndid(mpdta, control_group="nevertreated"), type="dynamic",
                       **window)
    mine = ours.aggregate("dynamic", **window)
    np.testing.assert_allclose(mine["event_time"], agg.event_times)
    np.testing.assert_allclose(mine["estimate"], agg.att_by_event, atol=1e-10)
    np.testing.assert_allclose(mine["se"], agg.se_by_event, rtol=1e-8)
    overall = ours.overall("dynamic", **window).iloc[0]
    assert overall["estimate"] == pytest.approx(agg.overall_att, abs=1e-10)
    assert overall["se"] == pytest.approx(agg.overall_se, rel=1e-8)


def _with_holes(mpdta, cohort_ordered_ids, first_year_too=False):
    data = mpdta.copy()
    if cohort_ordered_ids:
        first = data.drop_duplicates("countyreal").assign(
            g=lambda d: d["first.treat"].replace(0, np.inf)).sort_values(["g", "countyreal"])
        data["countyreal"] = data["countyreal"].map(
            dict(zip(first["countyreal"], range(1, len(first) + 1), strict=True)))
    rng = np.random.default_rng(5)
    # 10% of the unit-years removed; unless first_year_too, every county keeps its 2003 row
    drop = (rng.uniform(size=len(data)) < 0.1) & ((data["year"] > 2003) | first_year_too)
    return data[~drop].reset_index(drop=True)


@pytest.mark.parametrize("options", [
    {"control_group": "nevertreated"},
    {"control_group": "notyettreated", "xformla": "~lpop"},
    {"control_group": "nevertreated", "xformla": "~lpop", "est_method": "ipw"},
    {"control_group": "notyettreated", "xformla": "~lpop", "est_method": "reg"},
    {"control_group": "nevertreated", "xformla": "~lpop", "base_period": "universal"},
], ids=lambda o: "-".join(map(str, o.values())))
def test_unbalanced_panel_equals_moderndid(mpdta, options):
    holes = _with_holes(mpdta, cohort_ordered_ids=True)
    ours = _ours(holes, allow_unbalanced_panel=True, **options)
    assert ours.panel == "unbalanced"
    assert (ours.n_units, ours.n_obs, len(ours.left_out)) == (500, len(holes), 0)
    _assert_same(ours, _moderndid(holes, panel=False, allow_unbalanced_panel=True, **options))


def test_unbalanced_panel_in_any_unit_order(mpdta):
    # ids in their own order: ATT(g, t), their SEs and all aggregated estimates still equal
    # moderndid; aggregated SEs then differ only through moderndid's misaligned weight term.
    holes = _with_holes(mpdta, cohort_ordered_ids=False, first_year_too=True)
    ours = _ours(holes, allow_unbalanced_panel=True)
    assert holes["countyreal"].nunique() == ours.n_units == 500 and ours.n_obs == len(holes)
    ref = _moderndid(holes, control_group="nevertreated", panel=False,
                     allow_unbalanced_panel=True)
    _assert_same(ours, ref, rtol_agg=0.05)
    # and our result does not depend on how units are numbered
    ordered = _ours(_with_holes(mpdta, cohort_ordered_ids=True, first_year_too=True),
                    allow_unbalanced_panel=True)
    pd.testing.assert_frame_equal(ours.aggregate("dynamic").drop(columns=["cband_low",
                                                                          "cband_high",
                                                                          "crit_value"]),
                                  ordered.aggregate("dynamic").drop(columns=["cband_low",
                                                                             "cband_high",
                                                                             "crit_value"]))


@pytest.mark.parametrize("control_group", ["nevertreated", "notyettreated"])
def test_without_never_treated_units_equals_moderndid(mpdta, control_group):
    treated_only = mpdta[mpdta["first.treat"] > 0]
    with pytest.warns(Warning, match="no never-treated units; cohort 2007"):
        ours = _ours(treated_only, control_group=control_group)
    ref = _moderndid(treated_only, control_group=control_group)
    np.testing.assert_allclose(ours.att_gt["att"], ref.att_gt, atol=1e-10)
    np.testing.assert_allclose(ours.att_gt["se"], ref.se_gt, rtol=1e-8)
    status = ours.cohorts.set_index("group").loc[2007, "status"]
    assert status.startswith("used as never treated" if control_group == "nevertreated"
                             else "comparison only")
    assert ours.n_obs == ours.n_units * 4  # 2007 dropped: 2003–2006


@pytest.mark.parametrize("kind", ["att_gt", "dynamic"])
def test_sup_t_critical_value_equals_moderndid_with_its_weights(mpdta, kind):
    # moderndid draws Mammen weights (R: Rademacher); with Mammen weights our sup-t critical
    # value agrees with moderndid's bootstrap one up to simulation noise.
    ours = _ours(mpdta)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = md.att_gt(data=pl.from_pandas(mpdta), **KEYS, control_group="nevertreated",
                        boot=True, cband=True, biters=4000, random_state=11)
        if kind == "att_gt":
            crit_ref, influence = ref.critical_value, ours.influence
        else:
            crit_ref = md.aggte(ref, type="dynamic", boot=True, cband=True, biters=4000,
                                random_state=12).critical_values[0]
            eseq = ours.aggregate("dynamic")["event_time"]
            groups, times = ours.att_gt["group"].to_numpy(), ours.att_gt["time"].to_numpy()
            influence = np.column_stack([ours._combine(np.flatnonzero(times - groups == e),
                                                       groups, True)[1] for e in eseq])
    crit = sup_t_critical_value(influence, mammen_multipliers(500, 4000, seed=13), 0.05)
    assert crit == pytest.approx(crit_ref, abs=0.1)
