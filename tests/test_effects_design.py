"""Power for the next round from the DiD design (evalkit.effects.design).

Expected values are by construction of the simulated panels (no unit-period shocks: all of
the residual variance is respondent sampling, so doubling respondents divides the SE by √2)
and by the √J law of the SE in the number of units.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalkit.effects import next_round_power, power_sentences


def _city(shock_sd: float, seed: int = 5, n_units: int = 30, n_periods: int = 6,
          respondents: int = 40) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Survey answers 1–4 (all nine items alike) around a unit level; the panel's IKM is
    each unit-period's respondent mean plus a unit-period shock of SD ``shock_sd``."""
    rng = np.random.default_rng(seed)
    cells = pd.MultiIndex.from_product([range(n_units), range(1, n_periods + 1)],
                                       names=["unit", "t"]).to_frame(index=False)
    cells["period"] = "q" + cells["t"].astype(str)
    level = rng.uniform(0.4, 0.8, n_units)
    rows = cells.loc[cells.index.repeat(respondents)].reset_index(drop=True)
    answer = 1 + rng.binomial(3, level[rows["unit"]])
    skm = rows[["unit", "period"]].assign(**{f"u{k}": answer for k in range(1, 10)})
    skm[[f"u{k}" for k in range(1, 10)]] = skm[[f"u{k}" for k in range(1, 10)]].astype("Int8")
    means = (rows.assign(ikm=25.0 * answer).groupby(["unit", "t"])["ikm"].mean()
             .reset_index())
    panel = cells.merge(means, on=["unit", "t"])
    panel["ikm"] += rng.normal(0, shock_sd, len(panel))
    panel["n_responses"] = respondents
    panel["cohort"] = np.where(panel["unit"] % 2 == 0, 4, 0)
    return panel, skm


def test_without_unit_period_shocks_the_variance_is_sampling_and_respondents_help():
    panel, skm = _city(shock_sd=0.0)
    routes, scenarios = next_round_power(panel, skm, headline_se=0.8, n_sims=300)
    assert routes.attrs["share_sampling"] > 0.85
    # the grid: units 30, 60 × respondents m, 2m, 4m (m = 40)
    assert scenarios["units"].tolist() == [30, 30, 30, 60, 60, 60]
    np.testing.assert_allclose(scenarios["respondents_per_period"], [40, 80, 160] * 2)
    by = dict(zip([(30, 40.0), (30, 80.0), (30, 160.0), (60, 40.0), (60, 80.0), (60, 160.0)],
                  scenarios["mde"], strict=True))
    # twice the respondents: SE / √2 when all residual variance is sampling
    assert by[(30, 80.0)] / by[(30, 40.0)] == pytest.approx(np.sqrt(0.5), abs=0.04)
    # twice the units: SE / √2 exactly (the √J law)
    assert by[(60, 40.0)] / by[(30, 40.0)] == pytest.approx(np.sqrt(0.5), rel=1e-12)
    # the achieved route is the given SE; MDE = 2.8016 SE (80% power, 5% two-sided)
    assert routes.loc[0, "mde"] == pytest.approx(2.801585 * 0.8, rel=1e-6)


def test_with_large_unit_period_shocks_more_units_help_and_the_sentence_says_so():
    panel, skm = _city(shock_sd=6.0)
    routes, scenarios = next_round_power(panel, skm, headline_se=0.8, n_sims=300)
    assert routes.attrs["share_sampling"] < 0.25
    # twice the respondents (row 1) against the study's m (row 0)
    assert scenarios.loc[1, "mde"] / scenarios.loc[0, "mde"] > 0.93
    sentences = power_sentences(routes, scenarios, "en")
    assert sentences[1].endswith("More units help more here.")
    assert "2.24 IKM points" in sentences[0]  # 2.8016 × 0.8
    # placebo roll-outs and the iid formula agree when the shocks are iid (within noise)
    se = routes.set_index("route")["se"]
    assert se["placebo"] / se["formula"] == pytest.approx(1.0, abs=0.25)
