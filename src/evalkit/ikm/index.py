"""The community satisfaction index (IKM) by Permenpan RB No. 14 Tahun 2017, per group.

The nine SKM elements (unsur) are scored 1–4. Per group (unit × period by default):

* NRR of an element = sum of its scores / number of *filled* answers of that element
  (a blank answer is left out of its own element only, never imputed);
* IKM (interval, 1–4) = Σ NRR × weight, the weight being 1/9 (``weight="exact"``) or the
  0.111 printed in the regulation (``weight="rounded"``, to reproduce published reports);
* IKM (converted, 25–100) = IKM interval × 25, rounded **half-up** to two decimals and then
  graded A–D (:mod:`evalkit.ikm.grades`).

The counting is done once by :class:`~evalkit.ikm.tally.Tally`.

Examples
--------
>>> answers = pd.DataFrame({"unit": ["A"] * 2, "period": ["2024Q1"] * 2,
...                         **{f"u{k}": [3, 3] for k in range(1, 10)}})
>>> compute_ikm(answers)[["unit", "ikm", "mutu", "kinerja"]]
  unit   ikm mutu      kinerja
0    A  75.0    C  Kurang baik

"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from evalkit.ikm.elements import ELEMENTS
from evalkit.ikm.grades import grade_hundredths, hundredths_half_up, kinerja
from evalkit.ikm.tally import Tally, element_weights


def compute_ikm(responses: pd.DataFrame, by: Sequence[str] | str = ("unit", "period"),
                weight: str | Mapping[str, float] = "exact", *,
                elements: Sequence[str] = ELEMENTS, ci: float | None = None) -> pd.DataFrame:
    """IKM per group by Permenpan RB 14/2017.

    Parameters
    ----------
    responses : pandas.DataFrame or dask.dataframe.DataFrame
        One row per respondent with the ``by`` columns and integer answers ``u1``…``u9``
        (1–4; blank = missing, left out of that element only). A Dask frame is reduced on
        its cluster (:func:`evalkit.ikm.distributed.compute_ikm_dask`): the same table,
        without collecting the responses on one machine.
    by : sequence of str or str, default ("unit", "period")
        Grouping columns; ``()`` gives one overall row.
    weight : {"exact", "rounded"} or mapping, default "exact"
        ``"exact"`` weighs each element 1/9; ``"rounded"`` uses the 0.111 printed in the
        regulation (IKM × 0.999, to reproduce published reports); a mapping element → weight
        (summing to 1) for units that weigh elements differently.
    elements : sequence of str, default ``ELEMENTS``
        Answer columns (a unit may add elements).
    ci : float, optional
        If given (e.g. 0.95), add ``ikm_se``, ``ikm_ci_low`` and ``ikm_ci_high``: the
        respondent-clustered linearisation (delta-method) standard error of the converted
        IKM and a t-interval with n−1 degrees of freedom (n = ``n_responses``), clipped to
        25–100. No finite population correction: the respondents are the users who
        answered, not a sample drawn from a listed population of known size, and the IKM
        describes the unit's service in general, so the SE is that of an infinite
        population (conservative when a unit's users are few). See
        :mod:`evalkit.ikm.inference`.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns (sorted), ``n_responses``, ``nrr_u1``…``nrr_u9``,
        ``ikm_interval`` (1–4, unrounded), ``ikm`` (25–100, rounded half-up to two
        decimals, the value that is graded), ``mutu`` (A–D) and ``kinerja`` (the regulation's
        term, e.g. ``"Sangat baik"``, in every report language: a code, labelled at display
        time). A group where an element has no filled answer gets NaN NRR for it and no IKM
        or grade.

    Examples
    --------
    >>> df = pd.DataFrame({"unit": ["A", "A"], "period": ["2024Q1"] * 2,
    ...                    **{f"u{k}": [4, 4] for k in range(1, 10)}})
    >>> compute_ikm(df)[["ikm", "mutu"]].to_dict("records")
    [{'ikm': 100.0, 'mutu': 'A'}]

    """
    dask_frame = _dask_frame_type()
    if dask_frame is not None and isinstance(responses, dask_frame):
        from evalkit.ikm.distributed import compute_ikm_dask

        return compute_ikm_dask(responses, by=by, weight=weight, elements=elements, ci=ci)
    by = [by] if isinstance(by, str) else list(by)
    elements = list(elements)
    w = element_weights(weight, elements)
    tally = Tally(responses, by, elements)
    nrr, _ = tally.nrr()
    return ikm_table(tally.keys, tally.n_rows, nrr, w, elements, ci,
                     lambda: tally.linearised_se(w))


def _dask_frame_type():
    """``dask.dataframe.DataFrame`` if Dask is already imported, else None.

    A Dask frame cannot exist before ``dask.dataframe`` is imported, so the in-memory path
    never pays for importing Dask.
    """
    module = sys.modules.get("dask.dataframe")
    return getattr(module, "DataFrame", None)


def ikm_table(keys: pd.DataFrame, n_rows: np.ndarray, nrr: np.ndarray, w: np.ndarray,
              elements: Sequence[str], ci: float | None,
              interval_se: Callable[[], np.ndarray]) -> pd.DataFrame:
    """Build the :func:`compute_ikm` table from the counts of each group (any engine).

    ``keys`` are the groups' ``by`` columns in sorted key order, ``nrr`` the NRR per group and
    element, ``interval_se`` gives the linearised SE of the interval IKM (called only when
    ``ci`` is given).

    Examples
    --------
    >>> keys = pd.DataFrame({"unit": ["A"]})
    >>> ikm_table(keys, np.array([4]), np.array([[3.5]]), np.array([1.0]), ["u1"], None,
    ...           lambda: None)[["unit", "nrr_u1", "ikm", "mutu"]]
      unit  nrr_u1   ikm mutu
    0    A     3.5  87.5    B

    """
    ikm_interval = nrr @ w  # NaN propagates when an element has no answer
    hundredths = hundredths_half_up(ikm_interval * 25.0)
    mutu = grade_hundredths(hundredths)
    out = keys
    out["n_responses"] = np.asarray(n_rows).astype("int64")
    for k, col in enumerate(elements):
        out[f"nrr_{col}"] = nrr[:, k]
    out["ikm_interval"] = ikm_interval
    out["ikm"] = hundredths / 100.0
    out["mutu"] = pd.Series(mutu, dtype="str")
    out["kinerja"] = kinerja(out["mutu"])
    if ci is not None:
        se = interval_se() * 25.0
        ikm_raw = ikm_interval * 25.0
        dof = np.maximum(out["n_responses"].to_numpy() - 1, 1)
        q = stats.t.ppf(0.5 + ci / 2.0, dof)
        out["ikm_se"] = se
        out["ikm_ci_low"] = np.clip(ikm_raw - q * se, 25.0, 100.0)
        out["ikm_ci_high"] = np.clip(ikm_raw + q * se, 25.0, 100.0)
    return out


def ikm_elements(responses: pd.DataFrame, by: Sequence[str] | str = ("unit", "period"), *,
                 elements: Sequence[str] = ELEMENTS) -> pd.DataFrame:
    """NRR of each element per group, in long form (the ``ikm_elements`` table).

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``unsur`` (element key ``u1``…``u9``), ``nrr`` and ``n`` (filled
        answers of that element), sorted by group then element.

    Examples
    --------
    >>> df = pd.DataFrame({"unit": ["A", "A"], "u1": [3, None], "u2": [4, 2]})
    >>> ikm_elements(df, by="unit", elements=["u1", "u2"])
      unit unsur  nrr  n
    0    A    u1  3.0  1
    1    A    u2  3.0  2

    """
    dask_frame = _dask_frame_type()
    if dask_frame is not None and isinstance(responses, dask_frame):
        from evalkit.ikm.distributed import ikm_elements_dask

        return ikm_elements_dask(responses, by=by, elements=elements)
    by = [by] if isinstance(by, str) else list(by)
    elements = list(elements)
    tally = Tally(responses, by, elements)
    nrr, filled = tally.nrr()
    return elements_table(tally.keys, nrr, filled, elements)


def elements_table(keys: pd.DataFrame, nrr: np.ndarray, filled: np.ndarray,
                   elements: Sequence[str]) -> pd.DataFrame:
    """Build the :func:`ikm_elements` table from NRR and filled answers per group.

    Examples
    --------
    >>> elements_table(pd.DataFrame({"unit": ["A"]}), np.array([[3.0]]), np.array([[2]]),
    ...                ["u1"])
      unit unsur  nrr  n
    0    A    u1  3.0  2

    """
    elements = list(elements)
    out = keys.loc[keys.index.repeat(len(elements))].reset_index(drop=True)
    out["unsur"] = np.tile(np.array(elements, dtype=object), len(keys))
    out["unsur"] = out["unsur"].astype("str")
    out["nrr"] = nrr.reshape(-1)
    out["n"] = filled.reshape(-1).astype("int64")
    return out


__all__ = ["compute_ikm", "elements_table", "ikm_elements", "ikm_table"]
