"""The cleaning's tables for notebook 01 and the run report (evalkit.ingest.quality)."""

import pandas as pd
from quarantine_fixture import quarantine_sample

from evalkit.ingest import (
    data_quality_table,
    quarantine_examples,
    quarantine_reasons,
    table_overview,
)
from evalkit.schemas import KIND_REASONS


def test_quarantine_reasons_count_each_kind_with_its_meaning():
    out = quarantine_reasons(quarantine_sample())
    assert out[["table", "kind", "rows"]].values.tolist() == [
        ["skm", "answer_out_of_range", 2], ["skm", "duplicate_response", 1],
        ["skp", "nip_float", 1]]
    assert out["meaning"].tolist() == [KIND_REASONS[k] for k in out["kind"]]


def test_quarantine_examples_show_the_first_row_of_each_kind_without_raw_values():
    out = quarantine_examples(quarantine_sample())
    assert list(out.columns) == ["table", "source_file", "source_row", "column", "kind"]
    # the out-of-range example is a_2024Q1.csv row 9 (file name sorts before b_2024Q1.csv)
    assert out.fillna("-").values.tolist() == [
        ["skm", "a_2024Q1.csv", 9, "u7", "answer_out_of_range"],
        ["skm", "a_2024Q1.csv", 3, "-", "duplicate_response"],
        ["skp", "skp.csv", 2, "NIP", "nip_float"]]


def test_data_quality_table_adds_share_and_kind_counts_per_table():
    counts = pd.DataFrame({"table": ["pegawai", "skm", "skp"], "source": ["p", "s", "k"],
                           "rows_in": [10, 40, 8], "rows_clean": [10, 37, 7],
                           "rows_quarantined": [0, 3, 1]})
    out = data_quality_table(counts, quarantine_sample())
    assert list(out.columns) == ["table", "source", "rows_in", "rows_clean", "rows_quarantined",
                                 "share_quarantined", "answer_out_of_range",
                                 "duplicate_response", "nip_float"]
    # by hand: 3/40 = 0.075, 1/8 = 0.125; a table without faults gets zeros
    assert out["share_quarantined"].tolist() == [0.0, 0.075, 0.125]
    assert out[["answer_out_of_range", "duplicate_response", "nip_float"]].values.tolist() == [
        [0, 0, 0], [2, 1, 0], [0, 0, 1]]
    assert (out[["answer_out_of_range", "duplicate_response", "nip_float"]].sum(axis=1)
            == out["rows_quarantined"]).all()
    assert str(out["nip_float"].dtype).startswith("int")


def test_data_quality_table_without_any_quarantined_row():
    counts = pd.DataFrame({"table": ["skm"], "rows_in": [5], "rows_quarantined": [0]})
    out = data_quality_table(counts, quarantine_sample().iloc[:0])
    assert out.to_dict("records") == [{"table": "skm", "rows_in": 5, "rows_quarantined": 0,
                                       "share_quarantined": 0.0}]


def test_table_overview_lists_rows_and_columns():
    out = table_overview({"a": pd.DataFrame({"x": [1, 2], "y": [3, 4]}),
                          "b": pd.DataFrame({"z": []})})
    assert out.to_dict("records") == [{"table": "a", "rows": 2, "columns": "x, y"},
                                      {"table": "b", "rows": 0, "columns": "z"}]
