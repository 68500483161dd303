"""Community satisfaction index (IKM) by Permenpan RB No. 14 Tahun 2017.

The nine SKM elements (unsur) are scored 1–4. Per group (unit × period by default):

* NRR of an element = sum of its scores / number of *filled* answers of that element
  (a blank answer is left out of its own element only, never imputed);
* IKM (interval, 1–4) = Σ NRR × weight, the weight being 1/9 (``weight="exact"``) or the
  0.111 printed in the regulation (``weight="rounded"``, to reproduce published reports);
* IKM (converted, 25–100) = IKM interval × 25, rounded **half-up** to two decimals and then
  graded A–D (the grade table of Permenpan RB 14/2017, not the old KEP/25/2004 one).

The aggregation is written for tens of millions of answers: the group keys become integer
codes once, and every element is reduced with one ``numpy.bincount`` over
``group × answer`` (counts of 1, 2, 3, 4 and blank in one pass), so there is no ``groupby``
``apply`` and no Python loop over rows or groups.

Examples
--------
>>> import pandas as pd
>>> answers = pd.DataFrame({"unit": ["A"] * 2, "period": ["2024Q1"] * 2,
...                         **{f"u{k}": [3, 3] for k in range(1, 10)}})
>>> compute_ikm(answers)[["unit", "ikm", "mutu", "kinerja"]]
  unit   ikm mutu      kinerja
0    A  75.0    C  Kurang baik
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from numbers import Real

import numpy as np
import pandas as pd
from scipy import stats

from evalkit.privacy import hidden_cells, suppress_small_cells  # hidden_cells: re-exported

#: Element keys in the regulation's order (Permenpan RB 14/2017).
ELEMENTS: tuple[str, ...] = tuple(f"u{k}" for k in range(1, 10))

#: Names of the elements (unsur), Indonesian as in the regulation.
UNSUR: dict[str, str] = {
    "u1": "Persyaratan",
    "u2": "Sistem, Mekanisme, dan Prosedur",
    "u3": "Waktu Penyelesaian",
    "u4": "Biaya/Tarif",
    "u5": "Produk Spesifikasi Jenis Pelayanan",
    "u6": "Kompetensi Pelaksana",
    "u7": "Perilaku Pelaksana",
    "u8": "Penanganan Pengaduan, Saran dan Masukan",
    "u9": "Sarana dan prasarana",
}

#: English labels of the elements, for reports in ``lang="en"``.
UNSUR_EN: dict[str, str] = {
    "u1": "Requirements",
    "u2": "Systems, mechanisms and procedures",
    "u3": "Completion time",
    "u4": "Cost/tariff",
    "u5": "Service products",
    "u6": "Staff competence",
    "u7": "Staff behaviour",
    "u8": "Handling of complaints and suggestions",
    "u9": "Facilities",
}

#: The weight of an element: exactly 1/9, or the 0.111 printed in the regulation.
WEIGHTS: dict[str, float] = {"exact": 1 / 9, "rounded": 0.111}

#: Lowest converted IKM, in hundredths, of each grade (Permenpan RB 14/2017, Lampiran):
#: D 25.00–64.99, C 65.00–76.60, B 76.61–88.30, A 88.31–100.00.
GRADE_FLOORS_HUNDREDTHS: dict[str, int] = {"D": 2500, "C": 6500, "B": 7661, "A": 8831}
#: The same floors on the converted scale (25–100), for figures and texts.
GRADE_FLOORS: dict[str, float] = {g: h / 100 for g, h in GRADE_FLOORS_HUNDREDTHS.items()}

#: The one colour of each grade in every figure: green (A) to red (D), ColorBrewer RdYlGn.
GRADE_COLORS: dict[str, str] = {"A": "#1a9850", "B": "#91cf60", "C": "#fc8d59", "D": "#d73027"}

#: Unit performance (kinerja unit pelayanan) of each grade.
KINERJA: dict[str, str] = {"A": "Sangat baik", "B": "Baik", "C": "Kurang baik",
                           "D": "Tidak baik"}
KINERJA_EN: dict[str, str] = {"A": "Very good", "B": "Good", "C": "Poor", "D": "Not good"}

#: Krejcie & Morgan (1970) constants: χ² for 1 df at 95%, population proportion, margin.
KM_CHI2, KM_P, KM_D = 3.841, 0.5, 0.05

# Decimals kept before the half-up step: removes binary noise such as 88.30499999999999
# (a computed 88.305) while no IKM built from realistic counts lies that close to a tie.
_NOISE_DECIMALS = 6


# --------------------------------------------------------------------------------------
# Rounding and grades
# --------------------------------------------------------------------------------------
def _hundredths_half_up(values: np.ndarray) -> np.ndarray:
    """Converted IKM → integer hundredths, rounded half-up (NaN stays NaN).

    numpy's ``round`` rounds half to even *and* works on the binary value (88.305 is stored
    as 88.30499999…, so ``np.round(88.305, 2)`` gives 88.3). Scaling by 100 and removing the
    binary noise at 1e-6 first gives the decimal value, then ``floor(x + 0.5)`` is half-up.
    ``grade`` on a scalar uses :mod:`decimal` instead; the tests check both agree.
    """
    scaled = np.round(np.asarray(values, dtype="float64") * 100.0, _NOISE_DECIMALS)
    return np.floor(scaled + 0.5)


def round_half_up(value: float | Sequence[float] | pd.Series, decimals: int = 2):
    """Round half-up (the way the regulation's tables and Excel do), safe from float noise.

    Parameters
    ----------
    value : float, array-like or Series
        Numbers to round; NaN stays NaN.
    decimals : int, default 2

    Returns
    -------
    float, numpy.ndarray or Series (same kind as the input)

    Examples
    --------
    >>> round_half_up(88.305), float(np.round(88.305, 2))
    (88.31, 88.3)
    >>> round_half_up(2.675), round(2.675, 2)
    (2.68, 2.67)
    """
    if isinstance(value, Real):
        if np.isnan(value):
            return float("nan")
        exact = Decimal(repr(round(float(value), _NOISE_DECIMALS + decimals)))
        return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    arr = np.asarray(value, dtype="float64")
    scale = 10.0 ** decimals
    out = np.floor(np.round(arr * scale, _NOISE_DECIMALS) + 0.5) / scale
    if isinstance(value, pd.Series):
        return pd.Series(out, index=value.index, name=value.name)
    return out


def _grade_hundredths(hundredths: np.ndarray) -> np.ndarray:
    """Grade letters for integer hundredths (object array, None where NaN)."""
    floors = GRADE_FLOORS_HUNDREDTHS
    letters = np.select(
        [hundredths >= floors["A"], hundredths >= floors["B"], hundredths >= floors["C"],
         hundredths >= floors["D"]],
        ["A", "B", "C", "D"],
        default="",
    ).astype(object)
    letters[np.isnan(hundredths)] = None
    return letters


def grade(ikm: float | pd.Series | Sequence[float]):
    """Mutu pelayanan (A–D) of converted IKM values (25–100).

    The value is first rounded half-up to two decimals, so 88.305 → 88.31 → A and
    64.995 → 65.00 → C.

    Parameters
    ----------
    ikm : float, Series or array-like
        Converted IKM (interval IKM × 25).

    Returns
    -------
    str, or Series of str (same index) / numpy array for other array-likes;
    ``None``/NA where the input is missing.

    Raises
    ------
    ValueError
        If a value lies outside 25–100 (after rounding), which no valid survey can give.

    Examples
    --------
    >>> grade(75.0), grade(88.30), grade(88.305)
    ('C', 'B', 'A')
    >>> grade(pd.Series([64.99, 65.0, 76.61])).tolist()
    ['D', 'C', 'B']
    """
    if isinstance(ikm, Real):
        if np.isnan(ikm):
            return None
        hundredths = round_half_up(float(ikm), 2) * 100
        _check_range(np.array([hundredths]))
        return str(_grade_hundredths(np.array([round(hundredths)], dtype="float64"))[0])
    values = ikm.to_numpy(dtype="float64", na_value=np.nan) if isinstance(ikm, pd.Series) \
        else np.asarray(ikm, dtype="float64")
    hundredths = _hundredths_half_up(values)
    _check_range(hundredths)
    letters = _grade_hundredths(hundredths)
    if isinstance(ikm, pd.Series):
        return pd.Series(letters, index=ikm.index, name="mutu", dtype="str")
    return letters


def _check_range(hundredths: np.ndarray) -> None:
    bad = ~np.isnan(hundredths) & ((hundredths < 2500) | (hundredths > 10000))
    if bad.any():
        first = np.flatnonzero(bad)[0]
        raise ValueError(
            f"grade: converted IKM must lie in 25–100, got {hundredths[first] / 100:.2f} at "
            f"position {first}. Pass the converted IKM (interval IKM × 25), not the interval "
            "value or a percentage from another scale."
        )


def kinerja(mutu: str | pd.Series, lang: str = "id"):
    """Unit performance label (kinerja unit pelayanan) of a grade letter.

    Examples
    --------
    >>> kinerja("C"), kinerja("A", lang="en")
    ('Kurang baik', 'Very good')
    """
    labels = KINERJA_EN if lang == "en" else KINERJA
    if isinstance(mutu, pd.Series):
        return mutu.map(labels).astype("str")
    return None if mutu is None else labels[mutu]


# --------------------------------------------------------------------------------------
# Krejcie & Morgan
# --------------------------------------------------------------------------------------
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
    return np.floor(np.round(s, _NOISE_DECIMALS) + 0.5)


# --------------------------------------------------------------------------------------
# Aggregation
# --------------------------------------------------------------------------------------
def _weights(weight: str | Mapping[str, float], elements: Sequence[str]) -> np.ndarray:
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


def _group_slots(responses: pd.DataFrame, by: Sequence[str]):
    """Integer group slot per row, the number of slots, and a decoder slot → key columns.

    Categorical columns use their codes directly; others are factorised once (sorted). The
    codes of several columns are combined in mixed radix, so slot order is the sorted key
    order. When that key space is far larger than the data (many grouping columns), the
    combined code is factorised again so slots stay dense.
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


def _answer_codes(responses: pd.DataFrame, col: str) -> np.ndarray:
    """Answers of one element as int8 0–4 (0 = blank), refusing anything outside 1–4."""
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


class _Tally:
    """Answer counts per group and element, from one ``bincount`` per 1–3 elements.

    Several elements are packed into one index (answers 0–4 in base 5: three elements give
    125 combinations, still an int8), so 9 elements need 3 passes over the rows instead of
    9; the per-element counts are the margins of each joint histogram.
    """

    def __init__(self, responses: pd.DataFrame, by: Sequence[str], elements: Sequence[str]):
        if not elements:
            raise ValueError("compute_ikm: give at least one answer column in `elements`.")
        self.slot, self.n_slots, decode = _group_slots(responses, by)
        self.answers = [_answer_codes(responses, col) for col in elements]
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
        """slot × 5^k + the base-5 code of the chunk's answers, per row."""
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
        filled = self.counts[:, :, 1:].sum(axis=2)
        total = self.counts[:, :, 1:] @ np.arange(1, 5)
        with np.errstate(invalid="ignore", divide="ignore"):
            nrr = np.where(filled > 0, total / filled, np.nan)
        return nrr, filled

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


def compute_ikm(responses: pd.DataFrame, by: Sequence[str] | str = ("unit", "period"),
                weight: str | Mapping[str, float] = "exact", *,
                elements: Sequence[str] = ELEMENTS, ci: float | None = None,
                lang: str = "id") -> pd.DataFrame:
    """IKM per group by Permenpan RB 14/2017.

    Parameters
    ----------
    responses : pandas.DataFrame
        One row per respondent with the ``by`` columns and integer answers ``u1``…``u9``
        (1–4; blank = missing, left out of that element only).
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
        IKM and a t-interval with n−1 degrees of freedom, clipped to 25–100. See
        :func:`ikm_standard_error`.
    lang : {"id", "en"}, default "id"
        Language of the ``kinerja`` labels.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns (sorted), ``n_responses``, ``nrr_u1``…``nrr_u9``,
        ``ikm_interval`` (1–4, unrounded), ``ikm`` (25–100, rounded half-up to two
        decimals, the value that is graded), ``mutu`` (A–D) and ``kinerja``. A group where
        an element has no filled answer gets NaN NRR for it and no IKM or grade.

    Examples
    --------
    >>> df = pd.DataFrame({"unit": ["A", "A"], "period": ["2024Q1"] * 2,
    ...                    **{f"u{k}": [4, 4] for k in range(1, 10)}})
    >>> compute_ikm(df)[["ikm", "mutu"]].to_dict("records")
    [{'ikm': 100.0, 'mutu': 'A'}]
    """
    by = [by] if isinstance(by, str) else list(by)
    elements = list(elements)
    w = _weights(weight, elements)
    tally = _Tally(responses, by, elements)
    nrr, _ = tally.nrr()
    ikm_interval = nrr @ w  # NaN propagates when an element has no answer
    hundredths = _hundredths_half_up(ikm_interval * 25.0)
    mutu = _grade_hundredths(hundredths)
    out = tally.keys
    out["n_responses"] = tally.n_rows.astype("int64")
    for k, col in enumerate(elements):
        out[f"nrr_{col}"] = nrr[:, k]
    out["ikm_interval"] = ikm_interval
    out["ikm"] = hundredths / 100.0
    out["mutu"] = pd.Series(mutu, dtype="str")
    out["kinerja"] = kinerja(out["mutu"], lang=lang)
    if ci is not None:
        se = tally.linearised_se(w) * 25.0
        ikm_raw = ikm_interval * 25.0
        dof = np.maximum(out["n_responses"].to_numpy() - 1, 1)
        q = stats.t.ppf(0.5 + ci / 2.0, dof)
        out["ikm_se"] = se
        out["ikm_ci_low"] = np.clip(ikm_raw - q * se, 25.0, 100.0)
        out["ikm_ci_high"] = np.clip(ikm_raw + q * se, 25.0, 100.0)
    return out


def ikm_standard_error(responses: pd.DataFrame, by: Sequence[str] | str = ("unit", "period"),
                       weight: str | Mapping[str, float] = "exact", level: float = 0.95, *,
                       elements: Sequence[str] = ELEMENTS) -> pd.DataFrame:
    """Standard error and confidence interval of the converted IKM per group.

    Respondent-clustered Taylor linearisation (delta method) of the ratio-mean IKM; see
    :func:`compute_ikm` with ``ci=``. Vectorised: one pass per element over the answers.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``n_responses``, ``ikm``, ``ikm_se``, ``ikm_ci_low``,
        ``ikm_ci_high``.

    Examples
    --------
    >>> df = pd.DataFrame({"unit": ["A"] * 3, **{f"u{k}": [2, 3, 4] for k in range(1, 10)}})
    >>> round(float(ikm_standard_error(df, by="unit")["ikm_se"].iloc[0]), 3)  # 25·sd/√3
    14.434
    """
    table = compute_ikm(responses, by=by, weight=weight, elements=elements, ci=level)
    by = [by] if isinstance(by, str) else list(by)
    return table[[*by, "n_responses", "ikm", "ikm_se", "ikm_ci_low", "ikm_ci_high"]]


def ikm_bootstrap(responses: pd.DataFrame, by: Sequence[str] | str = ("unit", "period"),
                  weight: str | Mapping[str, float] = "exact", *, n_boot: int = 500,
                  seed: int = 0, level: float = 0.95,
                  elements: Sequence[str] = ELEMENTS, block: int = 50) -> pd.DataFrame:
    """Bootstrap over respondents of the converted IKM per group (a check of the analytic SE).

    Uses the Poisson bootstrap: every respondent gets an independent Poisson(1) weight per
    replicate (Hanley & MacGibbon 2006), which approximates resampling respondents with
    replacement within each group and vectorises over rows, groups and replicates (one
    ``bincount`` per element per block of replicates; no loop over groups).

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``ikm_se_boot`` (sd of the replicates) and the percentile
        interval ``ikm_boot_low``, ``ikm_boot_high``.

    Examples
    --------
    >>> df = pd.DataFrame({"unit": ["A"] * 4, **{f"u{k}": [3, 3, 4, 4] for k in range(1, 10)}})
    >>> float(ikm_bootstrap(df, by="unit", n_boot=50, seed=1)["ikm_se_boot"].iloc[0]) > 0
    True
    """
    by = [by] if isinstance(by, str) else list(by)
    elements = list(elements)
    w = _weights(weight, elements)
    tally = _Tally(responses, by, elements)
    remap = np.full(tally.n_slots, -1, dtype=np.intp)
    remap[tally.present] = np.arange(len(tally.present))
    group = remap[tally.slot]
    n_groups, n_rows = len(tally.present), len(group)
    rng = np.random.default_rng(seed)
    replicates = np.empty((n_boot, n_groups))
    for start in range(0, n_boot, block):
        b = min(block, n_boot - start)
        draws = rng.poisson(1.0, size=(b, n_rows)).astype("float64")
        index = (np.arange(b)[:, None] * n_groups + group[None, :]).reshape(-1)
        interval = np.zeros((b, n_groups))
        for k, answers in enumerate(tally.answers):
            filled = (answers > 0).astype("float64")
            total = np.bincount(index, weights=(draws * answers).reshape(-1),
                                minlength=b * n_groups).reshape(b, n_groups)
            count = np.bincount(index, weights=(draws * filled).reshape(-1),
                                minlength=b * n_groups).reshape(b, n_groups)
            with np.errstate(invalid="ignore", divide="ignore"):
                interval += w[k] * total / count
        replicates[start:start + b] = interval * 25.0
    out = tally.keys
    out["ikm_se_boot"] = np.nanstd(replicates, axis=0, ddof=1)
    tail = (1 - level) / 2 * 100
    out["ikm_boot_low"] = np.nanpercentile(replicates, tail, axis=0)
    out["ikm_boot_high"] = np.nanpercentile(replicates, 100 - tail, axis=0)
    return out


def ikm_change(table: pd.DataFrame, before: str, after: str, *, level: float = 0.95,
               by: str = "unit") -> pd.DataFrame:
    """Change of each unit's IKM between two periods, with a CI for the difference.

    The two quarters are independent samples of respondents, so the standard error of the
    difference is sqrt(se_before² + se_after²) (normal interval). ``table`` is a
    :func:`compute_ikm` result with ``ci=`` (needs ``ikm_se``).

    Returns
    -------
    pandas.DataFrame
        ``by``, ``ikm_before``, ``ikm_after``, ``change``, ``change_se``, ``ci_low``,
        ``ci_high``, ``clear_change`` (the interval excludes 0).

    Examples
    --------
    >>> t = pd.DataFrame({"unit": ["A", "A"], "period": ["2024Q1", "2024Q2"],
    ...                   "ikm": [80.0, 84.0], "ikm_se": [1.5, 2.0]})
    >>> ikm_change(t, "2024Q1", "2024Q2")[["change", "change_se"]].to_dict("records")
    [{'change': 4.0, 'change_se': 2.5}]
    """
    cols = [by, "ikm", "ikm_se"]
    data = table.astype({"period": "str"})
    left = data.loc[data["period"] == before, cols]
    right = data.loc[data["period"] == after, cols]
    out = left.merge(right, on=by, suffixes=("_before", "_after"), validate="one_to_one")
    out["change"] = out["ikm_after"] - out["ikm_before"]
    out["change_se"] = np.hypot(out["ikm_se_before"], out["ikm_se_after"])
    z = stats.norm.ppf(0.5 + level / 2)
    out["ci_low"] = out["change"] - z * out["change_se"]
    out["ci_high"] = out["change"] + z * out["change_se"]
    out["clear_change"] = (out["ci_low"] > 0) | (out["ci_high"] < 0)
    return out[[by, "ikm_before", "ikm_after", "change", "change_se", "ci_low", "ci_high",
                "clear_change"]].sort_values(by).reset_index(drop=True)


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
    by = [by] if isinstance(by, str) else list(by)
    elements = list(elements)
    tally = _Tally(responses, by, elements)
    nrr, filled = tally.nrr()
    keys = tally.keys
    out = keys.loc[keys.index.repeat(len(elements))].reset_index(drop=True)
    out["unsur"] = np.tile(np.array(elements, dtype=object), len(keys))
    out["unsur"] = out["unsur"].astype("str")
    out["nrr"] = nrr.reshape(-1)
    out["n"] = filled.reshape(-1).astype("int64")
    return out


# --------------------------------------------------------------------------------------
# Sample adequacy and respondent profiles
# --------------------------------------------------------------------------------------
def _shift_period(period: pd.Series, quarters: int) -> pd.Series:
    """'2024Q3' shifted by ``quarters`` → '2024Q4' (vectorised through PeriodIndex)."""
    shifted = pd.PeriodIndex(period.astype("str"), freq="Q") + quarters
    return pd.Series(shifted.strftime("%YQ%q"), index=period.index, dtype="str")


def service_population(kinerja_layanan: pd.DataFrame, lag: int = 1) -> pd.DataFrame:
    """Service users per unit and period from the applications of ``lag`` periods before.

    Parameters
    ----------
    kinerja_layanan : pandas.DataFrame
        Processed ``kinerja_layanan`` (``unit``, ``period``, ``jumlah_permohonan`` per month).
    lag : int, default 1
        1 = the previous quarter (the regulation's "previous period"); 0 = the same one.

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
    """
    quarterly = (kinerja_layanan.groupby(["unit", "period"], observed=True, sort=True)
                 ["jumlah_permohonan"].sum(min_count=1).rename("populasi").reset_index())
    quarterly["period"] = _shift_period(quarterly["period"], lag)
    quarterly["populasi"] = quarterly["populasi"].astype("Int64")
    return quarterly


def sample_adequacy(ikm_table: pd.DataFrame, kinerja_layanan: pd.DataFrame,
                    lag: int = 1) -> pd.DataFrame:
    """Add the Krejcie & Morgan minimum sample and whether the respondents reach it.

    The population is the unit's applications in the previous quarter
    (:func:`service_population`); where it is unknown (the first quarter of the data, or a
    unit without service records) ``sample_min`` and ``sample_adequate`` are missing.

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
    population = service_population(kinerja_layanan, lag=lag)
    left = ikm_table.copy()
    left["period"] = left["period"].astype("str")
    left["unit"] = left["unit"].astype("str")
    out = left.merge(population, on=["unit", "period"], how="left", validate="many_to_one")
    out["sample_min"] = krejcie_morgan(out["populasi"])
    out["sample_adequate"] = pd.array(
        np.where(out["sample_min"].isna(), None,
                 out["n_responses"] >= out["sample_min"].fillna(0)), dtype="boolean")
    return out


#: Age bands of the respondent profile (years, left-closed): the usual SKM report bands.
AGE_BINS = (0, 20, 30, 40, 50, 60, 200)
AGE_LABELS = ("<20", "20-29", "30-39", "40-49", "50-59", "60+")


def age_band(age: pd.Series) -> pd.Series:
    """Age (years) → band label; values already given as bands are kept.

    Examples
    --------
    >>> age_band(pd.Series([19, 20, 45, 61])).tolist()
    ['<20', '20-29', '40-49', '60+']
    """
    numeric = pd.to_numeric(age, errors="coerce")
    bands = pd.cut(numeric, bins=list(AGE_BINS), right=False, labels=list(AGE_LABELS))
    bands = bands.astype("str").where(numeric.notna(), age.astype("str"))
    return bands.where(age.notna()).rename("kelompok_umur")


#: Harmonised respondent-profile categories: survey exports use different lists (L / Laki-laki,
#: SLTA / SMA, Wirausaha / Wiraswasta). Keys are matched case-insensitively; unknown values are
#: kept as they are. Occupations are merged to what every list can express: one common form
#: has a single "PNS/TNI/POLRI" option, so PNS and TNI/POLRI are merged too; "Ibu Rumah
#: Tangga" is folded into "Lainnya" because the other form has no such option.
PROFILE_CATEGORIES: dict[str, dict[str, str]] = {
    "jenis_kelamin": {"l": "L", "laki-laki": "L", "laki laki": "L", "pria": "L",
                      "p": "P", "perempuan": "P", "wanita": "P"},
    "pendidikan": {"sd": "SD", "sltp": "SMP", "smp": "SMP", "slta": "SMA", "sma": "SMA",
                   "smk": "SMA", "diploma": "D1-D3", "d1-d3": "D1-D3", "d3": "D1-D3",
                   "s1": "D4/S1", "d4": "D4/S1", "d4/s1": "D4/S1", "s2": "S2", "s3": "S3"},
    "pekerjaan": {"pns": "PNS/TNI/POLRI", "tni/polri": "PNS/TNI/POLRI",
                  "pns/tni/polri": "PNS/TNI/POLRI", "swasta": "Swasta",
                  "pegawai swasta": "Swasta", "wiraswasta": "Wiraswasta",
                  "wirausaha": "Wiraswasta", "pelajar/mahasiswa": "Pelajar/Mahasiswa",
                  "ibu rumah tangga": "Lainnya", "lainnya": "Lainnya"},
}


def harmonise_profile(values: pd.Series, column: str,
                      mapping: dict[str, dict[str, str]] | None = None) -> pd.Series:
    """Map a profile column's raw categories to one list (unknown values kept as they are).

    Examples
    --------
    >>> harmonise_profile(pd.Series(["Laki-laki", "P", "x"]), "jenis_kelamin").tolist()
    ['L', 'P', 'x']
    """
    table = (mapping or PROFILE_CATEGORIES).get(column, {})
    raw = values.astype("str").str.strip()
    return raw.str.lower().map(table).fillna(raw).where(values.notna())


def profile_breakdown(responses: pd.DataFrame, profile: str,
                      by: Sequence[str] | str = (), *, weight: str = "exact",
                      min_cell_size: int = 5,
                      mapping: dict[str, dict[str, str]] | None = None) -> pd.DataFrame:
    """Respondents and IKM per profile category, with small cells suppressed.

    Parameters
    ----------
    responses : pandas.DataFrame
        Processed SKM responses.
    profile : str
        Profile column, e.g. ``jenis_kelamin``, ``pendidikan``, ``pekerjaan`` or
        ``kelompok_umur`` (added from ``umur`` by :func:`age_band` when missing).
    by : sequence of str, default ()
        Extra grouping (e.g. ``("unit",)``).
    min_cell_size : int, default 5
        Cells with fewer respondents are suppressed by
        :func:`evalkit.privacy.suppress_small_cells`.
    mapping : dict, optional
        Category harmonisation (default :data:`PROFILE_CATEGORIES`).

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``profile``, ``n_responses``, ``share`` (of the group's respondents),
        ``ikm``, ``mutu``; suppressed cells as the privacy module marks them.

    Examples
    --------
    >>> df = pd.DataFrame({"jenis_kelamin": ["L"] * 6 + ["P"] * 2,
    ...                    **{f"u{k}": [3] * 8 for k in range(1, 10)}})
    >>> profile_breakdown(df, "jenis_kelamin")["n_responses"].tolist()  # 8 − 6 would give 2
    [<NA>, <NA>]
    """
    by = [by] if isinstance(by, str) else list(by)
    data = responses
    if profile == "kelompok_umur" and profile not in data.columns:
        data = data.assign(kelompok_umur=age_band(data["umur"]))
    data = data.assign(**{profile: harmonise_profile(data[profile], profile, mapping)
                          .fillna("(kosong)")})
    table = compute_ikm(data, by=[*by, profile], weight=weight)
    table = table[[*by, profile, "n_responses", "ikm", "mutu"]]
    totals = table.groupby(by, sort=False)["n_responses"].transform("sum") if by \
        else table["n_responses"].sum()
    # The share is of the whole group; a reader can get the group total back (n / share, or
    # from the unit's IKM table), so one hidden cell would be total − visible. Complementary
    # suppression hides a second cell wherever exactly one is hidden (``partition``).
    table.insert(len(by) + 2, "share", table["n_responses"] / totals)
    out = suppress_small_cells(table, "n_responses", min_n=min_cell_size,
                               value_cols=["n_responses", "share", "ikm", "mutu"], partition=by)
    out.attrs["suppressed"] = (f"cells of fewer than {min_cell_size} respondents are left empty, "
                               "and where that hides only one cell of a group, the next-smallest "
                               "cell too (so totals cannot reveal it); see column 'suppressed'")
    return out


# --------------------------------------------------------------------------------------
# Figures (seaborn; saved by the notebook with evalkit.outputs.save_figure)
# --------------------------------------------------------------------------------------
_TEXT = {
    "id": {"ikm": "IKM (25–100)", "unit": "Unit", "period": "Periode", "grade": "Mutu",
           "by_unit": "IKM per unit, {period} (garis: batas mutu; batang galat: IK 95%)",
           "heatmap": "NRR per unsur, {period}", "trend": "IKM per triwulan (pita: IK 95%)",
           "element": "Unsur"},
    "en": {"ikm": "IKM (25–100)", "unit": "Unit", "period": "Quarter", "grade": "Grade",
           "by_unit": "IKM per unit, {period} (lines: grade boundaries; bars: 95% CI)",
           "heatmap": "NRR per element, {period}", "trend": "IKM per quarter (band: 95% CI)",
           "element": "Element"},
}


def _grade_lines(ax, orientation: str = "v") -> None:
    """Draw the grade boundaries 65.00, 76.61 and 88.31 (lower bounds of C, B, A)."""
    for bound in (GRADE_FLOORS[g] for g in "CBA"):
        line = ax.axvline if orientation == "v" else ax.axhline
        line(bound, color="grey", lw=0.8, ls="--", zorder=0)


def plot_ikm_by_unit(table: pd.DataFrame, period: str, lang: str = "id"):
    """Bar chart of each unit's IKM in one period, coloured by grade, with 95% CIs.

    ``table`` needs ``unit``, ``period``, ``ikm``, ``mutu``, ``ikm_ci_low``, ``ikm_ci_high``.
    Returns the matplotlib Figure.
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    text = _TEXT["en" if lang == "en" else "id"]
    data = table[(table["period"].astype("str") == period) & table["ikm"].notna()]
    data = data.sort_values("ikm", ascending=False).astype({"unit": "str", "mutu": "str"})
    fig, ax = plt.subplots(figsize=(8, 0.28 * len(data) + 1.5))
    sns.barplot(data=data, x="ikm", y="unit", hue="mutu", dodge=False, ax=ax,
                palette=GRADE_COLORS, hue_order=[g for g in "ABCD" if g in set(data["mutu"])])
    ax.errorbar(data["ikm"], np.arange(len(data)),
                xerr=[data["ikm"] - data["ikm_ci_low"], data["ikm_ci_high"] - data["ikm"]],
                fmt="none", ecolor="black", elinewidth=0.8, capsize=2)
    _grade_lines(ax, "v")
    low = max(25.0, float(np.floor(data["ikm_ci_low"].min() / 5) * 5) - 5) if len(data) else 25
    ax.set_xlim(low, 100)
    ax.set(xlabel=text["ikm"], ylabel="", title=text["by_unit"].format(period=period))
    ax.legend(title=text["grade"], loc="lower right")
    return fig


def plot_element_heatmap(elements: pd.DataFrame, period: str, lang: str = "id"):
    """Heatmap of NRR (1–4) per unit × element for one period (``ikm_elements`` table)."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    text = _TEXT["en" if lang == "en" else "id"]
    data = elements[elements["period"].astype("str") == period]
    grid = data.pivot(index="unit", columns="unsur", values="nrr").astype("float64")
    grid = grid.reindex(columns=[e for e in ELEMENTS if e in grid.columns])
    grid = grid.loc[grid.mean(axis=1).sort_values().index]
    fig, ax = plt.subplots(figsize=(9, 0.28 * len(grid) + 1.8))
    sns.heatmap(grid, annot=True, fmt=".2f", cmap="RdYlGn", vmin=2.5, vmax=4.0,
                annot_kws={"size": 7}, cbar_kws={"label": "NRR"}, ax=ax)
    ax.set(xlabel=text["element"], ylabel="", title=text["heatmap"].format(period=period))
    return fig


def plot_ikm_trend(table: pd.DataFrame, lang: str = "id", col_wrap: int = 5):
    """Small multiples: each unit's IKM over the quarters with its 95% CI band."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    text = _TEXT["en" if lang == "en" else "id"]
    data = table.astype({"unit": "str", "period": "str"}).sort_values(["unit", "period"])
    periods = sorted(data["period"].unique())
    data = data.assign(q=data["period"].map({p: i for i, p in enumerate(periods)}),
                       panel=data["unit"].map(lambda u: textwrap.fill(u, 32)))
    grid = sns.FacetGrid(data, col="panel", col_wrap=col_wrap, height=2.0, aspect=1.5,
                         sharey=True)

    def band(data, **kwargs):
        ax = plt.gca()
        ax.fill_between(data["q"], data["ikm_ci_low"], data["ikm_ci_high"], alpha=0.25,
                        color="C0", lw=0)
        ax.plot(data["q"], data["ikm"], marker="o", ms=2.5, color="C0", lw=1)
        _grade_lines(ax, "h")

    grid.map_dataframe(band)
    ticks = list(range(0, len(periods), max(1, len(periods) // 3)))
    grid.set(xticks=ticks, xticklabels=[periods[i] for i in ticks])
    grid.set_titles("{col_name}", size=7)
    grid.figure.subplots_adjust(hspace=0.55)
    grid.set_axis_labels("", text["ikm"])
    for ax in grid.axes.flat:
        ax.tick_params(labelsize=6)
    grid.figure.suptitle(text["trend"], y=1.01)
    return grid.figure


__all__ = [
    "AGE_BINS", "AGE_LABELS", "ELEMENTS", "GRADE_COLORS", "GRADE_FLOORS", "GRADE_FLOORS_HUNDREDTHS",
    "KINERJA", "KINERJA_EN",
    "PROFILE_CATEGORIES", "UNSUR", "UNSUR_EN", "WEIGHTS", "age_band", "compute_ikm", "grade",
    "harmonise_profile", "hidden_cells", "ikm_bootstrap", "ikm_change", "ikm_elements",
    "ikm_standard_error", "kinerja", "krejcie_morgan", "plot_element_heatmap",
    "plot_ikm_by_unit", "plot_ikm_trend", "profile_breakdown", "round_half_up",
    "sample_adequacy", "service_population",
]
