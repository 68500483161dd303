"""The run as a graph: notebooks side by side as soon as the tables they read are written.

Each notebook waits for the tables it ``needs`` and reads when present (``optional``) from
the notebooks of the run that write them. A table counts as written when the cell writing
it has finished (its file changed since its writer started), so a notebook whose input is
written early in another notebook starts while the rest of that notebook runs. At most
``jobs`` notebooks execute at once; besides them up to ``jobs`` kernels of the next
notebooks are started ahead, their imports loaded (:mod:`evalkit.kernels`).

Outputs do not depend on ``jobs`` or on timing: a notebook starts only when every table it
reads is final, and it is run again if a table it read changes afterwards (its writer
rewrote it) or is taken back (its writer failed: the notebook is then skipped, as it would
have been had it waited).
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from evalkit.kernels import NotebookKernel, imported_modules
from evalkit.run_plan import NotebookIO, skip_reason

#: (mtime in ns, size, inode) of a table file, or None when absent.
Signature = tuple[int, int, int] | None


def signature(path: Path) -> Signature:
    """Return what changes when a file is written again (None when it does not exist)."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


@dataclass(eq=False)
class Task:
    """One notebook of the run and where it is: waiting, warming, warm, running or done."""

    path: Path
    io: NotebookIO
    rank: int
    state: str = "waiting"
    go: threading.Event = field(default_factory=threading.Event)
    cancelled: bool = False
    void: bool = False  # a table it read was rewritten or taken back: its result is void
    baseline: dict[str, Signature] = field(default_factory=dict)
    released: dict[str, Signature] = field(default_factory=dict)
    read: dict[str, tuple[str, Signature]] = field(default_factory=dict)  # table → writer, sig
    warmup: float = 0.0
    kernel: NotebookKernel | None = None
    background: bool = False  # its kernel's priority was lowered: nobody waits for it


@dataclass
class Finished:
    """What a notebook thread reports: the status, error, seconds and run-clock offsets."""

    status: str
    error: str | None = None
    seconds: float = 0.0
    warmup: float = 0.0
    started: float = 0.0
    finished: float = 0.0


Report = Callable[["Task", str, Any], None]


class Scheduler:
    """Run ``tasks`` (in dependency order) on ``jobs`` slots; call ``report`` at each end.

    Parameters
    ----------
    tasks : list of Task
        The selected notebooks in dependency order (their ``rank``).
    writers : mapping table → notebook stem
        Every notebook of the folder that writes each table (selected or not).
    processed : pathlib.Path
        The processed folder.
    jobs : int
        Notebooks executing at once; as many kernels again may be started ahead.
    kernel : callable
        ``kernel(path)``: a not yet started :class:`~evalkit.kernels.NotebookKernel`.
    execute : callable
        ``execute(task, kernel, on_cell_complete)``: run the notebook in its started kernel;
        returns ``(status, one-line error or None)``.
    report : callable
        ``report(task, event, value)`` with event ``"start"``, ``"done"`` (value:
        :class:`Finished`), ``"skipped"`` (value: (reason, missing tables)) or ``"void"``
        (the notebook waits to run again).
    clock : callable
        Seconds since the run began.

    """

    def __init__(self, tasks: list[Task], writers: Mapping[str, str], processed: Path, *,
                 jobs: int, kernel: Callable[[Path], NotebookKernel],
                 execute: Callable[[Task, NotebookKernel, Callable[[int], None]],
                                   tuple[str, str | None]],
                 report: Report, clock: Callable[[], float]) -> None:
        self.tasks = tasks
        self.by_stem = {t.path.stem: t for t in tasks}
        self.writer = {tb: t for t in tasks for tb in t.io.writes}
        self.writers = writers
        self.processed = processed
        self.jobs = max(1, jobs)
        self.kernel = kernel
        self.execute = execute
        self.report = report
        self.clock = clock
        self.events: queue.Queue = queue.Queue()
        self.fate: dict[str, str] = {}
        self.cleaned = False

    # ---- the loop ----------------------------------------------------------------------
    def run(self) -> None:
        """Run until every task is done or skipped; on an interrupt, stop every kernel."""
        try:
            self._loop()
        except BaseException:
            for task in self.tasks:
                task.cancelled = True
                task.go.set()
                if task.kernel is not None:
                    task.kernel.kill()
            raise

    def _loop(self) -> None:
        while any(t.state != "done" for t in self.tasks):
            self._decide()
            if all(t.state == "done" for t in self.tasks):
                break
            kind, task, value = self.events.get()
            if kind == "warm" and task.state == "warming":
                task.state = "warm"
            elif kind == "cell":
                self._released(task, value)
            elif kind == "finished":
                self._finished(task, value)
            self._background()

    def _decide(self) -> None:
        progress = True
        while progress:
            progress = False
            for task in self.tasks:
                if task.state in ("done", "running"):
                    continue
                verdict, missing, why = self._inputs(task)
                if verdict == "skip":
                    self._skip(task, missing, why)
                    progress = True
        running = sum(t.state == "running" for t in self.tasks)
        ready = [t for t in self.tasks if t.state in ("waiting", "warming", "warm")
                 and self._inputs(t)[0] == "run"]
        ready.sort(key=lambda t: (t.state == "waiting", t.rank))  # warm kernels first
        for task in ready[: max(0, self.jobs - running)]:
            self._go(task)
        ahead = sum(t.state in ("warming", "warm") for t in self.tasks)
        for task in self.tasks:
            if ahead >= self.jobs:
                break
            if task.state == "waiting" and self._upstream_started(task):
                self._spawn(task)
                ahead += 1

    # ---- inputs -------------------------------------------------------------------------
    def _inputs(self, task: Task) -> tuple[str, list[str], dict[str, str]]:
        """``("run"|"wait"|"skip", missing needed tables, why each is missing)``."""
        missing, waiting = [], False
        for table in (*task.io.needs, *task.io.optional):
            needed = table in task.io.needs
            writer = self.writer.get(table)
            if writer is task:
                continue
            if writer is not None and writer.state != "done" and table not in writer.released:
                waiting = True
            elif needed and (table in self.fate
                             or signature(self.processed / f"{table}.parquet") is None):
                missing.append(table)
        if waiting:
            return "wait", [], {}
        if missing:
            why = {t: self.fate.get(t, f"not in {self.processed}; run {self.writers[t]} first"
                                    if t in self.writers else "no notebook writes it")
                   for t in missing}
            return "skip", missing, why
        return "run", [], {}

    def _upstream_started(self, task: Task) -> bool:
        """Say whether every notebook writing what ``task`` reads runs or has run."""
        writers = {self.writer[t] for t in (*task.io.needs, *task.io.optional)
                   if t in self.writer and self.writer[t] is not task}
        return all(w.state in ("running", "done") for w in writers)

    # ---- transitions --------------------------------------------------------------------
    def _spawn(self, task: Task) -> None:
        task.background = not self._awaited(task)  # its kernel starts with a lower priority
        task.state = "warming"
        threading.Thread(target=self._thread, args=(task,), name=task.path.stem,
                         daemon=True).start()

    def _go(self, task: Task) -> None:
        if task.state == "waiting":
            self._spawn(task)
        task.state = "running"
        task.baseline = {t: signature(self.processed / f"{t}.parquet") for t in task.io.writes}
        task.released = {}
        task.read = {}
        for table in (*task.io.needs, *task.io.optional):
            writer = self.writer.get(table)
            if writer is not None and writer is not task:
                task.read[table] = (writer.path.stem,
                                    signature(self.processed / f"{table}.parquet"))
        self.report(task, "start", None)
        task.go.set()

    def _skip(self, task: Task, missing: list[str], why: Mapping[str, str]) -> None:
        if task.state in ("warming", "warm"):
            task.cancelled = True
            task.go.set()
        task.state = "done"
        self.report(task, "skipped", (skip_reason(missing, why), missing))
        self._settle(task, "skipped")

    def _released(self, task: Task, written: Mapping[str, Signature]) -> None:
        """After a cell: a table the task writes whose file changed is now written."""
        if task.state != "running":
            return
        for table, now in written.items():
            if now is not None and now != task.baseline.get(table) and table not in task.released:
                task.released[table] = now

    def _awaited(self, task: Task) -> bool:
        """Say whether a notebook still to finish reads a table ``task`` has yet to write."""
        return any(t in task.io.writes and t not in task.released
                   for other in self.tasks if other.state != "done" and other is not task
                   for t in (*other.io.needs, *other.io.optional))

    def _background(self) -> None:
        """Lower the priority of running notebooks that no other notebook waits for."""
        for task in self.tasks:
            if task.state == "running" and not task.background and task.kernel is not None \
                    and not self._awaited(task):
                task.background = task.kernel.lower_priority()

    def _written(self, task: Task) -> dict[str, Signature]:
        """Signatures of the tables ``task`` writes (read between two of its cells)."""
        return {t: signature(self.processed / f"{t}.parquet") for t in task.io.writes}

    def _reset(self, task: Task) -> None:
        """Send a notebook whose result is void back to waiting."""
        for table in task.io.writes:  # computed from what no longer holds: not left behind
            path = self.processed / f"{table}.parquet"
            if table in task.baseline and signature(path) != task.baseline[table]:
                path.unlink(missing_ok=True)
        task.state, task.void, task.go = "waiting", False, threading.Event()
        task.background = False
        task.released, task.read = {}, {}
        for table in task.io.writes:  # what its void result said of its tables no longer holds
            if self.fate.get(table, "").startswith(f"{task.path.stem} "):
                del self.fate[table]
        self.report(task, "void", None)

    def _finished(self, task: Task, result: Finished) -> None:
        if task.cancelled:
            return
        if task.void:  # something it read was rewritten or taken back: decide again
            self._reset(task)
            return
        self._released(task, self._written(task))
        task.state = "done"
        self.report(task, "done", result)
        self._settle(task, result.status)
        if result.status == "ok":
            # a table changed after another notebook read it: that notebook runs again
            for table, before in task.released.items():
                if signature(self.processed / f"{table}.parquet") != before:
                    self._void_readers(task.path.stem, table)

    def _settle(self, task: Task, status: str) -> None:
        """Record what became of the tables of a finished or skipped notebook."""
        if status == "ok" and task.io.reads_raw:
            self.cleaned = True
            self.fate |= {t: "no such source in the raw folder" for t in task.io.writes
                          if signature(self.processed / f"{t}.parquet") is None}
        elif status != "ok":
            self.fate |= {t: f"{task.path.stem} {status}" for t in task.io.writes}
            for table in task.io.writes:
                if table in task.released:  # read too early by a notebook now running or run
                    self._void_readers(task.path.stem, table)
            if self.cleaned:  # tables of an earlier run on other data must not reach the report
                for table in task.io.writes:
                    (self.processed / f"{table}.parquet").unlink(missing_ok=True)

    def _void_readers(self, writer: str, table: str) -> None:
        for reader in self.tasks:
            if reader.read.get(table, (None,))[0] != writer or reader.state == "waiting":
                continue
            if reader.state == "running":
                reader.void = True
            else:
                self._reset(reader)
            for own in reader.io.writes:
                self._void_readers(reader.path.stem, own)

    # ---- the thread of one notebook -----------------------------------------------------
    def _thread(self, task: Task) -> None:
        kernel = task.kernel = self.kernel(task.path)
        began = self.clock()
        try:
            task.warmup = kernel.start(imported_modules(nbformat.read(task.path, as_version=4)),
                                       background=task.background)
        except Exception as exc:  # a kernel that cannot start: the notebook fails when run
            task.warmup = self.clock() - began
            failure: str | None = f"{task.path.name}: kernel did not start: {exc}"
        else:
            failure = None
        self.events.put(("warm", task, None))
        task.go.wait()
        try:
            if task.cancelled:
                return
            start = self.clock()
            if failure is None:
                status, error = self.execute(
                    task, kernel, lambda i: self.events.put(("cell", task, self._written(task))))
            else:
                status, error = "failed", failure
            end = self.clock()
            self.events.put(("finished", task, Finished(
                status, error, seconds=round(task.warmup + end - start, 2),
                warmup=round(task.warmup, 2), started=round(start, 2),
                finished=round(end, 2))))
        finally:
            kernel.shutdown()
            task.kernel = None


def default_jobs() -> int:
    """Return the number of cores this process may use (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


__all__ = ["Finished", "Scheduler", "Task", "default_jobs", "signature"]
