"""Display tables of notebook 04 and the labels of the ``effects`` codes.

Functions with a ``lang`` parameter return codes when it is None (for further computation
and tests) and the labels of ``config/labels.yaml`` in that language otherwise.

Examples
--------
>>> outcome_labels(["ikm", "nrr_u7"], "en")
['IKM', 'NRR U7 Behaviour']

"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from evalkit.effects.codes import ATT, METHODS, subgroup_estimand
from evalkit.effects.compare import naive_difference
from evalkit.labels import Lang, code_label, label, translate_codes

#: Code columns of effects tables and the label prefix of each.
CODE_COLUMNS: tuple[str, ...] = ("outcome", "method", "estimand")


def outcome_labels(outcomes: Sequence[str], lang: Lang) -> list[str]:
    """Return the label of each outcome code in ``lang`` (unknown codes kept).

    Examples
    --------
    >>> outcome_labels(["rata_rata_hari"], "id")
    ['Rata-rata hari penyelesaian']

    """
    return [code_label("outcome", o, lang) for o in outcomes]


def with_labels(table: pd.DataFrame, lang: Lang | None) -> pd.DataFrame:
    """``table`` with its ``outcome``, ``method`` and ``estimand`` codes replaced by labels.

    With ``lang`` None the table is returned unchanged.

    Examples
    --------
    >>> t = pd.DataFrame({"outcome": ["ikm"], "method": ["cs_did"], "estimate": [2.0]})
    >>> with_labels(t, "en")["method"].tolist()
    ["Staggered difference-in-differences (Callaway–Sant'Anna)"]

    """
    if lang is None:
        return table
    labelled = {c: translate_codes(table[c], c, lang) for c in CODE_COLUMNS if c in table}
    return table.assign(**labelled)


def rollout_table(panel: pd.DataFrame, unit: str = "unit", time: str = "t",
                  cohort: str = "cohort", period: str = "period") -> pd.DataFrame:
    """Count the units per roll-out cohort, with the quarter each cohort was reached in.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``cohort``: ``units`` and ``reached_in`` (the period label of ``t`` =
        cohort, ``"never reached"`` for cohort 0).

    Examples
    --------
    >>> p = pd.DataFrame({"unit": list("AABB"), "t": [1, 2, 1, 2],
    ...                   "period": ["2024Q1", "2024Q2"] * 2, "cohort": [2, 2, 0, 0]})
    >>> rollout_table(p)["reached_in"].tolist()
    ['never reached', '2024Q2']

    """
    units = panel.groupby(unit)[cohort].first()
    table = units.value_counts().sort_index().rename("units").to_frame()
    table.index.name = cohort
    period_of_t = panel.drop_duplicates(time).set_index(time)[period]
    table["reached_in"] = table.index.map(period_of_t).fillna("never reached")
    return table


def estimates_by_method(effects: pd.DataFrame, outcomes: Sequence[str],
                        methods: Sequence[str] = METHODS, with_ci: bool = False,
                        estimand: str = ATT, digits: int = 3,
                        lang: Lang | None = None) -> pd.DataFrame:
    """Outcome × method table of one estimand, rounded; optionally ``"est [low, high]"``.

    Rows follow ``outcomes``, columns ``methods`` (those present); with ``lang`` both are
    labelled.

    Examples
    --------
    >>> e = pd.DataFrame({"outcome": "y", "method": ["a", "b"], "estimand": "att",
    ...                   "estimate": [1.23456, 2.0], "se": 0.1, "ci_low": [1.0, 1.5],
    ...                   "ci_high": [1.5, 2.5], "truth": np.nan})
    >>> estimates_by_method(e, ["y"], ["b", "a"], with_ci=True).loc["y"].tolist()
    ['2.0 [1.5, 2.5]', '1.235 [1.0, 1.5]']

    """
    rows = effects[(effects["estimand"] == estimand) & effects["method"].isin(methods)]
    if with_ci:
        text = {c: rows[c].round(digits).astype(str) for c in ("estimate", "ci_low", "ci_high")}
        rows = rows.assign(value=text["estimate"] + " [" + text["ci_low"] + ", "
                           + text["ci_high"] + "]")
    else:
        rows = rows.assign(value=rows["estimate"].round(digits))
    table = rows.pivot(index="outcome", columns="method", values="value")
    table = table.loc[list(outcomes), [m for m in methods if m in table.columns]]
    if lang is None:
        return table
    table.index = outcome_labels(table.index, lang)
    table.columns = [code_label("method", m, lang) for m in table.columns]
    return table.rename_axis(index=label("col_outcome", lang), columns=label("col_method", lang))


def event_time_table(dynamic: pd.DataFrame, event_study: pd.DataFrame,
                     true_path: Mapping[int, float] | None = None,
                     window: tuple[int, int] | None = (-4, 4)) -> pd.DataFrame:
    """Callaway–Sant'Anna and TWFE event-study estimates side by side, by event time.

    Parameters
    ----------
    dynamic : pandas.DataFrame
        ``staggered_did(...).aggregate("dynamic")`` (``event_time``, ``estimate``, ``se``).
    event_study : pandas.DataFrame
        ``event_study(...).tidy()`` (same columns).
    true_path : mapping of event time → effect, optional
        The simulated truth (:func:`evalkit.truth.true_event_path`); when given and not
        empty, adds ``truth`` (0 before the roll-out: no anticipation).
    window : (int, int) or None
        Event times kept; None keeps every event time ``dynamic`` has.

    Returns
    -------
    pandas.DataFrame
        ``event_time``, ``estimate_cs``, ``se_cs``, (``cband_low_cs``, ``cband_high_cs``:
        the simultaneous band, when ``dynamic`` has one), ``estimate_twfe``, ``se_twfe``
        (+ ``truth``), event times present in both.

    Examples
    --------
    >>> cs = pd.DataFrame({"event_time": [-1, 0, 5], "estimate": [0.1, 1.0, 3.0],
    ...                    "se": 0.2})
    >>> es = pd.DataFrame({"event_time": [-1, 0], "estimate": [0.0, 0.8], "se": [0.0, 0.3]})
    >>> event_time_table(cs, es, {0: 1.1})["truth"].tolist()
    [0.0, 1.1]

    """
    cs = dynamic if window is None else dynamic[dynamic["event_time"].between(*window)]
    band = ["cband_low", "cband_high"] if {"cband_low", "cband_high"} <= set(cs) else []
    cs = cs[["event_time", "estimate", "se", *band]].rename(
        columns={c: f"{c}_cs" for c in band})
    table = cs.merge(event_study[["event_time", "estimate", "se"]], on="event_time",
                     suffixes=("_cs", "_twfe"))
    columns = ["event_time", "estimate_cs", "se_cs", *(f"{c}_cs" for c in band),
               "estimate_twfe", "se_twfe"]
    if true_path:
        table["truth"] = table["event_time"].map(dict(true_path)).fillna(0.0).astype(float)
        columns.append("truth")
    return table[columns].sort_values("event_time").reset_index(drop=True)


def heterogeneity_table(effects: pd.DataFrame, groups: Mapping[str, Sequence[str]],
                        lang: Lang | None = None) -> pd.DataFrame:
    """Show subgroup effects with each subgroup's number of units.

    The effects are those of :func:`~evalkit.effects.unit_subgroup_effects`.

    Parameters
    ----------
    effects : pandas.DataFrame
        Rows with estimands ``att_<subgroup>`` (with the simulated truth attached, if any:
        :func:`evalkit.truth.with_truth`).
    groups : mapping of subgroup → unit names
        The subgroups the effects were estimated on.
    lang : {"id", "en"}, optional
        Label the outcome and estimand codes.

    Returns
    -------
    pandas.DataFrame
        ``outcome``, ``estimand``, ``units``, ``estimate``, ``se``, ``ci_low``, ``ci_high``
        (+ ``truth`` when any truth is known).

    Examples
    --------
    >>> e = pd.DataFrame({"outcome": "ikm", "method": "cs_did", "estimand": ["att_a", "att_b"],
    ...                   "estimate": [1.0, 2.0], "se": 0.5, "ci_low": 0.0, "ci_high": 3.0,
    ...                   "truth": np.nan})
    >>> heterogeneity_table(e, {"a": ["U1", "U2"], "b": ["U3"]})["units"].tolist()
    [2, 1]

    """
    sizes = {subgroup_estimand(g): len(members) for g, members in groups.items()}
    table = effects.assign(units=effects["estimand"].map(sizes))
    columns = ["outcome", "estimand", "units", "estimate", "se", "ci_low", "ci_high"]
    if "truth" in table and table["truth"].notna().any():
        columns.append("truth")
    return with_labels(table[columns].reset_index(drop=True), lang)


def skp_effects_table(sample: pd.DataFrame, ologit_raw, ologit_adj, aipw,
                      aipw_binary=None, y: str = "predikat_skor",
                      binary: str = "baik_atau_lebih", treat: str = "treat",
                      lang: Lang | None = None) -> pd.DataFrame:
    """Set the SKP results side by side: ordered logits, naive differences and AIPW.

    The logits (``ologit`` without, ``ologit_covariates`` with covariates; compared across
    units) are on the log-odds scale (estimand ``log_odds_higher_predikat``, with their odds
    ratio); the naive difference (``naive_trained_untrained``) and AIPW (``aipw``, within
    unit-years when ``aipw`` was fitted so) on the 1–5 predikat score
    (``att_predikat_score``, which treats the grades as equally spaced) and, with
    ``aipw_binary``, on the share rated Baik or better (``att_good_or_better``; no spacing
    assumed).

    Parameters
    ----------
    sample : pandas.DataFrame
        :func:`~evalkit.effects.skp_training_sample`.
    ologit_raw, ologit_adj
        :func:`~evalkit.models.fit_ordered_logit` results without / with covariates.
    aipw : ATTResult
        :func:`~evalkit.models.att_aipw` on ``y``.
    aipw_binary : ATTResult, optional
        :func:`~evalkit.models.att_aipw` on ``binary``.
    y, binary, treat : str
        The 1–5 score, the Baik-or-better indicator and the 0/1 treatment of ``sample``.
    lang : {"id", "en"}, optional
        Label the method and estimand codes.

    Returns
    -------
    pandas.DataFrame
        ``method``, ``estimand``, ``estimate``, ``se``, ``odds_ratio``.

    Examples
    --------
    See ``tests/test_effects.py`` (it needs fitted models).

    """
    logodds, score, share = "log_odds_higher_predikat", "att_predikat_score", "att_good_or_better"
    rows = [
        {"method": "ologit", "estimand": logodds, "estimate": ologit_raw.coef()[treat],
         "se": ologit_raw.se()[treat]},
        {"method": "ologit_covariates", "estimand": logodds,
         "estimate": ologit_adj.coef()[treat], "se": ologit_adj.se()[treat]},
        {"method": "naive_trained_untrained", "estimand": score,
         "estimate": naive_difference(sample, y, treat), "se": np.nan},
        {"method": "aipw", "estimand": score, "estimate": aipw.estimate, "se": aipw.se},
    ]
    if aipw_binary is not None:
        rows += [
            {"method": "naive_trained_untrained", "estimand": share,
             "estimate": naive_difference(sample, binary, treat), "se": np.nan},
            {"method": "aipw", "estimand": share, "estimate": aipw_binary.estimate,
             "se": aipw_binary.se},
        ]
    table = pd.DataFrame(rows)
    table["odds_ratio"] = np.where(table["estimand"] == logodds, np.exp(table["estimate"]),
                                   np.nan)
    return with_labels(table, lang)


def l3_effects_table(sample: pd.DataFrame, ipw, aipw, y: str = "l3_score",
                     treat: str = "treat", lang: Lang | None = None) -> pd.DataFrame:
    """IPW and AIPW ``tidy()`` rows with the naive difference of means as second column.

    Examples
    --------
    See ``tests/test_effects.py`` (it needs fitted models).

    """
    table = pd.concat([ipw.tidy(), aipw.tidy()], ignore_index=True)
    table.insert(1, "naive", naive_difference(sample, y, treat))
    return with_labels(table, lang)


def l3_by_difficulty(sample: pd.DataFrame, y: str = "l3_score") -> pd.DataFrame:
    """Course alumni (``treat`` 1) by reported difficulty: ``count`` and ``mean`` of ``y``.

    Examples
    --------
    >>> s = pd.DataFrame({"treat": [1.0, 1, 1, 0], "l3_score": [4.0, 3, 2, 5],
    ...                   "kesulitan_penerapan": [False, True, True, False]})
    >>> l3_by_difficulty(s)["mean"].tolist()
    [4.0, 2.5]

    """
    alumni = sample[sample["treat"] == 1]
    return alumni.groupby("kesulitan_penerapan")[y].agg(["count", "mean"])


__all__ = ["CODE_COLUMNS", "estimates_by_method", "event_time_table", "heterogeneity_table",
           "l3_by_difficulty", "l3_effects_table", "outcome_labels", "rollout_table",
           "skp_effects_table", "with_labels"]
