"""The decision makers' report ``summary.html`` and the run's published tables.

:func:`build_summary` takes what notebook 06 computed — the recommendations
(:func:`evalkit.recommend.recommend_all`) and the published tables
(:func:`evalkit.report.tables.report_tables`) — and writes, into the run folder only: every
published table (CSV + XLSX in ``tables/`` and all of them in ``tables/evalkit_tables.xlsx``),
the report's figures (``figures/``) and ``summary.html``: headline IKM and grades, what the
training did, where it did not transfer and why, the recommendations, data quality and a
method appendix, in Bahasa Indonesia (``lang="id"``) or English.

The page is one self-contained file (figures embedded as PNG data, inline CSS, no script,
font or web link), rendered by jinja2 from ``report/templates/summary.html.j2`` with
autoescaping, rather than by nbconvert, whose default template loads MathJax and require.js
from the web. Every text comes from :mod:`evalkit.labels`; each section's context comes from
one function of :mod:`evalkit.report.sections`.

Examples
--------
>>> import tempfile
>>> from evalkit.recommend import recommend_all
>>> out = tempfile.mkdtemp()  # empty folders: every section says which notebook to run
>>> build_summary(recommend_all({}), {}, out, processed_dir=out, lang="en").name
'summary.html'

"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from evalkit.config import load_truth, resolve_path
from evalkit.labels import Lang, check_lang
from evalkit.outputs import save_table, save_workbook
from evalkit.plots import set_style
from evalkit.recommend import Recommendations
from evalkit.report.inputs import absent_inputs, display_path, read_manifest
from evalkit.report.sections import (
    Page,
    data_quality_section,
    effects_section,
    footer,
    ikm_section,
    interviews_section,
    mentoring_section,
    method_appendix,
    needs_section,
    priorities_section,
    transfer_section,
)
from evalkit.report.unit_links import unit_page_links

#: The report page's template, in the package's ``report/templates`` folder.
SUMMARY_TEMPLATE = "summary.html.j2"

#: Files an earlier version published in ``tables/`` (the mentoring pair list); a stale copy
#: in a reused run folder would otherwise be swept into the workbook.
_STALE_TABLES = ("mentoring_pasangan.csv", "mentoring_pasangan.xlsx")


def template_environment() -> jinja2.Environment:
    """Return the jinja2 environment of the report templates: autoescaped, strict names.

    Examples
    --------
    >>> template_environment().get_template(SUMMARY_TEMPLATE).name
    'summary.html.j2'

    """
    return jinja2.Environment(loader=jinja2.PackageLoader("evalkit.report", "templates"),
                              autoescape=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True)


def summary_context(recs: Recommendations, published: Mapping[str, pd.DataFrame],
                    output_dir: str | os.PathLike[str], *,
                    processed_dir: str | os.PathLike[str] = "data/processed",
                    manifest: Mapping[str, Any] | None = None, simulated: bool = False,
                    lang: Lang = "id", min_cell_size: int = 5,
                    needs_per_unit: int = 3, absent: list[str] | None = None) -> dict[str, Any]:
    """Everything the template shows: each section's context and the key findings.

    The key findings at the top are the sentences of the sections, in the order of the page,
    each an item ``{"text", "verdict"}``: the findings on effects are those of the published
    findings table (``temuan``) with their verdict, shown as a badge; descriptions (the
    city's IKM, counts) have none.
    The page shows only the sections it has data for; ``absent`` (see
    :func:`evalkit.report.inputs.absent_inputs`) becomes the one line saying what is not in
    the report and why.

    Examples
    --------
    >>> import tempfile
    >>> from evalkit.recommend import recommend_all
    >>> d = tempfile.mkdtemp()
    >>> ctx = summary_context(recommend_all({}), {}, d, processed_dir=d, simulated=True,
    ...                       lang="en")
    >>> ctx["simulated"], ctx["lang"], ctx["findings"]
    (True, 'en', [])

    """
    set_style()
    page = Page(lang=lang, folder=display_path(processed_dir), output_dir=output_dir,
                min_cell_size=min_cell_size)
    sections = {
        "ikm": ikm_section(published, page),
        "effects": effects_section(published, recs, page, simulated=simulated),
        "transfer": transfer_section(published, recs, page),
        "interviews": interviews_section(published, page),
        "priorities": priorities_section(published, recs, page),
        "needs": needs_section(published, page, needs_per_unit),
        "mentoring": mentoring_section(published, recs, page),
        "quality": data_quality_section(published, page),
    }
    findings = [f for section in sections.values() for f in section.pop("findings", [])]
    not_included = page.t("report_not_included", items="; ".join(absent)) if absent else None
    return {"lang": lang, "t": page.t, "simulated": simulated, "findings": findings,
            "not_included": not_included,
            "shown": {name: not section.get("missing") for name, section in sections.items()},
            "dash_note": page.t("dash_note", min_n=min_cell_size), **sections,
            "methods": method_appendix(recs, page), "generated": footer(page, manifest),
            # links to <run>/units/<slug>.html made by `evalkit units` (none before it ran)
            "unit_pages": unit_page_links(output_dir)}


def render_summary(context: Mapping[str, Any]) -> str:
    """Render the report template (jinja2, autoescaped) with a :func:`summary_context`.

    Examples
    --------
    >>> import tempfile
    >>> from evalkit.recommend import recommend_all
    >>> d = tempfile.mkdtemp()
    >>> html = render_summary(summary_context(recommend_all({}), {}, d, processed_dir=d))
    >>> '<h2 id="sec-method">' in html, '<h2 id="sec-ikm">' in html  # no data: no IKM section
    (True, False)

    """
    return template_environment().get_template(SUMMARY_TEMPLATE).render(**context)


def build_summary(recs: Recommendations, published: Mapping[str, pd.DataFrame],
                  output_dir: str | os.PathLike[str] = "reports/interactive", *,
                  processed_dir: str | os.PathLike[str] = "data/processed", lang: Lang = "id",
                  min_cell_size: int = 5, needs_per_unit: int = 3) -> Path:
    """Write the run's published tables, the report's figures and ``summary.html``.

    Writes into ``output_dir`` only. ``processed_dir`` is read, never written: its
    ``manifest.json`` (the raw inputs, for the footer) and whether it holds the simulator's
    ``truth.json`` (copied there by the cleaning step; see
    :func:`evalkit.config.load_truth`), which puts the simulated-data notice at the top. A
    section without its input is left out; one line says what is absent and why (the
    reasons of ``run.json`` when ``evalkit run`` skipped a notebook).

    Parameters
    ----------
    recs : Recommendations
        From :func:`evalkit.recommend.recommend_all`; the rules it ran with (mentor capacity,
        cohort threshold …) are stated in the report.
    published : mapping name → DataFrame
        From :func:`evalkit.report.tables.report_tables` (small cells already suppressed).
    output_dir : path
        The run folder; relative paths are taken from the project root.
    processed_dir : path, default "data/processed"
        The processed folder the tables came from.
    lang : {"id", "en"}, default "id"
        Language of the report (the same as given to ``report_tables``).
    min_cell_size : int, default 5
        The rule ``published`` was suppressed with; totals follow it as well.
    needs_per_unit : int, default 3
        Needs per unit shown in the HTML (the workbook has all).

    Returns
    -------
    pathlib.Path
        ``<output_dir>/summary.html``.

    Examples
    --------
    >>> import tempfile
    >>> from evalkit.recommend import recommend_all
    >>> out = tempfile.mkdtemp()
    >>> build_summary(recommend_all({}), {}, out, processed_dir=out, lang="en").name
    'summary.html'

    """
    check_lang(lang)
    out_dir = resolve_path(output_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in _STALE_TABLES:
        (out_dir / "tables" / stale).unlink(missing_ok=True)
    for name, table in published.items():
        save_table(table, name, out_dir)
    save_workbook(published, out_dir, lang=lang)
    context = summary_context(recs, published, out_dir, processed_dir=processed_dir,
                              manifest=read_manifest(processed_dir),
                              simulated=load_truth(processed_dir) is not None, lang=lang,
                              min_cell_size=min_cell_size, needs_per_unit=needs_per_unit,
                              absent=absent_inputs(processed_dir))
    path = out_dir / "summary.html"
    path.write_text(render_summary(context), encoding="utf-8")
    return path


__all__ = ["SUMMARY_TEMPLATE", "build_summary", "render_summary", "summary_context",
           "template_environment"]
