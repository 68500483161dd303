"""Conda users and pip users get the same versions of the core packages."""

from __future__ import annotations

import re

import yaml

from evalkit.config import PROJ_ROOT


def _lock() -> dict[str, str]:
    pins = {}
    for line in (PROJ_ROOT / "requirements.lock").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, pinned = line.partition("==")
            assert pinned, f"requirements.lock: {line!r} is not pinned with =="
            pins[name.lower()] = pinned
    return pins


def _environment() -> dict[str, str]:
    spec = yaml.safe_load((PROJ_ROOT / "environment.yml").read_text())
    pins = {}
    for entry in spec["dependencies"]:
        items = entry["pip"] if isinstance(entry, dict) else [entry]
        for item in items:
            match = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*==?\s*([^\s]+)", item)
            if match:
                pins[match[1].lower()] = match[2]
    return pins


def test_every_lock_line_is_pinned() -> None:
    assert len(_lock()) > 50


def test_environment_yml_agrees_with_lock_on_core_packages() -> None:
    lock, env = _lock(), _environment()
    core = ["pandas", "numpy", "scipy", "statsmodels", "pyarrow", "pandera", "python-calamine",
            "matplotlib", "seaborn", "papermill", "nbconvert", "ipykernel", "nbval", "pytest",
            "pysastrawi", "krippendorff", "pyfixest", "moderndid", "causaldata"]
    for name in core:
        assert name in env, f"environment.yml does not pin {name}"
        assert env[name] == lock[name], f"{name}: environment.yml {env[name]} != lock {lock[name]}"
    assert env["python"].startswith("3.11")


def test_pyproject_dependencies_are_all_locked() -> None:
    import tomllib

    project = tomllib.loads((PROJ_ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + [d for extra in project["optional-dependencies"].values()
                                        for d in extra]
    lock = _lock()
    for requirement in wanted:
        name = re.match(r"[A-Za-z0-9_.-]+", requirement)[0].lower()
        assert name in lock, f"{name} is in pyproject.toml but not in requirements.lock"
