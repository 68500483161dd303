"""The house style of every figure.

:func:`set_style` is applied by :func:`evalkit.notebook.setup_notebook` and by the report;
figures are saved with :func:`evalkit.outputs.save_figure`. The report's own figures are in
:mod:`evalkit.report.figures`, notebook 04's estimate plots in :mod:`evalkit.models.plots`.

Examples
--------
>>> set_style()

"""

from __future__ import annotations

import matplotlib
import seaborn as sns

from evalkit.outputs import SVG_HASH_SALT


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


__all__ = ["set_style"]
