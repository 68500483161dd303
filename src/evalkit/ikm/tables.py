"""Display tables of the IKM study (notebook 02).

The survey per quarter, grades per quarter, the grades that depend on the element weight,
and the city's elements over recent quarters. Each takes processed tables and returns a small
frame ready to show; the published versions of unit-level tables go through
:mod:`evalkit.privacy` as the notebook says.

Examples
--------
>>> skm = pd.DataFrame({"response_id": ["a", "b"], "unit": ["A", "B"],
...                     "period": ["2024Q1"] * 2, **{f"u{k}": [3, None] for k in range(1, 10)}})
>>> survey_overview(skm).to_dict("index")
{'2024Q1': {'responses': 2, 'units': 2, 'blank_answers': 9}}

"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from evalkit.ikm.elements import ELEMENTS, UNSUR, UNSUR_EN
from evalkit.ikm.index import compute_ikm, ikm_elements
from evalkit.labels import Lang
from evalkit.privacy import publishable_rows


def survey_overview(responses: pd.DataFrame) -> pd.DataFrame:
    """Responses, units and blank answers per period.

    Parameters
    ----------
    responses : pandas.DataFrame
        Processed SKM responses (``response_id``, ``unit``, ``period``, ``u1``…``u9``).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``period`` (sorted): ``responses``, ``units`` (distinct units) and
        ``blank_answers`` (blank element answers, all elements together).

    Examples
    --------
    >>> skm = pd.DataFrame({"response_id": ["a", "b", "c"], "unit": ["A", "A", "B"],
    ...                     "period": ["2024Q2", "2024Q1", "2024Q2"],
    ...                     **{f"u{k}": [3, 4, None if k < 3 else 2] for k in range(1, 10)}})
    >>> survey_overview(skm).to_dict("index")
    {'2024Q1': {'responses': 1, 'units': 1, 'blank_answers': 0}, \
'2024Q2': {'responses': 2, 'units': 2, 'blank_answers': 2}}

    """
    blank = responses[list(ELEMENTS)].isna().sum(axis=1)
    return (responses.assign(blank_answers=blank)
            .groupby("period")
            .agg(responses=("response_id", "size"), units=("unit", "nunique"),
                 blank_answers=("blank_answers", "sum")))


def grade_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Units per grade and period, and how many unit-periods reach the minimum sample.

    Parameters
    ----------
    table : pandas.DataFrame
        The ``ikm_unit_period`` table (``period``, ``mutu``, ``sample_adequate``).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``period``: one column per grade present (units with that grade), then
        ``sample_adequate`` (unit-periods reaching the Krejcie & Morgan minimum) and
        ``sample_judged`` (unit-periods with a known minimum).

    Examples
    --------
    >>> t = pd.DataFrame({"period": ["2024Q1", "2024Q1", "2024Q2"], "mutu": ["A", "B", "B"],
    ...                   "sample_adequate": pd.array([True, None, False], dtype="boolean")})
    >>> grade_counts(t).to_dict("index")
    {'2024Q1': {'A': 1, 'B': 1, 'sample_adequate': 1, 'sample_judged': 1}, \
'2024Q2': {'A': 0, 'B': 1, 'sample_adequate': 0, 'sample_judged': 1}}

    """
    counts = pd.crosstab(table["period"], table["mutu"])
    adequate = table.groupby("period")["sample_adequate"]
    counts["sample_adequate"] = adequate.sum()
    counts["sample_judged"] = adequate.count()
    return counts


def weight_comparison(responses: pd.DataFrame, table: pd.DataFrame, weight: str = "exact",
                      *, min_cell_size: int = 5) -> pd.DataFrame:
    """Unit-periods whose grade differs between the exact 1/9 and the printed 0.111 weight.

    Parameters
    ----------
    responses : pandas.DataFrame
        Processed SKM responses.
    table : pandas.DataFrame
        The IKM per unit and period computed with ``weight`` (``unit``, ``period``,
        ``n_responses``, ``ikm``, ``mutu``).
    weight : {"exact", "rounded"}, default "exact"
        The weight ``table`` was computed with; the other one is computed here.
    min_cell_size : int, default 5
        Unit-periods with fewer responses are left out (they are not published).

    Returns
    -------
    pandas.DataFrame
        ``unit``, ``period``, ``ikm_<weight>``, ``mutu_<weight>``, ``ikm_<other>``,
        ``mutu_<other>``, for the unit-periods whose grade differs.

    Examples
    --------
    DOMAIN.md §1: an NRR of 3.5324 in every element gives 88.31 (A) with 1/9 and 88.22 (B)
    with 0.111 (5,324 fours and 4,676 threes).

    >>> skm = pd.DataFrame({"unit": "A", "period": "2024Q1",
    ...                     **{f"u{k}": [4] * 5324 + [3] * 4676 for k in range(1, 10)}})
    >>> weight_comparison(skm, compute_ikm(skm)).to_dict("records")
    [{'unit': 'A', 'period': '2024Q1', 'ikm_exact': 88.31, 'mutu_exact': 'A', \
'ikm_rounded': 88.22, 'mutu_rounded': 'B'}]

    """
    other = "rounded" if weight == "exact" else "exact"
    keys, shown = ["unit", "period"], ["unit", "period", "ikm", "mutu"]
    recomputed = compute_ikm(responses, by=keys, weight=other)[shown]
    both = publishable_rows(table, min_cell_size)[shown].merge(
        recomputed, on=keys, suffixes=(f"_{weight}", f"_{other}"))
    return both[both[f"mutu_{weight}"] != both[f"mutu_{other}"]].reset_index(drop=True)


def element_trend(responses: pd.DataFrame, periods: Sequence[str], lang: Lang = "id",
                  names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """NRR of each element for the whole city, one column per period.

    Parameters
    ----------
    responses : pandas.DataFrame
        Processed SKM responses.
    periods : sequence of str
        The periods shown (e.g. the last four quarters).
    lang : {"id", "en"}, default "id"
        Language of the element names (:data:`~evalkit.ikm.elements.UNSUR` or ``UNSUR_EN``).
    names : mapping, optional
        Element key → name, instead of the names of ``lang``.

    Returns
    -------
    pandas.DataFrame
        Index ``unsur`` ("u1 Persyaratan", …), columns the periods, values the NRR.

    Examples
    --------
    >>> skm = pd.DataFrame({"period": ["2024Q1", "2024Q2"],
    ...                     **{f"u{k}": [3, 4] for k in range(1, 10)}})
    >>> element_trend(skm, ["2024Q2"], lang="en")["2024Q2"].head(2).to_dict()
    {'u1 Requirements': 4.0, 'u2 Systems, mechanisms and procedures': 4.0}

    """
    names = names or (UNSUR_EN if lang == "en" else UNSUR)
    city = ikm_elements(responses, by="period")
    city = city[city["period"].isin(list(periods))]
    return (city.assign(unsur=city["unsur"] + " " + city["unsur"].map(names))
            .pivot(index="unsur", columns="period", values="nrr"))


__all__ = ["element_trend", "grade_counts", "survey_overview", "weight_comparison"]
