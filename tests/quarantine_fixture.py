"""A small quarantine table shared by the tests of the quality tables and of the truth.

3 rows of skm (2 out-of-range answers, 1 repeat), 1 of skp, in the contract's columns.
"""

import pandas as pd


def quarantine_sample() -> pd.DataFrame:
    """Return the four quarantined rows described in the module docstring."""
    return pd.DataFrame({
        "table": ["skm", "skm", "skp", "skm"],
        "source_file": ["b_2024Q1.csv", "a_2024Q1.csv", "skp.csv", "a_2024Q1.csv"],
        "source_row": pd.array([4, 9, 2, 3], dtype="Int64"),
        "column": ["u1", "u7", "NIP", None],
        "raw_value": ["5", "0", "#.###*+##", None],
        "kind": ["answer_out_of_range", "answer_out_of_range", "nip_float",
                 "duplicate_response"],
        "reason": ["r"] * 4})
