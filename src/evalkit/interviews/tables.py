"""Result tables reshaped for reading: theme shares with groups as rows, themes as columns.

Examples
--------
>>> import pandas as pd
>>> freq = pd.DataFrame({"dimensi": ["unit"] * 2, "kelompok": ["A", "A"],
...                      "tema": ["beban_kerja", "dampak_positif"], "n_informan": [5, 5],
...                      "proporsi": [0.4, 0.8]})
>>> theme_share_table(freq, ["dampak_positif", "beban_kerja"]).to_numpy().tolist()
[[5.0, 0.8, 0.4]]
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def theme_share_table(frequencies: pd.DataFrame, themes: Sequence[str], *,
                      size: str = "n_informan", decimals: int = 2) -> pd.DataFrame:
    """Groups as rows, themes as columns (shares), with the group size in front.

    Parameters
    ----------
    frequencies : pandas.DataFrame
        Long table of :func:`~evalkit.interviews.theme_frequencies` (or its subset):
        ``dimensi``, ``kelompok``, ``tema``, ``proporsi`` and the size column.
    themes : sequence of str
        Theme keys in the column order wanted (a theme absent from the table gives an empty
        column).
    size : str
        Column with the group size (the same on every theme row of a group).
    decimals : int
        Shares are rounded to this many decimals.

    Returns
    -------
    pandas.DataFrame
        Index (``dimensi``, ``kelompok``), sorted; columns ``size`` then one per theme;
        suppressed shares stay empty.

    Examples
    --------
    >>> freq = pd.DataFrame({"dimensi": ["unit"] * 2, "kelompok": ["B", "A"],
    ...                      "tema": ["beban_kerja"] * 2, "n_informan": [3, 6],
    ...                      "proporsi": [None, 0.5]})
    >>> theme_share_table(freq, ["beban_kerja"])["beban_kerja"].tolist()
    [0.5, nan]
    """
    keys = ["dimensi", "kelompok"]
    shares = frequencies.pivot(index=keys, columns="tema", values="proporsi")
    shares = shares.reindex(columns=list(themes)).astype(float).round(decimals)
    shares.insert(0, size, frequencies.groupby(keys)[size].first())
    shares.columns.name = "tema"
    return shares.sort_index()


__all__ = ["theme_share_table"]
