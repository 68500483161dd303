"""SKM cleaning on Dask (evalkit.ingest.distributed) against the in-process reader.

A folder of three SKM exports with bad rows written by hand: the expected counts are
counted from the rows below, and both paths must give them and the same clean rows.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from dask_fixture import dask_client  # noqa: F401  (fixture)

from evalkit.ingest import clean_all, load_questions, read_skm
from evalkit.ingest.distributed import clean_skm_dataset, file_batches, read_skm_on_cluster
from evalkit.schemas import UNSUR

dd = pytest.importorskip("dask.dataframe")


def _row(time: str, unit: str, answers: str) -> str:
    return f"{time};{unit};KTP;P;34;SMA;Swasta;" + ";".join(answers) + ";"


@pytest.fixture(scope="module")
def skm_folder(tmp_path_factory):
    q = load_questions()
    head = ";".join(["Timestamp", "Unit Layanan", "Jenis Layanan", "Jenis Kelamin", "Umur",
                     "Pendidikan", "Pekerjaan", *[q.names[u] for u in UNSUR],
                     "Saran / Masukan"])
    files = {
        # 4 records: the 2nd repeats the 1st to the second (duplicate_response)
        "dinas-a_2024Q1.csv": [_row("05/02/2024 10:00:00", "Dinas A", "ddddddddd"),
                               _row("05/02/2024 10:00:00", "Dinas A", "ddddddddd"),
                               _row("06/02/2024 11:00:00", "Dinas A", "cccccccca"),
                               _row("07/02/2024 09:30:00", "Dinas A", "bbbbbbbbb")],
        # 3 records: one answers 7 (answer_out_of_range)
        "dinas-b_2024Q2.csv": [_row("05/05/2024 10:00:00", "Dinas B", "ddddddddd"),
                               _row("06/05/2024 10:00:00", "Dinas B", "7dddddddd"),
                               _row("07/05/2024 10:00:00", "Dinas B", "abcdabcda")],
        # 3 records: one has no unit (value_missing)
        "dinas-c_2024Q2.csv": [_row("05/05/2024 12:00:00", "Dinas C", "ccccccccc"),
                               _row("06/05/2024 12:00:00", "", "ccccccccc"),
                               _row("07/05/2024 12:00:00", "Dinas C", "dcdcdcdcd")],
    }
    raw = tmp_path_factory.mktemp("raw")
    (raw / "skm").mkdir()
    for name, rows in files.items():
        (raw / "skm" / name).write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    return raw


EXPECTED = {"rows_in": 10, "rows_clean": 7, "rows_quarantined": 3}


def _sorted(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    return frame.sort_values(by).reset_index(drop=True)


def test_in_process_reader_gives_the_hand_counts(skm_folder):
    result = read_skm(sorted((skm_folder / "skm").glob("*.csv")))
    assert (result.rows_in, len(result[0])) == (10, 7)
    assert sorted(result[1]["kind"]) == ["answer_out_of_range", "duplicate_response",
                                         "value_missing"]


def test_dataset_on_cluster_reconciles_like_in_process(dask_client, skm_folder,  # noqa: F811
                                                       tmp_path):
    reference = clean_all(skm_folder, tmp_path / "in_process", progress=False)
    dataset = clean_skm_dataset(skm_folder, tmp_path / "dask", dask_client, progress=False)
    counts = {k: dataset.row_counts[k] for k in EXPECTED}
    assert counts == EXPECTED
    assert counts == {k: reference.manifest["tables"]["skm"][k] for k in EXPECTED}
    written = json.loads((tmp_path / "dask" / "skm_manifest.json").read_text())
    assert written["tables"]["skm"]["rows_in"] == 10
    # the clean rows, read back from the partitioned dataset, are the in-process table's
    back = dd.read_parquet(dataset.path).compute()
    assert sorted(back["period"].astype(str).unique()) == ["2024Q1", "2024Q2"]
    assert sorted(p.name for p in dataset.path.iterdir()) == ["period=2024Q1", "period=2024Q2"]
    clean = reference.tables["skm"]
    columns = list(clean.columns)
    got = _sorted(back[columns].astype({"period": "str"}), ["response_id"])
    got = got.astype(clean.dtypes.to_dict())
    pd.testing.assert_frame_equal(got, _sorted(clean, ["response_id"]), check_dtype=False)
    keys = ["source_file", "source_row", "kind"]
    pd.testing.assert_frame_equal(_sorted(dataset.quarantine, keys),
                                  _sorted(reference.quarantine, keys))


def test_clean_all_with_a_client_writes_the_same_tables(dask_client, skm_folder,  # noqa: F811
                                                        tmp_path):
    reference = clean_all(skm_folder, tmp_path / "a", progress=False)
    on_cluster = clean_all(skm_folder, tmp_path / "b", progress=False, client=dask_client)
    assert on_cluster.manifest["tables"] == reference.manifest["tables"]
    pd.testing.assert_frame_equal(_sorted(on_cluster.tables["skm"], ["response_id"]),
                                  _sorted(reference.tables["skm"], ["response_id"]))


def test_read_on_cluster_without_client_equals_reader(skm_folder):
    files = sorted((skm_folder / "skm").glob("*.csv"))
    merged = read_skm_on_cluster(files, None)
    assert merged.rows_in == 10 and len(merged[0]) == 7 and len(merged[1]) == 3


def test_file_batches_keep_order_and_every_file(skm_folder):
    files = sorted((skm_folder / "skm").glob("*.csv"))
    batches = file_batches(files, 2)
    assert [p for b in batches for p in b] == files and len(batches) == 2
    assert file_batches(files, 10) == [[p] for p in files]
