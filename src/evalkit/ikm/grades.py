"""Grades of the converted IKM (Permenpan RB 14/2017): floors, mutu, kinerja, colours, rounding.

The converted IKM (25–100) is rounded **half-up** to two decimals and then graded A–D with the
grade table of Permenpan RB 14/2017 (not the old KEP/25/2004 one). ``kinerja`` is the
regulation's term for each grade; it is what processed tables hold, in any report language
(the English label comes from ``config/labels.yaml`` at display time).

Light on purpose (numpy and pandas only), like :mod:`evalkit.ikm.elements`: the schemas of the
processed tables take :data:`KINERJA` from here.

Examples
--------
>>> grade(88.305), kinerja("A"), GRADE_FLOORS["B"]
('A', 'Sangat baik', 76.61)

"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from numbers import Real

import numpy as np
import pandas as pd

from evalkit.labels import Lang, code_label, translate_codes

#: Lowest converted IKM, in hundredths, of each grade (Permenpan RB 14/2017, Lampiran):
#: D 25.00–64.99, C 65.00–76.60, B 76.61–88.30, A 88.31–100.00.
GRADE_FLOORS_HUNDREDTHS: dict[str, int] = {"D": 2500, "C": 6500, "B": 7661, "A": 8831}
#: The same floors on the converted scale (25–100), for figures and texts.
GRADE_FLOORS: dict[str, float] = {g: h / 100 for g, h in GRADE_FLOORS_HUNDREDTHS.items()}

#: The one colour of each grade in every figure: green (A) to red (D), ColorBrewer RdYlGn.
GRADE_COLORS: dict[str, str] = {"A": "#1a9850", "B": "#91cf60", "C": "#fc8d59", "D": "#d73027"}

#: Unit performance (kinerja unit pelayanan) of each grade: the regulation's terms, which are
#: also the codes stored in processed tables (labels: ``kinerja_<term>`` in labels.yaml).
KINERJA: dict[str, str] = {"A": "Sangat baik", "B": "Baik", "C": "Kurang baik",
                           "D": "Tidak baik"}

# Decimals kept before the half-up step: removes binary noise such as 88.30499999999999
# (a computed 88.305) while no IKM built from realistic counts lies that close to a tie.
NOISE_DECIMALS = 6


def hundredths_half_up(values: np.ndarray) -> np.ndarray:
    """Turn converted IKM into integer hundredths, rounded half-up (NaN stays NaN).

    numpy's ``round`` rounds half to even *and* works on the binary value (88.305 is stored
    as 88.30499999…, so ``np.round(88.305, 2)`` gives 88.3). Scaling by 100 and removing the
    binary noise at 1e-6 first gives the decimal value, then ``floor(x + 0.5)`` is half-up.
    ``grade`` on a scalar uses :mod:`decimal` instead; the tests check both agree.

    Examples
    --------
    >>> hundredths_half_up(np.array([88.305, np.nan])).tolist()
    [8831.0, nan]

    """
    scaled = np.round(np.asarray(values, dtype="float64") * 100.0, NOISE_DECIMALS)
    return np.floor(scaled + 0.5)


def round_half_up(value: float | Sequence[float] | pd.Series, decimals: int = 2):
    """Round half-up (the way the regulation's tables and Excel do), safe from float noise.

    Parameters
    ----------
    value : float, array-like or Series
        Numbers to round; NaN stays NaN.
    decimals : int, default 2
        Decimals kept.

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
        exact = Decimal(repr(round(float(value), NOISE_DECIMALS + decimals)))
        return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    arr = np.asarray(value, dtype="float64")
    scale = 10.0 ** decimals
    out = np.floor(np.round(arr * scale, NOISE_DECIMALS) + 0.5) / scale
    if isinstance(value, pd.Series):
        return pd.Series(out, index=value.index, name=value.name)
    return out


def grade_hundredths(hundredths: np.ndarray) -> np.ndarray:
    """Grade letters for integer hundredths (object array, None where NaN).

    Examples
    --------
    >>> grade_hundredths(np.array([7500.0, 8831.0, np.nan])).tolist()
    ['C', 'A', None]

    """
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
        return str(grade_hundredths(np.array([round(hundredths)], dtype="float64"))[0])
    values = ikm.to_numpy(dtype="float64", na_value=np.nan) if isinstance(ikm, pd.Series) \
        else np.asarray(ikm, dtype="float64")
    hundredths = hundredths_half_up(values)
    _check_range(hundredths)
    letters = grade_hundredths(hundredths)
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


def kinerja(mutu: str | pd.Series | None, lang: Lang = "id"):
    """Give the unit performance (kinerja unit pelayanan) of a grade letter.

    ``lang="id"`` gives the regulation's term (:data:`KINERJA`), which is also the code kept
    in processed tables; ``lang="en"`` its English label from ``config/labels.yaml``.

    Parameters
    ----------
    mutu : str, Series of str or None
        Grade letters A–D (missing stays missing).
    lang : {"id", "en"}, default "id"
        Language of the result.

    Returns
    -------
    str or None, or Series of str (same index)

    Examples
    --------
    >>> kinerja("C"), kinerja("A", lang="en")
    ('Kurang baik', 'Very good')
    >>> kinerja(pd.Series(["B", None])).tolist()
    ['Baik', nan]

    """
    if isinstance(mutu, pd.Series):
        terms = mutu.map(KINERJA).astype("str")
        if lang == "id":
            return terms
        return translate_codes(terms, "kinerja", lang).where(terms.notna())
    if mutu is None:
        return None
    term = KINERJA[mutu]
    return term if lang == "id" else code_label("kinerja", term, lang)


__all__ = ["GRADE_COLORS", "GRADE_FLOORS", "GRADE_FLOORS_HUNDREDTHS", "KINERJA",
           "NOISE_DECIMALS", "grade", "grade_hundredths", "hundredths_half_up", "kinerja",
           "round_half_up"]
