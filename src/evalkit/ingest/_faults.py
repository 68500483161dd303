"""Collecting row-level faults into the quarantine table.

A reader works on one frame with a row per raw data row (columns ``_row`` and ``_file`` say
where it came from). Each check adds a fault for the rows it rejects; a row keeps only its
first fault (checks run in a fixed order), so the quarantine has one row per rejected raw row.
``clean_all`` then checks ``rows_in = rows_clean + rows_quarantined`` against the record
count each reader measured while reading, and stops if a row went missing.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from evalkit.privacy import KnownNames, redact
from evalkit.schemas import FIELD_KINDS, KIND_REASONS, QUARANTINE

from ._io import ROW

FILE = "_file"
#: Column named in the quarantine for dataframe-wide checks (by the check's error text).
FRAME_CHECK_COLUMN = {"training_end_before_start": "tanggal_selesai",
                      "value_invalid": "selesai_tepat_waktu"}
QUARANTINE_COLUMNS = list(QUARANTINE.columns)
#: Raw columns holding personal data: their raw values are masked in the quarantine, which
#: lives in data/processed (no NIP, name, phone or birth date there). Digits become "#" and
#: letters "*", so the shape of the problem (E notation, 17 digits, spaces) stays visible.
PERSONAL_COLUMNS = frozenset({"NIP", "NIP Mentor", "NIP Mentee", "Nama", "No HP",
                              "Tanggal Lahir"})
#: Raw columns where people type free text (docs/data-contract.md): the survey's suggestion,
#: a transcript's turn text, and the survey profile / transcript header fields whose
#: category lists vary by unit and often have a free "Lainnya: ..." entry. Their raw values
#: go through :func:`evalkit.privacy.redact` before they reach the quarantine, as the
#: cleaned text does: a stray paragraph of a transcript can hold a name, NIP or phone number.
FREE_TEXT_COLUMNS = frozenset({"teks", "Saran / Masukan", "Jenis Layanan", "Umur",
                               "Pendidikan", "Pekerjaan", "Jabatan", "Pelatihan"})


def mask_personal(values: pd.Series) -> pd.Series:
    """Hide digits and letters of a personal value, keeping its shape.

    Examples
    --------
    >>> import pandas as pd
    >>> mask_personal(pd.Series(["1.97807172010012E+17"])).iloc[0]
    '#.##############*+##'

    """
    return (values.astype("str").str.replace(r"\d", "#", regex=True)
            .str.replace(r"[^\W\d_]", "*", regex=True))


def protect_raw(values: pd.Series, column: str | None, names: KnownNames | None = None
                ) -> pd.Series:
    """The raw values of ``column`` as they may be stored in the quarantine.

    Personal columns are masked (:func:`mask_personal`); free-text columns
    (:data:`FREE_TEXT_COLUMNS`) are redacted (:func:`evalkit.privacy.redact`, with the
    known ``names``); other
    columns (codes, numbers, dates, unit names) are kept so the problem can be seen.

    Examples
    --------
    >>> import pandas as pd
    >>> protect_raw(pd.Series(["Hubungi Pak Budi 0812-3456-7890"]), "Saran / Masukan").iloc[0]
    'Hubungi Pak [NAMA] [TELEPON]'
    >>> protect_raw(pd.Series(["19780717201001201"]), "NIP").iloc[0]
    '#################'

    """
    if column in PERSONAL_COLUMNS:
        return mask_personal(values)
    if column in FREE_TEXT_COLUMNS:
        return redact(values, names)
    return values


class FaultLog:
    """Faults found in one table's working frame."""

    def __init__(self, table: str, frame: pd.DataFrame,
                 person_names: KnownNames | None = None):
        self.table = table
        self.frame = frame
        self.person_names = person_names  # known people, redacted from quarantined text
        self._parts: list[pd.DataFrame] = []
        self._field_parts: list[pd.DataFrame] = []
        self._rejected = pd.Series(False, index=frame.index)

    def add(self, mask: pd.Series, column: str | None, kind: str,
            reason: str | pd.Series | None = None, raw: pd.Series | None = None) -> None:
        """Reject the rows in ``mask`` (not already rejected) with ``kind``."""
        mask = mask.reindex(self.frame.index, fill_value=False).fillna(False).astype(bool)
        new = mask & ~self._rejected
        if not new.any():
            return
        idx = new[new].index
        if raw is None:
            raw = (self.frame[column] if column in self.frame.columns
                   else pd.Series(pd.NA, index=self.frame.index, dtype="str"))
        raw_values = raw.reindex(idx).astype("str")
        raw_values = protect_raw(raw_values, column, self.person_names)
        if reason is None:
            reason = KIND_REASONS.get(kind, kind)
        reasons = (reason.reindex(idx).astype("str") if isinstance(reason, pd.Series)
                   else pd.Series(reason, index=idx, dtype="str"))
        self._parts.append(pd.DataFrame({
            "table": self.table,
            "source_file": self.frame.loc[idx, FILE].astype("str"),
            "source_row": self.frame.loc[idx, ROW].astype("Int64"),
            "column": column,
            "raw_value": raw_values,
            "kind": kind,
            "reason": reasons,
        }, index=idx))
        self._rejected |= new

    def clear_field(self, mask: pd.Series, column: str, kind: str, reason: str) -> None:
        """Record that the field ``column`` of the rows in ``mask`` was emptied (an
        impossible value) while the rows are kept: a quarantine row of a
        :data:`~evalkit.schemas.FIELD_KINDS` kind, not a rejected row. Rows rejected by
        another check by the end of reading get no such row (the whole row is quarantined).
        """
        if kind not in FIELD_KINDS:
            raise ValueError(f"{kind} is not a field-level kind ({sorted(FIELD_KINDS)})")
        mask = mask.reindex(self.frame.index, fill_value=False).fillna(False).astype(bool)
        if not mask.any():
            return
        idx = mask[mask].index
        self._field_parts.append(pd.DataFrame({
            "table": self.table,
            "source_file": self.frame.loc[idx, FILE].astype("str"),
            "source_row": self.frame.loc[idx, ROW].astype("Int64"),
            "column": column,
            "raw_value": protect_raw(self.frame.loc[idx, column].astype("str"), column,
                                     self.person_names),
            "kind": kind,
            "reason": reason,
        }, index=idx))

    def add_schema_errors(self, error: pa.errors.SchemaErrors, columns: dict[str, str]
                          ) -> None:
        """Turn pandera failure cases into faults.

        ``columns`` maps processed column names back to raw column names (for the quarantine's
        ``column`` and ``raw_value``). A check's ``error`` text is the fault kind when it is a
        known kind; other failures (not-null, allowed values, ranges) are ``value_missing`` or
        ``value_invalid`` with the check in the reason.
        """
        cases = error.failure_cases
        located = cases[cases["index"].notna()]
        if len(located) < len(cases):
            lost = cases[cases["index"].isna()]
            raise RuntimeError(
                f"{self.table}: schema failures without a row (a bug in the reader, please "
                f"report it): {lost[['column', 'check']].to_dict('records')}")
        frame_level = located["schema_context"].eq("DataFrameSchema")
        # a dataframe-wide check reports every column of a row: name the one to fix instead
        located = located.assign(column=located["column"].where(
            ~frame_level, located["check"].map(FRAME_CHECK_COLUMN)))
        located = located.drop_duplicates("index")
        for (column, check), group in located.groupby(["column", "check"], sort=False,
                                                      dropna=False):
            index = pd.Index(group["index"].astype(int))
            check = str(check)
            if check in KIND_REASONS:
                kind, reason = check, KIND_REASONS[check]
            elif check == "not_nullable":
                kind = "value_missing"
                reason = f"A value is required in this column ({column})."
            else:
                kind = "value_invalid"
                reason = f"Value of {column} fails the check {check}."
            mask = pd.Series(self.frame.index.isin(index), index=self.frame.index)
            raw_col = columns.get(str(column), str(column))
            self.add(mask, raw_col, kind, reason)

    def add_unaligned(self, rows: list[int], source_file: str, kind: str,
                      reason: str | None = None) -> None:
        """Quarantine raw rows that never made it into the working frame (e.g. rows with
        more fields than the header, which the CSV parser cannot align).
        """
        if not rows:
            return
        self._parts.append(pd.DataFrame({
            "table": self.table, "source_file": source_file,
            "source_row": pd.array(rows, dtype="Int64"), "column": pd.NA, "raw_value": pd.NA,
            "kind": kind, "reason": reason or KIND_REASONS.get(kind, kind),
        }))

    @property
    def rejected(self) -> pd.Series:
        """Boolean Series: rows with a fault."""
        return self._rejected

    def quarantine(self) -> pd.DataFrame:
        """The quarantine rows, one per rejected raw row (plus one per cleared field of a kept
        row, :meth:`clear_field`), ordered by file and row."""
        fields = [part[~self._rejected.reindex(part.index).to_numpy(dtype=bool)]
                  for part in self._field_parts]
        parts = self._parts + [part for part in fields if len(part)]
        if not parts:
            return empty_quarantine()
        out = pd.concat(parts)
        out = out.sort_values(["source_file", "source_row"], kind="stable")
        return out.reset_index(drop=True).astype({"source_row": "Int64"})[QUARANTINE_COLUMNS]


def empty_quarantine() -> pd.DataFrame:
    """An empty quarantine frame with the contract's columns."""
    return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "source_row" else "str")
                         for c in QUARANTINE_COLUMNS})


def combine_quarantines(quarantines) -> pd.DataFrame:
    """The quarantine frames of several tables or file batches as one, in the given order."""
    nonempty = [q for q in quarantines if len(q)]
    combined = (pd.concat(nonempty, ignore_index=True) if nonempty
                else empty_quarantine())[QUARANTINE_COLUMNS]
    return combined.astype({"source_row": "Int64"})
