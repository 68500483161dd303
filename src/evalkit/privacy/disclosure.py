"""Disclosure control of published tables: every small-cell and complementary suppression.

The one convention: a cell resting on fewer than ``min_n`` people (5 by default,
``min_cell_size`` in the pipeline) is left empty, the column ``suppressed`` marks its row and
``table.attrs["suppressed"]`` states the rule. Where a reader knows a group's total, a single
hidden cell could be worked back by subtraction, so a second one is hidden with it
(complementary suppression, :func:`hidden_cells`). The full tables stay in ``data/processed``
for analysis; what a run publishes passes through here.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"unit": ["A", "B"], "n": [12, 3], "ikm": [80.1, 91.0]})
>>> suppress_small_cells(t, "n")["suppressed"].tolist()
[False, True]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd


def suppress_small_cells(table: pd.DataFrame, count_cols: str | Sequence[str],
                         min_n: int = 5, value_cols: Sequence[str] | None = None,
                         partition: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Blank out values of cells built on fewer than ``min_n`` people.

    Convention: in every row where a count column is below ``min_n`` (and above zero is not
    required: a count of 0 is also suppressed), the value columns become missing (NaN/NA) and
    the count itself is kept only as "< min_n" by being set missing too; the boolean column
    ``suppressed`` marks those rows, and ``table.attrs["suppressed"]`` records the rule, so a
    reader of the CSV sees why a cell is empty. Counts are suppressed as well because a count
    of 1 or 2 can identify a person on its own.

    Parameters
    ----------
    table : DataFrame
    count_cols : str or sequence of str
        Column(s) with the number of people behind each row; a row is suppressed when any of
        them is below ``min_n``.
    min_n : int, default 5
    value_cols : sequence of str, optional
        Columns to blank. Default: every numeric column except the grouping keys (non-numeric
        columns) — i.e. all statistics of the row, including the counts.
    partition : str or sequence of str, optional
        When the rows of a group add up to a total a reader knows (a unit's categories, the
        units of a city), a single blanked row could be worked back as total − the others:
        the group key column(s) here turn on complementary suppression within each group
        (:func:`hidden_cells`, on the one count column); ``[]`` makes the whole table one
        group. Default: no complementary suppression.

    Returns
    -------
    DataFrame
        A new table with the column ``suppressed`` (bool).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"unit": ["A", "B"], "n": [12, 3], "ikm": [80.1, 91.0]})
    >>> out = suppress_small_cells(t, "n")
    >>> out["ikm"].isna().tolist(), out["suppressed"].tolist()
    ([False, True], [False, True])

    With the city's total known, the one small unit would be total − the others; the next
    smallest is hidden with it:

    >>> t = pd.DataFrame({"unit": ["A", "B", "C"], "n": [12, 3, 7]})
    >>> suppress_small_cells(t, "n", partition=[])["n"].tolist()
    [12, <NA>, <NA>]
    """
    counts = [count_cols] if isinstance(count_cols, str) else list(count_cols)
    missing = [c for c in counts if c not in table.columns]
    if missing:
        raise KeyError(f"suppress_small_cells: count column(s) {missing} not in the table; "
                       f"columns are {list(table.columns)}.")
    if partition is not None and len(counts) != 1:
        raise ValueError("suppress_small_cells: complementary suppression (partition=) needs "
                         f"exactly one count column, not {counts}.")
    out = table.copy()
    small = pd.Series(False, index=out.index)
    for col in counts:
        small |= pd.to_numeric(out[col], errors="coerce").fillna(0).lt(min_n)
    if partition is not None:
        keys = [partition] if isinstance(partition, str) else list(partition)
        small |= hidden_cells(out[counts[0]], out[keys] if keys else None, min_n=min_n)
    if value_cols is None:
        value_cols = [c for c in out.columns if pd.api.types.is_numeric_dtype(out[c])
                      and not pd.api.types.is_bool_dtype(out[c])]
    for col in value_cols:
        if isinstance(out[col].dtype, np.dtype) and out[col].dtype.kind in "iu":
            # numpy integers cannot hold a missing value; the nullable type keeps them integer
            out[col] = out[col].astype("Int64")
        out[col] = out[col].mask(small)
    out["suppressed"] = small.to_numpy()
    out.attrs["suppressed"] = (f"cells built on fewer than {min_n} people (columns "
                               f"{', '.join(counts)}) are left empty; see column 'suppressed'")
    return out


def hidden_cells(counts: pd.Series, groups: pd.DataFrame | pd.Series | None = None, *,
                 min_n: int = 5) -> pd.Series:
    """Cells to hide in a published table: small cells plus complementary ones.

    Primary: every cell whose count is below ``min_n`` (0 included, as
    :func:`suppress_small_cells` does). Complementary: where the cells of one group add up to
    a total a reader can know (the group's own table, or n / share), a single hidden
    non-empty cell equals total − visible; so in each group with exactly one hidden
    non-empty cell, the smallest visible non-empty cell is hidden as well. Empty cells (count
    0) hide no person and do not count as protection. Categories that overlap (one person in
    several) are treated the same way: hiding more never harms.

    Parameters
    ----------
    counts : pandas.Series
        People behind each cell.
    groups : DataFrame or Series, optional
        Group keys (same index); cells of one group partition a published total. Default: one
        group.
    min_n : int, default 5

    Returns
    -------
    pandas.Series
        Boolean, True where the cell must be hidden.

    Examples
    --------
    >>> hidden_cells(pd.Series([10, 3, 7, 8])).tolist()
    [False, True, True, False]
    """
    n = pd.to_numeric(counts, errors="coerce").fillna(0).astype("float64")
    keys = [pd.Series(0, index=n.index)] if groups is None else (
        [groups] if isinstance(groups, pd.Series) else [groups[c] for c in groups.columns])
    primary = n.lt(min_n)
    n_secret = (primary & n.gt(0)).groupby(keys, sort=False).transform("sum")
    # rank the visible non-empty cells within the group; ties broken by table order
    rank = n.where(~primary & n.gt(0)).groupby(keys, sort=False).rank(method="first")
    return (primary | (n_secret.eq(1) & rank.eq(1))).astype(bool)


def publishable_rows(table: pd.DataFrame, min_cell_size: int = 5,
                     count: str = "n_responses") -> pd.DataFrame:
    """Only the rows resting on at least ``min_cell_size`` respondents.

    For figures and notebook displays of unit results (IKM by unit, changes, comparisons),
    where a blanked cell cannot be drawn: the small groups are left out instead.

    Examples
    --------
    >>> t = pd.DataFrame({"unit": ["A", "B"], "n_responses": [40, 3], "ikm": [80.0, 91.0]})
    >>> publishable_rows(t)["unit"].tolist()
    ['A']
    """
    if count not in table.columns:
        raise KeyError(f"publishable_rows: count column {count!r} not in the table; columns "
                       f"are {list(table.columns)}.")
    return table[pd.to_numeric(table[count], errors="coerce").fillna(0).ge(min_cell_size)]


# --- whole tables of the pipeline ---------------------------------------------------------
def suppress_parts(table: pd.DataFrame, parts: Mapping[str, Sequence[str]],
                   min_n: int = 5) -> pd.DataFrame:
    """Small-cell suppression of a table whose columns rest on different counts.

    Each ``count column → value columns`` part goes through
    :func:`evalkit.privacy.suppress_small_cells`; ``suppressed`` is True where any part was
    suppressed because its count was present and below ``min_n`` (a missing count means the
    statistic does not exist, not that it was hidden).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"unit": ["A", "B"], "n": [10, 2], "nrr": [3.1, 2.9],
    ...                   "n_asn": [3, 50], "share": [0.5, 0.7]})
    >>> out = suppress_parts(t, {"n": ["n", "nrr"], "n_asn": ["n_asn", "share"]})
    >>> out["nrr"].isna().tolist(), out["share"].isna().tolist(), out["suppressed"].tolist()
    ([False, True], [True, False], [True, True])

    """
    out = table.copy()
    flag = pd.Series(False, index=out.index)
    for count_col, value_cols in parts.items():
        if count_col not in out.columns:
            continue
        present = out[count_col].notna()
        out = suppress_small_cells(out, count_col, min_n=min_n,
                                   value_cols=[c for c in value_cols if c in out.columns])
        flag |= out["suppressed"].astype(bool) & present
    out["suppressed"] = flag.to_numpy()
    out.attrs["suppressed"] = (f"cells built on fewer than {min_n} people are left empty; "
                               "see column 'suppressed'")
    return out


def suppress_with_margin(table: pd.DataFrame, count_col: str, group_col: str,
                         min_n: int = 5) -> pd.DataFrame:
    """Small-cell suppression with a secondary cell where the group's total is published.

    Counts below ``min_n`` are hidden (primary). The total of each group (e.g. a table's
    quarantined rows, published in ``kualitas_data``) minus the shown cells would give the
    sum of the hidden ones; so, in a group with a hidden cell, the next smallest cells are
    hidden as well until the hidden cells add up to at least ``min_n`` (or all are hidden).

    Examples
    --------
    >>> t = pd.DataFrame({"table": ["a", "a", "a"], "kind": ["x", "y", "z"], "n": [2, 6, 40]})
    >>> suppress_with_margin(t, "n", "table")["n"].isna().tolist()
    [True, True, False]
    """
    out = table.copy()
    n = pd.to_numeric(out[count_col], errors="coerce").fillna(0)
    primary = n.lt(min_n)
    # Ascending within the group: hide while the cells before this one sum to < min_n.
    order = n.sort_values(kind="mergesort").index
    before = (n.loc[order].groupby(out.loc[order, group_col]).cumsum() - n.loc[order])
    has_primary = primary.groupby(out[group_col]).transform("any")
    hide = primary | (has_primary & before.reindex(out.index).lt(min_n))
    out[count_col] = out[count_col].astype("Int64").mask(hide)
    out["suppressed"] = hide.to_numpy()
    out.attrs["suppressed"] = (f"cells built on fewer than {min_n} people are left empty, and "
                               f"next to them the smallest cells of the same {group_col} so "
                               "that its total does not reveal them; see column 'suppressed'")
    return out


def suppress_quality(rows: pd.DataFrame, min_n: int = 5) -> pd.DataFrame:
    """The data-quality table (rows in, clean, quarantined per table), small cells hidden.

    Quarantine counts are rows, not always people (a training record, an SKP year), but a row
    of the roster, the survey or the evaluations is one person, and rows of one person's
    records are at most as many people: so a count of 1–4 quarantined rows is treated as a
    cell under ``min_n`` people (the cautious reading). Zero quarantined rows says nothing
    about anyone and stays. Where ``rows_quarantined`` is hidden, ``rows_in`` and
    ``rows_clean`` are hidden too: their difference is the hidden number (complementary
    suppression).

    Examples
    --------
    >>> t = pd.DataFrame({"table": ["a", "b", "c"], "rows_in": [100, 50, 9],
    ...                   "rows_clean": [97, 40, 9], "rows_quarantined": [3, 10, 0]})
    >>> suppress_quality(t)[["rows_in", "rows_clean", "rows_quarantined"]].isna().any(
    ...     axis=1).tolist()
    [True, False, False]
    """
    q = pd.to_numeric(rows["rows_quarantined"], errors="coerce")
    # suppress_small_cells hides zeros too; a zero is no person, so the count it tests is
    # min_n for those rows.
    guarded = rows.assign(_n_test=q.mask(q.eq(0), min_n))
    cols = [c for c in ["rows_in", "rows_clean", "rows_quarantined"] if c in rows.columns]
    out = suppress_small_cells(guarded, "_n_test", min_n=min_n, value_cols=cols)
    return out.drop(columns="_n_test")


def suppress_mentoring_summary(summary: pd.DataFrame, min_n: int = 5) -> pd.DataFrame:
    """Per unit mentees, eligible mentors, pairs and mentees without a mentor, as published.

    Every count is of people. A unit's row is hidden when mentees, eligible mentors or pairs
    are fewer than ``min_n``, or when 1 to ``min_n − 1`` mentees are left without a mentor
    (``n_mentee − n_pasangan`` would reveal that count). ``n_mentor_dipakai`` is not
    published (it can be as small as one mentor).

    Examples
    --------
    >>> s = pd.DataFrame({"unit": ["A", "B", "C"], "n_mentee": [8, 3, 9],
    ...     "n_mentor_layak": [6, 7, 6], "n_pasangan": [8, 3, 7], "n_tanpa_mentor": [0, 0, 2]})
    >>> suppress_mentoring_summary(s)["n_mentee"].isna().tolist()
    [False, True, True]
    """
    counts = ["n_mentee", "n_mentor_layak", "n_pasangan", "n_tanpa_mentor"]
    without = pd.to_numeric(summary["n_tanpa_mentor"], errors="coerce")
    guarded = summary[["unit", *counts]].assign(_tanpa=without.mask(without.eq(0), min_n))
    out = suppress_small_cells(guarded, ["n_mentee", "n_mentor_layak", "n_pasangan", "_tanpa"],
                               min_n=min_n, value_cols=counts)
    return out.drop(columns="_tanpa")


def published_total(values: pd.Series, suppressed: pd.Series, min_n: int = 5) -> int | None:
    """A total over rows of which some are suppressed, or None when it would reveal them.

    The total minus the shown rows is the sum of the hidden ones; the total is published
    only when that sum is 0 or at least ``min_n``, and the total itself at least ``min_n``.

    Examples
    --------
    >>> published_total(pd.Series([10, 3]), pd.Series([False, True])) is None
    True
    >>> published_total(pd.Series([10, 3, 4]), pd.Series([False, True, True]))
    17
    """
    values = pd.to_numeric(values, errors="coerce").fillna(0)
    hidden = int(values[suppressed.astype(bool).to_numpy()].sum())
    total = int(values.sum())
    return total if total >= min_n and (hidden == 0 or hidden >= min_n) else None


#: Panel columns by the count of people they rest on; :func:`publish_panel` hides a column
#: where its count is below the minimum. The count columns themselves stay, except
#: ``n_responses`` and ``n_evaluasi`` (blanked with their values when 1 to min_n − 1).
PANEL_PARTS: dict[str, list[str]] = {
    "n_responses": ["ikm", *[f"nrr_u{k}" for k in range(1, 10)]],
    "n_asn": ["share_trained", "jp_per_asn_cum", "share_mentored"],
    "n_evaluasi": ["l3_score", "share_difficulty"],
}


def _published_cumulative(panel: pd.DataFrame, count: str, min_n: int) -> pd.Series:
    """Rows where a cumulative mean over ``count`` may be shown.

    A cumulative mean is shown when it rests on ≥ ``min_n`` evaluations *and* differs from
    the unit's last shown one by ≥ ``min_n`` new evaluations (or by none): otherwise two
    shown quarters would give the mean of the 1–4 evaluations between them
    ((n₂·m₂ − n₁·m₁) / (n₂ − n₁)).
    """
    wide = panel.pivot(index="unit", columns="t", values=count).astype("float64") \
        .fillna(0).to_numpy()
    shown = np.zeros(wide.shape, dtype=bool)
    last = np.zeros(wide.shape[0])
    # a loop over the quarters (a dozen or so), vectorised over units: the rule depends on
    # the previously shown quarter, which no cumulative numpy function expresses
    for j in range(wide.shape[1]):
        n = wide[:, j]
        ok = (n >= min_n) & ((n == last) | (n - last >= min_n))
        shown[:, j] = ok
        last = np.where(ok, n, last)
    units = panel.pivot(index="unit", columns="t", values=count).index
    flat = pd.Series(shown.reshape(-1), index=pd.MultiIndex.from_product(
        [units, range(1, wide.shape[1] + 1)], names=["unit", "t"]))
    return pd.Series(flat.reindex(pd.MultiIndex.from_frame(panel[["unit", "t"]])).to_numpy(),
                     index=panel.index)


def publish_panel(panel: pd.DataFrame, min_n: int = 5) -> pd.DataFrame:
    """The unit × quarter panel as it may be published: cells under ``min_n`` people hidden.

    Per :data:`PANEL_PARTS`: IKM and NRR where ``n_responses`` is 1 to ``min_n`` − 1;
    exposure shares where ``n_asn`` < ``min_n``; ``l3_score`` and ``share_difficulty`` where
    ``n_evaluasi`` < ``min_n`` or where the evaluations added since the unit's last shown
    quarter are fewer than ``min_n`` (their mean would follow by differencing). The column
    ``suppressed`` marks rows with a hidden value. Keep the full panel (data/processed) for
    analysis; publish this one.

    Examples
    --------
    >>> p = pd.DataFrame({"unit": ["A"] * 3, "t": [1, 2, 3], "n_evaluasi": [1, 6, 8],
    ...                   "l3_score": [4.0, 3.5, 3.6], "share_difficulty": [0.0, .5, .4]})
    >>> publish_panel(p)["l3_score"].tolist()
    [nan, 3.5, nan]
    """
    out = panel.copy()
    flag = pd.Series(False, index=out.index)
    for count, values in PANEL_PARTS.items():
        if count not in out.columns:
            continue
        n = pd.to_numeric(out[count], errors="coerce").fillna(0)
        hide = n.lt(min_n)
        if count == "n_evaluasi":
            hide |= ~_published_cumulative(out, count, min_n)
        cols = [c for c in values if c in out.columns]
        had_value = out[cols].notna().any(axis=1)
        for col in cols:
            out[col] = out[col].mask(hide)
        if count in ("n_responses", "n_evaluasi"):
            small = n.gt(0) & n.lt(min_n)
            out[count] = out[count].astype("Int64").mask(small)
        flag |= hide & had_value
    out["suppressed"] = flag.to_numpy()
    out.attrs["suppressed"] = (f"values resting on fewer than {min_n} people are left empty "
                               "(IKM: n_responses; exposure: n_asn; level 3: n_evaluasi, also "
                               "when fewer than that were added since the last shown quarter); "
                               "see column 'suppressed'")
    return out


def publish_jp_breakdown(table: pd.DataFrame, by: Sequence[str] | str = ("unit", "tahun"),
                         min_n: int = 5) -> pd.DataFrame:
    """A :func:`jp_breakdown` table as it may be published.

    Each category cell rests on its ``n_trained`` people (not on the group's ``n_asn``), so
    ``n_trained``, ``jp_total``, ``jp_per_asn`` and ``share_trained`` are hidden where
    ``n_trained`` < ``min_n`` — and, since a group's JP add up to a total readers know from
    ``jp_unit_year`` (``n_asn × jp_mean``), the next-smallest cell of a group in which only one
    trained cell is hidden (:func:`evalkit.privacy.hidden_cells`). Everything is hidden in
    groups with ``n_asn`` < ``min_n``. Column ``suppressed`` marks hidden rows.

    Examples
    --------
    >>> t = pd.DataFrame({"tahun": [2024] * 3, "rumpun": ["a", "b", "c"], "n_asn": [40] * 3,
    ...                   "n_trained": [20, 2, 9], "jp_total": [400.0, 30.0, 90.0]})
    >>> publish_jp_breakdown(t, by="tahun")["jp_total"].tolist()
    [400.0, nan, nan]
    """
    by = [by] if isinstance(by, str) else list(by)
    values = [c for c in ("n_trained", "jp_total", "jp_per_asn", "share_trained")
              if c in table.columns]
    # a group of fewer than min_n ASN has fewer than min_n trained in every cell: all hidden
    out = suppress_small_cells(table, "n_trained", min_n=min_n, value_cols=values,
                               partition=by)
    small_group = pd.to_numeric(out["n_asn"]).lt(min_n)
    out["n_asn"] = out["n_asn"].astype("Int64").mask(small_group)
    out.attrs["suppressed"] = (f"category cells of fewer than {min_n} trained people are left "
                               "empty, with the next-smallest cell of the group where only one "
                               "was; see column 'suppressed'")
    return out


__all__ = ["PANEL_PARTS", "hidden_cells", "publish_jp_breakdown", "publish_panel",
           "publishable_rows", "published_total", "suppress_mentoring_summary",
           "suppress_parts", "suppress_quality", "suppress_small_cells", "suppress_with_margin"]
