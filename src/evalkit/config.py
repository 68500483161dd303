"""Every path of the project, defined once, and the pipeline parameters.

Notebooks import their paths from here, so nothing depends on the working directory
(papermill runs a notebook with its own folder as the working directory).

Examples
--------
>>> from evalkit import config
>>> config.RAW_DIR.name
'raw'
>>> config.resolve_path("data/raw") == config.RAW_DIR
True
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import yaml

from evalkit.errors import NotebookStop

#: Project root: ``EVALKIT_ROOT`` when set (an installed, non-editable package), else the
#: checkout that holds ``src/evalkit``.
PROJ_ROOT = Path(os.environ.get("EVALKIT_ROOT", Path(__file__).resolve().parents[2]))

CONFIG_DIR = PROJ_ROOT / "config"
DATA_DIR = PROJ_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
REPORTS_DIR = PROJ_ROOT / "reports"

PIPELINE_FILE = CONFIG_DIR / "pipeline.yaml"
SKM_QUESTIONS_FILE = CONFIG_DIR / "skm_questions.yaml"
CODEBOOK_FILE = CONFIG_DIR / "codebook.yaml"
TRAINING_CATALOG_FILE = CONFIG_DIR / "training_catalog.yaml"

#: Where a user keeps the pseudonymisation key of real data (git-ignored).
KEY_FILE = PROJ_ROOT / ".evalkit_key"

#: The simulator's known truth, written beside simulated raw data and copied by the
#: cleaning step into the processed folder; real exports have none.
TRUTH_FILE_NAME = "truth.json"

def resolve_path(path: str | os.PathLike[str]) -> Path:
    """Return ``path`` as an absolute path, taking relative paths from the project root.

    Parameters
    ----------
    path : str or PathLike
        Absolute, or relative to the project root (not to the working directory).

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> resolve_path("config").name
    'config'
    """
    path = Path(path).expanduser()
    return path if path.is_absolute() else PROJ_ROOT / path


def load_yaml(path: str | os.PathLike[str]) -> Any:
    """Read a YAML file, naming the file and line of a syntax error.

    Examples
    --------
    >>> load_yaml(PIPELINE_FILE)["lang"] in ("id", "en")
    True
    """
    path = resolve_path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: file not found. Check the path, or copy the default "
                                f"from {CONFIG_DIR}.")
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown place"
        raise ValueError(f"{path}: invalid YAML at {where}: {exc.problem}. "
                         "Fix the file (indentation and colons are the usual cause).") from exc


def load_params(*overrides: dict[str, Any] | str | os.PathLike[str] | None) -> dict[str, Any]:
    """Load ``config/pipeline.yaml`` and apply overrides in order (later wins).

    Parameters
    ----------
    *overrides : dict, path or None
        Dictionaries of parameters, or paths of YAML parameter files. ``None`` is skipped.

    Returns
    -------
    dict
        The merged parameters.

    Raises
    ------
    ValueError
        If an override names a parameter that ``pipeline.yaml`` does not define.

    Examples
    --------
    >>> load_params({"lang": "en"})["lang"]
    'en'
    """
    params = dict(load_yaml(PIPELINE_FILE) or {})
    for override in overrides:
        if override is None:
            continue
        source = "override"
        if not isinstance(override, dict):
            source = str(override)
            override = load_yaml(override) or {}
            if not isinstance(override, dict):
                raise ValueError(f"{source}: a parameter file must be a mapping of "
                                 "name: value pairs.")
        unknown = sorted(set(override) - set(params))
        if unknown:
            raise ValueError(
                f"{source}: unknown parameter(s) {', '.join(unknown)}. "
                f"Known parameters (config/pipeline.yaml): {', '.join(sorted(params))}."
            )
        params.update(override)
    return params


def load_truth(folder: str | os.PathLike[str]) -> dict[str, Any] | None:
    """Return the simulator's truth in ``folder``, or None for real (not simulated) data.

    Later notebooks call it on the processed folder, where the cleaning step copies it, to
    compare estimates with the known truth and to label outputs as simulated.

    Examples
    --------
    >>> load_truth(RAW_DIR)["simulated"]
    True
    >>> load_truth(CONFIG_DIR) is None
    True
    """
    path = resolve_path(folder) / TRUTH_FILE_NAME
    if not path.is_file():
        return None
    try:
        truth = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:  # unreadable: treat as real data (no demo key, no simulated notice)
        return None
    return truth if isinstance(truth, dict) and truth.get("simulated") is True else None


class EmptyTableError(NotebookStop, ValueError):
    """A processed table has no row: every row of its source went to the quarantine."""


def read_processed(name: str, processed_dir: str | os.PathLike[str] = PROCESSED_DIR, *,
                   columns: list[str] | None = None, missing_ok: bool = False,
                   allow_empty: bool = False):
    """Read the processed table ``name`` (``<processed_dir>/<name>.parquet``).

    Parameters
    ----------
    name : str
        Table name of the data contract, e.g. ``"skm"`` or ``"panel_unit_period"``.
    processed_dir : str or PathLike
        The processed folder (relative paths are taken from the project root).
    columns : list of str, optional
        Read only these columns.
    missing_ok : bool, default False
        Return None for a missing table instead of raising.
    allow_empty : bool, default False
        Return a table without rows instead of raising; an analysis of nothing would fail
        later with an error that does not say why (``IndexError`` on the latest period).

    Raises
    ------
    FileNotFoundError
        Naming the file and saying which step writes it.
    EmptyTableError
        When the table has no row, naming it and pointing at the quarantine, where the
        cleaning step keeps every rejected row with its reason.

    Examples
    --------
    >>> read_processed("no_such_table", missing_ok=True) is None
    True
    >>> import pandas as pd, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> pd.DataFrame({"unit": pd.Series([], dtype=str)}).to_parquet(f"{folder}/skm.parquet")
    >>> read_processed("skm", folder)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    evalkit.config.EmptyTableError: processed table 'skm' is empty: ...
    """
    import pandas as pd

    path = resolve_path(processed_dir) / f"{name}.parquet"
    if not path.is_file():
        if missing_ok:
            return None
        raise FileNotFoundError(
            f"{path}: processed table '{name}' not found. The notebooks write it in order: "
            "run the earlier ones first (`evalkit run`, or `evalkit run --only 01,02,…`).")
    table = pd.read_parquet(path, columns=columns)
    if table.empty and not allow_empty:
        quarantine = path.with_name("quarantine.csv")
        raise EmptyTableError(
            f"processed table '{name}' is empty: every row of its source went to the "
            f"quarantine, so there is nothing to analyse. What to do: see why in {quarantine} "
            "(column 'reason'; notebook 01 lists the reasons), fix the export or describe it "
            "in sources.yaml, and run again.")
    return table
