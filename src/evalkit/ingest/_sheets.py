"""Tables that are not CSV: workbook sheets and the HTML tables that web apps save as ``.xls``.

Both arrive as a grid of cells. Exports put title rows above the table (a report heading, the
unit, the export date), so the header is found by the expected column names among the top
rows rather than assumed on the first. :func:`read_table_text` picks the reader from the
file's name and content, so every reader accepts CSV, XLSX and HTML-as-XLS alike.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ._io import (
    ROW,
    ColumnMap,
    RawFileError,
    _check_exists,
    _missing_message,
    map_columns,
    norm_header,
    read_csv_text,
    read_xlsx_text,
    tidy_text_series,
)

#: How many top rows of a sheet may hold titles before the header.
HEADER_SEARCH_ROWS = 30
_HTML_START = (b"<!doctype html", b"<html", b"<table", b"<?xml", b"<meta", b"<head",
               b"<body", b"<style")
HTML_NEEDS_LXML = ("this 'Excel' file is really an HTML table (a web page saved with an "
                   "Excel name), and reading it needs the lxml package, which is not "
                   "installed")


def _header_at(rows: list[list], required: Sequence[str], rename: ColumnMap | None,
               path: Path) -> int:
    """Index of the first top row holding every required column (0 when none does, so
    that the missing columns are reported against the first row)."""
    wanted = {norm_header(c) for c in required}
    for at, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = [str(c).strip() if c is not None else "" for c in row]
        try:
            names = map_columns(cells, rename, path)
        except RawFileError:
            continue  # a title row does not hold the mapped export columns
        if wanted <= {norm_header(n) for n in names}:
            return at
    return 0


def frame_from_rows(rows: list[list], required: Sequence[str], path: Path, *,
                    sheet: str | None, rename: ColumnMap | None = None,
                    cell_text: Callable[[object], object] = str) -> tuple[pd.DataFrame, dict]:
    """A grid of cells (a sheet, an HTML table) → text frame with ``_row`` and the reader's
    counts, the header found among the top rows (:data:`HEADER_SEARCH_ROWS`).

    Examples
    --------
    >>> rows = [["Daftar Pegawai 2024", None], [None, None], ["NIP", "Unit"], ["'1978", "X "]]
    >>> frame, info = frame_from_rows(rows, ["NIP"], Path("x.xlsx"), sheet="S")
    >>> frame.drop(columns="_row").values.tolist(), info["header_row"], info["rows_in"]
    ([['1978', 'X']], 3, 1)

    """
    where = f"sheet {sheet!r}" if sheet else "the table"
    if not rows or not any(str(c).strip() for r in rows[:HEADER_SEARCH_ROWS] for c in r
                           if c is not None):
        raise RawFileError(path, f"{where} is empty", "export the records again into it")
    at = _header_at(rows, required, rename, path)
    header = [str(c).strip() if c is not None else "" for c in rows[at]]
    header = map_columns(header, rename, path)
    width = len(header)
    body = [list(r[:width]) + [None] * (width - len(r)) for r in rows[at + 1:]]
    frame = pd.DataFrame(body, columns=range(width), dtype=object)
    found = {norm_header(h): i for i, h in reversed(list(enumerate(header)))}
    missing = [c for c in required if norm_header(c) not in found]
    if missing:
        raise _missing_message(path, header, missing, sheet)
    names = list(header)
    for column in required:
        names[found[norm_header(column)]] = column
    seen: dict[str, int] = {}
    for i, name in enumerate(names):  # unique headings, as pandas names repeats
        name = name or "Unnamed"
        seen[name] = seen.get(name, -1) + 1
        names[i] = name if seen[name] == 0 else f"{name}.{seen[name]}"
    frame.columns = names
    for col in frame.columns:
        frame[col] = tidy_text_series(frame[col].map(cell_text))
    frame[ROW] = np.arange(1, len(frame) + 1)
    data_cols = [c for c in frame.columns if c != ROW]
    records = len(frame)
    frame = frame[frame[data_cols].notna().any(axis=1)].reset_index(drop=True)
    if frame.empty:
        raise RawFileError(path, f"{where} has a header but no data rows",
                           "export the records again, including the rows")
    return frame, {"sheet": sheet, "records": records, "rows_blank": records - len(frame),
                   "rows_in": len(frame), "header_row": at + 1}


def is_html(data: bytes) -> bool:
    """Whether file bytes are an HTML table (what web apps save under an ``.xls`` name).

    Examples
    --------
    >>> is_html(b"\\xef\\xbb\\xbf  <HTML><table>"), is_html(b"PK\\x03\\x04")
    (True, False)

    """
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(_HTML_START)


def read_html_text(path: str | os.PathLike[str], required: Sequence[str], *,
                   what: str = "HTML table", rename: ColumnMap | None = None
                   ) -> tuple[pd.DataFrame, dict]:
    """Read the largest table of an HTML file (often named ``.xls``) as text, through
    :func:`pandas.read_html` (lxml); every cell stays text.

    Raises :class:`RawFileError` when lxml is not installed (with that sentence and what to
    do), when the file holds no table, or when required columns are missing.
    """
    path = Path(path)
    _check_exists(path, what)
    try:
        import lxml  # noqa: F401  (pandas.read_html's parser)
    except ImportError:
        raise RawFileError(path, HTML_NEEDS_LXML,
                           "install it into the environment (pip install lxml), or open the "
                           "file in a spreadsheet program and save it as .xlsx or CSV"
                           ) from None
    data = path.read_bytes()
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    try:
        shapes = pd.read_html(io.StringIO(text), header=None, flavor="lxml")
    except (ValueError, SyntaxError):   # lxml's XMLSyntaxError: a page with no text at all
        raise RawFileError(path, "the file is HTML but holds no table",
                           "export the data again as CSV or .xlsx") from None
    best = max(range(len(shapes)), key=lambda i: shapes[i].size)
    width = shapes[best].shape[1]
    # read again with every column as text (identifiers must never become numbers)
    table = pd.read_html(io.StringIO(text), header=None, flavor="lxml", thousands=None,
                         keep_default_na=False,
                         converters=dict.fromkeys(range(width), str))[best]
    rows = table.astype(object).where(table.ne(""), None).values.tolist()
    if not isinstance(table.columns, pd.RangeIndex):  # a <thead> became the column labels
        labels = [c[-1] if isinstance(c, tuple) else c for c in table.columns]
        rows = [[str(c) for c in labels], *rows]
    return frame_from_rows(rows, required, path, sheet=None, rename=rename)


def read_table_text(path: str | os.PathLike[str], required: Sequence[str], *,
                    what: str, sheet: str | None = None, rename: ColumnMap | None = None,
                    prefer_sheet: bool = False) -> tuple[pd.DataFrame, list[int], dict]:
    """Read any export of one table as text: CSV, XLSX, or an HTML table named ``.xls``.

    The reader is chosen by the content (an HTML page, a zip workbook) and the extension
    (``.xlsx``/``.xlsm``/``.xls`` are workbooks; everything else is read as CSV text, which
    refuses binary files with a clear message). ``prefer_sheet`` reads ``sheet`` of a
    workbook as documented (``pelatihan.xlsx``); other workbooks are read from ``sheet``
    when given, else their first sheet. Returns ``(frame, bad_rows, info)`` as
    :func:`~evalkit.ingest._io.read_csv_text` (``bad_rows`` is empty for sheets).
    """
    path = Path(path)
    _check_exists(path, what)
    suffix = path.suffix.lower()
    with path.open("rb") as handle:
        head = handle.read(1024)
    if is_html(head):
        frame, info = read_html_text(path, required, what=what, rename=rename)
        return frame, [], info
    if suffix in (".xlsx", ".xlsm", ".xls") or (prefer_sheet and suffix != ".csv"):
        if suffix == ".xls" and head.startswith(b"\xd0\xcf\x11\xe0"):
            raise RawFileError(path, "this is an old binary Excel (.xls) workbook",
                               "open it in a spreadsheet program and save it as .xlsx or "
                               "CSV")
        frame, info = read_xlsx_text(path, sheet, required, what=what, rename=rename)
        return frame, [], info
    frame, bad, info = read_csv_text(path, required, what=what, rename=rename)
    return frame, bad, info


__all__ = ["read_table_text", "read_html_text", "frame_from_rows", "is_html",
           "HTML_NEEDS_LXML", "HEADER_SEARCH_ROWS"]
