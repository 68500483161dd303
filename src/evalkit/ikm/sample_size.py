"""Is a unit's sample large enough? Krejcie & Morgan (1970) against the service population.

Units read the minimum sample from the Krejcie & Morgan table, with the population being the
service users of the previous period (DOMAIN.md §1); here the users are the unit's
applications in ``kinerja_layanan``.

Examples
--------
>>> krejcie_morgan(500)
217

"""

from __future__ import annotations

from numbers import Real

import numpy as np
import pandas as pd

from evalkit import periods
from evalkit.ikm.grades import NOISE_DECIMALS

#: Krejcie & Morgan (1970) constants: χ² for 1 df at 95%, population proportion, margin.
KM_CHI2, KM_P, KM_D = 3.841, 0.5, 0.05


def krejcie_morgan(population):
    """Minimum sample size for a population, by Krejcie & Morgan (1970).

    s = χ²·N·P(1−P) / (d²(N−1) + χ²·P(1−P)) with χ² = 3.841, P = 0.5, d = 0.05, rounded
    half-up to an integer. This reproduces every row of the published table that DOMAIN.md
    lists except N = 100 000, where the formula gives 383 and the published table prints
    384 (a known quirk of the table: its last rows jump from 382 at 75 000 to 384). We return
    the formula's 383: it is what the rule's formula says, and the table's 384 is not
    reproducible from it.

    Parameters
    ----------
    population : int, Series or array-like
        Service users in the reference period (``N``). Missing stays missing; 0 gives 0.

    Returns
    -------
    int, or Series of nullable ``Int64`` (same index) / numpy array for other array-likes.

    Examples
    --------
    >>> krejcie_morgan(100), krejcie_morgan(1000)
    (80, 278)
    >>> krejcie_morgan(pd.Series([50, None])).tolist()
    [44, <NA>]

    """
    if isinstance(population, Real):
        if np.isnan(population):
            return None
        return int(_km_array(np.array([float(population)]))[0])
    if isinstance(population, pd.Series):
        n = population.to_numpy(dtype="float64", na_value=np.nan)
        sizes = _km_array(n)
        return pd.Series(pd.array(np.where(np.isnan(sizes), None, sizes), dtype="Int64"),
                         index=population.index, name="sample_min")
    return _km_array(np.asarray(population, dtype="float64"))


def _km_array(n: np.ndarray) -> np.ndarray:
    if (n[~np.isnan(n)] < 0).any():
        raise ValueError("krejcie_morgan: population must be 0 or more (service users "
                         "of the reference period).")
    pq = KM_P * (1 - KM_P)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = KM_CHI2 * n * pq / (KM_D**2 * (n - 1) + KM_CHI2 * pq)
    s = np.where(n == 0, 0.0, s)
    return np.floor(np.round(s, NOISE_DECIMALS) + 0.5)


def service_population(kinerja_layanan: pd.DataFrame, lag: int = 1,
                       granularity: str = periods.DEFAULT_GRANULARITY) -> pd.DataFrame:
    """Service users per unit and period from the applications of ``lag`` periods before.

    Parameters
    ----------
    kinerja_layanan : pandas.DataFrame
        Processed ``kinerja_layanan`` (``unit``, ``bulan`` and/or ``period``,
        ``jumlah_permohonan`` per month). The months (``bulan``) are summed into periods of
        ``granularity``; without ``bulan`` its ``period`` is coarsened.
    lag : int, default 1
        1 = the previous period (the regulation's "previous period"); 0 = the same one.
    granularity : {"quarter", "semester", "year"}, default "quarter"
        The periods of the IKM table the population is for.

    Returns
    -------
    pandas.DataFrame
        ``unit``, ``period`` (the period the population is used for), ``populasi``.

    Examples
    --------
    >>> k = pd.DataFrame({"unit": ["A"] * 2, "period": ["2024Q1", "2024Q1"],
    ...                   "jumlah_permohonan": [100, 50]})
    >>> service_population(k).to_dict("records")
    [{'unit': 'A', 'period': '2024Q2', 'populasi': 150}]
    >>> k = pd.DataFrame({"unit": ["A"] * 2, "bulan": ["2024-06", "2024-12"],
    ...                   "jumlah_permohonan": [100, 50]})
    >>> service_population(k, granularity="semester").to_dict("records")
    [{'unit': 'A', 'period': '2024S2', 'populasi': 100}, \
{'unit': 'A', 'period': '2025S1', 'populasi': 50}]

    """
    monthly = kinerja_layanan.assign(period=periods.in_granularity(kinerja_layanan,
                                                                   granularity))
    summed = (monthly.groupby(["unit", "period"], observed=True, sort=True)
              ["jumlah_permohonan"].sum(min_count=1).rename("populasi").reset_index())
    summed["period"] = periods.shift(summed["period"], lag)
    summed["populasi"] = summed["populasi"].astype("Int64")
    return summed


def sample_adequacy(ikm_table: pd.DataFrame, kinerja_layanan: pd.DataFrame,
                    lag: int = 1) -> pd.DataFrame:
    """Add the Krejcie & Morgan minimum sample and whether the respondents reach it.

    The population is the unit's applications in the previous period of the IKM table's own
    granularity (quarter, semester or year; :func:`service_population`); where it is unknown
    (the first period of the data, or a unit without service records) ``sample_min`` and
    ``sample_adequate`` are missing.

    Returns
    -------
    pandas.DataFrame
        ``ikm_table`` with ``populasi``, ``sample_min`` (Int64) and ``sample_adequate``
        (nullable boolean) added.

    Examples
    --------
    >>> t = pd.DataFrame({"unit": ["A"], "period": ["2024Q2"], "n_responses": [70]})
    >>> k = pd.DataFrame({"unit": ["A"], "period": ["2024Q1"], "jumlah_permohonan": [100]})
    >>> sample_adequacy(t, k)[["sample_min", "sample_adequate"]].to_dict("records")
    [{'sample_min': 80, 'sample_adequate': False}]

    """
    left = ikm_table.copy()
    left["period"] = left["period"].astype("str")
    population = service_population(kinerja_layanan, lag=lag,
                                    granularity=periods.granularity_of(left["period"]))
    left["unit"] = left["unit"].astype("str")
    out = left.merge(population, on=["unit", "period"], how="left", validate="many_to_one")
    out["sample_min"] = krejcie_morgan(out["populasi"])
    out["sample_adequate"] = pd.array(
        np.where(out["sample_min"].isna(), None,
                 out["n_responses"] >= out["sample_min"].fillna(0)), dtype="boolean")
    return out


__all__ = ["KM_CHI2", "KM_D", "KM_P", "krejcie_morgan", "sample_adequacy",
           "service_population"]
