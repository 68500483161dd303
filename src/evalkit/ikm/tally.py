"""Answer counts per group and element: the one pass over the rows behind every IKM figure.

The aggregation is written for tens of millions of answers: the group keys become integer
codes once, and elements are reduced with ``numpy.bincount`` over ``group × answer`` (counts
of 1, 2, 3, 4 and blank in one pass, several elements packed into one index), so there is no
``groupby`` ``apply`` and no Python loop over rows or groups. :class:`Tally` also gives the
respondent-clustered standard error of the index (:meth:`Tally.linearised_se`), which needs
the same packed counts.

Examples
--------
>>> import pandas as pd
>>> tally = Tally(pd.DataFrame({"g": ["a", "a", "b"], "u1": [1, 4, None]}), ["g"], ["u1"])
>>> tally.keys["g"].tolist(), tally.n_rows.tolist()
(['a', 'b'], [2, 1])
>>> tally.counts[:, 0, :].tolist()  # per group: blanks, then answers 1, 2, 3, 4
[[0, 1, 0, 0, 1], [1, 0, 0, 0, 0]]

"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from evalkit.ikm.elements import ELEMENTS, WEIGHTS


def element_weights(weight: str | Mapping[str, float], elements: Sequence[str]) -> np.ndarray:
    """Weight of each element: ``"exact"`` (1/k), ``"rounded"`` (0.111) or a mapping.

    Examples
    --------
    >>> element_weights("rounded", ELEMENTS)[:2].tolist()
    [0.111, 0.111]
    >>> element_weights({"u1": 0.5, "u2": 0.5}, ["u1", "u2"]).tolist()
    [0.5, 0.5]

    """
    if isinstance(weight, str):
        if weight not in WEIGHTS:
            raise ValueError(f"weight must be 'exact' (1/9), 'rounded' (0.111) or a mapping "
                             f"element → weight, got {weight!r}.")
        k = len(elements)
        if weight == "exact" or k == 9:
            value = 1 / k if weight == "exact" else WEIGHTS["rounded"]
        else:  # a unit with more elements prints its weight rounded to 3 decimals too
            value = round(1 / k, 3)
        return np.full(k, value)
    missing = [e for e in elements if e not in weight]
    if missing:
        raise ValueError(f"weight mapping has no weight for {missing}.")
    w = np.array([float(weight[e]) for e in elements])
    if not np.isclose(w.sum(), 1.0, atol=1e-9):
        raise ValueError(f"custom element weights must sum to 1 (Permenpan RB 14/2017), "
                         f"they sum to {w.sum():.6f}.")
    return w


def group_slots(responses: pd.DataFrame, by: Sequence[str]):
    """Integer group slot per row, the number of slots, and a decoder slot → key columns.

    Categorical columns use their codes directly; others are factorised once (sorted). The
    codes of several columns are combined in mixed radix, so slot order is the sorted key
    order. When that key space is far larger than the data (many grouping columns), the
    combined code is factorised again so slots stay dense.

    Examples
    --------
    >>> slot, n_slots, decode = group_slots(pd.DataFrame({"g": ["b", "a", "b"]}), ["g"])
    >>> slot.tolist(), n_slots, decode(np.array([0, 1]))["g"].tolist()
    ([1, 0, 1], 2, ['a', 'b'])

    """
    n = len(responses)
    if not by:
        return np.zeros(n, dtype=np.intp), 1, lambda present: pd.DataFrame(index=range(1))
    codes_list, uniques_list, sizes = [], [], []
    for col in by:
        if col not in responses.columns:
            raise KeyError(f"compute_ikm: grouping column {col!r} is not in the responses "
                           f"(columns: {list(responses.columns)}).")
        series = responses[col]
        if isinstance(series.dtype, pd.CategoricalDtype):
            codes = series.cat.codes.to_numpy()
            uniques, size = series.dtype, len(series.cat.categories)
        else:
            codes, values = pd.factorize(series, sort=True, use_na_sentinel=True)
            uniques, size = values, len(values)
        if (codes < 0).any():
            rows = series.index[np.flatnonzero(codes < 0)[:5]].tolist()
            raise ValueError(f"compute_ikm: column {col!r} is empty in rows {rows} (index "
                             "labels). Every response needs its unit and period; fix or "
                             "quarantine those rows in the cleaning step.")
        codes_list.append(codes)
        uniques_list.append(uniques)
        sizes.append(max(size, 1))
    slot = codes_list[0].astype(np.intp)
    for codes, size in zip(codes_list[1:], sizes[1:], strict=True):
        slot *= size
        slot += codes
    n_slots = int(np.prod(sizes, dtype=np.float64))
    lookup = None
    if n_slots > max(4 * n, 1_000_000):  # sparse key space: make the slots dense
        slot, lookup = pd.factorize(slot, sort=True)
        slot = slot.astype(np.intp, copy=False)
        n_slots = len(lookup)

    def decode(present: np.ndarray) -> pd.DataFrame:
        combined = present if lookup is None else np.asarray(lookup)[present]
        positions = np.unravel_index(combined, sizes)
        keys = {}
        for col, uniq, pos in zip(by, uniques_list, positions, strict=True):
            keys[col] = (pd.Categorical.from_codes(pos, dtype=uniq)
                         if isinstance(uniq, pd.CategoricalDtype) else uniq.take(pos))
        return pd.DataFrame(keys)

    return slot, n_slots, decode


def answer_codes(responses: pd.DataFrame, col: str) -> np.ndarray:
    """Answers of one element as int8 0–4 (0 = blank), refusing anything outside 1–4.

    Examples
    --------
    >>> answer_codes(pd.DataFrame({"u1": [4, None, 1]}), "u1").tolist()
    [4, 0, 1]

    """
    if col not in responses.columns:
        raise KeyError(f"compute_ikm: answer column {col!r} is missing; responses need "
                       f"integer columns {', '.join(ELEMENTS)} (1–4, blank allowed).")
    series = responses[col]
    dtype = series.dtype
    if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        raise TypeError(f"compute_ikm: column {col!r} has dtype {dtype}; answers must "
                        "be scores 1–4. Score the labels first (the cleaning step does).")
    array = series.array
    if str(dtype) == "Int8" and hasattr(array, "_data") and hasattr(array, "_mask"):
        # The processed skm table's nullable Int8: read the masked array's values and mask
        # directly (private attributes, stable since pandas 1.0) — the public to_numpy path
        # copies and validates through object/float and costs 3× more at 10M rows.
        blank = array._mask
        values = np.where(blank, np.int8(0), array._data)
    else:
        blank = series.isna().to_numpy()
        as_float = series.to_numpy(dtype="float64", na_value=np.nan)
        filled = np.where(blank, 0.0, as_float)
        in_scale = (filled >= 0) & (filled <= 4) & (filled == np.floor(filled))
        values = np.where(in_scale, filled, -1).astype(np.int8)
    # one comparison for > 4 and negatives (as uint8 a negative int8 is > 127), and a count
    # for answers of 0 that are not blanks
    if values.view(np.uint8).max(initial=0) > 4 or \
            np.count_nonzero(values) + np.count_nonzero(blank) != len(values):
        bad = series.notna() & ~series.isin([1, 2, 3, 4])
        rows = np.flatnonzero(bad.to_numpy())[:5]
        shown = ", ".join(f"row {series.index[r]} = {series.iloc[r]}" for r in rows)
        raise ValueError(f"compute_ikm: column {col!r} holds answers outside 1–4 ({shown}; "
                         f"{int(bad.sum())} in all). Quarantine them in the cleaning step; "
                         "IKM is only defined for scores 1–4.")
    return values


def nrr_from_counts(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """NRR and filled answers per group and element from ``counts[group, element, 0..4]``.

    Examples
    --------
    >>> nrr, filled = nrr_from_counts(np.array([[[1, 0, 0, 1, 1]]]))  # blank, a 3 and a 4
    >>> nrr.tolist(), filled.tolist()
    ([[3.5]], [[2]])

    """
    filled = counts[:, :, 1:].sum(axis=2)
    total = counts[:, :, 1:] @ np.arange(1, 5)
    with np.errstate(invalid="ignore", divide="ignore"):
        nrr = np.where(filled > 0, total / filled, np.nan)
    return nrr, filled


class Tally:
    """Answer counts per group and element, from one ``bincount`` per 1–3 elements.

    Several elements are packed into one index (answers 0–4 in base 5: three elements give
    125 combinations, still an int8), so 9 elements need 3 passes over the rows instead of
    9; the per-element counts are the margins of each joint histogram.

    Attributes
    ----------
    keys : pandas.DataFrame
        The ``by`` columns of each group present in the data, in sorted key order.
    counts : numpy.ndarray
        ``counts[group, element, a]``: answers ``a`` (0 = blank, 1–4) per group and element.
    n_rows : numpy.ndarray
        Responses per group.

    """

    def __init__(self, responses: pd.DataFrame, by: Sequence[str], elements: Sequence[str]):
        if not elements:
            raise ValueError("compute_ikm: give at least one answer column in `elements`.")
        self.slot, self.n_slots, decode = group_slots(responses, by)
        self.answers = [answer_codes(responses, col) for col in elements]
        # pack as many elements as keep the histogram small beside the data (a histogram
        # larger than the rows costs more to clear and sum than the passes it saves)
        bin_budget = min(8_000_000, max(len(self.slot) // 2, 1))
        per_pass = next((k for k in (3, 2) if self.n_slots * 5**k <= bin_budget), 1)
        self.chunks = [list(range(i, min(i + per_pass, len(elements))))
                       for i in range(0, len(elements), per_pass)]
        self._bases: dict[int, np.ndarray] = {}
        # reused buffers: fresh 80 MB arrays per pass cost more in page faults than the sums
        self._index_buffer = np.empty(len(self.slot), dtype=np.intp)
        self._combo_buffer = np.empty(len(self.slot), dtype=np.int8)
        counts = np.empty((self.n_slots, len(elements), 5), dtype=np.int64)
        for chunk in self.chunks:
            k = len(chunk)
            hist = np.bincount(self._index(chunk), minlength=self.n_slots * 5**k)
            hist = hist.reshape(self.n_slots, *[5] * k)
            for pos, element in enumerate(chunk):
                other = tuple(1 + j for j in range(k) if j != pos)
                counts[:, element, :] = hist.sum(axis=other) if other else hist
        self.present = np.flatnonzero(counts[:, 0, :].sum(axis=1))
        self.counts = counts[self.present]
        self.n_rows = self.counts[:, 0, :].sum(axis=1)
        self.keys = decode(self.present)

    def _index(self, chunk: list[int]) -> np.ndarray:
        """Slot × 5^k + the base-5 code of the chunk's answers, per row."""
        k = len(chunk)
        if k not in self._bases:
            self._bases[k] = self.slot * 5**k
        combo = self._combo_buffer
        combo[:] = self.answers[chunk[0]]
        for element in chunk[1:]:
            combo *= 5
            combo += self.answers[element]
        return np.add(self._bases[k], combo, out=self._index_buffer)

    def nrr(self) -> tuple[np.ndarray, np.ndarray]:
        """NRR and filled-answer count per group and element."""
        return nrr_from_counts(self.counts)

    def linearised_se(self, w: np.ndarray) -> np.ndarray:
        """Respondent-clustered linearisation SE of the interval IKM, per group.

        IKM = Σ_k w_k S_k / N_k (ratio means, element-specific blanks). Respondent i's
        influence value is z_i = Σ_k w_k m_ik (y_ik − NRR_k) / N_k (m_ik = 1 if answered);
        the variance is n/(n−1) Σ_i z_i² over the n respondents with any answer (Taylor
        linearisation with respondents as clusters, so the correlation of one person's nine
        answers is kept). Without blanks this is exactly the standard error of the mean of
        the respondents' weighted scores. z_i depends only on the group and the answers, so
        it is read from a small table per packed chunk: one gather per chunk, no loop over
        groups or rows.
        """
        nrr, filled = self.nrr()
        full_nrr = np.zeros((self.n_slots, nrr.shape[1]))
        full_scale = np.zeros((self.n_slots, nrr.shape[1]))
        full_nrr[self.present] = np.nan_to_num(nrr)
        with np.errstate(invalid="ignore", divide="ignore"):
            full_scale[self.present] = np.where(filled > 0, w / filled, 0.0)
        score = np.arange(5.0)
        z = np.zeros(len(self.slot))
        for chunk in self.chunks:
            table = np.zeros((self.n_slots, *[5] * len(chunk)))
            for pos, element in enumerate(chunk):
                # contribution of each answer value 0..4 (0 = blank contributes nothing)
                part = (score[None, :] - full_nrr[:, element, None]) \
                    * full_scale[:, element, None]
                part[:, 0] = 0.0
                shape = [self.n_slots] + [1] * len(chunk)
                shape[1 + pos] = 5
                table = table + part.reshape(shape)
            z += table.reshape(-1)[self._index(chunk)]
        ss = np.bincount(self.slot, weights=z * z, minlength=self.n_slots)[self.present]
        answered = np.logical_or.reduce([a > 0 for a in self.answers])
        clusters = np.bincount(self.slot[answered], minlength=self.n_slots)[self.present]
        with np.errstate(invalid="ignore", divide="ignore"):
            var = np.where(clusters > 1, ss * clusters / (clusters - 1), np.nan)
        return np.sqrt(var)


__all__ = ["Tally", "answer_codes", "element_weights", "group_slots", "nrr_from_counts"]
