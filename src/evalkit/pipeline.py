"""The notebook runner: the numbered notebooks whose inputs exist, through papermill.

Each notebook declares in its metadata (key ``evalkit``) the processed tables it ``needs``,
those it reads when present (``optional``), those it ``writes``, and whether it reads the raw
folder (``reads_raw``: the cleaning step). A run executes the notebooks in dependency order
(needs → writes, ties by number), skips those whose inputs are absent, and leaves, in
``reports/<run-name>/``: ``notebooks/`` (executed copies), ``html/`` (code hidden),
``figures/`` and ``tables/`` (written by the notebooks), and ``run.json`` (parameters, sha256
of every input file, package versions, timings, and each notebook's status ``ok``,
``failed`` or ``skipped`` with the reason).

Examples
--------
>>> from evalkit.pipeline import discover_notebooks
>>> [p.name[:2] for p in discover_notebooks()][:1]
['01']
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import re
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import nbformat

from evalkit import __version__
from evalkit.config import NOTEBOOKS_DIR, PROCESSED_DIR, REPORTS_DIR, resolve_path
from evalkit.errors import PipelineError
from evalkit.run_plan import dependency_order, notebook_io, skip_reason

#: ``NN-slug.ipynb``: two digits, a dash, lower-case words joined by dashes.
NOTEBOOK_NAME = re.compile(r"^(?P<number>\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*\.ipynb$")

#: The kernel every notebook runs on (the project environment's own Python).
KERNEL_NAME = "python3"

#: Extra kernel arguments: ipykernel warns at every start that its local TCP transport is
#: unencrypted (a kernel on this machine, talking to this process), which buries the
#: progress display; real kernel errors are still shown.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]

#: Packages whose versions run.json records.
RECORDED_PACKAGES = (
    "evalkit", "pandas", "numpy", "scipy", "statsmodels", "pyarrow", "pandera", "matplotlib",
    "seaborn", "papermill", "nbconvert", "python-calamine", "PySastrawi", "krippendorff",
)

#: Parameters the runner always passes, declared or not, so paths stay consistent.
PATH_PARAMETERS = ("raw_dir", "processed_dir", "output_dir")

@dataclass
class NotebookOutcome:
    """What happened to one notebook in a run.

    ``status`` is ``"ok"``, ``"failed"`` (``error`` says where and why), ``"skipped"``
    (``reason`` says why, ``missing`` lists the absent tables) or ``"pending"`` while the run
    has not reached it.
    """

    notebook: str
    status: str
    seconds: float | None = None
    error: str | None = None
    reason: str | None = None
    missing: list[str] = field(default_factory=list)


@dataclass
class RunResult:
    """A finished run: where it is and how each notebook went."""

    run_dir: Path
    status: str
    notebooks: list[NotebookOutcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every notebook ran without error."""
        return self.status == "ok"


def discover_notebooks(notebooks_dir: str | os.PathLike[str] = NOTEBOOKS_DIR,
                       only: Iterable[str] | None = None) -> list[Path]:
    """Return the numbered notebooks of ``notebooks_dir`` in run order.

    Parameters
    ----------
    notebooks_dir : str or PathLike
        Folder holding ``NN-slug.ipynb`` files.
    only : iterable of str, optional
        Notebook numbers to keep, e.g. ``["01", "02"]``; all when omitted.

    Returns
    -------
    list of pathlib.Path

    Raises
    ------
    PipelineError
        If a notebook's name breaks the ``NN-slug.ipynb`` pattern, two notebooks share a
        number, or ``only`` names a number that does not exist.

    Examples
    --------
    >>> discover_notebooks(only=["99"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    evalkit.errors.PipelineError: no notebook numbered 99 in ...; available: 01, ...
    """
    folder = resolve_path(notebooks_dir)
    paths = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))
    bad = [p.name for p in paths if not NOTEBOOK_NAME.match(p.name)]
    if bad:
        raise PipelineError(
            f"{folder}: notebook name(s) {', '.join(bad)} do not follow 'NN-slug.ipynb' "
            "(two digits, a dash, lower-case words joined by dashes). Rename them."
        )
    numbers = [NOTEBOOK_NAME.match(p.name)["number"] for p in paths]
    repeated = sorted({n for n in numbers if numbers.count(n) > 1})
    if repeated:
        raise PipelineError(f"{folder}: several notebooks share number(s) {', '.join(repeated)}; "
                            "give each its own number.")
    if only is not None:
        wanted = {str(n).zfill(2) for n in only}
        missing = sorted(wanted - set(numbers))
        if missing:
            raise PipelineError(f"no notebook numbered {', '.join(missing)} in {folder}; "
                                f"available: {', '.join(numbers)}.")
        paths = [p for p, n in zip(paths, numbers, strict=True) if n in wanted]
    return paths


def declared_parameters(notebook: str | os.PathLike[str]) -> dict[str, Any]:
    """Return the parameters a notebook declares in its ``parameters`` cell.

    Examples
    --------
    >>> sorted(declared_parameters("notebooks/01-clean-raw-data.ipynb"))
    ['output_dir', 'processed_dir', 'raw_dir', 'sources_file']
    """
    import papermill

    path = resolve_path(notebook)
    params = papermill.inspect_notebook(str(path))
    if not params:
        raise PipelineError(f"{path.name}: no cell tagged 'parameters'. Tag the first code cell "
                            "'parameters' and declare the notebook's parameters there.")
    return params


def check_parameters(params: Mapping[str, Any], notebooks: Iterable[Path]) -> None:
    """Refuse parameter names that no notebook declares (papermill itself only warns).

    Raises
    ------
    PipelineError
        Naming the unknown parameters and the known ones.
    """
    known: set[str] = set()
    for path in notebooks:
        known |= set(declared_parameters(path))
    unknown = sorted(set(params) - known - set(PATH_PARAMETERS))
    if unknown:
        raise PipelineError(
            f"unknown parameter(s): {', '.join(unknown)}. No notebook declares them; "
            f"known parameters: {', '.join(sorted(known))}. Check the spelling in your "
            "parameter file."
        )


def sha256_of_inputs(folder: str | os.PathLike[str]) -> dict[str, str]:
    """Return ``{relative path: sha256}`` of every file below ``folder``, sorted by path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "a.csv").write_text("x")
    >>> sha256_of_inputs(d)["a.csv"][:12]
    '2d711642b726'
    """
    root = resolve_path(folder)
    sums = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        sums[path.relative_to(root).as_posix()] = digest.hexdigest()
    return sums


def package_versions(names: Iterable[str] = RECORDED_PACKAGES) -> dict[str, str]:
    """Return the installed version of each package (``"not installed"`` if absent)."""
    versions = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def default_run_name(now: dt.datetime | None = None) -> str:
    """Return a run name from the local time, e.g. ``run-2026-11-27-214705``."""
    now = now or dt.datetime.now()
    return now.strftime("run-%Y-%m-%d-%H%M%S")


def run_pipeline(params: Mapping[str, Any], *, run_dir: str | os.PathLike[str] | None = None,
                 only: Iterable[str] | None = None,
                 notebooks_dir: str | os.PathLike[str] = NOTEBOOKS_DIR,
                 kernel_name: str = KERNEL_NAME, progress: bool = True,
                 export_html: bool = True) -> RunResult:
    """Execute the numbered notebooks whose inputs exist, in dependency order, into a run folder.

    Parameters
    ----------
    params : mapping
        Parameters (usually :func:`evalkit.config.load_params`). Each notebook receives the
        ones it declares; ``output_dir`` is replaced by the run folder.
    run_dir : str or PathLike, optional
        The run folder; ``reports/run-<date-time>`` when omitted.
    only : iterable of str, optional
        Notebook numbers to run, e.g. ``["01", "02"]``.
    notebooks_dir : str or PathLike
        Folder of the numbered notebooks.
    kernel_name : str
        Jupyter kernel to execute with.
    progress : bool
        Print notebook i of n and show a bar of the cells within it.
    export_html : bool
        Also write an HTML copy of each executed notebook, code hidden.

    Returns
    -------
    RunResult
        Also written as ``run.json``. A notebook whose needed tables are absent (its source
        is not in the raw folder, or the notebook writing it was skipped or failed) is
        ``skipped`` with the reason; a failed notebook keeps its executed copy for inspection
        and the others go on. The result's status is ``"failed"`` when one failed; the caller
        decides the exit code.

    Examples
    --------
    ``run_pipeline(load_params(), only=["01"]).ok`` runs the cleaning notebook alone. A
    parameter that no notebook declares is refused before anything runs:

    >>> run_pipeline({"no_such": 1})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    evalkit.errors.PipelineError: unknown parameter(s): no_such. No notebook declares ...
    """
    notebooks = discover_notebooks(notebooks_dir, only=None)
    check_parameters(params, notebooks)
    selected = dependency_order(discover_notebooks(notebooks_dir, only=only))
    if not selected:
        raise PipelineError(f"no numbered notebooks found in {resolve_path(notebooks_dir)}.")

    params = dict(params)
    raw_dir = resolve_path(params["raw_dir"]) if params.get("raw_dir") else None
    if raw_dir is not None and not raw_dir.is_dir():
        raise PipelineError(f"raw_dir {raw_dir} does not exist. Point --raw-dir at the folder "
                            "holding your exports (see data/raw/README.md).")
    if params.get("sources_file"):
        sources = resolve_path(params["sources_file"])
        if not sources.is_file():
            raise PipelineError(f"sources file {sources} does not exist. Check the path given "
                                "to --sources (or the parameter sources_file).")
        params["sources_file"] = str(sources)
    run_dir = resolve_path(run_dir) if run_dir else REPORTS_DIR / default_run_name()
    params["output_dir"] = str(run_dir)
    for sub in ("notebooks", "html", "figures", "tables"):
        (run_dir / sub).mkdir(parents=True, exist_ok=True)
    processed = resolve_path(params.get("processed_dir") or PROCESSED_DIR)

    record: dict[str, Any] = {
        "run_name": run_dir.name,
        "status": "running",
        "started": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "finished": None,
        "parameters": params,
        "inputs": sha256_of_inputs(raw_dir) if raw_dir is not None else {},
        "packages": package_versions(),
        "evalkit_version": __version__,
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "notebooks": [asdict(NotebookOutcome(p.name, "pending")) for p in selected],
    }
    result = RunResult(run_dir=run_dir, status="running")
    _write_run_json(run_dir, record)

    writer_of = {t: p.stem for p in notebooks for t in notebook_io(p).writes}
    fate: dict[str, str] = {}  # table → why it is absent in this run
    cleaned = False
    for index, path in enumerate(selected, start=1):
        io = notebook_io(path)
        missing = [t for t in io.needs
                   if t in fate or not (processed / f"{t}.parquet").is_file()]
        if missing:
            why = {t: fate.get(t, f"not in {processed}; run {writer_of[t]} first"
                               if t in writer_of else "no notebook writes it") for t in missing}
            outcome = NotebookOutcome(path.name, "skipped", reason=skip_reason(missing, why),
                                      missing=missing)
            if progress:
                print(f"[{index}/{len(selected)}] {path.name} skipped: {outcome.reason}",
                      flush=True)
        else:
            if progress:
                print(f"[{index}/{len(selected)}] {path.name}", flush=True)
            outcome = _execute(path, run_dir, params, kernel_name, progress)
            if outcome.status == "ok" and export_html:
                export_notebook_html(run_dir / "notebooks" / path.name,
                                     run_dir / "html" / f"{path.stem}.html")
        if outcome.status == "ok" and io.reads_raw:
            cleaned = True
            fate |= {t: "no such source in the raw folder" for t in io.writes
                     if not (processed / f"{t}.parquet").is_file()}
        elif outcome.status != "ok":
            fate |= {t: f"{path.stem} {outcome.status}" for t in io.writes}
            if cleaned:  # tables of an earlier run on other data must not reach the report
                for table in io.writes:
                    (processed / f"{table}.parquet").unlink(missing_ok=True)
        record["notebooks"][index - 1] = asdict(outcome)
        result.notebooks.append(outcome)
        _write_run_json(run_dir, record)

    result.status = "failed" if any(o.status == "failed" for o in result.notebooks) else "ok"
    record["status"] = result.status
    record["finished"] = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    _write_run_json(run_dir, record)
    return result


def _execute(path: Path, run_dir: Path, params: Mapping[str, Any], kernel_name: str,
             progress: bool) -> NotebookOutcome:
    """Run one notebook into ``run_dir/notebooks``; a failure becomes its one-line error."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    declared = declared_parameters(path)
    start = time.perf_counter()
    outcome = NotebookOutcome(path.name, "ok")
    try:
        papermill.execute_notebook(
            str(path), str(run_dir / "notebooks" / path.name),
            parameters={k: v for k, v in params.items() if k in declared},
            kernel_name=kernel_name, cwd=str(path.parent), progress_bar=progress,
            log_output=False, extra_arguments=KERNEL_ARGUMENTS,
        )
    except PapermillExecutionError as exc:
        outcome.status = "failed"
        outcome.error = failure_line(path.name, exc.cell_index, exc.exec_count, exc.ename,
                                     exc.evalue)
    except Exception as exc:  # kernel died, notebook unreadable: still record the run
        outcome.status = "failed"
        outcome.error = f"{path.name}: {type(exc).__name__}: {_one_line(str(exc))}"
    outcome.seconds = round(time.perf_counter() - start, 2)
    return outcome


def failure_line(notebook: str, cell_index: int, exec_count: int | None, ename: str,
                 evalue: str) -> str:
    r"""Return the one line of a failed notebook: where, the exception and its whole message.

    The message is kept whole (a stop's message names the file, the problem and what to
    do), its lines joined.

    Examples
    --------
    >>> failure_line("02-x.ipynb", 3, 2, "EmptyTableError", "table 'skm' is empty.\nSee q.")
    "02-x.ipynb, cell 3 (In [2]): EmptyTableError: table 'skm' is empty. See q."
    """
    return f"{notebook}, cell {cell_index} (In [{exec_count}]): {ename}: {_one_line(evalue)}"


def export_notebook_html(notebook: Path, target: Path) -> Path:
    """Write an HTML copy of an executed notebook with the code cells hidden."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", exclude_input=True,
                            exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nbformat.read(notebook, as_version=4))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body, encoding="utf-8")
    return target


def execute_in_place(notebook: str | os.PathLike[str], *, kernel_name: str = KERNEL_NAME,
                     progress: bool = True) -> None:
    """Re-execute a committed notebook with its default parameters and store its outputs.

    This refreshes the nbval baseline after an intended change. Papermill's timing
    metadata is removed afterwards so that a rerun changes only what really changed.

    Raises
    ------
    PipelineError
        If a cell fails; the notebook is then left as papermill saved it, for inspection.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    path = resolve_path(notebook)
    try:
        papermill.execute_notebook(str(path), str(path), parameters=None,
                                   kernel_name=kernel_name, cwd=str(path.parent),
                                   progress_bar=progress, log_output=False,
                                   extra_arguments=KERNEL_ARGUMENTS)
    except PapermillExecutionError as exc:
        raise PipelineError(failure_line(path.name, exc.cell_index, exc.exec_count, exc.ename,
                                         exc.evalue)) from None
    strip_run_metadata(path)


def strip_run_metadata(notebook: Path) -> None:
    """Remove papermill's timings and paths from a notebook file, keeping outputs."""
    nb = nbformat.read(notebook, as_version=4)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        tags = [t for t in cell.metadata.get("tags", []) if t != "injected-parameters"]
        if "tags" in cell.metadata:
            cell.metadata["tags"] = tags
    nbformat.write(nb, notebook)


def _one_line(text: str) -> str:
    return " ".join(line.strip() for line in str(text).strip().splitlines() if line.strip())


def _write_run_json(run_dir: Path, record: Mapping[str, Any]) -> None:
    (run_dir / "run.json").write_text(json.dumps(record, indent=2, default=str) + "\n",
                                      encoding="utf-8")


__all__ = [
    "PipelineError", "RunResult", "NotebookOutcome", "discover_notebooks", "failure_line",
    "declared_parameters", "check_parameters", "run_pipeline", "execute_in_place",
    "export_notebook_html", "sha256_of_inputs", "package_versions",
]
