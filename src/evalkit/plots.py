"""Figure style and saving.

Every figure of a run is saved as PNG and SVG into the run's ``figures/`` folder, with the
metadata that would change between runs (dates, random SVG ids) removed, so two runs on the
same data give byte-identical files.

Examples
--------
>>> import matplotlib.pyplot as plt
>>> import tempfile
>>> fig, ax = plt.subplots()
>>> _ = ax.plot([1, 2], [3, 4])
>>> paths = save_figure(fig, "example", tempfile.mkdtemp())
>>> sorted(p.suffix for p in paths)
['.png', '.svg']
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import seaborn as sns

from evalkit.config import resolve_path

#: Fixed salt for the ids matplotlib writes into SVG files (random otherwise).
SVG_HASH_SALT = "evalkit"

#: Metadata cleared so files do not change with the clock or the library build.
_SVG_METADATA = {"Date": None, "Creator": None}
_PNG_METADATA = {"Software": None}


def set_style() -> None:
    """Apply the house style: seaborn's whitegrid, readable sizes, stable SVG output.

    Examples
    --------
    >>> set_style()
    >>> matplotlib.rcParams["svg.hashsalt"]
    'evalkit'
    """
    sns.set_theme(style="whitegrid", context="notebook", palette="colorblind")
    matplotlib.rcParams.update(
        {
            "svg.hashsalt": SVG_HASH_SALT,
            "svg.fonttype": "path",
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "savefig.bbox": "tight",
            "axes.titleweight": "bold",
        }
    )


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
    See the module docstring.
    """
    figures = resolve_path(output_dir) / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    with matplotlib.rc_context({"svg.hashsalt": SVG_HASH_SALT}):
        png = figures / f"{name}.png"
        svg = figures / f"{name}.svg"
        fig.savefig(png, metadata=_PNG_METADATA)
        fig.savefig(svg, metadata=_SVG_METADATA)
    return [png, svg]


__all__ = ["save_figure", "set_style", "plt", "sns"]
