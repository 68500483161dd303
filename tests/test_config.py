"""Paths, parameters and processed-table reading of evalkit.config."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from evalkit import config


def test_relative_paths_come_from_the_project_root() -> None:
    assert config.resolve_path("data/raw") == config.PROJ_ROOT / "data" / "raw"
    assert config.resolve_path("/tmp/x") == Path("/tmp/x")


def test_unknown_parameter_in_a_file_is_refused(tmp_path: Path) -> None:
    params = tmp_path / "p.yaml"
    params.write_text("lang: en\nmentor_capacty: 4\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"unknown parameter\(s\) mentor_capacty"):
        config.load_params(params)
    assert config.load_params({"lang": "en"})["lang"] == "en"


def test_invalid_yaml_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("lang: en\nseed: [1, 2\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.yaml: invalid YAML at line \d+"):
        config.load_yaml(bad)


def test_read_processed_reads_and_explains_a_missing_table(tmp_path: Path) -> None:
    pd.DataFrame({"unit": ["A", "B"], "x": [1, 2]}).to_parquet(tmp_path / "t.parquet")
    assert config.read_processed("t", tmp_path, columns=["x"])["x"].tolist() == [1, 2]
    assert config.read_processed("absent", tmp_path, missing_ok=True) is None
    with pytest.raises(FileNotFoundError, match=r"absent\.parquet: processed table 'absent' "
                                                r"not found.*evalkit run"):
        config.read_processed("absent", tmp_path)


def test_truth_only_for_simulated_data(tmp_path: Path) -> None:
    (tmp_path / "truth.json").write_text('{"simulated": false}', encoding="utf-8")
    assert config.load_truth(tmp_path) is None
    (tmp_path / "truth.json").write_text("{not json", encoding="utf-8")
    assert config.load_truth(tmp_path) is None
    (tmp_path / "truth.json").write_text('{"simulated": true, "seed": 3}', encoding="utf-8")
    assert config.load_truth(tmp_path) == {"simulated": True, "seed": 3}
