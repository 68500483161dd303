"""The committed notebooks are a valid nbval baseline and a valid papermill pipeline.

nbval compares nothing for a cell that was never executed, and in lax mode nothing but the
cells marked ``# NBVAL_CHECK_OUTPUT``; these tests make sure each notebook really carries a
baseline, has a proper ``parameters`` cell and shows no personal data.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import nbformat
import pytest

from evalkit.config import NOTEBOOKS_DIR, PIPELINE_FILE, load_yaml
from evalkit.pipeline import NOTEBOOK_NAME, declared_parameters, discover_notebooks

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))

# Identifier patterns of DOMAIN.md §4 and §7: NIP (18 digits, optionally spaced as
# 8-6-1-3), NIK (16 digits), Indonesian phone numbers, e-mail addresses.
NIP = re.compile(r"(?<!\d)\d{8}\s?\d{6}\s?\d\s?\d{3}(?!\d)")
NIK = re.compile(r"(?<![\d.])\d{16}(?![\d.])")
# Mobile numbers: 08…, 628… or +628…, digits optionally grouped by one space, dot or dash
# (a run of table padding between two numbers is not a phone number).
PHONE = re.compile(r"(?<![\d.])(?:\+62|62|0)8\d(?:[ .-]?\d){7,10}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def _code_cells(path: Path) -> list[nbformat.NotebookNode]:
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def _text_outputs(cell: nbformat.NotebookNode) -> str:
    """Everything a reader sees of a cell's outputs, except images."""
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        for mime, value in output.get("data", {}).items():
            if mime.startswith(("text/", "application/json")):
                parts.append(value if isinstance(value, str) else json.dumps(value))
    return "\n".join(parts)


def test_the_pipeline_starts_with_the_cleaning_notebook() -> None:
    names = [p.name for p in discover_notebooks()]
    assert names and names[0] == "01-clean-raw-data.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_name_follows_pattern(path: Path) -> None:
    assert NOTEBOOK_NAME.match(path.name), f"{path.name} is not NN-slug.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_code_cell_executed_without_error(path: Path) -> None:
    cells = _code_cells(path)
    unrun = [i for i, c in enumerate(cells) if c.get("execution_count") is None]
    errors = [i for i, c in enumerate(cells)
              if any(o.get("output_type") == "error" for o in c.get("outputs", []))]
    assert not unrun, f"{path.name}: code cells {unrun} never executed; run `make reference`"
    assert not errors, f"{path.name}: code cells {errors} stored an error"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_has_checked_cells_with_outputs(path: Path) -> None:
    checked = [c for c in _code_cells(path) if c.source.lstrip().startswith("# NBVAL_CHECK_OUTPUT")]
    assert checked, f"{path.name}: no cell marked # NBVAL_CHECK_OUTPUT; nbval checks nothing"
    assert all(c.get("outputs") for c in checked), f"{path.name}: a checked cell has no output"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_cell_is_literal_annotated_and_commented(path: Path) -> None:
    cells = _code_cells(path)
    assert "parameters" in cells[0].metadata.get("tags", []), \
        f"{path.name}: the first code cell must be tagged 'parameters'"
    source = cells[0].source
    for statement in ast.parse(source).body:
        assert isinstance(statement, ast.AnnAssign), \
            f"{path.name}: parameters must be annotated assignments (`name: type = value`)"
        ast.literal_eval(statement.value)  # literals only; derived values go in the next cell
        line = source.splitlines()[statement.lineno - 1]
        assert "#" in line, f"{path.name}: parameter line without a comment: {line!r}"


@pytest.mark.parametrize("path", [*NOTEBOOKS, NOTEBOOKS_DIR / "unit" / "unit-report.ipynb"],
                         ids=lambda p: p.name)
def test_papermill_reads_every_parameter_of_the_cell(path: Path) -> None:
    # papermill skips a line it cannot parse (e.g. quotes in the comment) with a mere
    # warning; the runner would then not pass that parameter (it asks papermill).
    assigned = {statement.target.id
                for statement in ast.parse(_code_cells(path)[0].source).body}
    assert set(declared_parameters(path)) == assigned, \
        f"{path.name}: papermill does not read {sorted(assigned - set(declared_parameters(path)))}" \
        " — keep quotes out of the parameter comments"


def test_every_default_parameter_is_declared_by_a_notebook() -> None:
    declared = set().union(*(declared_parameters(p) for p in NOTEBOOKS))
    unknown = set(load_yaml(PIPELINE_FILE)) - declared
    assert not unknown, f"config/pipeline.yaml names parameters no notebook declares: {unknown}"


def test_identifier_patterns_catch_identifiers_and_spare_tables() -> None:
    # Examples written from DOMAIN.md §4/§7, so the scan below can fail when it should.
    assert NIP.search("NIP 19780717 201001 2 012") and NIP.search("197807172010012012")
    assert NIK.search("NIK 3372012345670001")
    for phone in ("0812-3456-7890", "+6281234567890", "0812 3456 789", "628123456789"):
        assert PHONE.search(phone), phone
    assert EMAIL.search("sari.w@example.co.id")
    for table_text in ("92.08   94.38", "62        3.563", "2023Q1  20.5  0.861"):
        assert not PHONE.search(table_text), table_text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_carry_no_identifiers(path: Path) -> None:
    for index, cell in enumerate(_code_cells(path)):
        text = _text_outputs(cell)
        for label, pattern in (("NIP", NIP), ("NIK", NIK), ("phone number", PHONE),
                               ("e-mail", EMAIL)):
            match = pattern.search(text)
            assert match is None, f"{path.name} code cell {index}: {label} {match[0]!r} in output"


def _tables_in_code(path: Path) -> dict[str, set[str]]:
    """The processed tables a notebook's code reads (needed or optional) and writes.

    Read from the source, independently of the metadata: ``read_processed("t", ...)`` (or a
    ``partial`` of it) needs ``t`` unless ``missing_ok=True``; ``report.load_inputs`` reads
    the report's inputs when present; ``write_processed("t", ...)`` writes ``t``; a table
    name held in a loop variable is taken from the literal list or dict the loop walks.
    """
    from evalkit.report.inputs import REPORT_INPUTS

    found: dict[str, set[str]] = {"needs": set(), "optional": set(), "writes": set()}
    source = "\n".join(c.source for c in _code_cells(path)[1:])
    tree = ast.parse(source)
    readers = {"read_processed"} | {
        t.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call) and getattr(node.value.func, "id", "") == "partial"
        and getattr(node.value.args[0], "id", "") == "read_processed" for t in node.targets}
    literals = {t.id: node.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
                for t in node.targets if isinstance(t, ast.Name)}
    loops = {}  # loop variable → the names it takes
    for node in ast.walk(tree):
        if isinstance(node, ast.For | ast.comprehension):
            walked = node.iter
            if isinstance(walked, ast.Call) and isinstance(walked.func, ast.Attribute):
                walked = literals.get(getattr(walked.func.value, "id", ""), walked)
            keys = walked.keys if isinstance(walked, ast.Dict) else getattr(walked, "elts", [])
            names = {k.value for k in keys if isinstance(k, ast.Constant)}
            for target in ast.walk(node.target):
                if isinstance(target, ast.Name):
                    loops.setdefault(target.id, names)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else \
            getattr(node.func, "id", "")
        first = node.args[0]
        tables = ({first.value} if isinstance(first, ast.Constant)
                  else loops.get(getattr(first, "id", ""), set()))
        if name in readers:
            optional = any(k.arg == "missing_ok" and getattr(k.value, "value", False)
                           for k in node.keywords)
            found["optional" if optional else "needs"] |= tables
        elif name == "write_processed":
            found["writes"] |= tables
        elif name == "load_inputs":
            found["optional"] |= set(REPORT_INPUTS)
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_declared_tables_match_the_code(path: Path) -> None:
    from evalkit.ingest.clean import SOURCES
    from evalkit.run_plan import notebook_io

    io = notebook_io(path)
    code = _tables_in_code(path)
    if io.reads_raw:  # the cleaning step writes a table per source and the quarantine
        assert set(io.writes) == set(SOURCES) | {"quarantine"}
        assert not io.needs and not code["needs"]
        return
    # every table read without missing_ok is needed; a notebook may also need a table its
    # code reads when present (06: a report without the IKM has nothing to say)
    assert code["needs"] <= set(io.needs) <= code["needs"] | code["optional"], path.name
    assert set(io.optional) == code["optional"] - set(io.needs)
    assert set(io.writes) == code["writes"]
