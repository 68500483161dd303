"""Power for the next evaluation round, from the difference-in-differences design itself.

Three routes to the standard error of the IKM effect, set side by side so that the planning
figure is reconciled with what the study achieved (:func:`next_round_power`):

- ``achieved`` — the headline's own SE (Callaway–Sant'Anna ATT);
- ``formula`` — the TWFE design formula σ_e / sqrt(Σ D̃²) with the panel's residual SD after
  unit and period effects and the study's roll-out (:func:`evalkit.models.did_mde`);
- ``placebo`` — the SD of TWFE effects of the study's cohorts reassigned to units at random
  on the panel, which keeps its serial correlation (:func:`evalkit.models.did_power_simulation`).

The next round is planned from the achieved SE, scaled by the variance components of the
panel (:func:`evalkit.models.did_variance_components`): more respondents only shrink the
sampling part σ_resp²/m of the unit-period variance, more units shrink the SE by sqrt(J). The
minimum detectable effect (MDE) is 2.8 SE (80% power, 5% two-sided, normal as the headline's
interval). Bloom's formula (:func:`evalkit.models.mde_ikm`) ignores the unit and period
effects, so it overstates the MDE and understates what more units buy.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(3)
>>> panel = pd.DataFrame({"unit": np.repeat(np.arange(24), 6), "t": np.tile(np.arange(1, 7), 24),
...                       "period": "q", "n_responses": 50})
>>> panel["cohort"] = np.repeat(rng.choice([0, 4], 24), 6)
>>> panel["ikm"] = 75 + rng.normal(0, 2, 24).repeat(6) + rng.normal(0, 1.5, len(panel))
>>> skm = pd.DataFrame({"unit": np.repeat(panel["unit"].to_numpy(), 3),
...                     "period": "q", **{f"u{k}": 3 for k in range(1, 10)}})
>>> routes, scenarios = next_round_power(panel, skm, headline_se=0.7, n_sims=200)
>>> routes["route"].tolist()
['achieved', 'formula', 'placebo']
>>> float(routes.loc[0, "mde"].round(2))
1.96

"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from evalkit.labels import Lang, format_number, label
from evalkit.models import (
    did_power_simulation,
    did_variance_components,
    mde_from_se,
    pooled_within_sd,
    respondent_ikm,
)

#: Routes of :func:`next_round_power`, in order.
POWER_ROUTES = ("achieved", "formula", "placebo")


def next_round_power(panel: pd.DataFrame, skm: pd.DataFrame, headline_se: float, *,
                     outcome: str = "ikm", unit: str = "unit", time: str = "t",
                     cohort: str = "cohort", period: str = "period",
                     n_responses: str = "n_responses", units: Sequence[int] | None = None,
                     respondents: Sequence[float] | None = None, n_sims: int = 2000,
                     seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """SE and MDE of the IKM effect by three routes, and the next round's scenarios.

    Parameters
    ----------
    panel : pandas.DataFrame
        The unit-period panel (``outcome``, ``unit``, ``time``, ``cohort``, ``n_responses``).
    skm : pandas.DataFrame
        Survey responses (``unit``, ``period``, ``u1``…``u9``) for the respondent SD within a
        unit-period.
    headline_se : float
        The SE the study achieved (Callaway–Sant'Anna ATT on ``outcome``).
    outcome, unit, time, cohort, period, n_responses : str
        Column names: the outcome, unit, period number and cohort of the panel, the period
        label shared by panel and survey, and the panel's respondents per unit-period.
    units, respondents : sequences, optional
        Scenario grid; default the study's units J and 2J, its mean respondents m, 2m and 4m.
    n_sims, seed : int
        Placebo roll-outs.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Routes: ``route``, ``se``, ``mde`` (attrs: the variance components
        ``sigma_e``, ``sigma_unit_period``, ``sigma_respondent``, ``respondents``,
        ``share_sampling``, ``n_units``, ``n_periods``, ``units_left_out``).
        Scenarios: ``units``, ``respondents_per_period``, ``sigma_e``, ``se``, ``mde``,
        anchored on the achieved SE (same roll-out pattern, more units or respondents).

    Examples
    --------
    See the module docstring.

    """
    respondent_sd = pooled_within_sd(respondent_ikm(skm), skm[[unit, period]])
    components = did_variance_components(panel, outcome, unit, time, cohort,
                                         n_responses=n_responses,
                                         respondent_sd=respondent_sd)
    placebo = did_power_simulation(panel, outcome, unit, time, cohort, n_sims=n_sims,
                                   seed=seed)
    routes = pd.DataFrame({"route": list(POWER_ROUTES),
                           "se": [headline_se, placebo["se_formula"], placebo["se_placebo"]]})
    routes["mde"] = routes["se"].map(mde_from_se)
    sampling = respondent_sd ** 2 / components.respondents
    routes.attrs = {"sigma_e": components.sigma_e,
                    "sigma_unit_period": components.sigma_unit_period,
                    "sigma_respondent": respondent_sd, "respondents": components.respondents,
                    "share_sampling": min(sampling / components.sigma_e ** 2, 1.0),
                    "n_units": components.n_units, "n_periods": components.n_periods,
                    "units_left_out": components.units_left_out}
    m, n_units = components.respondents, components.n_units
    grid = pd.MultiIndex.from_product(
        [list(units or (n_units, 2 * n_units)),
         list(respondents or (m, 2 * m, 4 * m))],
        names=["units", "respondents_per_period"]).to_frame(index=False)
    grid["sigma_e"] = grid["respondents_per_period"].map(components.sigma_e_with)
    # the achieved SE scaled: σ_e(m') / σ_e(m) for respondents, sqrt(J / J') for units
    grid["se"] = (headline_se * grid["sigma_e"] / components.sigma_e_with(m)
                  * np.sqrt(n_units / grid["units"]))
    grid["mde"] = grid["se"].map(mde_from_se)
    return routes, grid


def power_sentences(routes: pd.DataFrame, scenarios: pd.DataFrame,
                    lang: Lang = "id") -> list[str]:
    """What the routes and scenarios of :func:`next_round_power` say, generated from them.

    Examples
    --------
    >>> routes = pd.DataFrame({"route": ["achieved", "formula", "placebo"],
    ...                        "se": [0.5, 0.45, 0.55], "mde": [1.4, 1.26, 1.54]})
    >>> routes.attrs = {"share_sampling": 0.3, "respondents": 100.0, "n_units": 30}
    >>> scen = pd.DataFrame({"units": [30, 30, 60], "respondents_per_period": [100., 200., 100.],
    ...                      "mde": [1.4, 1.27, 0.99]})
    >>> print(power_sentences(routes, scen, "en")[1][-50:])
    h twice the units 0.99. More units help more here.

    """
    mde = routes.set_index("route")["mde"]
    n_units, m = routes.attrs["n_units"], routes.attrs["respondents"]
    base = scenarios[(scenarios["units"] == n_units)
                     & np.isclose(scenarios["respondents_per_period"], m)]["mde"].iloc[0]
    more_respondents = scenarios[(scenarios["units"] == n_units)
                                 & np.isclose(scenarios["respondents_per_period"], 2 * m)]
    more_units = scenarios[(scenarios["units"] == 2 * n_units)
                           & np.isclose(scenarios["respondents_per_period"], m)]
    mde_resp, mde_units = more_respondents["mde"].iloc[0], more_units["mde"].iloc[0]
    number = lambda value: format_number(float(value), 2, lang)  # noqa: E731
    return [
        label("power_routes", lang, se=number(routes["se"].iloc[0]), mde=number(mde["achieved"]),
              mde_formula=number(mde["formula"]), mde_placebo=number(mde["placebo"])),
        label("power_advice", lang, share=format_number(100 * routes.attrs["share_sampling"], 0,
                                                        lang),
              m=format_number(m, 0, lang), mde=number(base), mde_respondents=number(mde_resp),
              mde_units=number(mde_units))
        + " " + label("power_more_units" if mde_units < mde_resp else "power_more_respondents",
                      lang),
    ]


__all__ = ["POWER_ROUTES", "next_round_power", "power_sentences"]
