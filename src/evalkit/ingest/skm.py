"""Reader of the community satisfaction survey (SKM) exports, ``skm/*.csv``.

Answers are mapped to the unsur u1…u9 by the question text of each column
(``config/skm_questions.yaml``), never by position, and answer labels to scores 1–4 per unsur
(DOMAIN.md §1), in any case and spacing, also as letters a–d or digits. Files are read one by
one (each may have its own separator, encoding and question order), then parsed together in
one vectorised pass.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from evalkit import config
from evalkit.privacy import KnownNames, redact
from evalkit.schemas import SKM, UNSUR

from ._common import DataQualityWarning, check_units, date_column, finish, start
from ._faults import FILE
from ._io import (
    _DICTIONARY_TEXT,
    ROW,
    RawFileError,
    arrow_to_series,
    arrow_to_tidy_frame,
    norm_header,
    read_csv_arrow,
)
from ._parse import apply_value_aliases, has_time_of_day, parse_dates_dayfirst, per_unique
from ._sheets import is_html, read_table_text
from ._skm_rules import (
    PERIOD_COLUMN,
    clear_impossible_ages,
    given_period,
    merge_details,
    period_sources,
    refuse_other_scales,
    response_period,
)
from .profiles import harmonise_profile, respondent_age_band, warn_unrecognised

#: Profile columns of an SKM export (everything else must be one of the nine questions).
PROFILE_COLUMNS = {
    "Timestamp": "tanggal", "Unit Layanan": "unit", "Jenis Layanan": "jenis_layanan",
    "Jenis Kelamin": "jenis_kelamin", "Umur": "umur", "Pendidikan": "pendidikan",
    "Pekerjaan": "pekerjaan", "Saran / Masukan": "saran",
}
#: Processed profile column → its raw heading.
_RAW_HEADING = {name: heading for heading, name in PROFILE_COLUMNS.items()}
#: Profile columns mapped to the category lists of the skm table (:func:`harmonise_profile`).
_CATEGORY_COLUMNS = ("jenis_kelamin", "pendidikan", "pekerjaan")


def normalise_heading(text: str) -> str:
    """Heading → lookup key: lower case, punctuation and a leading question number removed.

    Examples
    --------
    >>> normalise_heading("8. Bagaimana pendapat Saudara tentang kualitas SARANA  dan prasarana?")
    'bagaimana pendapat saudara tentang kualitas sarana dan prasarana'

    """
    text = norm_header(text)
    text = re.sub(r"^(?:q|no\.?|pertanyaan)?\s*\d{1,2}\s*[.):\-]\s*", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _norm_answer(values: pd.Series) -> pd.Series:
    text = (values.astype("str").str.casefold().str.replace(r"\s+", " ", regex=True)
            .str.strip().str.strip(".;:!"))
    # "a. Tidak sesuai" / "(b) Kurang sesuai": keep the label, the letter is redundant
    return text.str.replace(r"^\(?[a-d][.)]\s+", "", regex=True)


def _norm_answer_one(label: str) -> str:
    """:func:`_norm_answer` for one configured label (plain Python: config is small)."""
    text = re.sub(r"\s+", " ", label.casefold()).strip().strip(".;:!")
    return re.sub(r"^\(?[a-d][.)]\s+", "", text)


@dataclass(frozen=True)
class SkmQuestions:
    """The question headings and answer labels of the SKM (from skm_questions.yaml)."""

    headings: Mapping[str, str]           # normalised heading -> unsur key
    labels: Mapping[str, Mapping[str, int]]  # unsur -> normalised label -> score
    names: Mapping[str, str]              # unsur -> name
    source: str = "config/skm_questions.yaml"

    def element_of(self, heading: str) -> str | None:
        """The unsur key of a column heading, or None."""
        return self.headings.get(normalise_heading(heading))

    def known_headings(self) -> str:
        """Readable list of the configured headings, by unsur."""
        by_unsur: dict[str, list[str]] = {}
        for heading, unsur in self.headings.items():
            by_unsur.setdefault(unsur, []).append(heading)
        return "; ".join(f"{u} ({self.names[u]}): " + " | ".join(sorted(h))
                         for u, h in sorted(by_unsur.items()))


def load_questions(source: str | os.PathLike[str] | Mapping | SkmQuestions | None = None
                   ) -> SkmQuestions:
    """Load the SKM question mapping (default ``config/skm_questions.yaml``).

    Examples
    --------
    >>> q = load_questions()
    >>> q.element_of("9. Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?")
    'u9'
    >>> q.labels["u4"]["gratis"]
    4

    """
    if isinstance(source, SkmQuestions):
        return source
    name = str(source) if source is not None and not isinstance(source, Mapping) else \
        "config/skm_questions.yaml"
    data = source if isinstance(source, Mapping) else config.load_yaml(
        source if source is not None else config.SKM_QUESTIONS_FILE)
    unsur = (data or {}).get("unsur")
    if not isinstance(unsur, Mapping) or set(unsur) != set(UNSUR):
        raise ValueError(f"{name}: must define 'unsur' with exactly the keys u1…u9.")
    headings: dict[str, str] = {}
    labels: dict[str, dict[str, int]] = {}
    names: dict[str, str] = {}
    for key, spec in unsur.items():
        names[key] = str(spec.get("name", key))
        for heading in [names[key], *spec.get("headings", [])]:
            norm = normalise_heading(str(heading))
            if headings.get(norm, key) != key:
                raise ValueError(f"{name}: heading {heading!r} is listed under both "
                                 f"{headings[norm]} and {key}.")
            headings[norm] = key
        table = {}
        for label, score in (spec.get("labels") or {}).items():
            if int(score) not in (1, 2, 3, 4):
                raise ValueError(f"{name}: {key} label {label!r} has score {score}; "
                                 "scores are 1–4.")
            table[_norm_answer_one(str(label))] = int(score)
        labels[key] = table
    return SkmQuestions(headings, labels, names, name)


def _list_files(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]
                ) -> list[Path]:
    if isinstance(paths, (str, os.PathLike)):
        folder = Path(paths)
        if folder.is_dir():
            files = sorted(folder.glob("*.csv"))
            if not files:
                raise RawFileError(folder, "the SKM folder holds no .csv files",
                                   "put the survey exports (one CSV per unit and period, "
                                   "e.g. dukcapil_2024Q3.csv) in this folder")
            return files
        if not folder.exists():
            raise RawFileError(folder, "SKM survey folder or file not found",
                               "put the survey exports in raw_dir/skm/ or point raw_dir at "
                               "the folder that holds skm/")
        return [folder]
    return [Path(p) for p in paths]


def refuse_repeated_names(files: Sequence[Path]) -> None:
    """Refuse a file name given twice: file names identify the survey responses."""
    names = [p.name for p in files]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise RawFileError(files[names.index(twice[0])], "this file name is given twice",
                           "pass each survey export once (file names identify responses)")


#: Columns of many distinct values, read as plain text; every other column of an export
#: (answers, unit, profile) holds a few labels over thousands of rows and is read
#: dictionary-encoded, so it is tidied and scored once per distinct label.
_MANY_DISTINCT_VALUES = frozenset(norm_header(c) for c in ("Timestamp", "Saran / Masukan"))


def _few_distinct_values(heading: str) -> bool:
    return norm_header(heading) not in _MANY_DISTINCT_VALUES


#: A question id instead of a question text: ``u8``, ``U 8``, ``q8``, ``8``, ``no 8``.
_QUESTION_ID = re.compile(r"^(?:u|q|p|no|soal|pertanyaan|unsur)?\s*0?(\d{1,2})$")
#: Columns an SKM export needs (besides the nine answers); the other profile columns are
#: optional and become empty when absent (the manifest lists them).
REQUIRED_COLUMNS = ("Timestamp", "Unit Layanan")
#: Instead of ``Timestamp``, a period column or ``period_value:`` (or a file name with the
#: period) may give the period; the date then stays empty.
_PERIOD_OPTIONS = ("map the export's date column under skm: columns: {Timestamp: <column>}, "
                   "or its period column under skm: columns: {Periode: <column>}, or give "
                   "one period for all responses as skm: period_value: \"2024S1\" in "
                   "sources.yaml (with skm: period: semester)")


def element_of_column(heading: str, questions: SkmQuestions,
                      mapped: Mapping[str, str] | None = None) -> tuple[str | None, bool]:
    """The element a column or question id stands for, and whether it is an extra question.

    ``mapped`` (``questions:`` of sources.yaml, normalised key → element) wins; then the
    configured question texts; then a question id ``U1``…``U9`` / ``1``…``9`` in the
    regulation's order (8 = pengaduan, 9 = sarana). Ids from 10 up are extra questions
    (``(None, True)``); anything else is ``(None, False)``.

    Examples
    --------
    >>> q = load_questions()
    >>> element_of_column("U8", q), element_of_column("u12", q), element_of_column("No", q)
    (('u8', False), (None, True), (None, False))
    >>> element_of_column("Q8", q, {"q8": "u9"})
    ('u9', False)

    """
    norm = normalise_heading(heading)
    if mapped and norm in mapped:
        return mapped[norm], False
    element = questions.element_of(heading)
    if element is not None:
        return element, False
    match = _QUESTION_ID.match(norm)
    if match:
        number = int(match.group(1))
        return (f"u{number}", False) if 1 <= number <= 9 else (None, number >= 10)
    return None, False


def _typed_nulls(name: str, n: int) -> pa.Array:
    return pa.nulls(n, _DICTIONARY_TEXT if _few_distinct_values(name) else pa.large_string())


def _constant(value: str, n: int) -> pa.Array:
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, dtype=np.int32)),
                                          pa.array([value], pa.large_string()))


def _sheet_as_arrow(path: Path, required: list[str], spec) -> tuple[pa.Table, list[int], dict]:
    """A workbook or HTML export read through the sheet readers, typed as a CSV's table."""
    frame, bad, info = read_table_text(path, required, what="SKM survey export",
                                       sheet=getattr(spec, "sheet", None),
                                       rename=spec.column_map() if spec is not None else None)
    columns = {}
    for name in frame.columns:
        if name == ROW:
            columns[name] = pa.array(frame[name].to_numpy(dtype="int64"), pa.int64())
            continue
        array = pa.array(frame[name].to_numpy(dtype=object, na_value=None), pa.large_string())
        columns[name] = array.dictionary_encode() if _few_distinct_values(name) else array
    records = info.get("records", len(frame))
    return pa.table(columns), bad, {"records": records,
                                    "blank_skipped": info.get("rows_blank", 0)}


def _read_one(path: Path, questions: SkmQuestions, spec=None
              ) -> tuple[pa.Table, list[int], dict]:
    """One export → Arrow table with canonical columns (u1…u9) and ``_row``, the malformed
    rows and the parser's counts (:func:`~evalkit.ingest._io.read_csv_arrow`), plus what
    the manifest lists (``columns_absent``, ``columns_ignored``, ``questions_ignored``).
    """
    if spec is not None and spec.layout == "long":
        from .skm_long import read_long

        return read_long(path, questions, spec)
    constant_unit = getattr(spec, "unit", None)
    # Timestamp may be replaced by a period (checked below, with both options named)
    required = [c for c in REQUIRED_COLUMNS
                if c != "Timestamp" and not (c == "Unit Layanan" and constant_unit)]
    with path.open("rb") as handle:
        head = handle.read(1024)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".htm", ".html") or is_html(head):
        raw, bad, info = _sheet_as_arrow(path, required, spec)
    else:
        raw, bad, info = read_csv_arrow(path, required, what="SKM survey export",
                                        dictionary=_few_distinct_values,
                                        rename=spec.column_map() if spec is not None else None)
    profile = {norm_header(c): c for c in (*PROFILE_COLUMNS, PERIOD_COLUMN)}
    mapped = getattr(spec, "questions", None)
    rename: dict[str, str] = {}
    ignored: list[str] = []
    extra_questions: list[str] = []
    for col in raw.column_names:
        if str(col).startswith("_"):
            continue
        if norm_header(col) in profile:
            rename[col] = profile[norm_header(col)]
            continue
        unsur, extra = element_of_column(col, questions, mapped)
        if unsur is None:
            (extra_questions if extra else ignored).append(col)
            continue
        if unsur in rename.values():
            other = next(c for c, u in rename.items() if u == unsur)
            raise RawFileError(path, f"columns {other!r} and {col!r} both map to {unsur} "
                                     f"({questions.names[unsur]})",
                               f"fix the headings or {questions.source}, or say which is which "
                               "under skm: questions: in sources.yaml")
        rename[col] = unsur
    missing = [u for u in UNSUR if u not in rename.values()]
    if missing:
        unmatched = f"; columns not recognised: {', '.join(map(repr, ignored))}" if ignored \
            else ""
        raise RawFileError(path, "no column for " + ", ".join(
            f"{u} ({questions.names[u]})" for u in missing) + unmatched,
            f"add the heading under the right unsur in {questions.source}, or map it under "
            f"skm: questions: in sources.yaml. Known headings — {questions.known_headings()}")
    table = raw.select([c for c in raw.column_names if c in rename or c == ROW])
    table = table.rename_columns([rename.get(c, c) for c in table.column_names])
    if constant_unit:
        table = table.drop_columns([c for c in table.column_names if c == "Unit Layanan"])
        table = table.append_column("Unit Layanan", _constant(constant_unit, table.num_rows))
    absent = [c for c in PROFILE_COLUMNS if c not in table.column_names]
    for name in absent:
        table = table.append_column(name, _typed_nulls(name, table.num_rows))
    if "Timestamp" in absent and PERIOD_COLUMN not in table.column_names \
            and not getattr(spec, "period_value", None):
        raise RawFileError(path, "no Timestamp column and no period column, so the period "
                                 "of the responses is unknown", _PERIOD_OPTIONS)
    if PERIOD_COLUMN not in table.column_names:
        table = table.append_column(PERIOD_COLUMN, _typed_nulls(PERIOD_COLUMN, table.num_rows))
    info.update(columns_absent=absent, columns_ignored=ignored,
                questions_ignored=extra_questions)
    return table.select([*PROFILE_COLUMNS, PERIOD_COLUMN, *UNSUR, ROW]), bad, info


_SKM_READER_SCHEMA = SKM.update_column("response_id", unique=False)


def _duplicates(frame: pd.DataFrame, fileno: np.ndarray, tanggal: pd.Series
                ) -> tuple[pd.Series, pd.Series]:
    """Exact repeats of an earlier row of the same file (every raw column equal), split into
    ``(repeats, possible)``.

    A repeat is a duplicate response only when its timestamp carries a time of day
    (:func:`~evalkit.ingest._parse.has_time_of_day`): a form records the second of each
    submission, so two submissions with the same second and the same answers are one. Surveys
    keyed in from paper often carry the date only, and two respondents of one day with the
    same profile and answers are then indistinguishable from a repeat: such rows are kept and
    returned in ``possible`` (the reader counts them in the manifest and warns).

    Comparing all 18 text columns of a million rows is slow; a repeat necessarily has the
    same file and timestamp, so only rows sharing those (unreadable timestamps all count as
    one) are compared in full.
    """
    keys = pd.DataFrame({"f": fileno, "t": tanggal.to_numpy(dtype="datetime64[us]")
                         .astype("int64")})
    candidate = keys.duplicated(keep=False).to_numpy()
    out = np.zeros(len(frame), dtype=bool)
    possible = np.zeros(len(frame), dtype=bool)
    if candidate.any():
        at = np.flatnonzero(candidate)
        compare = frame.loc[candidate, [FILE, *PROFILE_COLUMNS, *UNSUR]]
        repeat = compare.duplicated(keep="first").to_numpy()
        # a repeat's timestamp text equals its first occurrence's: one test decides for both
        timed = has_time_of_day(frame.loc[candidate, "Timestamp"]).to_numpy(dtype=bool)
        out[at] = repeat & timed
        possible[at] = repeat & ~timed
    return pd.Series(out, index=frame.index), pd.Series(possible, index=frame.index)


def _response_ids(files: pd.Series, rows: pd.Series) -> pd.Series:
    """``<file name without extension>-<row, 6 digits>`` (Arrow kernels; no Python objects).

    Examples
    --------
    >>> import pandas as pd
    >>> files = pd.Series(pd.Categorical(["dukcapil_2024Q3.csv", "bkpsdm_2024Q3.csv"]))
    >>> _response_ids(files, pd.Series([7, 12])).tolist()
    ['dukcapil_2024Q3-000007', 'bkpsdm_2024Q3-000012']

    """
    stems = files.cat.categories.astype("str").str.replace(r"\.[^.]+$", "", regex=True)
    per_row = pc.take(pa.array(stems.to_numpy(dtype=object), pa.large_string()),
                      pa.array(files.cat.codes.to_numpy()))
    padded = pc.utf8_lpad(pc.cast(pa.array(rows.to_numpy(dtype="int64")), pa.large_string()),
                          6, "0")
    ids = pc.binary_join_element_wise(per_row, padded, pa.scalar("-", pa.large_string()))
    return arrow_to_series(ids, index=rows.index)


def score_answers(values: pd.Series, labels: Mapping[str, int]) -> tuple[pd.Series, pd.Series]:
    """Scores of one unsur's answers and a mask of unknown labels.

    Labels (any case and spacing), letters a–d and whole numbers are accepted; numbers keep
    their value (5, 0 … are flagged out of range by the schema, not here).

    Examples
    --------
    >>> import pandas as pd
    >>> s, unknown = score_answers(pd.Series(["SANGAT  sesuai", "b", "5", None, "sesuaii"]),
    ...                            {"sangat sesuai": 4, "kurang sesuai": 2})
    >>> s.tolist(), unknown.tolist()
    ([4, 2, 5, <NA>, <NA>], [False, False, False, False, True])

    """
    # Few distinct answers, many rows: normalise the distinct values only.
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    norm = _norm_answer(pd.Series(uniques, dtype="str"))
    score = norm.map(dict(labels)).astype("Float64")
    letters = norm.map({"a": 1, "b": 2, "c": 3, "d": 4}).astype("Float64")
    numeric = pd.to_numeric(norm.where(norm.str.fullmatch(r"-?\d{1,6}(?:[.,]0+)?")
                                       .fillna(False).astype(bool))
                            .str.replace(r"[.,]0+$", "", regex=True), errors="coerce")
    # Int8 holds -128..127; any number beyond 1..4 is out of range anyway
    numeric = numeric.clip(-99, 99).astype("Float64")
    unique_scores = score.fillna(letters).fillna(numeric)
    table = unique_scores.to_numpy(dtype="float64", na_value=np.nan)
    present = codes >= 0
    out = np.full(len(values), np.nan)
    out[present] = table[codes[present]]
    scores = pd.Series(out, index=values.index).astype("Int8")
    unknown = pd.Series(present, index=values.index) & scores.isna()
    return scores, unknown


def read_skm(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
             questions: str | os.PathLike[str] | Mapping | SkmQuestions | None = None,
             known_units: set[str] | None = None,
             person_names: KnownNames | None = None, spec=None
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read SKM survey exports into the ``skm`` table.

    Parameters
    ----------
    paths : folder, file, or iterable of files
        A folder is read as all its ``*.csv`` files in name order.
    questions : path, mapping or SkmQuestions, optional
        Heading → unsur mapping and answer labels; default ``config/skm_questions.yaml``.
    known_units : set of str, optional
        Units of the roster; other ``Unit Layanan`` values are quarantined (``unit_unknown``).
    person_names : KnownNames, optional
        Names of known people (the roster's) to redact from the suggestions wherever they
        occur, besides the names :func:`~evalkit.privacy.redact` finds by their cues.
    spec : SourceSpec, optional
        How the exports differ from the documented layout (``skm:`` of sources.yaml,
        :func:`~evalkit.ingest.load_sources`): columns, value aliases, layout (wide or
        long, :mod:`~evalkit.ingest.skm_long`), a constant unit, question ids, answer codes
        and the period (quarter, semester or year).

    Returns
    -------
    (clean, quarantine) : tuple of DataFrame
        ``period`` comes from the file name (``<unit>_<YYYY>Q<q>.csv``), else from the date.
        The respondent profile is harmonised (:func:`~evalkit.ingest.harmonise_profile`,
        ``kelompok_umur`` from ``Umur``); values that match no category become "Lainnya"
        and are warned about (:class:`DataQualityWarning`), never quarantined.
        Exact repeats of a row within a file are quarantined (``duplicate_response``), the
        first kept — when the timestamp has a time of day; with a date-only timestamp they
        are kept, counted in ``.notes["possible_duplicates_kept"]`` and warned about
        (:class:`DataQualityWarning`). Blank answers stay missing (excluded from that unsur
        only). Blank lines are not responses (``.rows_blank`` counts them); ``.rows_in`` is
        the number of other records read.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import pandas as pd
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> q = load_questions()
    >>> head = ";".join(["Timestamp", "Unit Layanan", "Jenis Layanan", "Jenis Kelamin", "Umur",
    ...                  "Pendidikan", "Pekerjaan", *[q.names[u] for u in UNSUR],
    ...                  "Saran / Masukan"])
    >>> row = "05/12/2026 10:00:00;Dinas X;KTP;P;34;SMA;Swasta;" + ";".join("dddddddd") + ";;"
    >>> _ = (d / "dinas-x_2026Q4.csv").write_text(head + "\\n" + row + "\\n" + row + "\\n")
    >>> clean, quarantine = read_skm(d)
    >>> clean.loc[0, "period"], int(clean.loc[0, "u1"]), bool(pd.isna(clean.loc[0, "u9"]))
    ('2026Q4', 4, True)
    >>> quarantine["kind"].tolist()
    ['duplicate_response']

    """
    questions = load_questions(questions)
    files = _list_files(paths)
    # Arrow parses with the GIL released: two threads keep both cores busy on many files.
    with ThreadPoolExecutor(max_workers=min(2, len(files))) as pool:
        parts = list(pool.map(lambda p: _read_one(p, questions, spec), files))
    refuse_repeated_names(files)
    fileno = np.repeat(np.arange(len(files)), [t.num_rows for t, _, _ in parts])
    bad_per_file = [bad for _, bad, _ in parts]
    # the parser's counts, taken before any row is set aside: what the result must account for
    records = sum(info["records"] for _, _, info in parts)
    rows_blank = sum(info["blank_skipped"] for _, _, info in parts)
    details = merge_details([info for _, _, info in parts])
    table = pa.concat_tables([t for t, _, _ in parts])
    del parts  # the per-file tables are no longer needed: keep peak memory down
    raw, blank = arrow_to_tidy_frame(table)
    del table
    if spec is not None and spec.values:
        apply_value_aliases(raw, dict(spec.values))
    rows_blank += int(blank.sum())
    data_rows = np.bincount(fileno[~blank], minlength=len(files))
    data_rows += np.array([len(bad) for bad in bad_per_file], dtype=data_rows.dtype)
    if (data_rows == 0).any():
        raise RawFileError(files[int(np.flatnonzero(data_rows == 0)[0])],
                           "the file has a header but no data rows",
                           "export the survey again, including the responses, or remove it")
    if blank.any():
        raw, fileno = raw.loc[~blank].reset_index(drop=True), fileno[~blank]
    # rows that could not be aligned with the header: no values, only where they were
    bad_rows = [(i, r) for i, bad in enumerate(bad_per_file) for r in bad]
    if bad_rows:
        skipped = raw.iloc[:0].reindex(range(len(bad_rows)))  # keeps the Categoricals
        skipped[ROW] = np.array([r for _, r in bad_rows], dtype="int64")
        raw = pd.concat([raw, skipped], ignore_index=True)
        fileno = np.r_[fileno, [i for i, _ in bad_rows]]
    # the file name as a categorical: 360 names over a million rows cost nothing
    raw[FILE] = pd.Categorical.from_codes(fileno, categories=[p.name for p in files])
    malformed = pd.Series(np.arange(len(raw)) >= len(raw) - len(bad_rows), index=raw.index)
    frame, faults = start(raw, raw[FILE], "skm", person_names)
    faults.add(malformed, None, "row_malformed")

    answer_cols = list(UNSUR)
    tanggal_parsed = parse_dates_dayfirst(frame["Timestamp"])
    repeats, possible = _duplicates(frame, fileno, tanggal_parsed)
    faults.add(repeats & ~malformed, None, "duplicate_response",
               reason="Exact repeat of an earlier response in the same file, timestamp to the "
                      "second included; the first is kept.")
    tanggal = date_column(frame, faults, "Timestamp", parsed=tanggal_parsed, required=False)
    granularity = getattr(spec, "period", "quarter")
    given = given_period(frame, faults, granularity, getattr(spec, "period_value", None))
    faults.add(frame["Timestamp"].isna() & given.isna(), "Timestamp", "value_missing",
               reason="Timestamp is empty; a date is required."
               if details.get("columns_absent", []).count("Timestamp") == 0
               else "Timestamp and Periode are empty; a date or a period is required.")
    unit = per_unique(frame["Unit Layanan"], lambda s: s.str.replace(r"\s+", " ", regex=True))
    faults.add(unit.isna(), "Unit Layanan", "value_missing", reason="Unit Layanan is empty.")
    unit, details["units_matched"] = check_units(unit, faults, "Unit Layanan", known_units)

    scores = {}
    answers = getattr(spec, "answers", None) or {}
    for u in answer_cols:
        labels = {**questions.labels[u], **answers.get("*", {}), **answers.get(u, {})}
        scores[u], unknown = score_answers(frame[u], labels)
        faults.add(unknown, u, "answer_unknown_label",
                   reason=f"{u} ({questions.names[u]}): answer label not recognised; known "
                          f"labels: {', '.join(questions.labels[u])} (or a–d, 1–4).")

    refuse_other_scales(scores, fileno, files)
    period = response_period(frame[FILE], tanggal, granularity)
    if given.notna().any():   # a period written in the export wins over name and date
        period = given.fillna(period)
        details["period_from"] = period_sources(frame, spec)
    if tanggal.isna().all():
        details["duplicates_checked"] = (
            "without a time of day (no timestamps): exact repeats are kept and counted as "
            "possible_duplicates_kept")
    saran = frame["Saran / Masukan"]
    # the respondent profile in the one category list of the skm table (never a quarantine)
    raw_profile = {name: frame[_RAW_HEADING[name]] for name in _CATEGORY_COLUMNS}
    profile = {name: harmonise_profile(values, name) for name, values in raw_profile.items()}
    umur = clear_impossible_ages(frame, faults)
    raw_profile["kelompok_umur"] = umur
    profile["kelompok_umur"] = respondent_age_band(umur)
    warn_unrecognised(raw_profile, profile, person_names)
    work = pd.DataFrame({
        "response_id": _response_ids(frame[FILE], frame[ROW]),
        "source_file": frame[FILE],
        "unit": unit,
        "period": period,
        "tanggal": tanggal,
        "jenis_layanan": frame["Jenis Layanan"],
        "jenis_kelamin": profile["jenis_kelamin"],
        "umur": umur,
        "kelompok_umur": profile["kelompok_umur"],
        "pendidikan": profile["pendidikan"],
        "pekerjaan": profile["pekerjaan"],
        **scores,
        "saran": per_unique(saran, lambda text: redact(text, person_names)),
    })
    raw_cols = {c: c for c in answer_cols}
    raw_cols.update(_RAW_HEADING)
    raw_cols["kelompok_umur"] = "Umur"
    # response_id = file + row: unique by construction once no file is read twice (checked
    # on integers above); pandera's uniqueness check on a million strings is skipped.
    result = finish("skm", work, faults, raw_cols, schema=_SKM_READER_SCHEMA,
                    rows_in=records - rows_blank, rows_blank=rows_blank, details=details)
    kept = possible & ~malformed & ~faults.rejected   # possible repeats that stayed clean
    result.notes["possible_duplicates_kept"] = int(kept.sum())
    if result.notes["possible_duplicates_kept"]:
        per_file = frame.loc[kept, FILE].astype("str").value_counts().sort_index()
        shown = ", ".join(f"{name} ({n})" for name, n in per_file.head(5).items())
        warnings.warn(
            f"skm: {int(kept.sum())} responses repeat an earlier response of the same file "
            f"exactly, but their timestamp has no time of day (date only), so they may be "
            f"distinct respondents who answered alike on the same day: kept, not quarantined "
            f"(manifest: possible_duplicates_kept). Files: {shown}"
            f"{', …' if len(per_file) > 5 else ''}. If the survey was keyed in twice, remove "
            f"the repeats in the source.", DataQualityWarning, stacklevel=2)
    return result


__all__ = ["read_skm", "load_questions", "score_answers", "normalise_heading", "SkmQuestions",
           "PROFILE_COLUMNS"]
