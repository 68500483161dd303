"""The sections of ``summary.html``: one function per section, each returning its context.

A section function takes the published tables (:func:`evalkit.report.tables.report_tables`),
the recommendations where it needs them, and the :class:`Page` being written (language,
processed folder as shown, run folder for the figures, cell-size rule). It returns a dict of
everything its part of the template shows — every key present, ``None`` where there is
nothing to show — and, under ``findings``, its sentences for the key findings at the top.
A section whose input is missing says which notebook to run.

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
from evalkit.effects import subgroup_estimand
from evalkit.ikm import GRADE_FLOORS, kinerja
from evalkit.labels import Lang, code_label, label
from evalkit.outputs import png_data_uri, save_figure
from evalkit.privacy import published_total
from evalkit.recommend import Recommendations
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

#: Pairs of subgroup estimands (codes of the ``effects`` table) the key findings compare, by
#: the label of the sentence: the first of each pair is ``a`` in the sentence, the second ``b``.
SUBGROUP_CONTRASTS: dict[str, tuple[str, str]] = {
    "finding_difficulty": (subgroup_estimand("difficulty_high"),
                           subgroup_estimand("difficulty_low")),
    "finding_mentoring": (subgroup_estimand("mentoring_with"),
                          subgroup_estimand("mentoring_without")),
}


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
    >>> ikm_section({"ikm_kota": city}, Page("en", "p", "."))["findings"][0][:32]
    'City IKM in 2024Q4: 81.20 (grade'

    """
    t, num = page.t, page.num
    out: dict[str, Any] = {"findings": [], "table": None, "figure": None, "missing": None}
    city = published.get("ikm_kota")
    units = published.get("ikm_unit_terkini")
    if city is not None and len(city) and pd.notna(city["ikm"].iloc[0]):
        row = city.iloc[0]
        out["findings"].append(t(
            "finding_ikm", period=row["period"], ikm=num(row["ikm"]), mutu=row["mutu"],
            kinerja=kinerja(row["mutu"], lang=page.lang), low=num(row["ikm_ci_low"]),
            high=num(row["ikm_ci_high"]), n=num(row["n_responses"], 0)))
    if units is None:
        out["missing"] = page.missing("ikm_unit_period")
        return out
    period = units["period"].iloc[0] if len(units) else ""
    grades = units["mutu"].dropna().value_counts().sort_index()
    out["findings"].append(t("finding_grades", period=period, grades=", ".join(
        f"{code_label('mutu', g, page.lang)}: {n}" for g, n in grades.items())))
    out["table"] = html_table(units, page.lang, ["unit", "n_responses", "ikm", "ikm_ci_low",
                                                 "ikm_ci_high", "mutu", "sample_adequate"])
    out["figure"] = page.figure(plot_ikm_units(units, page.lang), "summary_ikm_units")
    return out


def subgroup_findings(effects: pd.DataFrame, effect: Mapping[str, Any],
                      lang: Lang = "id") -> list[str]:
    """Sentences comparing subgroup effects (difficulty, mentoring) when notebook 04 has them.

    For the outcome and method of ``effect``, each pair of :data:`SUBGROUP_CONTRASTS`
    present in ``effects`` gives one sentence with both estimates and intervals.

    Examples
    --------
    >>> import pandas as pd
    >>> e = pd.DataFrame({"outcome": "ikm", "method": "cs_did",
    ...     "estimand": ["att", "att_difficulty_high", "att_difficulty_low"],
    ...     "estimate": [2.0, 1.0, 3.0], "ci_low": [1.0, 0.0, 2.0], "ci_high": [3.0, 2.0, 4.0]})
    >>> subgroup_findings(e, e.iloc[0], "en")[0][:54]
    'The effect is smaller in units whose alumni struggle t'

    """
    rows = effects[effects["outcome"].eq(effect["outcome"])
                   & effects["method"].eq(effect["method"])].set_index("estimand")
    out = []
    for key, (a, b) in SUBGROUP_CONTRASTS.items():
        if a in rows.index and b in rows.index:
            out.append(label(key, lang, **{
                f"{side}{part}": format_number(rows.loc[name, col], 2, lang)
                for side, name in (("a", a), ("b", b))
                for part, col in (("", "estimate"), ("_low", "ci_low"), ("_high", "ci_high"))}))
    return out


def effects_section(published: Mapping[str, pd.DataFrame], recs: Recommendations, page: Page,
                    *, simulated: bool = False) -> dict[str, Any]:
    """Show what the training did: the estimates, the one the priorities use, subgroups.

    The table lists every estimate of the outcome the priorities use (methods side by side,
    subgroups) and, for the other outcomes, the same method's overall effect; the workbook
    has them all. The figure shows the IKM estimates on one axis. The true value is shown
    only for simulated data.

    Examples
    --------
    >>> from evalkit.recommend import recommend_all
    >>> out = effects_section({}, recommend_all({}), Page("en", "p", "."))
    >>> "04-training-effects" in out["missing"], out["table"] is None
    (True, True)

    """
    t, num = page.t, page.num
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
    if effect is not None:
        out["findings"].append(t("finding_effect", method=code_label(
            "method", effect["method"], page.lang), estimate=num(effect["estimate"]),
            low=num(effect["ci_low"]), high=num(effect["ci_high"])))
        if effect["ci_low"] <= 0 <= effect["ci_high"]:
            out["findings"].append(t("finding_effect_zero"))
        out["findings"].extend(subgroup_findings(effects, effect, page.lang))
    return out


def transfer_section(published: Mapping[str, pd.DataFrame], recs: Recommendations,
                     page: Page) -> dict[str, Any]:
    """Show where training did not transfer: the flagged units and the city's share.

    The city's share of difficulty is the one the units were judged against
    (``share_kesulitan_kota`` of :func:`evalkit.recommend.transfer.transfer_by_unit`: every
    alumnus who answered the question).

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
    out["findings"].append(page.t("finding_transfer", share=page.num(share_city, 0, True),
                                  n_units=len(weak)))
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
    """Rank the units: the ten where reaching them with training gains most.

    Examples
    --------
    >>> from evalkit.recommend import recommend_all
    >>> out = priorities_section({}, recommend_all({}), Page("en", "p", "."))
    >>> "effects" in out["missing"]
    True

    """
    out: dict[str, Any] = {
        "intro": page.t("priorities_intro",
                        target=page.num(recs.settings.cohort_threshold, 0, True)),
        "table": None, "figure": None, "missing": None}
    prio = published.get("prioritas_unit")
    if prio is None:
        reason = "; ".join(recs.missing.get("priorities", [])) or "effects"
        out["missing"] = page.t("priorities_unavailable", reason=page.missing(reason)
                                if reason in REPORT_INPUTS else reason)
        return out
    out["table"] = html_table(prio.head(10), page.lang, [
        "peringkat", "unit", "ikm", "cakupan", "kesenjangan", "perkiraan_kenaikan", "ci_low",
        "ci_high"])
    out["figure"] = page.figure(plot_priorities(prio, page.lang), "summary_priorities")
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
    """Show the mentoring plan: its rule and the counts per unit (never the pairs).

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
                       tenure=settings.mentor_min_tenure, k=settings.mentor_capacity)}
    summary = published.get("mentoring_ringkasan")
    if summary is None:
        out["missing"] = page.missing(
            (recs.missing.get("mentoring") or ["evaluasi_pasca_pelatihan"])[0])
        return out
    out["table"] = html_table(summary, page.lang, [
        "unit", "n_mentee", "n_mentor_layak", "n_pasangan", "n_tanpa_mentor"])
    totals = published_mentoring_totals(recs, published, page.min_cell_size)
    needs = published.get("kebutuhan_pelatihan")
    out["findings"].append(page.t(
        "finding_needs", n_lines=len(needs) if needs is not None else 0,
        n_units=needs["unit"].nunique() if needs is not None else 0,
        **{f"n_{k}": "–" if v is None else page.num(v, 0) for k, v in totals.items()}))
    return out


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
    9

    """
    t = page.t
    effect = recs.effect
    effect_text = "–" if effect is None else " · ".join([
        code_label("outcome", effect["outcome"], page.lang),
        code_label("method", effect["method"], page.lang),
        code_label("estimand", effect.get("estimand", ""), page.lang)])
    floors = {f"floor_{g.lower()}": page.num(GRADE_FLOORS[g]) for g in "ABC"}
    methods = [t("appendix_ikm", **floors), t("appendix_gaps"),
               t("appendix_jp", jp=MIN_JP_PER_YEAR, minutes=MINUTES_PER_JP),
               t("appendix_transfer", min_n=recs.settings.transfer_min_n),
               t("appendix_interviews"),
               t("appendix_mentoring"),
               t("appendix_priorities", effect=effect_text,
                 target=page.num(recs.settings.cohort_threshold, 0, True)),
               t("appendix_suppression", min_n=page.min_cell_size), t("appendix_workbook")]
    if recs.periods:
        methods.insert(2, t("appendix_period", n=len(recs.periods),
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
    "SUBGROUP_CONTRASTS", "Page", "data_quality_section", "effects_section", "footer",
    "ikm_section", "interviews_section", "mentoring_section", "method_appendix",
    "needs_section", "priorities_section", "published_mentoring_totals", "subgroup_findings",
    "transfer_section",
]
