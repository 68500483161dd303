"""Finding sentences generated from estimates, with a verdict that follows the interval.

Every sentence that states a result is written here from an estimate and its 95% confidence
interval, by three rules:

- a direction is stated only when the interval excludes zero (verdict ``positive`` or
  ``negative``, by the sign of the interval);
- two groups are compared only through the interval of their *difference*, never by
  setting two separate intervals side by side;
- otherwise the sentence says the data cannot tell the effect (or the difference) from zero
  (verdict ``inconclusive``).

Whether a positive estimate means better service depends on the outcome: for days to finish
and complaints lower is better (:data:`LOWER_IS_BETTER`), and the sentence says "improved"
or "worsened" accordingly while the verdict keeps the sign of the number. Each finding
carries its sentence in Bahasa Indonesia and in English (``config/labels.yaml``), so the
findings table (``tables/findings.csv``) serves both reports.

Besides effects (:func:`effect_finding`) and differences (:func:`difference_finding`):
differences between people who completed a course and a comparison group, stated as such and
not as effects (:func:`association_finding`); whether a headline's verdict holds across
specifications (:func:`robustness_finding`); and, for simulated data, where the true value
lies against the interval (:func:`against_truth`).

Examples
--------
>>> f = effect_finding("effect_ikm", "ikm", 2.4, 1.3, 3.5, method="cs_did")
>>> f.verdict
'positive'
>>> f.sentence_en[:49]
'After the training, IKM rose by 2.40, an improvem'
>>> difference_finding("difference_mentoring", "ikm", 0.5, -1.3, 2.3,
...                    groups=("mentoring_with", "mentoring_without")).verdict
'inconclusive'

"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Literal, get_args

import numpy as np
import pandas as pd

from evalkit.labels import LANGS, Lang, code_label, format_number, label

#: What the interval says about the sign of an effect or difference.
Verdict = Literal["positive", "negative", "inconclusive"]
VERDICTS: tuple[Verdict, ...] = get_args(Verdict)

#: Columns of the findings table (``tables/findings.csv``), in order: the numbers, the
#: verdict, the units and observations behind the estimate, the sentences, and — for
#: simulated data only — the true value and the sentence comparing it with the interval.
FINDINGS_COLUMNS = ["topic", "outcome", "method", "estimate", "ci_low", "ci_high", "verdict",
                    "n_units", "n_obs", "truth", "sentence_id", "sentence_en",
                    "truth_sentence_id", "truth_sentence_en"]

#: Outcomes on which a fall is an improvement of service.
LOWER_IS_BETTER = frozenset({"rata_rata_hari", "complaints_per_1000"})


def verdict_of(ci_low: float | np.ndarray | pd.Series,
               ci_high: float | np.ndarray | pd.Series) -> str | np.ndarray:
    """Verdict of each interval: ``positive`` above zero, ``negative`` below, else inconclusive.

    An interval touching zero, or with a missing bound, is inconclusive.

    Examples
    --------
    >>> verdict_of(0.2, 1.5), verdict_of(-2.0, -0.1), verdict_of(-0.3, 0.4)
    ('positive', 'negative', 'inconclusive')
    >>> verdict_of(np.array([0.1, 0.0, np.nan]), np.array([1.0, 1.0, 1.0])).tolist()
    ['positive', 'inconclusive', 'inconclusive']

    """
    low = np.asarray(ci_low, dtype=float)
    high = np.asarray(ci_high, dtype=float)
    out = np.select([low > 0, high < 0], ["positive", "negative"], "inconclusive")
    return str(out) if out.ndim == 0 else out


@dataclass(frozen=True)
class Finding:
    """One result stated in words, with the numbers it rests on.

    Attributes
    ----------
    topic : str
        Stable code of the finding (``effect_ikm``, ``difference_mentoring``, …).
    outcome : str
        Outcome code of the estimate (``ikm``, ``complaints_per_1000``, …), or ``""``.
    estimate, ci_low, ci_high : float
        The estimate and its 95% confidence interval.
    verdict : {"positive", "negative", "inconclusive"}
        :func:`verdict_of` the interval.
    sentence_id, sentence_en : str
        The sentence in Bahasa Indonesia and in English.
    method : str
        Method code of the estimate (``cs_did``, ``aipw``, …), or ``""``.
    n_units, n_obs : int or None
        Units and observations the estimate used.
    truth : float
        The simulated true value (NaN for real data).
    truth_sentence_id, truth_sentence_en : str
        The truth set against the interval (:func:`against_truth`), ``""`` without truth.

    """

    topic: str
    outcome: str
    estimate: float
    ci_low: float
    ci_high: float
    verdict: Verdict
    sentence_id: str
    sentence_en: str
    method: str = ""
    n_units: int | None = None
    n_obs: int | None = None
    truth: float = float("nan")
    truth_sentence_id: str = ""
    truth_sentence_en: str = ""

    def sentence(self, lang: Lang) -> str:
        """The sentence in ``lang``."""
        return self.sentence_id if lang == "id" else self.sentence_en


def sentence_numbers(estimate: float, ci_low: float, ci_high: float, lang: Lang,
                     digits: int = 2) -> dict[str, str]:
    """The fields ``estimate``, ``size`` (absolute), ``low`` and ``high`` of a finding label.

    Examples
    --------
    >>> sentence_numbers(-1.5, -2.25, -0.75, "id")["size"]
    '1,50'

    """
    return {"estimate": format_number(estimate, digits, lang),
            "size": format_number(abs(estimate), digits, lang),
            "low": format_number(ci_low, digits, lang),
            "high": format_number(ci_high, digits, lang)}


def service_quality(outcome: str, verdict: str) -> str:
    """``better`` / ``worse`` / ``inconclusive``: what a verdict on ``outcome`` means for service.

    A rise is better except on outcomes where a fall is an improvement
    (:data:`LOWER_IS_BETTER`).

    Examples
    --------
    >>> service_quality("complaints_per_1000", "negative"), service_quality("ikm", "negative")
    ('better', 'worse')

    """
    if verdict not in ("positive", "negative"):
        return "inconclusive"
    up = verdict == "positive"
    return "better" if up != (outcome in LOWER_IS_BETTER) else "worse"


def effect_finding(topic: str, outcome: str, estimate: float, ci_low: float, ci_high: float,
                   *, method: str = "", subject: str | None = None, note: str | None = None,
                   digits: int = 2, n_units: int | None = None,
                   n_obs: int | None = None) -> Finding:
    """The finding on one effect: improved, worsened, or not told apart from zero.

    Parameters
    ----------
    topic : str
        Code of the finding, e.g. ``effect_ikm``.
    outcome : str
        Outcome code; its label (``outcome_<code>``) names it in the sentence.
    estimate, ci_low, ci_high : float
        The estimate and its 95% interval.
    method : str, optional
        Method code (``cs_did``, ``twfe``, …) named in the sentence.
    subject : str, optional
        Label key naming what was measured, instead of the outcome's label (e.g. the share
        rated Baik or better, for outcome ``skp_predikat``).
    note : str, optional
        A sentence appended to say what the comparison is (label ``finding_note_<note>``).
    digits : int, default 2
        Decimals of the numbers.
    n_units, n_obs : int, optional
        Units and observations the estimate used (recorded, not written in the sentence).

    Examples
    --------
    >>> f = effect_finding("effect_complaints", "complaints_per_1000", -1.2, -2.0, -0.4)
    >>> f.verdict, f.sentence_en[:46]
    ('negative', 'After the training, Complaints per 1000 applic')
    >>> "fell by 1.20, an improvement" in f.sentence_en
    True
    >>> effect_finding("effect_ikm", "ikm", 0.3, -0.8, 1.4).sentence_en[:36]
    'The data cannot tell the training’s '

    """
    verdict = verdict_of(ci_low, ci_high)
    quality = service_quality(outcome, verdict)

    def sentence(lang: Lang) -> str:
        named = label(subject, lang) if subject else code_label("outcome", outcome, lang)
        text = label(f"finding_effect_{quality}", lang, outcome=named,
                     change=label("change_rose" if estimate > 0 else "change_fell", lang),
                     method=f"{code_label('method', method, lang)}; " if method else "",
                     **sentence_numbers(estimate, ci_low, ci_high, lang, digits))
        return f"{text} {label(f'finding_note_{note}', lang)}" if note else text

    return Finding(topic, outcome, float(estimate), float(ci_low), float(ci_high), verdict,
                   *(sentence(lang) for lang in LANGS), method=method, n_units=n_units,
                   n_obs=n_obs)


def difference_finding(topic: str, outcome: str, estimate: float, ci_low: float,
                       ci_high: float, *, groups: tuple[str, str], method: str = "",
                       n_units: int | None = None, n_obs: int | None = None,
                       note: str | None = None,
                       note_values: Mapping[str, object] | None = None) -> Finding:
    """The finding on a difference of effects between two groups of units (``a`` minus ``b``).

    The interval must be that of the difference itself (unit bootstrap or joint influence
    functions): two overlapping or separate intervals of the groups say nothing about it.

    Parameters
    ----------
    topic : str
        Code of the finding, e.g. ``difference_mentoring``.
    outcome : str
        Outcome code.
    estimate, ci_low, ci_high : float
        Effect in group ``a`` minus effect in group ``b``, and its 95% interval.
    groups : (str, str)
        Codes of groups ``a`` and ``b`` (``mentoring_with``, ``difficulty_low``, …); their
        phrases are the labels ``group_in_<code>``.
    method, n_units, n_obs
        Recorded beside the finding (units in either group's estimate).
    note, note_values : optional
        A sentence appended (label ``finding_note_<note>``, filled with ``note_values``),
        e.g. that the interval is simultaneous over a family of comparisons.

    Examples
    --------
    >>> f = difference_finding("difference_difficulty", "ikm", 2.16, 0.47, 3.85,
    ...                        groups=("difficulty_low", "difficulty_high"))
    >>> f.verdict, f.sentence_en[:40]
    ('positive', 'The training improved IKM more in units ')

    """
    verdict = verdict_of(ci_low, ci_high)
    quality = service_quality(outcome, verdict)
    a, b = groups

    def sentence(lang: Lang) -> str:
        text = label(f"finding_difference_{quality}", lang,
                     outcome=code_label("outcome", outcome, lang),
                     a=label(f"group_in_{a}", lang), b=label(f"group_in_{b}", lang),
                     **sentence_numbers(estimate, ci_low, ci_high, lang))
        if note:
            text += " " + label(f"finding_note_{note}", lang, **(note_values or {}))
        return text

    return Finding(topic, outcome, float(estimate), float(ci_low), float(ci_high), verdict,
                   *(sentence(lang) for lang in LANGS), method=method, n_units=n_units,
                   n_obs=n_obs)


def association_finding(topic: str, outcome: str, estimate: float, ci_low: float,
                        ci_high: float, *, subject: str, comparison: str, note: str | None = None,
                        method: str = "", digits: int = 2, n_units: int | None = None,
                        n_obs: int | None = None) -> Finding:
    """The finding on a difference between staff who completed the course and a comparison.

    For estimates whose design compares people rather than a unit before and after its
    roll-out (AIPW within unit-years, alumni of other courses): the sentence states how the
    trained differ from ``comparison`` — higher, lower, or not told apart — and not that the
    training caused it; ``note`` says what could produce the difference without an effect.

    Parameters
    ----------
    topic, outcome : str
        Code of the finding and outcome code.
    estimate, ci_low, ci_high : float
        Trained minus comparison, and its 95% interval.
    subject : str
        Label key naming what was measured (``finding_subject_<…>``).
    comparison : str
        Label key of the comparison group (``finding_comparison_<…>``).
    note : str, optional
        Label key suffix of the caveat appended (``finding_note_<note>``).
    method, digits, n_units, n_obs
        As in :func:`effect_finding`.

    Examples
    --------
    >>> f = association_finding("individual_l3", "l3_application", 0.58, 0.53, 0.64,
    ...                         subject="finding_subject_l3_application",
    ...                         comparison="finding_comparison_other_courses")
    >>> f.verdict, f.sentence_en[:40]
    ('positive', 'The application score (level 3, supervis')

    """
    verdict = verdict_of(ci_low, ci_high)
    kind = {"positive": "higher", "negative": "lower"}.get(verdict, "inconclusive")

    def sentence(lang: Lang) -> str:
        named = label(subject, lang)
        text = label(f"finding_association_{kind}", lang, subject=named[:1].upper() + named[1:],
                     subject_lower=named, comparison=label(comparison, lang),
                     method=f"{code_label('method', method, lang)}; " if method else "",
                     **sentence_numbers(estimate, ci_low, ci_high, lang, digits))
        return f"{text} {label(f'finding_note_{note}', lang)}" if note else text

    return Finding(topic, outcome, float(estimate), float(ci_low), float(ci_high), verdict,
                   *(sentence(lang) for lang in LANGS), method=method, n_units=n_units,
                   n_obs=n_obs)


def robustness_finding(topic: str, outcome: str, headline: Verdict,
                       specifications: pd.DataFrame, *, method: str = "") -> Finding:
    """Whether the headline's conclusion holds under other specifications.

    The conclusion *holds* when every specification's interval gives the headline's
    verdict; the finding then carries that verdict, otherwise ``inconclusive`` and the
    sentence names the specifications that disagree with their verdicts.

    Parameters
    ----------
    topic, outcome : str
        Code of the finding (e.g. ``robustness``) and the headline's outcome.
    headline : {"positive", "negative", "inconclusive"}
        The headline's verdict.
    specifications : pandas.DataFrame
        One row per specification: ``specification_id``, ``specification_en`` (how it
        differs, in words), ``estimate``, ``ci_low``, ``ci_high``.
    method : str, optional
        Method code recorded beside the finding.

    Examples
    --------
    >>> specs = pd.DataFrame({"specification_id": ["a", "b"], "specification_en": ["a", "b"],
    ...                       "estimate": [2.0, 1.0], "ci_low": [1.0, -0.2],
    ...                       "ci_high": [3.0, 2.2]})
    >>> f = robustness_finding("robustness", "ikm", "positive", specs)
    >>> f.verdict, "does not hold under every specification" in f.sentence_en
    ('inconclusive', True)

    """
    verdicts = verdict_of(specifications["ci_low"].to_numpy(),
                          specifications["ci_high"].to_numpy())
    verdicts = np.atleast_1d(verdicts)
    holds = bool(len(verdicts)) and bool((verdicts == headline).all())
    low, high = specifications["estimate"].min(), specifications["estimate"].max()

    def sentence(lang: Lang) -> str:
        conclusion = label(f"finding_conclusion_{service_quality(outcome, headline)}", lang)
        if holds:
            return label("finding_robust_holds", lang,
                         outcome=code_label("outcome", outcome, lang), conclusion=conclusion,
                         n=len(verdicts), low=format_number(low, 2, lang),
                         high=format_number(high, 2, lang))
        differ = [f"{spec} ({label(f'finding_conclusion_{service_quality(outcome, v)}', lang)})"
                  for spec, v in zip(specifications[f"specification_{lang}"], verdicts, strict=True)
                  if v != headline]
        return label("finding_robust_fails", lang,
                     outcome=code_label("outcome", outcome, lang), conclusion=conclusion,
                     specifications="; ".join(differ))

    return Finding(topic, outcome, float("nan"), float("nan"), float("nan"),
                   headline if holds else "inconclusive", *(sentence(lang) for lang in LANGS),
                   method=method)


def against_truth(finding: Finding, truth: float | None, digits: int = 2) -> Finding:
    """The finding with the simulated truth set against its interval (unchanged if None).

    Examples
    --------
    >>> f = against_truth(effect_finding("effect_ikm", "ikm", 2.0, 1.0, 3.0), 2.5)
    >>> f.truth_sentence_en
    'The simulated true value, 2.50, lies inside the 95% confidence interval.'
    >>> against_truth(f, 3.5).truth_sentence_en[:51]
    'The simulated true value, 3.50, lies above the 95% '

    """
    if truth is None or pd.isna(truth) or pd.isna(finding.ci_low):
        return finding
    where = ("inside" if finding.ci_low <= truth <= finding.ci_high
             else "above" if truth > finding.ci_high else "below")
    text = {lang: label(f"finding_truth_{where}", lang, truth=format_number(truth, digits, lang))
            for lang in LANGS}
    return replace(finding, truth=float(truth), truth_sentence_id=text["id"],
                   truth_sentence_en=text["en"])


def findings_table(findings: Iterable[Finding]) -> pd.DataFrame:
    """The findings as a table with :data:`FINDINGS_COLUMNS` (``tables/findings.csv``).

    Examples
    --------
    >>> findings_table([effect_finding("effect_ikm", "ikm", 1.0, 0.2, 1.8)])[
    ...     ["topic", "verdict"]].to_dict("records")
    [{'topic': 'effect_ikm', 'verdict': 'positive'}]

    """
    rows = [asdict(f) for f in findings]
    table = pd.DataFrame(rows, columns=FINDINGS_COLUMNS)
    return table.astype({"n_units": "Int64", "n_obs": "Int64", "estimate": float,
                         "ci_low": float, "ci_high": float, "truth": float})


__all__ = ["FINDINGS_COLUMNS", "LOWER_IS_BETTER", "VERDICTS", "Finding", "Verdict",
           "against_truth", "association_finding", "difference_finding", "effect_finding",
           "findings_table", "robustness_finding", "sentence_numbers", "service_quality",
           "verdict_of"]
