"""Figures of estimates.

Coefficient plots with CIs, event-time paths, subgroup effects, estimates against a
benchmark, covariate balance and propensity overlap.

Each function draws on a new figure and returns it; saving is left to
:func:`evalkit.outputs.save_figure`. Text on the figures (tick labels, legends) is passed
in, so a study can label them in its report language.

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

#: Conventional mark of a balanced covariate: |standardised mean difference| below it.
SMD_BALANCED = 0.1


def _ci_errors(part: pd.DataFrame) -> list[np.ndarray]:
    est = part["estimate"].to_numpy(dtype=float)
    return [est - part["ci_low"].to_numpy(dtype=float),
            part["ci_high"].to_numpy(dtype=float) - est]


def coefficient_plot(table: pd.DataFrame, outcomes: Sequence[str], methods: Sequence[str],
                     labels: Mapping[str, str] | None = None, title: str = "",
                     truth_col: str = "truth", figsize: tuple[float, float] | None = None,
                     method_labels: Mapping[str, str] | None = None):
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
    truth_col : str
        Column of the truth (one value per outcome).
    figsize : (float, float), optional
        Figure size (default: 3.2 inches per outcome by 3.6).
    method_labels : mapping, optional
        Tick labels by method (default: the method name).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> t = pd.DataFrame({"outcome": ["y", "y"], "method": ["a", "b"],
    ...                   "estimate": [1.0, 2.0], "ci_low": [0.5, 1.0],
    ...                   "ci_high": [1.5, 3.0]})
    >>> fig = coefficient_plot(t, ["y"], ["a", "b"], method_labels={"a": "method A"})
    >>> [tick.get_text() for tick in fig.axes[0].get_yticklabels()]
    ['method A', 'b']

    """
    labels = labels or {}
    method_labels = method_labels or {}
    figsize = figsize or (3.2 * len(outcomes), 3.6)
    fig, axes = plt.subplots(1, len(outcomes), figsize=figsize, sharey=True, squeeze=False)
    for ax, outcome in zip(axes[0], outcomes, strict=True):
        part = table[table["outcome"] == outcome].set_index("method").loc[list(methods)]
        part = part.reset_index()
        ys = np.arange(len(part))
        ax.errorbar(part["estimate"], ys, xerr=_ci_errors(part), fmt="o", capsize=3)
        if truth_col in part and part[truth_col].notna().any():
            ax.axvline(part[truth_col].dropna().iloc[0], color="k", linestyle="--",
                       linewidth=1)
        ax.axvline(0, color="grey", linewidth=0.8)
        ax.set_title(labels.get(outcome, outcome), fontsize=9)
        ax.set_yticks(ys, [method_labels.get(m, m) for m in part["method"]])
    axes[0, 0].invert_yaxis()
    if title:
        fig.suptitle(title)
    return fig


def plot_event_comparison(table: pd.DataFrame, dynamic: pd.DataFrame,
                          event_study: pd.DataFrame, ylabel: str = "effect (95% CI)",
                          title: str = "",
                          labels: tuple[str, str] = ("Callaway-Sant'Anna", "TWFE event study"),
                          truth_label: str = "truth (simulated)",
                          band_label: str = "simultaneous 95% band"):
    """Callaway–Sant'Anna and TWFE event-study paths with CIs, the truth dashed if known.

    The Callaway–Sant'Anna path also shows its simultaneous band when ``dynamic`` has one
    (``cband_low``, ``cband_high``), as a pale bar behind the pointwise interval.

    Parameters
    ----------
    table : pandas.DataFrame
        ``event_time`` (the event times shown) and optionally ``truth`` (drawn dashed), e.g.
        :func:`evalkit.effects.event_time_table`.
    dynamic, event_study : pandas.DataFrame
        The two estimators' tables (``event_time``, ``estimate``, ``ci_low``, ``ci_high``).
    ylabel, title : str
        Axis label and title.
    labels : (str, str)
        Legend entries of ``dynamic`` and ``event_study``.
    truth_label, band_label : str
        Legend entries of the truth and of the simultaneous band.

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
    plot_event_time(shown, ax=ax, label=labels[0], offset=-0.1, band_label=band_label)
    plot_event_time(event_study, ax=ax, label=labels[1], offset=0.1)
    if "truth" in table:
        ax.plot(table["event_time"], table["truth"], "k--", label=truth_label)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend()
    return fig


def plot_subgroup_effects(table: pd.DataFrame, estimands: Sequence[str], outcome: str = "ikm",
                          xlabel: str = "effect", title: str = "",
                          separator_after: int | None = 1,
                          labels: Mapping[str, str] | None = None,
                          estimate_label: str = "estimate (95% CI)",
                          truth_label: str = "truth (simulated)"):
    """Subgroup estimates of one outcome with 95% CIs, the truth as crosses if known.

    Parameters
    ----------
    table : pandas.DataFrame
        ``outcome``, ``estimand``, ``estimate``, ``ci_low``, ``ci_high`` and optionally
        ``truth``, e.g. :func:`evalkit.effects.heterogeneity_table`.
    estimands : sequence of str
        The subgroups' estimands, from top to bottom.
    outcome : str
        The outcome shown.
    xlabel, title : str
        Axis label and title.
    separator_after : int, optional
        Draw a thin line below this row (0-based), to separate two splits.
    labels : mapping, optional
        Tick labels by estimand (default: the estimand).
    estimate_label, truth_label : str
        Legend entries.

    Examples
    --------
    >>> t = pd.DataFrame({"outcome": "ikm", "estimand": ["att_a", "att_b"],
    ...                   "estimate": [1.0, 2.0], "ci_low": [0.0, 1.0], "ci_high": [2.0, 3.0]})
    >>> fig = plot_subgroup_effects(t, ["att_b", "att_a"], separator_after=None,
    ...                             labels={"att_b": "group b"})
    >>> [tick.get_text() for tick in fig.axes[0].get_yticklabels()]
    ['group b', 'att_a']

    """
    labels = labels or {}
    part = table[table["outcome"] == outcome].set_index("estimand").loc[list(estimands)]
    ys = np.arange(len(part))
    fig, ax = plt.subplots(figsize=(8, 3.6))
    ax.errorbar(part["estimate"], ys, xerr=_ci_errors(part), fmt="o", capsize=3,
                label=estimate_label)
    if "truth" in part and part["truth"].notna().any():
        ax.scatter(part["truth"], ys, marker="x", color="k", zorder=3, label=truth_label)
    if separator_after is not None:
        ax.axhline(separator_after + 0.5, color="grey", linewidth=0.6)
    ax.axvline(0, color="grey", linewidth=0.8)
    ax.set_yticks(ys, [labels.get(e, e) for e in estimands])
    ax.set_ylim(len(part) - 0.5, -0.5)
    ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    ax.legend(loc="lower right", fontsize=8)
    return fig


def plot_estimates_with_benchmark(table: pd.DataFrame, benchmark: float | None = None,
                                  benchmark_label: str = "benchmark",
                                  xlabel: str = "effect (95% CI)", title: str = "",
                                  figsize: tuple[float, float] = (7, 3)):
    """Several estimates of one effect with their 95% CIs, beside a benchmark value.

    The benchmark is a number the estimates should recover, e.g. the result of a randomised
    experiment, drawn as a dashed vertical line.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per estimate, top to bottom: ``method`` (tick label), ``estimate``,
        ``ci_low``, ``ci_high``.
    benchmark : float, optional
        The value to compare with; no line when None.
    benchmark_label, xlabel, title : str
        Legend entry of the benchmark, axis label, title.
    figsize : (float, float)
        Figure size in inches.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> t = pd.DataFrame({"method": ["experiment", "naive"], "estimate": [1.8, -8.5],
    ...                   "ci_low": [0.6, -9.6], "ci_high": [3.0, -7.4]})
    >>> ax = plot_estimates_with_benchmark(t, 1.8, "experiment 1.8").axes[0]
    >>> [tick.get_text() for tick in ax.get_yticklabels()]
    ['experiment', 'naive']

    """
    fig, ax = plt.subplots(figsize=figsize)
    ys = np.arange(len(table))
    ax.errorbar(table["estimate"], ys, xerr=_ci_errors(table), fmt="o", capsize=3)
    if benchmark is not None:
        ax.axvline(benchmark, color="tab:green", linestyle="--", label=benchmark_label)
    ax.axvline(0, color="grey", linewidth=0.8)
    ax.set_yticks(ys, table["method"].tolist())
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    if benchmark is not None:
        ax.legend(loc="lower right")
    return fig


def plot_balance_overlap(balance: pd.DataFrame, pscore: pd.Series, treated: pd.Series,
                         group_labels: tuple[str, str] = ("treated", "controls"),
                         title: str = "", bins: int = 25,
                         weighting_label: str = "after weighting"):
    """Covariate balance before and after weighting, and the overlap of propensity scores.

    Left: |standardised mean difference| of each covariate before and after weighting
    (largest imbalance at the top), with the conventional mark of balance at
    :data:`SMD_BALANCED`. Right: histograms (densities, log scale) of the propensity score
    of treated and controls; controls with scores near zero carry almost no weight.

    Parameters
    ----------
    balance : pandas.DataFrame
        ``covariate``, ``smd_before``, ``smd_after`` (e.g. ``att_ipw(...).balance``).
    pscore : pandas.Series
        Propensity scores of the rows used (e.g. ``att_ipw(...).pscore``).
    treated : pandas.Series
        The 0/1 treatment, indexed like (or a superset of) ``pscore``.
    group_labels : (str, str)
        Legend entries of the treated and the controls.
    title : str
        Figure title.
    bins : int
        Number of histogram bins on [0, 1].
    weighting_label : str
        Legend entry of the weighted SMDs.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> b = pd.DataFrame({"covariate": ["age", "educ"], "smd_before": [-0.8, 0.2],
    ...                   "smd_after": [0.05, -0.01]})
    >>> ps = pd.Series([0.9, 0.6, 0.1, 0.05])
    >>> fig = plot_balance_overlap(b, ps, pd.Series([1, 1, 0, 0]))
    >>> [tick.get_text() for tick in fig.axes[0].get_yticklabels()]
    ['educ', 'age']

    """
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    order = balance.sort_values("smd_before", key=abs)
    axes[0].scatter(order["smd_before"].abs(), order["covariate"], label="before weighting")
    axes[0].scatter(order["smd_after"].abs(), order["covariate"], label=weighting_label)
    axes[0].axvline(SMD_BALANCED, color="grey", linestyle=":")
    axes[0].set_xlabel("|standardised mean difference|")
    axes[0].legend(loc="lower right")
    edges = np.linspace(0, 1, bins + 1)
    group = treated.loc[pscore.index]
    for value, name in zip((1, 0), group_labels, strict=True):  # two histograms
        axes[1].hist(pscore[group == value], bins=edges, alpha=0.6, density=True, label=name)
    axes[1].set_yscale("log")
    axes[1].set_xlabel("propensity score")
    axes[1].set_ylabel("density (log scale)")
    axes[1].legend()
    if title:
        fig.suptitle(title)
    return fig


__all__ = ["SMD_BALANCED", "coefficient_plot", "plot_balance_overlap",
           "plot_estimates_with_benchmark", "plot_event_comparison",
           "plot_subgroup_effects"]
