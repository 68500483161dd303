"""Recommendations: training needs per unit, mentor–mentee matching, unit priorities.

Three questions, each answered by small functions that take DataFrames and return new ones,
in one module each:

1. **Which training does each unit need?** :mod:`evalkit.recommend.needs` — element gaps
   against the city with confidence intervals, the 20-JP gap, the ranked needs mapped
   through ``config/training_catalog.yaml``; :mod:`evalkit.recommend.transfer` — how well
   earlier training transferred to the job (Kirkpatrick level 3).
2. **Who should mentor whom?** :mod:`evalkit.recommend.mentoring` — mentees, eligible
   mentors and the assignment problem.
3. **Where does more training pay most?** :mod:`evalkit.recommend.priorities` — an effect
   estimate of notebook 04 times each unit's remaining coverage gap, when its interval
   establishes an improvement; otherwise the units in order of need.

Recommendations that rest on an effect follow the verdicts of notebook 04's findings
(:mod:`evalkit.findings`): mentoring is paired with a course only when ``difference_mentoring``
supports it (:func:`finding_quality` of that finding is ``better``).

:func:`recommend_all` (:mod:`evalkit.recommend.recommendations`) runs them all on the
processed tables and returns a typed :class:`Recommendations`.

Examples
--------
>>> recs = recommend_all({})  # no processed table yet: every step says what it lacks
>>> sorted(recs.missing), recs.settings.effect_methods
(['mentoring', 'needs', 'priorities'], ('cs_did', 'twfe', 'aipw', 'ipw'))

"""

from evalkit.recommend.mentoring import (
    MENTOR_PREDIKAT,
    assign_mentors,
    check_mentoring_plan,
    eligibility_overview,
    eligible_mentors,
    mentoring_summary,
    pair_scores,
    select_mentees,
    solve_assignment,
)
from evalkit.recommend.needs import (
    CATALOG_KINDS,
    element_gaps,
    gap_overview,
    jp_gaps,
    load_catalog,
    needs_overview,
    training_needs,
)
from evalkit.recommend.priorities import (
    EFFECT_METHODS,
    PRIORITY_BASES,
    effect_supports_gain,
    recent_periods,
    select_effect,
    unit_priorities,
)
from evalkit.recommend.recommendations import (
    MENTORING_FORMS,
    MENTORING_TOPIC,
    Recommendations,
    RecommendSettings,
    finding_of,
    finding_quality,
    recommend_all,
)
from evalkit.recommend.transfer import transfer_by_unit

__all__ = [
    "CATALOG_KINDS", "EFFECT_METHODS", "MENTORING_FORMS", "MENTORING_TOPIC", "MENTOR_PREDIKAT",
    "PRIORITY_BASES", "RecommendSettings", "Recommendations", "assign_mentors",
    "check_mentoring_plan", "effect_supports_gain", "element_gaps", "eligibility_overview",
    "eligible_mentors", "finding_of", "finding_quality", "gap_overview", "jp_gaps",
    "load_catalog", "mentoring_summary", "needs_overview", "pair_scores",
    "recent_periods",
    "recommend_all", "select_effect", "select_mentees", "solve_assignment", "training_needs",
    "transfer_by_unit", "unit_priorities",
]
