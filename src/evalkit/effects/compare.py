"""The comparisons of notebook 04, in the long ``effects`` table of the data contract.

Naive contrasts, TWFE, event study and staggered DiD side by side, by unit subgroup and by
SKM element, and the individual-level estimates in the same layout.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> units = pd.DataFrame({"unit": range(30), "cohort": rng.choice([0, 4, 6], 30)})
>>> panel = units.merge(pd.DataFrame({"t": range(1, 9)}), how="cross")
>>> treated = (panel["cohort"] > 0) & (panel["t"] >= panel["cohort"])
>>> panel["ikm"] = 80 + rng.normal(size=len(panel)) + 2.0 * treated
>>> table = compare_estimators(panel, ["ikm"])
>>> table.loc[table["estimand"] == "att", "method"].tolist()
['naive_before_after', 'naive_trained_untrained', 'twfe', 'cs_did']

"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from evalkit.effects.codes import (
    ATT,
    EFFECTS_COLUMNS,
    effect_row,
    event_time_estimand,
    sort_effects,
    subgroup_estimand,
)
from evalkit.effects.coverage import did_sample, regression_sample, sample_columns
from evalkit.effects.differences import subgroup_fits
from evalkit.ikm import ELEMENTS
from evalkit.models import (
    RegressionResult,
    adjust_pvalues,
    event_study,
    fit_ols,
    staggered_did,
    twfe,
)


def rollout_indicator(panel: pd.DataFrame, time: str = "t", cohort: str = "cohort") -> pd.Series:
    """1.0 for unit-periods at or after the unit's roll-out (``cohort`` > 0), else 0.0.

    Examples
    --------
    >>> p = pd.DataFrame({"t": [1, 2, 3, 3], "cohort": [2, 2, 2, 0]})
    >>> rollout_indicator(p).tolist()
    [0.0, 1.0, 1.0, 0.0]

    """
    return ((panel[cohort] > 0) & (panel[time] >= panel[cohort])).astype(float)


def _effects_frame(rows: list[dict]) -> pd.DataFrame:
    table = pd.DataFrame(rows)
    table["truth"] = np.nan  # filled by evalkit.truth.with_truth for simulated data
    return table[EFFECTS_COLUMNS]


def _fit_row(y: str, method: str, fit: RegressionResult, term: str, used: pd.DataFrame,
             units_in, unit: str, reasons: Mapping | None = None) -> dict:
    """Effects row of a clustered regression: the fit's t(G − 1) interval, its sample."""
    return effect_row(y, method, ATT, fit.coef()[term], fit.se()[term], df=fit.df_t,
                      sample=regression_sample(used, units_in, unit, reasons))


def naive_effects(panel: pd.DataFrame, y: str, unit: str = "unit", time: str = "t",
                  cohort: str = "cohort", units_in=None) -> list[dict]:
    """Estimate the two comparisons a report without a design would make (unit-clustered SEs).

    ``naive_before_after``: among reached units, mean after the roll-out minus mean before;
    ``naive_trained_untrained``: mean of reached unit-quarters minus mean of the others.
    Both mix the effect with trends and with who gets trained first. Intervals use
    Student's t with G − 1 degrees of freedom (G clusters), as the fits do. ``units_in``
    (default: the units of ``panel``) is the sample the left-out units are counted against;
    never-reached units are left out of the before/after comparison by design
    (``not_reached``).

    Examples
    --------
    >>> p = pd.DataFrame({"unit": list("AABBCC"), "t": [1, 2] * 3,
    ...                   "cohort": [2, 2, 2, 2, 0, 0], "y": [1.0, 3, 2, 4, 1, 1]})
    >>> [(r["method"], round(r["estimate"], 6), r["n_units"]) for r in naive_effects(p, "y")]
    [('naive_before_after', 2.0, 2), ('naive_trained_untrained', 2.25, 3)]

    """
    units_in = panel[unit].unique() if units_in is None else units_in
    frame = panel.assign(__post=rollout_indicator(panel, time, cohort))
    frame = frame[frame[y].notna()]
    reached = frame[frame[cohort] > 0]
    never = dict.fromkeys(frame.loc[frame[cohort] == 0, unit], "not_reached")
    before_after = fit_ols(f"{y} ~ __post", reached, vcov={"CRV1": unit})
    cross = fit_ols(f"{y} ~ __post", frame, vcov={"CRV1": unit})
    return [
        _fit_row(y, "naive_before_after", before_after, "__post", reached, units_in, unit,
                 never),
        _fit_row(y, "naive_trained_untrained", cross, "__post", frame, units_in, unit),
    ]


def compare_estimators(panel: pd.DataFrame, outcomes: Sequence[str], unit: str = "unit",
                       time: str = "t", cohort: str = "cohort",
                       control_group: str = "notyettreated",
                       event_window: tuple[int, int] = (-4, 4),
                       did_options: Mapping | None = None) -> pd.DataFrame:
    """Naive contrasts, TWFE, event study and Callaway–Sant'Anna for each outcome.

    Parameters
    ----------
    panel : pandas.DataFrame
        Unit × period panel (``panel_unit_period``).
    outcomes : sequence of str
        Outcome columns.
    unit, time, cohort : str
        Keys and the roll-out cohort (0 = never reached).
    control_group : str
        Comparison units of ``staggered_did``.
    event_window : (int, int)
        Event times estimated by the TWFE event study and reported from the dynamic
        aggregation.
    did_options : mapping, optional
        Further arguments of :func:`~evalkit.models.staggered_did` (e.g. ``anticipation``).

    Returns
    -------
    pandas.DataFrame
        :data:`~evalkit.effects.EFFECTS_COLUMNS` (``truth`` empty; see
        :func:`evalkit.truth.with_truth`), each row with the units and observations it
        used and the units of the panel it left out, by reason. Clustered regressions
        (naive, TWFE, event study) have t(G − 1) intervals, the staggered DiD normal ones
        (as R ``did``). Methods :data:`~evalkit.effects.METHODS` and
        ``event_study``; estimands ``att`` (average over reached unit-quarters) and
        ``att_e<k>`` (k quarters after the roll-out; negative k are placebo pre-periods).

    Examples
    --------
    See the module docstring.

    """
    rows: list[dict] = []
    options = dict(did_options or {})
    units_in = panel[unit].unique()
    frame = panel.assign(__post=rollout_indicator(panel, time, cohort))
    for y in outcomes:  # one set of estimations per outcome (a handful)
        data = frame[frame[y].notna()]
        rows += naive_effects(data, y, unit, time, cohort, units_in=units_in)
        fit = twfe(data, y, "__post", unit, time)
        rows.append(_fit_row(y, "twfe", fit, "__post", data, units_in, unit))
        # units the staggered DiD leaves out are counted beside it (and warned about)
        cs = staggered_did(data, y, unit, time, cohort,
                           **{"control_group": control_group, **options})
        cs_sample = did_sample(cs, units_in)
        simple = cs.aggregate("simple").iloc[0]
        rows.append(effect_row(y, "cs_did", ATT, simple["estimate"], simple["se"],
                               sample=cs_sample))
        es = event_study(data, y, unit, time, cohort, window=event_window)
        es_sample = regression_sample(data, units_in, unit)
        rows += [effect_row(y, "event_study", event_time_estimand(rec.event_time),
                            rec.estimate, rec.se, ci=(rec.ci_low, rec.ci_high),
                            sample=es_sample)  # the fit's t(G − 1) intervals
                 for rec in es.tidy().query("se > 0").itertuples()]  # reference: se 0
        dyn = cs.aggregate("dynamic")
        dyn = dyn[dyn["event_time"].between(*event_window)]
        rows += [effect_row(y, "cs_did", event_time_estimand(rec.event_time), rec.estimate,
                            rec.se, sample=cs_sample) for rec in dyn.itertuples()]
    return _effects_frame(rows)


def twfe_by_outcome(panel: pd.DataFrame, outcomes: Sequence[str], unit: str = "unit",
                    time: str = "t", cohort: str = "cohort") -> list[RegressionResult]:
    """TWFE of each outcome on the roll-out dummy ``rollout`` (unit and time effects).

    Standard errors are clustered by unit. Pass the list to
    :func:`evalkit.models.etable` to set the fits side by side.

    Examples
    --------
    >>> p = pd.DataFrame({"unit": list("AABBCC"), "t": [1, 2] * 3,
    ...                   "cohort": [2, 2, 0, 0, 0, 0], "y": [1.0, 4, 1, 2, 2, 3]})
    >>> round(float(twfe_by_outcome(p, ["y"])[0].coef()["rollout"]), 6)
    2.0

    """
    frame = panel.assign(rollout=rollout_indicator(panel, time, cohort))
    return [twfe(frame, y, "rollout", unit, time) for y in outcomes]


def unit_subgroup_effects(panel: pd.DataFrame, y: str | Sequence[str],
                          groups: Mapping[str, Sequence[str]], unit: str = "unit",
                          time: str = "t", cohort: str = "cohort",
                          control_group: str = "notyettreated",
                          did_options: Mapping | None = None,
                          fits: Mapping[tuple[str, str], dict] | None = None) -> pd.DataFrame:
    """Estimate Callaway–Sant'Anna ATTs for subgroups of reached units.

    Each subgroup's reached units are compared with the never-reached units (and, with
    ``control_group="notyettreated"``, its own units not yet reached): the fits of
    :func:`~evalkit.effects.differences.subgroup_fit`, whose differences
    :func:`~evalkit.effects.differences.subgroup_differences` estimates. Units left out are
    counted against the subgroup's units and the never-reached units.

    Parameters
    ----------
    panel : pandas.DataFrame
        Unit × period panel.
    y : str or sequence of str
        Outcome column(s).
    groups : mapping of subgroup → unit names
        Reached units of each subgroup (e.g. :func:`~evalkit.effects.subgroup_units`).
    unit, time, cohort, control_group : str
        As in :func:`compare_estimators`.
    did_options : mapping, optional
        Further arguments of :func:`~evalkit.models.staggered_did`.
    fits : mapping, optional
        :func:`~evalkit.effects.differences.subgroup_fits` already made (then
        ``control_group`` and ``did_options`` are theirs); fitted here when omitted.

    Returns
    -------
    pandas.DataFrame
        Effects rows with method ``cs_did`` and estimand ``att_<subgroup>``, by outcome
        then subgroup.

    Examples
    --------
    See ``tests/test_effects.py`` (it needs a panel with several cohorts).

    """
    outcomes = [y] if isinstance(y, str) else list(y)
    if fits is None:
        fits = subgroup_fits(panel, outcomes, groups, unit, time, cohort,
                             {"control_group": control_group, **dict(did_options or {})})
    rows = []
    for outcome in outcomes:  # a few outcomes × four subgroups
        for label in groups:
            fit = fits[(outcome, label)]
            simple = fit["result"].aggregate("simple").iloc[0]
            rows.append(effect_row(outcome, "cs_did", subgroup_estimand(label),
                                   simple["estimate"], simple["se"], sample=fit["sample"]))
    return _effects_frame(rows)


def element_effects(panel: pd.DataFrame, elements: Sequence[int] = range(1, len(ELEMENTS) + 1),
                    alpha: float = 0.05, unit: str = "unit", time: str = "t",
                    cohort: str = "cohort") -> pd.DataFrame:
    """Callaway–Sant'Anna ATT of each SKM element ``nrr_u<k>`` with Holm and BH p-values.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``element`` (``"U1"``…): ``estimate``, ``se``, ``n_units`` (units the
        fit used; any left out are warned about), ``p_value`` (two-sided, normal),
        ``p_holm``, ``p_bh`` and ``significant_holm`` (``p_holm`` < ``alpha``).

    Examples
    --------
    See ``tests/test_effects.py``; on the bundled panel::

        element_effects(panel).round(4)

    """
    rows = []
    for k in elements:  # nine separate estimations, not a loop over rows
        y = f"nrr_u{k}"
        fit = staggered_did(panel, y, unit, time, cohort)
        agg = fit.aggregate("simple")
        rows.append({"element": f"U{k}", "estimate": float(agg["estimate"].iloc[0]),
                     "se": float(agg["se"].iloc[0]), "n_units": fit.n_units})
    table = pd.DataFrame(rows).set_index("element")
    table["p_value"] = 2 * stats.norm.sf(np.abs(table["estimate"] / table["se"]))
    table["p_holm"] = adjust_pvalues(table["p_value"], "holm")["p_adjusted"].to_numpy()
    table["p_bh"] = adjust_pvalues(table["p_value"], "bh")["p_adjusted"].to_numpy()
    table["significant_holm"] = table["p_holm"] < alpha
    return table


def naive_difference(sample: pd.DataFrame, y: str, treat: str = "treat") -> float:
    """Mean of ``y`` among the treated minus among the others (``treat`` 1 / 0).

    Examples
    --------
    >>> naive_difference(pd.DataFrame({"treat": [1.0, 1, 0], "y": [4.0, 2, 1]}), "y")
    2.0

    """
    means = sample.groupby(treat)[y].mean()
    return float(means[1.0] - means[0.0])


def _person_sample(sample: pd.DataFrame | None, n_obs: int) -> dict:
    """Sample columns of a person-level estimate: organisation units and rows used."""
    if sample is None:
        return {"n_obs": n_obs}
    return sample_columns(sample["unit"].unique(), sample["unit"], n_obs)


def _att_row(outcome: str, method: str, estimand: str, fit, sample: dict) -> dict:
    """Effects row of a propensity estimate, with the estimator's own interval."""
    return effect_row(outcome, method, estimand, fit.estimate, fit.se,
                      ci=(fit.ci_low, fit.ci_high), sample=sample)


def individual_effects(l3_sample: pd.DataFrame, l3_ipw, l3_aipw, skp_ologit,
                       skp_aipw, skp_aipw_binary=None, *, skp_sample: pd.DataFrame | None = None,
                       skp_within: pd.DataFrame | None = None) -> pd.DataFrame:
    """Set the individual-level estimates in the long ``effects`` layout (``truth`` empty).

    Level-3 application (outcome ``l3_application``, estimand ``att``): methods
    ``naive_other_courses`` (difference of means against alumni of other courses), ``ipw``,
    ``aipw``. SKP (``skp_predikat``): ``ologit_covariates`` on the log-odds of a higher
    predikat (``log_odds_higher_predikat``) and ``aipw`` on the 1–5 score
    (``att_predikat_score``) and, if given, on the share rated Baik or better
    (``att_good_or_better``). Intervals are the estimators' own; the naive row has none.
    ``n_units`` counts organisation units and ``n_obs`` alumni or person-years; given
    ``skp_sample`` and ``skp_within`` (its unit-years with both trained and untrained
    staff), the AIPW rows count the units without such a unit-year as left out
    (``no_unit_year_with_both_groups``).

    Examples
    --------
    See ``tests/test_effects.py`` (it needs fitted models).

    """
    naive = naive_difference(l3_sample, "l3_score")
    l3 = _person_sample(l3_sample, len(l3_sample))
    l3_ipw_sample = {**l3, "n_obs": l3_ipw.n_treated + l3_ipw.n_control}
    l3_aipw_sample = {**l3, "n_obs": l3_aipw.n_treated + l3_aipw.n_control}
    ologit_sample = _person_sample(skp_sample, skp_ologit.nobs)
    within = {"n_obs": skp_aipw.n_treated + skp_aipw.n_control}
    if skp_within is not None:
        units_in = (skp_sample if skp_sample is not None else skp_within)["unit"]
        within = sample_columns(units_in, skp_within["unit"], within["n_obs"],
                                default_reason="no_unit_year_with_both_groups")
    tidy = skp_ologit.tidy().loc["treat"]
    rows = [
        effect_row("l3_application", "naive_other_courses", ATT, naive, np.nan, sample=l3),
        _att_row("l3_application", "ipw", ATT, l3_ipw, l3_ipw_sample),
        _att_row("l3_application", "aipw", ATT, l3_aipw, l3_aipw_sample),
        effect_row("skp_predikat", "ologit_covariates", "log_odds_higher_predikat",
                   tidy["Estimate"], tidy["Std. Error"], ci=(tidy.iloc[4], tidy.iloc[5]),
                   sample=ologit_sample),
        _att_row("skp_predikat", "aipw", "att_predikat_score", skp_aipw, within),
    ]
    if skp_aipw_binary is not None:
        rows.append(_att_row("skp_predikat", "aipw", "att_good_or_better", skp_aipw_binary,
                             within))
    return _effects_frame(rows)


def combine_effects(*tables: pd.DataFrame) -> pd.DataFrame:
    """Stack effects tables and sort them by outcome, method and estimand.

    The order is :func:`~evalkit.effects.sort_effects`'s. The result is the ``effects``
    table of the data contract (attach the simulated truth, if any, with
    :func:`evalkit.truth.with_truth`).

    Examples
    --------
    >>> e = pd.DataFrame({"outcome": ["z", "y"], "method": "twfe", "estimand": "att",
    ...                   "estimate": 1.0, "se": 0.1, "ci_low": 0.8, "ci_high": 1.2,
    ...                   "truth": np.nan})
    >>> combine_effects(e)["outcome"].tolist()
    ['y', 'z']

    """
    # a table without the sample columns (e.g. made by hand) gets them empty
    return sort_effects(pd.concat([t.reindex(columns=EFFECTS_COLUMNS) for t in tables],
                                  ignore_index=True))


__all__ = ["combine_effects", "compare_estimators", "element_effects", "individual_effects",
           "naive_difference", "naive_effects", "rollout_indicator", "twfe_by_outcome",
           "unit_subgroup_effects"]
