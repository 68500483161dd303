"""``evalkit run --scheduler/--workers``: the scheduler's address reaches the notebooks that
declare ``dask_scheduler`` and only those, run.json records it, a local cluster is closed at
the end and somebody else's is not.

dask itself is not needed here: ``evalkit.distributed`` is replaced by a stand-in whose
``connect`` returns a client with a scheduler address, as dask.distributed's ``Client`` has.
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import nbformat
import pytest

from evalkit import cli
from notebook_fixture import fixture_notebook

ADDRESS = "tcp://127.0.0.1:8786"


class _Closable:
    def __init__(self) -> None:
        self.closed = False

    def close(self) -> None:
        self.closed = True


class _Client(_Closable):
    def __init__(self, address: str) -> None:
        super().__init__()
        self.scheduler = types.SimpleNamespace(address=address)
        self.cluster = _Closable()


@pytest.fixture
def distributed(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    calls: dict[str, object] = {}

    def connect(scheduler: str | None = None, workers: int | None = None) -> _Client:
        calls["connect"] = (scheduler, workers)
        calls["client"] = _Client(scheduler or ADDRESS)
        return calls["client"]

    module = types.ModuleType("evalkit.distributed")
    module.connect = connect
    module.describe_client = lambda client: f"2 workers at {client.scheduler.address}"
    monkeypatch.setitem(sys.modules, "evalkit.distributed", module)
    return calls


@pytest.fixture
def folders(tmp_path: Path) -> dict[str, Path]:
    notebooks, raw = tmp_path / "notebooks", tmp_path / "raw"
    notebooks.mkdir()
    raw.mkdir()
    nbformat.write(fixture_notebook('output_dir: str = "reports/interactive"\n'
                                    'dask_scheduler: str = ""  # empty: everything in-process\n',
                                    'print("scheduler:", dask_scheduler or "none")'),
                   notebooks / "01-with-dask.ipynb")
    nbformat.write(fixture_notebook('output_dir: str = "reports/interactive"\n',
                                    'print("plain")'),
                   notebooks / "02-without.ipynb")
    params = tmp_path / "params.yaml"
    params.write_text(f"raw_dir: {raw}\n", encoding="utf-8")
    return {"notebooks": notebooks, "params": params, "run": tmp_path / "run"}


@pytest.fixture(autouse=True)
def _pipeline_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the fixture notebooks declare none of config/pipeline.yaml's parameters
    path = tmp_path / "pipeline.yaml"
    path.write_text(f"raw_dir: {tmp_path / 'raw'}\noutput_dir: ignored\n", encoding="utf-8")
    monkeypatch.setattr("evalkit.config.PIPELINE_FILE", path)


def _printed(notebook: Path) -> str:
    nb = nbformat.read(notebook, as_version=4)
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))


def _run(folders: dict[str, Path], *flags: str) -> dict:
    code = cli.main(["run", "--notebooks", str(folders["notebooks"]), "--params",
                     str(folders["params"]), "--output", str(folders["run"]), "--quiet",
                     *flags])
    assert code == 0
    return json.loads((folders["run"] / "run.json").read_text(encoding="utf-8"))


def test_local_workers_reach_only_the_declaring_notebook(folders, distributed) -> None:
    record = _run(folders, "--workers", "2", "--jobs", "2")
    assert distributed["connect"] == (None, 2)
    assert _printed(folders["run"] / "notebooks" / "01-with-dask.ipynb") == (
        f"scheduler: {ADDRESS}\n")
    second = nbformat.read(folders["run"] / "notebooks" / "02-without.ipynb", as_version=4)
    assert "dask_scheduler" not in "".join(c.source for c in second.cells)
    assert record["dask"] == {"scheduler": ADDRESS, "cluster": f"2 workers at {ADDRESS}",
                              "notebooks": ["01-with-dask.ipynb"]}
    assert record["jobs"] == 2
    client = distributed["client"]
    assert client.closed and client.cluster.closed  # the local cluster ends with the run


def test_an_existing_scheduler_is_used_and_left_running(folders, distributed) -> None:
    record = _run(folders, "--scheduler", "tcp://10.1.2.3:8786")
    assert distributed["connect"] == ("tcp://10.1.2.3:8786", None)
    assert record["dask"]["scheduler"] == "tcp://10.1.2.3:8786"
    client = distributed["client"]
    assert client.closed and not client.cluster.closed


def test_without_dask_flags_nothing_is_connected(folders, distributed) -> None:
    record = _run(folders)
    assert "connect" not in distributed and record["dask"] is None
    # the notebook's own default: everything in-process
    assert _printed(folders["run"] / "notebooks" / "01-with-dask.ipynb") == "scheduler: none\n"


def test_scheduler_and_workers_exclude_each_other(capsys) -> None:
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["run", "--scheduler", "tcp://x:1", "--workers", "2"])
    assert "not allowed with argument" in capsys.readouterr().err


def test_without_dask_installed_the_flags_say_what_to_do(folders, monkeypatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails as if absent
    code = cli.main(["run", "--notebooks", str(folders["notebooks"]), "--params",
                     str(folders["params"]), "--output", str(folders["run"]), "--quiet",
                     "--workers", "2"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("evalkit run: --scheduler/--workers need dask.distributed")
    assert "pip install 'dask[distributed]'" in err
    assert not folders["run"].exists()  # refused before anything ran
