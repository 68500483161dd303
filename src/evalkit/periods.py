"""Period arithmetic: the one definition of quarters, semesters and years.

SKM periods are written ``2024Q3`` (quarter), ``2024S1`` (semester) or ``2024`` (year);
``schemas.PERIOD_PATTERN`` accepts the three. A table holds one granularity: units that
survey twice a year publish semesters, and everything computed per period (the IKM, the
sample's reference population, the panel) follows the granularity of the table it starts
from. Monthly records (``kinerja_layanan.bulan``, ``YYYY-MM``) are aggregated into it.

Every period is also an integer *ordinal* — ``year × periods per year + (index − 1)`` — so
that shifting, ranges and the panel's ``t`` are integer arithmetic on whole columns.

Examples
--------
>>> p = pd.Series(["2024S2", "2025S1"])
>>> granularity_of(p), shift(p, 1).tolist()
('semester', ['2025S1', '2025S2'])
>>> coarsen(pd.Series(["2024Q4"]), "semester").tolist()
['2024S2']

"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

Granularity = Literal["quarter", "semester", "year"]

#: The granularities, finest first (the ``period`` key of ``sources.yaml`` takes these).
GRANULARITIES: tuple[str, ...] = ("quarter", "semester", "year")
#: Periods in a calendar year.
PER_YEAR: dict[str, int] = {"quarter": 4, "semester": 2, "year": 1}
#: The letter between the year and the period's number (a year has none).
_MARK: dict[str, str] = {"quarter": "Q", "semester": "S", "year": ""}
_PATTERN: dict[str, str] = {"quarter": r"\d{4}Q[1-4]", "semester": r"\d{4}S[12]",
                            "year": r"\d{4}"}
#: The granularity assumed when a table has no period at all (the bundled data's).
DEFAULT_GRANULARITY: Granularity = "quarter"
#: Plural nouns, for texts that name the periods ("30 units × 12 quarters").
PLURAL: dict[str, str] = {"quarter": "quarters", "semester": "semesters", "year": "years"}
#: The name of one period in figure texts, per language and granularity.
PERIOD_NAME: dict[str, dict[str, str]] = {
    "id": {"quarter": "triwulan", "semester": "semester", "year": "tahun"},
    "en": {"quarter": "quarter", "semester": "semester", "year": "year"}}


def _as_str(periods) -> pd.Series:
    """Period strings as a ``str`` Series (keeps a Series' index; categoricals become text)."""
    if isinstance(periods, pd.Series):
        return periods.astype("str")
    return pd.Series(list(periods) if not isinstance(periods, str) else [periods],
                     dtype="str")


def check_granularity(granularity: str) -> Granularity:
    """Return ``granularity`` if it is one of :data:`GRANULARITIES`, else raise ValueError.

    Examples
    --------
    >>> check_granularity("semester")
    'semester'

    """
    if granularity not in PER_YEAR:
        raise ValueError(f"period granularity {granularity!r} is not one of "
                         f"{', '.join(GRANULARITIES)}.")
    return granularity  # type: ignore[return-value]


def granularity_of(periods) -> Granularity:
    """Detect the granularity of period strings; refuse a mix or an unknown form.

    Parameters
    ----------
    periods : Series or sequence of str
        Period strings; missing values are ignored.

    Returns
    -------
    {"quarter", "semester", "year"}
        :data:`DEFAULT_GRANULARITY` when there is no period at all.

    Raises
    ------
    ValueError
        Values that are no period, or periods of more than one granularity (both named).

    Examples
    --------
    >>> granularity_of(["2024Q1", "2024Q2"]), granularity_of(["2024"])
    ('quarter', 'year')
    >>> granularity_of(["2024Q1", "2024S2"])
    Traceback (most recent call last):
    ...
    ValueError: periods mix granularities: quarter (e.g. 2024Q1), semester (e.g. 2024S2); \
a table holds one (sources.yaml `period:` sets it for SKM).

    """
    values = pd.Series(_as_str(periods).dropna().unique(), dtype="str")
    if values.empty:
        return DEFAULT_GRANULARITY
    kind = pd.Series(np.select(
        [values.str.fullmatch(_PATTERN[g]).to_numpy(dtype=bool) for g in GRANULARITIES],
        list(GRANULARITIES), default=""), index=values.index)
    if (kind == "").any():
        bad = ", ".join(values[kind == ""].head(5))
        raise ValueError(f"not a period: {bad} (write 2024Q3, 2024S1 or 2024).")
    found = kind.drop_duplicates()
    if len(found) > 1:
        examples = ", ".join(f"{g} (e.g. {values[kind == g].min()})"
                             for g in GRANULARITIES if g in set(found))
        raise ValueError(f"periods mix granularities: {examples}; a table holds one "
                         "(sources.yaml `period:` sets it for SKM).")
    return found.iloc[0]


def ordinal(periods, granularity: str | None = None) -> np.ndarray:
    """Integer ordinals of period strings: ``year × periods per year + (index − 1)``.

    Consecutive periods have consecutive ordinals, so differences count periods. Missing
    periods give NaN (the array is then float64, else int64).

    Examples
    --------
    >>> ordinal(["2024Q1", "2024Q4", "2025Q1"]).tolist()
    [8096, 8099, 8100]
    >>> ordinal(["2024S2"]).tolist(), ordinal(["2024"]).tolist()
    ([4049], [2024])

    """
    text = _as_str(periods)
    granularity = check_granularity(granularity or granularity_of(text))
    year = pd.to_numeric(text.str[:4]).to_numpy(dtype="float64")
    index = (pd.to_numeric(text.str[5:6]).to_numpy(dtype="float64")
             if granularity != "year" else np.ones(len(text)))
    result = year * PER_YEAR[granularity] + index - 1
    return result.astype("int64") if not np.isnan(result).any() else result


def from_ordinal(ordinals, granularity: str, index: pd.Index | None = None) -> pd.Series:
    """Period strings of integer ordinals (:func:`ordinal`'s inverse); NaN stays missing.

    Examples
    --------
    >>> from_ordinal([8099, 8100], "quarter").tolist(), from_ordinal([4049], "semester").tolist()
    (['2024Q4', '2025Q1'], ['2024S2'])

    """
    per_year = PER_YEAR[check_granularity(granularity)]
    values = np.asarray(ordinals, dtype="float64")
    missing = np.isnan(values)
    whole = np.where(missing, 0, values).astype("int64")
    year = pd.Series(whole // per_year, index=index).astype("str")
    text = year if per_year == 1 else (
        year + _MARK[granularity] + pd.Series(whole % per_year + 1, index=index).astype("str"))
    return text.where(~missing).astype("str")


def shift(periods, n: int) -> pd.Series:
    """Shift periods by ``n`` periods of their own granularity.

    Examples
    --------
    >>> shift(pd.Series(["2024S2", "2024S1"]), 1).tolist()
    ['2025S1', '2024S2']
    >>> shift(pd.Series(["2024Q1"]), -1).tolist(), shift(pd.Series(["2024"]), 2).tolist()
    (['2023Q4'], ['2026'])

    """
    text = _as_str(periods)
    granularity = granularity_of(text)
    return from_ordinal(ordinal(text, granularity) + n, granularity, index=text.index)


def period_range(first: str, last: str) -> list[str]:
    """Every period from ``first`` to ``last`` (inclusive; both of one granularity).

    Examples
    --------
    >>> period_range("2024Q3", "2025Q2")
    ['2024Q3', '2024Q4', '2025Q1', '2025Q2']
    >>> period_range("2023S2", "2024S2")
    ['2023S2', '2024S1', '2024S2']

    """
    granularity = granularity_of([first, last])
    start, stop = ordinal([first, last], granularity)
    return from_ordinal(np.arange(start, stop + 1), granularity).tolist()


def period_of(dates, granularity: str = DEFAULT_GRANULARITY) -> pd.Series:
    """Dates → period strings of ``granularity`` (missing dates give missing periods).

    Parameters
    ----------
    dates : Series or array-like of datetime (or parseable text)
        The dates; a Series keeps its index.
    granularity : {"quarter", "semester", "year"}, default "quarter"
        The periods wanted.

    Returns
    -------
    pandas.Series of str

    Examples
    --------
    >>> d = pd.Series(pd.to_datetime(["2024-02-01", "2024-08-17", None]))
    >>> period_of(d).tolist(), period_of(d, "semester").tolist(), period_of(d, "year").tolist()
    (['2024Q1', '2024Q3', nan], ['2024S1', '2024S2', nan], ['2024', '2024', nan])

    """
    per_year = PER_YEAR[check_granularity(granularity)]
    when = pd.to_datetime(dates if isinstance(dates, pd.Series) else pd.Series(dates))
    year = when.dt.year.to_numpy(dtype="float64", na_value=np.nan)
    month = when.dt.month.to_numpy(dtype="float64", na_value=np.nan)
    # months 1–12 → 0-based period in the year: (month − 1) // (12 / periods per year)
    return from_ordinal(year * per_year + (month - 1) // (12 // per_year), granularity,
                        index=when.index)


def period_of_month(bulan, granularity: str = DEFAULT_GRANULARITY) -> pd.Series:
    """Monthly ``YYYY-MM`` (``kinerja_layanan.bulan``) → the period containing each month.

    Examples
    --------
    >>> period_of_month(pd.Series(["2024-06", "2024-07"]), "semester").tolist()
    ['2024S1', '2024S2']

    """
    months = _as_str(bulan)
    # a month that is not YYYY-MM has no period (the reader has already reported it)
    return period_of(pd.to_datetime(months + "-01", format="%Y-%m-%d", errors="coerce"),
                     granularity)


def coarsen(periods, granularity: str) -> pd.Series:
    """Periods → the (same or coarser) ``granularity`` containing them.

    Raises ValueError when asked for a finer granularity (a year has no one quarter).

    Examples
    --------
    >>> coarsen(pd.Series(["2024Q2", "2024Q4"]), "semester").tolist()
    ['2024S1', '2024S2']
    >>> coarsen(pd.Series(["2024S2"]), "year").tolist()
    ['2024']

    """
    text = _as_str(periods)
    source = granularity_of(text)
    target = check_granularity(granularity)
    if PER_YEAR[target] > PER_YEAR[source] or PER_YEAR[source] % PER_YEAR[target]:
        raise ValueError(f"cannot turn {source} periods into {target}s: {target}s are "
                         f"finer; give the {target}s (or their dates) instead.")
    factor = PER_YEAR[source] // PER_YEAR[target]
    return from_ordinal(ordinal(text, source) // factor, target, index=text.index)


def in_granularity(monthly: pd.DataFrame, granularity: str) -> pd.Series:
    """Give each row of a monthly table (``kinerja_layanan``) its period of ``granularity``.

    The table's own ``period`` is used when it already has that granularity; otherwise the
    month (``bulan``, ``YYYY-MM``) gives it, or, without ``bulan``, the ``period`` is
    coarsened (:func:`coarsen`).

    Examples
    --------
    >>> k = pd.DataFrame({"bulan": ["2024-03", "2024-11"], "period": ["2024Q1", "2024Q4"]})
    >>> in_granularity(k, "semester").tolist(), in_granularity(k[["period"]], "year").tolist()
    (['2024S1', '2024S2'], ['2024', '2024'])

    """
    target = check_granularity(granularity)
    if "period" in monthly and (granularity_of(monthly["period"]) == target
                                or "bulan" not in monthly):
        return coarsen(monthly["period"], target)
    return period_of_month(monthly["bulan"], target)


def year_start(years, granularity: str = DEFAULT_GRANULARITY) -> np.ndarray:
    """Ordinal of the first period of each (integer) year.

    Examples
    --------
    >>> year_start(np.array([2024]), "quarter").tolist(), year_start([2024], "semester").tolist()
    ([8096], [4048])

    """
    return np.asarray(years, dtype="int64") * PER_YEAR[check_granularity(granularity)]


def _calendar(periods) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Year, first month and length in months of each period (granularities may differ)."""
    text = _as_str(periods)
    mark = text.str[4:5]
    index = pd.to_numeric(text.str[5:6].where(mark.isin(["Q", "S"])))
    months = pd.Series(np.select([(mark == "Q").to_numpy(dtype=bool),
                                  (mark == "S").to_numpy(dtype=bool)], [3, 6], default=12),
                       index=text.index)
    first = ((index - 1) * months + 1).fillna(1)
    return pd.to_numeric(text.str[:4]), first, months


def period_start(periods) -> pd.Series:
    """First day of each period.

    Examples
    --------
    >>> period_start(pd.Series(["2024S2", "2024Q4", "2024"])).dt.strftime("%Y-%m-%d").tolist()
    ['2024-07-01', '2024-10-01', '2024-01-01']

    """
    year, first, _ = _calendar(periods)
    return pd.to_datetime(pd.DataFrame({"year": year, "month": first, "day": 1}))


def period_end(periods) -> pd.Series:
    """Last day of each period (at midnight).

    Examples
    --------
    >>> period_end(pd.Series(["2024S1", "2024Q4", "2023"])).dt.strftime("%Y-%m-%d").tolist()
    ['2024-06-30', '2024-12-31', '2023-12-31']

    """
    year, first, months = _calendar(periods)
    last_month = pd.to_datetime(pd.DataFrame({"year": year, "month": first + months - 1,
                                              "day": 1}))
    return last_month + pd.offsets.MonthEnd(0)


__all__ = ["DEFAULT_GRANULARITY", "GRANULARITIES", "PERIOD_NAME", "PER_YEAR", "PLURAL",
           "Granularity",
           "check_granularity", "coarsen", "from_ordinal", "granularity_of", "in_granularity",
           "ordinal",
           "period_end", "period_of", "period_of_month", "period_range", "period_start",
           "shift", "year_start"]
