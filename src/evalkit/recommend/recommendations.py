"""Every recommendation step on the processed tables, and its typed result.

:func:`recommend_all` runs the steps of :mod:`evalkit.recommend` on whatever processed tables
exist and returns :class:`Recommendations`: one attribute per result, ``None`` where an input
was missing, and ``missing`` saying which. The settings it ran with travel in the result
(:class:`RecommendSettings`), so a report built from it states the rules that were used.

Each recommendation that rests on an effect follows the verdict of that effect's finding
(:mod:`evalkit.findings`): the priorities rank by expected gain only when the headline
effect's interval establishes an improvement
(:func:`evalkit.recommend.priorities.effect_supports_gain`), and a training need is paired
with mentoring (form ``pelatihan_mentoring``) only when the finding ``difference_mentoring``
of notebook 04 says the training improved the outcome more where mentoring followed it
(:func:`finding_quality` is ``better``). Without that evidence the form is
``pelatihan_mentoring_uji`` (mentoring only as a trial to evaluate), or ``pelatihan`` when the
finding says the effect was smaller with mentoring.

Examples
--------
>>> recs = recommend_all({})
>>> recs.needs is None, recs.missing["needs"], recs.settings.mentor_capacity
(True, ['skm'], 3)

"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from evalkit.findings import service_quality
from evalkit.panel import COHORT_THRESHOLD
from evalkit.recommend.mentoring import (
    assign_mentors,
    eligible_mentors,
    mentoring_summary,
    select_mentees,
)
from evalkit.recommend.needs import element_gaps, jp_gaps, load_catalog, training_needs
from evalkit.recommend.priorities import (
    EFFECT_METHODS,
    effect_supports_gain,
    recent_periods,
    select_effect,
    unit_priorities,
)
from evalkit.recommend.transfer import transfer_by_unit

#: Topic of the finding (notebook 04's ``findings`` table) on the effect with mentoring minus
#: the effect without it; the mentoring form of a training need rests on it.
MENTORING_TOPIC = "difference_mentoring"

#: Form of a training need by the verdict of :data:`MENTORING_TOPIC` for a unit where training
#: transferred poorly: mentoring with the course only when the difference is established in
#: the better direction; as a trial to evaluate when the data cannot tell; not at all when
#: the effect was smaller with mentoring.
MENTORING_FORMS: dict[str, str] = {"better": "pelatihan_mentoring",
                                   "inconclusive": "pelatihan_mentoring_uji",
                                   "worse": "pelatihan"}


def finding_of(findings: pd.DataFrame | None, topic: str,
               outcome: str = "ikm") -> pd.Series | None:
    """Return the row of ``findings`` on ``topic`` (for ``outcome`` if several), or None.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"topic": ["effect_ikm", "difference_mentoring"],
    ...                   "outcome": "ikm", "verdict": ["positive", "inconclusive"]})
    >>> finding_of(f, "difference_mentoring")["verdict"]
    'inconclusive'
    >>> finding_of(None, "difference_mentoring") is None
    True

    """
    if findings is None or "topic" not in findings.columns:
        return None
    rows = findings[findings["topic"].astype("str").eq(topic)]
    if "outcome" in rows.columns and rows["outcome"].astype("str").eq(outcome).any():
        rows = rows[rows["outcome"].astype("str").eq(outcome)]
    return rows.iloc[0] if len(rows) else None


def finding_quality(finding: pd.Series | Mapping | None) -> str:
    """``better``, ``worse`` or ``inconclusive``: what a finding's verdict means for service.

    A ``positive`` verdict is better except on outcomes where a fall is an improvement
    (:data:`evalkit.findings.LOWER_IS_BETTER`); a missing finding is inconclusive.

    Examples
    --------
    >>> finding_quality({"outcome": "ikm", "verdict": "positive"})
    'better'
    >>> finding_quality({"outcome": "complaints_per_1000", "verdict": "positive"})
    'worse'
    >>> finding_quality(None)
    'inconclusive'

    """
    if finding is None:
        return "inconclusive"
    return service_quality(str(finding["outcome"]), finding["verdict"])


@dataclass(frozen=True)
class RecommendSettings:
    """The rules :func:`recommend_all` ran with.

    Attributes
    ----------
    n_periods : int
        Element gaps use the latest ``n_periods`` quarters of the survey.
    mentor_capacity : int
        At most this many mentees per mentor.
    mentor_min_tenure : int
        A mentor has at least this many years of service.
    l3_threshold : float
        An alumnus scoring below it at level 3 (1–5) is a mentee.
    alpha : float
        1 − confidence level of the intervals of the element gaps and transfer shares.
    transfer_min_n : int
        A unit's transfer is judged only when at least this many alumni answered.
    cohort_threshold : float
        Share of a unit's staff trained at which the unit counts as reached.
    effect_outcome : str
        Outcome code of the effect that drives the priorities.
    effect_methods : tuple of str
        Method codes in order of preference for that effect.

    Examples
    --------
    >>> RecommendSettings().effect_methods[0]
    'cs_did'

    """

    n_periods: int = 4
    mentor_capacity: int = 3
    mentor_min_tenure: int = 5
    l3_threshold: float = 3.0
    alpha: float = 0.05
    transfer_min_n: int = 5
    cohort_threshold: float = COHORT_THRESHOLD
    effect_outcome: str = "ikm"
    effect_methods: tuple[str, ...] = EFFECT_METHODS


@dataclass(frozen=True, eq=False)
class Recommendations:
    """What :func:`recommend_all` found; ``None`` where the step's inputs were missing.

    Attributes
    ----------
    settings : RecommendSettings
        The rules used.
    periods : list of str or None
        The survey quarters of the element gaps (latest ``settings.n_periods``).
    element_gaps : DataFrame or None
        Unit × element NRR against the city
        (:func:`evalkit.recommend.needs.element_gaps`).
    jp : DataFrame or None
        20-JP compliance and shortfall per unit (:func:`evalkit.recommend.needs.jp_gaps`).
    transfer : DataFrame or None
        Level-3 transfer per unit (:func:`evalkit.recommend.transfer.transfer_by_unit`).
    needs : DataFrame or None
        Ranked training needs per unit (:func:`evalkit.recommend.needs.training_needs`).
    mentees : DataFrame or None
        Alumni for whom training did not transfer, with their current unit and post.
    mentors : DataFrame or None
        Every person of the roster with ``eligible`` and the first rule not met
        (:func:`evalkit.recommend.mentoring.eligible_mentors`).
    mentor_courses : DataFrame or None
        Courses each eligible mentor may mentor in.
    pairs : DataFrame or None
        The mentoring plan: ``unit``, ``pid_mentor``, ``pid_mentee``, ``nama_pelatihan``,
        ``skor_pasangan`` (pseudonyms: restricted, never published).
    mentoring_summary : DataFrame or None
        Counts of the plan per unit, not yet suppressed.
    effect : Series or None
        The row of ``effects`` the priorities rest on
        (:func:`evalkit.recommend.priorities.select_effect`).
    effect_supported : bool or None
        Whether that effect's interval establishes an improvement (the priorities then rank
        by expected gain, else by need); ``None`` without an effect.
    priorities : DataFrame or None
        Units ranked by expected IKM gain, or by need when the gain is not established
        (:func:`evalkit.recommend.priorities.unit_priorities`).
    findings : DataFrame or None
        Notebook 04's ``findings`` table (:data:`evalkit.findings.FINDINGS_COLUMNS`), when
        present.
    mentoring_finding : Series or None
        Its row on :data:`MENTORING_TOPIC`, the evidence for pairing training with mentoring.
    mentoring_form : str
        The form given to a need where training transferred poorly
        (:data:`MENTORING_FORMS` by that finding's quality).
    missing : dict
        Step (``needs``, ``mentoring``, ``priorities``) → the missing tables, or the reason
        the step could not run, so a report can say what is absent and why.

    Examples
    --------
    >>> Recommendations(RecommendSettings()).pairs is None
    True

    """

    settings: RecommendSettings
    periods: list[str] | None = None
    element_gaps: pd.DataFrame | None = None
    jp: pd.DataFrame | None = None
    transfer: pd.DataFrame | None = None
    needs: pd.DataFrame | None = None
    mentees: pd.DataFrame | None = None
    mentors: pd.DataFrame | None = None
    mentor_courses: pd.DataFrame | None = None
    pairs: pd.DataFrame | None = None
    mentoring_summary: pd.DataFrame | None = None
    effect: pd.Series | None = None
    effect_supported: bool | None = None
    priorities: pd.DataFrame | None = None
    findings: pd.DataFrame | None = None
    mentoring_finding: pd.Series | None = None
    mentoring_form: str = MENTORING_FORMS["inconclusive"]
    missing: dict[str, list[str]] = field(default_factory=dict)


def recommend_all(tables: Mapping[str, pd.DataFrame | None], *, n_periods: int = 4,
                  mentor_capacity: int = 3, mentor_min_tenure: int = 5,
                  l3_threshold: float = 3.0, alpha: float = 0.05, transfer_min_n: int = 5,
                  cohort_threshold: float = COHORT_THRESHOLD, effect_outcome: str = "ikm",
                  effect_methods: Sequence[str] = EFFECT_METHODS) -> Recommendations:
    """Run every recommendation step on the processed tables that are available.

    Parameters
    ----------
    tables : mapping name → DataFrame or None
        Processed tables by their names in ``data/processed`` (``skm``, ``pegawai``,
        ``pelatihan``, ``skp``, ``evaluasi_pasca_pelatihan``, ``training_asn_year``,
        ``panel_unit_period``, ``effects``, ``findings``); a missing one is ``None`` or
        absent.
    n_periods : int, default 4
        Element gaps use the latest ``n_periods`` quarters of the survey (current needs).
    mentor_capacity, mentor_min_tenure, l3_threshold, alpha
        See :func:`evalkit.recommend.mentoring.assign_mentors`,
        :func:`~evalkit.recommend.mentoring.eligible_mentors`,
        :func:`~evalkit.recommend.mentoring.select_mentees`,
        :func:`evalkit.recommend.needs.element_gaps`.
    transfer_min_n : int, default 5
        See ``min_n`` of :func:`evalkit.recommend.transfer.transfer_by_unit`.
    cohort_threshold : float, default :data:`evalkit.panel.COHORT_THRESHOLD`
        Coverage at which a unit counts as reached
        (see :func:`evalkit.recommend.priorities.unit_priorities`).
    effect_outcome, effect_methods
        See :func:`evalkit.recommend.priorities.select_effect`.

    Returns
    -------
    Recommendations
        Every result, ``None`` where inputs were missing, and ``missing``.

    Examples
    --------
    >>> out = recommend_all({})
    >>> out.needs is None, out.missing["needs"]
    (True, ['skm'])

    """
    settings = RecommendSettings(
        n_periods=n_periods, mentor_capacity=mentor_capacity,
        mentor_min_tenure=mentor_min_tenure, l3_threshold=l3_threshold, alpha=alpha,
        transfer_min_n=transfer_min_n, cohort_threshold=cohort_threshold,
        effect_outcome=effect_outcome, effect_methods=tuple(effect_methods))

    def get(name: str) -> pd.DataFrame | None:
        table = tables.get(name)
        return table if table is not None and len(table.columns) else None

    out: dict[str, object] = {}
    missing: dict[str, list[str]] = {}

    def need(step: str, *names: str) -> bool:
        absent = [n for n in names if get(n) is None]
        if absent:
            missing[step] = absent
        return not absent

    if get("training_asn_year") is not None:
        out["jp"] = jp_gaps(get("training_asn_year"))
    if get("evaluasi_pasca_pelatihan") is not None:
        out["transfer"] = transfer_by_unit(get("evaluasi_pasca_pelatihan"), alpha=alpha,
                                           min_n=transfer_min_n)
    out["findings"] = get("findings")
    out["mentoring_finding"] = finding_of(out["findings"], MENTORING_TOPIC, effect_outcome)
    out["mentoring_form"] = MENTORING_FORMS[finding_quality(out["mentoring_finding"])]
    if need("needs", "skm"):
        skm = get("skm")
        out["periods"] = recent_periods(skm["period"], n_periods)
        out["element_gaps"] = element_gaps(skm[skm["period"].astype("str").isin(out["periods"])],
                                           alpha=alpha)
        needs = training_needs(out["element_gaps"], load_catalog(), out.get("jp"),
                               out.get("transfer"))
        # Mentoring with the course only as far as the mentoring finding supports it.
        needs["bentuk"] = needs["bentuk"].replace("pelatihan_mentoring", out["mentoring_form"])
        out["needs"] = needs
    if need("mentoring", "evaluasi_pasca_pelatihan", "pegawai", "skp", "pelatihan"):
        pegawai = get("pegawai")
        active = pegawai.loc[pegawai["status"].astype("str").eq("Aktif"), "pid"]
        mentees = select_mentees(get("evaluasi_pasca_pelatihan"), l3_threshold=l3_threshold,
                                 active_pids=active)
        # The current unit and post come from the roster (people move between units).
        mentees = mentees.drop(columns="unit").merge(
            pegawai[["pid", "unit", "jenis_jabatan"]], on="pid", how="inner",
            validate="one_to_one").sort_values(["unit", "pid"]).reset_index(drop=True)
        mentors, courses = eligible_mentors(pegawai, get("skp"), get("pelatihan"),
                                            get("evaluasi_pasca_pelatihan"),
                                            min_tenure=mentor_min_tenure,
                                            exclude_pids=mentees["pid"])
        pairs = assign_mentors(mentees, mentors, courses, capacity=mentor_capacity)
        out.update(mentees=mentees, mentors=mentors, mentor_courses=courses, pairs=pairs,
                   mentoring_summary=mentoring_summary(mentees, mentors, pairs))
    if need("priorities", "effects", "panel_unit_period"):
        try:
            out["effect"] = select_effect(get("effects"), outcome=effect_outcome,
                                          methods=effect_methods)
        except ValueError as exc:
            missing["priorities"] = [str(exc)]
        else:
            out["effect_supported"] = effect_supports_gain(out["effect"])
            out["priorities"] = unit_priorities(get("panel_unit_period"), out["effect"],
                                                target=cohort_threshold)
    return Recommendations(settings=settings, missing=missing, **out)


__all__ = ["MENTORING_FORMS", "MENTORING_TOPIC", "RecommendSettings", "Recommendations",
           "finding_of", "finding_quality", "recommend_all"]
