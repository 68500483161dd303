"""Reading raw files into all-text DataFrames: CSV sniffing and XLSX through calamine.

Every reader starts from text so that identifiers (NIP, phone) are never turned into
numbers, and so that each later parsing step sees exactly what the export holds. The frame
returned carries the 1-based data row of the source (header excluded) in the column
``_row``.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

ROW = "_row"  # 1-based data row in the source file (header excluded)
_DICTIONARY_TEXT = pa.dictionary(pa.int32(), pa.large_string())


class RawFileError(ValueError):
    """A raw file cannot be read at all: missing, wrong type, empty, or a required column is
    absent. The message names the file, the problem and what to do.

    Examples
    --------
    >>> str(RawFileError("x.csv", "the file is empty", "export it again"))
    'x.csv: the file is empty. What to do: export it again.'

    """

    def __init__(self, path: str | os.PathLike[str], problem: str, todo: str):
        self.path, self.problem, self.todo = str(path), problem, todo
        super().__init__(f"{path}: {problem}. What to do: {todo}.")


def norm_header(name: object) -> str:
    """Normalise a column heading for matching: case, spaces, BOM and NBSP ignored."""
    text = str(name).replace("\ufeff", "").replace("\xa0", " ")
    text = re.sub(r"\s*/\s*", "/", text)  # "Saran / Masukan" = "Saran/Masukan"
    return re.sub(r"\s+", " ", text).strip().casefold()


_SIGNATURES = {
    b"PK\x03\x04": "a zip archive (an Excel .xlsx workbook?)",
    b"\xd0\xcf\x11\xe0": "an old Excel/Office .xls file",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
}


def _check_exists(path: Path, what: str) -> None:
    if not path.exists():
        raise RawFileError(path, f"{what} not found",
                           "put the file in the raw folder with this exact name, or point "
                           "raw_dir at the folder that holds it")
    if path.is_dir():
        raise RawFileError(path, f"expected a {what} but found a folder",
                           "check the raw folder layout in data/raw/README.md")


def _check_signature(path: Path, data: bytes) -> None:
    for sig, what in _SIGNATURES.items():
        if data.startswith(sig):
            raise RawFileError(path, f"this is not a text (CSV) file but {what}",
                               "export the sheet as CSV (UTF-8), or give the file its "
                               "real extension")
    if b"\x00" in data[:4096]:
        raise RawFileError(path, "the file holds binary data (NUL bytes), not CSV text "
                                 "(UTF-16 exports also look like this)",
                           "save it as 'CSV UTF-8 (comma delimited)'")


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """Decode a text export: UTF-8 with or without BOM, else cp1252 (Windows exports).

    Returns the text and the encoding used.
    """
    _check_signature(path, data)
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # cp1252 leaves five bytes undefined; latin-1 maps every byte, so it is the last resort.
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _utf8_bytes(path: Path, data: bytes) -> tuple[bytes, str]:
    """The file as UTF-8 bytes without BOM, and the encoding it was in."""
    _check_signature(path, data)
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:], "utf-8-sig"
    if data.isascii():
        return data, "utf-8"
    try:
        data.decode("utf-8")  # validation only (C speed); Arrow then parses the bytes as is
        return data, "utf-8"
    except UnicodeDecodeError:
        text, encoding = decode_text(path, data)
        return text.encode("utf-8"), encoding


def sniff_separator(header_line: str) -> str:
    """Pick ``;`` or ``,`` (or tab) by counting them outside quotes in the header line.

    Examples
    --------
    >>> sniff_separator('NIP;Nama;"Unit, Kerja"')
    ';'

    """
    outside = re.sub(r'"[^"]*"', "", header_line)
    counts = {sep: outside.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda s: (counts[s], s == ","))
    return best if counts[best] > 0 else ","


def read_csv_arrow(path: str | os.PathLike[str], required: Sequence[str], *,
                   what: str = "CSV file", dictionary: Callable[[str], bool] | None = None,
                   rename: ColumnMap | None = None) -> tuple[pa.Table, list[int], dict]:
    """Parse a CSV export into an Arrow table of strings (no tidying), required columns renamed.

    pyarrow's CSV parser is used because it is several times faster than pandas' on the
    string-only reads we need (the province benchmark reads a million survey rows). Every
    column is read as text; columns whose heading satisfies ``dictionary`` are read
    dictionary-encoded (for columns of few distinct values: answer labels, units, profile
    categories, which are then tidied once per distinct value, see
    :func:`arrow_to_tidy_frame`). ``_row`` (int64) holds the 1-based data row. Rows whose
    number of fields differs from the header cannot be aligned: they are left out and their
    row numbers returned (``row_malformed``). Empty lines stay rows (of nulls), so numbers
    are exact.

    Returns the table, the malformed row numbers and ``{"encoding", "separator", "records",
    "blank_skipped"}``: ``records`` is the number of data records the parser saw after the
    header (every line, blank ones included, a quoted value over several lines being one
    record), ``blank_skipped`` the blank records among them that the parser could not align
    (a blank line in a file of several columns, a row of bare separators). Blank records that
    it did align are rows of nulls in the table (see :func:`arrow_to_tidy_frame`).
    """
    path = Path(path)
    _check_exists(path, what)
    data, encoding = _utf8_bytes(path, path.read_bytes())
    if not data.strip():
        raise RawFileError(path, "the file is empty",
                           "export the data again; an empty export usually means the "
                           "filter in the source system selected nothing")
    # Leading blank lines are not part of the table; the header is the first non-blank line.
    data = data[len(data) - len(data.lstrip(b"\r\n")):]
    # The header ends at the first line break of any convention (\n, \r\n, or a bare \r as
    # old Mac exports write it; Arrow's parser accepts all three).
    end = re.search(rb"\r\n|\r|\n", data)
    header_text = data[:end.start() if end else len(data)].decode("utf-8", errors="replace")
    sep = sniff_separator(header_text)
    try:
        header_cells = next(csv.reader([header_text], delimiter=sep), [])
    except csv.Error as exc:
        raise RawFileError(path, f"the header line cannot be read as CSV ({exc})",
                           "open the file in a spreadsheet and save it again as CSV") from None
    names = map_columns(_unique_names([h.strip() for h in header_cells]), rename, path)
    malformed: list[int] = []
    skipped: list[int] = []

    def on_invalid(row) -> str:
        number = int(row.number) - 1  # record number incl. header -> data row
        skipped.append(number)
        if (row.text or "").replace(sep, "").strip():  # a row of bare separators is blank
            malformed.append(number)
        return "skip"

    column_types = {n: _DICTIONARY_TEXT if dictionary is not None and dictionary(n)
                    else pa.large_string() for n in names}
    try:
        table = pcsv.read_csv(
            pa.BufferReader(data),
            read_options=pcsv.ReadOptions(column_names=names, skip_rows=1, use_threads=False,
                                          block_size=1 << 24),
            parse_options=pcsv.ParseOptions(delimiter=sep, quote_char='"', double_quote=True,
                                            newlines_in_values=True, ignore_empty_lines=False,
                                            invalid_row_handler=on_invalid),
            convert_options=pcsv.ConvertOptions(column_types=column_types,
                                                strings_can_be_null=True,
                                                quoted_strings_can_be_null=True,
                                                null_values=[""]))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise RawFileError(path, f"the file cannot be read as CSV ({exc})",
                           "open it in a spreadsheet and save it again as CSV") from None
    n_records = table.num_rows + len(skipped)
    keep_rows = np.setdiff1d(np.arange(1, n_records + 1), np.asarray(skipped, dtype=np.int64))
    table = table.append_column(ROW, pa.array(keep_rows[: table.num_rows], pa.int64()))
    table = _rename_required_arrow(table, path, required)
    return table, sorted(malformed), {"encoding": encoding, "separator": sep,
                                      "records": int(n_records),
                                      "blank_skipped": len(skipped) - len(malformed)}


#: Cells that mean "no value" whatever the column (compared case-insensitively after
#: stripping): database exports write the word ``null`` for a missing value.
NULL_WORDS = ("null",)


def _tidy_text(column: pa.Array) -> pa.Array:
    """Strip stray spaces (never meaningful in these exports); empty text and the word
    ``null`` (any case) become null; a leading apostrophe (a spreadsheet's text marker,
    ``'19780717…``) is dropped unless the value also ends with one (a quoted word).
    """
    column = pc.utf8_trim_whitespace(column)
    marked = pc.and_(pc.starts_with(column, "'"),
                     pc.or_(pc.invert(pc.ends_with(column, "'")),
                            pc.equal(pc.utf8_length(column), 1)))
    column = pc.if_else(marked, pc.utf8_trim_whitespace(pc.utf8_slice_codeunits(column, 1)),
                        column)
    empty = pc.or_(pc.equal(column, ""), pc.is_in(pc.utf8_lower(column),
                                                   pa.array(NULL_WORDS, column.type)))
    return pc.if_else(empty, pa.scalar(None, column.type), column)


def tidy_text_series(values: pd.Series) -> pd.Series:
    """:func:`_tidy_text` for a pandas text Series (sheets and HTML tables).

    Examples
    --------
    >>> import pandas as pd
    >>> tidy_text_series(pd.Series(["'1978 ", "NULL", " ", "'ok'", None])).tolist()
    ['1978', nan, nan, "'ok'", nan]

    """
    array = pa.array(values.astype("str").to_numpy(dtype=object, na_value=None),
                     pa.large_string())
    return arrow_to_series(_tidy_text(array), index=values.index, name=values.name)


def _tidy_dictionary(column: pa.DictionaryArray) -> pd.Categorical:
    """:func:`_tidy_text` on the distinct values of a dictionary column, as a Categorical.

    Values that become equal once tidied (``"Baik "`` and ``"Baik"``) share one category, so
    comparing codes compares the tidied text.
    """
    tidied = pc.dictionary_encode(_tidy_text(column.dictionary))
    # old code -> new code; a missing value (old code -1) picks the appended -1
    new_code = np.append(tidied.indices.fill_null(-1).to_numpy(zero_copy_only=False), -1)
    codes = new_code[column.indices.fill_null(-1).to_numpy(zero_copy_only=False)]
    categories = pd.Index(arrow_to_series(tidied.dictionary))
    return pd.Categorical.from_codes(codes, categories=categories)


def arrow_to_tidy_frame(table: pa.Table) -> tuple[pd.DataFrame, np.ndarray]:
    """Arrow table → DataFrame with stray spaces stripped and empty cells missing.

    Returns the frame and a boolean mask of rows empty in every data column (blank lines and
    rows of bare separators: not data). Columns whose name starts with ``_`` are left alone.
    Dictionary-encoded columns become Categoricals (tidied once per distinct value); other
    text columns keep pandas' Arrow-backed string dtype.

    Each column is joined into one chunk (Arrow kernels are slow on hundreds of small
    chunks), converted and tidied before the next, and dropped from ``table`` on the way,
    so that at most one column exists twice: the peak memory of a million survey rows stays
    near the size of the data.
    """
    if any(pa.types.is_dictionary(t) for t in table.schema.types):
        table = table.unify_dictionaries()  # one dictionary per column over all files
    out: dict[str, pd.Series | pd.Categorical] = {}
    blank = np.ones(table.num_rows, dtype=bool)
    for name in list(table.column_names):
        column = table.column(name).combine_chunks()
        table = table.drop_columns([name])
        if name.startswith("_"):
            out[name] = arrow_to_series(column, name=name)
        elif pa.types.is_dictionary(column.type):
            out[name] = _tidy_dictionary(column)
            blank &= out[name].codes < 0
        else:
            column = _tidy_text(column)
            blank &= column.is_null().to_numpy(zero_copy_only=False)
            out[name] = arrow_to_series(column, name=name)
        del column
    return pd.DataFrame(out), blank


_STR = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas 3's default "str" dtype


def arrow_to_series(array: pa.Array, index: pd.Index | None = None,
                    name: str | None = None) -> pd.Series:
    """One Arrow array → Series, text in pandas' default string dtype (no Python objects)."""
    values = arrow_to_frame(pa.table({"values": array}))["values"].array
    return pd.Series(values, index=index, name=name)


def arrow_to_frame(table: pa.Table) -> pd.DataFrame:
    """Arrow table → DataFrame with pandas' default string dtype for text columns."""
    return table.to_pandas(types_mapper=lambda t: _STR if pa.types.is_string(t)
                           or pa.types.is_large_string(t) else None)


def categorical_as_text(values: pd.Series) -> pd.Series:
    """A Categorical column as pandas' Arrow-backed text (missing stays missing).

    Arrow's take on the categories is used because pandas' ``astype("str")`` of a Categorical
    goes through Python objects: 0.42 s against 0.01 s for a million rows on this machine.

    Examples
    --------
    >>> import pandas as pd
    >>> categorical_as_text(pd.Series(["b", None, "a"], dtype="category")).tolist()
    ['b', nan, 'a']

    """
    categories = pa.array(values.cat.categories.astype("str").to_numpy(dtype=object),
                          pa.large_string())
    codes = values.cat.codes.to_numpy()
    taken = pc.take(categories, pa.array(codes, mask=codes < 0))
    return arrow_to_series(taken, index=values.index, name=values.name)


def read_csv_text(path: str | os.PathLike[str], required: Sequence[str], *,
                  what: str = "CSV file", rename: ColumnMap | None = None
                  ) -> tuple[pd.DataFrame, list[int], dict]:
    """Read a CSV export as text with its columns renamed to the exact ``required`` names.

    Separator (``,``, ``;``, tab) and encoding (UTF-8 with or without BOM, cp1252) are
    sniffed; values are stripped and empty cells are missing.

    Parameters
    ----------
    path : path
    required : sequence of str
        Columns that must be present (matched ignoring case and spacing).
    what : str
        How to call the file in messages.

    Returns
    -------
    frame : DataFrame
        All columns as strings, plus ``_row`` (1-based data row); rows that are empty in
        every column are not data rows and are left out (their numbers are skipped).
    bad_rows : list of int
        Data rows whose number of fields differs from the header (``row_malformed``).
    info : dict
        ``encoding`` and ``separator`` found; ``records`` (data records after the header,
        blank lines included), ``rows_blank`` (blank lines and rows of bare separators: not
        records of the table, left out and counted here so that none vanishes unseen) and
        ``rows_in = records - rows_blank``, the raw records the reader must account for
        (``len(frame) + len(bad_rows)``), measured while reading.

    Raises
    ------
    RawFileError
        Missing file, not a text file, empty file, or missing required columns.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = p.write_bytes("Unit Kerja;Saran\\n Dinas X ;“Bagus”\\n".encode("cp1252"))
    >>> frame, bad, info = read_csv_text(p, ["Unit Kerja"])
    >>> frame["Unit Kerja"].tolist(), frame["Saran"].tolist(), info["encoding"]
    (['Dinas X'], ['“Bagus”'], 'cp1252')
    >>> info["rows_in"], info["rows_blank"]
    (1, 0)

    """
    table, bad, info = read_csv_arrow(path, required, what=what, rename=rename)
    frame, blank = arrow_to_tidy_frame(table)
    frame = frame.loc[~blank].reset_index(drop=True)
    info["rows_blank"] = info.pop("blank_skipped") + int(blank.sum())
    info["rows_in"] = info["records"] - info["rows_blank"]
    if frame.empty and not bad:
        raise RawFileError(path, "the file has a header but no data rows",
                           "export the data again, including the rows")
    return frame, bad, info


@dataclass(frozen=True)
class ColumnMap:
    """How an export's headings map to the documented ones (``columns:`` of sources.yaml).

    ``columns`` maps documented column → export column; ``origin`` names the place it was
    configured (``sources.yaml: pegawai.columns``) for messages.
    """

    columns: Mapping[str, str]
    origin: str = "sources.yaml"


def map_columns(names: list[str], rename: ColumnMap | None, path: Path | str) -> list[str]:
    """Headings of a file with the export columns of ``rename`` given their documented names.

    A mapped export column that the file does not hold is refused, naming the key. A column
    that already carries a documented name which is mapped elsewhere keeps its heading with
    `` (unmapped)`` appended, so that the mapped one is read.

    Examples
    --------
    >>> map_columns(["nip_baru", "nama"], ColumnMap({"NIP": "NIP_BARU"}), "x.csv")
    ['NIP', 'nama']

    """
    if not rename or not rename.columns:
        return list(names)
    by_norm: dict[str, int] = {}
    for i, name in enumerate(names):
        by_norm.setdefault(norm_header(name), i)
    out = list(names)
    targets = {}
    for documented, export in rename.columns.items():
        at = by_norm.get(norm_header(export))
        if at is None:
            found = ", ".join(str(n) for n in names if not str(n).startswith("_")) or "none"
            raise RawFileError(path, f"{rename.origin}: {documented}: {export!r} is not a "
                                     f"column of this file; columns found: {found}",
                               f"correct the export column name of {documented!r} in "
                               f"{rename.origin.split(':')[0]}")
        targets[at] = documented
    for i, name in enumerate(names):
        if i in targets:
            out[i] = targets[i]
        elif norm_header(name) in {norm_header(d) for d in targets.values()}:
            out[i] = f"{name} (unmapped)"
    return out


def _unique_names(names: list[str]) -> list[str]:
    """Make header names unique (``X``, ``X.1``…) the way pandas does."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        name = name or "Unnamed"
        if name in seen:
            seen[name] += 1
            out.append(f"{name}.{seen[name]}")
        else:
            seen[name] = 0
            out.append(name)
    return out


def _missing_message(path: Path, columns: Sequence[str], missing: Sequence[str],
                     sheet: str | None) -> RawFileError:
    where = f" (sheet {sheet!r})" if sheet else ""
    found = ", ".join(str(c) for c in columns if not str(c).startswith("_")) or "none"
    return RawFileError(path, f"required column(s) {', '.join(missing)} missing{where}; "
                              f"columns found: {found}",
                        "rename the column(s) in the export to the names in "
                        "data/raw/README.md (case and spacing do not matter), or map them "
                        "in sources.yaml under columns: (config/sources.example.yaml)")


def _rename_required_arrow(table: pa.Table, path: Path, required: Sequence[str]) -> pa.Table:
    by_norm: dict[str, str] = {}
    for col in table.column_names:
        by_norm.setdefault(norm_header(col), col)
    missing = [c for c in required if norm_header(c) not in by_norm]
    if missing:
        raise _missing_message(path, table.column_names, missing, None)
    rename = {by_norm[norm_header(c)]: c for c in required}
    return table.rename_columns([rename.get(c, c) for c in table.column_names])


def _rename_required(frame: pd.DataFrame, path: Path, required: Sequence[str],
                     sheet: str | None = None) -> pd.DataFrame:
    by_norm = {}
    for col in frame.columns:
        by_norm.setdefault(norm_header(col), col)
    missing = [c for c in required if norm_header(c) not in by_norm]
    if missing:
        raise _missing_message(path, list(frame.columns), missing, sheet)
    return frame.rename(columns={by_norm[norm_header(c)]: c for c in required})


def _cell_text(value: object) -> object:
    # calamine returns Python objects per cell; turning them into text needs a per-cell call
    # (there is no vectorised path from its row lists), done once per column with map().
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        # what a spreadsheet shows for a big number: 15 significant digits, E notation
        return f"{value:.14E}" if abs(value) >= 1e15 else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if (value.hour or value.minute or
                                                      value.second) else value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def read_xlsx_text(path: str | os.PathLike[str], sheet: str | None, required: Sequence[str],
                   *, what: str = "Excel workbook", rename: ColumnMap | None = None
                   ) -> tuple[pd.DataFrame, dict]:
    """Read one sheet of an XLSX workbook as text through python-calamine.

    Numbers that a spreadsheet stored as numbers come back in E notation when they are 15
    digits or longer (``1.97807172010012E+17``), so a NIP that lost its digits is visible as
    such and never mistaken for a valid one. Title rows above the table (a report heading,
    the export date) are skipped: the header is the first of the top rows that holds every
    required column. ``sheet`` None reads the first sheet.

    Returns the frame (with ``_row``, the 1-based row below the header) and ``{"sheet",
    "records", "rows_blank", "rows_in", "header_row"}`` (rows below the header, the empty
    ones among them — left out, not records — and the rest, which the reader must account
    for; ``header_row`` is the 1-based sheet row of the header); raises
    :class:`RawFileError` for a missing file, a file that is not a workbook, a missing
    sheet, an empty sheet or missing required columns.
    """
    from python_calamine import CalamineWorkbook

    from ._sheets import frame_from_rows

    path = Path(path)
    _check_exists(path, what)
    head = path.read_bytes()[:8]
    if not head.startswith(b"PK\x03\x04"):
        kind = "empty" if not head else "not an .xlsx workbook"
        raise RawFileError(path, f"the file is {kind}",
                           "save the workbook as Excel .xlsx (File > Save As > Excel "
                           "Workbook), not as CSV renamed to .xlsx")
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for broken archives
        raise RawFileError(path, f"the workbook cannot be opened ({exc})",
                           "open it in a spreadsheet program and save it again as .xlsx"
                           ) from None
    names = list(book.sheet_names)
    match = [n for n in names if sheet is None or norm_header(n) == norm_header(sheet)]
    if not match:
        raise RawFileError(path, f"sheet {sheet!r} not found; sheets are {names}",
                           f"rename the sheet with the records to {sheet!r}, or name it "
                           "in sources.yaml (sheet:)")
    rows = book.get_sheet_by_name(match[0]).to_python(skip_empty_area=False)
    return frame_from_rows(rows, required, path, sheet=match[0], rename=rename,
                           cell_text=_cell_text)
