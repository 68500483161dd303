"""``sources.yaml``: how a folder's exports differ from the documented layout.

A researcher describes an export instead of editing it: which files hold a source (path or
glob relative to the raw folder), which export column holds each documented column, which
export values stand for documented ones, and for the SKM survey its layout (wide or long),
a constant unit, question ids, answer codes and the period. Everything not said keeps the
documented default (data/raw/README.md), so a folder without ``sources.yaml`` reads as
before. The file is checked completely before anything is read: an unknown key, a
documented column that does not exist or a mapping that cannot be right stops with a
:class:`~evalkit.ingest.RawFileError` naming the file, the key and what to do. The format
is documented with a commented example in ``config/sources.example.yaml``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from evalkit.config import resolve_path
from evalkit.periods import GRANULARITIES

from ._io import ColumnMap, RawFileError, norm_header
from ._skm_rules import period_label
from .readers import (
    EVALUASI_COLUMNS,
    KINERJA_COLUMNS,
    KODING_COLUMNS,
    MENTORING_COLUMNS,
    PEGAWAI_COLUMNS,
    PELATIHAN_COLUMNS,
    SKP_COLUMNS,
)
from .skm import PERIOD_COLUMN, PROFILE_COLUMNS, _norm_answer_one, normalise_heading

#: Processed table → its documented raw files, relative to raw_dir (the manifest's "source").
SOURCES = {
    "pegawai": "pegawai.csv",
    "pelatihan": "pelatihan.xlsx",
    "skm": "skm/*.csv",
    "kinerja_layanan": "kinerja_layanan.csv",
    "skp": "skp.csv",
    "evaluasi_pasca_pelatihan": "evaluasi_pasca_pelatihan.csv",
    "mentoring": "mentoring.csv",
    "wawancara_segmen": "wawancara/*.txt",
    "wawancara_koding_manual": "wawancara_koding_manual.csv",
}
#: Other names accepted for a source in sources.yaml (the raw file's name).
SOURCE_ALIASES = {"wawancara": "wawancara_segmen", "kinerja": "kinerja_layanan",
                  "evaluasi": "evaluasi_pasca_pelatihan", "koding": "wawancara_koding_manual"}
#: Columns of the long SKM layout: one row per answer.
LONG_COLUMNS = ("ID Respons", "Responden", "Pertanyaan", "Jawaban", "Timestamp")
#: Documented columns per source (what ``columns:`` and ``values:`` may name).
DOCUMENTED_COLUMNS: dict[str, tuple[str, ...]] = {
    "pegawai": PEGAWAI_COLUMNS, "pelatihan": PELATIHAN_COLUMNS,
    "skm": (*PROFILE_COLUMNS, PERIOD_COLUMN, *LONG_COLUMNS[:-1]),
    "kinerja_layanan": KINERJA_COLUMNS, "skp": SKP_COLUMNS,
    "evaluasi_pasca_pelatihan": EVALUASI_COLUMNS, "mentoring": MENTORING_COLUMNS,
    "wawancara_segmen": (), "wawancara_koding_manual": KODING_COLUMNS,
}
SOURCE_FILE_NAMES = ("sources.yaml", "sources.yml")
_COMMON_KEYS = ("file", "files", "columns", "values", "sheet")
_SKM_KEYS = ("layout", "unit", "questions", "answers", "period", "period_value")
LAYOUTS = ("wide", "long")
_ELEMENT = re.compile(r"^\s*[uU]?\s*0?([1-9])\s*$")
_EXAMPLE = "config/sources.example.yaml"


@dataclass(frozen=True)
class SourceSpec:
    """How one source's files are read (documented defaults where sources.yaml says nothing).

    Attributes
    ----------
    table : str
        The processed table the source becomes.
    pattern : str
        Path or glob of its files, relative to the raw folder.
    columns : dict
        Documented column → export column.
    values : dict
        Documented column → {export value: documented value}.
    sheet : str or None
        Workbook sheet (default: ``Pelatihan`` for pelatihan, else the first sheet).
    layout, unit, questions, answers, period
        SKM only: ``wide``/``long``; a constant unit; normalised question heading or id →
        element; ``"*"`` or element → {normalised answer code: score}; ``quarter``,
        ``semester`` or ``year``.
    period_value : str or None
        SKM only: one period for every response (an export without dates), in the
        granularity of ``period`` (``2024S1`` with ``period: semester``).
    configured : bool
        Whether sources.yaml describes this source.
    origin : str
        The file that configured it (for messages).

    """

    table: str
    pattern: str
    columns: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    sheet: str | None = None
    layout: str = "wide"
    unit: str | None = None
    questions: Mapping[str, str] = field(default_factory=dict)
    answers: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    period: str = "quarter"
    period_value: str | None = None
    configured: bool = False
    origin: str = "sources.yaml"

    def files(self, raw_dir: str | os.PathLike[str]) -> list[Path]:
        """The files of this source in ``raw_dir``, sorted by name (empty: missing)."""
        raw_dir = Path(raw_dir)
        if any(ch in self.pattern for ch in "*?["):
            return sorted(p for p in raw_dir.glob(self.pattern) if p.is_file())
        path = raw_dir / self.pattern
        return [path] if path.is_file() else []

    def column_map(self) -> ColumnMap | None:
        """The ``columns:`` mapping as the readers take it (None when there is none)."""
        if not self.columns:
            return None
        return ColumnMap(dict(self.columns), origin=f"{self.origin}: {self.table}.columns")


@dataclass(frozen=True)
class Sources:
    """Every source of a raw folder: documented defaults, overridden by sources.yaml."""

    raw_dir: Path
    specs: Mapping[str, SourceSpec]
    path: Path | None = None

    def __getitem__(self, table: str) -> SourceSpec:
        return self.specs[table]

    def files(self, table: str) -> list[Path]:
        """The files of ``table``'s source (empty when it is missing)."""
        return self.specs[table].files(self.raw_dir)


def _refuse(path: Path, key: str, problem: str, todo: str | None = None) -> RawFileError:
    return RawFileError(path, f"{key}: {problem}",
                        todo or f"correct it (the format is described in {_EXAMPLE} and "
                                "data/raw/README.md)")


def _mapping(path: Path, key: str, value: object) -> dict:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _refuse(path, key, f"must be a mapping (key: value), not {value!r}")
    return dict(value)


def _element(path: Path, key: str, value: object) -> str:
    match = _ELEMENT.match(str(value))
    if not match:
        raise _refuse(path, key, f"{value!r} is not an SKM element; elements are u1…u9 "
                                 "(u8 = pengaduan, u9 = sarana, Permenpan RB 14/2017)")
    return f"u{match.group(1)}"


def _score(path: Path, key: str, value: object) -> int:
    try:
        score = int(str(value).strip())
    except ValueError:
        score = None
    if score not in (1, 2, 3, 4):
        raise _refuse(path, key, f"score {value!r} is impossible: SKM answers score 1–4 "
                                 "(a 1–5 or 6-point scale is another instrument and is "
                                 "not rescaled)")
    return score


def _documented(path: Path, key: str, table: str, column: str) -> str:
    allowed = DOCUMENTED_COLUMNS[table]
    by_norm = {norm_header(c): c for c in allowed}
    if norm_header(column) not in by_norm:
        raise _refuse(path, key, f"{column!r} is not a documented column of {table}; "
                                 f"documented: {', '.join(allowed) or 'none'}",
                      "use the documented column name (data/raw/README.md) on the left and "
                      "the export's column on the right")
    return by_norm[norm_header(column)]


def _spec(path: Path, table: str, raw: Mapping) -> SourceSpec:
    allowed = _COMMON_KEYS + (_SKM_KEYS if table == "skm" else ())
    for key in raw:
        if key not in allowed:
            raise _refuse(path, f"{table}.{key}", "unknown key; allowed here: "
                          + ", ".join(allowed))
    if "file" in raw and "files" in raw:
        raise _refuse(path, f"{table}.file", "give either file or files, not both")
    pattern = raw.get("file", raw.get("files", SOURCES[table]))
    if not isinstance(pattern, str) or not pattern.strip() or Path(pattern).is_absolute():
        raise _refuse(path, f"{table}.file", f"{pattern!r} must be a path or glob relative "
                                             "to the raw folder")
    columns: dict[str, str] = {}
    for documented, export in _mapping(path, f"{table}.columns", raw.get("columns")).items():
        name = _documented(path, f"{table}.columns.{documented}", table, str(documented))
        if export is None or not str(export).strip():
            raise _refuse(path, f"{table}.columns.{documented}", "no export column given")
        columns[name] = str(export).strip()
    exports = [norm_header(e) for e in columns.values()]
    twice = sorted({e for e in exports if exports.count(e) > 1})
    if twice:
        raise _refuse(path, f"{table}.columns", f"export column {twice[0]!r} is given for "
                      "two documented columns; one export column holds one column")
    values: dict[str, dict[str, str]] = {}
    for documented, aliases in _mapping(path, f"{table}.values", raw.get("values")).items():
        name = _documented(path, f"{table}.values.{documented}", table, str(documented))
        aliases = _mapping(path, f"{table}.values.{documented}", aliases)
        values[name] = {str(k): str(v) for k, v in aliases.items() if v is not None}
    sheet = raw.get("sheet")
    extra: dict = {}
    if table == "skm":
        extra = _skm_options(path, raw)
    return SourceSpec(table=table, pattern=pattern.strip(), columns=columns, values=values,
                      sheet=str(sheet) if sheet is not None else None, configured=True,
                      origin=path.name, **extra)


def _skm_options(path: Path, raw: Mapping) -> dict:
    layout = str(raw.get("layout", "wide")).strip().lower()
    if layout not in LAYOUTS:
        raise _refuse(path, "skm.layout", f"{raw['layout']!r}; use wide (one row per "
                                          "response) or long (one row per answer)")
    period = str(raw.get("period", "quarter")).strip().lower()
    if period not in GRANULARITIES:
        raise _refuse(path, "skm.period", f"{raw['period']!r}; use quarter, semester or year")
    unit = raw.get("unit")
    if unit is not None and not str(unit).strip():
        raise _refuse(path, "skm.unit", "is empty; give the unit's name or leave the key out")
    questions: dict[str, str] = {}
    for key, element in _mapping(path, "skm.questions", raw.get("questions")).items():
        norm = normalise_heading(str(key))
        questions[norm] = _element(path, f"skm.questions.{key}", element)
    targets = list(questions.values())
    twice = sorted({e for e in targets if targets.count(e) > 1})
    if twice:
        raise _refuse(path, "skm.questions", f"two questions are mapped to {twice[0]}; each "
                                             "element is asked once")
    answers: dict[str, dict[str, int]] = {}
    for key, value in _mapping(path, "skm.answers", raw.get("answers")).items():
        if isinstance(value, Mapping):
            element = _element(path, f"skm.answers.{key}", key)
            answers[element] = {_norm_answer_one(str(code)): _score(
                path, f"skm.answers.{key}.{code}", score) for code, score in value.items()}
        else:
            answers.setdefault("*", {})[_norm_answer_one(str(key))] = _score(
                path, f"skm.answers.{key}", value)
    columns = {norm_header(c) for c in (raw.get("columns") or {})}
    if layout == "wide" and {norm_header(c) for c in LONG_COLUMNS[1:4]} & columns:
        raise _refuse(path, "skm.columns", "Responden, Pertanyaan and Jawaban belong to the "
                                           "long layout", "add layout: long, or map the "
                                                          "wide export's columns instead")
    if unit is not None and norm_header("Unit Layanan") in columns:
        raise _refuse(path, "skm.unit", "a constant unit and a unit column (columns: Unit "
                                        "Layanan) are both given", "keep one of them")
    period_value = raw.get("period_value")
    if period_value is not None:
        label, problem = period_label(str(period_value), period)
        if label is None:
            raise _refuse(path, "skm.period_value", f"{period_value!r} is {problem}",
                          "give the period as 2024Q3, 2024S1 or 2024, and set skm: period: "
                          "to its granularity (quarter, semester or year)")
        period_value = label
    return {"layout": layout, "period": period, "questions": questions, "answers": answers,
            "unit": str(unit).strip() if unit is not None else None,
            "period_value": period_value}


def find_sources_file(raw_dir: str | os.PathLike[str],
                      sources_file: str | os.PathLike[str] | None = None) -> Path | None:
    """The sources file in use: the one given, else ``sources.yaml`` of the raw folder, else
    None (``""`` counts as not given)."""
    if sources_file is not None and str(sources_file).strip():
        given = Path(sources_file).expanduser()
        for candidate in (given, resolve_path(given), Path(raw_dir) / given):
            if candidate.is_file():
                return candidate
        raise RawFileError(given, "sources file not found",
                           "check the path given with --sources / sources_file, or put "
                           "sources.yaml into the raw folder")
    for name in SOURCE_FILE_NAMES:
        candidate = Path(raw_dir) / name
        if candidate.is_file():
            return candidate
    return None


def load_sources(raw_dir: str | os.PathLike[str],
                 sources_file: str | os.PathLike[str] | None = None) -> Sources:
    """Parse and check ``sources.yaml`` (the file given, else the raw folder's, else none).

    Parameters
    ----------
    raw_dir : path
        The raw folder (relative paths from the project root).
    sources_file : path, optional
        A sources file elsewhere; ``None`` or ``""``: ``raw_dir/sources.yaml`` if present.

    Returns
    -------
    Sources
        One :class:`SourceSpec` per processed table, documented defaults where the file
        says nothing.

    Raises
    ------
    RawFileError
        The file is not valid YAML, names an unknown source or key, a column that is not
        documented, or a mapping that cannot be right (scores outside 1–4, an element
        other than u1…u9, two columns or questions onto one).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "sources.yaml").write_text(
    ...     "pegawai:\\n  file: asn.csv\\n  columns: {NIP: nip_baru, Unit Kerja: unor_nama}\\n"
    ...     "skm:\\n  layout: long\\n  answers: {A: 1, B: 2, C: 3, D: 4}\\n")
    >>> sources = load_sources(d)
    >>> sources["pegawai"].pattern, dict(sources["pegawai"].columns)["NIP"]
    ('asn.csv', 'nip_baru')
    >>> sources["skm"].layout, sources["skm"].answers["*"]["a"], sources["skp"].configured
    ('long', 1, False)
    >>> _ = (d / "sources.yaml").write_text("pegawai:\\n  colums: {NIP: nip}\\n")
    >>> load_sources(d)
    Traceback (most recent call last):
    ...
    evalkit.ingest._io.RawFileError: ...sources.yaml: pegawai.colums: unknown key; ...

    """
    raw_dir = resolve_path(raw_dir)
    path = find_sources_file(raw_dir, sources_file)
    specs = {table: SourceSpec(table=table, pattern=pattern, sheet=None)
             for table, pattern in SOURCES.items()}
    if path is None:
        return Sources(raw_dir, specs, None)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise RawFileError(path, f"not valid YAML{where}: {getattr(exc, 'problem', exc)}",
                           f"fix the syntax (see {_EXAMPLE})") from None
    if data is None:
        return Sources(raw_dir, specs, path)
    if not isinstance(data, Mapping):
        raise RawFileError(path, "must be a mapping of sources (pegawai:, skm:, …)",
                           f"start from {_EXAMPLE}")
    for name, raw in data.items():
        table = SOURCE_ALIASES.get(str(name), str(name))
        if table not in SOURCES:
            raise _refuse(path, str(name), "unknown source; sources are "
                          + ", ".join(SOURCES))
        specs[table] = _spec(path, table, _mapping(path, str(name), raw))
    return Sources(raw_dir, specs, path)


__all__ = ["SOURCES", "Sources", "SourceSpec", "load_sources", "find_sources_file",
           "DOCUMENTED_COLUMNS", "LONG_COLUMNS", "LAYOUTS"]
