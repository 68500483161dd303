"""The stable codes of the ``effects`` table: its columns, method and estimand codes.

Processed tables hold codes; their labels (both languages) are ``method_<code>`` and
``estimand_<code>`` in ``config/labels.yaml``, added at display time.

Method codes: :data:`METHODS` (the four estimators of the roll-out, in the order notebook 04
presents them) and the others of :data:`METHOD_CODES`. Estimand codes: ``att`` (the average
effect on the treated), ``att_e<k>`` (k periods after the roll-out, signed: ``att_e-2``,
``att_e0``), ``att_<subgroup>`` (e.g. ``att_difficulty_high``) and the three SKP estimands
of :data:`SKP_ESTIMANDS`.

Examples
--------
>>> event_time_estimand(-2), subgroup_estimand("mentoring_with")
('att_e-2', 'att_mentoring_with')
>>> event_time_of(pd.Series(["att", "att_e-2", "att_e3"])).tolist()
[<NA>, -2, 3]

"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

#: Columns of the ``effects`` table (docs/data-contract.md).
EFFECTS_COLUMNS = ["outcome", "method", "estimand", "estimate", "se", "ci_low", "ci_high",
                   "truth", "n_units", "n_obs", "n_units_left_out", "left_out_reason"]

#: The sample columns of an ``effects`` row: units (clusters) and observations the estimate
#: used, units of its intended sample left out and why (``reason: count; …``, "" if none).
SAMPLE_COLUMNS = ["n_units", "n_obs", "n_units_left_out", "left_out_reason"]

#: The four estimators of the roll-out, in the order notebook 04 presents them: naive
#: before/after among reached units, naive reached vs other unit-quarters, two-way fixed
#: effects with a roll-out dummy, Callaway–Sant'Anna staggered difference-in-differences.
METHODS: tuple[str, ...] = ("naive_before_after", "naive_trained_untrained", "twfe", "cs_did")

#: Every method code the study writes, in reading order (the labels test checks each has a
#: label; :func:`sort_effects` orders rows by it).
METHOD_CODES: tuple[str, ...] = (
    *METHODS,
    "event_study",          # TWFE event study (leads and lags)
    "naive_other_courses",  # difference of means against alumni of other courses
    "ipw", "aipw",          # propensity weighting, doubly robust
    "ologit",               # ordered logit, treatment only
    "ologit_covariates",    # ordered logit with person covariates
)

#: The average effect on the treated (overall).
ATT = "att"

#: SKP estimands: the ordered logit's log-odds of a higher predikat, the ATT on the 1–5
#: predikat score and the ATT on the share rated Baik or better.
SKP_ESTIMANDS: tuple[str, ...] = ("log_odds_higher_predikat", "att_predikat_score",
                                  "att_good_or_better")

_EVENT_TIME = r"^att_e(-?\d+)$"


def event_time_estimand(event_time: int) -> str:
    """Return the estimand code of the effect ``event_time`` periods after the roll-out.

    Examples
    --------
    >>> [event_time_estimand(e) for e in (-1, 0, 2)]
    ['att_e-1', 'att_e0', 'att_e2']

    """
    return f"att_e{int(event_time)}"


def subgroup_estimand(group: str) -> str:
    """Return the estimand code of the average effect in subgroup ``group``.

    Examples
    --------
    >>> subgroup_estimand("difficulty_high")
    'att_difficulty_high'

    """
    return f"{ATT}_{group}"


def event_time_of(estimands: pd.Series) -> pd.Series:
    """Return the event time of each ``att_e<k>`` estimand (missing for other estimands).

    Examples
    --------
    >>> event_time_of(pd.Series(["att_e-4", "att_difficulty_low"])).tolist()
    [-4, <NA>]

    """
    found = estimands.astype("str").str.extract(_EVENT_TIME, expand=False)
    return pd.to_numeric(found).astype("Int64")


def sort_effects(table: pd.DataFrame) -> pd.DataFrame:
    """Sort effects rows by outcome, method, then estimand, in reading order.

    Methods follow :data:`METHOD_CODES` (other codes after them, alphabetically); within a
    method ``att`` comes first, then event times in time order, then the other estimands
    alphabetically.

    Examples
    --------
    >>> t = pd.DataFrame({"outcome": "y", "method": ["cs_did", "twfe", "cs_did", "cs_did"],
    ...                   "estimand": ["att_e1", "att", "att_e-2", "att"]})
    >>> sort_effects(t)[["method", "estimand"]].values.tolist()
    [['twfe', 'att'], ['cs_did', 'att'], ['cs_did', 'att_e-2'], ['cs_did', 'att_e1']]

    """
    rank = {m: i for i, m in enumerate(METHOD_CODES)}
    event_time = event_time_of(table["estimand"])
    keys = pd.DataFrame({
        "outcome": table["outcome"].astype("str"),
        "method_rank": table["method"].map(rank).fillna(len(rank)),
        "method": table["method"].astype("str"),
        # att first (0), then the event times (1), then any other estimand (2)
        "kind": np.select([table["estimand"].eq(ATT), event_time.notna()], [0, 1], default=2),
        "event_time": event_time.fillna(0).astype("int64"),
        "estimand": table["estimand"].astype("str"),
    }, index=table.index)
    order = keys.sort_values(list(keys.columns), kind="mergesort").index
    return table.loc[order].reset_index(drop=True)


def effect_row(outcome: str, method: str, estimand: str, estimate: float, se: float,
               alpha: float = 0.05, *, df: float | None = None,
               ci: tuple[float, float] | None = None,
               sample: dict | None = None) -> dict:
    """Return one row of the ``effects`` table (without ``truth``).

    The interval is ``ci`` when given (e.g. the fit's own), else ``estimate`` ± c·``se``
    with c from Student's t with ``df`` degrees of freedom (clustered fits: G − 1 for G
    clusters) or, without ``df``, the normal distribution. ``sample`` holds the
    :data:`SAMPLE_COLUMNS` (missing ones are left empty).

    Examples
    --------
    >>> row = effect_row("ikm", "twfe", "att", 2.0, 0.5)
    >>> round(row["ci_low"], 3), round(row["ci_high"], 3)
    (1.02, 2.98)
    >>> round(effect_row("ikm", "twfe", "att", 2.0, 0.5, df=29)["ci_low"], 3)  # t(29): 2.045
    0.977

    """
    if ci is None:
        crit = stats.norm.ppf(1 - alpha / 2) if df is None else stats.t.ppf(1 - alpha / 2, df)
        ci = (estimate - crit * se, estimate + crit * se)
    sample = sample or {}
    return {"outcome": outcome, "method": method, "estimand": estimand,
            "estimate": float(estimate), "se": float(se),
            "ci_low": float(ci[0]), "ci_high": float(ci[1]),
            **{c: sample.get(c, "" if c == "left_out_reason" else np.nan)
               for c in SAMPLE_COLUMNS}}


__all__ = ["ATT", "EFFECTS_COLUMNS", "METHODS", "METHOD_CODES", "SAMPLE_COLUMNS", "SKP_ESTIMANDS",
           "effect_row", "event_time_estimand", "event_time_of", "sort_effects",
           "subgroup_estimand"]
