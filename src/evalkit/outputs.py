"""Everything a run writes besides processed data: tables, figures and the workbook.

Notebooks import their savers from here. Every published table is written as CSV (for
scripts) and XLSX (for spreadsheet users) into the run's ``tables/`` folder, every figure as
PNG and SVG into ``figures/``; :func:`save_workbook` gathers the tables into one workbook.
Files are reproducible: the XLSX creation date is fixed, and the metadata that would change
between runs (dates, random SVG ids) is removed, so two runs on the same data give
byte-identical files.

Examples
--------
>>> import pandas as pd, tempfile
>>> paths = save_table(pd.DataFrame({"unit": ["A"], "ikm": [80.5]}), "demo", tempfile.mkdtemp())
>>> sorted(p.suffix for p in paths)
['.csv', '.xlsx']
"""

from __future__ import annotations

import base64
import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path

import matplotlib
import pandas as pd

from evalkit.config import resolve_path
from evalkit.labels import Lang, label

#: Fixed creation date written into XLSX files (and their zip entries) so reruns are
#: byte-identical.
XLSX_CREATED = dt.datetime(2000, 1, 1)

#: The one workbook that holds every published table of a run.
WORKBOOK_NAME = "evalkit_tables"

#: Fixed salt for the ids matplotlib writes into SVG files (random otherwise).
SVG_HASH_SALT = "evalkit"

#: Metadata cleared so files do not change with the clock or the library build.
_SVG_METADATA = {"Date": None, "Creator": None}
_PNG_METADATA = {"Software": None}


def run_subfolder(output_dir: str | os.PathLike[str], name: str) -> Path:
    """Return ``<output_dir>/<name>`` (``figures``, ``tables``), created if absent.

    The one place that lays out a run folder, for :func:`save_figure` and
    :func:`save_table`.

    Examples
    --------
    >>> import tempfile
    >>> run_subfolder(tempfile.mkdtemp(), "figures").is_dir()
    True

    """
    folder = resolve_path(output_dir) / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_figure(fig: matplotlib.figure.Figure, name: str,
                output_dir: str | os.PathLike[str]) -> list[Path]:
    """Save ``fig`` as ``<output_dir>/figures/<name>.png`` and ``.svg``, reproducibly.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to save; it stays open so the notebook still shows it.
    name : str
        File stem, e.g. ``"ikm_by_unit"``.
    output_dir : str or PathLike
        The run folder (relative paths are taken from the project root).

    Returns
    -------
    list of pathlib.Path
        The PNG and SVG paths written.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, tempfile
    >>> fig, ax = plt.subplots()
    >>> sorted(p.suffix for p in save_figure(fig, "example", tempfile.mkdtemp()))
    ['.png', '.svg']

    """
    figures = run_subfolder(output_dir, "figures")
    with matplotlib.rc_context({"svg.hashsalt": SVG_HASH_SALT}):
        png = figures / f"{name}.png"
        svg = figures / f"{name}.svg"
        fig.savefig(png, metadata=_PNG_METADATA)
        fig.savefig(svg, metadata=_SVG_METADATA)
    return [png, svg]


def png_data_uri(path: str | os.PathLike[str]) -> str:
    """Return a PNG file as a ``data:`` URI, to embed it in a self-contained HTML page.

    Examples
    --------
    >>> import tempfile, matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> png, _ = save_figure(fig, "uri", tempfile.mkdtemp())
    >>> png_data_uri(png)[:22]
    'data:image/png;base64,'

    """
    data = Path(path).read_bytes()
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def save_table(table: pd.DataFrame, name: str, output_dir: str | os.PathLike[str],
               *, index: bool = False) -> list[Path]:
    """Write ``table`` to ``<output_dir>/tables/<name>.csv`` and ``.xlsx``.

    Parameters
    ----------
    table : pandas.DataFrame
        A table that is safe to publish (small cells already suppressed).
    name : str
        File stem, also the XLSX sheet name (cut to Excel's 31 characters).
    output_dir : str or PathLike
        The run folder (relative paths are taken from the project root).
    index : bool, default False
        Whether to write the index as a column.

    Returns
    -------
    list of pathlib.Path
        The CSV and XLSX paths written.

    Examples
    --------
    See the module docstring.

    """
    tables = run_subfolder(output_dir, "tables")
    csv_path = tables / f"{name}.csv"
    xlsx_path = tables / f"{name}.xlsx"
    table.to_csv(csv_path, index=index, lineterminator="\n")
    with pd.ExcelWriter(xlsx_path, engine="xlsxwriter") as writer:
        writer.book.set_properties({"created": XLSX_CREATED})
        table.to_excel(writer, sheet_name=name[:31], index=index)
    return [csv_path, xlsx_path]


def save_workbook(tables: Mapping[str, pd.DataFrame], output_dir: str | os.PathLike[str],
                  *, lang: Lang = "id", include_folder: bool = True,
                  name: str = WORKBOOK_NAME) -> Path:
    """Write every published table into one workbook ``tables/<name>.xlsx``, reproducibly.

    The first sheet lists the sheets. With ``include_folder``, the CSV tables that other
    notebooks of the run saved into ``tables/`` are added after ``tables`` (each once). The
    creation date is fixed (:data:`XLSX_CREATED`), so the same tables give the same bytes.

    Parameters
    ----------
    tables : mapping name → DataFrame
        The report's published tables (sheet name = table name).
    output_dir : path
        The run folder.
    lang : {"id", "en"}
        Language of the contents sheet.
    include_folder : bool, default True
        Add the other CSV tables of ``tables/``.
    name : str, default "evalkit_tables"
        File stem of the workbook.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import pandas as pd, tempfile
    >>> save_workbook({"demo": pd.DataFrame({"a": [1]})}, tempfile.mkdtemp()).name
    'evalkit_tables.xlsx'

    """
    folder = run_subfolder(output_dir, "tables")
    sheets: dict[str, tuple[str, pd.DataFrame]] = {}
    used: set[str] = set()

    def add(table_name: str, source: str, table: pd.DataFrame) -> None:
        sheet = table_name[:31]
        i = 2
        while sheet.lower() in used:  # Excel sheet names are unique ignoring case
            suffix = f"_{i}"
            sheet = table_name[:31 - len(suffix)] + suffix
            i += 1
        used.add(sheet.lower())
        sheets[sheet] = (source, table)

    for table_name in sorted(tables):
        add(table_name, f"{table_name}.csv", tables[table_name])
    if include_folder:
        for csv in sorted(folder.glob("*.csv")):
            if csv.stem not in tables and csv.stem != name:
                add(csv.stem, csv.name, pd.read_csv(csv))
    contents = pd.DataFrame({
        label("workbook_sheet", lang): list(sheets),
        label("workbook_source", lang): [src for src, _ in sheets.values()],
        label("workbook_rows", lang): [len(t) for _, t in sheets.values()],
    })
    path = folder / f"{name}.xlsx"
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        writer.book.set_properties({"created": XLSX_CREATED})
        contents.to_excel(writer, sheet_name=label("workbook_contents", lang)[:31], index=False)
        for sheet, (_, table) in sheets.items():
            table.to_excel(writer, sheet_name=sheet, index=False)
    return path


__all__ = ["SVG_HASH_SALT", "WORKBOOK_NAME", "XLSX_CREATED", "png_data_uri", "run_subfolder",
           "save_figure", "save_table", "save_workbook"]
