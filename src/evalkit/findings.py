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

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd

from evalkit.labels import LANGS, Lang, code_label, format_number, label

#: What the interval says about the sign of an effect or difference.
Verdict = Literal["positive", "negative", "inconclusive"]
VERDICTS: tuple[Verdict, ...] = get_args(Verdict)

#: Columns of the findings table (``tables/findings.csv``), in order.
FINDINGS_COLUMNS = ["topic", "outcome", "estimate", "ci_low", "ci_high", "verdict",
                    "sentence_id", "sentence_en"]

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

    """

    topic: str
    outcome: str
    estimate: float
    ci_low: float
    ci_high: float
    verdict: Verdict
    sentence_id: str
    sentence_en: str

    def sentence(self, lang: Lang) -> str:
        """The sentence in ``lang``."""
        return self.sentence_id if lang == "id" else self.sentence_en


def _numbers(estimate: float, ci_low: float, ci_high: float, lang: Lang) -> dict[str, str]:
    return {"estimate": format_number(estimate, 2, lang),
            "size": format_number(abs(estimate), 2, lang),
            "low": format_number(ci_low, 2, lang), "high": format_number(ci_high, 2, lang)}


def _quality(outcome: str, verdict: str) -> str:
    """``better`` / ``worse`` / ``inconclusive``: what the verdict means for the service."""
    if verdict == "inconclusive":
        return verdict
    up = verdict == "positive"
    return "better" if up != (outcome in LOWER_IS_BETTER) else "worse"


def effect_finding(topic: str, outcome: str, estimate: float, ci_low: float, ci_high: float,
                   *, method: str = "") -> Finding:
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
    quality = _quality(outcome, verdict)

    def sentence(lang: Lang) -> str:
        return label(f"finding_effect_{quality}", lang,
                     outcome=code_label("outcome", outcome, lang),
                     change=label("change_rose" if estimate > 0 else "change_fell", lang),
                     method=f"{code_label('method', method, lang)}; " if method else "",
                     **_numbers(estimate, ci_low, ci_high, lang))

    return Finding(topic, outcome, float(estimate), float(ci_low), float(ci_high), verdict,
                   *(sentence(lang) for lang in LANGS))


def difference_finding(topic: str, outcome: str, estimate: float, ci_low: float,
                       ci_high: float, *, groups: tuple[str, str]) -> Finding:
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

    Examples
    --------
    >>> f = difference_finding("difference_difficulty", "ikm", 2.16, 0.47, 3.85,
    ...                        groups=("difficulty_low", "difficulty_high"))
    >>> f.verdict, f.sentence_en[:40]
    ('positive', 'The training improved IKM more in units ')

    """
    verdict = verdict_of(ci_low, ci_high)
    quality = _quality(outcome, verdict)
    a, b = groups

    def sentence(lang: Lang) -> str:
        return label(f"finding_difference_{quality}", lang,
                     outcome=code_label("outcome", outcome, lang),
                     a=label(f"group_in_{a}", lang), b=label(f"group_in_{b}", lang),
                     **_numbers(estimate, ci_low, ci_high, lang))

    return Finding(topic, outcome, float(estimate), float(ci_low), float(ci_high), verdict,
                   *(sentence(lang) for lang in LANGS))


def findings_table(findings: Iterable[Finding]) -> pd.DataFrame:
    """The findings as a table with :data:`FINDINGS_COLUMNS` (``tables/findings.csv``).

    Examples
    --------
    >>> findings_table([effect_finding("effect_ikm", "ikm", 1.0, 0.2, 1.8)])[
    ...     ["topic", "verdict"]].to_dict("records")
    [{'topic': 'effect_ikm', 'verdict': 'positive'}]

    """
    rows = [asdict(f) for f in findings]
    return pd.DataFrame(rows, columns=FINDINGS_COLUMNS)


__all__ = ["FINDINGS_COLUMNS", "LOWER_IS_BETTER", "VERDICTS", "Finding", "Verdict",
           "difference_finding", "effect_finding", "findings_table", "verdict_of"]
