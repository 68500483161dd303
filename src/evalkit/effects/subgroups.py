"""The unit subgroups of notebook 04 (also used by notebook 05 via :mod:`evalkit.interviews`).

Reached units split by reported difficulty applying the course and by mentoring.

Examples
--------
>>> import pandas as pd
>>> p = pd.DataFrame({"unit": list("AB"), "t": 1, "cohort": [1, 1],
...                   "share_difficulty": [0.1, 0.4], "share_mentored": [0.3, 0.0]})
>>> list(subgroup_units(p)) == list(SUBGROUPS)
True

"""

from __future__ import annotations

import pandas as pd

#: The four subgroups, in the order notebook 04 shows them: difficulty (high, low), then
#: mentoring (with, without). Their effects are the estimands ``att_<subgroup>``.
SUBGROUPS: tuple[str, ...] = ("difficulty_high", "difficulty_low", "mentoring_with",
                              "mentoring_without")


def median_split(panel: pd.DataFrame, column: str, labels: tuple[str, str],
                 unit: str = "unit", time: str = "t", cohort: str = "cohort"
                 ) -> dict[str, list[str]]:
    """Reached units split at the median of ``column`` in each unit's last quarter.

    Each unit reached by the roll-out (``cohort`` > 0) is classed by its value in its last
    quarter: at or above the median of reached units → ``labels[0]``, below (or missing)
    → ``labels[1]``. Never-reached units are in neither group (they are the controls).

    Parameters
    ----------
    panel : pandas.DataFrame
        ``panel_unit_period`` (``unit``, ``t``, ``cohort``, ``column``).
    column : str
        The unit characteristic, e.g. ``"share_mentored"``.
    labels : (str, str)
        Names of the high and the low group.
    unit, time, cohort : str
        Keys and the roll-out cohort (0 = never reached).

    Returns
    -------
    dict
        ``{labels[0]: [units], labels[1]: [units]}``, units sorted.

    Examples
    --------
    >>> p = pd.DataFrame({"unit": list("ABCD"), "t": 4, "cohort": [2, 3, 3, 0],
    ...                   "x": [0.1, 0.4, 0.3, 0.9]})
    >>> median_split(p, "x", ("high", "low"))
    {'high': ['B', 'C'], 'low': ['A']}

    """
    last = panel.sort_values([unit, time]).groupby(unit).tail(1)
    reached = last[last[cohort].gt(0)]
    high = (reached[column] >= reached[column].median()).to_numpy(dtype=bool)
    return {labels[0]: sorted(reached.loc[high, unit]),
            labels[1]: sorted(reached.loc[~high, unit])}


def difficulty_groups(panel: pd.DataFrame, column: str = "share_difficulty"
                      ) -> dict[str, list[str]]:
    """Reached units split at the median of their questionnaire difficulty.

    The single definition of the difficulty subgroups: each reached unit (``cohort`` > 0)
    is classed by its last quarter's ``share_difficulty`` (level-3 questionnaires reporting
    difficulty applying the course): at or above the median of reached units →
    ``difficulty_high``, below → ``difficulty_low``. Notebook 04 estimates their effects
    (estimands ``att_difficulty_high`` / ``att_difficulty_low`` in ``effects``); notebook 05
    pools its interviews by the same groups.

    Examples
    --------
    >>> p = pd.DataFrame({"unit": list("ABCD"), "t": 4, "cohort": [2, 3, 3, 0],
    ...                   "share_difficulty": [0.1, 0.4, 0.3, 0.9]})
    >>> difficulty_groups(p)
    {'difficulty_high': ['B', 'C'], 'difficulty_low': ['A']}

    """
    return median_split(panel, column, ("difficulty_high", "difficulty_low"))


def mentoring_groups(panel: pd.DataFrame, column: str = "share_mentored"
                     ) -> dict[str, list[str]]:
    """Reached units split at the median share of staff mentored (last quarter).

    Examples
    --------
    >>> p = pd.DataFrame({"unit": list("ABC"), "t": 4, "cohort": [2, 3, 3],
    ...                   "share_mentored": [0.0, 0.5, 0.2]})
    >>> mentoring_groups(p)
    {'mentoring_with': ['B', 'C'], 'mentoring_without': ['A']}

    """
    return median_split(panel, column, ("mentoring_with", "mentoring_without"))


def subgroup_units(panel: pd.DataFrame) -> dict[str, list[str]]:
    """Return the four subgroups of notebook 04 in one mapping (difficulty, then mentoring).

    See :func:`difficulty_groups` and :func:`mentoring_groups`.

    Examples
    --------
    >>> p = pd.DataFrame({"unit": list("AB"), "t": 1, "cohort": [1, 1],
    ...                   "share_difficulty": [0.1, 0.4], "share_mentored": [0.3, 0.0]})
    >>> subgroup_units(p)["mentoring_with"]
    ['A']

    """
    return {**difficulty_groups(panel), **mentoring_groups(panel)}


__all__ = ["SUBGROUPS", "difficulty_groups", "median_split", "mentoring_groups",
           "subgroup_units"]
