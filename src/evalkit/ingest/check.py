"""``evalkit check``, the data half: what a raw folder holds and whether cleaning can run.

Each source is looked for (sources.yaml applied), read by its own reader in memory — the
same code that cleaning runs, so what the check says is what cleaning will meet — and
reported: found or missing, files, the layout and mapping recognised, rows read and the
first problems with file, row and column. Nothing is written; raw values are not shown
(only where to look). Pseudonyms made on the way use a throwaway key and are discarded.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from evalkit.config import resolve_path
from evalkit.labels import Lang

from ._io import RawFileError
from .readers import (
    read_evaluasi,
    read_kinerja,
    read_koding_manual,
    read_mentoring,
    read_pegawai,
    read_pelatihan,
    read_skp,
)
from .skm import element_of_column, read_skm
from .sources import SOURCES, Sources, SourceSpec, load_sources
from .wawancara import read_wawancara

#: How many problems of a source the check lists.
MAX_PROBLEMS = 5
#: Above this many SKM files only the first ones are read for problems (all are counted).
SKM_SAMPLE_FILES = 400
_CHECK_KEY = "evalkit-check-throwaway-key"  # pseudonyms made while checking are discarded


@dataclass
class SourceCheck:
    """What the check found for one source (one processed table)."""

    source: str
    status: str                     # "found" | "missing" | "error"
    files: list[str] = field(default_factory=list)
    layout: str = ""
    mapping: list[str] = field(default_factory=list)
    rows: int = 0
    problems: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain data (for JSON)."""
        return {"source": self.source, "status": self.status, "files": self.files,
                "layout": self.layout, "mapping": self.mapping, "rows": self.rows,
                "problems": self.problems}


@dataclass
class FolderCheck:
    """The result of :func:`check_folder`."""

    raw_dir: Path
    sources_file: Path | None
    sources: list[SourceCheck]
    problems: list[dict] = field(default_factory=list)   # folder-level (sources.yaml)

    @property
    def tables_expected(self) -> list[str]:
        """Processed tables cleaning will write."""
        return [s.source for s in self.sources if s.status == "found"]

    @property
    def can_clean(self) -> bool:
        """At least one source can be cleaned, and nothing stops cleaning."""
        return (not self.problems and bool(self.tables_expected)
                and not any(s.status == "error" for s in self.sources))

    def to_text(self, lang: Lang = "en") -> str:
        """A readable multi-line report (``lang`` ``"en"`` or ``"id"``)."""
        t = _TEXT[lang if lang in _TEXT else "en"]
        lines = [f"{t['folder']}: {self.raw_dir}",
                 f"{t['sources_file']}: {self.sources_file or t['none']}"]
        for problem in self.problems:
            lines.append(f"  ! {_problem_text(problem)}")
        for s in self.sources:
            mark = {"found": "ok", "missing": "--", "error": "!!"}[s.status]
            head = f"[{mark}] {s.source}: {t[s.status]}"
            if s.status != "missing":
                head += f", {s.rows} {t['rows']}"
            lines.append(head)
            if s.files:
                shown = ", ".join(s.files[:3]) + (f" (+{len(s.files) - 3})"
                                                   if len(s.files) > 3 else "")
                lines.append(f"     {t['files']}: {shown}")
            if s.layout:
                lines.append(f"     {t['layout']}: {s.layout}")
            for item in s.mapping:
                lines.append(f"     {t['mapping']}: {item}")
            for problem in s.problems:
                lines.append(f"     - {_problem_text(problem)}")
        verdict = t["can_clean"] if self.can_clean else t["cannot_clean"]
        lines.append(verdict.format(tables=", ".join(self.tables_expected) or "—"))
        return "\n".join(lines)


_TEXT = {
    "en": {"folder": "raw folder", "sources_file": "sources file", "none": "none",
           "found": "found", "missing": "missing", "error": "cannot be read", "rows": "rows",
           "files": "files", "layout": "layout", "mapping": "mapping",
           "can_clean": "Cleaning can run and will write: {tables}.",
           "cannot_clean": "Cleaning cannot run: fix the problems marked above (!!) and "
                           "check again. Tables found so far: {tables}."},
    "id": {"folder": "folder data mentah", "sources_file": "berkas sumber", "none": "tidak ada",
           "found": "ditemukan", "missing": "tidak ada", "error": "tidak dapat dibaca",
           "rows": "baris", "files": "berkas", "layout": "tata letak", "mapping": "pemetaan",
           "can_clean": "Pembersihan dapat berjalan dan akan menulis: {tables}.",
           "cannot_clean": "Pembersihan tidak dapat berjalan: perbaiki masalah bertanda (!!) "
                           "lalu periksa lagi. Tabel yang ditemukan: {tables}."},
}


def _problem_text(problem: dict) -> str:
    where = Path(str(problem.get("file") or "")).name
    if problem.get("row") is not None:
        where += f", row {problem['row']}"
    if problem.get("column"):
        where += f", column {problem['column']}"
    return f"{where}: {problem['message']}" if where else str(problem["message"])


def _error_problem(exc: RawFileError) -> dict:
    return {"file": exc.path, "row": None, "column": None,
            "message": f"{exc.problem}. What to do: {exc.todo}."}


def _mapping(spec: SourceSpec) -> list[str]:
    out = [f"{documented} ← {export}" for documented, export in spec.columns.items()]
    out += [f"{column}: {len(aliases)} value alias(es)"
            for column, aliases in spec.values.items()]
    if spec.table == "skm":
        if spec.unit:
            out.append(f"unit = {spec.unit}")
        if spec.questions:
            out.append("questions: " + ", ".join(f"{k} → {v}"
                                                 for k, v in spec.questions.items()))
        if spec.answers:
            out.append("answers: " + "; ".join(
                f"{scope}: " + ", ".join(f"{code}={score}" for code, score in codes.items())
                for scope, codes in spec.answers.items()))
        if spec.period != "quarter":
            out.append(f"period: {spec.period}")
    if spec.sheet:
        out.append(f"sheet: {spec.sheet}")
    return out


def _answer_form(clean: pd.DataFrame, files: list[Path], spec: SourceSpec) -> str:
    """How the SKM export writes questions and answers, from a look at the first file."""
    from ._sheets import read_table_text

    try:
        frame, _, _ = read_table_text(files[0], [], what="SKM survey export",
                                      sheet=spec.sheet, rename=spec.column_map())
    except RawFileError:
        return spec.layout
    if spec.layout == "long" and "Jawaban" in frame.columns:
        values = frame["Jawaban"].dropna().astype("str").str.strip().str.lower().head(200)
    else:
        from .skm import _QUESTION_ID, load_questions, normalise_heading

        questions = load_questions()
        answer_cols = [c for c in frame.columns
                       if element_of_column(c, questions, spec.questions)[0] is not None]
        ids = [c for c in answer_cols if _QUESTION_ID.match(normalise_heading(c))]
        values = (frame[answer_cols].stack().astype("str").str.strip().str.lower().head(200)
                  if answer_cols else pd.Series(dtype="str"))
        kind = "question ids" if len(ids) >= 9 else "question texts"
        if values.empty:
            return f"wide, {kind}, option texts"
        return f"wide, {kind}, " + _values_kind(values)
    return "long, " + _values_kind(values)


def _values_kind(values: pd.Series) -> str:
    if values.empty:
        return "no answers"
    if values.str.fullmatch(r"[a-dA-D]").all():
        return "letters"
    if values.str.fullmatch(r"\d+").all():
        return "scores"
    return "option texts"


def _read(table: str, files: list[Path], spec: SourceSpec, units: set[str] | None = None):
    """Run the source's reader in memory (units matched to the roster's when it was read)."""
    key = _CHECK_KEY
    if table == "skm":
        return read_skm(files[:SKM_SAMPLE_FILES], spec=spec, known_units=units)
    if table == "wawancara_segmen":
        return read_wawancara(files[0].parent)
    readers = {"pegawai": lambda f: read_pegawai(f, key=key, spec=spec),
               "pelatihan": lambda f: read_pelatihan(f, key=key, spec=spec),
               "kinerja_layanan": lambda f: read_kinerja(f, known_units=units, spec=spec),
               "skp": lambda f: read_skp(f, key=key, spec=spec),
               "evaluasi_pasca_pelatihan": lambda f: read_evaluasi(f, key=key, spec=spec),
               "mentoring": lambda f: read_mentoring(f, key=key, known_units=units,
                                                     spec=spec),
               "wawancara_koding_manual": lambda f: read_koding_manual(f, spec=spec)}
    return readers[table](files)


def _check_source(sources: Sources, table: str, units: dict) -> SourceCheck:
    """Check one source; ``units`` collects the roster's units (``"known"``) once read."""
    spec = sources[table]
    files = sources.files(table)
    shown = [_relative(p, sources.raw_dir) for p in files]
    if not files:
        return SourceCheck(table, "missing", [spec.pattern],
                           problems=[{"file": spec.pattern, "row": None, "column": None,
                                      "message": "not found; this table will be skipped"}])
    check = SourceCheck(table, "found", shown, mapping=_mapping(spec))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = _read(table, files, spec, units.get("known"))
    except RawFileError as exc:
        check.status = "error"
        check.problems = [_error_problem(exc)]
        return check
    clean, quarantine = result
    if table == "pegawai":
        units["known"] = set(clean["unit"].dropna().unique())
    check.rows = int(getattr(result, "rows_in", len(clean)))
    if table == "skm":
        check.layout = _answer_form(clean, files, spec)
        if len(files) > SKM_SAMPLE_FILES:
            check.layout += f" (problems from the first {SKM_SAMPLE_FILES} files)"
    details = getattr(result, "details", {})
    for key in ("columns_absent", "columns_ignored", "questions_ignored", "units_matched",
                "period_from", "duplicates_checked"):
        if details.get(key):
            shown = details[key] if isinstance(details[key], str) else ", ".join(details[key])
            check.mapping.append(f"{key.replace('_', ' ')}: {shown}")
    for row in quarantine.head(MAX_PROBLEMS).itertuples(index=False):
        check.problems.append({"file": row.source_file,
                               "row": None if pd.isna(row.source_row) else int(row.source_row),
                               "column": None if pd.isna(row.column) else row.column,
                               "message": row.reason})
    if len(quarantine) > MAX_PROBLEMS:
        check.problems.append({"file": None, "row": None, "column": None,
                               "message": f"… {len(quarantine) - MAX_PROBLEMS} more rows will "
                                          "be quarantined"})
    return check


def _relative(path: Path, raw_dir: Path) -> str:
    try:
        return path.relative_to(raw_dir).as_posix()
    except ValueError:
        return str(path)


def check_folder(raw_dir: str | os.PathLike[str],
                 sources_file: str | os.PathLike[str] | None = None) -> FolderCheck:
    """Inspect a raw folder without writing anything: per source found, missing or
    unreadable, its files, layout, mapping, rows and first problems.

    Parameters
    ----------
    raw_dir : path
        The folder of exports (relative paths from the project root).
    sources_file : path, optional
        As :func:`~evalkit.ingest.load_sources` (``""``: none given).

    Returns
    -------
    FolderCheck
        ``sources`` (one :class:`SourceCheck` per processed table), ``tables_expected``,
        ``can_clean`` and ``to_text(lang)``.

    Examples
    --------
    >>> import tempfile
    >>> check = check_folder(tempfile.mkdtemp())
    >>> check.can_clean, {s.status for s in check.sources}
    (False, {'missing'})

    """
    raw_dir = resolve_path(raw_dir)
    if not raw_dir.is_dir():
        problem = {"file": str(raw_dir), "row": None, "column": None,
                   "message": "raw data folder not found. What to do: point --raw-dir at the "
                              "folder with the exports."}
        return FolderCheck(raw_dir, None, [], [problem])
    try:
        sources = load_sources(raw_dir, sources_file)
    except RawFileError as exc:
        return FolderCheck(raw_dir, Path(exc.path), [], [_error_problem(exc)])
    units: dict = {}   # the roster (read first) gives the units the others are matched to
    checks = [_check_source(sources, table, units) for table in SOURCES]
    return FolderCheck(raw_dir, sources.path, checks)


__all__ = ["check_folder", "FolderCheck", "SourceCheck"]
