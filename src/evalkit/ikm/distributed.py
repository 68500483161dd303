"""IKM past one machine: :func:`~evalkit.ikm.compute_ikm` on a ``dask.dataframe.DataFrame``.

The responses never meet on one machine. Each partition is reduced to *sufficient
statistics* per group (:func:`partition_moments`), integers only:

* ``n_rows``, ``n_answered`` (respondents with any answer: the clusters of the SE) and
  ``count_<e>_<a>``, the answers ``a`` (0 = blank, 1–4) of each element ``e``;
* with ``ci``, for every pair of elements ``k < l``: ``prod_k_l`` = Σ y_k y_l,
  ``sum_k_l`` = Σ y_k [y_l answered], ``sum_l_k`` and ``both_k_l`` = Σ [both answered].

Sums of integers add up exactly across partitions, so Dask's tree reduction
(``groupby(by).sum(split_every=…)``) returns the same numbers whatever the partitioning, and
the small result is finished by the pandas code of :func:`~evalkit.ikm.index.ikm_table`.

The linearised SE of :meth:`~evalkit.ikm.tally.Tally.linearised_se` needs Σ_i z_i² with
z_i = Σ_k c_k m_ik (y_ik − a_k), c_k = w_k / N_k, a_k = NRR_k. Expanding the square,

    Σ_i z_i² = Σ_kl c_k c_l (P_kl − a_l S_kl − a_k S_lk + a_k a_l C_kl)

with P, S, C the pair sums above (diagonal: P_kk = Σ y², S_kk = T_k = Σ y, C_kk = N_k).
Multiplied by N_k N_l the bracket is the integer
D_kl = P_kl N_k N_l − T_l N_k S_kl − T_k N_l S_lk + T_k T_l C_kl, computed exactly (int64, or
Python integers when the groups are too large for int64), so no cancellation is lost: a
group whose answers are all equal gets an SE of exactly 0, as on the pandas path.

Examples
--------
>>> import dask.dataframe as dd
>>> df = pd.DataFrame({"unit": ["A", "A", "B", "B"], "u1": [3, 4, 2, None]})
>>> ddf = dd.from_pandas(df, npartitions=2)
>>> compute_ikm_dask(ddf, by="unit", elements=["u1"], ci=0.95, scheduler="sync")[
...     ["unit", "n_responses", "ikm", "ikm_se"]].round(3)
  unit  n_responses   ikm  ikm_se
0    A            2  87.5    12.5
1    B            2  50.0     NaN

"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations

import numpy as np
import pandas as pd

from evalkit.ikm.elements import ELEMENTS
from evalkit.ikm.index import elements_table, ikm_table
from evalkit.ikm.tally import Tally, element_weights, group_slots, nrr_from_counts

#: Key column used when the whole frame is one group (``by=()``).
_ALL = "__all__"


def _count_columns(n_elements: int) -> list[str]:
    return [f"count_{e}_{a}" for e in range(n_elements) for a in range(5)]


def _pair_columns(n_elements: int) -> list[str]:
    cols = []
    for k, m in combinations(range(n_elements), 2):
        cols += [f"prod_{k}_{m}", f"sum_{k}_{m}", f"sum_{m}_{k}", f"both_{k}_{m}"]
    return cols


def moment_columns(n_elements: int, pairs: bool) -> list[str]:
    """Names of the statistics columns of :func:`partition_moments` (besides the keys).

    Examples
    --------
    >>> moment_columns(2, pairs=True)[:3], len(moment_columns(2, pairs=True))
    (['n_rows', 'n_answered', 'count_0_0'], 16)

    """
    return (["n_rows", "n_answered", *_count_columns(n_elements)]
            + (_pair_columns(n_elements) if pairs else []))


def partition_moments(part: pd.DataFrame, by: Sequence[str], elements: Sequence[str],
                      pairs: bool) -> pd.DataFrame:
    """Sufficient statistics of one partition per group: keys, then :func:`moment_columns`.

    Uses :class:`~evalkit.ikm.tally.Tally` (same checks and errors as the pandas path: an
    empty key or an answer outside 1–4 stops with the row named). Pair sums come from one
    ``bincount`` of ``group × 25 + 5 y_k + y_l`` per pair of elements.

    Examples
    --------
    >>> part = pd.DataFrame({"g": ["a", "a"], "u1": [3, 4], "u2": [2, None]})
    >>> m = partition_moments(part, ["g"], ["u1", "u2"], pairs=True)
    >>> m[["g", "n_rows", "count_0_3", "prod_0_1", "sum_0_1", "sum_1_0", "both_0_1"]]
       g  n_rows  count_0_3  prod_0_1  sum_0_1  sum_1_0  both_0_1
    0  a       2          1         6        3        2         1

    """
    by, elements = list(by), list(elements)
    tally = Tally(part, by, elements)
    present, n_slots = tally.present, tally.n_slots
    out = tally.keys
    for col in by:  # every partition's keys in the frame's dtype, so partitions concatenate
        if not isinstance(part[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(part[col].dtype)
    stats: dict[str, np.ndarray] = {"n_rows": tally.n_rows.astype("int64")}
    answered = np.logical_or.reduce([a > 0 for a in tally.answers])
    stats["n_answered"] = np.bincount(tally.slot[answered], minlength=n_slots)[present]
    counts = tally.counts.reshape(len(present), len(elements) * 5)
    for j, col in enumerate(_count_columns(len(elements))):
        stats[col] = counts[:, j]
    if pairs:
        base = tally.slot.astype(np.int64) * 25
        value = np.arange(5)
        filled = (value > 0).astype(np.int64)
        for k, m in combinations(range(len(elements)), 2):
            index = base + tally.answers[k].astype(np.int64) * 5 + tally.answers[m]
            hist = np.bincount(index, minlength=n_slots * 25).reshape(n_slots, 5, 5)[present]
            stats[f"prod_{k}_{m}"] = np.einsum("gab,a,b->g", hist, value, value)
            stats[f"sum_{k}_{m}"] = np.einsum("gab,a,b->g", hist, value, filled)
            stats[f"sum_{m}_{k}"] = np.einsum("gab,a,b->g", hist, filled, value)
            stats[f"both_{k}_{m}"] = np.einsum("gab,a,b->g", hist, filled, filled)
    frame = pd.DataFrame({name: np.asarray(v, dtype=np.int64) for name, v in stats.items()})
    return pd.concat([out.reset_index(drop=True), frame], axis=1)


def _reduced_moments(responses, by: list[str], elements: list[str], pairs: bool,
                     split_every: int | None, scheduler: str | None) -> pd.DataFrame:
    """Per-group statistics summed over all partitions (Dask tree reduction), as pandas."""
    frame = responses[[*by, *elements]]
    keys = by
    if not by:  # one overall group: a constant key Dask can group on
        frame = frame.assign(**{_ALL: np.int8(0)})
        keys = [_ALL]
    meta = partition_moments(frame._meta, keys, elements, pairs)
    moments = frame.map_partitions(partition_moments, keys, elements, pairs, meta=meta)
    # split_out=1: a tree reduction to one small frame. Left to itself Dask picks a P2P
    # shuffle when it expects many groups, which moved every partition's moments across
    # the workers and took 3/4 of the time at 20M responses.
    summed = moments.groupby(keys, observed=True, sort=False).sum(split_every=split_every,
                                                                   split_out=1)
    result = summed.compute(scheduler=scheduler) if scheduler else summed.compute()
    result = result.reset_index()
    if not by:
        result = result.drop(columns=_ALL)
    return result


def _ordered(moments: pd.DataFrame, by: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sort the reduced statistics by key; decode the keys as the pandas path does.

    Decoding goes through :func:`~evalkit.ikm.tally.group_slots`, as in the pandas path.
    """
    slot, _, decode = group_slots(moments, by)
    order = np.argsort(slot, kind="stable")
    keys = decode(slot[order])
    for col in by:  # Dask reads text as Arrow strings; the tables hold pandas' default "str"
        if isinstance(keys[col].dtype, pd.StringDtype):
            keys[col] = keys[col].astype("str")
    return moments.iloc[order].reset_index(drop=True), keys


def _counts(moments: pd.DataFrame, n_elements: int) -> np.ndarray:
    values = moments[_count_columns(n_elements)].to_numpy(dtype=np.int64)
    return values.reshape(len(moments), n_elements, 5)


def se_from_moments(moments: pd.DataFrame, w: np.ndarray) -> np.ndarray:
    """Linearised SE of the interval IKM per group from reduced :func:`partition_moments`.

    The same estimator as :meth:`~evalkit.ikm.tally.Tally.linearised_se` (see the module
    docstring for the algebra); elements without a filled answer in a group are left out,
    as there.

    Examples
    --------
    Two respondents answering (3, 3) and (4, 4): their weighted scores are 3 and 4, so the
    SE is that of a mean of two values one apart, 0.5.

    >>> part = pd.DataFrame({"g": ["a", "a"], "u1": [3, 4], "u2": [3, 4]})
    >>> m = partition_moments(part, ["g"], ["u1", "u2"], pairs=True)
    >>> se_from_moments(m, np.array([0.5, 0.5])).tolist()
    [0.5]

    """
    n_elements = len(w)
    counts = _counts(moments, n_elements)
    n_groups = len(moments)
    value = np.arange(5, dtype=np.int64)
    filled = counts[:, :, 1:].sum(axis=2)                      # N_k
    total = counts @ value                                     # T_k = Σ y
    squares = counts @ (value * value)                         # Σ y²
    prod = np.zeros((n_groups, n_elements, n_elements), dtype=np.int64)
    sums = np.zeros_like(prod)
    both = np.zeros_like(prod)
    diag = np.arange(n_elements)
    prod[:, diag, diag], sums[:, diag, diag], both[:, diag, diag] = squares, total, filled
    for k, m in combinations(range(n_elements), 2):
        prod[:, k, m] = prod[:, m, k] = moments[f"prod_{k}_{m}"].to_numpy()
        sums[:, k, m] = moments[f"sum_{k}_{m}"].to_numpy()
        sums[:, m, k] = moments[f"sum_{m}_{k}"].to_numpy()
        both[:, k, m] = both[:, m, k] = moments[f"both_{k}_{m}"].to_numpy()
    # each term of D is at most 16·N³ (answers ≤ 4): int64 while that fits, else exact
    # Python integers (object arrays, a few thousand groups × k² cells)
    largest = int(filled.max(initial=0))
    exact = np.int64 if 4 * 16 * largest**3 < np.iinfo(np.int64).max else object
    n_k = filled.astype(exact)[:, :, None]
    n_l = filled.astype(exact)[:, None, :]
    t_k = total.astype(exact)[:, :, None]
    t_l = total.astype(exact)[:, None, :]
    d = (prod.astype(exact) * n_k * n_l - t_l * n_k * sums.astype(exact)
         - t_k * n_l * np.swapaxes(sums, 1, 2).astype(exact) + t_k * t_l * both.astype(exact))
    d = d.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(filled > 0, w / filled.astype(np.float64) ** 2, 0.0)  # w_k / N_k²
    ss = np.einsum("gk,gkl,gl->g", scale, d, scale)
    clusters = moments["n_answered"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        var = np.where(clusters > 1, ss * clusters / (clusters - 1), np.nan)
    return np.sqrt(np.maximum(var, 0.0))


def compute_ikm_dask(responses, by: Sequence[str] | str = ("unit", "period"),
                     weight: str | Mapping[str, float] = "exact", *,
                     elements: Sequence[str] = ELEMENTS, ci: float | None = None,
                     split_every: int | None = 8, scheduler: str | None = None
                     ) -> pd.DataFrame:
    """:func:`~evalkit.ikm.compute_ikm` of a Dask frame, reduced on its cluster.

    Parameters
    ----------
    responses : dask.dataframe.DataFrame
        The responses (e.g. ``dd.read_parquet`` of the processed SKM dataset).
    by, weight, elements, ci
        As in :func:`~evalkit.ikm.compute_ikm`.
    split_every : int, default 8
        Partitions combined per step of the tree reduction.
    scheduler : str, optional
        Dask scheduler for ``compute`` (default: the active ``distributed.Client`` if any,
        else Dask's default).

    Returns
    -------
    pandas.DataFrame
        The table :func:`~evalkit.ikm.compute_ikm` gives on the computed frame.

    Examples
    --------
    See the module docstring.

    """
    by = [by] if isinstance(by, str) else list(by)
    elements = list(elements)
    w = element_weights(weight, elements)
    moments = _reduced_moments(responses, by, elements, ci is not None, split_every,
                               scheduler)
    moments, keys = _ordered(moments, by)
    counts = _counts(moments, len(elements))
    nrr, _ = nrr_from_counts(counts)
    return ikm_table(keys, moments["n_rows"].to_numpy(), nrr, w, elements, ci,
                     lambda: se_from_moments(moments, w))


def ikm_elements_dask(responses, by: Sequence[str] | str = ("unit", "period"), *,
                      elements: Sequence[str] = ELEMENTS, split_every: int | None = 8,
                      scheduler: str | None = None) -> pd.DataFrame:
    """:func:`~evalkit.ikm.ikm_elements` of a Dask frame (answer counts only).

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> df = pd.DataFrame({"unit": ["A", "A"], "u1": [3, None], "u2": [4, 2]})
    >>> ikm_elements_dask(dd.from_pandas(df, npartitions=2), by="unit",
    ...                   elements=["u1", "u2"], scheduler="sync")
      unit unsur  nrr  n
    0    A    u1  3.0  1
    1    A    u2  3.0  2

    """
    by = [by] if isinstance(by, str) else list(by)
    elements = list(elements)
    moments = _reduced_moments(responses, by, elements, False, split_every, scheduler)
    moments, keys = _ordered(moments, by)
    nrr, filled = nrr_from_counts(_counts(moments, len(elements)))
    return elements_table(keys, nrr, filled, elements)


__all__ = ["compute_ikm_dask", "ikm_elements_dask", "moment_columns", "partition_moments",
           "se_from_moments"]
