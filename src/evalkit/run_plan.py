"""The run plan: which processed tables each notebook needs and writes, and in what order
the notebooks run.

Each numbered notebook declares in its metadata (``metadata["evalkit"]``) the processed
tables it needs, the ones it reads when present, the ones it writes, and whether it reads the
raw folder. From these the runner orders the notebooks and skips, with a reason, those whose
inputs are absent; ``evalkit check`` prints the same plan before anything runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import nbformat

from evalkit.config import resolve_path
from evalkit.errors import PipelineError

#: Key of a notebook's metadata holding what it needs and writes (:class:`NotebookIO`).
METADATA_KEY = "evalkit"


@dataclass(frozen=True)
class NotebookIO:
    """What a notebook declares in ``metadata["evalkit"]``: the tables it needs and writes.

    Attributes
    ----------
    needs : tuple of str
        Processed tables without which the notebook cannot run.
    optional : tuple of str
        Processed tables it reads when present (they order the run, never skip it).
    writes : tuple of str
        Processed tables it writes (the cleaning step: every table it can write).
    reads_raw : bool
        It reads the raw folder (the cleaning step); it runs whenever the folder exists.

    Examples
    --------
    >>> io = notebook_io("notebooks/02-service-satisfaction-ikm.ipynb")
    >>> io.needs, "ikm_unit_period" in io.writes
    (('skm',), True)
    """

    needs: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    reads_raw: bool = False


@dataclass(frozen=True)
class PlannedNotebook:
    """One line of a plan: a notebook, whether it will run, and why not."""

    notebook: str
    runs: bool
    missing: tuple[str, ...] = ()
    reason: str | None = None


def notebook_io(notebook: str | os.PathLike[str]) -> NotebookIO:
    """Return what a notebook declares it needs and writes (``metadata["evalkit"]``).

    A notebook without the key needs nothing and writes nothing.

    Raises
    ------
    PipelineError
        If the key holds something other than the lists and flag of :class:`NotebookIO`.
    """
    path = resolve_path(notebook)
    declared = nbformat.read(path, as_version=4).metadata.get(METADATA_KEY, {})
    known = {"needs", "optional", "writes", "reads_raw"}
    bad = sorted(set(declared) - known)
    lists_ok = all(isinstance(declared.get(k, []), list)
                   and all(isinstance(t, str) for t in declared.get(k, []))
                   for k in ("needs", "optional", "writes"))
    if bad or not lists_ok or not isinstance(declared.get("reads_raw", False), bool):
        raise PipelineError(
            f"{path.name}: metadata '{METADATA_KEY}' must hold lists of table names under "
            f"needs, optional and writes, and reads_raw true or false; found {declared!r}.")
    return NotebookIO(*(tuple(declared.get(k, ())) for k in ("needs", "optional", "writes")),
                      reads_raw=declared.get("reads_raw", False))


def dependency_order(notebooks: Iterable[Path]) -> list[Path]:
    """Return the notebooks so that each comes after those writing what it reads.

    Ties (no dependency either way) keep the number order.

    Raises
    ------
    PipelineError
        If two notebooks need each other's tables (a cycle).

    Examples
    --------
    >>> from evalkit.pipeline import discover_notebooks
    >>> [p.name[:2] for p in dependency_order(discover_notebooks())]
    ['01', '02', '03', '04', '05', '06', '07']
    """
    paths = sorted(notebooks, key=lambda p: p.name)
    io = {p: notebook_io(p) for p in paths}
    writers = {t: p for p in paths for t in io[p].writes}
    before = {p: {writers[t] for t in (*io[p].needs, *io[p].optional)
                  if t in writers and writers[t] != p} for p in paths}
    ordered: list[Path] = []
    while len(ordered) < len(paths):
        ready = [p for p in paths if p not in ordered and before[p] <= set(ordered)]
        if not ready:
            stuck = ", ".join(p.name for p in paths if p not in ordered)
            raise PipelineError(f"notebooks {stuck} need each other's tables (a cycle in "
                                "their metadata 'evalkit'); one of them must not read the "
                                "other's table.")
        ordered.append(ready[0])
    return ordered


def skip_reason(missing: Iterable[str], writers: Mapping[str, str]) -> str:
    """Say why a notebook is skipped: each absent table and what became of its writer.

    Parameters
    ----------
    missing : iterable of str
        The tables it needs that are absent.
    writers : mapping table → str
        For each table, what became of the notebook that writes it, e.g.
        ``"no such source in the raw folder"`` or ``"03-training-participation was skipped"``.

    Examples
    --------
    >>> skip_reason(["pegawai"], {"pegawai": "no such source in the raw folder"})
    'needs pegawai (no such source in the raw folder)'
    """
    return "needs " + ", ".join(
        f"{t} ({writers.get(t, 'no notebook writes it')})" for t in missing)


def plan_run(notebooks: Iterable[Path], cleaned_tables: Iterable[str],
             processed_dir: str | os.PathLike[str] | None = None) -> list[PlannedNotebook]:
    """Say which notebooks a run will execute when cleaning writes ``cleaned_tables``.

    This is what ``evalkit check`` prints; ``evalkit run`` decides the same way, on the
    tables really written.

    Parameters
    ----------
    notebooks : iterable of pathlib.Path
        The numbered notebooks.
    cleaned_tables : iterable of str
        The tables the cleaning step will write (empty when it cannot run).
    processed_dir : path, optional
        Tables already there count for a run without the cleaning notebook.

    Examples
    --------
    >>> from evalkit.pipeline import discover_notebooks
    >>> plan = plan_run(discover_notebooks(), ["skm", "quarantine"])
    >>> [(p.notebook[:2], p.runs) for p in plan][:4]
    [('01', True), ('02', True), ('03', False), ('04', False)]
    >>> plan[2].reason  # doctest: +ELLIPSIS
    'needs pegawai (no such source in the raw folder), pelatihan (...'
    """
    ordered = dependency_order(notebooks)
    cleaned = set(cleaned_tables)
    cleans = any(notebook_io(p).reads_raw for p in ordered)
    folder = resolve_path(processed_dir) if processed_dir else None
    available = set() if cleans or folder is None else {p.stem for p in folder.glob("*.parquet")}
    fate: dict[str, str] = {}
    plan = []
    for path in ordered:
        io = notebook_io(path)
        if io.reads_raw:
            runs = bool(cleaned)
            available |= cleaned & set(io.writes)
            fate |= {t: "no such source in the raw folder" for t in io.writes if t not in cleaned}
            plan.append(PlannedNotebook(path.name, runs, (), None if runs else
                                        "the raw folder cannot be cleaned (see above)"))
            continue
        missing = tuple(t for t in io.needs if t not in available)
        if missing:
            fate |= {t: f"{path.stem} was skipped" for t in io.writes}
            plan.append(PlannedNotebook(path.name, False, missing, skip_reason(missing, fate)))
        else:
            available |= set(io.writes)
            plan.append(PlannedNotebook(path.name, True))
    return plan


__all__ = ["METADATA_KEY", "NotebookIO", "PlannedNotebook", "dependency_order", "notebook_io",
           "plan_run", "skip_reason"]
