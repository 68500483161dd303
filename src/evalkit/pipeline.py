"""The notebook runner: the numbered notebooks whose inputs exist, through papermill.

Each notebook declares in its metadata (key ``evalkit``) the processed tables it ``needs``,
those it reads when present (``optional``), those it ``writes``, and whether it reads the raw
folder (``reads_raw``: the cleaning step). A run executes the notebooks as a graph of these
declarations, side by side where they are independent (:mod:`evalkit.scheduler`; kernels
started ahead, :mod:`evalkit.kernels`), skips those whose inputs are absent, and leaves, in
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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import nbformat

from evalkit import __version__
from evalkit.config import NOTEBOOKS_DIR, PROCESSED_DIR, REPORTS_DIR, resolve_path
from evalkit.errors import PipelineError
from evalkit.kernels import NotebookKernel
from evalkit.run_plan import dependency_order, notebook_io

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
    (``reason`` says why, ``missing`` lists the absent tables), ``"running"``, or
    ``"pending"`` while the run has not reached it. ``seconds`` is the notebook's whole cost:
    ``warmup_seconds`` (its kernel started and its imports loaded, ahead of time) plus its
    execution; ``started`` and ``finished`` are seconds since the run began.
    """

    notebook: str
    status: str
    seconds: float | None = None
    error: str | None = None
    reason: str | None = None
    missing: list[str] = field(default_factory=list)
    warmup_seconds: float | None = None
    started: float | None = None
    finished: float | None = None


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
    ['dask_scheduler', 'output_dir', 'processed_dir', 'raw_dir', 'sources_file']
    """
    import papermill

    path = resolve_path(notebook)
    params = papermill.inspect_notebook(str(path))
    if not params:
        raise PipelineError(f"{path.name}: no cell tagged 'parameters'. Tag the first code cell "
                            "'parameters' and declare the notebook's parameters there.")
    return params


def check_parameters(params: Mapping[str, Any], notebooks: Iterable[Path], *,
                     declared: Mapping[Path, Mapping[str, Any]] | None = None) -> None:
    """Refuse parameter names that no notebook declares (papermill itself only warns).

    ``declared`` holds :func:`declared_parameters` of each notebook when already read.

    Raises
    ------
    PipelineError
        Naming the unknown parameters and the known ones.
    """
    known: set[str] = set()
    for path in notebooks:
        known |= set(declared[path] if declared is not None else declared_parameters(path))
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
                 export_html: bool = True, jobs: int | None = None,
                 dask_scheduler: str | None = None,
                 dask_description: str | None = None) -> RunResult:
    """Execute the numbered notebooks whose inputs exist, as a graph, into a run folder.

    A notebook starts once the notebooks writing the tables it reads have written them
    (:mod:`evalkit.scheduler`); independent notebooks run side by side. The tables, figures
    and processed files do not depend on ``jobs``.

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
        Print a line as each notebook starts, ends or is skipped.
    export_html : bool
        Also write an HTML copy of each executed notebook, code hidden (in the background
        while the run goes on).
    jobs : int, optional
        Notebooks executing at once; the number of cores when omitted.
    dask_scheduler : str, optional
        Address of a dask.distributed scheduler, passed as parameter ``dask_scheduler`` to
        the notebooks that declare it, and recorded in ``run.json``.
    dask_description : str, optional
        One line describing that cluster, for ``run.json``.

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
    from evalkit.scheduler import Scheduler, Task, default_jobs

    notebooks = discover_notebooks(notebooks_dir, only=None)
    declared = {p: declared_parameters(p) for p in notebooks}
    check_parameters(params, notebooks, declared=declared)
    selected = dependency_order(discover_notebooks(notebooks_dir, only=only))
    if not selected:
        raise PipelineError(f"no numbered notebooks found in {resolve_path(notebooks_dir)}.")
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise PipelineError(f"jobs must be at least 1; got {jobs}.")

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
        "wall_seconds": None,
        "jobs": jobs,
        "dask": None if dask_scheduler is None else {
            "scheduler": dask_scheduler, "cluster": dask_description,
            "notebooks": [p.name for p in selected if "dask_scheduler" in declared[p]]},
        "parameters": params,
        "inputs": sha256_of_inputs(raw_dir) if raw_dir is not None else {},
        "packages": package_versions(),
        "evalkit_version": __version__,
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "notebooks": [asdict(NotebookOutcome(p.name, "pending")) for p in selected],
    }
    _write_run_json(run_dir, record)
    index = {p.name: i for i, p in enumerate(selected)}
    began = time.perf_counter()

    def clock() -> float:
        return time.perf_counter() - began

    exports: dict[str, Any] = {}
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="html")

    def report(task: Task, event: str, value: Any) -> None:
        name = task.path.name
        done = sum(n["status"] not in ("pending", "running") for n in record["notebooks"])
        if event == "start":
            record["notebooks"][index[name]] = asdict(NotebookOutcome(name, "running"))
            line = f"start  {name}"
        elif event == "void":
            record["notebooks"][index[name]] = asdict(NotebookOutcome(name, "pending"))
            line = f"again  {name}: a table it read was rewritten or taken back"
        elif event == "skipped":
            reason, missing = value
            outcome = NotebookOutcome(name, "skipped", reason=reason, missing=list(missing))
            record["notebooks"][index[name]] = asdict(outcome)
            done += 1
            line = f"skip   {name}: {reason}"
        else:
            outcome = NotebookOutcome(name, value.status, seconds=value.seconds,
                                      error=value.error, warmup_seconds=value.warmup,
                                      started=value.started, finished=value.finished)
            record["notebooks"][index[name]] = asdict(outcome)
            done += 1
            line = f"{value.status:<6} {name} ({value.seconds:.1f} s)"
            if value.status == "ok" and export_html:
                exports[name] = pool.submit(export_notebook_html, run_dir / "notebooks" / name,
                                            run_dir / "html" / f"{task.path.stem}.html")
        _write_run_json(run_dir, record)
        if progress:
            print(f"[{clock():6.1f} s, {done}/{len(selected)} done] {line}", flush=True)

    def execute(task: Task, kernel: Any, on_cell_complete: Any) -> tuple[str, str | None]:
        return _execute(task.path, run_dir, notebook_parameters(
            declared[task.path], params, dask_scheduler=dask_scheduler), kernel,
            on_cell_complete)

    writer_of = {t: p.stem for p in notebooks for t in notebook_io(p).writes}
    tasks = [Task(p, notebook_io(p), rank) for rank, p in enumerate(selected)]
    try:
        Scheduler(tasks, writer_of, processed, jobs=jobs, execute=execute, report=report,
                  clock=clock, kernel=lambda path: NotebookKernel(
                      kernel_name, path.parent, KERNEL_ARGUMENTS)).run()
        for name, future in exports.items():
            if future.exception() is not None:  # read while a second run was writing it
                export_notebook_html(run_dir / "notebooks" / name,
                                     run_dir / "html" / f"{Path(name).stem}.html")
    finally:
        pool.shutdown(wait=True)
    for entry in record["notebooks"]:  # copies left by a run whose result became void
        if entry["status"] != "ok":
            (run_dir / "html" / f"{Path(entry['notebook']).stem}.html").unlink(missing_ok=True)
        if entry["status"] == "skipped":
            (run_dir / "notebooks" / entry["notebook"]).unlink(missing_ok=True)

    outcomes = [NotebookOutcome(**entry) for entry in record["notebooks"]]
    result = RunResult(run_dir=run_dir, status="failed" if any(
        o.status == "failed" for o in outcomes) else "ok", notebooks=outcomes)
    record["status"] = result.status
    record["finished"] = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    record["wall_seconds"] = round(clock(), 2)
    _write_run_json(run_dir, record)
    return result


def notebook_parameters(declared: Mapping[str, Any], params: Mapping[str, Any], *,
                        dask_scheduler: str | None = None) -> dict[str, Any]:
    """Return the parameters one notebook receives: those it declares, nothing else.

    ``dask_scheduler`` goes only to a notebook that declares a parameter of that name.

    Examples
    --------
    >>> notebook_parameters({"lang": "id", "dask_scheduler": ""}, {"lang": "en", "seed": 1},
    ...                     dask_scheduler="tcp://127.0.0.1:8786")
    {'lang': 'en', 'dask_scheduler': 'tcp://127.0.0.1:8786'}
    >>> notebook_parameters({"lang": "id"}, {"lang": "en"}, dask_scheduler="tcp://x:1")
    {'lang': 'en'}
    """
    chosen = {k: v for k, v in params.items() if k in declared}
    if dask_scheduler is not None and "dask_scheduler" in declared:
        chosen["dask_scheduler"] = dask_scheduler
    return chosen


def _execute(path: Path, run_dir: Path, parameters: Mapping[str, Any], kernel: NotebookKernel,
             on_cell_complete: Any = None) -> tuple[str, str | None]:
    """Run one notebook into ``run_dir/notebooks``; return ``(status, one-line error)``."""
    try:
        kernel.execute(path, run_dir / "notebooks" / path.name, parameters, on_cell_complete)
    except Exception as exc:  # kernel died, notebook unreadable: still record the run
        return "failed", execution_failure(path.name, exc)
    return "ok", None


def execution_failure(notebook: str, exc: Exception) -> str:
    r"""The one line of a notebook execution that raised ``exc``: the failing cell if any.

    Examples
    --------
    >>> execution_failure("02-x.ipynb", RuntimeError("kernel died\nrestarting"))
    '02-x.ipynb: RuntimeError: kernel died restarting'
    """
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return failure_line(notebook, exc.cell_index, exc.exec_count, exc.ename, exc.evalue)
    return f"{notebook}: {type(exc).__name__}: {_one_line(str(exc))}"


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
    "PipelineError", "RunResult", "NotebookOutcome", "discover_notebooks", "execution_failure",
    "failure_line",
    "declared_parameters", "check_parameters", "run_pipeline", "notebook_parameters",
    "execute_in_place", "export_notebook_html", "sha256_of_inputs", "package_versions",
]
