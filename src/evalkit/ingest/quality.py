"""What the cleaning did, as tables for notebook 01 and the run report.

Quarantine reasons and examples, the data-quality table of the run report, the cleaned
tables' shapes, and (for simulated data) the injected faults against the quarantine.

Every function takes what :func:`~evalkit.ingest.clean_all` returned (``result.quarantine``,
``result.row_counts``, ``result.tables``) and returns a frame to show or save.

Examples
--------
>>> import pandas as pd
>>> q = pd.DataFrame({"table": ["skm", "skm", "skp"], "source_file": ["a.csv", "a.csv", "s.csv"],
...                   "source_row": [7, 3, 2], "column": ["u1", "u2", "NIP"],
...                   "kind": ["answer_out_of_range"] * 2 + ["nip_float"]})
>>> quarantine_reasons(q)[["table", "kind", "rows"]]
  table                 kind  rows
0   skm  answer_out_of_range     2
1   skp            nip_float     1

"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from evalkit.schemas import KIND_REASONS

#: What :func:`fault_comparison` says of a fault kind that cleaning quarantines, and of one
#: it repairs or reads as it is (NIP spaces, mixed date formats, blank answers, file variants).


def _rows_by_kind(quarantine: pd.DataFrame, name: str) -> pd.DataFrame:
    """Quarantined rows per table and fault kind (columns ``table``, ``kind``, ``name``)."""
    return quarantine.groupby(["table", "kind"]).size().rename(name).reset_index()


def quarantine_reasons(quarantine: pd.DataFrame) -> pd.DataFrame:
    """Quarantined rows per table and fault kind, with the sentence that explains the kind.

    Parameters
    ----------
    quarantine : pandas.DataFrame
        The quarantine table (``table``, ``kind``, …).

    Returns
    -------
    pandas.DataFrame
        ``table``, ``kind``, ``rows``, ``meaning`` (:data:`evalkit.schemas.KIND_REASONS`),
        sorted by table and kind.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"table": ["skp"], "kind": ["nip_float"]})
    >>> quarantine_reasons(q)["meaning"].iloc[0][:36]
    'NIP was stored as a number by a spre'

    """
    reasons = _rows_by_kind(quarantine, "rows")
    reasons["meaning"] = reasons["kind"].map(KIND_REASONS)
    return reasons.sort_values(["table", "kind"], ignore_index=True)


def quarantine_examples(quarantine: pd.DataFrame) -> pd.DataFrame:
    """Show one quarantined row per table and fault kind: where to look in the source.

    The first row by file and row number, without its raw value.

    Returns
    -------
    pandas.DataFrame
        ``table``, ``source_file``, ``source_row``, ``column``, ``kind``.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.DataFrame({"table": ["skm"] * 2, "source_file": ["b.csv", "a.csv"],
    ...                   "source_row": [1, 9], "column": ["u1", "u4"],
    ...                   "kind": ["answer_out_of_range"] * 2, "raw_value": ["5", "0"]})
    >>> quarantine_examples(q).to_dict("records")
    [{'table': 'skm', 'source_file': 'a.csv', 'source_row': 9, 'column': 'u4', \
'kind': 'answer_out_of_range'}]

    """
    return (quarantine.sort_values(["table", "kind", "source_file", "source_row"])
            .drop_duplicates(["table", "kind"])
            [["table", "source_file", "source_row", "column", "kind"]]
            .reset_index(drop=True))


def data_quality_table(row_counts: pd.DataFrame, quarantine: pd.DataFrame) -> pd.DataFrame:
    """Build the data-quality table of the run report.

    Per table the row counts, the quarantined share and the quarantined rows of each kind.

    Counts are rows of files, not statistics about people, so no cell is suppressed.

    Parameters
    ----------
    row_counts : pandas.DataFrame
        :attr:`~evalkit.ingest.CleaningResult.row_counts` (``table``, ``rows_in``,
        ``rows_quarantined``, …).
    quarantine : pandas.DataFrame
        The quarantine table.

    Returns
    -------
    pandas.DataFrame
        The columns of ``row_counts``, ``share_quarantined`` (rounded to 4 decimals), then one
        integer column per fault kind (alphabetical), 0 where a table has none.

    Examples
    --------
    >>> import pandas as pd
    >>> counts = pd.DataFrame({"table": ["skm", "skp"], "rows_in": [10, 4],
    ...                        "rows_quarantined": [2, 0]})
    >>> q = pd.DataFrame({"table": ["skm", "skm"], "kind": ["answer_out_of_range",
    ...                                                     "duplicate_response"]})
    >>> data_quality_table(counts, q).to_dict("records")[0]
    {'table': 'skm', 'rows_in': 10, 'rows_quarantined': 2, 'share_quarantined': 0.2, \
'answer_out_of_range': 1, 'duplicate_response': 1}

    """
    by_kind = pd.crosstab(quarantine["table"], quarantine["kind"]) \
        .reindex(row_counts["table"], fill_value=0)
    table = row_counts.set_index("table")
    table["share_quarantined"] = (table["rows_quarantined"] / table["rows_in"]).round(4)
    out = table.join(by_kind).reset_index()
    out[by_kind.columns] = out[by_kind.columns].fillna(0).astype(int)
    out.columns.name = None
    return out


def table_overview(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows and columns of each cleaned table.

    Examples
    --------
    >>> import pandas as pd
    >>> table_overview({"skp": pd.DataFrame({"pid": ["a"], "tahun": [2024]})})
      table  rows     columns
    0   skp     1  pid, tahun

    """
    return pd.DataFrame({"table": list(tables),
                         "rows": [len(t) for t in tables.values()],
                         "columns": [", ".join(map(str, t.columns)) for t in tables.values()]})


__all__ = ["data_quality_table", "quarantine_examples", "quarantine_reasons", "table_overview"]
