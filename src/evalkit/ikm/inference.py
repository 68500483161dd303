"""How far an IKM can be trusted: standard errors, a bootstrap check, changes between periods.

The analytic standard error is the respondent-clustered Taylor linearisation of the
ratio-mean IKM (:meth:`evalkit.ikm.tally.Tally.linearised_se`); the Poisson bootstrap over
respondents checks it by brute force; :func:`ikm_change` compares two independent quarters.

No finite population correction is applied: the SKM respondents of a quarter are the
service users who chose to answer, not a random sample drawn without replacement from a
listed population of users, and the IKM stands for the unit's service in general (a
superpopulation quantity), so the population size N of the (1 − n/N) factor is neither
known nor the right reference. With N unknown and n/N small for most units, the factor
would shrink the SE by little, and leaving it out keeps the interval conservative.
Intervals use t with n − 1 degrees of freedom (n respondents of the group) in
:func:`~evalkit.ikm.index.compute_ikm`, and Welch–Satterthwaite degrees of freedom built
from the same n − 1 for a change between two quarters (:func:`ikm_change`).

Examples
--------
>>> df = pd.DataFrame({"unit": ["A"] * 4, **{f"u{k}": [3, 3, 4, 4] for k in range(1, 10)}})
>>> se = ikm_standard_error(df, by="unit")  # 25 × sd of the mean scores (3, 3, 4, 4) / √4
>>> se[["n_responses", "ikm", "ikm_se"]].round(3).to_dict("records")
[{'n_responses': 4, 'ikm': 87.5, 'ikm_se': 7.217}]

"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from evalkit.ikm.elements import ELEMENTS
from evalkit.ikm.index import compute_ikm
from evalkit.ikm.tally import Tally, element_weights


def ikm_standard_error(responses: pd.DataFrame, by: Sequence[str] | str = ("unit", "period"),
                       weight: str | Mapping[str, float] = "exact", level: float = 0.95, *,
                       elements: Sequence[str] = ELEMENTS) -> pd.DataFrame:
    """Compute the standard error and confidence interval of the converted IKM per group.

    Respondent-clustered Taylor linearisation (delta method) of the ratio-mean IKM; see
    :func:`~evalkit.ikm.index.compute_ikm` with ``ci=``. Vectorised: one pass per element
    over the answers.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``n_responses``, ``ikm``, ``ikm_se``, ``ikm_ci_low``,
        ``ikm_ci_high``.

    Examples
    --------
    >>> df = pd.DataFrame({"unit": ["A"] * 3, **{f"u{k}": [2, 3, 4] for k in range(1, 10)}})
    >>> round(float(ikm_standard_error(df, by="unit")["ikm_se"].iloc[0]), 3)  # 25·sd/√3
    14.434

    """
    table = compute_ikm(responses, by=by, weight=weight, elements=elements, ci=level)
    by = [by] if isinstance(by, str) else list(by)
    return table[[*by, "n_responses", "ikm", "ikm_se", "ikm_ci_low", "ikm_ci_high"]]


def ikm_bootstrap(responses: pd.DataFrame, by: Sequence[str] | str = ("unit", "period"),
                  weight: str | Mapping[str, float] = "exact", *, n_boot: int = 500,
                  seed: int = 0, level: float = 0.95,
                  elements: Sequence[str] = ELEMENTS, block: int = 50) -> pd.DataFrame:
    """Bootstrap over respondents of the converted IKM per group (a check of the analytic SE).

    Uses the Poisson bootstrap: every respondent gets an independent Poisson(1) weight per
    replicate (Hanley & MacGibbon 2006), which approximates resampling respondents with
    replacement within each group and vectorises over rows, groups and replicates (one
    ``bincount`` per element per block of replicates; no loop over groups).

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``ikm_se_boot`` (sd of the replicates) and the percentile
        interval ``ikm_boot_low``, ``ikm_boot_high``.

    Examples
    --------
    >>> df = pd.DataFrame({"unit": ["A"] * 4, **{f"u{k}": [3, 3, 4, 4] for k in range(1, 10)}})
    >>> float(ikm_bootstrap(df, by="unit", n_boot=50, seed=1)["ikm_se_boot"].iloc[0]) > 0
    True

    """
    by = [by] if isinstance(by, str) else list(by)
    elements = list(elements)
    w = element_weights(weight, elements)
    tally = Tally(responses, by, elements)
    remap = np.full(tally.n_slots, -1, dtype=np.intp)
    remap[tally.present] = np.arange(len(tally.present))
    group = remap[tally.slot]
    n_groups, n_rows = len(tally.present), len(group)
    rng = np.random.default_rng(seed)
    replicates = np.empty((n_boot, n_groups))
    for start in range(0, n_boot, block):
        b = min(block, n_boot - start)
        draws = rng.poisson(1.0, size=(b, n_rows)).astype("float64")
        index = (np.arange(b)[:, None] * n_groups + group[None, :]).reshape(-1)
        interval = np.zeros((b, n_groups))
        for k, answers in enumerate(tally.answers):
            filled = (answers > 0).astype("float64")
            total = np.bincount(index, weights=(draws * answers).reshape(-1),
                                minlength=b * n_groups).reshape(b, n_groups)
            count = np.bincount(index, weights=(draws * filled).reshape(-1),
                                minlength=b * n_groups).reshape(b, n_groups)
            with np.errstate(invalid="ignore", divide="ignore"):
                interval += w[k] * total / count
        replicates[start:start + b] = interval * 25.0
    out = tally.keys
    out["ikm_se_boot"] = np.nanstd(replicates, axis=0, ddof=1)
    tail = (1 - level) / 2 * 100
    out["ikm_boot_low"] = np.nanpercentile(replicates, tail, axis=0)
    out["ikm_boot_high"] = np.nanpercentile(replicates, 100 - tail, axis=0)
    return out


def ikm_change(table: pd.DataFrame, before: str, after: str, *, level: float = 0.95,
               by: str = "unit") -> pd.DataFrame:
    """Change of each unit's IKM between two periods, with a t interval for the difference.

    The two quarters are independent samples of respondents, so the standard error of the
    difference is sqrt(se_before² + se_after²). The interval uses the t distribution as
    :func:`~evalkit.ikm.index.compute_ikm` does, with the Welch–Satterthwaite degrees of
    freedom of a difference of two means whose own df are n − 1:
    ``df = (se_b² + se_a²)² / (se_b⁴/(n_b − 1) + se_a⁴/(n_a − 1))`` (at least 1). It lies
    between min(n_b, n_a) − 1 and n_b + n_a − 2 and equals compute_ikm's n − 1 when one
    quarter's SE is negligible. ``table`` is a :func:`~evalkit.ikm.index.compute_ikm` result
    with ``ci=`` (needs ``n_responses`` and ``ikm_se``).

    Returns
    -------
    pandas.DataFrame
        ``by``, ``ikm_before``, ``ikm_after``, ``change``, ``change_se``, ``df``,
        ``ci_low``, ``ci_high``, ``clear_change`` (the interval excludes 0).

    Examples
    --------
    >>> t = pd.DataFrame({"unit": ["A", "A"], "period": ["2024Q1", "2024Q2"],
    ...                   "n_responses": [61, 41], "ikm": [80.0, 84.0], "ikm_se": [1.5, 2.0]})
    >>> ikm_change(t, "2024Q1", "2024Q2")[["change", "change_se"]].to_dict("records")
    [{'change': 4.0, 'change_se': 2.5}]

    """
    cols = [by, "n_responses", "ikm", "ikm_se"]
    missing = [c for c in cols + ["period"] if c not in table.columns]
    if missing:
        raise KeyError(f"ikm_change: column(s) {missing} not in the table; pass a "
                       "compute_ikm(..., ci=0.95) result (it has n_responses and ikm_se).")
    data = table.astype({"period": "str"})
    left = data.loc[data["period"] == before, cols]
    right = data.loc[data["period"] == after, cols]
    out = left.merge(right, on=by, suffixes=("_before", "_after"), validate="one_to_one")
    out["change"] = out["ikm_after"] - out["ikm_before"]
    out["change_se"] = np.hypot(out["ikm_se_before"], out["ikm_se_after"])
    var_b, var_a = out["ikm_se_before"] ** 2, out["ikm_se_after"] ** 2
    df_b = (out["n_responses_before"] - 1).clip(lower=1)
    df_a = (out["n_responses_after"] - 1).clip(lower=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        welch = (var_b + var_a) ** 2 / (var_b ** 2 / df_b + var_a ** 2 / df_a)
    # Both SEs zero (every answer identical): the interval is the point; any df will do.
    out["df"] = welch.fillna(df_b + df_a).clip(lower=1.0)
    q = stats.t.ppf(0.5 + level / 2, out["df"])
    out["ci_low"] = out["change"] - q * out["change_se"]
    out["ci_high"] = out["change"] + q * out["change_se"]
    out["clear_change"] = (out["ci_low"] > 0) | (out["ci_high"] < 0)
    return out[[by, "ikm_before", "ikm_after", "change", "change_se", "df", "ci_low",
                "ci_high", "clear_change"]].sort_values(by).reset_index(drop=True)


__all__ = ["ikm_bootstrap", "ikm_change", "ikm_standard_error"]
