"""Which units and observations each estimate of notebook 04 used, and which it left out.

Nothing leaves an estimate silently: every ``effects`` row carries the :data:`SAMPLE_COLUMNS`
(``n_units``, ``n_obs``, ``n_units_left_out``, ``left_out_reason``). The units *in* are the
estimate's intended sample (the panel's units, or a subgroup's units with the comparison
units); ``n_units_left_out`` is always units in − units used, and ``left_out_reason`` counts
them by reason code (``incomplete_series: 10; no_observation: 1``).

For the staggered DiD the units used and left out come from the result itself: its
``units`` (one per row of the influence function) and ``left_out`` (each unit with the
estimator's reason, mapped to a code).

Examples
--------
>>> import pandas as pd
>>> p = pd.DataFrame({"unit": list("AABB"), "t": [1, 2] * 2, "y": [1.0, 2.0, 3.0, None]})
>>> panel_is_balanced(p, ["y"])
False
>>> sample_columns(["A", "B"], ["A"], 2, {"B": "incomplete_series"})
{'n_units': 1, 'n_obs': 2, 'n_units_left_out': 1, 'left_out_reason': 'incomplete_series: 1'}

"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from evalkit.effects.codes import SAMPLE_COLUMNS
from evalkit.models.did import (REASON_EARLY, REASON_INCOMPLETE, REASON_NO_COHORT,
                                REASON_UNOBSERVED)

#: Reason codes of units left out of an estimate.
LEFT_OUT_REASONS: dict[str, str] = {
    "no_observation": "no observed value of the outcome",
    "incomplete_series": "a period without the outcome (balanced panel required)",
    "treated_first_period": "reached in the first period (no period before to compare)",
    "no_cohort": "roll-out cohort unknown",
    "not_reached": "never reached: not part of a before/after comparison (by design)",
}

# The code of each reason the staggered DiD gives for a unit it leaves out.
_DID_REASON_CODES = {REASON_INCOMPLETE: "incomplete_series", REASON_EARLY: "treated_first_period",
                     REASON_UNOBSERVED: "no_observation", REASON_NO_COHORT: "no_cohort"}


def panel_is_balanced(panel: pd.DataFrame, outcomes: Sequence[str] | None = None,
                      unit: str = "unit", time: str = "t") -> bool:
    """Whether every unit has one row with every outcome observed in every period.

    The choice point of notebook 04: on an unbalanced panel the staggered DiD keeps units
    with a missing period (R ``did``'s ``allow_unbalanced_panel=TRUE``) instead of leaving
    them out.

    Parameters
    ----------
    panel : pandas.DataFrame
        Long unit × period panel.
    outcomes : sequence of str, optional
        Outcome columns that must be observed (none: rows only).
    unit, time : str
        Keys.

    Examples
    --------
    >>> p = pd.DataFrame({"unit": list("AABB"), "t": [1, 2, 1, 2], "y": 1.0})
    >>> panel_is_balanced(p, ["y"]), panel_is_balanced(p.iloc[:3])
    (True, False)

    """
    observed = panel.dropna(subset=list(outcomes or []))
    cells = observed[[unit, time]].drop_duplicates()
    n_units, n_periods = panel[unit].nunique(), panel[time].nunique()
    return len(cells) == len(observed) == n_units * n_periods


def left_out_reason(reasons: Iterable[str]) -> str:
    """Count reason codes as ``code: n; code: n`` (alphabetical; "" when none).

    Examples
    --------
    >>> left_out_reason(["no_observation", "incomplete_series", "incomplete_series"])
    'incomplete_series: 2; no_observation: 1'
    >>> left_out_reason([])
    ''

    """
    counts = pd.Series(list(reasons), dtype=object).value_counts().sort_index()
    return "; ".join(f"{code}: {n}" for code, n in counts.items())


def sample_columns(units_in: Iterable, units_used: Iterable, n_obs: int,
                   reasons: Mapping | pd.Series | None = None,
                   default_reason: str = "no_observation") -> dict:
    """The :data:`SAMPLE_COLUMNS` of one estimate.

    Parameters
    ----------
    units_in : iterable
        The estimate's intended sample of units.
    units_used : iterable
        The units it used (a subset of ``units_in``).
    n_obs : int
        Observations used.
    reasons : mapping unit → reason code, optional
        Why a unit was left out; units without one get ``default_reason``.
    default_reason : str
        Reason code of a unit left out without a given reason.

    Raises
    ------
    ValueError
        When a unit used is not in ``units_in``.

    Examples
    --------
    >>> sample_columns(["A", "B", "C"], ["A", "B"], 10)["left_out_reason"]
    'no_observation: 1'

    """
    units_in = pd.Index(pd.unique(np.asarray(list(units_in), dtype=object)))
    used = pd.Index(pd.unique(np.asarray(list(units_used), dtype=object)))
    stray = used.difference(units_in)
    if len(stray):
        raise ValueError(f"Units used but not in the sample: {list(stray[:5])}.")
    left = units_in.difference(used)
    why = pd.Series(reasons if reasons is not None else {}, dtype=object)
    codes = why.reindex(left).fillna(default_reason)
    out = {"n_units": int(len(used)), "n_obs": int(n_obs),
           "n_units_left_out": int(len(left)), "left_out_reason": left_out_reason(codes)}
    assert list(out) == SAMPLE_COLUMNS
    return out


def regression_sample(used: pd.DataFrame, units_in: Iterable, unit: str = "unit",
                      reasons: Mapping | None = None) -> dict:
    """Sample columns of a regression fitted on the rows ``used`` (one row an observation).

    Examples
    --------
    >>> rows = pd.DataFrame({"unit": ["A", "A", "B"]})
    >>> regression_sample(rows, ["A", "B", "C"])["n_units_left_out"]
    1

    """
    return sample_columns(units_in, used[unit], len(used), reasons)


def did_units_used(result) -> tuple[pd.Index, pd.Series]:
    """Units a staggered DiD used (aligned with its influence rows) and why others left.

    Parameters
    ----------
    result : evalkit.models.did.StaggeredDidResult
        The fit.

    Returns
    -------
    (pandas.Index, pandas.Series)
        Units used, in the order of ``result.influence`` rows; the reason code
        (:data:`LEFT_OUT_REASONS`) of each unit of its data left out.

    Examples
    --------
    See ``tests/test_effects_findings.py``.

    """
    left = result.left_out
    reasons = pd.Series(left["reason"].map(_DID_REASON_CODES).to_numpy(), index=left["unit"],
                        dtype=object)
    return pd.Index(result.units), reasons


def did_sample(result, units_in: Iterable) -> dict:
    """Sample columns of a staggered DiD fit against its intended units ``units_in``.

    Examples
    --------
    See ``tests/test_effects_findings.py``.

    """
    used, reasons = did_units_used(result)
    return sample_columns(units_in, used, result.n_obs, reasons)


__all__ = ["LEFT_OUT_REASONS", "did_sample", "did_units_used", "left_out_reason",
           "panel_is_balanced", "regression_sample", "sample_columns"]
