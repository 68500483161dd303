"""The national SKM generator (evalkit.simulate.nation) on a small size."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from evalkit.ikm import ELEMENTS
from evalkit.simulate.nation import NATION_INFO, NationConfig, simulate_nation_skm


@pytest.fixture(scope="module")
def nation(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nation")
    info = simulate_nation_skm(folder, NationConfig.tiny(), seed=11)
    return folder, info, pd.read_parquet(folder)


def test_layout_and_counts(nation):
    folder, info, skm = nation
    cfg = NationConfig.tiny()
    n_units = cfg.n_governments * cfg.units_per_government
    assert info["n_units"] == n_units == skm["unit"].nunique()
    assert info["n_responses"] == len(skm)
    # 12 units × 2 quarters × Poisson(120): the total lies within 5 SD of 2880
    assert abs(len(skm) - n_units * 2 * 120) < 5 * np.sqrt(n_units * 2 * 120)
    # 800 rows a file at 120 a unit: blocks of 6 units, so 2 files a quarter
    assert sorted(p.name for p in folder.iterdir()) == [NATION_INFO, "period=2025Q1",
                                                       "period=2025Q2"]
    assert info["n_files"] == 4 == len(list(folder.rglob("*.parquet")))
    assert (skm.groupby(["unit", "period"], observed=True).size() > 0).all()
    assert json.loads((folder / NATION_INFO).read_text())["seed"] == 11


def test_answers_are_skm_scores_with_blanks(nation):
    _, _, skm = nation
    answers = skm[list(ELEMENTS)]
    assert all(str(t) == "Int8" for t in answers.dtypes)
    stacked = answers.stack()
    assert set(stacked.dropna().unique()) == {1, 2, 3, 4}
    blank = answers.isna().to_numpy().mean()
    n = answers.size
    assert abs(blank - 0.02) < 5 * np.sqrt(0.02 * 0.98 / n)   # share_blank, binomial bound
    # the element offsets of the city model: u4 (+0.35) above u8 (−0.22) on average
    assert answers["u4"].mean() > answers["u8"].mean()


def test_same_seed_same_data_and_other_folders_refused(tmp_path, nation):
    _, _, skm = nation
    again = simulate_nation_skm(tmp_path / "x", NationConfig.tiny(), seed=11)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "x"), skm)
    assert again["n_responses"] == len(skm)
    (tmp_path / "y").mkdir()
    (tmp_path / "y" / "keep.csv").write_text("a\n")
    with pytest.raises(FileExistsError, match="not empty"):
        simulate_nation_skm(tmp_path / "y", NationConfig.tiny())


def test_cli_preset_nation_writes_the_scaled_survey(tmp_path, capsys):
    from evalkit.cli import main

    # 20 units × 4 quarters × 486 responses = 38,880 per government: --rows 80000 asks for two
    assert main(["simulate", "--preset", "nation", "--rows", "80000",
                 "--out", str(tmp_path / "n"), "--seed", "3"]) == 0
    skm = pd.read_parquet(tmp_path / "n")
    assert skm["pemda"].nunique() == 2 and skm["period"].nunique() == 4
    assert f"{len(skm):,} responses" in capsys.readouterr().out
    # --rows means nothing for a city: refused, not ignored
    assert main(["simulate", "--preset", "small", "--rows", "10", "--out",
                 str(tmp_path / "c")]) == 2
    assert not (tmp_path / "c").exists()
