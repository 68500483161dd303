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
"""

from __future__ import annotations


class EvalkitWarning(UserWarning):
    """Base of every warning evalkit raises about the data or an estimate."""


__all__ = ["EvalkitWarning"]
