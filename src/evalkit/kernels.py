r"""One notebook's kernel: started early, its imports loaded, then the notebook run in it.

A Jupyter kernel costs about half a second to start and the notebooks' first cells spend
2–3 s importing pandas, matplotlib, statsmodels and evalkit. The runner therefore starts the
kernel of a notebook while the notebooks it depends on are still running, and imports there
(silently: nothing enters the notebook's namespace, nothing is printed) the modules the
notebook's own cells import. When its inputs are ready the notebook runs through papermill in
that kernel, its import cell then finding the modules loaded.

Papermill saves the output notebook after every cell; the runner saves it once at the end
(and on failure, with the failing cell), and gets a call after each cell so that a table
written early in a notebook can release the notebooks that need it.

Examples
--------
>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
...     "import numpy as np\nfrom evalkit import ikm\n%matplotlib inline")])
>>> imported_modules(nb)
['numpy', 'evalkit', 'evalkit.ikm']
"""

from __future__ import annotations

import ast
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import nbformat

#: How much lower the priority of a kernel whose work nobody waits for (``nice`` steps):
#: enough for the notebooks on the critical path to go first on a busy machine, not so
#: much that the others stall behind other users' jobs.
BACKGROUND_NICENESS = 5

#: Name under which the runner's papermill engine is registered.
ENGINE_NAME = "evalkit"

#: Code run silently in a fresh kernel: import each module, bind nothing. A module that fails
#: to import is passed over here on purpose: the notebook's own import cell then fails with
#: the real error, in the place a reader looks for it.
PRELOAD = """\
def _evalkit_preload(names):
    import importlib
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:
            pass
_evalkit_preload({names!r})
del _evalkit_preload
"""


def imported_modules(nb: nbformat.NotebookNode) -> list[str]:
    """Return the absolute module names a notebook's code cells import, in order, once each.

    ``from a import b`` gives ``a`` and ``a.b`` (b may be a module). Lines of IPython magics
    (``%``, ``!``) are left out; a cell that is not Python is passed over.
    """
    names: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(line for line in cell.source.splitlines()
                           if not line.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # ``from evalkit import ikm`` imports the module evalkit.ikm; a name that is
                # no module (``from pandas import DataFrame``) fails at once in the kernel
                names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names
                                          if alias.name != "*"]
    return list(dict.fromkeys(names))


class NotebookKernel:
    """A kernel for one notebook: :meth:`start`, then :meth:`execute`, then :meth:`shutdown`.

    All three are called from the same thread (the kernel manager's event loop is that
    thread's).

    Parameters
    ----------
    kernel_name : str
        Jupyter kernel to start.
    cwd : pathlib.Path
        Working directory of the kernel (the notebook's folder, as papermill's ``cwd``).
    extra_arguments : list of str
        Extra command-line arguments of the kernel.
    """

    def __init__(self, kernel_name: str, cwd: Path, extra_arguments: list[str]) -> None:
        self.kernel_name = kernel_name
        self.cwd = cwd
        self.extra_arguments = list(extra_arguments)
        self.km: Any = None

    def start(self, modules: list[str], timeout: float = 60, background: bool = False) -> float:
        """Start the kernel and import ``modules`` in it; return the seconds it took.

        ``background``: lower its priority before the imports (:meth:`lower_priority`).
        """
        from jupyter_client import AsyncKernelManager, BlockingKernelClient
        from jupyter_core.utils import run_sync

        began = time.perf_counter()
        self.km = AsyncKernelManager(kernel_name=self.kernel_name)
        run_sync(self.km.start_kernel)(cwd=str(self.cwd), extra_arguments=self.extra_arguments)
        if background:
            self.lower_priority()
        client = BlockingKernelClient()
        client.load_connection_info(self.km.get_connection_info())
        # no heartbeat: on a loaded machine a kernel busy starting misses beats and the
        # client would call it dead; whether the process lives is asked of the manager
        client.start_channels(hb=False)
        try:
            client.wait_for_ready(timeout=timeout)
            if modules:
                # silent: no execution count used, nothing sent to the notebook's outputs
                client.execute(PRELOAD.format(names=modules), silent=True,
                               store_history=False, reply=True, timeout=timeout)
        finally:
            client.stop_channels()
        return time.perf_counter() - began

    def execute(self, source: Path, target: Path, parameters: Mapping[str, Any],
                on_cell_complete: Callable[[int], None] | None = None) -> None:
        """Run ``source`` with ``parameters`` in this kernel into ``target`` (papermill).

        Raises what :func:`papermill.execute_notebook` raises, a
        ``PapermillExecutionError`` for a failing cell (the output notebook is then saved
        with the error).
        """
        import papermill

        _register_engine()
        papermill.execute_notebook(
            str(source), str(target), parameters=dict(parameters), engine_name=ENGINE_NAME,
            kernel_name=self.kernel_name, km=self.km, progress_bar=False, log_output=False,
            request_save_on_cell_execute=False, on_cell_complete=on_cell_complete,
        )

    def lower_priority(self, niceness: int = BACKGROUND_NICENESS) -> bool:
        """Let the kernel yield the CPU to the others (its work holds up no other notebook).

        Nothing else changes: the same code runs, later if the cores are busy. Returns False
        when the kernel has no process yet; where priorities cannot be changed (not POSIX,
        not permitted) the kernel runs as it was.
        """
        pid = getattr(getattr(self.km, "provisioner", None), "pid", None)
        if pid is None:
            return False
        if hasattr(os, "setpriority"):
            try:
                os.setpriority(os.PRIO_PROCESS, pid,
                               os.getpriority(os.PRIO_PROCESS, pid) + niceness)
            except OSError:
                pass
        return True

    def kill(self) -> None:
        """Kill the kernel's process at once (the run was interrupted); any thread may call."""
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            process.kill()

    def shutdown(self) -> None:
        """Stop the kernel (a kernel that never started or already died is fine)."""
        if self.km is None:
            return
        from jupyter_core.utils import run_sync

        try:
            if run_sync(self.km.is_alive)():
                # asked to exit, without the interrupt shutdown_kernel sends first (an idle
                # kernel logs it as an error); killed if it has not exited in time
                run_sync(self.km.request_shutdown)()
                run_sync(self.km.finish_shutdown)()
        finally:
            run_sync(self.km.cleanup_resources)()
            self.km = None


_REGISTERED = False


def _register_engine() -> None:
    """Register the papermill engine that reports each finished cell (once per process)."""
    global _REGISTERED
    if _REGISTERED:
        return
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, logger, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    class CellReportingEngine(NBClientEngine):
        """papermill's nbclient engine calling ``on_cell_complete(index)`` after each cell.

        It runs in a kernel started beforehand, whose client it closes at the end.
        """

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False,
                                     on_cell_complete=None, **kwargs):
            if on_cell_complete is not None:
                complete = nb_man.cell_complete

                def cell_complete(cell, cell_index=None, **kw):
                    complete(cell, cell_index=cell_index, **kw)
                    on_cell_complete(cell_index)

                nb_man.cell_complete = cell_complete
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            client = PapermillNotebookClient(nb_man, **merge_kwargs(
                kwargs, startup_timeout=kwargs.pop("start_timeout", 60),
                kernel_name=kernel_name, log=logger, log_output=log_output))
            try:
                return client.execute()
            finally:
                if client.kc is not None:  # the kernel is not the client's: close its channels
                    client.kc.stop_channels()

    papermill_engines.register(ENGINE_NAME, CellReportingEngine)
    _REGISTERED = True


__all__ = ["ENGINE_NAME", "NotebookKernel", "imported_modules"]
