"""What the report reads: the processed tables, the cleaning manifest, and how to name them.

The report reads ``data/processed`` only (DESIGN: only notebook 01 reads ``raw_dir``) and
writes nothing there. A missing table turns its section into a note naming the notebook that
writes it (:data:`REPORT_INPUTS`).

Examples
--------
>>> REPORT_INPUTS["effects"]
'04-training-effects'

"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping

import pandas as pd

from evalkit.config import PROJ_ROOT, read_processed, resolve_path

#: Processed tables the report reads, and the notebook that writes each (for the message when
#: one is missing).
REPORT_INPUTS: dict[str, str] = {
    "skm": "01-clean-raw-data", "pegawai": "01-clean-raw-data", "pelatihan": "01-clean-raw-data",
    "skp": "01-clean-raw-data", "evaluasi_pasca_pelatihan": "01-clean-raw-data",
    "quarantine": "01-clean-raw-data",
    "ikm_unit_period": "02-service-satisfaction-ikm",
    "training_asn_year": "03-training-participation",
    "panel_unit_period": "03-training-participation",
    "effects": "04-training-effects", "findings": "04-training-effects",
    "interview_themes": "05-interview-themes", "interview_quotes": "05-interview-themes",
}


def load_inputs(processed_dir: str | os.PathLike[str]) -> dict[str, pd.DataFrame | None]:
    """Read the processed tables the report uses; a missing table is ``None``.

    An empty table is read as it is: an empty quarantine is good news, and every section
    says what it has no rows for.

    Examples
    --------
    >>> import tempfile
    >>> load_inputs(tempfile.mkdtemp())["effects"] is None
    True

    """
    return {name: read_processed(name, processed_dir, missing_ok=True, allow_empty=True)
            for name in REPORT_INPUTS}


def input_overview(inputs: Mapping[str, pd.DataFrame | None]) -> pd.DataFrame:
    """Which report inputs were found: table, the notebook that writes it, and its rows.

    ``rows`` is missing (``<NA>``) for a table not found, whose report section becomes a note.

    Examples
    --------
    >>> import pandas as pd
    >>> table = input_overview({"effects": pd.DataFrame({"x": [1, 2]})})
    >>> table.set_index("table").loc[["effects", "skm"], "rows"].tolist()
    [2, <NA>]

    """
    return pd.DataFrame({
        "table": list(REPORT_INPUTS),
        "written_by": list(REPORT_INPUTS.values()),
        "rows": pd.array([None if inputs.get(n) is None else len(inputs[n])
                          for n in REPORT_INPUTS], dtype="Int64"),
    })


def absent_inputs(processed_dir: str | os.PathLike[str]) -> list[str]:
    """List what the report has no data for: per notebook, the tables that are absent.

    Table and notebook names are codes, the same in every report language; why a notebook
    did not run is in the run's ``run.json`` and was printed at the terminal.

    Examples
    --------
    >>> import tempfile
    >>> absent_inputs(tempfile.mkdtemp())[:2]  # doctest: +NORMALIZE_WHITESPACE
    ['01-clean-raw-data: skm, pegawai, pelatihan, skp, evaluasi_pasca_pelatihan, quarantine',
     '02-service-satisfaction-ikm: ikm_unit_period']

    """
    folder = resolve_path(processed_dir)
    by_notebook: dict[str, list[str]] = {}
    for table, notebook in REPORT_INPUTS.items():
        if not (folder / f"{table}.parquet").is_file():
            by_notebook.setdefault(notebook, []).append(table)
    return [f"{notebook}: {', '.join(tables)}" for notebook, tables in by_notebook.items()]


def read_manifest(processed_dir: str | os.PathLike[str]) -> dict | None:
    """``manifest.json`` of the processed folder, or ``None`` when absent.

    Examples
    --------
    >>> import tempfile
    >>> read_manifest(tempfile.mkdtemp()) is None
    True

    """
    path = resolve_path(processed_dir) / "manifest.json"
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc}); rerun notebook 01 to rewrite it.") \
            from exc


def display_path(path: str | os.PathLike[str]) -> str:
    """Return a path as the report shows it: relative to the project root when inside it.

    Outside the project only the last part is shown (a report travels; the reader's folders
    are not its business).

    Examples
    --------
    >>> display_path("data/processed")
    'data/processed'
    >>> display_path("/somewhere/else/processed")
    'processed'

    """
    resolved = resolve_path(path)
    try:
        return str(resolved.relative_to(PROJ_ROOT))
    except ValueError:
        return resolved.name


__all__ = ["REPORT_INPUTS", "absent_inputs", "display_path", "input_overview", "load_inputs",
           "read_manifest"]
