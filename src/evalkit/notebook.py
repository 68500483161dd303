"""The one setup call at the top of every notebook.

Every notebook starts the same way: its path parameters become absolute paths under the
names ``PROCESSED`` and ``OUTPUT``, the report language is checked, the figure style and
pandas' display options are set::

    PROCESSED, OUTPUT = setup_notebook(processed_dir, output_dir, lang=lang, width=140)

Examples
--------
>>> import tempfile
>>> processed, output = setup_notebook("data/processed", tempfile.mkdtemp(), lang="en")
>>> processed.name, output.is_absolute()
('processed', True)
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from evalkit.config import resolve_path
from evalkit.labels import check_lang
from evalkit.plots import set_style


def setup_notebook(processed_dir: str | os.PathLike[str] | None,
                   output_dir: str | os.PathLike[str], *, lang: str | None = None,
                   **display: int) -> tuple[Path | None, Path]:
    """Resolve a notebook's folders, check its language, set figure style and display options.

    Parameters
    ----------
    processed_dir : path or None
        The ``processed_dir`` parameter (``None`` for a notebook that reads no processed table).
    output_dir : path
        The ``output_dir`` parameter: the run folder.
    lang : {"id", "en"}, optional
        The ``lang`` parameter, refused with a clear message when unknown.
    **display : int
        pandas display options without their ``display.`` prefix, e.g. ``width=140``.

    Returns
    -------
    tuple of (pathlib.Path or None, pathlib.Path)
        ``PROCESSED`` and ``OUTPUT``, absolute (relative paths are taken from the project
        root, so nothing depends on the notebook's working directory).
    """
    if lang is not None:
        check_lang(lang)
    set_style()
    for option, value in display.items():
        pd.set_option(f"display.{option}", value)
    processed = None if processed_dir is None else resolve_path(processed_dir)
    return processed, resolve_path(output_dir)


__all__ = ["setup_notebook"]
