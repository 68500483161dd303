"""Who answered: respondents and IKM per category of the respondent profile.

The processed ``skm`` table holds the profile already harmonised to one category list
(:func:`evalkit.ingest.harmonise_profile` at cleaning, with the respondent's age band in
``kelompok_umur``), so the breakdowns here count the values as they are. Small cells are
suppressed with complementary suppression (:func:`evalkit.privacy.suppress_small_cells`).

Examples
--------
>>> df = pd.DataFrame({"pekerjaan": ["Swasta"] * 5 + ["Lainnya"] * 5,
...                    **{f"u{k}": [3] * 5 + [4] * 5 for k in range(1, 10)}})
>>> profile_breakdown(df, "pekerjaan")[["pekerjaan", "n_responses", "ikm"]]
  pekerjaan  n_responses    ikm
0   Lainnya            5  100.0
1    Swasta            5   75.0

"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from evalkit.ikm.index import compute_ikm
from evalkit.privacy import suppress_small_cells

#: Profile columns of the processed ``skm`` table that are broken down, in display order.
PROFILES: tuple[str, ...] = ("jenis_kelamin", "kelompok_umur", "pendidikan", "pekerjaan")

#: Category shown for a respondent who left the profile field blank.
BLANK_CATEGORY = "(kosong)"


def profile_breakdown(responses: pd.DataFrame, profile: str,
                      by: Sequence[str] | str = (), *, weight: str = "exact",
                      min_cell_size: int = 5) -> pd.DataFrame:
    """Respondents and IKM per profile category, with small cells suppressed.

    Parameters
    ----------
    responses : pandas.DataFrame
        Processed SKM responses (profile values harmonised by the cleaning step).
    profile : str
        Profile column, e.g. ``jenis_kelamin``, ``pendidikan``, ``pekerjaan`` or
        ``kelompok_umur``. Blank values are counted as :data:`BLANK_CATEGORY`.
    by : sequence of str, default ()
        Extra grouping (e.g. ``("unit",)``).
    weight : {"exact", "rounded"}, default "exact"
        Element weight, as in :func:`~evalkit.ikm.index.compute_ikm`.
    min_cell_size : int, default 5
        Cells with fewer respondents are suppressed by
        :func:`evalkit.privacy.suppress_small_cells`.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``profile``, ``n_responses``, ``share`` (of the group's respondents),
        ``ikm``, ``mutu``; suppressed cells as the privacy module marks them.

    Raises
    ------
    KeyError
        When ``responses`` has no column ``profile`` (``kelompok_umur`` is written by the
        cleaning step since the respondent age bands moved there: rerun notebook 01).

    Examples
    --------
    >>> df = pd.DataFrame({"jenis_kelamin": ["L"] * 6 + ["P"] * 2,
    ...                    **{f"u{k}": [3] * 8 for k in range(1, 10)}})
    >>> profile_breakdown(df, "jenis_kelamin")["n_responses"].tolist()  # 8 − 6 would give 2
    [<NA>, <NA>]

    """
    by = [by] if isinstance(by, str) else list(by)
    if profile not in responses.columns:
        raise KeyError(f"profile_breakdown: no column {profile!r} in the responses (columns: "
                       f"{', '.join(map(str, responses.columns))}). The processed skm table "
                       "holds the harmonised profile; rerun notebook 01 if it is older.")
    data = responses.assign(**{profile: responses[profile].fillna(BLANK_CATEGORY)})
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


def profile_tables(responses: pd.DataFrame, profiles: Sequence[str] = PROFILES,
                   by: Sequence[str] | str = (), *, weight: str = "exact",
                   min_cell_size: int = 5) -> dict[str, pd.DataFrame]:
    """:func:`profile_breakdown` of each profile column, by column name.

    Examples
    --------
    >>> df = pd.DataFrame({"jenis_kelamin": ["L"] * 5, "pekerjaan": ["Swasta"] * 5,
    ...                    **{f"u{k}": [3] * 5 for k in range(1, 10)}})
    >>> tables = profile_tables(df, ["jenis_kelamin", "pekerjaan"])
    >>> {name: t["n_responses"].tolist() for name, t in tables.items()}
    {'jenis_kelamin': [5], 'pekerjaan': [5]}

    """
    return {profile: profile_breakdown(responses, profile, by, weight=weight,
                                       min_cell_size=min_cell_size)
            for profile in profiles}


def stack_profiles(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Stack the tables of :func:`profile_tables` one under the other, for display.

    Returns
    -------
    pandas.DataFrame
        ``profil`` (the profile column), ``kategori`` (its category), then the columns of
        each table.

    Examples
    --------
    >>> df = pd.DataFrame({"jenis_kelamin": ["L"] * 5, "pekerjaan": ["Swasta"] * 5,
    ...                    **{f"u{k}": [3] * 5 for k in range(1, 10)}})
    >>> stack_profiles(profile_tables(df, ["jenis_kelamin", "pekerjaan"]))[
    ...     ["profil", "kategori", "n_responses"]]
              profil kategori  n_responses
    0  jenis_kelamin        L            5
    1      pekerjaan   Swasta            5

    """
    stacked = pd.concat({name: table.rename(columns={name: "kategori"})
                         for name, table in tables.items()}, names=["profil"])
    return stacked.reset_index(level=0).reset_index(drop=True)


__all__ = ["BLANK_CATEGORY", "PROFILES", "profile_breakdown", "profile_tables",
           "stack_profiles"]
