"""Which training does each unit need? Element gaps, the 20-JP gap and the ranked needs.

:func:`element_gaps` compares every unit's NRR per SKM element with the rest of the city and
gives the difference a confidence interval and a p-value adjusted for the many unit ×
element tests (Benjamini–Hochberg by default); :func:`training_needs` keeps the elements
clearly below the city (adjusted p-value below ``alpha``, so noise does not make a need), maps them
through ``config/training_catalog.yaml`` (:func:`load_catalog`) and adds the unit's 20-JP gap
(:func:`jp_gaps`) and how well earlier training transferred to the job
(:func:`evalkit.recommend.transfer.transfer_by_unit`). :func:`gap_overview` and
:func:`needs_overview` summarise both for a reader.

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
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from evalkit.config import TRAINING_CATALOG_FILE, load_yaml
from evalkit.ikm import ELEMENTS
from evalkit.models.multitest import adjust_pvalues
from evalkit.training import MIN_JP_PER_YEAR

#: Kinds of catalog entries and the form of the recommendation they lead to.
CATALOG_KINDS: tuple[str, ...] = ("training", "facilities", "policy")

#: Multiplicity corrections of :func:`element_gaps`: Benjamini–Hochberg (false discovery
#: rate), Holm (family-wise error) or none.
GAP_CORRECTIONS: tuple[str, ...] = ("bh", "holm", "none")


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


def element_gaps(responses: pd.DataFrame, *, by: str = "unit",
                 elements: Sequence[str] = ELEMENTS, alpha: float = 0.05,
                 correction: str = "bh") -> pd.DataFrame:
    """Compare each unit's NRR per element with the city's, with a confidence interval.

    The city NRR pools every response (blank answers excluded per element, as in the
    regulation). A unit is part of the city, so the difference is computed from the unit and
    *the rest of the city*, two independent samples: with ``w = n_unit / n_city``,
    ``nrr − nrr_kota = (1 − w)(nrr − nrr_rest)`` and its standard error is
    ``(1 − w)·sqrt(s²_unit/n_unit + s²_rest/n_rest)`` (Welch). The interval uses the normal
    quantile (unit samples are tens to hundreds of responses). Responses within a unit are
    treated as independent; the interval ignores clustering by service or day.

    With 30 units and 9 elements, 270 differences are tested at once: at ``alpha`` = 0.05
    and no correction, about m·alpha/2 ≈ 7 of them would fall wholly below the city by chance
    alone even if every unit served as well as the city. So the flag ``di_bawah_kota`` uses
    the two-sided p-value of z = selisih / se adjusted across all unit × element tests:
    Benjamini–Hochberg by default (:func:`evalkit.models.multitest.adjust_pvalues`; at most
    a share ``alpha`` of the flags is expected to be chance), Holm (chance of even one false
    flag at most ``alpha``) or none (the unadjusted interval, as before). The interval
    columns stay unadjusted; the uncorrected flag is kept beside the corrected one.

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
        1 − confidence level of the interval, and the level of the (adjusted) tests.
    correction : {"bh", "holm", "none"}, default "bh"
        Multiplicity control across all unit × element tests.

    Returns
    -------
    DataFrame
        One row per unit × element: ``unit``, ``unsur``, ``n`` (filled answers), ``nrr``,
        ``nrr_kota``, ``selisih`` (nrr − nrr_kota), ``se``, ``ci_low``, ``ci_high``,
        ``p_value`` (two-sided, normal), ``p_adjusted`` (by ``correction``; NaN where the
        difference has no standard error, e.g. all answers equal), ``di_bawah_kota`` (below
        the city: ``selisih`` < 0 and ``p_adjusted`` < ``alpha``) and
        ``di_bawah_kota_tanpa_koreksi`` (the whole unadjusted interval below zero). Sorted by
        unit and element. ``attrs`` hold ``correction``, ``alpha``, ``n_tests`` (differences
        with a p-value), ``n_flagged``, ``n_flagged_uncorrected``,
        ``expected_chance_flags_uncorrected`` (n_tests·alpha/2: flags below the city
        expected by chance alone, with no unit truly different, without correction) and
        ``expected_chance_flags`` (the same under the correction used: ≤ alpha·n_flagged
        false flags for BH, ≤ alpha for Holm).

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
    out["p_value"] = 2 * stats.norm.sf(np.abs(diff / se.where(se > 0)))
    flags = _flag_below(out, alpha, correction)
    return flags.reset_index()


def _flag_below(out: pd.DataFrame, alpha: float, correction: str) -> pd.DataFrame:
    """Add ``p_adjusted`` and both flags to an element-gap table, and the chance counts."""
    if correction not in GAP_CORRECTIONS:
        raise ValueError(f"element_gaps: correction={correction!r}; use one of "
                         f"{', '.join(GAP_CORRECTIONS)} (bh = Benjamini–Hochberg).")
    testable = out["p_value"].notna()
    out["p_adjusted"] = np.nan
    if correction == "none":
        out["p_adjusted"] = out["p_value"]
    elif testable.any():
        out.loc[testable, "p_adjusted"] = adjust_pvalues(
            out.loc[testable, "p_value"], method=correction, alpha=alpha)["p_adjusted"]
    below = out["selisih"].lt(0)
    out["di_bawah_kota"] = (below & out["p_adjusted"].lt(alpha)).astype(bool)
    out["di_bawah_kota_tanpa_koreksi"] = out["ci_high"].lt(0).fillna(False).astype(bool)
    n_tests = int(testable.sum())
    n_flagged = int(out["di_bawah_kota"].sum())
    chance = {"none": n_tests * alpha / 2, "bh": alpha * n_flagged,
              "holm": min(alpha, n_tests * alpha / 2)}[correction]
    out.attrs.update({
        "correction": correction, "alpha": alpha, "n_tests": n_tests,
        "n_flagged": n_flagged,
        "n_flagged_uncorrected": int(out["di_bawah_kota_tanpa_koreksi"].sum()),
        "expected_chance_flags_uncorrected": n_tests * alpha / 2,
        "expected_chance_flags": float(chance),
    })
    return out


def jp_gaps(training_asn_year: pd.DataFrame, *, year: int | None = None) -> pd.DataFrame:
    """Share of ASN per unit who met the 20-JP duty in a year, and the mean shortfall.

    Whether a person met the duty is the ``memenuhi_20jp`` flag notebook 03 wrote (the one
    definition of 20-JP compliance), counted here, not recomputed; the shortfall is the JP
    missing to :data:`evalkit.training.MIN_JP_PER_YEAR`.

    Parameters
    ----------
    training_asn_year : DataFrame
        Table ``training_asn_year`` (notebook 03): ``pid``, ``unit``, ``tahun``, ``jp``,
        ``memenuhi_20jp``; one row per ASN and year, ASN without training included with 0 JP.
    year : int, optional
        Year to describe; default the latest in the table.

    Returns
    -------
    DataFrame
        ``unit``, ``tahun``, ``n_asn``, ``n_memenuhi_20jp``, ``share_20jp``,
        ``kekurangan_jp`` (mean JP missing to 20, 0 for those with 20 JP or more).

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
        _short=(MIN_JP_PER_YEAR - rows["jp"].astype("float64")).clip(lower=0),
    )
    out = rows.groupby("unit", sort=True).agg(
        n_asn=("pid", "nunique"), n_memenuhi_20jp=("_met", "sum"),
        kekurangan_jp=("_short", "mean"))
    out["share_20jp"] = out["n_memenuhi_20jp"] / out["n_asn"]
    out.insert(0, "tahun", year)
    return out.reset_index()[["unit", "tahun", "n_asn", "n_memenuhi_20jp", "share_20jp",
                              "kekurangan_jp"]]


def training_needs(gaps: pd.DataFrame, catalog: pd.DataFrame, jp: pd.DataFrame | None = None,
                   transfer: pd.DataFrame | None = None, *,
                   jp_share_threshold: float = 0.8) -> pd.DataFrame:
    """Rank each unit's training needs, with the evidence behind each line.

    Rule, in plain words: an element is a need when the unit's NRR is below the city's and
    the difference is significant after the multiplicity correction of
    :func:`element_gaps` (``di_bawah_kota``; Benjamini–Hochberg by default). Within
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
        From :func:`evalkit.recommend.transfer.transfer_by_unit`.
    jp_share_threshold : float, default 0.8
        Share of staff meeting 20 JP below which the unit gets the JP line.

    Returns
    -------
    DataFrame
        One row per unit × need: ``unit``, ``peringkat`` (1 = first), ``unsur`` (``jp_20``
        for the JP line), ``topic``, ``bentuk``, ``pelatihan_disarankan`` (the catalog's
        courses for the topic), ``n``, ``nrr``, ``nrr_kota``, ``selisih``,
        ``ci_low``, ``ci_high``, ``share_20jp``, ``kekurangan_jp``, ``n_alumni``,
        ``n_menjawab``, ``share_kesulitan``, ``transfer_lemah``. Sorted by unit and rank.

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
        needs = needs.merge(transfer[["unit", "n_alumni", "n_menjawab", "share_kesulitan",
                                      "transfer_lemah"]], on="unit", how="left")
    else:
        needs = needs.assign(n_alumni=pd.NA, n_menjawab=pd.NA, share_kesulitan=np.nan,
                             transfer_lemah=pd.NA)
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
                  "n_menjawab", "share_kesulitan", "transfer_lemah"]].reset_index(drop=True)


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




__all__ = ["CATALOG_KINDS", "GAP_CORRECTIONS", "element_gaps", "gap_overview", "jp_gaps",
           "load_catalog", "needs_overview", "training_needs"]
