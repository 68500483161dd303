"""Rules of the SKM reader that do not depend on the export's layout: the period of a
response, refusing answer scales that are not the SKM's, clearing impossible ages, and the
manifest's notes on columns.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from evalkit.periods import coarsen, period_of

from ._faults import FILE, FaultLog
from ._io import RawFileError
from ._parse import per_unique

_QUARTER_IN_NAME = re.compile(r"(\d{4})[qQ]([1-4])(?:\.[^.]+)?$")
_SEMESTER_IN_NAME = re.compile(r"(\d{4})[sS]([12])(?:\.[^.]+)?$")
#: Ages (whole years) a respondent can have; numbers outside are impossible (−41, 352).
POSSIBLE_AGES = (0, 120)
#: A file whose answers are 5 or 6 this often (and at least :data:`SCALE_MIN_ANSWERS` times)
#: uses another instrument's scale; rarer 5s are typing faults (``answer_out_of_range``).
SCALE_SHARE = 0.10
SCALE_MIN_ANSWERS = 10


def _from_name(files: pd.Series, pattern: re.Pattern, mark: str) -> pd.Series:
    def extract(names: pd.Series) -> pd.Series:
        parts = names.str.extract(pattern)
        return (parts[0] + mark + parts[1]).where(parts[0].notna())

    return per_unique(files, extract)


def response_period(files: pd.Series, tanggal: pd.Series, granularity: str = "quarter"
                    ) -> pd.Series:
    """The period of each response: ``2024Q3`` (quarter), ``2024S1`` (semester) or ``2024``.

    The file name gives it when it carries one of the granularity (``dukcapil_2024Q3.csv``,
    ``mpp_2024S1.xlsx``), else the response's date.

    Examples
    --------
    >>> import pandas as pd
    >>> files = pd.Series(["a_2024Q3.csv", "b.csv", "b.csv"])
    >>> dates = pd.Series(pd.to_datetime(["2024-01-05", "2024-08-01", None]))
    >>> response_period(files, dates).tolist()
    ['2024Q3', '2024Q3', nan]
    >>> response_period(files, dates, "semester").tolist(), response_period(files, dates,
    ...                                                                     "year").tolist()
    (['2024S1', '2024S2', nan], ['2024', '2024', nan])

    """
    from_date = period_of(tanggal, granularity)
    if granularity == "year":
        return from_date
    named = (_from_name(files, _SEMESTER_IN_NAME, "S") if granularity == "semester"
             else _from_name(files, _QUARTER_IN_NAME, "Q"))
    if not named.isna().any():
        return named
    return named.astype("str").fillna(from_date)


#: A column with the period of each response (an export without dates), optional.
PERIOD_COLUMN = "Periode"
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_NUM = r"([1-4]|iv|iii|ii|i)"
#: Period labels an export may carry, lower case: (pattern, kind, group of the year).
_PERIOD_LABELS = (
    (re.compile(r"^(\d{4})\s*[-/ ]?\s*q\s*([1-4])$"), "Q", 1),
    (re.compile(r"^q\s*([1-4])\s*[-/ ]?\s*(\d{4})$"), "Q", 2),
    (re.compile(r"^(?:triwulan|tw|kuartal|quarter)\.?\s*" + _NUM
                + r"\s*(?:tahun\s*)?[-/ ]?\s*(\d{4})$"), "Q", 2),
    (re.compile(r"^(\d{4})\s*[-/ ]?\s*s\s*([12])$"), "S", 1),
    (re.compile(r"^(?:semester|smt|sem)\.?\s*" + _NUM
                + r"\s*(?:tahun\s*)?[-/ ]?\s*(\d{4})$"), "S", 2),
    (re.compile(r"^(\d{4})$"), "Y", 1),
)
_KIND_NAME = {"Q": "a quarter", "S": "a semester", "Y": "a year"}


def period_label(text: str, granularity: str = "quarter") -> tuple[str | None, str | None]:
    """A period written in an export (``2024Q3``, ``2024S1``, ``Semester 1 2024``,
    ``Triwulan III 2024``, ``2024``) in the run's ``granularity``: ``(label, problem)``.

    A finer period is made coarser (``2024Q3`` → ``2024S2`` or ``2024``); a coarser one than
    the granularity cannot be split and returns the problem instead; so does text that is
    no period.

    Examples
    --------
    >>> period_label("Triwulan III 2024"), period_label("2024Q3", "semester")
    (('2024Q3', None), ('2024S2', None))
    >>> period_label("Semester 1 2024", "semester"), period_label("2024", "year")
    (('2024S1', None), ('2024', None))
    >>> period_label("Semester 1 2024")[1]
    'a semester, but skm: period is quarter'
    >>> period_label("Juli")[0] is None
    True

    """
    norm = " ".join(str(text).casefold().split())
    for pattern, kind, year_group in _PERIOD_LABELS:
        match = pattern.match(norm)
        if not match:
            continue
        year = match.group(year_group)
        number = 0 if kind == "Y" else (
            lambda g: _ROMAN.get(g) or int(g))(match.group(3 - year_group))
        given = year if kind == "Y" else f"{year}{kind}{number}"
        try:  # the period arithmetic of evalkit.periods: finer → coarser only
            return coarsen(pd.Series([given]), granularity).iloc[0], None
        except ValueError:
            return None, f"{_KIND_NAME[kind]}, but skm: period is {granularity}"
    return None, "not a period (e.g. 2024Q3, 2024S1, Semester 1 2024, Triwulan III 2024, 2024)"


def given_periods(values: pd.Series, granularity: str) -> tuple[pd.Series, pd.Series]:
    """:func:`period_label` over a column (distinct values only): labels and problems."""
    labels = per_unique(values, lambda s: s.map(lambda t: period_label(t, granularity)[0]))
    problems = per_unique(values, lambda s: s.map(lambda t: period_label(t, granularity)[1]))
    return labels.astype("str"), problems.astype("str")


def given_period(frame: pd.DataFrame, faults, granularity: str,
                  period_value: str | None) -> pd.Series:
    """The period written in the export (``Periode``), else ``period_value:``; a value that
    is no period is quarantined (``value_invalid``); one coarser than the run's periods
    stops with the file named (a semester cannot be split into quarters)."""
    labels, problems = given_periods(frame[PERIOD_COLUMN], granularity)
    coarser = problems.str.contains("but skm: period", regex=False).fillna(False)
    if coarser.any():
        first = coarser.to_numpy().nonzero()[0][0]
        raise RawFileError(frame[FILE].iloc[first],
                           f"{PERIOD_COLUMN} {frame[PERIOD_COLUMN].iloc[first]!r} is "
                           f"{problems.iloc[first]}",
                           "set skm: period: to the export's granularity (quarter, semester "
                           "or year) in sources.yaml")
    faults.add(frame[PERIOD_COLUMN].notna() & labels.isna(), PERIOD_COLUMN, "value_invalid",
               reason=f"{PERIOD_COLUMN}: " + problems.fillna("") + ".")
    if period_value is not None:
        labels = labels.fillna(period_value)
    return labels


def period_sources(frame: pd.DataFrame, spec) -> str:
    """Where the period was taken from (the manifest's ``period_from``)."""
    if frame[PERIOD_COLUMN].notna().any():
        return f"column {PERIOD_COLUMN}" + (
            f", else period_value {spec.period_value}" if spec.period_value else "")
    return f"period_value {spec.period_value}"


def refuse_other_scales(scores: Mapping[str, pd.Series], fileno: np.ndarray,
                        files: Sequence[Path]) -> None:
    """Stop on a file whose answers use a 1–5 or 6-point scale: another instrument
    (SERVQUAL, SPKP), never rescaled silently into the SKM's four options.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> refuse_other_scales({"u1": pd.Series([4, 5] * 10)}, np.zeros(20, int), ["x.csv"])
    Traceback (most recent call last):
    ...
    evalkit.ingest._io.RawFileError: x.csv: 50% of the answers are 5 or 6: ...

    """
    n_files = len(files)
    high = np.zeros(n_files)
    filled = np.zeros(n_files)
    for values in scores.values():
        number = values.to_numpy(dtype="float64", na_value=np.nan)
        high += np.bincount(fileno, weights=(number >= 5), minlength=n_files)
        filled += np.bincount(fileno, weights=~np.isnan(number), minlength=n_files)
    share = np.divide(high, filled, out=np.zeros(n_files), where=filled > 0)
    wrong = np.flatnonzero((high >= SCALE_MIN_ANSWERS) & (share >= SCALE_SHARE))
    if len(wrong):
        at = int(wrong[0])
        raise RawFileError(
            files[at], f"{share[at]:.0%} of the answers are 5 or 6: this survey uses a 1–5 "
                       "(or 6-point) scale, a different instrument (e.g. SERVQUAL, SPKP), not "
                       "the four-option SKM of Permenpan RB 14/2017",
            "evalkit does not rescale answers; if the export codes the four SKM options "
            "with other numbers (e.g. 2–5), map them in sources.yaml under skm: answers: "
            "(e.g. {2: 1, 3: 2, 4: 3, 5: 4}); otherwise analyse this survey with a tool for "
            "its own instrument")


def clear_impossible_ages(frame: pd.DataFrame, faults: FaultLog) -> pd.Series:
    """``Umur`` with impossible ages (whole numbers outside :data:`POSSIBLE_AGES`) emptied:
    the response keeps its answers, and the quarantine gets a field-level row
    (``value_impossible``) naming file, row and column. Other text stays as given.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.ingest._faults import FaultLog
    >>> f = pd.DataFrame({"Umur": ["34", "-41", "352", "abc"], "_file": "x.csv",
    ...                   "_row": [1, 2, 3, 4]})
    >>> log = FaultLog("skm", f)
    >>> clear_impossible_ages(f, log).tolist(), log.quarantine()["source_row"].tolist()
    (['34', nan, nan, 'abc'], [2, 3])

    """
    umur = frame["Umur"]

    def impossible(text: pd.Series) -> pd.Series:
        number = pd.to_numeric(text.str.strip().where(
            text.str.fullmatch(r"\s*-?\d{1,6}\s*").fillna(False).astype(bool)),
            errors="coerce")
        bad = (number < POSSIBLE_AGES[0]) | (number > POSSIBLE_AGES[1])
        return pd.Series(np.where(bad.fillna(False), "x", None), index=text.index,
                         dtype="str")

    flagged = per_unique(umur, impossible)
    mask = pd.Series(np.asarray(flagged.notna(), dtype=bool), index=frame.index)
    if not mask.any():
        return umur
    faults.clear_field(mask, "Umur", "value_impossible",
                       reason=f"Umur: not a possible age ({POSSIBLE_AGES[0]}–"
                              f"{POSSIBLE_AGES[1]} years); the field is left empty and the "
                              "response keeps its answers.")
    if isinstance(umur.dtype, pd.CategoricalDtype):
        return umur.mask(mask)
    return umur.astype("str").mask(mask)


def merge_details(infos: Sequence[Mapping]) -> dict[str, list[str]]:
    """What the manifest lists for the skm table, over all its files: optional columns
    absent from some file, columns and extra questions ignored (sorted, without repeats),
    and for long exports the answer rows read."""
    out: dict[str, list[str] | int] = {}
    for key in ("columns_absent", "columns_ignored", "questions_ignored"):
        names = sorted({str(n) for info in infos for n in info.get(key, [])})
        if names:
            out[key] = names
    for key in ("answers_in", "answers_repeated"):
        count = sum(int(info.get(key, 0)) for info in infos)
        if count:
            out[key] = count
    return out


__all__ = ["response_period", "period_label", "given_periods", "given_period",
           "period_sources", "PERIOD_COLUMN", "refuse_other_scales", "clear_impossible_ages",
           "merge_details", "POSSIBLE_AGES"]
