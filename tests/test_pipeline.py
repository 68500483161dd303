"""The notebook runner on small fixture notebooks written into a temporary folder."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import nbformat
import pytest

from evalkit import cli
from evalkit.config import PIPELINE_FILE, load_yaml
from evalkit.pipeline import (
    PipelineError,
    discover_notebooks,
    execute_in_place,
    run_pipeline,
    sha256_of_inputs,
)
from notebook_fixture import fixture_notebook

PARAMETERS_FIRST = '''\
raw_dir: str = "data/raw"  # raw exports
output_dir: str = "reports/interactive"  # run folder
greeting: str = "hello"  # printed back
values: list = [1, 2]  # a list travels as a list, not a string
'''

BODY_FIRST = '''\
import pandas as pd
import matplotlib.pyplot as plt
from evalkit.outputs import save_figure, save_table
from evalkit.plots import set_style

print(greeting, type(values).__name__, values)
set_style()
fig, ax = plt.subplots()
ax.plot(values, [v * 2 for v in values])
save_figure(fig, "line", output_dir)
save_table(pd.DataFrame({"value": values}), "values", output_dir)
'''

PARAMETERS_SECOND = '''\
output_dir: str = "reports/interactive"  # run folder
seed: int = 1  # 13 makes this notebook fail, on purpose
''' + "".join(  # declare every default of config/pipeline.yaml, as the real notebooks do
    f"{name}: {type(value).__name__} = {value!r}  # from config/pipeline.yaml\n"
    for name, value in load_yaml(PIPELINE_FILE).items() if name not in ("output_dir", "seed"))

BODY_SECOND = '''\
if seed == 13:
    raise ValueError("asked to fail")
print("second done")
'''


def _notebook(parameters: str, body: str) -> nbformat.NotebookNode:
    return fixture_notebook(parameters, body, title="# fixture")


@pytest.fixture
def notebooks_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nbformat.write(_notebook(PARAMETERS_FIRST, BODY_FIRST), folder / "01-first.ipynb")
    nbformat.write(_notebook(PARAMETERS_SECOND, BODY_SECOND), folder / "02-second.ipynb")
    return folder


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    (folder / "skm").mkdir(parents=True)
    (folder / "pegawai.csv").write_text("NIP,Nama\n", encoding="utf-8")
    (folder / "skm" / "a.csv").write_bytes(b"x;y\n1;2\n")
    return folder


def _params(raw_dir: Path, **extra: object) -> dict[str, object]:
    return {"raw_dir": str(raw_dir), "output_dir": "ignored", **extra}


def _outputs_text(notebook: Path) -> str:
    nb = nbformat.read(notebook, as_version=4)
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.get("outputs", []))


def test_discover_orders_by_number_and_filters(notebooks_dir: Path) -> None:
    assert [p.name for p in discover_notebooks(notebooks_dir)] == ["01-first.ipynb",
                                                                   "02-second.ipynb"]
    assert [p.name for p in discover_notebooks(notebooks_dir, only=["2"])] == ["02-second.ipynb"]
    with pytest.raises(PipelineError, match="no notebook numbered 09"):
        discover_notebooks(notebooks_dir, only=["09"])


@pytest.mark.parametrize("bad_name", ["3-short.ipynb", "04_underscore.ipynb", "05-Upper.ipynb",
                                      "analysis.ipynb"])
def test_notebook_name_must_follow_pattern(notebooks_dir: Path, bad_name: str) -> None:
    nbformat.write(_notebook(PARAMETERS_SECOND, BODY_SECOND), notebooks_dir / bad_name)
    with pytest.raises(PipelineError, match="NN-slug.ipynb"):
        discover_notebooks(notebooks_dir)


def test_parameters_injected_with_their_types(notebooks_dir: Path, raw_dir: Path,
                                              tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    result = run_pipeline(_params(raw_dir, greeting="salam", values=[3, 4]), run_dir=run_dir,
                          notebooks_dir=notebooks_dir, progress=False)
    assert result.ok
    printed = _outputs_text(run_dir / "notebooks" / "01-first.ipynb")
    assert "salam list [3, 4]" in printed
    # output_dir is always the run folder, whatever the caller passed
    assert (run_dir / "figures" / "line.png").exists()
    assert (run_dir / "tables" / "values.csv").read_text() == "value\n3\n4\n"
    assert (run_dir / "html" / "01-first.html").exists()
    # 02 does not declare greeting: it is not injected there
    second = nbformat.read(run_dir / "notebooks" / "02-second.ipynb", as_version=4)
    assert "greeting" not in "".join(c.source for c in second.cells)


def test_unknown_parameter_refused(notebooks_dir: Path, raw_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match=r"unknown parameter\(s\): greting"):
        run_pipeline(_params(raw_dir, greting="typo"), run_dir=tmp_path / "run",
                     notebooks_dir=notebooks_dir, progress=False)
    assert not (tmp_path / "run").exists()  # refused before anything ran


def test_failure_names_notebook_cell_and_error(notebooks_dir: Path, raw_dir: Path,
                                               tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    result = run_pipeline(_params(raw_dir, seed=13), run_dir=run_dir,
                          notebooks_dir=notebooks_dir, progress=False)
    assert result.status == "failed"
    failed = result.notebooks[-1]
    assert failed.notebook == "02-second.ipynb"
    # cell 2 is the third cell (markdown, parameters, body) plus the injected parameters cell
    assert failed.error.startswith("02-second.ipynb, cell ")
    assert failed.error.endswith("ValueError: asked to fail")
    assert (run_dir / "notebooks" / "02-second.ipynb").exists()  # kept for inspection
    record = json.loads((run_dir / "run.json").read_text())
    assert record["status"] == "failed"
    assert [n["status"] for n in record["notebooks"]] == ["ok", "failed"]


def test_run_json_is_complete(notebooks_dir: Path, raw_dir: Path, tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    run_pipeline(_params(raw_dir), run_dir=run_dir, notebooks_dir=notebooks_dir, progress=False)
    record = json.loads((run_dir / "run.json").read_text())
    assert record["status"] == "ok"
    assert record["parameters"]["output_dir"] == str(run_dir)
    expected = {"pegawai.csv": hashlib.sha256(b"NIP,Nama\n").hexdigest(),
                "skm/a.csv": hashlib.sha256(b"x;y\n1;2\n").hexdigest()}
    assert record["inputs"] == expected
    assert {"python", "pandas", "papermill", "evalkit"} <= set(record["packages"])
    assert record["started"] <= record["finished"]
    for entry in record["notebooks"]:
        assert entry["status"] == "ok" and entry["seconds"] > 0


def test_two_runs_give_identical_tables_and_figures(notebooks_dir: Path, raw_dir: Path,
                                                    tmp_path: Path) -> None:
    digests = []
    for name in ("run-a", "run-b"):
        run_dir = tmp_path / name
        run_pipeline(_params(raw_dir), run_dir=run_dir, notebooks_dir=notebooks_dir,
                     progress=False)
        digests.append({p.relative_to(run_dir).as_posix(): sha256_of_inputs(p.parent)[p.name]
                        for sub in ("figures", "tables") for p in (run_dir / sub).iterdir()})
    assert set(digests[0]) == {"figures/line.png", "figures/line.svg", "tables/values.csv",
                               "tables/values.xlsx"}
    assert digests[0] == digests[1]


def test_cli_failure_is_one_line_and_non_zero(notebooks_dir: Path, raw_dir: Path,
                                              tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    params = tmp_path / "params.yaml"
    params.write_text(f"raw_dir: {raw_dir}\nseed: 13\n", encoding="utf-8")
    code = cli.main(["run", "--notebooks", str(notebooks_dir), "--params", str(params),
                     "--output", str(tmp_path / "run"), "--quiet"])
    assert code == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("FAILED 02-second.ipynb, cell ")
    assert err[0].endswith("ValueError: asked to fail")


def test_cli_refuses_unknown_parameter_in_file(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    params = tmp_path / "params.yaml"
    params.write_text("lnag: en\n", encoding="utf-8")
    assert cli.main(["run", "--params", str(params), "--quiet"]) == 2
    assert "unknown parameter(s) lnag" in capsys.readouterr().err


def test_execute_in_place_strips_timings(notebooks_dir: Path) -> None:
    path = notebooks_dir / "02-second.ipynb"
    execute_in_place(path, progress=False)
    nb = nbformat.read(path, as_version=4)
    assert "papermill" not in nb.metadata
    assert all("papermill" not in c.metadata for c in nb.cells)
    assert "second done" in _outputs_text(path)
