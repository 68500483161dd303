"""Notebooks side by side (issue 15): outputs that do not depend on ``--jobs``, a notebook
started as soon as the cell writing its input has run, and what happens when that writer
then fails or writes the table again.

The fixture notebooks really run through papermill. The expected values follow from what
their cells write, by hand: ``b`` counts the rows of ``a`` as the writer left it at the end.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from evalkit import cli
from evalkit.pipeline import run_pipeline
from notebook_fixture import fixture_notebook

PARAMETERS = '''\
raw_dir: str = "data/raw"  # raw exports
processed_dir: str = "data/processed"  # processed tables
output_dir: str = "reports/interactive"  # run folder
'''

WRITE_A = '''\
import pandas as pd
pd.DataFrame({{"x": list(range({rows}))}}).to_parquet(f"{{processed_dir}}/a.parquet")
'''

COUNT_A = '''\
import pandas as pd
from pathlib import Path
rows = len(pd.read_parquet(f"{processed_dir}/a.parquet"))
pd.DataFrame({"rows": [rows]}).to_parquet(f"{processed_dir}/b.parquet")
(Path(output_dir) / "tables").mkdir(parents=True, exist_ok=True)
(Path(output_dir) / "tables" / "rows.csv").write_text(f"rows\\n{rows}\\n")
'''


def _notebook(*cells: str, **io: object) -> nbformat.NotebookNode:
    return fixture_notebook(PARAMETERS, *cells, evalkit=io)


def _folders(tmp_path: Path, *writer_cells: str) -> dict[str, Path]:
    notebooks, processed, raw = tmp_path / "nb", tmp_path / "processed", tmp_path / "raw"
    for folder in (notebooks, processed, raw):
        folder.mkdir()
    nbformat.write(_notebook(*writer_cells, writes=["a"]), notebooks / "01-writer.ipynb")
    nbformat.write(_notebook(COUNT_A, needs=["a"], writes=["b"]), notebooks / "02-reader.ipynb")
    return {"notebooks": notebooks, "processed": processed, "raw": raw}


def _run(folders: dict[str, Path], run_dir: Path, jobs: int, progress: bool = False):
    params = {"raw_dir": str(folders["raw"]), "processed_dir": str(folders["processed"]),
              "output_dir": "ignored"}
    result = run_pipeline(params, run_dir=run_dir, notebooks_dir=folders["notebooks"],
                          progress=progress, jobs=jobs)
    record = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    return result, {n["notebook"][:2]: n for n in record["notebooks"]}, record


def test_a_reader_starts_when_the_writing_cell_has_run(tmp_path: Path) -> None:
    folders = _folders(tmp_path, WRITE_A.format(rows=3), "import time\ntime.sleep(4)")
    result, entries, record = _run(folders, tmp_path / "run", jobs=2)
    assert result.ok and record["jobs"] == 2
    # the reader ran during the writer's last cell (4 s of sleep), not after it
    assert entries["02"]["started"] < entries["01"]["finished"] - 1
    assert (tmp_path / "run" / "tables" / "rows.csv").read_text() == "rows\n3\n"
    for entry in entries.values():
        assert entry["seconds"] >= entry["warmup_seconds"] > 0
    assert record["wall_seconds"] >= entries["01"]["finished"]


def test_a_table_written_again_reruns_its_reader(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    # with 2 jobs the reader starts on the first version (2 rows) while the writer sleeps,
    # and runs again when the writer ends; with 1 job it waits. Both end with 5 rows.
    folders = _folders(tmp_path, WRITE_A.format(rows=2), "import time\ntime.sleep(3)",
                       WRITE_A.format(rows=5))
    for jobs in (1, 2):
        run_dir = tmp_path / f"run-{jobs}"
        result, entries, _ = _run(folders, run_dir, jobs=jobs, progress=True)
        again = "again  02-reader.ipynb: a table it read was rewritten" in capsys.readouterr().out
        assert again == (jobs == 2)
        assert result.ok
        assert (run_dir / "tables" / "rows.csv").read_text() == "rows\n5\n"
        assert pd.read_parquet(folders["processed"] / "b.parquet")["rows"].tolist() == [5]


def test_a_writer_failing_after_its_table_stops_the_reader(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # with 2 jobs the reader has run on ``a`` before its writer failed: it is skipped all
    # the same, as with 1 job, where it never starts
    folders = _folders(tmp_path, WRITE_A.format(rows=3), "import time\ntime.sleep(3)",
                       "raise ValueError('late failure')")
    for jobs in (2, 1):
        run_dir = tmp_path / f"run-{jobs}"
        result, entries, _ = _run(folders, run_dir, jobs=jobs, progress=True)
        assert ("again  02-reader.ipynb" in capsys.readouterr().out) == (jobs == 2)
        assert result.status == "failed"
        assert entries["01"]["status"] == "failed"
        assert entries["01"]["error"].endswith("ValueError: late failure")
        assert entries["02"]["status"] == "skipped"
        assert entries["02"]["reason"] == "needs a (01-writer failed)"
        assert not (run_dir / "notebooks" / "02-reader.ipynb").exists()
        assert not (folders["processed"] / "b.parquet").exists()


def test_outputs_do_not_depend_on_jobs_skm_only(tmp_path: Path, monkeypatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    # issue 15: the project's notebooks on three units' SKM files of the bundled city (01, 02,
    # 06, 07 run; 02 can start inside 01, 07 beside them) give the same bytes with 1 or 2 jobs
    from evalkit.config import RAW_DIR

    raw = tmp_path / "exports"
    (raw / "skm").mkdir(parents=True)
    for unit in ("dinas-sosial", "inspektorat", "kecamatan-jebres"):
        for source in sorted((RAW_DIR / "skm").glob(f"{unit}_*.csv")):
            (raw / "skm" / source.name).write_bytes(source.read_bytes())
    monkeypatch.setenv("EVALKIT_KEY", "a-key-for-this-test")
    files: dict[int, dict[str, bytes]] = {}
    for jobs in (1, 2):
        processed, run = tmp_path / f"processed-{jobs}", tmp_path / f"run-{jobs}"
        params = tmp_path / f"params-{jobs}.yaml"
        params.write_text(f"processed_dir: {processed}\n", encoding="utf-8")
        assert cli.main(["run", "--raw-dir", str(raw), "--params", str(params), "--output",
                         str(run), "--jobs", str(jobs)]) == 0
        files[jobs] = {p.relative_to(tmp_path).as_posix().split("/", 1)[1]: p.read_bytes()
                       for p in [*processed.iterdir(), *(run / "tables").glob("*.csv")]}
    assert files[1] == files[2]
    assert {"skm.parquet", "ikm_unit_period.parquet", "tables/ikm_unit_period.csv"} <= set(
        files[1])
    out = capsys.readouterr().out
    # one line as each notebook starts and as it ends
    assert "start  02-service-satisfaction-ikm.ipynb" in out
    assert "] ok     02-service-satisfaction-ikm.ipynb (" in out
    assert "] skip   03-training-participation.ipynb: needs pegawai" in out


def test_the_kernel_starts_with_the_notebooks_imports_loaded_and_nothing_else(
        tmp_path: Path) -> None:
    # the first cell looks before the notebook's own import (cell 2) has run
    folders = _folders(tmp_path, "import sys\nprint('evalkit.ikm' in sys.modules, "
                                 "[n for n in globals() if 'preload' in n])",
                       "from evalkit import ikm")
    result, _, _ = _run(folders, tmp_path / "run", jobs=1)
    assert result.ok
    nb = nbformat.read(tmp_path / "run" / "notebooks" / "01-writer.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]  # parameters, injected, 2 cells
    assert code[2].outputs[0]["text"] == "True []\n"
    # the silent preload used no execution count: the cells count 1, 2, 3, 4 as always
    assert [c.execution_count for c in code] == [1, 2, 3, 4]


def test_a_kernel_nobody_waits_for_yields_the_cpu(tmp_path: Path) -> None:
    import os

    from evalkit.kernels import BACKGROUND_NICENESS, NotebookKernel

    kernel = NotebookKernel("python3", tmp_path, [])
    assert kernel.lower_priority() is False  # no process yet
    kernel.start([])
    try:
        pid = kernel.km.provisioner.pid
        before = os.getpriority(os.PRIO_PROCESS, pid)
        assert kernel.lower_priority() is True
        assert os.getpriority(os.PRIO_PROCESS, pid) == min(19, before + BACKGROUND_NICENESS)
    finally:
        kernel.shutdown()
