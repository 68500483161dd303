"""Tables of a run and the HTML report.

Every published table is written as CSV (for scripts) and XLSX (for spreadsheet users) into
the run's ``tables/`` folder. Files are reproducible: the XLSX creation date is fixed.

Examples
--------
>>> import pandas as pd, tempfile
>>> paths = save_table(pd.DataFrame({"unit": ["A"], "ikm": [80.5]}), "demo", tempfile.mkdtemp())
>>> sorted(p.suffix for p in paths)
['.csv', '.xlsx']
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd

from evalkit.config import resolve_path

#: Fixed creation date written into XLSX files (and their zip entries) so reruns are
#: byte-identical.
XLSX_CREATED = dt.datetime(2000, 1, 1)


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
    tables = resolve_path(output_dir) / "tables"
    tables.mkdir(parents=True, exist_ok=True)
    csv_path = tables / f"{name}.csv"
    xlsx_path = tables / f"{name}.xlsx"
    table.to_csv(csv_path, index=index, lineterminator="\n")
    with pd.ExcelWriter(xlsx_path, engine="xlsxwriter") as writer:
        writer.book.set_properties({"created": XLSX_CREATED})
        table.to_excel(writer, sheet_name=name[:31], index=index)
    return [csv_path, xlsx_path]


__all__ = ["save_table", "XLSX_CREATED"]
