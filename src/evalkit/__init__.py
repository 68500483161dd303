"""evalkit: evaluate civil-servant (ASN) development programmes with reproducible notebooks.

The package holds every reusable step; the notebooks in ``notebooks/`` call it.
See ``README.md`` and ``docs/`` for the pipeline, and each module for its concern.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("evalkit")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
