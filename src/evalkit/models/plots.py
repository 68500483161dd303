"""Figures of notebook 04: the roll-out, estimates with their CIs, the simulated truth.

Each function draws on a new figure (or given Axes) and returns it; saving is left to
:func:`evalkit.outputs.save_figure`.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"outcome": "y", "method": ["a", "b"], "estimate": [1.0, 2.0],
...                   "ci_low": [0.5, 1.0], "ci_high": [1.5, 3.0], "truth": 1.5})
>>> fig = coefficient_plot(t, ["y"], ["a", "b"], title="demo")
>>> len(fig.axes)
1
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from evalkit.models.panel import plot_event_time


def _ci_errors(part: pd.DataFrame) -> list[np.ndarray]:
    est = part["estimate"].to_numpy(dtype=float)
    return [est - part["ci_low"].to_numpy(dtype=float),
            part["ci_high"].to_numpy(dtype=float) - est]


def coefficient_plot(table: pd.DataFrame, outcomes: Sequence[str], methods: Sequence[str],
                     labels: Mapping[str, str] | None = None, title: str = "",
                     truth_col: str = "truth", figsize: tuple[float, float] | None = None):
    """One panel per outcome: each method's estimate with its 95% CI, the truth dashed.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per outcome × method: ``outcome``, ``method``, ``estimate``, ``ci_low``,
        ``ci_high`` and optionally ``truth_col`` (one value per outcome; drawn as a dashed
        vertical line when present).
    outcomes, methods : sequence of str
        Panels from left to right; methods from top to bottom.
    labels : mapping, optional
        Panel titles by outcome (default: the outcome name).
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> t = pd.DataFrame({"outcome": ["y", "y"], "method": ["a", "b"],
    ...                   "estimate": [1.0, 2.0], "ci_low": [0.5, 1.0],
    ...                   "ci_high": [1.5, 3.0]})
    >>> fig = coefficient_plot(t, ["y"], ["a", "b"])
    >>> [tick.get_text() for tick in fig.axes[0].get_yticklabels()]
    ['a', 'b']
    """
    labels = labels or {}
    figsize = figsize or (3.2 * len(outcomes), 3.6)
    fig, axes = plt.subplots(1, len(outcomes), figsize=figsize, sharey=True, squeeze=False)
    for ax, outcome in zip(axes[0], outcomes):
        part = table[table["outcome"] == outcome].set_index("method").loc[list(methods)]
        part = part.reset_index()
        ys = np.arange(len(part))
        ax.errorbar(part["estimate"], ys, xerr=_ci_errors(part), fmt="o", capsize=3)
        if truth_col in part and part[truth_col].notna().any():
            ax.axvline(part[truth_col].dropna().iloc[0], color="k", linestyle="--",
                       linewidth=1)
        ax.axvline(0, color="grey", linewidth=0.8)
        ax.set_title(labels.get(outcome, outcome), fontsize=9)
        ax.set_yticks(ys, part["method"])
    axes[0, 0].invert_yaxis()
    if title:
        fig.suptitle(title)
    return fig


def plot_rollout(panel: pd.DataFrame, share: str = "share_trained", threshold: float = 0.25,
                 time: str = "t", cohort: str = "cohort"):
    """Mean ``share`` of staff trained by quarter, one line per roll-out cohort.

    The dotted line is the ``threshold`` at which a unit counts as reached.

    Examples
    --------
    >>> p = pd.DataFrame({"t": [1, 2, 1, 2], "cohort": [0, 0, 2, 2],
    ...                   "share_trained": [0.0, 0.1, 0.1, 0.4]})
    >>> [line.get_label() for line in plot_rollout(p).axes[0].get_lines()[:2]]
    ['never reached', 'cohort t=2']
    """
    means = panel.groupby([cohort, time])[share].mean().unstack(cohort)
    fig, ax = plt.subplots(figsize=(8, 4))
    for value in means.columns:  # one line per cohort (a handful)
        line = means[value].dropna()
        ax.plot(line.index, line.to_numpy(), marker="o", markersize=3,
                label="never reached" if value == 0 else f"cohort t={value}")
    ax.axhline(threshold, color="grey", linestyle=":", linewidth=0.8)
    ax.set_xlabel("quarter (t)")
    ax.set_ylabel("share of staff trained")
    ax.set_title("Staggered roll-out of Pelatihan Pelayanan Prima")
    ax.legend(ncol=2, fontsize=8)
    return fig


def plot_event_comparison(table: pd.DataFrame, dynamic: pd.DataFrame,
                          event_study: pd.DataFrame, ylabel: str = "effect (95% CI)",
                          title: str = ""):
    """Callaway–Sant'Anna and TWFE event-study paths with CIs, the truth dashed if known.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~evalkit.models.effects.event_time_table` (its ``truth`` column, if any, is
        drawn).
    dynamic, event_study : pandas.DataFrame
        The two estimators' tables (``event_time``, ``estimate``, ``ci_low``, ``ci_high``).

    Examples
    --------
    >>> d = pd.DataFrame({"event_time": [-1, 0], "estimate": [0.0, 1.0], "ci_low": [-1, 0],
    ...                   "ci_high": [1, 2]})
    >>> tab = pd.DataFrame({"event_time": [-1, 0], "truth": [0.0, 1.0]})
    >>> fig = plot_event_comparison(tab, d, d)
    >>> fig.axes[0].get_legend_handles_labels()[1]
    ['truth (simulated)', "Callaway-Sant'Anna", 'TWFE event study']
    """
    fig, ax = plt.subplots(figsize=(8, 4.5))
    window = table["event_time"].min(), table["event_time"].max()
    shown = dynamic[dynamic["event_time"].between(*window)]
    plot_event_time(shown, ax=ax, label="Callaway-Sant'Anna", offset=-0.1)
    plot_event_time(event_study, ax=ax, label="TWFE event study", offset=0.1)
    if "truth" in table:
        ax.plot(table["event_time"], table["truth"], "k--", label="truth (simulated)")
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend()
    return fig


def plot_subgroup_effects(table: pd.DataFrame, labels: Sequence[str], outcome: str = "ikm",
                          xlabel: str = "effect", title: str = "",
                          separator_after: int | None = 1):
    """Subgroup estimates of one outcome with 95% CIs, the truth as crosses if known.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~evalkit.models.effects.heterogeneity_table` (``estimand`` ``"ATT <label>"``).
    labels : sequence of str
        Subgroups from top to bottom.
    separator_after : int, optional
        Draw a thin line below this row (0-based), to separate two splits.

    Examples
    --------
    >>> t = pd.DataFrame({"outcome": "ikm", "estimand": ["ATT a", "ATT b"],
    ...                   "estimate": [1.0, 2.0], "ci_low": [0.0, 1.0], "ci_high": [2.0, 3.0]})
    >>> fig = plot_subgroup_effects(t, ["b", "a"], separator_after=None)
    >>> [tick.get_text() for tick in fig.axes[0].get_yticklabels()]
    ['b', 'a']
    """
    part = (table[table["outcome"] == outcome].set_index("estimand")
            .loc[[f"ATT {label}" for label in labels]])
    ys = np.arange(len(part))
    fig, ax = plt.subplots(figsize=(8, 3.6))
    ax.errorbar(part["estimate"], ys, xerr=_ci_errors(part), fmt="o", capsize=3,
                label="estimate (95% CI)")
    if "truth" in part and part["truth"].notna().any():
        ax.scatter(part["truth"], ys, marker="x", color="k", zorder=3,
                   label="truth (simulated)")
    if separator_after is not None:
        ax.axhline(separator_after + 0.5, color="grey", linewidth=0.6)
    ax.axvline(0, color="grey", linewidth=0.8)
    ax.set_yticks(ys, [label.replace("_", ": ") for label in labels])
    ax.set_ylim(len(part) - 0.5, -0.5)
    ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    ax.legend(loc="lower right", fontsize=8)
    return fig


__all__ = ["coefficient_plot", "plot_event_comparison", "plot_rollout",
           "plot_subgroup_effects"]
