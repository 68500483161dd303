"""Tables for reading: what the transcripts hold, and theme shares with groups as rows.

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

from evalkit.labels import Lang, check_lang

#: Row and column labels of :func:`transcript_counts`, by language.
_COUNT_LABELS: dict[str, dict[str, str]] = {
    "id": {"informants": "informan", "units": "unit", "turns": "giliran bicara (semua)",
           "informant_turns": "segmen informan",
           "coded_segments": "segmen dengan koding manual",
           "coded_informants": "informan dengan koding manual", "count": "jumlah"},
    "en": {"informants": "informants", "units": "units", "turns": "speaker turns (all)",
           "informant_turns": "informant segments",
           "coded_segments": "segments coded by hand",
           "coded_informants": "informants coded by hand", "count": "count"},
}


def transcript_counts(segments: pd.DataFrame, manual: pd.DataFrame,
                      lang: Lang = "id") -> pd.DataFrame:
    """How much the transcripts and the manual coding hold: informants, units, turns.

    Parameters
    ----------
    segments : pandas.DataFrame
        The processed table ``wawancara_segmen`` (``kode_informan``, ``unit``,
        ``pembicara``).
    manual : pandas.DataFrame
        The processed table ``wawancara_koding_manual`` (``kode_informan``, ``segmen``).
    lang : {"id", "en"}
        Language of the row labels.

    Returns
    -------
    pandas.DataFrame
        One column (``jumlah`` / ``count``), one row per count: informants, units, speaker
        turns (interviewer and informant), informant turns (``pembicara`` "I"), segments
        and informants coded by hand.

    Examples
    --------
    >>> seg = pd.DataFrame({"kode_informan": ["INF-1"] * 3 + ["INF-2"] * 2,
    ...                     "unit": ["A"] * 3 + ["B"] * 2, "pembicara": list("PIIPI")})
    >>> man = pd.DataFrame({"kode_informan": ["INF-1"] * 2, "segmen": [1, 1],
    ...                     "tema": ["x", "y"]})
    >>> transcript_counts(seg, man, lang="en")["count"].tolist()
    [2, 2, 5, 3, 1, 1]

    """
    labels = _COUNT_LABELS[check_lang(lang)]
    counts = pd.Series({
        "informants": segments["kode_informan"].nunique(),
        "units": segments["unit"].nunique(),
        "turns": len(segments),
        "informant_turns": int(segments["pembicara"].eq("I").sum()),
        "coded_segments": len(manual[["kode_informan", "segmen"]].drop_duplicates()),
        "coded_informants": manual["kode_informan"].nunique(),
    }, name=labels["count"])
    return counts.rename(index=labels).to_frame()


def theme_share_table(frequencies: pd.DataFrame, themes: Sequence[str], *,
                      size: str = "n_informan", decimals: int = 2) -> pd.DataFrame:
    """Lay theme shares out with groups as rows, themes as columns, the group size in front.

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


__all__ = ["theme_share_table", "transcript_counts"]
