"""staggered_did reproduces R did 2.5.1's printed mpdta output (reference manual, vignette).

Expected numbers: ``evalkit/data/r_did_mpdta_printed.csv``, read by
``evalkit.validation.published_mpdta_did``; every row carries its provenance (the rendered
reference-manual examples of ``att_gt()`` and ``aggte()`` and the vignette "Getting Started
with the did Package", https://bcallaway11.github.io/did/, github.com/bcallaway11/did at
71ba8a5). Point estimates and the pre-test p-value are deterministic in R and must agree to
the printed decimals. R prints multiplier-bootstrap standard errors and sup-t bands of one run
(``bstrap=TRUE, cband=TRUE, biters=1000``): the analytical standard errors here must be within
bootstrap noise of them (15%), and the band's critical value, implied by the printed band as
(band_high − band_low) / (2·se), within 0.15 of ours (two bootstrap runs of 1000 draws and
4-decimal rounding).
"""

import numpy as np
import pytest

from evalkit.models import staggered_did
from evalkit.validation import load_mpdta, published_mpdta_did

PRINTED_DECIMALS = 5e-5 + 1e-9  # R prints 4 decimals

#: example → (control_group, covariates) of the att_gt call that printed it
CALLS = {"att_gt_out1": ("nevertreated", ()), "att_gt_out2": ("nevertreated", ("lpop",)),
         "att_gt_out3": ("notyettreated", ("lpop",)), "basics_mw_attgt": ("nevertreated", ()),
         "aggte_out": ("nevertreated", ()), "basics_mw_dyn": ("nevertreated", ()),
         "basics_mw_dyn_balance": ("nevertreated", ())}


@pytest.fixture(scope="module")
def mpdta():
    return load_mpdta()


@pytest.fixture(scope="module")
def fits(mpdta):
    return {(cg, cov): staggered_did(mpdta, "lemp", "countyreal", "year", "first.treat",
                                     control_group=cg, covariates=list(cov))
            for cg, cov in set(CALLS.values())}


def _fit(fits, example):
    return fits[CALLS[example]]


def _implied_crit(printed):
    return float(np.median((printed["band_high"] - printed["band_low"]) / (2 * printed["se"])))


@pytest.mark.parametrize("example", ["att_gt_out1", "att_gt_out2", "att_gt_out3",
                                     "basics_mw_attgt"])
def test_att_gt_and_pretest_as_printed(fits, example):
    printed = published_mpdta_did(example)
    result = _fit(fits, example)
    cells = printed.loc[printed["kind"] == "att_gt",
                        ["group", "time", "estimate", "se", "band_low", "band_high"]]
    cells = cells.merge(result.att_gt, on=["group", "time"], suffixes=("_r", ""))
    assert len(cells) == 12 == len(result.att_gt)
    np.testing.assert_allclose(cells["att"], cells["estimate"], atol=PRINTED_DECIMALS)
    np.testing.assert_allclose(cells["se"], cells["se_r"], rtol=0.15)
    # "P-value for pre-test of parallel trends assumption" (R rounds it to 5 decimals)
    p_printed = printed.loc[printed["kind"] == "pretest", "p_value"].iloc[0]
    pretest = result.pretest().iloc[0]
    assert round(pretest["p_value"], 5) == pytest.approx(p_printed, abs=1e-12)
    assert pretest["df"] == 5  # pre-treatment cells: 2006 × 2, 2007 × 3
    # the simultaneous band: our sup-t critical value against the one R's band implies
    implied = _implied_crit(cells[["band_low", "band_high", "se_r"]].rename(
        columns={"se_r": "se"}))
    assert result.att_gt["crit_value"].iloc[0] == pytest.approx(implied, abs=0.15)


@pytest.mark.parametrize(("kind", "label"), [("dynamic", "event_time"), ("group", "group"),
                                             ("calendar", "time")])
def test_aggte_reference_examples_as_printed(fits, kind, label):
    printed = published_mpdta_did("aggte_out")
    result = _fit(fits, "aggte_out")
    rows = printed[printed["kind"] == kind]
    mine = result.aggregate(kind)
    both = rows[[label, "estimate", "se", "band_low", "band_high"]].merge(
        mine, on=label, suffixes=("_r", ""))
    assert len(both) == len(rows) == len(mine)
    np.testing.assert_allclose(both["estimate"], both["estimate_r"], atol=PRINTED_DECIMALS)
    np.testing.assert_allclose(both["se"], both["se_r"], rtol=0.15)
    implied = _implied_crit(both[["band_low", "band_high", "se_r"]].rename(
        columns={"se_r": "se"}))
    assert mine["crit_value"].iloc[0] == pytest.approx(implied, abs=0.15)
    overall_r = printed[printed["kind"] == f"overall_{kind}"].iloc[0]
    overall = result.overall(kind).iloc[0]
    assert overall["estimate"] == pytest.approx(overall_r["estimate"], abs=PRINTED_DECIMALS)
    assert overall["se"] == pytest.approx(overall_r["se"], rel=0.15)


def test_aggte_simple_as_printed(fits):
    printed = published_mpdta_did("aggte_out").query("kind == 'simple'").iloc[0]
    simple = _fit(fits, "aggte_out").aggregate("simple").iloc[0]
    assert simple["estimate"] == pytest.approx(printed["estimate"], abs=PRINTED_DECIMALS)
    assert simple["se"] == pytest.approx(printed["se"], rel=0.15)
    # one number needs no simultaneous adjustment: the band is the pointwise interval
    assert simple["cband_low"] == simple["ci_low"]


@pytest.mark.parametrize(("example", "balance_e"), [("basics_mw_dyn", None),
                                                    ("basics_mw_dyn_balance", 1)])
def test_vignette_event_studies_as_printed(fits, example, balance_e):
    printed = published_mpdta_did(example)
    result = _fit(fits, example)
    rows = printed[printed["kind"] == "dynamic"]
    mine = result.aggregate("dynamic", balance_e=balance_e)
    # balance_e = 1 keeps cohorts 2004 and 2006 and event times -2…1 (the vignette's table)
    assert mine["event_time"].tolist() == rows["event_time"].tolist()
    np.testing.assert_allclose(mine["estimate"], rows["estimate"], atol=PRINTED_DECIMALS)
    np.testing.assert_allclose(mine["se"], rows["se"].to_numpy(), rtol=0.15)
    overall_r = printed[printed["kind"] == "overall_dynamic"].iloc[0]
    overall = result.overall("dynamic", balance_e=balance_e).iloc[0]
    assert overall["estimate"] == pytest.approx(overall_r["estimate"], abs=PRINTED_DECIMALS)
    assert overall["se"] == pytest.approx(overall_r["se"], rel=0.15)
