"""Differences of effects between two subgroups of units, with the interval of the difference.

Two subgroup effects are compared only through the interval of their *difference*: setting
two intervals side by side says nothing about it, because the subgroups share their
comparison units (the never-reached units enter both estimates). Each subgroup ATT is a
Callaway–Sant'Anna fit over units; its estimate moves with each unit *i* by the unit's
contribution c(i) = IF(i) / n (its influence function over the fit's n units, so that
se = sqrt(Σ c(i)²), R ``did``'s analytical standard error). Aligning the contributions of both
fits on the same unit ids (zero where a unit is not in a fit), the difference a − b has the
contribution c_a(i) − c_b(i) and the standard error sqrt(Σ_i (c_a(i) − c_b(i))²): a shared
unit's contributions offset each other, a unit in one fit only adds its own. The interval is
normal, as the subgroup ATTs' own.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(1)
>>> units = pd.DataFrame({"unit": [f"U{i}" for i in range(90)],
...                       "cohort": np.repeat([0, 4, 4], 30)})
>>> p = units.merge(pd.DataFrame({"t": range(1, 7)}), how="cross")
>>> a = p["unit"].isin(units["unit"][30:60])
>>> reached = (p["cohort"] > 0) & (p["t"] >= p["cohort"])
>>> p["y"] = rng.normal(size=len(p)) + reached * (1.0 + a)
>>> d = subgroup_difference(p, "y", list(units["unit"][30:60]), list(units["unit"][60:]))
>>> 0.5 < d["estimate"] < 1.5, d["se"] > 0
(True, True)

"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from evalkit.effects.coverage import did_sample
from evalkit.models import staggered_did

#: The differences of notebook 04: finding topic → (group a, group b), read "a minus b".
DIFFERENCES: dict[str, tuple[str, str]] = {
    "difference_mentoring": ("mentoring_with", "mentoring_without"),
    "difference_difficulty": ("difficulty_low", "difficulty_high"),
}

#: Columns of :func:`subgroup_differences`.
DIFFERENCE_COLUMNS = ["topic", "outcome", "group_a", "group_b", "estimate_a", "estimate_b",
                      "estimate", "se", "ci_low", "ci_high", "n_units", "n_units_shared"]


def simple_att_contributions(result, units: Sequence) -> tuple[float, pd.Series]:
    """The simple aggregate ATT of a staggered DiD fit and each unit's contribution to it.

    The contribution is the unit's influence on R ``aggte(type="simple")`` — the cohort-size
    weighted ATT(g, t) after the roll-out, including the estimation effect of the weights —
    divided by the number of units, so that the square root of the sum of squares is the
    analytical standard error.

    Parameters
    ----------
    result : evalkit.models.did.StaggeredDidResult
        The fit.
    units : sequence
        Unit ids of the fit's influence rows (:func:`~evalkit.effects.coverage.did_units_used`).

    Returns
    -------
    (float, pandas.Series)
        The estimate and the contributions indexed by unit.

    Examples
    --------
    See the module docstring and ``tests/test_effects_findings.py`` (it equals
    ``result.aggregate("simple")``).

    """
    att_gt = result.att_gt
    groups = att_gt["group"].to_numpy()
    post = np.flatnonzero(groups <= att_gt["time"].to_numpy())
    att = att_gt["att"].to_numpy()[post]
    share = np.array([result.group_share[g] for g in groups[post]])
    weights = share / share.sum()
    # R did's wif: the weights are cohort shares estimated from the same units
    member = (np.asarray(result.unit_group)[:, None] == groups[post][None, :]).astype(float)
    wif = (member - share) / share.sum() - np.outer((member - share).sum(axis=1),
                                                    share / share.sum() ** 2)
    influence = result.influence[:, post] @ weights + wif @ att
    n = result.influence.shape[0]
    return float(weights @ att), pd.Series(influence / n, index=pd.Index(units))


def _subgroup_data(panel: pd.DataFrame, y: str, members: Sequence, unit: str, cohort: str
                   ) -> tuple[pd.DataFrame, pd.Index]:
    """Rows of a subgroup's fit (its reached units and the never-reached) and its units."""
    never = panel.loc[panel[cohort] == 0, unit].unique()
    units_in = pd.Index(pd.unique(np.concatenate([np.asarray(members, dtype=object),
                                                  np.asarray(never, dtype=object)])))
    keep = panel[unit].isin(units_in) & panel[y].notna()
    return panel[keep], units_in


def subgroup_fit(panel: pd.DataFrame, y: str, members: Sequence, unit: str = "unit",
                 time: str = "t", cohort: str = "cohort",
                 did_options: Mapping | None = None) -> dict:
    """Callaway–Sant'Anna fit of one subgroup of reached units against the never reached.

    The one definition of a subgroup's estimate: its reached units and the never-reached
    units (with the default ``control_group``, its own units not yet reached too).

    Returns
    -------
    dict
        ``result``, ``estimate``, ``contributions`` (per unit, see
        :func:`simple_att_contributions`) and ``sample`` (the sample columns).

    Examples
    --------
    See ``tests/test_effects_findings.py``.

    """
    options = dict(did_options or {})
    data, units_in = _subgroup_data(panel, y, members, unit, cohort)
    result = staggered_did(data, y, unit, time, cohort, **options)
    estimate, contributions = simple_att_contributions(result, result.units)
    sample = did_sample(result, units_in)
    return {"result": result, "estimate": estimate, "contributions": contributions,
            "sample": sample}


def subgroup_fits(panel: pd.DataFrame, outcomes: Sequence[str],
                  groups: Mapping[str, Sequence], unit: str = "unit", time: str = "t",
                  cohort: str = "cohort",
                  did_options: Mapping | None = None) -> dict[tuple[str, str], dict]:
    """:func:`subgroup_fit` of every outcome × subgroup, once, keyed ``(outcome, subgroup)``.

    Both the subgroup effects (:func:`~evalkit.effects.unit_subgroup_effects`) and their
    differences (:func:`subgroup_differences`) are read from these fits.

    Examples
    --------
    See ``tests/test_effects_findings.py``.

    """
    return {(outcome, name): subgroup_fit(panel, outcome, members, unit, time, cohort,
                                          did_options)
            for outcome in outcomes for name, members in groups.items()}


def difference_of_fits(fit_a: Mapping, fit_b: Mapping, alpha: float = 0.05) -> dict:
    """Estimate a − b of two subgroup fits and its normal interval from joint influence.

    Examples
    --------
    >>> a = {"estimate": 2.0, "contributions": pd.Series([0.3, -0.3, 0.1], index=list("ABC"))}
    >>> b = {"estimate": 1.0, "contributions": pd.Series([0.1, -0.1], index=list("CD"))}
    >>> d = difference_of_fits(a, b)
    >>> d["estimate"], round(d["se"] ** 2, 6)  # 0.3² + 0.3² + (0.1 − 0.1)² + 0.1²
    (1.0, 0.19)

    """
    ca, cb = fit_a["contributions"], fit_b["contributions"]
    units = ca.index.union(cb.index)
    joint = ca.reindex(units, fill_value=0.0) - cb.reindex(units, fill_value=0.0)
    estimate = float(fit_a["estimate"] - fit_b["estimate"])
    se = float(np.sqrt(np.sum(joint.to_numpy() ** 2)))
    z = stats.norm.ppf(1 - alpha / 2)
    return {"estimate": estimate, "se": se, "ci_low": estimate - z * se,
            "ci_high": estimate + z * se, "n_units": int(len(units)),
            "n_units_shared": int(len(ca.index.intersection(cb.index)))}


def subgroup_difference(panel: pd.DataFrame, y: str, members_a: Sequence,
                        members_b: Sequence, unit: str = "unit", time: str = "t",
                        cohort: str = "cohort", did_options: Mapping | None = None,
                        alpha: float = 0.05) -> dict:
    """Effect in subgroup a minus effect in subgroup b, with the interval of the difference.

    Parameters
    ----------
    panel : pandas.DataFrame
        Unit × period panel.
    y : str
        Outcome.
    members_a, members_b : sequence
        Reached units of the two subgroups (each fit adds the never-reached units).
    unit, time, cohort : str
        Keys and roll-out cohort.
    did_options : mapping, optional
        Further arguments of :func:`~evalkit.models.staggered_did` (both fits).
    alpha : float
        1 − confidence level.

    Returns
    -------
    dict
        ``estimate_a``, ``estimate_b``, ``estimate`` (a − b), ``se``, ``ci_low``,
        ``ci_high``, ``n_units`` (in either fit), ``n_units_shared``.

    Examples
    --------
    See the module docstring.

    """
    fit_a = subgroup_fit(panel, y, members_a, unit, time, cohort, did_options)
    fit_b = subgroup_fit(panel, y, members_b, unit, time, cohort, did_options)
    return {"estimate_a": fit_a["estimate"], "estimate_b": fit_b["estimate"],
            **difference_of_fits(fit_a, fit_b, alpha)}


def subgroup_differences(panel: pd.DataFrame, outcomes: Sequence[str],
                         groups: Mapping[str, Sequence],
                         differences: Mapping[str, tuple[str, str]] = DIFFERENCES,
                         unit: str = "unit", time: str = "t", cohort: str = "cohort",
                         did_options: Mapping | None = None,
                         fits: Mapping[tuple[str, str], dict] | None = None) -> pd.DataFrame:
    """The differences of notebook 04 for each outcome (:data:`DIFFERENCE_COLUMNS`).

    Parameters
    ----------
    panel : pandas.DataFrame
        Unit × period panel.
    outcomes : sequence of str
        Outcomes.
    groups : mapping subgroup → units
        E.g. :func:`~evalkit.effects.subgroup_units`.
    differences : mapping topic → (group a, group b)
        Which differences, read a minus b (default :data:`DIFFERENCES`).
    unit, time, cohort : str
        Keys and roll-out cohort.
    did_options : mapping, optional
        Further arguments of :func:`~evalkit.models.staggered_did`.
    fits : mapping, optional
        :func:`subgroup_fits` already made (e.g. for the subgroup effects); fitted here
        when omitted.

    Examples
    --------
    See ``tests/test_effects_findings.py``.

    """
    if fits is None:
        used = {g: groups[g] for pair in differences.values() for g in pair}
        fits = subgroup_fits(panel, outcomes, used, unit, time, cohort, did_options)
    rows = []
    for outcome in outcomes:  # a few outcomes × two differences
        for topic, (a, b) in differences.items():
            fit_a, fit_b = fits[(outcome, a)], fits[(outcome, b)]
            rows.append({"topic": topic, "outcome": outcome, "group_a": a, "group_b": b,
                         "estimate_a": fit_a["estimate"], "estimate_b": fit_b["estimate"],
                         **difference_of_fits(fit_a, fit_b)})
    return pd.DataFrame(rows, columns=DIFFERENCE_COLUMNS)


__all__ = ["DIFFERENCES", "DIFFERENCE_COLUMNS", "difference_of_fits",
           "simple_att_contributions", "subgroup_difference", "subgroup_differences",
           "subgroup_fit", "subgroup_fits"]
