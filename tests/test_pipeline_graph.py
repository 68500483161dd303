"""The runner's graph of needs → writes, skipped notebooks and stops, on tiny real notebooks.

Each fixture notebook really runs through papermill; its metadata declares what it needs and
writes, as the project's notebooks do. The expected outcomes follow from the declarations by
hand: with only source ``a`` in the raw folder, the notebook needing ``b`` cannot run, nor
the one needing what that notebook writes.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from evalkit import cli
from evalkit.pipeline import discover_notebooks, run_pipeline
from evalkit.run_plan import dependency_order, plan_run
from notebook_fixture import fixture_notebook

PARAMETERS = '''\
raw_dir: str = "data/raw"  # raw exports
processed_dir: str = "data/processed"  # processed tables
output_dir: str = "reports/interactive"  # run folder
'''

CLEAN = '''\
from pathlib import Path
import pandas as pd
for name in ("a", "b"):  # a table for each source present, as clean_all does
    target = Path(processed_dir) / f"{name}.parquet"
    if (Path(raw_dir) / f"{name}.csv").exists():
        pd.DataFrame({"x": [1, 2]}).to_parquet(target)
    else:
        target.unlink(missing_ok=True)
'''


def _derive(source: str, target: str) -> str:
    return f'''\
from evalkit.config import read_processed
from evalkit.schemas import write_processed
table = read_processed("{source}", processed_dir)
table.to_parquet(f"{{processed_dir}}/{target}.parquet")
print("{target} from {source}:", len(table))
'''


def _notebook(body: str, **io: object) -> nbformat.NotebookNode:
    return fixture_notebook(PARAMETERS, body, evalkit=io)


@pytest.fixture
def folders(tmp_path: Path) -> dict[str, Path]:
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    # numbered against the dependency order on purpose: 02 reads what 04 writes
    nbformat.write(_notebook(CLEAN, reads_raw=True, writes=["a", "b"]),
                   notebooks / "01-clean.ipynb")
    nbformat.write(_notebook(_derive("c", "e"), needs=["c"], writes=["e"]),
                   notebooks / "02-late.ipynb")
    nbformat.write(_notebook(_derive("b", "d"), needs=["b"], writes=["d"]),
                   notebooks / "03-needs-b.ipynb")
    nbformat.write(_notebook(_derive("a", "c"), needs=["a"], optional=["d"], writes=["c"]),
                   notebooks / "04-needs-a.ipynb")
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    processed.mkdir()
    (raw / "a.csv").write_text("x\n1\n", encoding="utf-8")
    return {"notebooks": notebooks, "raw": raw, "processed": processed, "run": tmp_path / "run"}


def _params(folders: dict[str, Path]) -> dict[str, str]:
    return {"raw_dir": str(folders["raw"]), "processed_dir": str(folders["processed"]),
            "output_dir": "ignored"}


def test_dependency_order_follows_needs_and_optional_reads(folders: dict[str, Path]) -> None:
    order = [p.name[:2] for p in dependency_order(discover_notebooks(folders["notebooks"]))]
    # 03 writes d, read by 04 (optional), whose c is needed by 02
    assert order == ["01", "03", "04", "02"]


def test_run_skips_notebooks_without_inputs_and_says_why(folders: dict[str, Path]) -> None:
    # a table of an earlier run on other data: must not count, and is removed
    pd.DataFrame({"x": [9]}).to_parquet(folders["processed"] / "d.parquet")
    result = run_pipeline(_params(folders), run_dir=folders["run"],
                          notebooks_dir=folders["notebooks"], progress=False)
    assert result.ok
    status = {o.notebook[:2]: (o.status, o.reason) for o in result.notebooks}
    assert status["01"] == ("ok", None) and status["04"] == ("ok", None)
    assert status["02"] == ("ok", None)  # c was written earlier in this run by 04
    assert status["03"] == ("skipped", "needs b (no such source in the raw folder)")
    assert not (folders["processed"] / "d.parquet").exists()
    record = json.loads((folders["run"] / "run.json").read_text())
    assert [(n["notebook"][:2], n["status"]) for n in record["notebooks"]] == [
        ("01", "ok"), ("03", "skipped"), ("04", "ok"), ("02", "ok")]
    assert record["notebooks"][1]["missing"] == ["b"]
    assert not (folders["run"] / "notebooks" / "03-needs-b.ipynb").exists()


def test_a_skipped_notebook_skips_its_dependants(folders: dict[str, Path]) -> None:
    (folders["raw"] / "a.csv").unlink()
    (folders["raw"] / "b.csv").write_text("x\n1\n", encoding="utf-8")
    result = run_pipeline(_params(folders), run_dir=folders["run"],
                          notebooks_dir=folders["notebooks"], progress=False)
    reasons = {o.notebook[:2]: o.reason for o in result.notebooks if o.status == "skipped"}
    assert reasons == {"04": "needs a (no such source in the raw folder)",
                       "02": "needs c (04-needs-a skipped)"}


def test_plan_matches_the_run(folders: dict[str, Path]) -> None:
    plan = plan_run(discover_notebooks(folders["notebooks"]), ["a"])
    assert [(p.notebook[:2], p.runs) for p in plan] == [("01", True), ("03", False),
                                                        ("04", True), ("02", True)]
    assert plan_run(discover_notebooks(folders["notebooks"]), [])[0].runs is False


def test_cli_prints_one_line_per_skipped_notebook(folders: dict[str, Path], tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("evalkit.config.PIPELINE_FILE", _pipeline_file(folders, tmp_path))
    code = cli.main(["run", "--notebooks", str(folders["notebooks"]), "--raw-dir",
                     str(folders["raw"]), "--output", str(folders["run"]), "--quiet"])
    assert code == 0
    out = capsys.readouterr().out.splitlines()
    assert "SKIPPED 03-needs-b.ipynb: needs b (no such source in the raw folder)" in out


def _pipeline_file(folders: dict[str, Path], tmp_path: Path) -> Path:
    path = tmp_path / "pipeline.yaml"
    path.write_text(f"raw_dir: {folders['raw']}\nprocessed_dir: {folders['processed']}\n"
                    "output_dir: ignored\n", encoding="utf-8")
    return path


STOP = '''\
from evalkit.errors import NotebookStop
raise NotebookStop("pegawai.csv: column NIP not found.\\nWhat to do: map it in sources.yaml.")
'''

EMPTY = '''\
from evalkit.config import read_processed
skm = read_processed("skm", processed_dir)
latest = sorted(skm["period"].unique())[-1]  # the IndexError the stop prevents
'''


@pytest.mark.parametrize(("body", "expected"), [
    (STOP, "NotebookStop: pegawai.csv: column NIP not found. What to do: map it in "
           "sources.yaml."),
    (EMPTY, "EmptyTableError: processed table 'skm' is empty: every row of its source went "
            "to the quarantine"),
])
def test_a_stop_reaches_the_terminal_whole(folders: dict[str, Path], tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch, body: str,
                                           expected: str) -> None:
    notebooks = tmp_path / "stop"
    notebooks.mkdir()
    nbformat.write(_notebook(body), notebooks / "01-stop.ipynb")
    pd.DataFrame({"period": pd.Series([], dtype=str)}).to_parquet(
        folders["processed"] / "skm.parquet")
    monkeypatch.setattr("evalkit.config.PIPELINE_FILE", _pipeline_file(folders, tmp_path))
    code = cli.main(["run", "--notebooks", str(notebooks), "--output", str(folders["run"]),
                     "--quiet"])
    assert code == 1
    err = capsys.readouterr().err
    first = err.splitlines()[0]
    assert first.startswith("FAILED 01-stop.ipynb, cell ") and expected in first
    assert "To exit" not in err and "IndexError" not in err
    if body is EMPTY:
        assert str(folders["processed"] / "quarantine.csv") in first


def test_sources_file_must_exist(folders: dict[str, Path], tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["run", "--notebooks", str(folders["notebooks"]), "--raw-dir",
                     str(folders["raw"]), "--sources", str(tmp_path / "nope.yaml"), "--quiet"])
    assert code == 2
    assert "nope.yaml does not exist" in capsys.readouterr().err


def test_check_refuses_a_missing_raw_folder(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check", "--raw-dir", str(tmp_path / "absent")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"evalkit check: raw folder {tmp_path / 'absent'} does not exist. Point "
                   "--raw-dir at the folder holding your exports (see data/raw/README.md)."]


def test_with_skm_alone_cleaning_ikm_and_report_run() -> None:
    # the project's own notebooks and their declarations (issue 13: SKM alone)
    plan = {p.notebook[:2]: p.runs for p in plan_run(discover_notebooks(),
                                                      ["skm", "quarantine"])}
    assert plan == {"01": True, "02": True, "03": False, "04": False, "05": False,
                    "06": True, "07": True}


def test_an_skm_only_folder_runs_end_to_end_through_the_cli(tmp_path: Path, monkeypatch,
                                                             capsys) -> None:
    # issue 13: a researcher with only survey exports gets a check, a run and a report.
    # Three units' files of the bundled city, copied into a folder without any HR export.
    from evalkit.config import RAW_DIR
    from evalkit.ikm import compute_ikm

    raw = tmp_path / "exports"
    (raw / "skm").mkdir(parents=True)
    units = ("dinas-sosial", "inspektorat", "kecamatan-jebres")
    for unit in units:
        for source in sorted((RAW_DIR / "skm").glob(f"{unit}_*.csv")):
            (raw / "skm" / source.name).write_bytes(source.read_bytes())
    monkeypatch.setenv("EVALKIT_KEY", "a-key-for-this-test")
    processed, run = tmp_path / "processed", tmp_path / "run"
    params = tmp_path / "params.yaml"
    params.write_text(f"processed_dir: {processed}\n", encoding="utf-8")

    assert cli.main(["check", "--raw-dir", str(raw)]) == 0
    printed = capsys.readouterr().out
    assert "[ok] skm: found" in printed and "[--] pegawai: missing" in printed
    assert "will run  02-service-satisfaction-ikm.ipynb" in printed
    assert "skipped   03-training-participation.ipynb: needs pegawai" in printed

    assert cli.main(["run", "--raw-dir", str(raw), "--params", str(params), "--output",
                     str(run), "--quiet"]) == 0
    record = json.loads((run / "run.json").read_text(encoding="utf-8"))
    status = {n["notebook"][:2]: n["status"] for n in record["notebooks"]}
    assert status == {"01": "ok", "02": "ok", "03": "skipped", "04": "skipped",
                      "05": "skipped", "06": "ok", "07": "ok"}
    assert all(n["reason"] for n in record["notebooks"] if n["status"] == "skipped")
    # the run's IKM table is the IKM of the cleaned responses, computed again here
    skm = pd.read_parquet(processed / "skm.parquet")
    assert skm["unit"].nunique() == len(units)
    published = pd.read_csv(run / "tables" / "ikm_unit_period.csv")
    expected = compute_ikm(skm).sort_values(["unit", "period"], ignore_index=True)
    pd.testing.assert_series_equal(published.sort_values(["unit", "period"], ignore_index=True)
                                   ["ikm"], expected["ikm"], check_dtype=False)
    html = (run / "summary.html").read_text(encoding="utf-8")
    assert 'id="sec-ikm"' in html and 'id="sec-effects"' not in html


def test_the_readme_example_one_unit_long_layout_by_semester(tmp_path: Path, monkeypatch,
                                                              capsys) -> None:
    # README "Your own exports": an e-SKM app's one-row-per-answer export of one service mall,
    # letters A–D, sarana asked 8th and pengaduan 9th, surveyed by semester; no HR data.
    rng = np.random.default_rng(13)
    n = 40
    scores = rng.integers(1, 5, size=(n, 9))  # columns: elements u1…u9 in the regulation's order
    stamps = pd.to_datetime("2024-01-08 08:00") + pd.to_timedelta(
        np.r_[rng.integers(0, 150, n // 2), rng.integers(190, 330, n // 2)], unit="D")
    app_question = [f"U{k}" for k in range(1, 8)] + ["U9", "U8"]  # u8 asked 9th, u9 8th
    rows = [(f"r{i:03d}", app_question[k], "ABCD"[scores[i, k] - 1],
             stamps[i].strftime("%Y-%m-%d %H:%M:%S")) for i in range(n) for k in range(9)]
    raw = tmp_path / "mpp"
    raw.mkdir()
    pd.DataFrame(rows, columns=["id_responden", "id_soal", "jawaban", "created_date"]).to_csv(
        raw / "skm_jawaban.csv", index=False)
    (raw / "sources.yaml").write_text(
        'skm:\n  files: "skm_jawaban.csv"\n  layout: long\n  unit: "Mal Pelayanan Publik"\n'
        "  columns: {Responden: id_responden, Pertanyaan: id_soal, Jawaban: jawaban,\n"
        "            Timestamp: created_date}\n  questions: {U8: u9, U9: u8}\n"
        "  answers: {A: 1, B: 2, C: 3, D: 4}\n  period: semester\n", encoding="utf-8")
    monkeypatch.setenv("EVALKIT_KEY", "a-key-for-this-test")
    params = tmp_path / "params.yaml"
    params.write_text(f"processed_dir: {tmp_path / 'processed'}\nlang: en\n", encoding="utf-8")

    assert cli.main(["check", "--raw-dir", str(raw)]) == 0
    assert "[ok] skm: found, 40 rows" in capsys.readouterr().out
    run = tmp_path / "run"
    assert cli.main(["run", "--raw-dir", str(raw), "--params", str(params), "--output",
                     str(run), "--quiet"]) == 0
    status = {n["notebook"][:2]: n["status"]
              for n in json.loads((run / "run.json").read_text(encoding="utf-8"))["notebooks"]}
    assert status == {"01": "ok", "02": "ok", "03": "skipped", "04": "skipped",
                      "05": "skipped", "06": "ok", "07": "ok"}
    # IKM by hand: mean score of each element per semester, × 1/9 summed, × 25
    ikm = pd.read_csv(run / "tables" / "ikm_unit_period.csv").set_index("period")["ikm"]
    half = n // 2
    expected = {"2024S1": scores[:half].mean(axis=0).sum() / 9 * 25,
                "2024S2": scores[half:].mean(axis=0).sum() / 9 * 25}
    assert ikm.to_dict() == pytest.approx(expected, abs=0.005)  # the table is rounded half-up
    assert 'id="sec-ikm"' in (run / "summary.html").read_text(encoding="utf-8")
