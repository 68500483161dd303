"""The findings of notebook 04, generated from its estimates (``tables/findings.csv``).

Topics (:func:`study_findings`):

- ``effect_<outcome>`` — the Callaway–Sant'Anna ATT of each outcome; ``effect_ikm`` is the
  headline;
- ``difference_mentoring`` (with minus without mentoring) and ``difference_difficulty``
  (low minus high reported difficulty) on IKM, from the interval of the difference
  (:mod:`evalkit.effects.differences`); ``difference_<…>_<outcome>`` for the other outcomes;
- ``individual_skp`` (AIPW on the share rated Baik or better, within unit-years: relative to
  untrained colleagues in the same unit and year, with the interference and selection
  caveats) and ``individual_l3`` (AIPW on the level-3 application score: alumni of this
  course against alumni of other courses) — differences between people, stated as such and
  not as effects of the training;
- ``robustness`` — whether the headline's verdict holds across cohort thresholds and
  anticipation (:mod:`evalkit.effects.robustness`).

Each finding follows the rules of :mod:`evalkit.findings`; with a simulated truth each also
says whether the truth lies in its interval.

Examples
--------
>>> e = pd.DataFrame({"outcome": "ikm", "method": "cs_did", "estimand": "att",
...                   "estimate": [2.0], "se": 0.5, "ci_low": 1.0, "ci_high": 3.0,
...                   "truth": 2.5, "n_units": 30, "n_obs": 300})
>>> f = effect_findings(e, ["ikm"])[0]
>>> f.topic, f.verdict, f.truth_sentence_en[:30]
('effect_ikm', 'positive', 'The simulated true value, 2.50')

"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from evalkit.effects.codes import ATT, subgroup_estimand
from evalkit.findings import (
    Finding,
    against_truth,
    association_finding,
    difference_finding,
    effect_finding,
    findings_table,
    robustness_finding,
    verdict_of,
)
from evalkit.labels import Lang, code_label, format_number, label

#: The individual-level findings: topic → (outcome, method, estimand, subject, comparison,
#: note, digits). They compare people, so they are stated as differences from the comparison
#: group with their caveats (:func:`evalkit.findings.association_finding`), not as effects.
INDIVIDUAL_FINDINGS: dict[str, tuple[str, str, str, str, str, str, int]] = {
    "individual_skp": ("skp_predikat", "aipw", "att_good_or_better",
                       "finding_subject_skp_good_or_better",
                       "finding_comparison_colleagues_same_unit_year", "skp_within", 3),
    "individual_l3": ("l3_application", "aipw", ATT, "finding_subject_l3_application",
                      "finding_comparison_other_courses", "l3_other_courses", 2),
}


#: Family-wise error rate of the differences on the outcomes other than the headline.
FAMILY_ALPHA = 0.05


def _int(value) -> int | None:
    return None if pd.isna(value) else int(value)


def _row(effects: pd.DataFrame, outcome: str, method: str, estimand: str) -> pd.Series | None:
    found = effects[(effects["outcome"] == outcome) & (effects["method"] == method)
                    & (effects["estimand"] == estimand)]
    return None if found.empty else found.iloc[0]


def effect_findings(effects: pd.DataFrame, outcomes: Sequence[str],
                    method: str = "cs_did") -> list[Finding]:
    """``effect_<outcome>`` findings from the ``effects`` rows (estimand ``att``).

    Examples
    --------
    See the module docstring.

    """
    found = []
    for outcome in outcomes:  # five outcomes
        row = _row(effects, outcome, method, ATT)
        if row is None:
            continue
        f = effect_finding(f"effect_{outcome}", outcome, row["estimate"], row["ci_low"],
                           row["ci_high"], method=method, n_units=_int(row.get("n_units")),
                           n_obs=_int(row.get("n_obs")))
        found.append(against_truth(f, row.get("truth")))
    return found


def difference_findings(differences: pd.DataFrame, effects: pd.DataFrame | None = None,
                        headline: str = "ikm", family_wise: bool = True) -> list[Finding]:
    """Difference findings from :func:`~evalkit.effects.differences.subgroup_differences`.

    The headline outcome keeps the plain topic (``difference_mentoring``) and its 95%
    interval. Other outcomes add theirs (``difference_mentoring_nrr_u6``); they are a family
    of exploratory comparisons (two splits × four outcomes in notebook 04), and with
    ``family_wise`` their intervals are simultaneous over the family (Bonferroni:
    estimate ± z_{1−0.05/(2m)}·se for m comparisons), so that on a city where the training
    does nothing none of them states a difference more often than 5% of the time. With
    ``effects`` carrying a simulated truth, the true difference is that of the two
    subgroups' true effects.

    Examples
    --------
    >>> d = pd.DataFrame({"topic": "difference_mentoring", "outcome": ["ikm", "u6", "u7"],
    ...                   "group_a": "mentoring_with", "group_b": "mentoring_without",
    ...                   "estimate": [0.5, 0.5, 0.5], "se": 0.22, "ci_low": 0.07,
    ...                   "ci_high": 0.93, "n_units": 30})
    >>> [f.verdict for f in difference_findings(d)]  # z = 2.24 for two: 0.5 ± 0.49
    ['positive', 'positive', 'positive']
    >>> d["se"] = 0.24  # 0.5 ± 0.54 for the two secondary ones
    >>> [f.verdict for f in difference_findings(d)]
    ['positive', 'inconclusive', 'inconclusive']

    """
    secondary = differences["outcome"] != headline
    n_family = int(secondary.sum())
    z = stats.norm.ppf(1 - FAMILY_ALPHA / (2 * n_family)) if family_wise and n_family > 1 \
        else None
    found = []
    for rec in differences.itertuples(index=False):  # a few outcomes × two differences
        topic = rec.topic if rec.outcome == headline else f"{rec.topic}_{rec.outcome}"
        low, high, note = rec.ci_low, rec.ci_high, None
        if rec.outcome != headline and z is not None:
            low, high = rec.estimate - z * rec.se, rec.estimate + z * rec.se
            note = "simultaneous_differences"
        f = difference_finding(topic, rec.outcome, rec.estimate, low, high,
                               groups=(rec.group_a, rec.group_b), method="cs_did",
                               n_units=int(rec.n_units), note=note,
                               note_values={"m": n_family})
        truth = np.nan
        if effects is not None:
            a = _row(effects, rec.outcome, "cs_did", subgroup_estimand(rec.group_a))
            b = _row(effects, rec.outcome, "cs_did", subgroup_estimand(rec.group_b))
            if a is not None and b is not None:
                truth = a["truth"] - b["truth"]
        found.append(against_truth(f, truth))
    return found


def individual_findings(effects: pd.DataFrame) -> list[Finding]:
    """``individual_skp`` and ``individual_l3`` (see :data:`INDIVIDUAL_FINDINGS`).

    Examples
    --------
    >>> e = pd.DataFrame({"outcome": "l3_application", "method": "aipw", "estimand": "att",
    ...                   "estimate": [0.3], "ci_low": 0.1, "ci_high": 0.5, "truth": np.nan,
    ...                   "n_units": 20, "n_obs": 400})
    >>> "than among alumni of other courses" in individual_findings(e)[0].sentence_en
    True

    """
    found = []
    for topic, spec in INDIVIDUAL_FINDINGS.items():
        outcome, method, estimand, subject, comparison, note, digits = spec
        row = _row(effects, outcome, method, estimand)
        if row is None:
            continue
        f = association_finding(topic, outcome, row["estimate"], row["ci_low"], row["ci_high"],
                                subject=subject, comparison=comparison, note=note,
                                method=method, digits=digits,
                                n_units=_int(row.get("n_units")), n_obs=_int(row.get("n_obs")))
        found.append(against_truth(f, row.get("truth"), digits))
    return found


def study_findings(effects: pd.DataFrame, outcomes: Sequence[str],
                   differences: pd.DataFrame | None = None,
                   robustness: pd.DataFrame | None = None,
                   headline: str = "ikm") -> pd.DataFrame:
    """Every finding of notebook 04 as the findings table (``FINDINGS_COLUMNS``).

    Parameters
    ----------
    effects : pandas.DataFrame
        The ``effects`` table (with the simulated truth attached, if any).
    outcomes : sequence of str
        Outcomes of the ``effect_<outcome>`` findings, the headline first.
    differences : pandas.DataFrame, optional
        :func:`~evalkit.effects.differences.subgroup_differences`.
    robustness : pandas.DataFrame, optional
        :func:`~evalkit.effects.robustness.headline_robustness` of the headline outcome.
    headline : str
        The headline outcome.

    Examples
    --------
    See ``tests/test_effects_findings.py``.

    """
    found = effect_findings(effects, outcomes)
    if differences is not None:
        found += difference_findings(differences, effects, headline)
    found += individual_findings(effects)
    if robustness is not None and len(robustness):
        main = [f for f in found if f.topic == f"effect_{headline}"]
        verdict = main[0].verdict if main else verdict_of(
            robustness.loc[robustness["headline"], "ci_low"].iloc[0],
            robustness.loc[robustness["headline"], "ci_high"].iloc[0])
        found.append(robustness_finding("robustness", headline, verdict, robustness,
                                        method="cs_did"))
    return findings_table(found)


def placebo_sentence(dynamic: pd.DataFrame, lang: Lang = "id",
                     pretest: pd.DataFrame | None = None) -> str:
    """How many pre-roll-out (placebo) event-time estimates have an interval excluding zero.

    Every event time before the roll-out that the dynamic aggregation has is counted (not a
    trimmed window): first with the pointwise intervals, then — when ``dynamic`` has them —
    with the simultaneous band (``cband_low``, ``cband_high``), which holds for all event
    times at once. With ``pretest`` (:meth:`StaggeredDidResult.pretest`) a last sentence
    gives the Wald pre-test and whether it rejects parallel trends at 5%.

    Parameters
    ----------
    dynamic : pandas.DataFrame
        ``staggered_did(...).aggregate("dynamic")`` (``event_time``, ``ci_low``,
        ``ci_high``, optionally ``cband_low``, ``cband_high``, ``crit_value``).
    lang : {"id", "en"}
        Language of the sentence.
    pretest : pandas.DataFrame, optional
        One row ``statistic``, ``df``, ``p_value``.

    Examples
    --------
    >>> d = pd.DataFrame({"event_time": [-3, -2, -1, 0], "ci_low": [0.2, -1, -1, 1],
    ...                   "ci_high": [1.0, 1, 1, 2]})
    >>> print(placebo_sentence(d, "en")[:60])
    Before units were reached (e = -3 … -1): 1 of 3 placebo esti
    >>> print(placebo_sentence(d, "en")[-37:])
    interval that excludes zero (e = -3).
    >>> d = d.assign(cband_low=d["ci_low"] - 0.5, cband_high=d["ci_high"] + 0.5, crit_value=2.6)
    >>> test = pd.DataFrame({"statistic": [9.3], "df": [3], "p_value": [0.0256], "n_units": 6,
    ...                      "f_statistic": 1.55, "df_denominator": 3, "p_value_f": 0.36})
    >>> print(placebo_sentence(d, "en", test).split(". ")[1][-26:])
    once): 0 of 3 exclude zero
    >>> print(placebo_sentence(d, "en", test).split(". ")[-1])
    The data do not reject parallel pre-trends at the 5% level.

    """
    pre = dynamic[dynamic["event_time"] < 0]
    if pre.empty:
        return ""
    window = f"e = {int(pre['event_time'].min())} … {int(pre['event_time'].max())}"
    n_excluding, which = _excluding_zero(pre, "ci_low", "ci_high")
    sentences = [label("finding_placebo", lang, window=window, n_excluding=n_excluding,
                       n=len(pre), which=which)]
    if {"cband_low", "cband_high"} <= set(pre.columns) and pre["cband_low"].notna().all():
        n_band, which_band = _excluding_zero(pre, "cband_low", "cband_high")
        crit = format_number(float(pre["crit_value"].iloc[0]), 2, lang)
        sentences.append(label("finding_placebo_band", lang, crit=crit, n_excluding=n_band,
                               n=len(pre), which=which_band))
    if pretest is not None:
        sentences.extend(_pretest_sentences(pretest.iloc[0], lang))
    return " ".join(sentences)


def _pretest_sentences(test: pd.Series, lang: Lang) -> list[str]:
    """R's Wald pre-test, Hotelling's small-sample version when it exists, and the verdict.

    The verdict follows the small-sample p-value when there is one (the chi² over-rejects
    when the cells are many against the units), else R's.
    """
    if pd.isna(test["p_value"]):
        return [label("finding_pretest_none", lang)]
    out = [label("finding_pretest", lang, df=int(test["df"]),
                 statistic=format_number(float(test["statistic"]), 2, lang),
                 p_value=_p_value(test["p_value"], lang))]
    p_value = test["p_value"]
    if pd.notna(test.get("p_value_f", np.nan)):
        out.append(label("finding_pretest_f", lang, df=int(test["df"]),
                         n_units=int(test["n_units"]), df2=int(test["df_denominator"]),
                         f_statistic=format_number(float(test["f_statistic"]), 2, lang),
                         p_value_f=_p_value(test["p_value_f"], lang)))
        p_value = test["p_value_f"]
    out.append(label("finding_pretest_reject" if p_value < 0.05 else "finding_pretest_keep",
                     lang))
    return out


def _p_value(p: float, lang: Lang) -> str:
    """Format ``p`` as "= 0.014", or "< 0.001" below that (for "p {p_value}")."""
    return f"< {format_number(0.001, 3, lang)}" if p < 0.001 else f"= {format_number(p, 3, lang)}"


def _excluding_zero(pre: pd.DataFrame, low: str, high: str) -> tuple[int, str]:
    """Count of rows whose [low, high] excludes zero, and their event times as " (e = …)"."""
    excluding = pre[verdict_of(pre[low].to_numpy(), pre[high].to_numpy()) != "inconclusive"]
    which = (f" (e = {', '.join(str(int(e)) for e in excluding['event_time'])})"
             if len(excluding) else "")
    return len(excluding), which


def left_out_sentences(effects: pd.DataFrame, lang: Lang = "id") -> list[str]:
    """One sentence per overall estimate (estimand ``att``) that left units out.

    The naive before/after comparison leaves out the never-reached units by design; it is
    not repeated here (its rows count them).

    Examples
    --------
    >>> e = pd.DataFrame({"outcome": "ikm", "method": ["twfe", "cs_did"], "estimand": "att",
    ...                   "n_units": [30, 20], "n_units_left_out": [0, 10],
    ...                   "left_out_reason": ["", "incomplete_series: 10"]})
    >>> print(left_out_sentences(e, "en")[0][-48:])
    10 of 30 units not used (incomplete_series: 10).

    """
    by_design = effects["left_out_reason"].fillna("").str.fullmatch(r"not_reached: \d+")
    rows = effects[(effects["estimand"] == ATT) & effects["n_units_left_out"].fillna(0).gt(0)
                   & ~by_design]
    if rows.empty:
        return [label("finding_left_out_none", lang)]
    return [label("finding_left_out", lang,
                  method=f"{code_label('outcome', r.outcome, lang)}, "
                         f"{code_label('method', r.method, lang)}",
                  n_left=int(r.n_units_left_out), n_in=int(r.n_units + r.n_units_left_out),
                  reasons=r.left_out_reason)
            for r in rows.itertuples(index=False)]


__all__ = ["INDIVIDUAL_FINDINGS", "difference_findings", "effect_findings",
           "individual_findings", "left_out_sentences", "placebo_sentence", "study_findings"]
