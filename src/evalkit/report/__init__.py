"""The decision makers' report (``summary.html``) and the run's published tables.

One module per concern:

- :mod:`evalkit.report.inputs` — what the report reads (processed tables, the manifest);
- :mod:`evalkit.report.tables` — the published tables, small cells suppressed;
- :mod:`evalkit.report.sections` — one function per section of the page, returning its context;
- :mod:`evalkit.report.figures` — the report's figures;
- :mod:`evalkit.report.formatting` — numbers in the report's language, HTML tables;
- :mod:`evalkit.report.summary` — :func:`build_summary`, which writes the tables, figures and
  ``summary.html`` (template ``report/templates/summary.html.j2``) into the run folder;
- :mod:`evalkit.report.unit`, :mod:`evalkit.report.unit_findings`,
  :mod:`evalkit.report.unit_links` — one page per unit (notebook ``unit/unit-report``, run by
  ``evalkit units``): the unit's slice of the processed tables, its generated findings, and
  the links from ``summary.html`` to the pages.

Notebook 06 runs them in order::

    inputs = report.load_inputs(PROCESSED)
    recs = recommend.recommend_all(inputs, ...)
    published = report.report_tables(inputs, recs, manifest=report.read_manifest(PROCESSED))
    report.build_summary(recs, published, OUTPUT, processed_dir=PROCESSED, lang=lang)

Examples
--------
>>> format_number(1234.5, 1, "en")
'1,234.5'

"""

from evalkit.report.figures import (
    plot_effects,
    plot_element_gaps,
    plot_ikm_units,
    plot_priorities,
    plot_transfer,
)
from evalkit.report.formatting import COLUMN_FORMATS, format_number, html_table
from evalkit.report.inputs import REPORT_INPUTS, input_overview, load_inputs, read_manifest
from evalkit.report.sections import published_mentoring_totals
from evalkit.report.summary import build_summary, render_summary, summary_context
from evalkit.report.tables import WHY_THEMES, report_tables
from evalkit.report.unit import load_unit_data, unit_context, write_unit_page
from evalkit.report.unit_findings import unit_findings
from evalkit.report.unit_links import link_unit_pages, unit_slug

__all__ = [
    "COLUMN_FORMATS", "REPORT_INPUTS", "WHY_THEMES", "build_summary", "format_number",
    "html_table", "input_overview", "load_inputs", "plot_effects", "plot_element_gaps",
    "plot_ikm_units", "plot_priorities", "plot_transfer", "published_mentoring_totals",
    "read_manifest", "render_summary", "report_tables", "summary_context", "load_unit_data",
    "unit_context", "write_unit_page", "unit_findings", "link_unit_pages", "unit_slug",
]
