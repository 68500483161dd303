"""The warnings and errors evalkit raises about data, with one base class per kind.

Every data-quality warning derives from :class:`EvalkitWarning` (statsmodels' ``ModelWarning``
pattern), so a notebook can show or silence all of them, or one area's, precisely::

    warnings.simplefilter("always", EvalkitWarning)

Each area defines its own subclass next to the code that raises it (``DidDataWarning`` in
:mod:`evalkit.models.did`, ``TrainingDataWarning`` in :mod:`evalkit.training`, …).

Examples
--------
>>> import warnings
>>> class DemoWarning(EvalkitWarning):
...     '''A warning of one area.'''
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always", EvalkitWarning)
...     warnings.warn("3 rows left out", DemoWarning)
>>> issubclass(caught[0].category, EvalkitWarning)
True

A notebook that cannot go on raises :class:`NotebookStop` with a message a user can act on
(file, problem, what to do); the runner prints it whole at the terminal:

>>> str(NotebookStop("pegawai.csv: the file is empty. What to do: export it again."))
'pegawai.csv: the file is empty. What to do: export it again.'
"""

from __future__ import annotations


class EvalkitWarning(UserWarning):
    """Base of every warning evalkit raises about the data or an estimate."""


class NotebookStop(Exception):
    """A notebook stops on purpose: the data cannot support what it does.

    The message is the whole story for the user (file or table, problem, what to do), so
    Jupyter shows it without a traceback (IPython's ``_render_traceback_`` hook) and
    ``evalkit run`` prints it whole in its one-line failure. Unlike ``SystemExit`` it leaves
    no "To exit: use 'exit'" warning behind.

    Examples
    --------
    >>> NotebookStop("skm: empty. What to do: see the quarantine.")._render_traceback_()
    ['NotebookStop: skm: empty. What to do: see the quarantine.']
    """

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]


class PipelineError(RuntimeError):
    """A run could not start or a notebook failed; the message says what to do."""


__all__ = ["EvalkitWarning", "NotebookStop", "PipelineError"]
