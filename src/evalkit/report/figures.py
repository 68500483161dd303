"""The figures of the decision makers' report.

Each takes a published (already suppressed) table and the report language, and returns a
matplotlib figure; every text on it comes from the label dictionary, grade colours and
floors from :mod:`evalkit.ikm`. The house style is :func:`evalkit.plots.set_style`; figures
are saved with :func:`evalkit.outputs.save_figure`.

Examples
--------
>>> import pandas as pd
>>> p = pd.DataFrame({"unit": ["A"], "perkiraan_kenaikan": [1.0], "ci_low": [0.5],
...                   "ci_high": [1.5]})
>>> plot_priorities(p, "en").axes[0].get_xlabel()
'Expected IKM gain (points)'

"""

from __future__ import annotations

import warnings

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from evalkit.effects import ATT
from evalkit.ikm import GRADE_COLORS, GRADE_FLOORS
from evalkit.labels import Lang, code_label, label


def _height(n_rows: int) -> float:
    return max(2.5, 0.28 * n_rows + 1.2)


def plot_ikm_units(ikm_units: pd.DataFrame, lang: Lang = "id") -> matplotlib.figure.Figure:
    """Horizontal bars of each unit's IKM with its 95% CI, coloured by grade.

    Parameters
    ----------
    ikm_units : DataFrame
        ``unit``, ``period``, ``ikm``, ``ikm_ci_low``, ``ikm_ci_high``, ``mutu`` (one period).
    lang : {"id", "en"}
        Language of the labels.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"unit": ["A"], "period": ["2024Q4"], "ikm": [80.0],
    ...                   "ikm_ci_low": [78.0], "ikm_ci_high": [82.0], "mutu": ["B"]})
    >>> plot_ikm_units(t).axes[0].get_xlabel()
    'IKM (25–100)'

    """
    data = ikm_units.dropna(subset=["ikm"]).sort_values(["ikm", "unit"], ascending=[True, True])
    fig, ax = plt.subplots(figsize=(8, _height(len(data))))
    y = np.arange(len(data))
    colours = data["mutu"].map(GRADE_COLORS).fillna("#999999").tolist()
    ax.barh(y, data["ikm"], color=colours)
    if {"ikm_ci_low", "ikm_ci_high"} <= set(data.columns):
        err = np.vstack([data["ikm"] - data["ikm_ci_low"], data["ikm_ci_high"] - data["ikm"]])
        ax.errorbar(data["ikm"], y, xerr=np.nan_to_num(err.astype(float)), fmt="none",
                    ecolor="#333333", capsize=2, lw=0.8)
    for grade_letter in "CBA":
        bound = GRADE_FLOORS[grade_letter]
        ax.axvline(bound, color="#555555", ls=":", lw=0.8)
        # letters just above the plot area, in axes coordinates so they never hit a bar
        ax.text(bound + 0.3, 1.005, grade_letter, ha="left", va="bottom", fontsize=8,
                transform=ax.get_xaxis_transform())
    ax.set_yticks(y, data["unit"].tolist(), fontsize=8)
    low = float(np.nanmin(data["ikm_ci_low"])) if "ikm_ci_low" in data and len(data) else 60.0
    ax.set_xlim(max(25.0, min(60.0, low - 2)), 100)
    ax.set_xlabel(label("axis_ikm", lang))
    period = data["period"].iloc[0] if len(data) else ""
    ax.set_title(label("fig_ikm_units", lang, period=period), fontsize=10, pad=14)
    return fig


def plot_effects(effects: pd.DataFrame, lang: Lang = "id",
                 show_truth: bool = False) -> matplotlib.figure.Figure:
    """Forest plot of effect estimates with 95% CIs (and the true value of a simulation).

    Parameters
    ----------
    effects : DataFrame
        ``outcome``, ``method``, ``estimand``, ``estimate``, ``ci_low``, ``ci_high`` and,
        for simulated data, ``truth``.
    lang : {"id", "en"}
        Language of the labels.
    show_truth : bool, default False
        Mark the true values (simulated data only).

    Examples
    --------
    >>> import pandas as pd
    >>> e = pd.DataFrame({"outcome": ["ikm"], "method": ["twfe"], "estimand": ["att"],
    ...                   "estimate": [1.0], "ci_low": [0.2], "ci_high": [1.8]})
    >>> len(plot_effects(e).axes)
    1

    """
    data = effects.reset_index(drop=True)
    names = (data["outcome"].map(lambda c: code_label("outcome", c, lang)) + " · "
             + data["method"].map(lambda c: code_label("method", c, lang)))
    if "estimand" in data.columns:
        names = names + data["estimand"].map(
            lambda c: "" if pd.isna(c) or c == ATT
            else " · " + code_label("estimand", c, lang))
    fig, ax = plt.subplots(figsize=(8, _height(len(data))))
    y = np.arange(len(data))[::-1]
    err = np.vstack([data["estimate"] - data["ci_low"], data["ci_high"] - data["estimate"]])
    ax.errorbar(data["estimate"], y, xerr=np.nan_to_num(err.astype(float)), fmt="o",
                color="#1f4e79", capsize=3, label=label("legend_estimate", lang))
    if show_truth and "truth" in data and data["truth"].notna().any():
        ax.scatter(data["truth"], y, marker="x", color="#d73027", zorder=3,
                   label=label("legend_truth", lang))
    ax.axvline(0, color="#555555", lw=0.8)
    ax.set_yticks(y, names.tolist(), fontsize=8)
    ax.set_xlabel(label("axis_effect", lang))
    ax.set_title(label("fig_effects", lang), fontsize=10)
    ax.legend(fontsize=8, loc="best")
    return fig


def plot_transfer(transfer: pd.DataFrame, lang: Lang = "id") -> matplotlib.figure.Figure:
    """Share of alumni with difficulty applying training per unit, Wilson CI, city line.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"unit": ["A", "B"], "share_kesulitan": [0.2, 0.5],
    ...     "ci_low": [0.1, 0.3], "ci_high": [0.35, 0.7], "share_kesulitan_kota": 0.3,
    ...     "transfer_lemah": [False, True]})
    >>> float(plot_transfer(t).axes[0].get_xlim()[1])
    1.0

    """
    data = transfer.dropna(subset=["share_kesulitan"]).sort_values(
        ["share_kesulitan", "unit"])
    fig, ax = plt.subplots(figsize=(8, _height(len(data))))
    y = np.arange(len(data))
    colours = np.where(data["transfer_lemah"].astype(bool), "#d73027", "#4575b4")
    err = np.vstack([data["share_kesulitan"] - data["ci_low"],
                     data["ci_high"] - data["share_kesulitan"]])
    ax.barh(y, data["share_kesulitan"], color=colours)
    ax.errorbar(data["share_kesulitan"], y, xerr=np.nan_to_num(err.astype(float)), fmt="none",
                ecolor="#333333", capsize=2, lw=0.8)
    if len(data):
        ax.axvline(float(data["share_kesulitan_kota"].iloc[0]), color="#555555", ls="--",
                   lw=1, label=label("legend_city", lang))
        ax.legend(fontsize=8, loc="lower right")
    ax.set_yticks(y, data["unit"].tolist(), fontsize=8)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel(label("axis_share_difficulty", lang))
    ax.set_title(label("fig_transfer", lang), fontsize=10)
    return fig


def plot_priorities(priorities: pd.DataFrame, lang: Lang = "id",
                    top: int = 15) -> matplotlib.figure.Figure:
    """Plot the expected IKM gain per unit with its interval, the ``top`` units.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"unit": ["A"], "perkiraan_kenaikan": [1.0], "ci_low": [0.5],
    ...                   "ci_high": [1.5]})
    >>> len(plot_priorities(p).axes)
    1

    """
    order = ["peringkat"] if "peringkat" in priorities else ["perkiraan_kenaikan", "unit"]
    data = (priorities.dropna(subset=["perkiraan_kenaikan"])
            .sort_values(order, ascending=[order[0] == "peringkat", True][:len(order)])
            .head(top).iloc[::-1])  # the ranking's order, first at the top
    fig, ax = plt.subplots(figsize=(8, _height(len(data))))
    y = np.arange(len(data))
    err = np.vstack([data["perkiraan_kenaikan"] - data["ci_low"],
                     data["ci_high"] - data["perkiraan_kenaikan"]])
    ax.errorbar(data["perkiraan_kenaikan"], y, xerr=np.nan_to_num(err.astype(float)), fmt="o",
                color="#1f4e79", capsize=3)
    ax.axvline(0, color="#555555", lw=0.8)
    ax.set_yticks(y, data["unit"].tolist(), fontsize=8)
    ax.set_xlabel(label("axis_expected_gain", lang))
    ax.set_title(label("fig_priorities", lang), fontsize=10)
    return fig


def plot_element_gaps(gaps: pd.DataFrame, lang: Lang = "id") -> matplotlib.figure.Figure:
    """Heat map unit × element of the NRR difference to the city, clear gaps only.

    Cells whose interval includes zero are left blank, so the eye goes to real gaps.

    Examples
    --------
    >>> import pandas as pd
    >>> g = pd.DataFrame({"unit": ["A", "A"], "unsur": ["u1", "u2"], "selisih": [-0.3, 0.1],
    ...                   "di_bawah_kota": [True, False], "ci_low": [-0.4, 0.05],
    ...                   "ci_high": [-0.2, 0.15]})
    >>> len(plot_element_gaps(g).axes) >= 1
    True

    """
    clear = gaps["ci_high"].lt(0) | gaps["ci_low"].gt(0)
    grid = (gaps.assign(value=gaps["selisih"].where(clear))
            .pivot(index="unit", columns="unsur", values="value").sort_index())
    grid.columns = [code_label("unsur", c, lang).split(" ")[0] for c in grid.columns]
    fig, ax = plt.subplots(figsize=(8, _height(len(grid))))
    limit = float(np.nanmax(np.abs(grid.to_numpy(dtype=float)))) if grid.notna().any().any() else 1
    with warnings.catch_warnings():
        # seaborn 0.13 calls Colormap.set_bad, which matplotlib 3.11 announces as deprecated
        warnings.filterwarnings("ignore", "The set_bad function", PendingDeprecationWarning)
        sns.heatmap(grid.astype(float), ax=ax, cmap="RdBu", center=0, vmin=-limit, vmax=limit,
                    linewidths=0.3, linecolor="#eeeeee", cbar_kws={"shrink": 0.6})
    ax.grid(False)
    ax.set_xlabel(label("axis_element", lang))
    ax.set_ylabel("")
    ax.tick_params(axis="y", labelsize=8)
    ax.set_title(label("fig_element_gaps", lang), fontsize=10)
    return fig


__all__ = ["plot_effects", "plot_element_gaps", "plot_ikm_units", "plot_priorities",
           "plot_transfer"]
