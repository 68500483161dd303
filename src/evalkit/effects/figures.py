"""Figures of notebook 04, labelled in the report language.

The estimators' generic plots (:mod:`evalkit.models.plots`) with the labels of
``config/labels.yaml``.

Examples
--------
>>> import pandas as pd
>>> e = pd.DataFrame({"outcome": "ikm", "method": ["twfe", "cs_did"], "estimand": "att",
...                   "estimate": [1.0, 2.0], "ci_low": [0.5, 1.0], "ci_high": [1.5, 3.0],
...                   "truth": 2.2})
>>> fig = effects_by_method_figure(e, ["ikm"], ["twfe", "cs_did"], "en")
>>> [tick.get_text() for tick in fig.axes[0].get_yticklabels()][0]
'Two-way fixed effects (TWFE)'

"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from evalkit.effects.codes import ATT, METHODS, subgroup_estimand
from evalkit.labels import Lang, code_label, label
from evalkit.models.plots import coefficient_plot, plot_event_comparison, plot_subgroup_effects

#: Subgroups from top to bottom in the subgroup figure: the weaker and stronger difficulty,
#: then mentoring with and without.
SUBGROUP_FIGURE_ORDER: tuple[str, ...] = ("difficulty_low", "difficulty_high",
                                          "mentoring_with", "mentoring_without")


def _labels(prefix: str, codes: Sequence[str], lang: Lang) -> dict[str, str]:
    return {c: code_label(prefix, c, lang) for c in codes}


def effects_by_method_figure(effects: pd.DataFrame, outcomes: Sequence[str],
                             methods: Sequence[str] = METHODS, lang: Lang = "id",
                             title: str = ""):
    """Overall effect (``att``) of each outcome by method, the simulated truth dashed if known.

    Panels are titled by the outcome labels and methods labelled in ``lang``; when the
    table carries a truth, the title says what the dashed line is.

    Parameters
    ----------
    effects : pandas.DataFrame
        ``effects`` rows (the ``att`` rows are drawn), with ``truth`` where known.
    outcomes, methods : sequence of str
        Codes, panels left to right and methods top to bottom.
    lang : {"id", "en"}
        Language of the labels.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    See the module docstring.

    """
    overall = effects[effects["estimand"] == ATT]
    if "truth" in overall and overall["truth"].notna().any():
        title = f"{title} (- - {label('legend_truth', lang)})".strip()
    return coefficient_plot(overall, outcomes, methods, _labels("outcome", outcomes, lang),
                            title=title, method_labels=_labels("method", methods, lang))


def event_comparison_figure(table: pd.DataFrame, dynamic: pd.DataFrame,
                            event_study: pd.DataFrame, lang: Lang = "id",
                            ylabel: str = "effect (95% CI)", title: str = ""):
    """Callaway–Sant'Anna and TWFE event-study paths (:func:`plot_event_comparison`).

    The Callaway–Sant'Anna path carries its simultaneous 95% band when ``dynamic`` has one.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~evalkit.effects.event_time_table` (its ``truth``, if any, is drawn).
    dynamic, event_study : pandas.DataFrame
        The two estimators' event-time tables.
    lang : {"id", "en"}
        Language of the legend.
    ylabel, title : str
        Axis label and title.

    Examples
    --------
    >>> d = pd.DataFrame({"event_time": [-1, 0], "estimate": [0.0, 1.0], "ci_low": [-1, 0],
    ...                   "ci_high": [1, 2]})
    >>> fig = event_comparison_figure(d[["event_time"]], d, d, "en")
    >>> fig.axes[0].get_legend_handles_labels()[1][1]
    'Event study (TWFE)'

    """
    names = _labels("method", ("cs_did", "event_study"), lang)
    return plot_event_comparison(table, dynamic, event_study, ylabel=ylabel, title=title,
                                 labels=(names["cs_did"], names["event_study"]),
                                 truth_label=label("legend_truth", lang),
                                 band_label=label("legend_simultaneous_band", lang))


def subgroup_figure(table: pd.DataFrame, outcome: str = "ikm",
                    subgroups: Sequence[str] = SUBGROUP_FIGURE_ORDER, lang: Lang = "id",
                    xlabel: str = "effect", title: str = ""):
    """Subgroup effects of one outcome (:func:`plot_subgroup_effects`), labelled in ``lang``.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~evalkit.effects.heterogeneity_table` without labels (codes).
    outcome : str
        The outcome shown.
    subgroups : sequence of str
        Subgroups from top to bottom (a line separates the first two from the others).
    lang : {"id", "en"}
        Language of the labels.
    xlabel, title : str
        Axis label and title.

    Examples
    --------
    >>> t = pd.DataFrame({"outcome": "ikm", "estimand": ["att_a", "att_b"],
    ...                   "estimate": [1.0, 2.0], "ci_low": [0.0, 1.0], "ci_high": [2.0, 3.0]})
    >>> fig = subgroup_figure(t, subgroups=["b", "a"], lang="en")
    >>> [tick.get_text() for tick in fig.axes[0].get_yticklabels()]
    ['att_b', 'att_a']

    """
    estimands = [subgroup_estimand(g) for g in subgroups]
    return plot_subgroup_effects(table, estimands, outcome=outcome, xlabel=xlabel, title=title,
                                 labels=_labels("estimand", estimands, lang),
                                 estimate_label=label("legend_estimate", lang),
                                 truth_label=label("legend_truth", lang))


__all__ = ["SUBGROUP_FIGURE_ORDER", "effects_by_method_figure", "event_comparison_figure",
           "subgroup_figure"]
