"""Which units and observations each estimate of notebook 04 used, and which it left out.

Nothing leaves an estimate silently: every ``effects`` row carries the :data:`SAMPLE_COLUMNS`
(``n_units``, ``n_obs``, ``n_units_left_out``, ``left_out_reason``). The units *in* are the
estimate's intended sample (the panel's units, or a subgroup's units with the comparison
units); ``n_units_left_out`` is always units in − units used, and ``left_out_reason`` counts
them by reason code (``incomplete_series: 10; no_observation: 1``).

For the staggered DiD the units used come from the result itself: its ``units`` (one per row
of the influence function) when the estimator records them, otherwise the balanced-panel
rule of :func:`evalkit.models.staggered_did` (a complete series of the outcome, not treated
in the first period), checked against the result's ``n_units``.

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

import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from evalkit.effects.codes import SAMPLE_COLUMNS

#: Reason codes of units left out of an estimate.
LEFT_OUT_REASONS: dict[str, str] = {
    "no_observation": "no observed value of the outcome",
    "incomplete_series": "a period without the outcome (balanced panel required)",
    "treated_first_period": "reached in the first period (no period before to compare)",
    "no_cohort": "roll-out cohort unknown",
    "not_reached": "never reached: not part of a before/after comparison (by design)",
}

# The staggered DiD may report reasons as text; each maps to a code by a key phrase.
_REASON_PHRASES = {"incomplete": "incomplete_series", "first period": "treated_first_period",
                   "no observed": "no_observation", "first_treated missing": "no_cohort"}


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


def _reason_code(text: str) -> str:
    """The code of a reason given as text (an unknown text becomes a lower_snake code)."""
    for phrase, code in _REASON_PHRASES.items():
        if phrase in str(text):
            return code
    return re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_") or "unknown"


def _balanced_did_reasons(data: pd.DataFrame, y: str, unit: str, time: str, cohort: str,
                          anticipation: int) -> pd.Series:
    """Reason code of each unit of ``data`` the balanced-panel DiD leaves out (NA: used)."""
    periods = data[time].dropna().unique()
    observed = data[data[y].notna()]
    in_data = pd.Index(data[unit].unique())
    # the estimator sees only the rows handed to it; its periods are those rows' periods
    counts = observed.groupby(unit).size().reindex(in_data, fill_value=0)
    first_t, last_t = observed[time].min(), observed[time].max()
    g = data.groupby(unit)[cohort].first().reindex(in_data)
    g = g.where(g <= last_t, 0)
    reason = pd.Series(pd.NA, index=in_data, dtype=object)
    reason[g.isna()] = "no_cohort"
    reason[reason.isna() & counts.eq(0)] = "no_observation"
    seen = observed[time].nunique() if len(observed) else len(periods)
    reason[reason.isna() & counts.lt(seen)] = "incomplete_series"
    reason[reason.isna() & g.gt(0) & g.le(first_t + anticipation)] = "treated_first_period"
    return reason


def did_units_used(result, data: pd.DataFrame, y: str, unit: str = "unit", time: str = "t",
                   cohort: str = "cohort", anticipation: int = 0
                   ) -> tuple[pd.Index, pd.Series]:
    """Units a staggered DiD used (aligned with its influence rows) and why others left.

    Parameters
    ----------
    result : evalkit.models.did.StaggeredDidResult
        The fit on ``data``.
    data : pandas.DataFrame
        The rows handed to :func:`~evalkit.models.staggered_did`.
    y, unit, time, cohort : str
        Its outcome, keys and cohort column.
    anticipation : int
        Its ``anticipation`` (first-period rule of the balanced panel).

    Returns
    -------
    (pandas.Index, pandas.Series)
        Units used, in the order of ``result.influence`` rows; reason code of each unit of
        ``data`` left out.

    Raises
    ------
    RuntimeError
        When the units found do not match ``result.n_units``.

    Examples
    --------
    See ``tests/test_effects_findings.py``.

    """
    recorded = getattr(result, "units", None)
    if recorded is not None:
        used = pd.Index(recorded)
        left = getattr(result, "left_out", None)
        reasons = (pd.Series(left["reason"].map(_reason_code).to_numpy(), index=left["unit"])
                   if left is not None and len(left) else pd.Series(dtype=object))
    else:
        reason = _balanced_did_reasons(data, y, unit, time, cohort, anticipation)
        used = reason.index[reason.isna()].sort_values()  # pivot order of the estimator
        reasons = reason.dropna()
    if len(used) != result.n_units:
        raise RuntimeError(f"staggered_did used {result.n_units} units of {y!r} but "
                           f"{len(used)} were identified; cannot attribute its influence "
                           "function to units.")
    return used, reasons


def did_sample(result, data: pd.DataFrame, y: str, units_in: Iterable, unit: str = "unit",
               time: str = "t", cohort: str = "cohort", anticipation: int = 0) -> dict:
    """Sample columns of a staggered DiD fit (units from the result, see module notes).

    ``n_obs`` is the result's own count when it records one, else the observed rows of the
    units used.

    Examples
    --------
    See ``tests/test_effects_findings.py``.

    """
    used, reasons = did_units_used(result, data, y, unit, time, cohort, anticipation)
    n_obs = int(getattr(result, "n_obs", 0) or 0)
    if not n_obs:
        n_obs = int((data[unit].isin(used) & data[y].notna()).sum())
    return sample_columns(units_in, used, n_obs, reasons)


__all__ = ["LEFT_OUT_REASONS", "did_sample", "did_units_used", "left_out_reason",
           "panel_is_balanced", "regression_sample", "sample_columns"]
