"""Vectorised parsing of raw text: day-first dates, NIP, locale numbers, labels.

Each parser takes a string Series and returns the parsed values with missing where the text
cannot be read; callers compare with the input to find what to quarantine (a value that was
present but did not parse).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

#: Explicit day-first formats tried in order (time parts as Google Forms exports them).
#: Generic inference is never used: when every day in a file is <= 12 it silently reads
#: 05/12/2026 as 12 May.
DATE_FORMATS = (
    "%d/%m/%Y", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M",
    "%d-%m-%Y", "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M",
    "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S",
    "%d.%m.%Y", "%Y/%m/%d",
)
#: Excel serial day numbers accepted as dates: 1927-05-18 .. 2173-10-14.
EXCEL_SERIAL_RANGE = (10_000, 100_000)
_EXCEL_ORIGIN = pd.Timestamp("1899-12-30")
_SERIAL = re.compile(r"^\d{5}(?:[.,]\d+)?$")


def parse_dates_dayfirst(series: pd.Series) -> pd.Series:
    """Parse dates written day-first, ISO, or as Excel serial numbers.

    Accepted: ``27/11/2026``, ``27-11-2026``, ``27.11.2026``, ``2026-11-27`` (each optionally
    with a time), ``2026/11/27``, Excel serial day numbers (``46353``) and month names in
    Indonesian or English (``5 Januari 2024``, ``5 Agu 2024 10:21``, :data:`MONTH_NAMES`).
    Anything else — including impossible dates such as ``31/02/2024`` — becomes ``NaT``.

    Parameters
    ----------
    series : Series of str

    Returns
    -------
    Series of datetime64[us]
        Same index; ``NaT`` where missing or unreadable.

    Examples
    --------
    >>> import pandas as pd
    >>> parse_dates_dayfirst(pd.Series(["05/12/2026", "2026-12-05", "46361", "31/02/2024",
    ...                                 "5 Desember 2026", "05-Des-2026 10:21"])
    ...                      ).dt.strftime("%Y-%m-%d").tolist()
    ['2026-12-05', '2026-12-05', '2026-12-05', nan, '2026-12-05', '2026-12-05']

    """
    text = series.astype("str").str.strip()
    out = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[us]")
    todo = text.notna().to_numpy(dtype=bool).copy()
    if todo.any():
        _arrow_fast_path(text, todo, out)
    serial = np.zeros(len(text), dtype=bool)
    if todo.any():
        pos = np.flatnonzero(todo)
        serial[pos] = text.iloc[pos].str.match(_SERIAL).fillna(False).to_numpy(dtype=bool)
    if serial.any():
        days = pd.to_numeric(text[serial].str.replace(",", ".", regex=False),
                             errors="coerce").to_numpy(dtype=float)
        ok = (days >= EXCEL_SERIAL_RANGE[0]) & (days <= EXCEL_SERIAL_RANGE[1])
        stamps = (_EXCEL_ORIGIN.to_datetime64().astype("datetime64[us]")
                  + np.round(days[ok] * 86_400).astype("int64").astype("timedelta64[s]"))
        pos = np.flatnonzero(serial)[ok]
        out[pos] = stamps
        todo &= ~serial
    for fmt in DATE_FORMATS:
        if not todo.any():
            break
        pos = np.flatnonzero(todo)
        parsed = pd.to_datetime(text.iloc[pos], format=fmt, errors="coerce")
        hit = parsed.notna().to_numpy(dtype=bool)
        if hit.any():
            out[pos[hit]] = parsed.to_numpy(dtype="datetime64[us]")[hit]
            todo[pos[hit]] = False
    if todo.any():
        pos = np.flatnonzero(todo)
        parsed = _month_name_dates(text.iloc[pos])
        hit = parsed.notna().to_numpy(dtype=bool)
        out[pos[hit]] = parsed.to_numpy(dtype="datetime64[us]")[hit]
    return pd.Series(out, index=series.index, dtype="datetime64[us]")


#: Month names and abbreviations of Indonesian (and English) exports → month number.
MONTH_NAMES = {
    **dict.fromkeys(("januari", "jan", "january"), 1),
    **dict.fromkeys(("februari", "feb", "pebruari", "peb", "february"), 2),
    **dict.fromkeys(("maret", "mar", "march"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "jun", "june"), 6),
    **dict.fromkeys(("juli", "jul", "july"), 7),
    **dict.fromkeys(("agustus", "agu", "agt", "ags", "aug", "august"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "okt", "oct", "october"), 10),
    **dict.fromkeys(("november", "nov", "nop", "nopember"), 11),
    **dict.fromkeys(("desember", "des", "dec", "december"), 12),
}
_MONTH_NAME_DATE = re.compile(
    r"^(?:[A-Za-z]+,?\s+)?(\d{1,2})[\s\-/.]+([A-Za-z]+)\.?[\s\-/.,]+(\d{4})"
    r"(?:[\s,T]+(?:pukul\s+)?(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?(?:\s*WIB)?$",
    re.IGNORECASE)


def _month_name_dates(text: pd.Series) -> pd.Series:
    """``5 Januari 2024``, ``05-Agu-2024 10:21``, ``Senin, 5 Feb 2024`` → timestamps."""
    parts = text.str.extract(_MONTH_NAME_DATE)
    month = parts[1].str.casefold().map(MONTH_NAMES)
    stamp = (parts[2] + "-" + month.astype("Int64").astype("str").str.zfill(2) + "-"
             + parts[0].str.zfill(2) + " " + parts[3].fillna("0").str.zfill(2) + ":"
             + parts[4].fillna("00") + ":" + parts[5].fillna("00"))
    return pd.to_datetime(stamp.where(month.notna()), format="%Y-%m-%d %H:%M:%S",
                          errors="coerce")


_TIME_OF_DAY = re.compile(r"(?:^|[\sT])(\d{1,2}):(\d{2})(?::(\d{2}))?")
_SERIAL_WITH_TIME = re.compile(r"^\d{5}[.,]\d*[1-9]")


def has_time_of_day(series: pd.Series) -> pd.Series:
    """Whether each timestamp text carries a time of day (hours and minutes, optionally
    seconds, or an Excel serial with a fraction of a day).

    A time of exactly midnight (``00:00``, ``00:00:00``) does not count: it is what database
    and spreadsheet exports write for a value that holds the date only.

    Examples
    --------
    >>> import pandas as pd
    >>> has_time_of_day(pd.Series(["05/12/2026 10:21:07", "05/12/2026", "2026-12-05T08:30",
    ...                            "05/12/2026 00:00:00", "46361.4375", None])).tolist()
    [True, False, True, False, True, False]

    """
    text = series.astype("str").str.strip()
    parts = text.str.extract(_TIME_OF_DAY)
    clock = parts[0].notna() & (parts[[0, 1, 2]].fillna("0").astype("int64").sum(axis=1) > 0)
    serial = text.str.contains(_SERIAL_WITH_TIME).fillna(False).astype(bool)
    return (clock | serial).astype(bool)


#: Formats tried first with Arrow's C++ strptime (fast on millions of survey timestamps), with
#: where the day and the month sit in a zero-padded value.
_ARROW_FORMATS = {"%d/%m/%Y %H:%M:%S": (0, 3), "%d/%m/%Y": (0, 3), "%Y-%m-%d": (8, 5),
                  "%d-%m-%Y": (0, 3)}


def _arrow_fast_path(text: pd.Series, todo: np.ndarray, out: np.ndarray) -> None:
    """Parse the common zero-padded formats with Arrow, in place.

    Arrow's strptime rolls impossible dates over (31/02/2024 → 2 March), so a value counts as
    parsed only when the day and month of the result equal the digits written; everything
    else (impossible dates, unpadded days) is left to the pandas formats.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    values_all = (text.array.__arrow_array__() if hasattr(text.array, "__arrow_array__")
                  else pa.array(text.to_numpy(dtype=object, na_value=None), pa.string()))

    def two_digits(values, start):
        return pc.utf8_slice_codeunits(values, start, start + 2)

    def padded(numbers):
        return pc.utf8_lpad(pc.cast(numbers, pa.string()), 2, "0")

    for fmt, (day_at, month_at) in _ARROW_FORMATS.items():
        pos = np.flatnonzero(todo)
        if len(pos) == 0:
            return
        values = values_all if len(pos) == len(text) else pc.take(values_all, pa.array(pos))
        stamps = pc.strptime(values, format=fmt, unit="s", error_is_null=True)
        same = pc.and_(pc.equal(two_digits(values, day_at), padded(pc.day(stamps))),
                       pc.equal(two_digits(values, month_at), padded(pc.month(stamps))))
        hit = pc.fill_null(same, False).to_numpy(zero_copy_only=False).astype(bool)
        if hit.any():
            parsed = np.asarray(stamps.to_numpy(zero_copy_only=False), dtype="datetime64[us]")
            out[pos[hit]] = parsed[hit]
            todo[pos[hit]] = False


# --- NIP ------------------------------------------------------------------------------------
#: Default (unconfirmed, DOMAIN.md): the first year in which PPPK were appointed. PPPK were
#: created by UU 5/2014 and regulated by PP 49/2018; the first appointments followed in 2019.
#: A NIP whose digits 13–14 read as the PPPK code (``2`` + frequency 1–9) but whose
#: appointment year (digits 9–12) is earlier cannot be a PPPK number — and, its "month" being
#: 21–29, not a PNS number either: it is rejected as ``nip_invalid``. Override it by
#: assigning ``evalkit.ingest._parse.PPPK_FIRST_YEAR`` or with ``validate_nip(...,
#: pppk_first_year=...)``.
PPPK_FIRST_YEAR = 2019
#: Text that shows a number stored as a floating-point value by a spreadsheet: E notation
#: (``1.97807172010012E+17``), a decimal part of zeros (``197807172010012000.0``), or
#: thousands grouping of a long number (``197.807.172.010.012.000``, ``197,807,...``). A
#: printed NIP groups its digits 8-6-1-3 (``19780717 201001 2 012``), never by three.
_FLOATISH = re.compile(r"^\d+(?:[.,]\d+)?[eE][+]?\d+$|^\d{8,}[.,]0+$"
                       r"|^\d{1,3}(?:\.\d{3}){4,}(?:,0+)?$|^\d{1,3}(?:,\d{3}){4,}(?:\.0+)?$")
_SEPARATED = re.compile(r"^[\d .\-]+$")


def normalise_nip(series: pd.Series) -> pd.Series:
    """Remove the spaces, dots and dashes of a printed NIP (``19780717 201001 2 012``).

    Values that are not digits with such separators (e.g. ``1.97807172010012E+17``) are
    returned stripped but otherwise unchanged, so :func:`validate_nip` can reject them.

    Examples
    --------
    >>> import pandas as pd
    >>> normalise_nip(pd.Series(["19780717 201001 2 012", "1.97807172010012E+17"])).tolist()
    ['197807172010012012', '1.97807172010012E+17']

    """
    text = series.astype("str").str.strip()
    floatish = text.str.match(_FLOATISH).fillna(False).astype(bool)
    separated = text.str.match(_SEPARATED).fillna(False).astype(bool) & ~floatish
    cleaned = text.str.replace(r"[ .\-]", "", regex=True)
    return text.mask(separated, cleaned)


def validate_nip(series: pd.Series, pppk_first_year: int | None = None) -> pd.DataFrame:
    """Check normalised NIPs against DOMAIN.md §4 and read their attributes.

    PNS: birth date YYYYMMDD + TMT CPNS YYYYMM + sex digit + serial 001–999.
    PPPK: birth date + TMT year YYYY + ``2`` + frequency digit 1–9 + sex digit + serial,
    with the TMT year not before ``pppk_first_year``.

    A value that shows a spreadsheet number (E notation, a ``.0`` decimal part, thousands
    grouping) is ``nip_float`` whatever its digits; an 18-digit value ending in ``000`` that
    shows no such form is ``nip_invalid`` (no NIP has serial 000), with a reason that names
    the likely cause.

    Parameters
    ----------
    series : Series of str
        Output of :func:`normalise_nip`.
    pppk_first_year : int, optional
        Earliest PPPK appointment year; default :data:`PPPK_FIRST_YEAR` (2019, unconfirmed).

    Returns
    -------
    DataFrame
        Same index, columns ``kind`` (``nip_float``, ``nip_invalid`` or missing when
        valid), ``reason`` (sentence), ``jenis_asn`` (PNS/PPPK), ``tahun_lahir``,
        ``tahun_pengangkatan``, ``jenis_kelamin`` (L/P), ``tanggal_lahir``.

    Examples
    --------
    >>> import pandas as pd
    >>> v = validate_nip(pd.Series(["197807172010012012", "1.97807172010012E+17",
    ...                             "199001012021" "2" "1" "2001"]))
    >>> v["kind"].tolist(), v["jenis_asn"].tolist()
    ([nan, 'nip_float', nan], ['PNS', nan, 'PPPK'])

    """
    text = series.astype("str").str.strip()
    n = len(text)
    kind = pd.Series(pd.NA, index=text.index, dtype="str")
    reason = pd.Series(pd.NA, index=text.index, dtype="str")

    def flag(mask: pd.Series, k: str, why: str) -> None:
        new = mask & kind.isna()
        kind[new] = k
        reason[new] = why

    first_year = PPPK_FIRST_YEAR if pppk_first_year is None else int(pppk_first_year)
    flag(text.isna(), "nip_invalid", "NIP is empty.")
    floatish = text.str.match(_FLOATISH).fillna(False).astype(bool)
    e_notation = text.str.contains(r"[eE]", regex=True).fillna(False).astype(bool)
    flag(floatish & e_notation, "nip_float",
         "NIP was stored as a number by a spreadsheet (shown in E notation) and lost its last "
         "digits (a spreadsheet keeps 15 significant digits); it is never guessed — "
         "re-export the column as text.")
    flag(floatish, "nip_float",
         "NIP was stored as a number by a spreadsheet (shown with a decimal part or with "
         "thousands separators) and its last digits were lost (a spreadsheet keeps 15 "
         "significant digits); it is never guessed — re-export the column as text.")
    digits18 = text.str.fullmatch(r"\d{18}").fillna(False).astype(bool)
    length = text.str.replace(r"\D", "", regex=True).str.len()
    flag(~digits18 & text.str.fullmatch(r"\d+").fillna(False).astype(bool),
         "nip_invalid",
         "NIP must have 18 digits; this one has " + length.astype("Int64").astype("str") + ".")
    flag(~digits18, "nip_invalid", "NIP must be 18 digits (spaces and dots allowed).")

    s = text.where(digits18, "000000000000000000")
    birth = pd.to_datetime(s.str[:8], format="%Y%m%d", errors="coerce")
    birth_ok = birth.notna() & birth.dt.year.between(1900, 2100)
    flag(~birth_ok, "nip_invalid", "NIP digits 1–8 are not a valid birth date (YYYYMMDD).")
    tmt_year = pd.to_numeric(s.str[8:12], errors="coerce")
    pppk_code = (s.str[12] == "2") & s.str[13].isin(list("123456789"))
    flag(pppk_code & ~(tmt_year >= first_year), "nip_invalid",
         "NIP digits 13–14 (" + s.str[12:14] + ") are not an appointment month (01–12); read "
         "as the PPPK code they would make this a PPPK appointed in " + s.str[8:12]
         + f", before the first PPPK appointments ({first_year}, PP 49/2018).")
    pppk = pppk_code & (tmt_year >= first_year)
    tmt_month = pd.to_numeric(s.str[12:14], errors="coerce").where(~pppk, 1)
    flag(~pppk & ~tmt_month.between(1, 12), "nip_invalid",
         "NIP digits 13–14 are not an appointment month (01–12) nor a PPPK code.")
    tmt = pd.to_datetime(pd.DataFrame({"year": tmt_year.where(tmt_year.between(1900, 2100),
                                                              1900),
                                       "month": tmt_month.where(tmt_month.between(1, 12), 1),
                                       "day": 1}), errors="coerce")
    flag(~(tmt > birth), "nip_invalid",
         "NIP appointment date (digits 9–14) is not after the birth date (digits 1–8).")
    sex = s.str[14]
    flag(~sex.isin(["1", "2"]), "nip_invalid", "NIP sex digit (15th) must be 1 or 2.")
    flag(s.str[15:18] == "000", "nip_invalid",
         "NIP serial number (last 3 digits) is 000, which no NIP has. A NIP ending in 000 "
         "has usually passed through a spreadsheet as a number (15 significant digits kept, "
         "the rest set to 0): re-export the column as text; the digits are never guessed.")

    valid = kind.isna()
    out = pd.DataFrame({
        "kind": kind,
        "reason": reason,
        "jenis_asn": pd.Series(np.where(pppk, "PPPK", "PNS"), index=text.index,
                               dtype="str").where(valid),
        "tahun_lahir": birth.dt.year.astype("Int16").where(valid),
        "tahun_pengangkatan": tmt_year.astype("Int16").where(valid),
        "jenis_kelamin": sex.map({"1": "L", "2": "P"}).astype("str").where(valid),
        "tanggal_lahir": birth.where(valid),
    }, index=text.index)
    assert len(out) == n
    return out


# --- numbers --------------------------------------------------------------------------------
_THOUSANDS_DOT = re.compile(r"^-?\d{1,3}(?:\.\d{3})+$")


def parse_number(series: pd.Series, *, integer: bool = False) -> pd.Series:
    """Parse numbers written with a decimal comma and/or a thousands dot.

    Per column: when any value holds a comma, the comma is the decimal mark and dots group
    thousands (``1.234,5`` → 1234.5); otherwise the dot is the decimal mark — except that in
    an integer column ``1.234`` (dot followed by groups of three digits) is 1234.

    Returns ``Float64`` (or ``Int64`` when ``integer``), missing where unreadable; an integer
    column with a fractional value (``2,5``) is unreadable.

    Examples
    --------
    >>> import pandas as pd
    >>> parse_number(pd.Series(["1.234,5", "3,25", "7"])).tolist()
    [1234.5, 3.25, 7.0]
    >>> parse_number(pd.Series(["1.234", "12"]), integer=True).tolist()
    [1234, 12]

    """
    text = series.astype("str").str.strip().str.replace(r"[\s\xa0]", "", regex=True)
    if text.str.contains(",", regex=False).fillna(False).any():
        text = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    elif integer:
        grouped = text.str.match(_THOUSANDS_DOT).fillna(False).astype(bool)
        text = text.mask(grouped, text.str.replace(".", "", regex=False))
    number = pd.to_numeric(text.where(text.str.fullmatch(r"-?(?:\d+\.?\d*|\.\d+)")
                                      .fillna(False).astype(bool)),
                           errors="coerce").astype("Float64")
    if integer:
        whole = number.isna() | (number == number.round())
        return number.where(whole).round().astype("Int64")
    return number


def per_unique(series: pd.Series, func) -> pd.Series:
    """Apply ``func`` (Series → Series) to the distinct values only and map back.

    Survey columns repeat a handful of values over millions of rows (file names, units,
    answer labels), so string work on the distinct values is much cheaper.

    Examples
    --------
    >>> import pandas as pd
    >>> per_unique(pd.Series(["a", "b", "a", None]), lambda s: s.str.upper()).tolist()
    ['A', 'B', 'A', nan]

    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        # already coded: work on the categories, stay categorical (no million-row copy)
        done = func(pd.Series(series.cat.categories.astype("str"), dtype="str"))
        new_codes, new_categories = pd.factorize(done, use_na_sentinel=True)
        old = series.cat.codes.to_numpy()
        if not len(new_codes):  # no category at all: an all-empty column stays empty
            new_codes = np.full(1, -1)
        codes = np.where(old >= 0, new_codes[np.maximum(old, 0)], -1)
        return pd.Series(pd.Categorical.from_codes(codes, categories=new_categories),
                         index=series.index, name=series.name)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    done = func(pd.Series(uniques, dtype=series.dtype if len(uniques) else "str"))
    # take on the extension array keeps Arrow strings (no Python objects); -1 → missing
    taken = done.array.take(codes, allow_fill=True)
    return pd.Series(taken, index=series.index, name=series.name)


def norm_label(series: pd.Series) -> pd.Series:
    """Normalise free labels for lookup: case, repeated and stray spaces, end punctuation."""
    return (series.astype("str").str.casefold().str.replace(r"\s+", " ", regex=True)
            .str.strip().str.strip(".;:!"))


def map_labels(series: pd.Series, mapping: dict[str, str]) -> pd.Series:
    """Map labels case- and space-insensitively to canonical values (missing if unknown).

    Examples
    --------
    >>> import pandas as pd
    >>> map_labels(pd.Series([" aktif", "PENSIUN", "x"]), {"Aktif": "Aktif",
    ...            "Pensiun": "Pensiun"}).tolist()
    ['Aktif', 'Pensiun', nan]

    """
    lookup = {norm_label(pd.Series([k])).iloc[0]: v for k, v in mapping.items()}
    return norm_label(series).map(lookup).astype("str")


def apply_value_aliases(frame: pd.DataFrame, values: dict[str, dict[str, str]]) -> pd.DataFrame:
    """Replace export values by documented ones (``values:`` of sources.yaml), in place.

    Matching ignores case, repeated spaces and line breaks (:func:`norm_label`); values
    without an alias stay as they are. Categorical columns stay categorical.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"Unit Kerja": ["DISDUKCAPIL ", "Dinas X", None]})
    >>> apply_value_aliases(f, {"Unit Kerja": {"disdukcapil": "Dinas Kependudukan"}}
    ...                     )["Unit Kerja"].tolist()
    ['Dinas Kependudukan', 'Dinas X', nan]

    """
    for column, aliases in (values or {}).items():
        if column not in frame.columns or not aliases:
            continue
        lookup = {norm_label(pd.Series([k])).iloc[0]: v for k, v in aliases.items()}

        def alias(text: pd.Series, lookup=lookup) -> pd.Series:
            return norm_label(text).map(lookup).astype("str").fillna(text)

        frame[column] = per_unique(frame[column], alias)
    return frame
