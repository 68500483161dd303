"""One page per unit (perangkat daerah): a faithful slice of the city's processed data.

:func:`load_unit_data` reads ``data/processed`` once and runs what the city report runs
(:func:`evalkit.recommend.recommend_all`, :func:`evalkit.report.tables.report_tables`, so
every cell is suppressed exactly as in ``summary.html``); :func:`unit_context` cuts one unit
out of it, section by section; :func:`write_unit_page` renders
``report/templates/unit.html.j2`` (jinja2, autoescaped, inline CSS, the figure as PNG data:
one file that opens offline) into ``<output_dir>/<unit-slug>.html``.

Sections, in the page's order: the published SKM result of the latest period
(Permenpan RB 14/2017: period, respondents, IKM, mutu, kinerja); IKM per period with its
interval and grade next to the city's, with the Krejcie & Morgan minimum sample; the nine
elements against the city, the weak ones marked by the rule of the training needs
(``di_bawah_kota`` of :func:`evalkit.recommend.needs.element_gaps`); staff training coverage
and 20-JP compliance; level-3 transfer and reported difficulty; interview themes raised by at
least ``min_cell_size`` informants; the unit's SKM suggestion themes; the recommended
courses and mentoring counts. The finding sentences come from
:mod:`evalkit.report.unit_findings`. A section without data says what is missing.

Examples
--------
>>> import tempfile
>>> data = load_unit_data(tempfile.mkdtemp(), lang="en")  # empty: every section is missing
>>> ctx = unit_context("Dinas X", data, output_dir=tempfile.mkdtemp())
>>> ctx["slug"], ctx["skm_block"]["missing"][:31]
('dinas-x', 'This section is not available: ')

"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd

from evalkit.config import load_truth, read_processed, resolve_path
from evalkit.findings import findings_table
from evalkit.ikm import GRADE_COLORS, GRADE_FLOORS, compute_ikm, kinerja
from evalkit.labels import Lang, check_lang
from evalkit.outputs import save_table
from evalkit.plots import set_style
from evalkit.privacy import suppress_small_cells
from evalkit.recommend import Recommendations, recommend_all
from evalkit.report.formatting import html_table
from evalkit.report.inputs import display_path, load_inputs
from evalkit.report.sections import Page
from evalkit.report.summary import template_environment
from evalkit.report.tables import report_tables
from evalkit.report.unit_findings import unit_findings
from evalkit.report.unit_links import unit_slug

#: The unit page's template, in the package's ``report/templates`` folder.
UNIT_TEMPLATE = "unit.html.j2"

#: Processed tables the unit page reads beyond those of the city report, and their notebook.
UNIT_EXTRA_INPUTS: dict[str, str] = {"suggestion_themes": "05-interview-themes"}


@dataclass(frozen=True, eq=False)
class UnitData:
    """Everything the unit pages are cut from, read and computed once per kernel.

    Attributes
    ----------
    inputs : dict
        Processed tables (:func:`evalkit.report.inputs.load_inputs` plus
        :data:`UNIT_EXTRA_INPUTS`); ``None`` where absent.
    recs : Recommendations
        :func:`evalkit.recommend.recommend_all` on them.
    published : dict
        :func:`evalkit.report.tables.report_tables`: the city report's suppressed tables.
    city_ikm : DataFrame or None
        The city's IKM per period (``period``, ``n_responses``, ``ikm``, ``ikm_se``, interval,
        ``mutu``) from every response of the period.
    folder : str
        The processed folder as the page names it.
    lang, min_cell_size, simulated
        The page's language, cell-size rule, and whether the data are the simulated city.

    """

    inputs: dict[str, pd.DataFrame | None]
    recs: Recommendations
    published: dict[str, pd.DataFrame]
    city_ikm: pd.DataFrame | None
    folder: str
    lang: Lang = "id"
    min_cell_size: int = 5
    simulated: bool = False


def load_unit_data(processed_dir: str | os.PathLike[str] = "data/processed", *,
                   lang: Lang = "id", min_cell_size: int = 5,
                   **recommend_settings: Any) -> UnitData:
    """Read the processed tables and compute what the unit pages are cut from.

    Parameters
    ----------
    processed_dir : path, default "data/processed"
        Read only, never written.
    lang : {"id", "en"}
        Language of the pages.
    min_cell_size : int, default 5
        Cells resting on fewer people are suppressed (the city report's rule).
    **recommend_settings
        Passed to :func:`evalkit.recommend.recommend_all` (``mentor_capacity`` …), so the
        courses and mentoring counts are those of the city report.

    Examples
    --------
    >>> import tempfile
    >>> load_unit_data(tempfile.mkdtemp()).city_ikm is None  # an empty folder: no survey
    True

    """
    check_lang(lang)
    inputs = load_inputs(processed_dir)
    for name in UNIT_EXTRA_INPUTS:
        inputs[name] = read_processed(name, processed_dir, missing_ok=True, allow_empty=True)
    recs = recommend_all(inputs, **recommend_settings)
    published = report_tables(inputs, recs, min_cell_size=min_cell_size, lang=lang)
    skm = inputs.get("skm")
    city = None
    if skm is not None and len(skm):
        city = compute_ikm(skm.assign(period=skm["period"].astype("str")), by=["period"],
                           ci=0.95)
    return UnitData(inputs=inputs, recs=recs, published=published, city_ikm=city,
                    folder=display_path(processed_dir), lang=lang, min_cell_size=min_cell_size,
                    simulated=load_truth(processed_dir) is not None)


#: The processed tables whose ``unit`` column names the units that get a page.
UNIT_NAME_TABLES = ("ikm_unit_period", "pegawai", "training_asn_year")


def known_units(inputs: Mapping[str, pd.DataFrame | None]) -> list[str]:
    """Every unit named by the survey's IKM table, the roster or the training years, sorted.

    Examples
    --------
    >>> import pandas as pd
    >>> known_units({"pegawai": pd.DataFrame({"unit": ["B", "A"]}),
    ...              "ikm_unit_period": pd.DataFrame({"unit": ["A", "C"]})})
    ['A', 'B', 'C']

    """
    names: set[str] = set()
    for table in UNIT_NAME_TABLES:
        frame = inputs.get(table)
        if frame is not None and "unit" in frame.columns:
            names |= set(frame["unit"].dropna().astype("str").unique())
    return sorted(names)


def _rows(table: pd.DataFrame | None, unit: str, column: str = "unit") -> pd.DataFrame | None:
    """Return the unit's rows of a table, or ``None`` when the table is absent."""
    if table is None:
        return None
    return table[table[column].astype("str") == unit].reset_index(drop=True)


def ikm_periods(unit: str, data: UnitData) -> pd.DataFrame | None:
    """Return the unit's IKM per period beside the city's; small periods suppressed.

    Columns ``period``, ``n_responses``, ``ikm``, ``ikm_ci_low``, ``ikm_ci_high``, ``mutu``,
    ``kinerja``, ``sample_min``, ``sample_adequate`` (from ``ikm_unit_period``), ``ikm_kota``,
    ``mutu_kota``, ``suppressed``. ``None`` without the IKM table.
    """
    rows = _rows(data.inputs.get("ikm_unit_period"), unit)
    if rows is None:
        return None
    cols = [c for c in ["period", "n_responses", "ikm", "ikm_ci_low", "ikm_ci_high", "mutu",
                        "kinerja", "sample_min", "sample_adequate"] if c in rows.columns]
    table = rows[cols].assign(period=rows["period"].astype("str")).sort_values("period")
    if data.city_ikm is not None:
        city = data.city_ikm[["period", "ikm", "mutu"]].rename(
            columns={"ikm": "ikm_kota", "mutu": "mutu_kota"})
        table = table.merge(city, on="period", how="left", validate="one_to_one")
    table = suppress_small_cells(table.reset_index(drop=True), "n_responses",
                                 min_n=data.min_cell_size,
                                 value_cols=[c for c in ["n_responses", "ikm", "ikm_ci_low",
                                                         "ikm_ci_high", "sample_min"]
                                             if c in table.columns])
    for col in ("mutu", "kinerja", "sample_adequate"):
        if col in table.columns:
            table[col] = table[col].astype("object").where(~table["suppressed"])
    return table


def _figure(unit: str, periods: pd.DataFrame, page: Page, slug: str) -> str | None:
    """IKM per period of the unit (with its interval) and of the city, as a PNG data URI."""
    shown = periods[periods["ikm"].notna()]
    if shown.empty:
        return None
    set_style()
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    low = shown["ikm"] - shown["ikm_ci_low"]
    high = shown["ikm_ci_high"] - shown["ikm"]
    ax.errorbar(shown["period"], shown["ikm"], yerr=[low, high], fmt="o-", color="#1f4e79",
                capsize=3, label=page.t("unit_fig_unit"))
    if "ikm_kota" in periods.columns:
        ax.plot(periods["period"], periods["ikm_kota"], "s--", color="#777777",
                label=page.t("unit_fig_city"))
    for grade in ("A", "B", "C"):  # grade floors as thin lines in the grade colours
        ax.axhline(GRADE_FLOORS[grade], color=GRADE_COLORS[grade], linewidth=0.8, alpha=0.7)
    ax.set_ylabel("IKM")
    ax.set_title(page.t("unit_fig_title", unit=unit))
    ax.tick_params(axis="x", labelrotation=45)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return page.figure(fig, f"unit_{slug}_ikm")


def _section(missing: str | None = None, **content: Any) -> dict[str, Any]:
    """Return a section's context: every key the template reads, ``None`` if empty."""
    return {"missing": missing, "table": None, "figure": None, "note": None, "empty": None,
            "items": None, "periods": None, **content}


def _skm_block(periods: pd.DataFrame | None, page: Page) -> dict[str, Any]:
    """Return the result a unit publishes (Permenpan RB 14/2017) for its latest period."""
    if periods is None:
        return _section(page.missing("ikm_unit_period"))
    if periods.empty:
        return _section(page.t("unit_no_rows", table="ikm_unit_period"))
    row = periods.iloc[-1]
    if row["suppressed"]:
        return _section(page.t("unit_block_suppressed", period=row["period"],
                               min_n=page.min_cell_size))
    return _section(items=[
        (page.t("col_period"), row["period"]),
        (page.t("col_n_responses"), page.num(row["n_responses"], 0)),
        (page.t("col_ikm"), page.num(row["ikm"])),
        (page.t("col_mutu"), row["mutu"]),
        (page.t("col_kinerja"), kinerja(row["mutu"], lang=page.lang)),
    ], mutu=row["mutu"], color=GRADE_COLORS.get(row["mutu"], "#999999"))


def _slice(data: UnitData, name: str, unit: str, page: Page, source: str,
           ) -> tuple[pd.DataFrame | None, str | None]:
    """Return a published table's rows of the unit, or the note saying why there are none."""
    table = data.published.get(name)
    if table is None:
        return None, page.missing(source)
    rows = _rows(table, unit)
    if rows.empty:
        return None, page.t("unit_no_rows", table=name)
    return rows, None


def _training(unit: str, data: UnitData, page: Page) -> dict[str, Any]:
    """Per year: staff, how many had any training, how many met 20 JP (suppressed < m)."""
    rows = _rows(data.inputs.get("training_asn_year"), unit)
    if rows is None:
        return _section(page.missing("training_asn_year"))
    if rows.empty:
        return _section(page.t("unit_no_rows", table="training_asn_year"))
    per_year = (rows.assign(dilatih=rows["jp"].gt(0),
                            memenuhi=rows["memenuhi_20jp"].astype(bool))
                .groupby("tahun").agg(n_asn=("pid", "nunique"), n_dilatih=("dilatih", "sum"),
                                      n_memenuhi_20jp=("memenuhi", "sum"))
                .reset_index())
    per_year["share_dilatih"] = per_year["n_dilatih"] / per_year["n_asn"]
    per_year["share_20jp"] = per_year["n_memenuhi_20jp"] / per_year["n_asn"]
    # as the city's jp20_unit: a year of fewer than m staff is suppressed whole
    table = suppress_small_cells(per_year, "n_asn", min_n=page.min_cell_size,
                                 value_cols=["n_asn", "n_dilatih", "share_dilatih",
                                             "n_memenuhi_20jp", "share_20jp"])
    cols = ["tahun", "n_asn", "n_dilatih", "share_dilatih", "n_memenuhi_20jp", "share_20jp"]
    jp_rows, _ = _slice(data, "jp20_unit", unit, page, "training_asn_year")
    return _section(table=html_table(table, page.lang, cols, formats={
        "n_dilatih": ("int",), "share_dilatih": ("pct", 0)}),
        frame=table[cols + ["suppressed"]], jp=jp_rows)


def _themes(table: pd.DataFrame | None, unit: str, page: Page, source: str, people: str,
            raised: str) -> dict[str, Any]:
    """Themes of the unit raised by at least ``min_cell_size`` people (interviews, suggestions)."""
    if table is None:
        return _section(page.missing(source) if source != "suggestion_themes" else page.t(
            "missing_input", table=source, folder=page.folder,
            notebook=UNIT_EXTRA_INPUTS[source]))
    rows = table[table["dimensi"].astype("str").eq("unit")
                 & table["kelompok"].astype("str").eq(unit)]
    if rows.empty:
        return _section(page.t("unit_no_rows", table=source))
    n_people = rows[people].iloc[0]
    if rows["suppressed"].any() or pd.isna(n_people) or n_people < page.min_cell_size:
        return _section(page.t("unit_themes_too_few", min_n=page.min_cell_size))
    shown = (rows[rows[raised].ge(page.min_cell_size)]
             .sort_values([raised, "tema"], ascending=[False, True]))
    note = page.t("unit_themes_note", n=page.num(n_people, 0), min_n=page.min_cell_size)
    if shown.empty:
        return _section(note=note, table=None, empty=page.t("unit_themes_none",
                                                            min_n=page.min_cell_size))
    return _section(note=note, empty=None, table=html_table(
        shown, page.lang, ["tema", raised, "proporsi"],
        formats={"n_saran_tema": ("int",)}), frame=shown)


def unit_context(unit: str, data: UnitData, *,
                 output_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """Everything the unit page shows, section by section; ``missing`` notes where data lack.

    Parameters
    ----------
    unit : str
        The unit's name as in the processed tables.
    data : UnitData
        From :func:`load_unit_data`.
    output_dir : path
        Where the page goes (its figure into ``figures/``). The page is in ``data.lang``,
        the language its published evidence sentences were made in.

    Returns
    -------
    dict
        ``unit``, ``slug``, ``lang``, ``t``, ``skm_block``, ``ikm``, ``elements``,
        ``training``, ``transfer``, ``interviews``, ``suggestions``, ``courses``,
        ``mentoring`` (each with ``missing``), ``findings`` (sentences), ``finding_rows``
        (:class:`evalkit.findings.Finding`), ``not_available`` (the sections without data),
        ``frames`` (the shown tables as DataFrames, for the notebook and tests).

    """
    lang = data.lang
    slug = unit_slug(unit)
    page = Page(lang=lang, folder=data.folder, output_dir=output_dir,
                min_cell_size=data.min_cell_size)
    t = page.t
    periods = ikm_periods(unit, data)
    frames: dict[str, pd.DataFrame] = {}
    ikm = _section(page.missing("ikm_unit_period") if periods is None else None)
    if periods is not None and periods.empty:
        ikm["missing"] = t("unit_no_rows", table="ikm_unit_period")
    elif periods is not None:
        frames["ikm"] = periods
        ikm["table"] = html_table(periods, lang, [
            "period", "n_responses", "ikm", "ikm_ci_low", "ikm_ci_high", "mutu", "ikm_kota",
            "mutu_kota", "sample_min", "sample_adequate"],
            formats={"ikm_kota": ("num", 2), "mutu_kota": ("code", "mutu"),
                     "sample_min": ("int",)})
        ikm["figure"] = _figure(unit, periods, page, slug)
    elements, why = _slice(data, "kesenjangan_unsur", unit, page, "skm")
    elements_ctx = _section(why)
    if elements is not None:
        frames["elements"] = elements
        elements_ctx["table"] = html_table(elements, lang, [
            "unsur", "n", "nrr", "nrr_kota", "selisih", "ci_low", "ci_high", "di_bawah_kota"])
        elements_ctx["periods"] = ", ".join(data.recs.periods or [])
    training = _training(unit, data, page)
    if "frame" in training:
        frames["training"] = training.pop("frame")
    transfer, why = _slice(data, "transfer_l3_unit", unit, page, "evaluasi_pasca_pelatihan")
    transfer_ctx = _section(why)
    if transfer is not None:
        frames["transfer"] = transfer
        transfer_ctx["table"] = html_table(
            transfer, lang, ["n_alumni", "l3_skor", "n_menjawab", "n_kesulitan",
                             "share_kesulitan", "ci_low", "ci_high", "share_kesulitan_kota",
                             "transfer_lemah"],
            formats={"ci_low": ("pct", 0), "ci_high": ("pct", 0)})
    interviews = _themes(data.inputs.get("interview_themes"), unit, page, "interview_themes",
                         "n_informan", "n_informan_tema")
    suggestions = _themes(data.inputs.get("suggestion_themes"), unit, page,
                          "suggestion_themes", "n_saran", "n_saran_tema")
    for name, section in (("interviews", interviews), ("suggestions", suggestions)):
        if "frame" in section:
            frames[name] = section.pop("frame")
    needs, why = _slice(data, "kebutuhan_pelatihan", unit, page, "skm")
    courses = _section(why)
    if needs is not None:
        frames["courses"] = needs
        courses["table"] = html_table(needs, lang, ["peringkat", "unsur", "topic", "bentuk",
                                                    "pelatihan_disarankan", "bukti"])
    mentoring, why = _slice(data, "mentoring_ringkasan", unit, page,
                            (data.recs.missing.get("mentoring") or ["evaluasi_pasca_pelatihan"])[0])
    mentoring_ctx = _section(why)
    if mentoring is not None:
        frames["mentoring"] = mentoring
        mentoring_ctx["table"] = html_table(mentoring, lang, [
            "n_mentee", "n_mentor_layak", "n_pasangan", "n_tanpa_mentor"])
    found = unit_findings(unit, data, periods, elements, transfer, training.get("jp"), page)
    sections = {"skm_block": _skm_block(periods, page), "ikm": ikm, "elements": elements_ctx,
                "training": training, "transfer": transfer_ctx, "interviews": interviews,
                "suggestions": suggestions, "courses": courses, "mentoring": mentoring_ctx}
    training.pop("jp", None)
    not_available = [t(f"unit_sec_{name}") for name, s in sections.items() if s["missing"]]
    return {"unit": unit, "slug": slug, "lang": lang, "t": t, "simulated": data.simulated,
            "min_cell_size": data.min_cell_size, **sections,
            "findings": found["sentences"], "finding_rows": found["findings"],
            "not_available": not_available, "frames": frames,
            "dash_note": t("dash_note", min_n=data.min_cell_size),
            "generated": t("unit_generated", folder=data.folder)}


def render_unit(context: Mapping[str, Any]) -> str:
    """Render the unit page template (jinja2, autoescaped) with a :func:`unit_context`.

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> html = render_unit(unit_context("Dinas X", load_unit_data(d), output_dir=d))
    >>> "<h1>Dinas X</h1>" in html, "http" in html
    (True, False)

    """
    return template_environment().get_template(UNIT_TEMPLATE).render(**context)


def write_unit_page(context: Mapping[str, Any], output_dir: str | os.PathLike[str]) -> Path:
    """Write ``<output_dir>/<slug>.html`` and the page's findings ``tables/<slug>_findings.csv``.

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> write_unit_page(unit_context("Dinas X", load_unit_data(d), output_dir=d), d).name
    'dinas-x.html'

    """
    out = resolve_path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    save_table(findings_table(context["finding_rows"]), f"{context['slug']}_findings", out)
    path = out / f"{context['slug']}.html"
    path.write_text(render_unit(context), encoding="utf-8")
    return path


__all__ = ["UNIT_EXTRA_INPUTS", "UNIT_NAME_TABLES", "UNIT_TEMPLATE", "UnitData", "ikm_periods",
           "known_units", "load_unit_data", "render_unit", "unit_context", "write_unit_page"]
