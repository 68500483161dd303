"""Small notebooks for the runner's tests: a tagged parameters cell and code cells."""

from __future__ import annotations

import nbformat


def fixture_notebook(parameters: str, *cells: str, title: str | None = None,
                     evalkit: dict | None = None) -> nbformat.NotebookNode:
    """A python3 notebook: optional markdown ``title``, the parameters cell, then ``cells``.

    ``evalkit`` becomes ``metadata["evalkit"]`` (``needs``, ``writes``, …) when given.
    """
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    if evalkit is not None:
        nb.metadata["evalkit"] = evalkit
    parameter_cell = nbformat.v4.new_code_cell(parameters)
    parameter_cell.metadata["tags"] = ["parameters"]
    nb.cells = ([nbformat.v4.new_markdown_cell(title)] if title else []) + [
        parameter_cell, *(nbformat.v4.new_code_cell(cell) for cell in cells)]
    return nb
