"""Figures of the IKM (seaborn; saved by the notebook with :func:`evalkit.outputs.save_figure`).

Grades are coloured with the one palette :data:`~evalkit.ikm.grades.GRADE_COLORS`, and the
grade boundaries drawn from :data:`~evalkit.ikm.grades.GRADE_FLOORS`. matplotlib and seaborn
are imported when a figure is drawn, so ``import evalkit.ikm`` stays light.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from evalkit.ikm.elements import ELEMENTS
from evalkit.ikm.grades import GRADE_COLORS, GRADE_FLOORS
from evalkit.labels import Lang
from evalkit.periods import PERIOD_NAME, granularity_of

_TEXT = {
    "id": {"ikm": "IKM (25–100)", "unit": "Unit", "period": "Periode", "grade": "Mutu",
           "by_unit": "IKM per unit, {period} (garis: batas mutu; batang galat: IK 95%)",
           "heatmap": "NRR per unsur, {period}", "trend": "IKM per {period} (pita: IK 95%)",
           "element": "Unsur"},
    "en": {"ikm": "IKM (25–100)", "unit": "Unit", "period": "Period", "grade": "Grade",
           "by_unit": "IKM per unit, {period} (lines: grade boundaries; bars: 95% CI)",
           "heatmap": "NRR per element, {period}", "trend": "IKM per {period} (band: 95% CI)",
           "element": "Element"},
}


def _grade_lines(ax, orientation: str = "v") -> None:
    """Draw the grade boundaries 65.00, 76.61 and 88.31 (lower bounds of C, B, A)."""
    for bound in (GRADE_FLOORS[g] for g in "CBA"):
        line = ax.axvline if orientation == "v" else ax.axhline
        line(bound, color="grey", lw=0.8, ls="--", zorder=0)


def plot_ikm_by_unit(table: pd.DataFrame, period: str, lang: Lang = "id"):
    """Bar chart of each unit's IKM in one period, coloured by grade, with 95% CIs.

    ``table`` needs ``unit``, ``period``, ``ikm``, ``mutu``, ``ikm_ci_low``, ``ikm_ci_high``.
    Returns the matplotlib Figure.
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    text = _TEXT["en" if lang == "en" else "id"]
    data = table[(table["period"].astype("str") == period) & table["ikm"].notna()]
    data = data.sort_values("ikm", ascending=False).astype({"unit": "str", "mutu": "str"})
    fig, ax = plt.subplots(figsize=(8, 0.28 * len(data) + 1.5))
    sns.barplot(data=data, x="ikm", y="unit", hue="mutu", dodge=False, ax=ax,
                palette=GRADE_COLORS, hue_order=[g for g in "ABCD" if g in set(data["mutu"])])
    ax.errorbar(data["ikm"], np.arange(len(data)),
                xerr=[data["ikm"] - data["ikm_ci_low"], data["ikm_ci_high"] - data["ikm"]],
                fmt="none", ecolor="black", elinewidth=0.8, capsize=2)
    _grade_lines(ax, "v")
    low = max(25.0, float(np.floor(data["ikm_ci_low"].min() / 5) * 5) - 5) if len(data) else 25
    ax.set_xlim(low, 100)
    ax.set(xlabel=text["ikm"], ylabel="", title=text["by_unit"].format(period=period))
    ax.legend(title=text["grade"], loc="lower right")
    return fig


def plot_element_heatmap(elements: pd.DataFrame, period: str, lang: Lang = "id"):
    """Heatmap of NRR (1–4) per unit × element for one period (``ikm_elements`` table)."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    text = _TEXT["en" if lang == "en" else "id"]
    data = elements[elements["period"].astype("str") == period]
    grid = data.pivot(index="unit", columns="unsur", values="nrr").astype("float64")
    grid = grid.reindex(columns=[e for e in ELEMENTS if e in grid.columns])
    grid = grid.loc[grid.mean(axis=1).sort_values().index]
    fig, ax = plt.subplots(figsize=(9, 0.28 * len(grid) + 1.8))
    sns.heatmap(grid, annot=True, fmt=".2f", cmap="RdYlGn", vmin=2.5, vmax=4.0,
                annot_kws={"size": 7}, cbar_kws={"label": "NRR"}, ax=ax)
    ax.set(xlabel=text["element"], ylabel="", title=text["heatmap"].format(period=period))
    return fig


def plot_ikm_trend(table: pd.DataFrame, lang: Lang = "id", col_wrap: int = 5):
    """Small multiples: each unit's IKM over the periods with its 95% CI band.

    The periods are quarters, semesters or years (the title names them).
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    text = _TEXT["en" if lang == "en" else "id"]
    data = table.astype({"unit": "str", "period": "str"}).sort_values(["unit", "period"])
    periods = sorted(data["period"].unique())
    data = data.assign(q=data["period"].map({p: i for i, p in enumerate(periods)}),
                       panel=data["unit"].map(lambda u: textwrap.fill(u, 32)))
    grid = sns.FacetGrid(data, col="panel", col_wrap=col_wrap, height=2.0, aspect=1.5,
                         sharey=True)

    def band(data, **kwargs):
        ax = plt.gca()
        ax.fill_between(data["q"], data["ikm_ci_low"], data["ikm_ci_high"], alpha=0.25,
                        color="C0", lw=0)
        ax.plot(data["q"], data["ikm"], marker="o", ms=2.5, color="C0", lw=1)
        _grade_lines(ax, "h")

    grid.map_dataframe(band)
    ticks = list(range(0, len(periods), max(1, len(periods) // 3)))
    grid.set(xticks=ticks, xticklabels=[periods[i] for i in ticks])
    grid.set_titles("{col_name}", size=7)
    grid.figure.subplots_adjust(hspace=0.55)
    grid.set_axis_labels("", text["ikm"])
    for ax in grid.axes.flat:
        ax.tick_params(labelsize=6)
    period_name = PERIOD_NAME["en" if lang == "en" else "id"][granularity_of(periods)]
    grid.figure.suptitle(text["trend"].format(period=period_name), y=1.01)
    return grid.figure


__all__ = ["plot_element_heatmap", "plot_ikm_by_unit", "plot_ikm_trend"]
