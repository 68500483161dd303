"""The house rules of the package layout, checked on the source (DESIGN.md, issue 12).

Imports run one way: the estimator package imports no study code, the simulator nothing of
the report, interview coding nothing of the estimators. No module grows past the size a
reader can hold in mind.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "evalkit"

#: A module longer than this is split by concern (issue 12: "no module over about 600 lines").
MAX_LINES = 650

#: package → evalkit modules it must not import (directly).
FORBIDDEN = {
    "models": ("effects", "truth", "panel", "training", "ikm", "recommend", "report",
               "interviews", "ingest", "simulate", "outputs", "plots"),
    "simulate": ("report", "recommend", "effects", "models"),
    "interviews": ("models", "report", "recommend"),
    "privacy": ("report", "recommend", "effects", "models", "ikm", "training", "panel"),
    "ikm": ("report", "recommend", "effects", "models", "training", "panel"),
}


def _modules(package: str) -> list[Path]:
    root = SRC / package
    return sorted(root.rglob("*.py")) if root.is_dir() else [SRC / f"{package}.py"]


def _evalkit_imports(path: Path) -> set[str]:
    """The evalkit sub-modules a file imports (first component after ``evalkit.``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names
                                     if node.module == "evalkit"]
        for name in names:
            parts = name.split(".")
            if parts[0] == "evalkit" and len(parts) > 1:
                found.add(parts[1])
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_run_one_way(package):
    offending = {
        str(path.relative_to(SRC)): sorted(_evalkit_imports(path) & set(FORBIDDEN[package]))
        for path in _modules(package)
    }
    assert not {k: v for k, v in offending.items() if v}


def test_no_module_is_too_long():
    long = {str(p.relative_to(SRC)): n for p in SRC.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long


def test_the_rule_checker_sees_imports():
    # the checker itself: a known import of the report is found in the notebook setup chain
    assert "labels" in _evalkit_imports(SRC / "outputs.py")
