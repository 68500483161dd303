"""Steps shared by the readers: NIP → pseudonym, dates, numbers, labels, and the final
schema validation that splits a working frame into clean rows and quarantine rows.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from evalkit import privacy
from evalkit.errors import EvalkitWarning
from evalkit.schemas import FIELD_KINDS, SCHEMAS

from ._faults import FILE, FaultLog
from ._io import categorical_as_text
from ._parse import (
    map_labels,
    normalise_nip,
    parse_dates_dayfirst,
    parse_number,
    per_unique,
    validate_nip,
)


class DataQualityWarning(EvalkitWarning):
    """Rows kept although they look suspicious (e.g. possible repeated survey responses that
    cannot be told apart from distinct respondents); the count is also in the manifest.
    """


class ReadResult(tuple):
    """A reader's ``(clean, quarantine)`` pair, with the reader's own count of raw records.

    It unpacks like the pair. ``rows_in`` is the number of raw data records the reader read,
    measured while reading (CSV: records after the header; XLSX: sheet rows below the header),
    before any check, so that :func:`evalkit.ingest.clean_all` can check that every one
    of them ended up clean or quarantined. Blank lines are not records: ``rows_blank`` counts
    them. ``notes`` holds further counts for the manifest (``possible_duplicates_kept``);
    ``person_names`` the roster's names, for redaction.

    Examples
    --------
    >>> import pandas as pd
    >>> result = ReadResult(pd.DataFrame({"x": [1]}), pd.DataFrame(), rows_in=1)
    >>> clean, quarantine = result
    >>> result.rows_in, len(clean)
    (1, 1)

    """

    rows_in: int
    rows_blank: int
    notes: dict
    #: The personnel roster's names (:func:`~evalkit.ingest.read_pegawai` only), kept in
    #: memory to redact them from the free text of the other sources; never written.
    person_names: privacy.KnownNames | None = None

    def __new__(cls, clean: pd.DataFrame, quarantine: pd.DataFrame, rows_in: int,
                rows_blank: int = 0, notes: Mapping[str, int] | None = None,
                details: Mapping[str, object] | None = None) -> "ReadResult":
        self = super().__new__(cls, (clean, quarantine))
        self.rows_in = int(rows_in)
        self.rows_blank = int(rows_blank)
        self.notes = dict(notes or {})
        #: What the manifest lists besides counts (only when there is something to say):
        #: ``columns_ignored`` (export columns no documented column uses), ``columns_absent``
        #: (optional columns the export lacks), ``questions_ignored`` (SKM questions beyond
        #: u9), ``answers_in`` (answer rows of a long SKM export).
        self.details = {k: v for k, v in dict(details or {}).items() if v}
        return self

    @property
    def clean(self) -> pd.DataFrame:
        """The processed table."""
        return self[0]

    @property
    def quarantine(self) -> pd.DataFrame:
        """The rejected raw rows."""
        return self[1]


def start(frame: pd.DataFrame, path: str | os.PathLike[str], table: str,
          person_names: privacy.KnownNames | None = None) -> tuple[pd.DataFrame, FaultLog]:
    """Add the source file name and open a fault log (``person_names``: known people,
    redacted from the free text the quarantine keeps).
    """
    frame = frame.copy()
    frame[FILE] = Path(path).name if not isinstance(path, pd.Series) else path
    return frame, FaultLog(table, frame, person_names)


def resolve_key(key: str | None, path: str | os.PathLike[str]) -> str:
    """The key given, else :func:`evalkit.privacy.load_key` for the file's folder."""
    return key if key is not None else privacy.load_key(Path(path).parent)


def pid_column(frame: pd.DataFrame, faults: FaultLog, column: str, key: str
               ) -> tuple[pd.Series, pd.DataFrame]:
    """Validate the NIP column, log its faults, return pseudonyms and the NIP attributes."""
    nip = normalise_nip(frame[column])
    checked = validate_nip(nip)
    for kind in ("nip_float", "nip_invalid"):
        faults.add(checked["kind"].eq(kind).fillna(False), column, kind,
                   reason=checked["reason"])
    valid = checked["kind"].isna()
    return privacy.pseudonymise(nip.where(valid), key), checked


def date_column(frame: pd.DataFrame, faults: FaultLog, column: str, *,
                required: bool = True, parsed: pd.Series | None = None) -> pd.Series:
    """Parse a day-first date column; unreadable → ``date_invalid``, empty → missing."""
    if parsed is None:
        parsed = parse_dates_dayfirst(frame[column])
    present = frame[column].notna()
    faults.add(present & parsed.isna(), column, "date_invalid",
               reason=f"{column}: not a valid day-first date (27/11/2026, 27-11-2026, "
                      "2026-11-27 or an Excel serial); check the day and month.")
    if required:
        faults.add(~present, column, "value_missing",
                   reason=f"{column} is empty; a date is required.")
    return parsed


def number_column(frame: pd.DataFrame, faults: FaultLog, column: str, *,
                  integer: bool = False, required: bool = False) -> pd.Series:
    """Parse a locale number column; text that is not a number → ``value_invalid``."""
    parsed = parse_number(frame[column], integer=integer)
    present = frame[column].notna()
    faults.add(present & parsed.isna(), column, "value_invalid",
               reason=f"{column}: not a number.")
    if required:
        faults.add(~present, column, "value_missing", reason=f"{column} is empty.")
    return parsed


def label_column(frame: pd.DataFrame, faults: FaultLog, column: str,
                 mapping: Mapping[str, str], *, required: bool = True) -> pd.Series:
    """Map labels to canonical values; an unknown label → ``value_invalid``."""
    mapped = map_labels(frame[column], dict(mapping))
    present = frame[column].notna()
    allowed = ", ".join(sorted(set(mapping.values())))
    faults.add(present & mapped.isna(), column, "value_invalid",
               reason=f"{column}: unknown value; allowed: {allowed}.")
    if required:
        faults.add(~present, column, "value_missing", reason=f"{column} is empty.")
    return mapped


def text_column(frame: pd.DataFrame, faults: FaultLog, column: str, *,
                required: bool = True) -> pd.Series:
    """Text with runs of spaces collapsed; empty → ``value_missing`` when required."""
    text = frame[column].astype("str").str.replace(r"\s+", " ", regex=True)
    if required:
        faults.add(text.isna(), column, "value_missing", reason=f"{column} is empty.")
    return text


def unit_from_roster(pid: pd.Series, roster: pd.DataFrame | None) -> pd.Series:
    """The unit of each pseudonymised person in the roster (missing if not in it)."""
    if roster is None or roster.empty:
        return pd.Series(pd.NA, index=pid.index, dtype="str")
    lookup = roster.drop_duplicates("pid").set_index("pid")["unit"]
    return pid.map(lookup).astype("str")


def _unit_key(text: str) -> str:
    """How unit names are compared: case and runs of spaces or line breaks do not count."""
    return " ".join(str(text).casefold().split())


def one_spelling(unit: pd.Series) -> tuple[pd.Series, list[str]]:
    """One spelling per unit of a roster: names that differ only in case or spacing are one
    unit, written as most of its rows write it (ties: the first in sort order).

    Examples
    --------
    >>> import pandas as pd
    >>> units, matched = one_spelling(pd.Series(["Dinas X", "DINAS X", "Dinas X", "Dinas Y"]))
    >>> units.tolist(), matched
    (['Dinas X', 'Dinas X', 'Dinas X', 'Dinas Y'], ['DINAS X → Dinas X'])

    """
    counts = unit.value_counts()
    if counts.empty:
        return unit, []
    table = pd.DataFrame({"name": counts.index.astype("str"), "n": counts.to_numpy()})
    table["key"] = table["name"].map(_unit_key)
    table = table.sort_values(["key", "n", "name"], ascending=[True, False, True])
    chosen = table.drop_duplicates("key").set_index("key")["name"]
    table["to"] = table["key"].map(chosen)
    mapping = dict(table.loc[table["name"] != table["to"], ["name", "to"]].itertuples(
        index=False))
    if not mapping:
        return unit, []
    return (per_unique(unit, lambda values: values.replace(mapping)),
            [f"{w} → {r}" for w, r in sorted(mapping.items())])


def check_units(unit: pd.Series, faults: FaultLog, column: str,
                known_units: set[str] | None) -> tuple[pd.Series, list[str]]:
    """Match units to the roster's (``known_units``, when given) and reject the others as
    ``unit_unknown``.

    A unit written in another case or spacing than the roster's (``DINAS X``, ``Dinas  x``)
    is the roster's unit and takes its spelling, as labels do (issue 13 §3). Returns the
    units and the matches made (``"written → roster"``, for the manifest's
    ``units_matched``).

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.ingest._faults import FaultLog
    >>> frame = pd.DataFrame({"_file": "k.csv", "_row": [1, 2, 3]})
    >>> faults = FaultLog("kinerja_layanan", frame)
    >>> units, matched = check_units(pd.Series(["Dinas X", "DINAS  X", "Dinas Y"]), faults,
    ...                              "Unit Kerja", {"Dinas X"})
    >>> units.tolist(), matched, faults.rejected.tolist()
    (['Dinas X', 'Dinas X', 'Dinas Y'], ['DINAS  X → Dinas X'], [False, False, True])

    """
    if not known_units:
        return unit, []
    known = sorted(known_units)
    bad = unit.notna() & ~unit.isin(known)
    matched: list[str] = []
    if bad.any():
        spelling: dict[str, str] = {}
        for name in known:
            spelling.setdefault(_unit_key(name), name)
        # a loop over the distinct unknown spellings (a handful), not over rows
        written = pd.unique(unit[bad].astype("str").to_numpy(dtype=object))
        mapping = {w: spelling[_unit_key(w)] for w in written if _unit_key(w) in spelling}
        if mapping:
            unit = per_unique(unit, lambda values: values.replace(mapping))
            matched = [f"{w} → {r}" for w, r in sorted(mapping.items())]
            bad = unit.notna() & ~unit.isin(known)
    faults.add(bad, column, "unit_unknown",
               reason=f"{column}: unit not in the personnel roster; check the spelling "
                      "against pegawai.csv.")
    return unit, matched


def finish(table: str, work: pd.DataFrame, faults: FaultLog,
           raw_columns: Mapping[str, str], schema: pa.DataFrameSchema | None = None, *,
           rows_in: int | None = None, rows_blank: int = 0,
           notes: Mapping[str, int] | None = None,
           details: Mapping[str, object] | None = None) -> ReadResult:
    """Validate ``work`` lazily against the table's schema, quarantine every failure, and
    return ``(clean, quarantine)`` as a :class:`ReadResult`.

    ``work`` holds the processed columns (same index as the fault log's frame); rows already
    rejected by parsing stay rejected. ``raw_columns`` maps processed → raw column names.
    ``rows_in`` is the reader's count of raw records, measured when the file was read (the
    ``rows_in`` of :func:`read_csv_text`); a reader that builds its records itself
    (transcripts: one per turn) may leave it out, and the rows of its working frame plus the
    rows quarantined without one are counted instead.
    """
    schema = schema if schema is not None else SCHEMAS[table]
    cols = list(schema.columns)
    # Only the rows not rejected yet are validated: a row keeps its first fault, so their
    # failures would be ignored, and a uniqueness check could be misled by them.
    rejected = faults.rejected.to_numpy()
    work = work.loc[~rejected, cols] if rejected.any() else work[cols]
    # Text columns that a reader keeps as Categoricals (few distinct values over many rows:
    # units, answer labels, survey profile) are checked as they are: pandera's null and str
    # checks work on Categoricals, and turning them into text before the rows are filtered
    # would copy a million strings per column for nothing.
    coded = [name for name, column in schema.columns.items()
             if isinstance(work[name].dtype, pd.CategoricalDtype)
             and pd.api.types.is_string_dtype(column.dtype.type)]
    checked = schema.update_columns({name: {"dtype": None} for name in coded}) if coded \
        else schema
    try:
        checked.validate(work, lazy=True)
    except pa.errors.SchemaErrors as exc:
        faults.add_schema_errors(exc, dict(raw_columns))
    # Every check is row-wise (or uniqueness, which removing rows cannot break), so the
    # remaining rows are valid; the dtypes get the schema's coercion.
    failed = faults.rejected.to_numpy()[~rejected]
    clean = work.loc[~failed] if failed.any() else work
    clean = clean.assign(**{name: categorical_as_text(clean[name]) for name in coded})
    quarantine = faults.quarantine()
    if rows_in is None:
        rejected_rows = int((~quarantine["kind"].isin(list(FIELD_KINDS))).sum())
        unaligned = rejected_rows - int(faults.rejected.sum())  # without a frame row
        rows_in = len(faults.frame) + unaligned
    return ReadResult(schema.coerce_dtype(clean).reset_index(drop=True), quarantine,
                      rows_in=rows_in, rows_blank=rows_blank, notes=notes, details=details)


__all__ = ["ReadResult", "DataQualityWarning", "start", "resolve_key", "pid_column",
           "date_column", "number_column", "label_column", "text_column", "unit_from_roster",
           "check_units", "one_spelling", "finish"]
