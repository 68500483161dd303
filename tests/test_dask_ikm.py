"""compute_ikm on a Dask frame equals compute_ikm on the same data in pandas (to 1e-9).

The pandas path (evalkit.ikm.tally, per-respondent influence values) and the Dask path
(evalkit.ikm.distributed, summed integer moments) are two implementations of the same
estimator; each is compared with the other and the SE with a hand formula.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest
from dask_fixture import dask_client  # noqa: F401  (fixture)

from evalkit.distributed import connect, describe_client, notebook_client
from evalkit.ikm import ELEMENTS, compute_ikm, ikm_elements
from evalkit.simulate.nation import NationConfig, simulate_nation_skm

dd = pytest.importorskip("dask.dataframe")


def _responses(n: int = 6000, seed: int = 7) -> pd.DataFrame:
    """Survey-like answers with every edge the estimator has: blanks, a group whose answers
    are all equal (SE exactly 0), a group with one respondent (SE NaN), a group where one
    element is never answered (no IKM), a row answering nothing."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "unit": rng.choice([f"U{i:02d}" for i in range(12)], n),
        "period": rng.choice(["2024Q1", "2024Q2", "2024Q3"], n)})
    for element in ELEMENTS:
        values = pd.array(rng.integers(1, 5, n), dtype="Int8")
        values[rng.random(n) < 0.05] = pd.NA
        frame[element] = values
    frame.loc[frame["unit"] == "U00", list(ELEMENTS)] = 3
    frame.loc[(frame["unit"] == "U01") & (frame["period"] == "2024Q1"), "u5"] = pd.NA
    frame.loc[3, list(ELEMENTS)] = pd.NA
    lonely = frame.iloc[[0]].assign(unit="U99", period="2024Q1", **{e: 4 for e in ELEMENTS})
    return pd.concat([frame, lonely], ignore_index=True)


@pytest.fixture(scope="module")
def responses() -> pd.DataFrame:
    return _responses()


@pytest.mark.parametrize("by", [("unit", "period"), "period", ()])
@pytest.mark.parametrize("weight", ["exact", "rounded"])
def test_dask_ikm_equals_pandas(dask_client, responses, by, weight):  # noqa: F811
    expected = compute_ikm(responses, by=by, weight=weight, ci=0.95)
    frame = dd.from_pandas(responses, npartitions=7)
    got = compute_ikm(frame, by=by, weight=weight, ci=0.95)
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=0, atol=1e-9)
    pd.testing.assert_series_equal(got["mutu"], expected["mutu"], check_exact=True)  # grades


def test_edge_groups_are_kept(dask_client, responses):  # noqa: F811
    got = compute_ikm(dd.from_pandas(responses, npartitions=5), ci=0.95).set_index(
        ["unit", "period"])
    assert (got.loc["U00", "ikm_se"] == 0.0).all()           # identical answers
    assert np.isnan(got.loc[("U99", "2024Q1"), "ikm_se"])    # one respondent
    assert np.isnan(got.loc[("U01", "2024Q1"), "ikm"])       # u5 never answered


def test_dask_se_matches_hand_formula(dask_client):  # noqa: F811
    # Without blanks the SE is that of the mean of the respondents' mean scores:
    # scores 2, 3, 4, 4 → mean 3.25, sample sd √(2.75/3), SE = 25 · sd / √4.
    df = pd.DataFrame({"unit": ["A"] * 4, **{e: [2, 3, 4, 4] for e in ELEMENTS}})
    got = compute_ikm(dd.from_pandas(df, npartitions=3), by="unit", ci=0.95)
    assert got["ikm_se"].iloc[0] == pytest.approx(25 * np.sqrt(2.75 / 3) / 2, abs=1e-12)
    assert got["ikm"].iloc[0] == 81.25


def test_partitioning_does_not_change_the_result(dask_client, responses):  # noqa: F811
    one = compute_ikm(dd.from_pandas(responses, npartitions=1), ci=0.9)
    many = compute_ikm(dd.from_pandas(responses, npartitions=23), ci=0.9)
    pd.testing.assert_frame_equal(one, many, check_exact=False, rtol=0, atol=1e-12)


def test_dask_ikm_elements_equals_pandas(dask_client, responses):  # noqa: F811
    got = ikm_elements(dd.from_pandas(responses, npartitions=4))
    pd.testing.assert_frame_equal(got, ikm_elements(responses))


def test_dask_path_refuses_bad_answers_like_pandas(dask_client, responses):  # noqa: F811
    bad = responses.astype({"u2": "float64"})
    bad.loc[10, "u2"] = 5
    with pytest.raises(ValueError, match="outside 1–4"):
        compute_ikm(dd.from_pandas(bad, npartitions=3))


def test_nation_parquet_on_the_cluster_equals_pandas(dask_client, tmp_path):  # noqa: F811
    simulate_nation_skm(tmp_path, NationConfig.tiny(), seed=5)
    expected = compute_ikm(pd.read_parquet(tmp_path), ci=0.95)
    got = compute_ikm(dd.read_parquet(tmp_path), ci=0.95)
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=0, atol=1e-9)


def test_in_memory_path_does_not_import_dask():
    import subprocess

    code = ("import sys, pandas as pd; from evalkit.ikm import compute_ikm; "
            "compute_ikm(pd.DataFrame({'unit': ['A'], 'u1': [3]}), by='unit', elements=['u1']);"
            "print('dask' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_connect_and_describe(dask_client):  # noqa: F811
    assert connect() is None and notebook_client("") is None
    assert describe_client(None) == "in-process"
    address = dask_client.scheduler.address
    client = notebook_client(address)
    try:
        assert describe_client(client) == f"Dask cluster at {address} with 2 workers"
    finally:
        client.close()
    with pytest.raises(ValueError, match="not both"):
        connect(address, 2)
