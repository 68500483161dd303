"""``evalkit units``: the unit report notebook through papermill, one kernel per unit, side by side.

For every unit of a run (or those named), :func:`run_units` executes
``notebooks/unit/unit-report.ipynb`` with the unit's name and the run's parameters (language,
processed folder, cell-size rule, mentoring settings, from its ``run.json``) into
``<run>/units/``: the executed notebook ``notebooks/<slug>.ipynb``, the page ``<slug>.html``,
its figure and findings table. ``jobs`` kernels run at once (a thread each waits on its
kernel process); a line per finished unit shows progress. A unit whose notebook fails is
reported in one line and the others go on. ``units/index.json`` records each unit's status,
and the run's ``summary.html`` gets its list of links to the pages
(:func:`evalkit.report.unit_links.link_unit_pages`).

The unit notebook lives outside the numbered chain (``notebooks/unit/``), so
:func:`evalkit.pipeline.discover_notebooks` never runs it in ``evalkit run``.

Examples
--------
>>> select_units("Dinas Sosial,Dinas Komunikasi, Informatika", ["Dinas Komunikasi, Informatika",
...              "Dinas Sosial", "Inspektorat"])
['Dinas Sosial', 'Dinas Komunikasi, Informatika']
>>> select_units("inspektorat", ["Dinas Sosial", "Inspektorat"])  # a page's slug works too
['Inspektorat']

"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from evalkit.config import (
    NOTEBOOKS_DIR,
    PROCESSED_DIR,
    REPORTS_DIR,
    load_params,
    read_processed,
    resolve_path,
)
from evalkit.errors import PipelineError
from evalkit.labels import check_lang, label
from evalkit.pipeline import (
    KERNEL_ARGUMENTS,
    KERNEL_NAME,
    declared_parameters,
    execution_failure,
    notebook_parameters,
)
from evalkit.scheduler import default_jobs
from evalkit.report.unit import UNIT_NAME_TABLES, known_units
from evalkit.report.unit_links import (
    UNITS_FOLDER,
    link_unit_pages,
    unit_slug,
    write_unit_index,
)

#: The unit report notebook (outside the numbered chain).
UNIT_NOTEBOOK = NOTEBOOKS_DIR / "unit" / "unit-report.ipynb"

@dataclass
class UnitOutcome:
    """What became of one unit: ``ok`` or ``failed`` (with the one-line error)."""

    unit: str
    page: str
    notebook: str
    status: str
    error: str | None = None
    seconds: float = 0.0


def latest_run(reports_dir: str | os.PathLike[str] = REPORTS_DIR) -> Path:
    """Return the most recent run folder (the newest ``run.json``) under ``reports_dir``.

    Raises
    ------
    PipelineError
        When no run folder exists yet (run ``evalkit run`` first).

    Examples
    --------
    >>> import tempfile
    >>> latest_run(tempfile.mkdtemp())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    evalkit.errors.PipelineError: no run folder with run.json in ...; run `evalkit run` ...

    """
    folder = resolve_path(reports_dir)
    runs = sorted(folder.glob("*/run.json"), key=lambda p: (p.stat().st_mtime, p.parent.name))
    if not runs:
        raise PipelineError(f"no run folder with run.json in {folder}; run `evalkit run` "
                            "(make run) first, or name one with --run DIR.")
    return runs[-1].parent


def run_parameters(run_dir: Path) -> dict[str, Any]:
    """Return the run's parameters (``run.json``) over the defaults of ``config/pipeline.yaml``."""
    params = load_params()
    record = run_dir / "run.json"
    if record.is_file():
        try:
            params |= json.loads(record.read_text(encoding="utf-8")).get("parameters", {})
        except ValueError as exc:
            raise PipelineError(f"{record}: not valid JSON ({exc}).") from exc
    return params


def select_units(text: str | None, known: Sequence[str]) -> list[str]:
    """Return the units named in ``--units`` (names or page slugs, comma-separated), or all.

    Unit names may contain commas ("Dinas Komunikasi, Informatika, …"): the pieces are
    joined again until they name a known unit.

    Raises
    ------
    ValueError
        For a name that is no unit of the processed tables; the message lists them.

    """
    if not text:
        return list(known)
    by_key = {u.casefold(): u for u in known} | {unit_slug(u): u for u in known}
    chosen: list[str] = []
    pending = ""
    for piece in text.split(","):
        pending = f"{pending},{piece}" if pending else piece
        key = pending.strip().casefold()
        if key in by_key:
            chosen.append(by_key[key])
            pending = ""
    if pending.strip():
        raise ValueError(f"--units: {pending.strip()!r} is not a unit of the processed tables. "
                         f"Known units: {'; '.join(known)}.")
    return list(dict.fromkeys(chosen))


def _execute_unit(unit: str, units_dir: Path, params: dict[str, Any], notebook: Path,
                  kernel_name: str) -> UnitOutcome:
    import papermill

    slug = unit_slug(unit)
    target = units_dir / "notebooks" / f"{slug}.ipynb"
    outcome = UnitOutcome(unit, f"{slug}.html", f"notebooks/{slug}.ipynb", "ok")
    start = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(notebook), str(target), parameters={**params, "unit": unit},
            kernel_name=kernel_name, cwd=str(notebook.parent), progress_bar=False,
            log_output=False, extra_arguments=KERNEL_ARGUMENTS)
    except Exception as exc:  # kernel died, notebook unreadable: still record the unit
        outcome.status = "failed"
        outcome.error = execution_failure(target.name, exc)
    outcome.seconds = round(time.perf_counter() - start, 2)
    return outcome


def run_units(run_dir: str | os.PathLike[str] | None = None, *,
              units: Iterable[str] | str | None = None, lang: str | None = None,
              jobs: int | None = None, notebook: str | os.PathLike[str] = UNIT_NOTEBOOK,
              kernel_name: str = KERNEL_NAME, progress: bool = True) -> list[UnitOutcome]:
    """Make the unit pages of a run: one papermill execution per unit, ``jobs`` at a time.

    Parameters
    ----------
    run_dir : path, optional
        The run folder; default the latest (:func:`latest_run`).
    units : str or iterable of str, optional
        Units by name or slug (a string is split as ``--units``); default every unit of the
        processed tables.
    lang : {"id", "en"}, optional
        Language of the pages; default the run's.
    jobs : int, optional
        Kernels at once; default the number of CPUs, at most 4.
    notebook : path
        The unit report notebook.
    kernel_name : str
        Jupyter kernel to execute with.
    progress : bool
        Print a line per finished unit.

    Returns
    -------
    list of UnitOutcome
        In the order of the units; also in ``<run>/units/index.json``.

    """
    run = resolve_path(run_dir) if run_dir else latest_run()
    if not run.is_dir():
        raise PipelineError(f"run folder {run} does not exist; give --run an existing folder "
                            "of reports/.")
    params = run_parameters(run)
    if lang is not None:
        params["lang"] = check_lang(lang)
    notebook = resolve_path(notebook)
    declared = declared_parameters(notebook)
    units_dir = run / UNITS_FOLDER
    processed = resolve_path(params.get("processed_dir") or PROCESSED_DIR)
    # only the tables that name units: each page's kernel reads the rest itself
    known = known_units({name: read_processed(name, processed, missing_ok=True,
                                              allow_empty=True)
                         for name in UNIT_NAME_TABLES})
    if not known:
        raise PipelineError(f"no unit found in the processed tables of {processed}; run "
                            "`evalkit run` first.")
    chosen = select_units(units if isinstance(units, str) or units is None
                          else ",".join(units), known)
    # the run's parameters the notebook declares (unit and output_dir are the page's own)
    passed = notebook_parameters(declared, params)
    passed["processed_dir"] = str(processed)
    passed["output_dir"] = str(units_dir)
    (units_dir / "notebooks").mkdir(parents=True, exist_ok=True)
    jobs = jobs or min(default_jobs(), 4)
    if progress:
        print(f"evalkit units: {len(chosen)} unit(s) into {units_dir}, {jobs} at a time",
              flush=True)
    outcomes: dict[str, UnitOutcome] = {}
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(_execute_unit, u, units_dir, passed, notebook, kernel_name): u
                   for u in chosen}
        for done, future in enumerate(as_completed(futures), start=1):
            outcome = future.result()
            outcomes[outcome.unit] = outcome
            if progress:
                print(f"[{done}/{len(chosen)}] {outcome.status:6s} {outcome.unit} "
                      f"({outcome.seconds:.0f} s)", flush=True)
    ordered = [outcomes[u] for u in chosen]
    write_unit_index(run, [asdict(o) for o in ordered])
    summary = run / "summary.html"
    if summary.is_file():
        from evalkit.report.summary import template_environment

        lang_of_run = params.get("lang", "id")
        link_unit_pages(summary, template_environment(),
                        lambda key, **f: label(key, lang_of_run, **f))
    return ordered


def units_command(args: argparse.Namespace) -> int:
    """Run ``evalkit units``: make the pages, print failures and where they are; exit code."""
    outcomes = run_units(args.run, units=args.units, lang=args.lang, jobs=args.jobs,
                         progress=not getattr(args, "quiet", False))
    failed = [o for o in outcomes if o.status != "ok"]
    for outcome in failed:
        print(f"FAILED {outcome.unit}: {outcome.error}", file=sys.stderr)
    if outcomes:
        folder = Path(resolve_path(args.run) if args.run else latest_run()) / UNITS_FOLDER
        print(f"{len(outcomes) - len(failed)} unit page(s) in {folder}")
    return 1 if failed else 0


__all__ = ["UNIT_NOTEBOOK", "UnitOutcome", "latest_run",
           "run_parameters", "run_units", "select_units", "units_command"]
