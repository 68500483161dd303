"""`evalkit units`: one offline page per unit, made by papermill from the processed tables.

The end-to-end test runs the real command (two units, two kernels) on the hand-made
processed folder of tests/report_fixture.py, whose units have known properties: "Dinas A"
is weak on u7 (answers 1–2 where the others answer 3–4) and 12 of its 20 alumni struggle to
apply the training (Wilson lower bound 0.387 above the city's 13/35 = 0.371); "Kecamatan C"
has 3 respondents in the latest quarter and 3 staff, so every statistic of those must be
suppressed (min_cell_size 5).
"""

from __future__ import annotations

import ast
import io
import json
import math
import re

import nbformat
import numpy as np
import pandas as pd
import pytest
from report_fixture import run_notebook_06, write_fixture
from test_notebooks import EMAIL, NIK, NIP, PHONE, _text_outputs

from evalkit import cli
from evalkit.config import NOTEBOOKS_DIR
from evalkit.findings import VERDICTS
from evalkit.pipeline import NOTEBOOK_NAME, declared_parameters, discover_notebooks
from evalkit.report.unit import load_unit_data, unit_context, write_unit_page
from evalkit.report.unit_findings import unit_ikm_vs_city_numbers
from evalkit.report.unit_links import unit_page_links, unit_slug
from evalkit.units import UNIT_NOTEBOOK, select_units

#: What a page must not load from outside itself: scripts, styles, fonts, images.
REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?(?:https?:)?//"""
                    r"""|@import|<script|<link\b""", re.IGNORECASE)


# --- the notebook -------------------------------------------------------------------------


def test_unit_notebook_is_outside_the_numbered_chain():
    assert UNIT_NOTEBOOK == NOTEBOOKS_DIR / "unit" / "unit-report.ipynb"
    assert UNIT_NOTEBOOK.is_file()
    assert not NOTEBOOK_NAME.match(UNIT_NOTEBOOK.name)
    found = discover_notebooks()  # `evalkit run` must never execute it
    assert UNIT_NOTEBOOK not in found and all(p.parent == NOTEBOOKS_DIR for p in found)


def test_unit_notebook_is_committed_executed_with_checked_outputs():
    cells = [c for c in nbformat.read(UNIT_NOTEBOOK, as_version=4).cells if c.cell_type == "code"]
    assert all(c.get("execution_count") is not None for c in cells), "run the notebook in place"
    assert not [c for c in cells if any(o.get("output_type") == "error" for o in c.outputs)]
    checked = [c for c in cells if c.source.lstrip().startswith("# NBVAL_CHECK_OUTPUT")]
    assert len(checked) >= 4 and all(c.outputs for c in checked)
    for cell in cells:  # the committed outputs carry no identifier
        text = _text_outputs(cell)
        for pattern in (NIP, NIK, PHONE, EMAIL):
            assert pattern.search(text) is None, pattern.search(text)


def test_unit_notebook_parameters_are_literal_and_commented():
    cell = nbformat.read(UNIT_NOTEBOOK, as_version=4).cells[1]
    assert "parameters" in cell.metadata.get("tags", [])
    for statement in ast.parse(cell.source).body:
        assert isinstance(statement, ast.AnnAssign)
        ast.literal_eval(statement.value)
        assert "#" in cell.source.splitlines()[statement.lineno - 1]
    assert {"unit", "lang", "processed_dir", "output_dir", "min_cell_size"} <= set(
        declared_parameters(UNIT_NOTEBOOK))


# --- pieces -------------------------------------------------------------------------------


def test_select_units_by_name_or_slug_even_with_commas_in_names():
    known = ["Dinas Komunikasi, Informatika, Statistik dan Persandian", "Dinas Sosial",
             "Inspektorat"]
    assert select_units("dinas sosial,Dinas Komunikasi, Informatika, Statistik dan Persandian",
                        known) == ["Dinas Sosial", known[0]]
    assert select_units("inspektorat,dinas-sosial", known) == ["Inspektorat", "Dinas Sosial"]
    assert select_units(None, known) == known
    with pytest.raises(ValueError, match="'Dinas Tidak Ada' is not a unit"):
        select_units("Inspektorat,Dinas Tidak Ada", known)


def test_unit_slug_is_a_file_name():
    assert unit_slug("Dinas Komunikasi, Informatika, Statistik dan Persandian") == \
        "dinas-komunikasi-informatika-statistik-dan-persandian"
    with pytest.raises(ValueError):
        unit_slug("—")


def test_unit_against_city_interval_by_hand():
    # Unit 40 respondents, IKM 80 (se 2); rest of the city 360 respondents, IKM 85 (se 0.5);
    # city 84.5. By hand: w = 40/400 = 0.1, se = 0.9·sqrt(2² + 0.5²) = 0.9·2.0616 = 1.85540,
    # interval −4.5 ± 1.95996·1.85540 = (−8.1365, −0.8635).
    out = unit_ikm_vs_city_numbers(80.0, 2.0, 40, 85.0, 0.5, 360, 84.5)
    assert out["estimate"] == pytest.approx(-4.5)
    assert out["se"] == pytest.approx(0.9 * math.sqrt(4.25), rel=1e-12)
    assert (out["ci_low"], out["ci_high"]) == pytest.approx((-8.1365, -0.8635), abs=1e-4)


def test_a_unit_without_data_gets_a_page_that_says_so(tmp_path):
    processed = write_fixture(tmp_path / "data")
    data = load_unit_data(processed, lang="en")
    context = unit_context("Dinas Tanpa Data", data, output_dir=tmp_path / "units")
    page = write_unit_page(context, tmp_path / "units").read_text(encoding="utf-8")
    assert "rest on too few people: Published SKM result; IKM per period" in page
    assert page.count("This unit has no rows in table") >= 5
    assert context["findings"] == []


# --- the command, end to end ----------------------------------------------------------------


@pytest.fixture(scope="module")
def unit_run(tmp_path_factory):
    """A run folder (summary.html of the fixture) and `evalkit units` for two units in it."""
    root = tmp_path_factory.mktemp("units")
    processed = write_fixture(root / "data")
    run = root / "run"
    run_notebook_06(processed, run, "en")
    assert unit_page_links(run) == []  # no unit pages yet: the summary lists none
    (run / "run.json").write_text(json.dumps({"parameters": {
        "processed_dir": str(processed), "lang": "en", "min_cell_size": 5}}), encoding="utf-8")
    code = cli.main(["units", "--run", str(run), "--units", "Dinas A,kecamatan-c",
                     "--jobs", "2", "--quiet"])
    return {"code": code, "run": run, "processed": processed}


def _page(unit_run, slug: str) -> str:
    return (unit_run["run"] / "units" / f"{slug}.html").read_text(encoding="utf-8")


def _ikm_table(html: str) -> pd.DataFrame:
    # a suppressed cell shows "–"; read it as missing
    return pd.read_html(io.StringIO(html.replace("–", "NaN")), match="City IKM")[0]


def test_units_command_writes_a_page_and_notebook_per_unit(unit_run):
    assert unit_run["code"] == 0
    units = unit_run["run"] / "units"
    index = json.loads((units / "index.json").read_text(encoding="utf-8"))
    assert [(e["unit"], e["status"]) for e in index] == [("Dinas A", "ok"), ("Kecamatan C", "ok")]
    for slug in ("dinas-a", "kecamatan-c"):
        assert (units / f"{slug}.html").is_file()
        assert (units / "notebooks" / f"{slug}.ipynb").is_file()
        findings = pd.read_csv(units / "tables" / f"{slug}_findings.csv")
        assert set(findings["verdict"]) <= set(VERDICTS)


def test_pages_are_offline(unit_run):
    for slug in ("dinas-a", "kecamatan-c"):
        html = _page(unit_run, slug)
        assert REMOTE.search(html) is None, REMOTE.search(html)
        images = re.findall(r"<img[^>]*src=\"([^\"]*)\"", html)
        assert all(src.startswith("data:image/png;base64,") for src in images)
    assert len(re.findall(r"<img", _page(unit_run, "dinas-a"))) == 1  # its IKM figure


def test_page_numbers_equal_ikm_unit_period(unit_run):
    table = pd.read_parquet(unit_run["processed"] / "ikm_unit_period.parquet")
    expected = table[table["unit"] == "Dinas A"].sort_values("period")
    shown = _ikm_table(_page(unit_run, "dinas-a"))
    assert shown["Period"].tolist() == expected["period"].astype(str).tolist()
    assert shown["Respondents"].tolist() == expected["n_responses"].tolist()
    np.testing.assert_allclose(shown["IKM"], expected["ikm"].round(2), atol=0.005)
    np.testing.assert_allclose(shown["95% CI low"], expected["ikm_ci_low"].round(2), atol=0.005)
    assert shown["Grade"].str[0].tolist() == expected["mutu"].tolist()  # "B (Good)"


def test_small_cells_are_suppressed(unit_run):
    html = _page(unit_run, "kecamatan-c")
    table = pd.read_parquet(unit_run["processed"] / "ikm_unit_period.parquet")
    small = table[(table["unit"] == "Kecamatan C") & (table["period"] == "2024Q4")].iloc[0]
    assert small["n_responses"] == 3  # the fixture's small quarter
    shown = _ikm_table(html).set_index("Period")
    assert shown.loc["2024Q4", ["Respondents", "IKM", "95% CI low"]].isna().all()
    assert f"{small['ikm']:.2f}" not in html  # nowhere on the page
    assert "The result of 2024Q4 is not shown: fewer than 5 respondents." in html
    training = pd.read_html(io.StringIO(html.replace("–", "NaN")), match="Staff trained")[0]
    assert training["Year"].tolist() == [2024]  # 3 staff: every count and share hidden
    assert training.drop(columns="Year").isna().all().all()
    pids = pd.read_parquet(unit_run["processed"] / "pegawai.parquet")["pid"]
    assert not any(pid in html for pid in pids)


def test_findings_follow_the_units_known_properties(unit_run):
    html = _page(unit_run, "dinas-a")
    assert "U7 Staff behaviour" in html and "clearly below the city" in html
    assert "report difficulty applying the training more often than the city" in html


def test_summary_links_the_unit_pages(unit_run):
    summary = (unit_run["run"] / "summary.html").read_text(encoding="utf-8")
    assert '<a href="units/dinas-a.html">Dinas A</a>' in summary
    assert '<a href="units/kecamatan-c.html">Kecamatan C</a>' in summary
    assert summary.count('<h2 id="sec-units">') == 1
    assert _page(unit_run, "dinas-a").count('href="../summary.html"') == 1


def test_units_command_refuses_an_unknown_unit(unit_run, capsys):
    code = cli.main(["units", "--run", str(unit_run["run"]), "--units", "Dinas Z", "--quiet"])
    assert code == 2
    assert "'Dinas Z' is not a unit" in capsys.readouterr().err


def test_units_without_a_run_folder_says_what_to_do(tmp_path, capsys):
    assert cli.main(["units", "--run", str(tmp_path / "nope")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_unit_figures_go_beside_the_pages(unit_run):
    figures = sorted(p.name for p in (unit_run["run"] / "units" / "figures").glob("*.png"))
    assert figures == ["unit_dinas-a_ikm.png", "unit_kecamatan-c_ikm.png"]


def test_pages_carry_no_identifiers(unit_run):
    for slug in ("dinas-a", "kecamatan-c"):
        text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", _page(unit_run, slug))
        for pattern in (NIP, NIK, PHONE, EMAIL):
            assert pattern.search(text) is None, pattern.search(text)


def test_reference_refreshes_the_unit_report_last_or_alone(monkeypatch):
    from evalkit import cli, pipeline

    executed = []
    monkeypatch.setattr(pipeline, "execute_in_place",
                        lambda path, progress=True: executed.append(path.name))
    assert cli.main(["reference", "--quiet"]) == 0
    numbered = [p.name for p in pipeline.discover_notebooks()]
    assert executed == [*numbered, "unit-report.ipynb"]
    executed.clear()
    assert cli.main(["reference", "--quiet", "--only", "unit"]) == 0
    assert executed == ["unit-report.ipynb"]
    executed.clear()
    assert cli.main(["reference", "--quiet", "--only", "4"]) == 0
    assert executed == ["04-training-effects.ipynb"]
