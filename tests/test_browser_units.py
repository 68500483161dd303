"""A unit page in a real headless browser (Chromium), offline, through the DevTools protocol.

Uses the harness of tests/test_report_browser.py (same flags, same checks: console errors,
uncaught exceptions, failed loads, requests that leave the file). The page is built from the
hand-made processed folder of tests/report_fixture.py by the package calls the unit
notebook makes; ``evalkit units`` itself is tested in tests/test_units.py.
"""

from __future__ import annotations

import pytest
from report_fixture import write_fixture
from test_report_browser import _open_in_chromium, needs_chromium

from evalkit.report.unit import load_unit_data, unit_context, write_unit_page

pytestmark = pytest.mark.browser


@needs_chromium
@pytest.mark.parametrize("lang", ["id", "en"])
def test_unit_page_opens_offline_without_errors(tmp_path, lang):
    processed = write_fixture(tmp_path / "data")
    units = tmp_path / "run" / "units"
    data = load_unit_data(processed, lang=lang)
    page = write_unit_page(unit_context("Dinas A", data, output_dir=units), units)
    result = _open_in_chromium(tmp_path, page, units / "dinas-a.png")
    assert result["errors"] == [], result["errors"]
    outside = [u for u in result["requests"] if not u.startswith(("file:", "data:"))]
    assert outside == []
    assert result["broken_images"] == 0
    # key findings + the nine sections of the page (published block … mentoring)
    assert result["h2"] == 10
    assert result["title"] == {"id": "Dinas A — Laporan unit", "en": "Dinas A — Unit report"}[lang]
    png = (units / "dinas-a.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
