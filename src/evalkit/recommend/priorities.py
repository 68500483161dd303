"""Where does more training pay most? The effect that drives the ranking, and the ranking.

:func:`select_effect` picks the estimate of notebook 04's ``effects`` table (stable method
and estimand codes) that the priorities rest on. :func:`effect_supports_gain` says whether its
95% interval establishes an improvement (:func:`evalkit.findings.verdict_of`, with the
outcome's direction). Only then does :func:`unit_priorities` rank units by the effect times
each unit's remaining gap in training coverage; otherwise it ranks them by need (coverage gap,
then low IKM), because a ranking by a gain whose interval includes zero would rest on the
point estimate alone. :func:`recent_periods` names the quarters the current needs are read
from.

Examples
--------
>>> recent_periods(["2024Q2", "2024Q1"], 1)
['2024Q2']

"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from evalkit.effects import ATT
from evalkit.findings import service_quality, verdict_of
from evalkit.panel import COHORT_THRESHOLD

#: Codes of what a priority ranking rests on (column ``dasar_peringkat``): the expected gain
#: when the effect's interval establishes an improvement, else the unit's need.
PRIORITY_BASES: tuple[str, ...] = ("perkiraan_kenaikan", "kebutuhan")

#: Order in which effect methods (codes of the ``effects`` table) are preferred for the
#: priorities, first present wins: the staggered difference-in-differences of the roll-out
#: first, because it compares each unit with units not yet reached and so does not lean on
#: the already-treated; then the two-way fixed effects of the same roll-out; then the
#: propensity methods.
EFFECT_METHODS: tuple[str, ...] = ("cs_did", "twfe", "aipw", "ipw")


def select_effect(effects: pd.DataFrame, *, outcome: str = "ikm",
                  methods: Sequence[str] = EFFECT_METHODS,
                  estimand: str = ATT) -> pd.Series:
    """Pick the effect estimate that drives the priorities.

    Among the rows of ``effects`` for ``outcome`` (and, when the table has such rows, with
    ``estimand`` — the overall effect, not an event time or a subgroup), the one whose
    ``method`` code is earliest in ``methods``; when none of ``methods`` is present, the
    first.

    Parameters
    ----------
    effects : DataFrame
        The ``effects`` table of notebook 04: ``outcome``, ``method``, ``estimand``,
        ``estimate``, ``ci_low``, ``ci_high`` …
    outcome : str, default "ikm"
        The outcome code.
    methods : sequence of str, default :data:`EFFECT_METHODS`
        Method codes in order of preference.
    estimand : str, default "att"
        The estimand code of the overall effect.

    Returns
    -------
    Series
        The chosen row.

    Raises
    ------
    ValueError
        When ``effects`` has no row for ``outcome``.

    Examples
    --------
    >>> import pandas as pd
    >>> e = pd.DataFrame({"outcome": "ikm", "method": ["twfe", "cs_did", "cs_did"],
    ...                   "estimand": ["att", "att", "att_e0"], "estimate": [1.0, 2.0, 3.0]})
    >>> float(select_effect(e)["estimate"])
    2.0

    """
    rows = effects[effects["outcome"] == outcome]
    if "estimand" in rows.columns and rows["estimand"].eq(estimand).any():
        rows = rows[rows["estimand"].eq(estimand)]
    if rows.empty:
        raise ValueError(f"select_effect: no estimate for outcome {outcome!r} in effects "
                         f"(outcomes present: {sorted(effects['outcome'].unique().tolist())}).")
    rank = pd.Series({m: i for i, m in enumerate(methods)}, dtype="float64")
    order = rows["method"].map(rank).fillna(len(methods))
    return rows.assign(_o=order.to_numpy()).sort_values("_o", kind="mergesort").iloc[0].drop("_o")


def effect_supports_gain(effect: Mapping[str, Any] | pd.Series,
                         outcome: str | None = None) -> bool:
    """Whether the effect's 95% interval establishes an improvement of the outcome.

    True when the interval lies wholly on the better side of zero: above it, or below it for
    an outcome on which a fall is an improvement (:data:`evalkit.findings.LOWER_IS_BETTER`).
    ``outcome`` defaults to the effect's own ``outcome`` (else IKM).

    Examples
    --------
    >>> effect_supports_gain({"ci_low": 0.4, "ci_high": 2.0})
    True
    >>> effect_supports_gain({"ci_low": -0.4, "ci_high": 2.0})
    False
    >>> effect_supports_gain({"ci_low": -2.0, "ci_high": -0.1, "outcome": "rata_rata_hari"})
    True

    """
    outcome = outcome if outcome is not None else str(effect.get("outcome", "ikm"))
    verdict = verdict_of(float(effect["ci_low"]), float(effect["ci_high"]))
    return service_quality(outcome, verdict) == "better"


def unit_priorities(panel: pd.DataFrame, effect: Mapping[str, Any] | pd.Series, *,
                    coverage: str = "share_trained",
                    target: float = COHORT_THRESHOLD) -> pd.DataFrame:
    """Rank units by the expected gain from closing their training-coverage gap, or by need.

    The effect estimate (notebook 04) is the effect of a unit being *reached* by the
    training, and a unit counts as reached when ``target`` of its staff completed it (the
    cohort threshold of notebook 03). For each unit, in its latest period:
    ``gap = clip((target − coverage) / target, 0, 1)`` — 1 for a unit nobody has trained
    yet, 0 for a unit already reached — and the expected gain ``= effect × gap`` with the
    interval ``[ci_low × gap, ci_high × gap]`` (the effect's uncertainty; the gap is
    observed). Partial coverage counts linearly, an assumption. Beyond the threshold the data
    say nothing, so the expected gain there is 0, not an extrapolation.

    When the effect's interval establishes an improvement (:func:`effect_supports_gain`),
    units are ranked by that expected gain; ties (same gap) go to the lower IKM (more room to
    improve), then to the unit name. Otherwise the gain is not established — a ranking by it
    would rest on the point estimate only — and units are ranked by need: the coverage gap,
    then the lower IKM, then the name; the gain and its interval stay in the table, as
    evidence that it is not established. ``dasar_peringkat`` says which ranking was used
    (:data:`PRIORITY_BASES`).

    Parameters
    ----------
    panel : DataFrame
        ``panel_unit_period`` (notebook 03): ``unit``, ``period``, ``ikm``, ``n_asn`` and the
        coverage column.
    effect : mapping or Series
        With ``estimate``, ``ci_low``, ``ci_high`` (a row of ``effects``).
    coverage : str, default "share_trained"
        The coverage column of ``panel``.
    target : float, default :data:`COHORT_THRESHOLD`
        Coverage at which a unit counts as reached (``cohort_threshold``).

    Returns
    -------
    DataFrame
        ``peringkat``, ``unit``, ``period``, ``n_asn``, ``ikm``, ``cakupan`` (coverage),
        ``kesenjangan`` (gap, 0–1), ``perkiraan_kenaikan``, ``ci_low``, ``ci_high``,
        ``dasar_peringkat``; in the order of ``peringkat``.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"unit": ["A", "B"], "period": "2024Q4", "ikm": [80.0, 85.0],
    ...                   "n_asn": [50, 60], "share_trained": [0.05, 0.4]})
    >>> out = unit_priorities(p, {"estimate": 2.0, "ci_low": 1.0, "ci_high": 3.0})
    >>> out[["unit", "perkiraan_kenaikan"]].round(2).values.tolist()
    [['A', 1.6], ['B', 0.0]]
    >>> p2 = p.assign(share_trained=[0.2, 0.0])  # B untrained: the larger need
    >>> no_gain = unit_priorities(p2, {"estimate": 2.0, "ci_low": -1.0, "ci_high": 5.0})
    >>> no_gain[["unit", "dasar_peringkat"]].values.tolist()
    [['B', 'kebutuhan'], ['A', 'kebutuhan']]

    """
    if not 0 < target <= 1:
        raise ValueError(f"unit_priorities: target is {target}; give the coverage share "
                         "(0–1] at which a unit counts as reached (cohort_threshold).")
    latest = (panel.sort_values(["unit", "period"], kind="mergesort")
              .drop_duplicates("unit", keep="last"))
    gap = ((target - latest[coverage].astype("float64")) / target).clip(0, 1)
    out = pd.DataFrame({
        "unit": latest["unit"].to_numpy(),
        "period": latest["period"].to_numpy(),
        "n_asn": latest["n_asn"].to_numpy() if "n_asn" in latest else np.nan,
        "ikm": latest["ikm"].to_numpy(),
        "cakupan": latest[coverage].to_numpy(dtype="float64"),
        "kesenjangan": gap.to_numpy(),
    })
    est, low, high = (float(effect[k]) for k in ("estimate", "ci_low", "ci_high"))
    out["perkiraan_kenaikan"] = est * out["kesenjangan"]
    bounds = np.sort(np.c_[low * out["kesenjangan"], high * out["kesenjangan"]], axis=1)
    out["ci_low"], out["ci_high"] = bounds[:, 0], bounds[:, 1]
    by_gain = effect_supports_gain(effect)
    out["dasar_peringkat"] = PRIORITY_BASES[0] if by_gain else PRIORITY_BASES[1]
    first = "perkiraan_kenaikan" if by_gain else "kesenjangan"
    out = out.sort_values([first, "ikm", "unit"], ascending=[False, True, True],
                          kind="mergesort").reset_index(drop=True)
    out.insert(0, "peringkat", np.arange(1, len(out) + 1))
    return out


def recent_periods(periods: pd.Series | Sequence[str], n: int = 4) -> list[str]:
    """Return the latest ``n`` distinct periods (``"2024Q3"`` strings sort in time order).

    Examples
    --------
    >>> recent_periods(["2024Q1", "2023Q4", "2024Q2"], 2)
    ['2024Q1', '2024Q2']

    """
    values = sorted(pd.Series(periods).dropna().astype("str").unique().tolist())
    return values[-n:] if n > 0 else values


__all__ = ["EFFECT_METHODS", "PRIORITY_BASES", "effect_supports_gain", "recent_periods",
           "select_effect", "unit_priorities"]
