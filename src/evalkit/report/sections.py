"""The sections of ``summary.html``: one function per section, each returning its context.

A section function takes the published tables (:func:`evalkit.report.tables.report_tables`),
the recommendations where it needs them, and the :class:`Page` being written (language,
processed folder as shown, run folder for the figures, cell-size rule). It returns a dict of
everything its part of the template shows — every key present, ``None`` where there is
nothing to show — and, under ``findings``, its items for the key findings at the top
(``{"text": sentence, "verdict": code or None}``). A section whose input is missing says which
notebook to run.

Every sentence that states a result is generated from numbers by a written rule: the
findings on effects are those of notebook 04's findings table (:mod:`evalkit.findings`: a
direction only when the 95% interval excludes zero, a comparison of groups only from the
interval of their difference), published as ``temuan``; the transfer sentence counts the
units whose Wilson interval lies above the city's share; the priorities and the mentoring
plan say whether the finding they rest on is established.

Examples
--------
>>> import tempfile
>>> from evalkit.recommend import recommend_all
>>> page = Page(lang="en", folder="processed", output_dir=tempfile.mkdtemp())
>>> ikm_section({}, page)["missing"][:31]
'This section is not available: '

"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib.figure
import matplotlib.pyplot as plt
import pandas as pd

from evalkit import __version__
from evalkit.findings import VERDICTS, verdict_of
from evalkit.ikm import GRADE_FLOORS, kinerja
from evalkit.labels import Lang, code_label, label
from evalkit.outputs import png_data_uri, save_figure
from evalkit.privacy import published_total
from evalkit.recommend import MENTORING_TOPIC, Recommendations, finding_quality
from evalkit.report.figures import (
    plot_effects,
    plot_element_gaps,
    plot_ikm_units,
    plot_priorities,
    plot_transfer,
)
from evalkit.report.formatting import format_number, html_table, interval_text
from evalkit.report.inputs import REPORT_INPUTS
from evalkit.training import MIN_JP_PER_YEAR, MINUTES_PER_JP

#: Topic of the headline finding, listed first among the key findings on effects.
HEADLINE_TOPIC = "effect_ikm"

#: Share of units a flag at the lower bound of a 95% two-sided interval marks by chance
#: alone when the unit's true share equals the city's (one tail of 5%).
CHANCE_FLAG_RATE = 0.025


def finding_item(text: str, verdict: str | None = None) -> dict[str, str | None]:
    """One key finding as the template shows it: the sentence and its verdict (or None).

    Examples
    --------
    >>> finding_item("IKM rose.", "positive")
    {'text': 'IKM rose.', 'verdict': 'positive'}

    """
    return {"text": text, "verdict": verdict if verdict in VERDICTS else None}


@dataclass(frozen=True)
class Page:
    """The report page being written: its language, folders and cell-size rule.

    Attributes
    ----------
    lang : {"id", "en"}
        Language of every text and number.
    folder : str
        The processed folder as the report names it (see
        :func:`evalkit.report.inputs.display_path`).
    output_dir : path
        The run folder; figures are saved into its ``figures/``.
    min_cell_size : int
        Published cells rest on at least this many people.

    Examples
    --------
    >>> Page(lang="id", folder="data/processed", output_dir=".").num(1234.5, 1)
    '1.234,5'

    """

    lang: Lang
    folder: str
    output_dir: str | os.PathLike[str]
    min_cell_size: int = 5

    def t(self, key: str, **fields: object) -> str:
        """Return a label in the page's language."""
        return label(key, self.lang, **fields)

    def num(self, value: object, decimals: int = 2, percent: bool = False) -> str:
        """Return a number in the page's language."""
        return format_number(value, decimals, self.lang, percent=percent)

    def missing(self, table: str) -> str:
        """Return the note of a section whose input ``table`` was not found."""
        return self.t("missing_input", table=table, folder=self.folder,
                      notebook=REPORT_INPUTS.get(table, "01-clean-raw-data"))

    def figure(self, fig: matplotlib.figure.Figure, name: str) -> str:
        """Save ``fig`` into the run's ``figures/`` (PNG and SVG); return the PNG as data URI."""
        png, _ = save_figure(fig, name, Path(self.output_dir))
        plt.close(fig)
        return png_data_uri(png)


def ikm_section(published: Mapping[str, pd.DataFrame], page: Page) -> dict[str, Any]:
    """Headline IKM of the city and each unit's latest IKM and grade.

    Examples
    --------
    >>> import pandas as pd
    >>> city = pd.DataFrame({"period": ["2024Q4"], "n_responses": [300], "ikm": [81.2],
    ...                      "ikm_ci_low": [80.0], "ikm_ci_high": [82.4], "mutu": ["B"]})
    >>> ikm_section({"ikm_kota": city}, Page("en", "p", "."))["findings"][0]["text"][:32]
    'City IKM in 2024Q4: 81.20 (grade'

    """
    t, num = page.t, page.num
    out: dict[str, Any] = {"findings": [], "table": None, "figure": None, "missing": None}
    city = published.get("ikm_kota")
    units = published.get("ikm_unit_terkini")
    if city is not None and len(city) and pd.notna(city["ikm"].iloc[0]):
        row = city.iloc[0]
        out["findings"].append(finding_item(t(
            "finding_ikm", period=row["period"], ikm=num(row["ikm"]), mutu=row["mutu"],
            kinerja=kinerja(row["mutu"], lang=page.lang), low=num(row["ikm_ci_low"]),
            high=num(row["ikm_ci_high"]), n=num(row["n_responses"], 0))))
    if units is None:
        out["missing"] = page.missing("ikm_unit_period")
        return out
    period = units["period"].iloc[0] if len(units) else ""
    grades = units["mutu"].dropna().value_counts().sort_index()
    out["findings"].append(finding_item(t("finding_grades", period=period, grades=", ".join(
        f"{code_label('mutu', g, page.lang)}: {n}" for g, n in grades.items()))))
    out["table"] = html_table(units, page.lang, ["unit", "n_responses", "ikm", "ikm_ci_low",
                                                 "ikm_ci_high", "mutu", "sample_adequate"])
    out["figure"] = page.figure(plot_ikm_units(units, page.lang), "summary_ikm_units")
    return out


def effect_findings(findings: pd.DataFrame | None, lang: Lang = "id") -> list[dict]:
    """Return the key findings on effects: the findings table's sentences in ``lang``.

    ``findings`` has :data:`evalkit.findings.FINDINGS_COLUMNS` (notebook 04's table, or the
    one :func:`evalkit.report.tables.report_tables` generated from the ``effects`` rows); the
    headline (:data:`HEADLINE_TOPIC`) comes first, the others keep their order. Each item
    carries its verdict, shown beside it.

    Examples
    --------
    >>> from evalkit.findings import effect_finding, findings_table
    >>> table = findings_table([effect_finding("effect_ikm", "ikm", 0.3, -0.8, 1.4)])
    >>> item = effect_findings(table, "en")[0]
    >>> item["verdict"], item["text"][:36]
    ('inconclusive', 'The data cannot tell the training’s ')

    """
    if findings is None or not len(findings):
        return []
    column = f"sentence_{lang}"
    rows = (findings.assign(_later=findings["topic"].astype("str").ne(HEADLINE_TOPIC))
            .sort_values("_later", kind="mergesort"))
    rows = rows[rows[column].notna() & rows[column].astype("str").str.strip().ne("")]
    return [finding_item(text, verdict)
            for text, verdict in zip(rows[column].astype("str"), rows["verdict"], strict=True)]


def effects_section(published: Mapping[str, pd.DataFrame], recs: Recommendations, page: Page,
                    *, simulated: bool = False) -> dict[str, Any]:
    """Show what the training did: the estimates, the one the priorities use, subgroups.

    The key findings are the sentences of the published findings table (``temuan``, see
    :func:`effect_findings`): a direction only where the interval excludes zero, a
    comparison of subgroups only from the interval of their difference — never two
    subgroup intervals side by side. The table lists every estimate of the outcome the
    priorities use (methods side by side, subgroups) and, for the other outcomes, the same
    method's overall effect; the workbook
    has them all. The figure shows the IKM estimates on one axis. The true value is shown
    only for simulated data.

    Examples
    --------
    >>> from evalkit.recommend import recommend_all
    >>> out = effects_section({}, recommend_all({}), Page("en", "p", "."))
    >>> "04-training-effects" in out["missing"], out["table"] is None
    (True, True)

    """
    out: dict[str, Any] = {"findings": [], "table": None, "figure": None, "missing": None,
                           "show_truth": False}
    effects = published.get("efek_pelatihan")
    if effects is None:
        out["missing"] = page.missing("effects")
        return out
    show_truth = simulated and "truth" in effects.columns
    effect = recs.effect
    shown = effects
    if effect is not None:
        main = (effects["method"].eq(effect["method"])
                & effects["estimand"].astype("str").eq(str(effect.get("estimand", ""))))
        shown = effects[effects["outcome"].eq(effect["outcome"]) | main]
        shown = shown.assign(_first=shown["outcome"].ne(effect["outcome"])).sort_values(
            ["_first", "outcome"], kind="mergesort")
    cols = ["outcome", "method", "estimand", "estimate", "ci_low", "ci_high"]
    out["table"] = html_table(shown, page.lang, cols + (["truth"] if show_truth else []))
    # One axis, one scale: the figure shows the IKM estimates when there are any.
    on_ikm = effects[effects["outcome"].astype("str") == "ikm"]
    out["figure"] = page.figure(plot_effects(on_ikm if len(on_ikm) else effects, page.lang,
                                             show_truth), "summary_effects")
    out["show_truth"] = show_truth
    out["findings"] = effect_findings(published.get("temuan"), page.lang)
    return out


def transfer_section(published: Mapping[str, pd.DataFrame], recs: Recommendations,
                     page: Page) -> dict[str, Any]:
    """Show where training did not transfer: the flagged units and the city's share.

    The city's share of difficulty is the one the units were judged against
    (``share_kesulitan_kota`` of :func:`evalkit.recommend.transfer.transfer_by_unit`: every
    alumnus who answered the question). The sentence states the rule with its counts: the
    units judged (enough answers), those whose 95% Wilson interval lies wholly above the
    city's share, and how many of the judged units such a flag marks by chance alone
    (:data:`CHANCE_FLAG_RATE`; no correction across units).

    Examples
    --------
    >>> from evalkit.recommend import recommend_all
    >>> transfer_section({}, recommend_all({}), Page("en", "p", "."))["table"] is None
    True

    """
    out: dict[str, Any] = {"findings": [], "table": None, "figure": None, "missing": None}
    transfer = published.get("transfer_l3_unit")
    if transfer is None or recs.transfer is None:
        out["missing"] = page.missing("evaluasi_pasca_pelatihan")
        return out
    share_city = recs.transfer["share_kesulitan_kota"].iloc[0] if len(recs.transfer) else None
    weak = transfer[transfer["transfer_lemah"].astype(bool)]
    n_judged = int(recs.transfer["n_menjawab"].ge(recs.settings.transfer_min_n).sum())
    key = "finding_transfer" if len(weak) else "finding_transfer_none"
    out["findings"].append(finding_item(page.t(
        key, share=page.num(share_city, 0, True), n_units=len(weak), n_judged=n_judged,
        min_n=recs.settings.transfer_min_n,
        chance=page.num(n_judged * CHANCE_FLAG_RATE, 1))))
    out["table"] = html_table(
        weak.sort_values("share_kesulitan", ascending=False), page.lang,
        ["unit", "n_alumni", "l3_skor", "share_kesulitan", "ci_low", "ci_high"],
        formats={"ci_low": ("pct", 0), "ci_high": ("pct", 0)})
    out["figure"] = page.figure(plot_transfer(transfer, page.lang), "summary_transfer")
    return out


def interviews_section(published: Mapping[str, pd.DataFrame], page: Page) -> dict[str, Any]:
    """Why: interview themes by informants and the redacted quotes of the "why" themes.

    Examples
    --------
    >>> interviews_section({}, Page("en", "p", "."))["missing"]
    'No interview coding available yet (notebook 05).'

    """
    out: dict[str, Any] = {"themes_table": None, "quotes": None, "missing": None}
    if "tema_wawancara" in published:
        out["themes_table"] = html_table(published["tema_wawancara"], page.lang,
                                         ["tema", "n_informan_tema", "proporsi"])
    if "kutipan_wawancara" in published:
        quotes = published["kutipan_wawancara"]
        out["quotes"] = list(zip(quotes["tema"].map(lambda c: code_label("tema", c, page.lang)),
                                 quotes["kutipan"], strict=True))
    if out["themes_table"] is None and out["quotes"] is None:
        out["missing"] = page.t("no_interviews")
    return out


def priorities_section(published: Mapping[str, pd.DataFrame], recs: Recommendations,
                       page: Page) -> dict[str, Any]:
    """Rank the units: the ten where reaching them with training gains most, or most in need.

    When the headline effect's interval establishes an improvement
    (``recs.effect_supported``), the units are ranked by expected gain; otherwise the intro
    says, with the effect's finding, that the gain is not established, and the units are
    listed by need (coverage gap, then lower IKM) without a gain figure.

    Examples
    --------
    >>> from evalkit.recommend import recommend_all
    >>> out = priorities_section({}, recommend_all({}), Page("en", "p", "."))
    >>> "effects" in out["missing"]
    True

    """
    target = page.num(recs.settings.cohort_threshold, 0, True)
    out: dict[str, Any] = {"intro": page.t("priorities_intro", target=target),
                           "table": None, "figure": None, "missing": None}
    prio = published.get("prioritas_unit")
    by_gain = recs.effect_supported is not False
    if recs.effect is not None and not by_gain:
        effect = recs.effect
        quality = finding_quality({"outcome": effect["outcome"],
                                   "verdict": verdict_of(effect["ci_low"], effect["ci_high"])})
        out["intro"] = page.t(f"priorities_intro_{quality}", target=target,
                              estimate=page.num(effect["estimate"]),
                              low=page.num(effect["ci_low"]), high=page.num(effect["ci_high"]),
                              method=code_label("method", effect["method"], page.lang))
    if prio is None:
        reason = "; ".join(recs.missing.get("priorities", [])) or "effects"
        out["missing"] = page.t("priorities_unavailable", reason=page.missing(reason)
                                if reason in REPORT_INPUTS else reason)
        return out
    if by_gain:
        out["table"] = html_table(prio.head(10), page.lang, [
            "peringkat", "unit", "ikm", "cakupan", "kesenjangan", "perkiraan_kenaikan",
            "ci_low", "ci_high"])
        out["figure"] = page.figure(plot_priorities(prio, page.lang), "summary_priorities")
    else:  # no gain figure: a point estimate whose interval includes zero is no ranking
        out["table"] = html_table(prio.head(10), page.lang,
                                  ["peringkat", "unit", "ikm", "cakupan", "kesenjangan"])
    return out


def needs_section(published: Mapping[str, pd.DataFrame], page: Page,
                  needs_per_unit: int = 3) -> dict[str, Any]:
    """Training needs per unit: the top ``needs_per_unit`` lines of each, in priority order.

    Compact view: the element gap with its interval in one cell, the unit's JP and transfer
    evidence as shares (the full sentences are in the workbook's ``bukti``).

    Examples
    --------
    >>> "01-clean-raw-data" in needs_section({}, Page("en", "p", "."))["missing"]
    True

    """
    out: dict[str, Any] = {"table": None, "note": None, "figure": None, "missing": None}
    needs = published.get("kebutuhan_pelatihan")
    if needs is None:
        out["missing"] = page.missing("skm")
        return out
    prio = published.get("prioritas_unit")
    order = (prio.set_index("unit")["peringkat"] if prio is not None
             else pd.Series(dtype="float64"))
    shown = (needs[needs["peringkat"] <= needs_per_unit]
             .assign(_o=lambda d: d["unit"].map(order))
             .sort_values(["_o", "unit", "peringkat"], na_position="last"))
    shown["selisih_ik"] = interval_text(shown["selisih"], shown["ci_low"], shown["ci_high"],
                                        page.lang)
    out["table"] = html_table(shown, page.lang, ["unit", "peringkat", "unsur", "topic",
                                                 "bentuk", "selisih_ik", "share_20jp",
                                                 "share_kesulitan"])
    out["note"] = page.t("needs_top_note", k=needs_per_unit)
    out["figure"] = page.figure(plot_element_gaps(published["kesenjangan_unsur"], page.lang),
                                "summary_element_gaps")
    return out


def published_mentoring_totals(recs: Recommendations, published: Mapping[str, pd.DataFrame],
                               min_cell_size: int = 5) -> dict[str, int | None]:
    """City totals of mentees and pairs, or ``None`` where a total would reveal a hidden unit.

    A total minus the units shown in ``mentoring_ringkasan`` is the sum of the hidden ones;
    see :func:`evalkit.privacy.published_total`.

    Examples
    --------
    >>> from evalkit.recommend import recommend_all
    >>> published_mentoring_totals(recommend_all({}), {})
    {'mentees': None, 'pairs': None}

    """
    summary = published.get("mentoring_ringkasan")
    if summary is None or recs.mentoring_summary is None:
        return {"mentees": None, "pairs": None}
    full, hidden = recs.mentoring_summary, summary["suppressed"]
    return {"mentees": published_total(full["n_mentee"], hidden, min_cell_size),
            "pairs": published_total(full["n_pasangan"], hidden, min_cell_size)}


def mentoring_section(published: Mapping[str, pd.DataFrame], recs: Recommendations,
                      page: Page) -> dict[str, Any]:
    """Show the mentoring plan: its rule, the evidence for it, and counts per unit (never pairs).

    ``evidence`` says whether pairing a course with mentoring is supported: the sentence of
    notebook 04's finding ``difference_mentoring`` (the interval of the effect with minus
    without mentoring) and what the recommendation does about it (the form of the training
    needs, :data:`evalkit.recommend.MENTORING_FORMS`).

    Examples
    --------
    >>> from evalkit.recommend import recommend_all
    >>> out = mentoring_section({}, recommend_all({}), Page("en", "p", "."))
    >>> out["table"] is None and "at most 3 mentees" in out["rule"]
    True

    """
    settings = recs.settings
    out: dict[str, Any] = {
        "findings": [], "table": None, "missing": None,
        "rule": page.t("mentoring_intro", l3=page.num(settings.l3_threshold, 1),
                       tenure=settings.mentor_min_tenure, k=settings.mentor_capacity),
        "evidence": mentoring_evidence(recs, page)}
    summary = published.get("mentoring_ringkasan")
    if summary is None:
        out["missing"] = page.missing(
            (recs.missing.get("mentoring") or ["evaluasi_pasca_pelatihan"])[0])
        return out
    out["table"] = html_table(summary, page.lang, [
        "unit", "n_mentee", "n_mentor_layak", "n_pasangan", "n_tanpa_mentor"])
    totals = published_mentoring_totals(recs, published, page.min_cell_size)
    needs = published.get("kebutuhan_pelatihan")
    out["findings"].append(finding_item(page.t(
        "finding_needs", n_lines=len(needs) if needs is not None else 0,
        n_units=needs["unit"].nunique() if needs is not None else 0,
        **{f"n_{k}": "–" if v is None else page.num(v, 0) for k, v in totals.items()})))
    return out


def mentoring_evidence(recs: Recommendations, page: Page) -> str:
    """Whether the findings support pairing a course with mentoring, and what follows.

    From ``recs.mentoring_finding`` (notebook 04's ``difference_mentoring``): its sentence in
    the page's language, then what the recommendation does — mentoring with the course when
    the difference is established in the better direction, as a trial to evaluate when the
    data cannot tell (or no finding exists), not as a way to raise the effect when it was
    smaller with mentoring.

    Examples
    --------
    >>> from evalkit.recommend import recommend_all
    >>> mentoring_evidence(recommend_all({}), Page("en", "p", "."))[:45]
    'Notebook 04 has no finding on mentoring (diff'

    """
    finding = recs.mentoring_finding
    if finding is None:
        return page.t("mentoring_evidence_absent", topic=MENTORING_TOPIC)
    sentence = finding.get(f"sentence_{page.lang}")
    return page.t(f"mentoring_evidence_{finding_quality(finding)}",
                  finding="" if pd.isna(sentence) else str(sentence))


def data_quality_section(published: Mapping[str, pd.DataFrame], page: Page) -> dict[str, Any]:
    """Show data quality: rows in, clean and quarantined per table, kinds of problems.

    Examples
    --------
    >>> data_quality_section({}, Page("en", "processed", "."))["missing"]
    'manifest.json was not found in processed; run notebook 01.'

    """
    out: dict[str, Any] = {"table": None, "quarantine_table": None, "missing": None}
    if "kualitas_data" in published:
        out["table"] = html_table(published["kualitas_data"], page.lang)
    else:
        out["missing"] = page.t("no_manifest", folder=page.folder)
    if "karantina_jenis" in published:
        out["quarantine_table"] = html_table(published["karantina_jenis"], page.lang)
    return out


def method_appendix(recs: Recommendations, page: Page) -> list[str]:
    """Write the method appendix: one sentence per method, with the rules this run used.

    Examples
    --------
    >>> from evalkit.recommend import recommend_all
    >>> len(method_appendix(recommend_all({}), Page("en", "p", ".")))
    10

    """
    t = page.t
    effect = recs.effect
    effect_text = "–" if effect is None else " · ".join([
        code_label("outcome", effect["outcome"], page.lang),
        code_label("method", effect["method"], page.lang),
        code_label("estimand", effect.get("estimand", ""), page.lang)])
    floors = {f"floor_{g.lower()}": page.num(GRADE_FLOORS[g]) for g in "ABC"}
    methods = [t("appendix_findings"), t("appendix_ikm", **floors), t("appendix_gaps"),
               t("appendix_jp", jp=MIN_JP_PER_YEAR, minutes=MINUTES_PER_JP),
               t("appendix_transfer", min_n=recs.settings.transfer_min_n),
               t("appendix_interviews"),
               t("appendix_mentoring"),
               t("appendix_priorities", effect=effect_text,
                 target=page.num(recs.settings.cohort_threshold, 0, True)),
               t("appendix_suppression", min_n=page.min_cell_size), t("appendix_workbook")]
    if recs.periods:
        methods.insert(3, t("appendix_period", n=len(recs.periods),
                            periods=", ".join(recs.periods)))
    return methods


def footer(page: Page, manifest: Mapping[str, Any] | None = None) -> str:
    """Who made the report from what: evalkit's version, the folder, the raw inputs' count.

    Examples
    --------
    >>> footer(Page("en", "processed", "."), {"inputs": {"a.csv": "0"}}).split(". ")[1]
    'They come from 1 raw data files (checksums in manifest.json).'

    """
    text = page.t("report_generated", version=__version__, folder=page.folder)
    if manifest and manifest.get("inputs"):
        text += " " + page.t("report_inputs", n=page.num(len(manifest["inputs"]), 0))
    return text


__all__ = [
    "CHANCE_FLAG_RATE", "HEADLINE_TOPIC", "Page", "data_quality_section", "effect_findings",
    "effects_section", "finding_item", "footer", "ikm_section", "interviews_section",
    "mentoring_evidence", "mentoring_section", "method_appendix", "needs_section",
    "priorities_section", "published_mentoring_totals", "transfer_section",
]
