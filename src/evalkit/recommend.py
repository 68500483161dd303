"""Recommendations: training needs per unit, mentor–mentee matching, unit priorities.

Three questions, each answered by small functions that take DataFrames and return new ones:

1. **Which training does each unit need?** :func:`element_gaps` compares every unit's NRR per
   SKM element with the rest of the city and gives the difference a confidence interval;
   :func:`training_needs` keeps the elements clearly below the city (the whole interval below
   zero, so noise does not make a need), maps them through ``config/training_catalog.yaml``
   and adds the unit's 20-JP gap (:func:`jp_gaps`) and how well earlier training transferred
   to the job (:func:`transfer_by_unit`, Kirkpatrick level 3).
2. **Who should mentor whom?** Where training did not transfer (the alumnus reports
   difficulty applying it or scores low at level 3), :func:`select_mentees` lists the people
   to support and :func:`eligible_mentors` the experienced colleagues who can; then
   :func:`assign_mentors` solves the assignment problem (:func:`solve_assignment`).
3. **Where does more training pay most?** :func:`unit_priorities` multiplies an effect
   estimate (notebook 04) by each unit's remaining gap in training coverage.

Examples
--------
>>> import pandas as pd
>>> resp = pd.DataFrame({"unit": ["A"] * 4 + ["B"] * 4,
...                      "u1": [1, 2, 1, 2, 4, 4, 3, 4]})
>>> gaps = element_gaps(resp, elements=["u1"])
>>> gaps[["unit", "nrr", "nrr_kota", "selisih"]].round(2).to_dict("records")[0]
{'unit': 'A', 'nrr': 1.5, 'nrr_kota': 2.62, 'selisih': -1.12}

"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.optimize import linear_sum_assignment
from statsmodels.stats.proportion import proportion_confint

from evalkit.config import TRAINING_CATALOG_FILE, load_yaml
from evalkit.ikm import ELEMENTS

#: SKP predikat good enough for a mentor (PermenPAN-RB 6/2022: Baik or better).
MENTOR_PREDIKAT: tuple[str, ...] = ("Baik", "Sangat Baik")

#: Kinds of catalog entries and the form of the recommendation they lead to.
CATALOG_KINDS: tuple[str, ...] = ("training", "facilities", "policy")

#: Annual competency development right and duty (PP 17/2020): 20 JP per ASN.
JP_TARGET = 20


# --- catalog -------------------------------------------------------------------------------
def load_catalog(path: str | os.PathLike[str] = TRAINING_CATALOG_FILE) -> pd.DataFrame:
    """Read the training catalog (element → topic, kind, courses) as a table.

    Parameters
    ----------
    path : path, default ``config/training_catalog.yaml``
        The catalog file.

    Returns
    -------
    DataFrame
        One row per element: ``unsur`` (u1…u9), ``kind``, ``topic``, ``courses`` (list of
        course names), ``jp``.

    Raises
    ------
    ValueError
        If an element is missing or an entry has an unknown ``kind``; the message names the
        file and the entry.

    Examples
    --------
    >>> cat = load_catalog()
    >>> cat.set_index("unsur").loc["u9", "kind"]
    'facilities'

    """
    raw = load_yaml(path) or {}
    entries = raw.get("elements") if isinstance(raw, dict) else None
    if not isinstance(entries, dict):
        raise ValueError(f"{path}: expected a mapping 'elements:' with entries u1..u9.")
    missing = [e for e in ELEMENTS if e not in entries]
    if missing:
        raise ValueError(f"{path}: no entry for element(s) {', '.join(missing)}; add one per "
                         "element u1..u9 (use kind: facilities or policy when training does "
                         "not apply).")
    rows = []
    for key in ELEMENTS:
        entry = entries[key] or {}
        kind = entry.get("kind")
        if kind not in CATALOG_KINDS:
            raise ValueError(f"{path}: elements.{key}.kind is {kind!r}; use one of "
                             f"{', '.join(CATALOG_KINDS)}.")
        if not entry.get("topic"):
            raise ValueError(f"{path}: elements.{key} has no 'topic' (a key of "
                             "config/labels.yaml).")
        rows.append({"unsur": key, "kind": kind, "topic": str(entry["topic"]),
                     "courses": [str(c) for c in entry.get("courses") or []],
                     "jp": int(entry.get("jp") or 0)})
    return pd.DataFrame(rows)


# --- 1. training needs -----------------------------------------------------------------------
def element_gaps(responses: pd.DataFrame, *, by: str = "unit",
                 elements: Sequence[str] = ELEMENTS, alpha: float = 0.05) -> pd.DataFrame:
    """Compare each unit's NRR per element with the city's, with a confidence interval.

    The city NRR pools every response (blank answers excluded per element, as in the
    regulation). A unit is part of the city, so the difference is computed from the unit and
    *the rest of the city*, two independent samples: with ``w = n_unit / n_city``,
    ``nrr − nrr_kota = (1 − w)(nrr − nrr_rest)`` and its standard error is
    ``(1 − w)·sqrt(s²_unit/n_unit + s²_rest/n_rest)`` (Welch). The interval uses the normal
    quantile (unit samples are tens to hundreds of responses). Responses within a unit are
    treated as independent; the interval ignores clustering by service or day.

    Parameters
    ----------
    responses : DataFrame
        One row per survey response: ``by`` and the element columns (scores 1–4, missing
        allowed), e.g. the processed ``skm`` table filtered to the periods of interest.
    by : str, default "unit"
        The grouping column.
    elements : sequence of str, default u1…u9
        The element columns.
    alpha : float, default 0.05
        1 − confidence level of the interval.

    Returns
    -------
    DataFrame
        One row per unit × element: ``unit``, ``unsur``, ``n`` (filled answers), ``nrr``,
        ``nrr_kota``, ``selisih`` (nrr − nrr_kota), ``se``, ``ci_low``, ``ci_high``,
        ``di_bawah_kota`` (True when the whole interval is below zero). Sorted by unit and
        element.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"unit": list("AAABBB"), "u1": [1, 1, 2, 4, 4, 3]})
    >>> element_gaps(r, elements=["u1"])["n"].tolist()
    [3, 3]

    """
    elements = list(elements)
    missing = [c for c in [by, *elements] if c not in responses.columns]
    if missing:
        raise KeyError(f"element_gaps: column(s) {missing} not in the responses; expected "
                       f"{by!r} and {elements}.")
    codes, units = pd.factorize(responses[by], sort=True)
    if (codes < 0).any():
        first = int(np.flatnonzero(codes < 0)[0])
        raise ValueError(f"element_gaps: column {by!r} is empty in {int((codes < 0).sum())} "
                         f"response(s) (first at row {first}); the cleaning step should have "
                         "quarantined them — rerun notebook 01.")
    n_units = len(units)
    # Sums, sums of squares and counts per unit with np.bincount, one element at a time: the
    # memory stays a few arrays of one column, whatever the number of responses.
    sums = np.empty((n_units, len(elements)))
    squares = np.empty_like(sums)
    counts = np.empty_like(sums)
    for k, element in enumerate(elements):
        values = responses[element].to_numpy(dtype="float64", na_value=np.nan)
        filled = ~np.isnan(values)
        values = np.where(filled, values, 0.0)
        sums[:, k] = np.bincount(codes, weights=values, minlength=n_units)
        squares[:, k] = np.bincount(codes, weights=values * values, minlength=n_units)
        counts[:, k] = np.bincount(codes, weights=filled, minlength=n_units)
    index = pd.MultiIndex.from_product([units, elements], names=[by, "unsur"])
    table = pd.DataFrame({"s": sums.ravel(), "ss": squares.ravel(), "n": counts.ravel()},
                         index=index)
    city = pd.DataFrame({"s": np.tile(sums.sum(axis=0), n_units),
                         "ss": np.tile(squares.sum(axis=0), n_units),
                         "n": np.tile(counts.sum(axis=0), n_units)}, index=index)
    n = table["n"]
    n_rest = city["n"] - n
    s_rest = city["s"] - table["s"]
    ss_rest = city["ss"] - table["ss"]
    with np.errstate(divide="ignore", invalid="ignore"):
        nrr = table["s"] / n
        nrr_city = city["s"] / city["n"]
        nrr_rest = s_rest / n_rest
        var_unit = (table["ss"] - table["s"] ** 2 / n) / (n - 1)
        var_rest = (ss_rest - s_rest ** 2 / n_rest) / (n_rest - 1)
        share = n / city["n"]
        se = (1 - share) * np.sqrt(var_unit.clip(lower=0) / n + var_rest.clip(lower=0) / n_rest)
    diff = (1 - share) * (nrr - nrr_rest)
    z = stats.norm.ppf(1 - alpha / 2)
    out = pd.DataFrame({
        "n": table["n"].astype("int64"),
        "nrr": nrr,
        "nrr_kota": nrr_city,
        "selisih": diff,
        "se": se,
        "ci_low": diff - z * se,
        "ci_high": diff + z * se,
    })
    out["di_bawah_kota"] = out["ci_high"].lt(0).fillna(False).astype(bool)
    return out.reset_index()


def jp_gaps(training_asn_year: pd.DataFrame, *, year: int | None = None,
            target: int = JP_TARGET) -> pd.DataFrame:
    """Share of ASN per unit who met the 20-JP duty in a year, and the mean shortfall.

    Parameters
    ----------
    training_asn_year : DataFrame
        Table ``training_asn_year`` (notebook 03): ``pid``, ``unit``, ``tahun``, ``jp``,
        ``memenuhi_20jp``; one row per ASN and year, ASN without training included with 0 JP.
    year : int, optional
        Year to describe; default the latest in the table.
    target : int, default 20
        The yearly JP duty.

    Returns
    -------
    DataFrame
        ``unit``, ``tahun``, ``n_asn``, ``n_memenuhi_20jp``, ``share_20jp``,
        ``kekurangan_jp`` (mean JP missing to the target, 0 for those who met it).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"pid": ["a", "b"], "unit": ["A", "A"], "tahun": [2024, 2024],
    ...                   "jp": [30, 5], "memenuhi_20jp": [True, False]})
    >>> jp_gaps(t)[["share_20jp", "kekurangan_jp"]].to_dict("records")
    [{'share_20jp': 0.5, 'kekurangan_jp': 7.5}]

    """
    if training_asn_year.empty:
        raise ValueError("jp_gaps: the table training_asn_year is empty; run notebook 03.")
    year = int(training_asn_year["tahun"].max()) if year is None else int(year)
    rows = training_asn_year[training_asn_year["tahun"] == year]
    if rows.empty:
        raise ValueError(f"jp_gaps: no rows for tahun {year} in training_asn_year; years "
                         f"present: {sorted(training_asn_year['tahun'].unique().tolist())}.")
    rows = rows.assign(
        _met=rows["memenuhi_20jp"].astype("boolean").fillna(False).astype(int),
        _short=(target - rows["jp"].astype("float64")).clip(lower=0),
    )
    out = rows.groupby("unit", sort=True).agg(
        n_asn=("pid", "nunique"), n_memenuhi_20jp=("_met", "sum"),
        kekurangan_jp=("_short", "mean"))
    out["share_20jp"] = out["n_memenuhi_20jp"] / out["n_asn"]
    out.insert(0, "tahun", year)
    return out.reset_index()[["unit", "tahun", "n_asn", "n_memenuhi_20jp", "share_20jp",
                              "kekurangan_jp"]]


def l3_scores(evaluasi: pd.DataFrame) -> pd.Series:
    """Kirkpatrick level-3 score of each evaluation: the mean of the available ratings.

    The alumnus, the supervisor and a colleague each rate application on 1–5; a missing
    rating is left out of the mean (not imputed).

    Examples
    --------
    >>> import pandas as pd
    >>> l3_scores(pd.DataFrame({"skor_alumni": [4], "skor_atasan": [2],
    ...                         "skor_rekan": [None]})).tolist()
    [3.0]

    """
    cols = ["skor_alumni", "skor_atasan", "skor_rekan"]
    return evaluasi[cols].astype("float64").mean(axis=1, skipna=True).rename("l3_skor")


def transfer_by_unit(evaluasi: pd.DataFrame, *, alpha: float = 0.05,
                     reference: float | None = None, min_n: int = 5) -> pd.DataFrame:
    """How well training transferred to the job, per unit (Kirkpatrick level 3).

    Parameters
    ----------
    evaluasi : DataFrame
        Table ``evaluasi_pasca_pelatihan``: ``pid``, ``unit``, ``nama_pelatihan``, the three
        scores, ``kesulitan_penerapan`` (bool).
    alpha : float, default 0.05
        For the Wilson interval of the share reporting difficulty.
    reference : float, optional
        Share of difficulty above which transfer counts as weak; default the city's share.
    min_n : int, default 5
        Units with fewer evaluated alumni are not judged (too few to tell).

    Returns
    -------
    DataFrame
        ``unit``, ``n_alumni``, ``l3_skor`` (mean level-3 score, 1–5), ``n_kesulitan``,
        ``share_kesulitan``, ``ci_low``, ``ci_high`` (Wilson), ``share_kesulitan_kota``,
        ``transfer_lemah`` (True when the interval's lower bound is above the reference).

    Examples
    --------
    >>> import pandas as pd
    >>> e = pd.DataFrame({"pid": list("abcdefgh"), "unit": ["A"] * 4 + ["B"] * 4,
    ...     "nama_pelatihan": "X", "skor_alumni": 3, "skor_atasan": 3, "skor_rekan": 3,
    ...     "kesulitan_penerapan": [True, True, True, False, False, False, False, False]})
    >>> transfer_by_unit(e, min_n=1)["share_kesulitan"].tolist()
    [0.75, 0.0]

    """
    ev = evaluasi.assign(l3_skor=l3_scores(evaluasi),
                         _k=evaluasi["kesulitan_penerapan"].astype("boolean")
                         .fillna(False).astype(int))
    out = ev.groupby("unit", sort=True).agg(n_alumni=("pid", "size"), l3_skor=("l3_skor", "mean"),
                                            n_kesulitan=("_k", "sum"))
    out["share_kesulitan"] = out["n_kesulitan"] / out["n_alumni"]
    low, high = proportion_confint(out["n_kesulitan"], out["n_alumni"], alpha=alpha,
                                   method="wilson")
    out["ci_low"], out["ci_high"] = np.asarray(low), np.asarray(high)
    city = ev["_k"].sum() / len(ev) if len(ev) else np.nan
    out["share_kesulitan_kota"] = city if reference is None else reference
    out["transfer_lemah"] = (out["ci_low"].gt(out["share_kesulitan_kota"])
                             & out["n_alumni"].ge(min_n))
    return out.reset_index()


def training_needs(gaps: pd.DataFrame, catalog: pd.DataFrame, jp: pd.DataFrame | None = None,
                   transfer: pd.DataFrame | None = None, *,
                   jp_share_threshold: float = 0.8) -> pd.DataFrame:
    """Rank each unit's training needs, with the evidence behind each line.

    Rule, in plain words: an element is a need when the unit's NRR is below the city's and
    the whole confidence interval of the difference is below zero (``di_bawah_kota``). Within
    a unit, needs are ranked by the size of the gap (largest first). Each need takes its topic
    and kind from the catalog. The form of the recommendation: ``training`` elements become
    ``pelatihan``, or ``pelatihan_mentoring`` when earlier training transferred poorly in that
    unit (level-3 difficulty above the city's); ``facilities`` elements become
    ``perbaikan_sarana`` and ``policy`` elements ``kebijakan`` — not training. A unit where
    fewer than ``jp_share_threshold`` of ASN met 20 JP gets one more line, ranked last, for
    general competency development (it also fits the JP budget of the other lines).

    Parameters
    ----------
    gaps : DataFrame
        From :func:`element_gaps`.
    catalog : DataFrame
        From :func:`load_catalog`.
    jp : DataFrame, optional
        From :func:`jp_gaps`.
    transfer : DataFrame, optional
        From :func:`transfer_by_unit`.
    jp_share_threshold : float, default 0.8
        Share of staff meeting 20 JP below which the unit gets the JP line.

    Returns
    -------
    DataFrame
        One row per unit × need: ``unit``, ``peringkat`` (1 = first), ``unsur`` (``jp_20``
        for the JP line), ``topic``, ``bentuk``, ``pelatihan_disarankan`` (the catalog's
        courses for the topic), ``n``, ``nrr``, ``nrr_kota``, ``selisih``,
        ``ci_low``, ``ci_high``, ``share_20jp``, ``kekurangan_jp``, ``n_alumni``,
        ``share_kesulitan``, ``transfer_lemah``. Sorted by unit and rank.

    Examples
    --------
    >>> import pandas as pd
    >>> g = pd.DataFrame({"unit": ["A", "A"], "unsur": ["u7", "u9"], "n": [50, 50],
    ...     "nrr": [2.5, 2.0], "nrr_kota": [3.0, 3.0], "selisih": [-0.5, -1.0],
    ...     "ci_low": [-0.7, -1.2], "ci_high": [-0.3, -0.8], "di_bawah_kota": [True, True]})
    >>> training_needs(g, load_catalog())[["peringkat", "unsur", "bentuk"]].values.tolist()
    [[1, 'u9', 'perbaikan_sarana'], [2, 'u7', 'pelatihan']]

    """
    cols = ["unit", "unsur", "n", "nrr", "nrr_kota", "selisih", "ci_low", "ci_high"]
    weak = gaps.loc[gaps["di_bawah_kota"].astype(bool), cols]
    weak = weak.merge(catalog[["unsur", "kind", "topic", "courses"]], on="unsur", how="left",
                      validate="many_to_one")
    unknown = weak.loc[weak["kind"].isna(), "unsur"].unique().tolist()
    if unknown:
        raise ValueError(f"training_needs: element(s) {unknown} have no entry in the training "
                         "catalog (config/training_catalog.yaml); add them.")
    lines = [weak]
    if jp is not None and not jp.empty:
        low_jp = jp.loc[jp["share_20jp"].lt(jp_share_threshold), ["unit"]]
        lines.append(low_jp.assign(unsur="jp_20", kind="training", topic="topic_jp_20"))
    needs = pd.concat(lines, ignore_index=True)
    if jp is not None:
        needs = needs.merge(jp[["unit", "share_20jp", "kekurangan_jp"]], on="unit", how="left")
    else:
        needs = needs.assign(share_20jp=np.nan, kekurangan_jp=np.nan)
    if transfer is not None:
        needs = needs.merge(transfer[["unit", "n_alumni", "share_kesulitan", "transfer_lemah"]],
                            on="unit", how="left")
    else:
        needs = needs.assign(n_alumni=pd.NA, share_kesulitan=np.nan, transfer_lemah=pd.NA)
    needs["transfer_lemah"] = needs["transfer_lemah"].astype("boolean").fillna(False)
    form = pd.Series("pelatihan", index=needs.index, dtype="str")
    form = form.mask(needs["transfer_lemah"].astype(bool), "pelatihan_mentoring")
    form = form.mask(needs["kind"].eq("facilities"), "perbaikan_sarana")
    form = form.mask(needs["kind"].eq("policy"), "kebijakan")
    needs["bentuk"] = form
    needs["pelatihan_disarankan"] = needs["courses"].map(
        lambda c: "; ".join(c) if isinstance(c, list) else "").astype("str")
    # The JP line sorts after the element lines: element gaps are direct evidence about the
    # service, the JP gap only about the volume of development.
    needs["_jp_line"] = needs["unsur"].eq("jp_20")
    needs = needs.sort_values(["unit", "_jp_line", "selisih", "unsur"],
                              na_position="last", kind="mergesort")
    needs["peringkat"] = needs.groupby("unit").cumcount() + 1
    return needs[["unit", "peringkat", "unsur", "topic", "bentuk", "pelatihan_disarankan",
                  "n", "nrr", "nrr_kota",
                  "selisih", "ci_low", "ci_high", "share_20jp", "kekurangan_jp", "n_alumni",
                  "share_kesulitan", "transfer_lemah"]].reset_index(drop=True)


def gap_overview(gaps: pd.DataFrame) -> pd.DataFrame:
    """Per SKM element: how many units are clearly below the city, and their mean gap.

    Parameters
    ----------
    gaps : DataFrame
        From :func:`element_gaps` (``unit``, ``unsur``, ``nrr_kota``, ``selisih``,
        ``di_bawah_kota``).

    Returns
    -------
    DataFrame
        Indexed by ``unsur``: ``units``, ``units_below_city``, ``mean_gap_below`` (mean
        ``selisih`` of the units below the city; NaN when none is), ``nrr_city``.

    Examples
    --------
    >>> import pandas as pd
    >>> g = pd.DataFrame({"unit": ["A", "B"], "unsur": "u1", "nrr_kota": 3.0,
    ...                   "selisih": [-0.5, 0.2], "di_bawah_kota": [True, False]})
    >>> gap_overview(g).to_dict("records")
    [{'units': 2, 'units_below_city': 1, 'mean_gap_below': -0.5, 'nrr_city': 3.0}]

    """
    below = gaps["di_bawah_kota"].astype(bool)
    return (gaps.assign(gap_if_below=gaps["selisih"].where(below), below=below)
            .groupby("unsur", sort=True)
            .agg(units=("unit", "size"), units_below_city=("below", "sum"),
                 mean_gap_below=("gap_if_below", "mean"), nrr_city=("nrr_kota", "first")))


def needs_overview(needs: pd.DataFrame) -> pd.DataFrame:
    """Lines of :func:`training_needs` counted by topic and form, most frequent first.

    Examples
    --------
    >>> import pandas as pd
    >>> n = pd.DataFrame({"unit": ["A", "A", "B"], "topic": ["x", "y", "x"],
    ...                   "bentuk": "pelatihan"})
    >>> needs_overview(n).values.tolist()
    [['x', 'pelatihan', 2, 2], ['y', 'pelatihan', 1, 1]]

    """
    return (needs.groupby(["topic", "bentuk"]).agg(lines=("unit", "size"),
                                                   units=("unit", "nunique"))
            .reset_index().sort_values(["lines", "topic"], ascending=[False, True])
            .reset_index(drop=True))


def transfer_vs_truth(transfer: pd.DataFrame, truth: Mapping[str, Any]) -> pd.DataFrame:
    """Cross-table of the weak-transfer flag against the simulator's known difficulty.

    On simulated data (``truth`` from :func:`evalkit.config.load_truth`) each unit was built
    with or without a high difficulty of applying the training; this shows how many of them
    :func:`transfer_by_unit` flags. Units the simulator does not describe count as not
    built difficult.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"unit": ["A", "B", "C"], "transfer_lemah": [True, False, False]})
    >>> truth = {"unit_characteristics": {"A": {"high_difficulty": True},
    ...          "B": {"high_difficulty": True}, "C": {"high_difficulty": False}}}
    >>> transfer_vs_truth(t, truth).values.tolist()
    [[1, 0], [1, 1]]

    """
    built = {u: bool(c.get("high_difficulty", False))
             for u, c in truth.get("unit_characteristics", {}).items()}
    check = transfer.assign(
        truth_high_difficulty=transfer["unit"].map(built).fillna(False).astype(bool))
    return pd.crosstab(check["truth_high_difficulty"], check["transfer_lemah"].astype(bool))


# --- 2. mentoring ----------------------------------------------------------------------------
def solve_assignment(score: np.ndarray, allowed: np.ndarray,
                     capacity: int | Sequence[int] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Match mentees (rows) to mentors (columns), each mentor taking at most its capacity.

    Objective, lexicographic: first the largest number of matched mentees, then the largest
    total ``score`` of the pairs. Each mentee gets at most one mentor, only ``allowed`` pairs
    are formed. Solved exactly with :func:`scipy.optimize.linear_sum_assignment` on a matrix
    in which each mentor's column is repeated ``capacity`` times (one column per free place);
    a forbidden pair costs more than any possible gain, so the solver uses one only when
    nothing allowed is left, and such pairs are dropped from the result.

    Parameters
    ----------
    score : ndarray, shape (n_mentees, n_mentors)
        Suitability of each pair (higher is better).
    allowed : ndarray of bool, same shape
        Which pairs the rule permits.
    capacity : int or array of int (one per mentor)
        Maximum number of mentees per mentor.

    Returns
    -------
    (mentee_index, mentor_index) : tuple of int arrays
        The pairs formed, sorted by mentee.

    Examples
    --------
    >>> import numpy as np
    >>> s = np.array([[3.0, 1.0], [2.0, 1.0], [1.0, 1.0]])
    >>> ok = np.array([[True, True], [True, False], [True, True]])
    >>> rows, cols = solve_assignment(s, ok, capacity=1)
    >>> rows.tolist(), cols.tolist()  # 3 + 1 beats 2 + 1: mentee 1 (only mentor 0) waits
    ([0, 2], [0, 1])

    """
    score = np.asarray(score, dtype="float64")
    allowed = np.asarray(allowed, dtype=bool)
    if score.shape != allowed.shape or score.ndim != 2:
        raise ValueError(f"solve_assignment: score {score.shape} and allowed {allowed.shape} "
                         "must be matrices of the same shape (mentees × mentors).")
    n_rows, n_cols = score.shape
    caps = np.broadcast_to(np.asarray(capacity, dtype=int), (n_cols,))
    if (caps < 0).any():
        raise ValueError("solve_assignment: capacity must be 0 or more for every mentor.")
    empty = (np.array([], dtype=int), np.array([], dtype=int))
    if n_rows == 0 or caps.sum() == 0 or not allowed.any():
        return empty
    column_owner = np.repeat(np.arange(n_cols), caps)
    if not np.isfinite(score[allowed]).all():
        raise ValueError("solve_assignment: scores of allowed pairs must be finite.")
    # Costs: -score for allowed pairs; a penalty larger than any achievable difference in
    # total score for forbidden ones, so fewer forbidden (= more real) pairs always win.
    n_pairs = min(n_rows, column_owner.size)
    penalty = 1.0 + 2.0 * n_pairs * float(np.abs(score[allowed]).max())
    cost = np.where(allowed, -score, penalty)[:, column_owner]
    rows, cols = linear_sum_assignment(cost)
    mentors = column_owner[cols]
    keep = allowed[rows, mentors]
    return rows[keep], mentors[keep]


def select_mentees(evaluasi: pd.DataFrame, *, l3_threshold: float = 3.0,
                   active_pids: Sequence[str] | pd.Series | None = None) -> pd.DataFrame:
    """People for whom training did not transfer: candidates for a mentor.

    An alumnus is a mentee when they report difficulty applying the course
    (``kesulitan_penerapan``) or their level-3 score is below ``l3_threshold``. A person with
    several such evaluations appears once, with the course of their lowest score (ties: the
    course name in alphabetical order).

    Parameters
    ----------
    evaluasi : DataFrame
        Table ``evaluasi_pasca_pelatihan``.
    l3_threshold : float, default 3.0
        On the 1–5 scale; 3 is "applies it sometimes".
    active_pids : sequence, optional
        Keep only these people (e.g. the active staff); default everyone.

    Returns
    -------
    DataFrame
        ``pid``, ``unit``, ``nama_pelatihan``, ``l3_skor``, ``kesulitan_penerapan``,
        ``kebutuhan`` (need, 0–1: ``(5 − l3_skor) / 4``). Sorted by unit and pid.

    Examples
    --------
    >>> import pandas as pd
    >>> e = pd.DataFrame({"pid": ["a", "b"], "unit": "A", "nama_pelatihan": "X",
    ...     "skor_alumni": [2, 4], "skor_atasan": [2, 4], "skor_rekan": [2, 4],
    ...     "kesulitan_penerapan": [False, False]})
    >>> select_mentees(e)["pid"].tolist()
    ['a']

    """
    ev = evaluasi.assign(l3_skor=l3_scores(evaluasi),
                         kesulitan_penerapan=evaluasi["kesulitan_penerapan"].astype("boolean")
                         .fillna(False).astype(bool))
    low = ev["kesulitan_penerapan"] | ev["l3_skor"].lt(l3_threshold)
    ev = ev[low]
    if active_pids is not None:
        ev = ev[ev["pid"].isin(pd.Series(active_pids))]
    ev = (ev.sort_values(["pid", "l3_skor", "nama_pelatihan"], kind="mergesort")
          .drop_duplicates("pid", keep="first"))
    ev["kebutuhan"] = ((5 - ev["l3_skor"]) / 4).clip(0, 1)
    cols = ["pid", "unit", "nama_pelatihan", "l3_skor", "kesulitan_penerapan", "kebutuhan"]
    return ev[cols].sort_values(["unit", "pid"]).reset_index(drop=True)


def eligible_mentors(pegawai: pd.DataFrame, skp: pd.DataFrame, pelatihan: pd.DataFrame,
                     evaluasi: pd.DataFrame | None = None, *, year: int | None = None,
                     min_tenure: int = 5,
                     exclude_pids: Sequence[str] | pd.Series | None = None) -> pd.DataFrame:
    """Who can mentor: experienced, performing well, and trained (and applying) the course.

    A person is an eligible mentor when all hold, checked in this order (the first rule
    not met is the ``alasan``): status Aktif; not themselves a mentee (``exclude_pids``);
    tenure (``year − tahun_pengangkatan``) of at least ``min_tenure`` years; their latest
    SKP predikat is Baik or Sangat Baik; they completed at least one course. For each course
    a mentor completed, they may
    mentor in it unless their own level-3 evaluation of that course shows difficulty.

    Parameters
    ----------
    pegawai, skp, pelatihan : DataFrame
        Processed tables ``pegawai``, ``skp``, ``pelatihan``.
    evaluasi : DataFrame, optional
        Processed ``evaluasi_pasca_pelatihan``, to exclude courses the person struggled with.
    year : int, optional
        Reference year for tenure; default the latest SKP year.
    min_tenure : int, default 5
        Minimum years of service.
    exclude_pids : sequence, optional
        People who cannot mentor (the mentees).

    Returns
    -------
    (mentors, courses) : tuple of DataFrames
        ``mentors``: one row per person of the roster with ``pid``, ``unit``,
        ``jenis_jabatan``, ``masa_kerja``, ``predikat``, ``eligible`` (bool) and ``alasan``
        (the first rule not met, empty when eligible). ``courses``: ``pid``,
        ``nama_pelatihan`` — the courses each eligible mentor may mentor in.

    Examples
    --------
    >>> import pandas as pd
    >>> peg = pd.DataFrame({"pid": ["m", "n"], "unit": "A", "jenis_jabatan": "Pelaksana",
    ...                     "tahun_pengangkatan": [2005, 2022], "status": "Aktif"})
    >>> skp = pd.DataFrame({"pid": ["m", "n"], "tahun": 2024, "predikat": "Baik"})
    >>> pel = pd.DataFrame({"pid": ["m", "n"], "nama_pelatihan": "X"})
    >>> m, c = eligible_mentors(peg, skp, pel)
    >>> m["eligible"].tolist(), c["pid"].tolist()
    ([True, False], ['m'])

    """
    year = int(skp["tahun"].max()) if year is None else int(year)
    latest = (skp[skp["tahun"] <= year].sort_values(["pid", "tahun"], kind="mergesort")
              .drop_duplicates("pid", keep="last")[["pid", "predikat"]])
    latest["predikat"] = latest["predikat"].astype("str")
    people = pegawai[["pid", "unit", "jenis_jabatan", "tahun_pengangkatan", "status"]].merge(
        latest, on="pid", how="left")
    people["masa_kerja"] = year - people["tahun_pengangkatan"].astype("float64")
    courses = pelatihan[["pid", "nama_pelatihan"]].drop_duplicates()
    if evaluasi is not None and not evaluasi.empty:
        struggled = evaluasi.loc[evaluasi["kesulitan_penerapan"].astype("boolean")
                                 .fillna(False).astype(bool), ["pid", "nama_pelatihan"]]
        courses = courses.merge(struggled.drop_duplicates(), how="left", indicator=True)
        courses = courses[courses["_merge"] == "left_only"].drop(columns="_merge")
    excluded = (pd.Series(exclude_pids, dtype="str") if exclude_pids is not None
                else pd.Series([], dtype="str"))
    # The first rule a person fails is their reason; checked in this order.
    rules = [
        ("tidak_aktif", people["status"].astype("str").ne("Aktif")),
        ("mentee", people["pid"].isin(excluded)),
        ("masa_kerja_kurang", people["masa_kerja"].lt(min_tenure) | people["masa_kerja"].isna()),
        ("predikat_skp", ~people["predikat"].isin(MENTOR_PREDIKAT)),
        ("belum_dilatih", ~people["pid"].isin(courses["pid"])),
    ]
    reason = pd.Series("", index=people.index, dtype="str")
    for name, failed in reversed(rules):  # reversed so the first failed rule wins
        reason = reason.mask(failed.fillna(True).astype(bool), name)
    people["alasan"] = reason
    people["eligible"] = reason.eq("")
    mentors = people[["pid", "unit", "jenis_jabatan", "masa_kerja", "predikat", "eligible",
                      "alasan"]].sort_values(["unit", "pid"]).reset_index(drop=True)
    courses = (courses[courses["pid"].isin(mentors.loc[mentors["eligible"], "pid"])]
               .sort_values(["pid", "nama_pelatihan"]).reset_index(drop=True))
    return mentors, courses


def pair_scores(mentees: pd.DataFrame, mentors: pd.DataFrame) -> np.ndarray:
    """Suitability of every mentee × mentor pair (higher is better), 0–4.

    ``kebutuhan`` of the mentee (0–1: lower level-3 score, more need) + mentor's experience
    (``min(masa_kerja, 20) / 20``) + mentor's predikat (1 for Sangat Baik, 0.5 for Baik) +
    1 when both hold the same type of position (``jenis_jabatan``: the mentor does the same
    kind of work). The need term makes the neediest mentees matched first when places run
    short; the other terms give each mentee the most experienced suitable mentor.

    Examples
    --------
    >>> import pandas as pd
    >>> me = pd.DataFrame({"kebutuhan": [0.5], "jenis_jabatan": ["Pelaksana"]})
    >>> mo = pd.DataFrame({"masa_kerja": [10], "predikat": ["Baik"],
    ...                    "jenis_jabatan": ["Pelaksana"]})
    >>> pair_scores(me, mo).tolist()
    [[2.5]]

    """
    need = mentees["kebutuhan"].to_numpy(dtype="float64")[:, None]
    experience = (mentors["masa_kerja"].astype("float64").clip(0, 20) / 20).to_numpy()[None, :]
    predikat = np.where(mentors["predikat"].astype("str").eq("Sangat Baik"), 1.0, 0.5)[None, :]
    same_job = (mentees["jenis_jabatan"].astype("str").to_numpy()[:, None]
                == mentors["jenis_jabatan"].astype("str").to_numpy()[None, :]).astype(float)
    return need + experience + predikat + same_job


def assign_mentors(mentees: pd.DataFrame, mentors: pd.DataFrame, courses: pd.DataFrame, *,
                   capacity: int = 3) -> pd.DataFrame:
    """Form mentor–mentee pairs within each unit (an assignment problem).

    Rule, in plain words: a mentor works in the same unit as the mentee, is eligible (see
    :func:`eligible_mentors`), completed the course the mentee struggles with, and is not the
    mentee; each mentee gets at most one mentor and each mentor at most ``capacity`` mentees.
    Among all plans that follow the rule, the one chosen first matches as many mentees as
    possible and then maximises the total :func:`pair_scores` (neediest mentees first, the
    most experienced and best-rated mentors, same type of position).

    Units are independent problems, so each is solved on its own (a loop over units, not
    over people: the cubic cost of the solver then grows with the largest unit, not with
    the city).

    Parameters
    ----------
    mentees : DataFrame
        From :func:`select_mentees`, with ``jenis_jabatan`` merged from ``pegawai``.
    mentors : DataFrame
        From :func:`eligible_mentors` (only rows with ``eligible`` are used).
    courses : DataFrame
        ``pid``, ``nama_pelatihan`` of eligible mentors (second output of
        :func:`eligible_mentors`).
    capacity : int, default 3
        Maximum number of mentees per mentor.

    Returns
    -------
    DataFrame
        ``unit``, ``pid_mentor``, ``pid_mentee``, ``nama_pelatihan``, ``skor_pasangan``;
        sorted by unit, mentor and mentee. Pseudonyms only.

    Examples
    --------
    >>> import pandas as pd
    >>> me = pd.DataFrame({"pid": ["a", "b"], "unit": "A", "nama_pelatihan": "X",
    ...                    "kebutuhan": [1.0, 0.5], "jenis_jabatan": "Pelaksana"})
    >>> mo = pd.DataFrame({"pid": ["m"], "unit": "A", "jenis_jabatan": "Pelaksana",
    ...                    "masa_kerja": [10], "predikat": ["Baik"], "eligible": [True]})
    >>> assign_mentors(me, mo, pd.DataFrame({"pid": ["m"], "nama_pelatihan": ["X"]}),
    ...                capacity=1)["pid_mentee"].tolist()
    ['a']

    """
    if capacity < 1:
        raise ValueError(f"assign_mentors: capacity is {capacity}; a mentor takes at least "
                         "1 mentee (set mentor_capacity in config/pipeline.yaml).")
    cols = ["unit", "pid_mentor", "pid_mentee", "nama_pelatihan", "skor_pasangan"]
    pool = mentors[mentors["eligible"].astype(bool)]
    trained = courses.assign(_ok=True)
    pairs = []
    for unit, unit_mentees in mentees.groupby("unit", sort=True):
        unit_mentors = pool[pool["unit"] == unit].reset_index(drop=True)
        unit_mentees = unit_mentees.reset_index(drop=True)
        if unit_mentors.empty:
            continue
        # allowed[i, j]: mentor j completed mentee i's course and is not mentee i
        grid = (trained.pivot_table(index="pid", columns="nama_pelatihan", values="_ok",
                                    aggfunc="any", fill_value=False)
                .reindex(index=unit_mentors["pid"],
                         columns=unit_mentees["nama_pelatihan"].unique(), fill_value=False))
        course_pos = grid.columns.get_indexer(unit_mentees["nama_pelatihan"])
        allowed = grid.to_numpy(dtype=bool).T[course_pos, :]
        allowed &= (unit_mentees["pid"].to_numpy()[:, None]
                    != unit_mentors["pid"].to_numpy()[None, :])
        score = pair_scores(unit_mentees, unit_mentors)
        rows, cols_ = solve_assignment(score, allowed, capacity)
        pairs.append(pd.DataFrame({
            "unit": unit,
            "pid_mentor": unit_mentors["pid"].to_numpy()[cols_],
            "pid_mentee": unit_mentees["pid"].to_numpy()[rows],
            "nama_pelatihan": unit_mentees["nama_pelatihan"].to_numpy()[rows],
            "skor_pasangan": score[rows, cols_],
        }))
    if not pairs:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "skor_pasangan" else "str")
                             for c in cols})
    return (pd.concat(pairs, ignore_index=True).sort_values(["unit", "pid_mentor", "pid_mentee"])
            .reset_index(drop=True)[cols])


def mentoring_summary(mentees: pd.DataFrame, mentors: pd.DataFrame,
                      pairs: pd.DataFrame) -> pd.DataFrame:
    """Per unit: mentees, eligible mentors, pairs formed and mentees left without a mentor.

    Examples
    --------
    >>> import pandas as pd
    >>> s = mentoring_summary(pd.DataFrame({"pid": ["a"], "unit": ["A"]}),
    ...     pd.DataFrame({"pid": ["m"], "unit": ["A"], "eligible": [True]}),
    ...     pd.DataFrame({"unit": ["A"], "pid_mentor": ["m"], "pid_mentee": ["a"]}))
    >>> s[["n_mentee", "n_mentor_layak", "n_pasangan", "n_tanpa_mentor"]].values.tolist()
    [[1, 1, 1, 0]]

    """
    n_mentee = mentees.groupby("unit").size().rename("n_mentee")
    n_mentor = mentors[mentors["eligible"].astype(bool)].groupby("unit").size().rename(
        "n_mentor_layak")
    n_pairs = pairs.groupby("unit").size().rename("n_pasangan")
    n_used = pairs.groupby("unit")["pid_mentor"].nunique().rename("n_mentor_dipakai")
    out = pd.concat([n_mentee, n_mentor, n_pairs, n_used], axis=1).fillna(0).astype("int64")
    out = out[out["n_mentee"] > 0]
    out["n_tanpa_mentor"] = out["n_mentee"] - out["n_pasangan"]
    out.index.name = "unit"
    return out.sort_index().reset_index()


def check_mentoring_plan(pairs: pd.DataFrame, *, mentees: pd.DataFrame,
                         mentors: pd.DataFrame, mentor_courses: pd.DataFrame,
                         pegawai: pd.DataFrame, capacity: int) -> dict[str, bool]:
    """Check a mentoring plan against every rule, on the result rather than by assumption.

    Parameters
    ----------
    pairs : DataFrame
        From :func:`assign_mentors` (``pid_mentor``, ``pid_mentee``, ``nama_pelatihan``).
    mentees, mentors, mentor_courses
        From :func:`select_mentees` and :func:`eligible_mentors`.
    pegawai : DataFrame
        The roster (``pid``, ``unit``): mentor and mentee must work in the same unit.
    capacity : int
        Maximum mentees per mentor.

    Returns
    -------
    dict
        Rule → whether the plan obeys it.

    Examples
    --------
    >>> import pandas as pd
    >>> pairs = pd.DataFrame({"pid_mentor": ["m", "m"], "pid_mentee": ["a", "b"],
    ...                       "nama_pelatihan": "X"})
    >>> checks = check_mentoring_plan(
    ...     pairs, mentees=pd.DataFrame({"pid": ["a", "b"]}),
    ...     mentors=pd.DataFrame({"pid": ["m"], "eligible": [True]}),
    ...     mentor_courses=pd.DataFrame({"pid": ["m"], "nama_pelatihan": ["X"]}),
    ...     pegawai=pd.DataFrame({"pid": ["m", "a", "b"], "unit": "A"}), capacity=1)
    >>> [rule for rule, ok in checks.items() if not ok]
    ['capacity respected']

    """
    eligible = mentors.loc[mentors["eligible"].astype(bool), "pid"]
    unit_of = pegawai.drop_duplicates("pid").set_index("pid")["unit"]
    trained = pairs.merge(mentor_courses[["pid", "nama_pelatihan"]].drop_duplicates(),
                          left_on=["pid_mentor", "nama_pelatihan"],
                          right_on=["pid", "nama_pelatihan"], how="left", indicator=True)
    mentor_unit = pairs["pid_mentor"].map(unit_of)
    return {
        "each mentee at most one mentor": bool(pairs["pid_mentee"].is_unique),
        "capacity respected": bool(pairs["pid_mentor"].value_counts().le(capacity).all()),
        "no self-pairing": bool(pairs["pid_mentor"].ne(pairs["pid_mentee"]).all()),
        "only eligible mentors": bool(pairs["pid_mentor"].isin(eligible).all()),
        "no mentee mentors": bool(not pairs["pid_mentor"].isin(mentees["pid"]).any()),
        "same unit": bool((mentor_unit.notna()
                           & mentor_unit.eq(pairs["pid_mentee"].map(unit_of))).all()),
        "mentor trained in the course": bool(trained["_merge"].eq("both").all()),
    }


# --- 3. priorities ---------------------------------------------------------------------------
def select_effect(effects: pd.DataFrame, *, outcome: str = "ikm",
                  methods: Sequence[str] = (), estimand: str = "ATT") -> pd.Series:
    """Pick the effect estimate that drives the priorities.

    Among the rows of ``effects`` for ``outcome`` (and, when the table has such rows, with
    ``estimand`` — the overall effect, not an event time or a subgroup), the one whose
    ``method`` is earliest in ``methods``; when none of ``methods`` is present, the first.

    Raises
    ------
    ValueError
        When ``effects`` has no row for ``outcome``.

    Examples
    --------
    >>> import pandas as pd
    >>> e = pd.DataFrame({"outcome": ["ikm", "ikm"], "method": ["ols", "did"],
    ...                   "estimate": [1.0, 2.0]})
    >>> float(select_effect(e, methods=["did"])["estimate"])
    2.0

    """
    rows = effects[effects["outcome"] == outcome]
    if "estimand" in rows.columns and rows["estimand"].eq(estimand).any():
        rows = rows[rows["estimand"].eq(estimand)]
    if rows.empty:
        raise ValueError(f"select_effect: no estimate for outcome {outcome!r} in effects "
                         f"(outcomes present: {sorted(effects['outcome'].unique().tolist())}).")
    rank = pd.Series({m: i for i, m in enumerate(methods)}, dtype="float64")
    order = rows["method"].map(rank).fillna(len(methods))
    return rows.assign(_o=order.to_numpy()).sort_values("_o", kind="mergesort").iloc[0].drop("_o")


def unit_priorities(panel: pd.DataFrame, effect: Mapping[str, Any] | pd.Series, *,
                    coverage: str = "share_trained", target: float = 0.25) -> pd.DataFrame:
    """Rank units by the expected gain from closing their training-coverage gap.

    The effect estimate (notebook 04) is the effect of a unit being *reached* by the
    training, and a unit counts as reached when ``target`` of its staff completed it (the
    cohort threshold of notebook 03). For each unit, in its latest period:
    ``gap = clip((target − coverage) / target, 0, 1)`` — 1 for a unit nobody has trained
    yet, 0 for a unit already reached — and the expected gain ``= effect × gap`` with the
    interval ``[ci_low × gap, ci_high × gap]`` (the effect's uncertainty; the gap is
    observed). Partial coverage counts linearly, an assumption. Beyond the threshold the data
    say nothing, so the expected gain there is 0, not an extrapolation. Ties (same gap) are
    broken by the lower IKM first (more room to improve), then by unit name. Where the
    interval includes zero, the ranking rests on the point estimate only.

    Parameters
    ----------
    panel : DataFrame
        ``panel_unit_period`` (notebook 03): ``unit``, ``period``, ``ikm``, ``n_asn`` and the
        coverage column.
    effect : mapping or Series
        With ``estimate``, ``ci_low``, ``ci_high`` (a row of ``effects``).
    coverage : str, default "share_trained"
        The coverage column of ``panel``.
    target : float, default 0.25
        Coverage at which a unit counts as reached (``cohort_threshold``).

    Returns
    -------
    DataFrame
        ``peringkat``, ``unit``, ``period``, ``n_asn``, ``ikm``, ``cakupan`` (coverage),
        ``kesenjangan`` (gap, 0–1), ``perkiraan_kenaikan``, ``ci_low``, ``ci_high``; sorted
        by expected gain (largest first).

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"unit": ["A", "B"], "period": "2024Q4", "ikm": [80.0, 85.0],
    ...                   "n_asn": [50, 60], "share_trained": [0.05, 0.4]})
    >>> out = unit_priorities(p, {"estimate": 2.0, "ci_low": 1.0, "ci_high": 3.0})
    >>> out[["unit", "perkiraan_kenaikan"]].round(2).values.tolist()
    [['A', 1.6], ['B', 0.0]]

    """
    if not 0 < target <= 1:
        raise ValueError(f"unit_priorities: target is {target}; give the coverage share "
                         "(0–1] at which a unit counts as reached (cohort_threshold).")
    latest = (panel.sort_values(["unit", "period"], kind="mergesort")
              .drop_duplicates("unit", keep="last"))
    gap = ((target - latest[coverage].astype("float64")) / target).clip(0, 1)
    out = pd.DataFrame({
        "unit": latest["unit"].to_numpy(),
        "period": latest["period"].to_numpy(),
        "n_asn": latest["n_asn"].to_numpy() if "n_asn" in latest else np.nan,
        "ikm": latest["ikm"].to_numpy(),
        "cakupan": latest[coverage].to_numpy(dtype="float64"),
        "kesenjangan": gap.to_numpy(),
    })
    est, low, high = (float(effect[k]) for k in ("estimate", "ci_low", "ci_high"))
    out["perkiraan_kenaikan"] = est * out["kesenjangan"]
    bounds = np.sort(np.c_[low * out["kesenjangan"], high * out["kesenjangan"]], axis=1)
    out["ci_low"], out["ci_high"] = bounds[:, 0], bounds[:, 1]
    out = out.sort_values(["perkiraan_kenaikan", "ikm", "unit"], ascending=[False, True, True],
                          kind="mergesort").reset_index(drop=True)
    out.insert(0, "peringkat", np.arange(1, len(out) + 1))
    return out


# --- all together ----------------------------------------------------------------------------
#: Order in which effect methods are preferred for the priorities (first present wins):
#: the staggered difference-in-differences of the roll-out first, because it compares each
#: unit with units not yet reached and so does not lean on the already-treated.
EFFECT_METHODS: tuple[str, ...] = (
    "Callaway-Sant'Anna", "staggered_did", "callaway_santanna", "TWFE (roll-out dummy)", "twfe",
    "did", "AIPW", "aipw", "IPW", "ipw", "ols",
)


def recent_periods(periods: pd.Series | Sequence[str], n: int = 4) -> list[str]:
    """Return the latest ``n`` distinct periods (``"2024Q3"`` strings sort in time order).

    Examples
    --------
    >>> recent_periods(["2024Q1", "2023Q4", "2024Q2"], 2)
    ['2024Q1', '2024Q2']

    """
    values = sorted(pd.Series(periods).dropna().astype("str").unique().tolist())
    return values[-n:] if n > 0 else values


def recommend_all(tables: Mapping[str, pd.DataFrame | None], *, n_periods: int = 4,
                  mentor_capacity: int = 3, mentor_min_tenure: int = 5,
                  l3_threshold: float = 3.0, alpha: float = 0.05,
                  cohort_threshold: float = 0.25, effect_outcome: str = "ikm",
                  effect_methods: Sequence[str] = EFFECT_METHODS) -> dict[str, Any]:
    """Run every recommendation step on the processed tables that are available.

    Parameters
    ----------
    tables : mapping name → DataFrame or None
        Processed tables by their names in ``data/processed`` (``skm``, ``pegawai``,
        ``pelatihan``, ``skp``, ``evaluasi_pasca_pelatihan``, ``training_asn_year``,
        ``panel_unit_period``, ``effects``); a missing one is ``None`` or absent.
    n_periods : int, default 4
        Element gaps use the latest ``n_periods`` quarters of the survey (current needs).
    mentor_capacity, mentor_min_tenure, l3_threshold, alpha
        See :func:`assign_mentors`, :func:`eligible_mentors`, :func:`select_mentees`,
        :func:`element_gaps`.
    cohort_threshold : float, default 0.25
        Coverage at which a unit counts as reached (see :func:`unit_priorities`).
    effect_outcome, effect_methods
        See :func:`select_effect`.

    Returns
    -------
    dict
        ``periods``, ``element_gaps``, ``jp``, ``transfer``, ``needs``, ``mentees``,
        ``mentors``, ``mentor_courses``, ``pairs``, ``mentoring_summary``, ``effect``,
        ``priorities`` (``None`` where inputs were missing) and ``missing``: a dict step →
        list of the missing tables, so a report can say what is absent and why.

    Examples
    --------
    >>> out = recommend_all({})
    >>> out["needs"] is None, out["missing"]["needs"]
    (True, ['skm'])

    """
    def get(name: str) -> pd.DataFrame | None:
        table = tables.get(name)
        return table if table is not None and len(table.columns) else None

    out: dict[str, Any] = dict.fromkeys(
        ["periods", "element_gaps", "jp", "transfer", "needs", "mentees", "mentors",
         "mentor_courses", "pairs", "mentoring_summary", "effect", "priorities"])
    missing: dict[str, list[str]] = {}

    def need(step: str, *names: str) -> bool:
        absent = [n for n in names if get(n) is None]
        if absent:
            missing[step] = absent
        return not absent

    if get("training_asn_year") is not None:
        out["jp"] = jp_gaps(get("training_asn_year"))
    if get("evaluasi_pasca_pelatihan") is not None:
        out["transfer"] = transfer_by_unit(get("evaluasi_pasca_pelatihan"), alpha=alpha)
    if need("needs", "skm"):
        skm = get("skm")
        out["periods"] = recent_periods(skm["period"], n_periods)
        out["element_gaps"] = element_gaps(skm[skm["period"].astype("str").isin(out["periods"])],
                                           alpha=alpha)
        out["needs"] = training_needs(out["element_gaps"], load_catalog(), out["jp"],
                                      out["transfer"])
    if need("mentoring", "evaluasi_pasca_pelatihan", "pegawai", "skp", "pelatihan"):
        pegawai = get("pegawai")
        active = pegawai.loc[pegawai["status"].astype("str").eq("Aktif"), "pid"]
        mentees = select_mentees(get("evaluasi_pasca_pelatihan"), l3_threshold=l3_threshold,
                                 active_pids=active)
        # The current unit and post come from the roster (people move between units).
        mentees = mentees.drop(columns="unit").merge(
            pegawai[["pid", "unit", "jenis_jabatan"]], on="pid", how="inner",
            validate="one_to_one").sort_values(["unit", "pid"]).reset_index(drop=True)
        mentors, courses = eligible_mentors(pegawai, get("skp"), get("pelatihan"),
                                            get("evaluasi_pasca_pelatihan"),
                                            min_tenure=mentor_min_tenure,
                                            exclude_pids=mentees["pid"])
        pairs = assign_mentors(mentees, mentors, courses, capacity=mentor_capacity)
        out.update(mentees=mentees, mentors=mentors, mentor_courses=courses, pairs=pairs,
                   mentoring_summary=mentoring_summary(mentees, mentors, pairs))
    if need("priorities", "effects", "panel_unit_period"):
        try:
            out["effect"] = select_effect(get("effects"), outcome=effect_outcome,
                                          methods=effect_methods)
        except ValueError as exc:
            missing["priorities"] = [str(exc)]
        else:
            out["priorities"] = unit_priorities(get("panel_unit_period"), out["effect"],
                                                target=cohort_threshold)
    out["missing"] = missing
    return out


__all__ = [
    "EFFECT_METHODS", "recent_periods", "recommend_all",
    "ELEMENTS", "JP_TARGET", "MENTOR_PREDIKAT", "assign_mentors", "check_mentoring_plan",
    "element_gaps", "eligible_mentors", "gap_overview", "jp_gaps", "l3_scores", "load_catalog",
    "mentoring_summary", "needs_overview", "pair_scores", "select_effect", "select_mentees",
    "solve_assignment", "training_needs", "transfer_by_unit", "transfer_vs_truth",
    "unit_priorities",
]
