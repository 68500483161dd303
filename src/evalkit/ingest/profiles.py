"""Profiles of people at cleaning: survey respondents' categories and everyone's age band.

SKM exports use different category lists for the respondent profile (``L`` / ``Laki-laki``,
``SLTA`` / ``SMA``, ``Wirausaha`` / ``Wiraswasta``). The cleaning step maps them to the one
list of the processed ``skm`` table (:mod:`evalkit.schemas`: ``JENIS_KELAMIN``,
``PENDIDIKAN_RESPONDEN``, ``PEKERJAAN_RESPONDEN``), so ``skm.parquet`` is canonical and every
later breakdown counts its values as they are. A value that matches no category becomes
:data:`~evalkit.schemas.PROFILE_OTHER` (``"Lainnya"``): a response never loses its answers over
its profile, and the reader warns which values it did not recognise. Blank stays blank.

Ages become bands with :func:`age_band`, one function for the two band sets of
:mod:`evalkit.schemas`: :data:`ASN_AGE_BANDS` (the roster) and :data:`RESPONDENT_AGE_BANDS`.

Examples
--------
>>> import pandas as pd
>>> harmonise_profile(pd.Series(["Laki-laki", "P", "x", None]), "jenis_kelamin").tolist()
['L', 'P', 'Lainnya', nan]
>>> respondent_age_band(pd.Series(["19", "45 tahun", "20 - 29", "?"])).tolist()
['<20', '40-49', '20-29', 'Lainnya']

"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from evalkit.privacy import KnownNames, redact
from evalkit.schemas import (
    ASN_AGE_BANDS,
    JENIS_KELAMIN,
    PEKERJAAN_RESPONDEN,
    PENDIDIKAN_RESPONDEN,
    PROFILE_OTHER,
    RESPONDENT_AGE_BANDS,
    AgeBands,
)

from ._common import DataQualityWarning
from ._parse import map_labels, norm_label, per_unique

#: Oldest age in years read as a respondent's age; a larger number is not an age.
MAX_AGE = 120


def _same(values: Iterable[str]) -> dict[str, str]:
    return {v: v for v in values}


#: Raw category → category of the processed ``skm`` table, per profile column. Keys are
#: matched ignoring case, repeated spaces and end punctuation. Occupations are merged to what
#: every common form can express: one form has a single "PNS/TNI/POLRI" option, so PNS and
#: TNI/POLRI are merged too; "Ibu Rumah Tangga" is folded into "Lainnya" because the other
#: form has no such option. The pegawai reader uses the same sex labels.
PROFILE_CATEGORIES: dict[str, dict[str, str]] = {
    "jenis_kelamin": {**_same(JENIS_KELAMIN), "laki-laki": "L", "laki laki": "L",
                      "pria": "L", "perempuan": "P", "wanita": "P"},
    "pendidikan": {**_same(PENDIDIKAN_RESPONDEN), "sltp": "SMP", "slta": "SMA", "smk": "SMA",
                   "diploma": "D1-D3", "d1": "D1-D3", "d2": "D1-D3", "d3": "D1-D3",
                   "s1": "D4/S1", "d4": "D4/S1", "s1/d4": "D4/S1"},
    "pekerjaan": {**_same(PEKERJAAN_RESPONDEN), "pns": "PNS/TNI/POLRI",
                  "tni/polri": "PNS/TNI/POLRI", "pegawai swasta": "Swasta",
                  "wirausaha": "Wiraswasta", "ibu rumah tangga": PROFILE_OTHER},
}


def harmonise_profile(values: pd.Series, column: str,
                      mapping: Mapping[str, Mapping[str, str]] | None = None) -> pd.Series:
    """Map a profile column's raw categories to the one list of the ``skm`` table.

    Parameters
    ----------
    values : pandas.Series
        Raw values (text or Categorical; a Categorical stays one, the work is done per
        distinct value).
    column : str
        The processed column: ``jenis_kelamin``, ``pendidikan`` or ``pekerjaan``.
    mapping : mapping, optional
        Raw category → category, per column (default :data:`PROFILE_CATEGORIES`).

    Returns
    -------
    pandas.Series
        The category of each value; :data:`~evalkit.schemas.PROFILE_OTHER` for a value the
        mapping does not know; missing where the value is blank.

    Raises
    ------
    KeyError
        When the mapping has no categories for ``column``.

    Examples
    --------
    >>> import pandas as pd
    >>> harmonise_profile(pd.Series(["SLTA", " s1 ", "Kursus"]), "pendidikan").tolist()
    ['SMA', 'D4/S1', 'Lainnya']

    """
    table = (mapping or PROFILE_CATEGORIES).get(column)
    if table is None:
        raise KeyError(f"harmonise_profile: no categories for {column!r}; known columns: "
                       f"{', '.join(mapping or PROFILE_CATEGORIES)}.")

    def harmonise(text: pd.Series) -> pd.Series:
        blank = text.isna() | norm_label(text).eq("").fillna(False)
        return map_labels(text, dict(table)).fillna(PROFILE_OTHER).where(~blank)

    return per_unique(values, harmonise)


def age_band(age: pd.Series, bands: AgeBands) -> pd.Series:
    """Age in whole years → the label of its band (missing for a missing or negative age).

    Parameters
    ----------
    age : pandas.Series
        Ages in years (numbers, or text holding numbers).
    bands : AgeBands
        :data:`ASN_AGE_BANDS` (civil servants) or :data:`RESPONDENT_AGE_BANDS` (survey
        respondents), or any other :class:`~evalkit.schemas.AgeBands`.

    Returns
    -------
    pandas.Series
        Text labels named ``kelompok_umur``.

    Examples
    --------
    >>> import pandas as pd
    >>> ages = pd.Series([19, 29, 30, 61, None])
    >>> age_band(ages, ASN_AGE_BANDS).tolist()
    ['<30', '<30', '30-39', '60+', nan]
    >>> age_band(ages, RESPONDENT_AGE_BANDS).tolist()
    ['<20', '20-29', '30-39', '60+', nan]

    """
    years = pd.to_numeric(age, errors="coerce").astype("Float64")
    bands_of = pd.cut(years, bins=[0, *bands.edges, np.inf], right=False,
                      labels=list(bands.labels))
    return bands_of.astype("str").rename("kelompok_umur")


def respondent_age_band(umur: pd.Series, bands: AgeBands = RESPONDENT_AGE_BANDS) -> pd.Series:
    """Put a survey's ``Umur`` answers in respondent age bands.

    A whole number of years (0–:data:`MAX_AGE`, "tahun" allowed) is put in its band; a band
    label already given (``20-29``, ``< 20 tahun``) is kept; anything else becomes
    :data:`~evalkit.schemas.PROFILE_OTHER`; blank stays blank.

    Examples
    --------
    >>> import pandas as pd
    >>> respondent_age_band(pd.Series(["17", "60 thn", "< 20 Tahun", "200", None])).tolist()
    ['<20', '60+', '<20', 'Lainnya', nan]

    """
    def band(text: pd.Series) -> pd.Series:
        norm = text.str.casefold().str.replace(r"\s+|tahun|thn", "", regex=True)
        whole = norm.str.fullmatch(r"\d{1,3}").fillna(False).astype(bool)
        years = pd.to_numeric(norm.where(whole), errors="coerce")
        banded = age_band(years.where(years <= MAX_AGE), bands)
        given = norm.where(norm.isin(bands.labels))
        return banded.fillna(given).fillna(PROFILE_OTHER).where(text.notna() & norm.ne(""))

    return per_unique(umur, band).rename("kelompok_umur")


def unrecognised_values(raw: pd.Series, harmonised: pd.Series,
                        known: Iterable[str] = ()) -> list[str]:
    """List the raw values that became "Lainnya" without being a known label.

    Distinct raw values (sorted) mapped to :data:`~evalkit.schemas.PROFILE_OTHER` although
    they are none of the ``known`` labels nor "Lainnya" itself: what a category mapping
    should learn.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.Series(["Petani", "lainnya", "Ibu rumah tangga", "PNS", "Petani"])
    >>> mapped = harmonise_profile(raw, "pekerjaan")
    >>> unrecognised_values(raw, mapped, PROFILE_CATEGORIES["pekerjaan"])
    ['Petani']

    """
    other = harmonised.eq(PROFILE_OTHER).fillna(False).to_numpy(dtype=bool)
    distinct = pd.Series(raw[other].dropna().unique(), dtype="str")
    labels = norm_label(pd.Series([*known, PROFILE_OTHER], dtype="str"))
    return sorted(distinct[~norm_label(distinct).isin(labels)].tolist())


def warn_unrecognised(raw: Mapping[str, pd.Series], harmonised: Mapping[str, pd.Series],
                      person_names: KnownNames | None = None) -> dict[str, list[str]]:
    """Warn about profile values mapped to "Lainnya" because no category matched.

    One :class:`DataQualityWarning` names the values that no category of
    :data:`PROFILE_CATEGORIES` (or age band) matched; they are returned by column. Values are
    redacted before they are shown (profile fields can hold free text).

    Examples
    --------
    >>> import pandas as pd, warnings
    >>> raw = {"pekerjaan": pd.Series(["Petani", "PNS"])}
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     found = warn_unrecognised(raw, {"pekerjaan": harmonise_profile(raw["pekerjaan"],
    ...                                                                     "pekerjaan")})
    >>> found, caught[0].category.__name__
    ({'pekerjaan': ['Petani']}, 'DataQualityWarning')

    """
    found = {column: unrecognised_values(raw[column], harmonised[column],
                                         PROFILE_CATEGORIES.get(column, ()))
             for column in raw}
    found = {column: values for column, values in found.items() if values}
    if found:
        shown = "; ".join(
            f"{column}: " + ", ".join(redact(pd.Series(values[:5]), person_names).tolist())
            + (", …" if len(values) > 5 else "") for column, values in found.items())
        warnings.warn(
            f"skm: respondent-profile values that match no category were counted as "
            f"'{PROFILE_OTHER}' (the responses are kept): {shown}. If they are a known "
            f"category written differently, add them to evalkit.ingest.PROFILE_CATEGORIES.",
            DataQualityWarning, stacklevel=3)
    return found


__all__ = ["ASN_AGE_BANDS", "MAX_AGE", "PROFILE_CATEGORIES", "RESPONDENT_AGE_BANDS",
           "age_band", "harmonise_profile", "respondent_age_band", "unrecognised_values",
           "warn_unrecognised"]
