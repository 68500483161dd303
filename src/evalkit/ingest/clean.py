"""``clean_all``: every raw source → validated Parquet, quarantine and manifest.

Row reconciliation: each reader counts the raw data records it read while reading them
(``rows_in``: CSV records after the header, sheet rows below the header, transcript turns),
before any check. Blank lines and rows of bare separators are not records: they are left
out, and counted in ``rows_blank`` so that none vanishes unseen. Every record must end up
either in the clean table or in the quarantine; :func:`clean_all` checks
``rows_in == rows_clean + rows_quarantined`` for every table and stops with
:class:`RowCountError` when a reader lost or doubled rows (a bug of evalkit, not of the data).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

import evalkit
from evalkit import privacy
from evalkit.config import PROJ_ROOT, TRUTH_FILE_NAME, load_truth, resolve_path

from ._faults import QUARANTINE_COLUMNS, empty_quarantine
from .readers import (
    read_evaluasi,
    read_kinerja,
    read_koding_manual,
    read_mentoring,
    read_pegawai,
    read_pelatihan,
    read_skp,
)
from .skm import read_skm
from .wawancara import read_wawancara

#: Processed table → its raw source, relative to raw_dir (the manifest's "source").
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


#: Columns of :attr:`CleaningResult.row_counts` (and of each table's entry in the manifest).
ROW_COUNT_COLUMNS = ["table", "source", "rows_in", "rows_clean", "rows_quarantined",
                     "rows_blank", "possible_duplicates_kept"]


class RowCountError(RuntimeError):
    """A reader's clean and quarantined rows do not add up to the raw records it read.

    This is a bug in evalkit (a reader dropped or doubled rows), never a problem of the data.
    """


@dataclass
class CleaningResult:
    """What :func:`clean_all` produced.

    Attributes
    ----------
    tables : dict of str → DataFrame
        The clean processed tables.
    quarantine : DataFrame
        Every rejected raw row with its reason (contract columns).
    manifest : dict
        The content of ``manifest.json``.
    processed_dir : Path

    """

    tables: dict[str, pd.DataFrame]
    quarantine: pd.DataFrame
    manifest: dict
    processed_dir: Path
    paths: dict[str, Path] = field(default_factory=dict)

    @property
    def row_counts(self) -> pd.DataFrame:
        """The manifest as a table: one row per processed table — raw records read
        (``rows_in``), kept (``rows_clean``), quarantined (``rows_quarantined``), blank lines
        left out (``rows_blank``, not records), and SKM responses that repeat another exactly
        but were kept because their timestamp has no time of day
        (``possible_duplicates_kept``).

        Examples
        --------
        See :func:`clean_all`.

        """
        rows = [{"table": name, **info} for name, info in self.manifest["tables"].items()]
        return pd.DataFrame(rows, columns=ROW_COUNT_COLUMNS)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _inputs(raw_dir: Path) -> dict[str, str]:
    files = []
    for pattern in SOURCES.values():
        files.extend(sorted(raw_dir.glob(pattern)))
    return {p.relative_to(raw_dir).as_posix(): _sha256(p) for p in files}


def reconcile(name: str, result: tuple[pd.DataFrame, pd.DataFrame]) -> dict[str, int]:
    """The manifest's row counts of one table, after checking that the reader accounted for
    every raw record it read.

    Raises
    ------
    RowCountError
        The reader reported no count, or its clean and quarantined rows differ from it.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.ingest._common import ReadResult
    >>> counts = reconcile("x", ReadResult(pd.DataFrame({"a": [1, 2]}),
    ...                                    pd.DataFrame({"a": [3]}), rows_in=3))
    >>> counts["rows_in"], counts["rows_clean"], counts["rows_quarantined"]
    (3, 2, 1)

    """
    clean, quarantine = result
    rows_in = getattr(result, "rows_in", None)
    if rows_in is None:
        raise RowCountError(
            f"{name}: the reader did not report how many raw records it read, so its rows "
            f"cannot be reconciled. This is a bug in evalkit (the reader must return "
            f"evalkit.ingest._common.ReadResult, e.g. through finish()); please report it.")
    if rows_in != len(clean) + len(quarantine):
        raise RowCountError(
            f"{name}: the reader read {rows_in} raw records but returned {len(clean)} clean + "
            f"{len(quarantine)} quarantined = {len(clean) + len(quarantine)} rows, so "
            f"{rows_in - len(clean) - len(quarantine):+d} rows were lost (or, if negative, "
            f"counted twice). This is a bug in evalkit, not a problem of the data; please "
            f"report it with the raw file.")
    notes = getattr(result, "notes", {})
    return {"rows_in": int(rows_in), "rows_clean": len(clean),
            "rows_quarantined": len(quarantine),
            "rows_blank": int(getattr(result, "rows_blank", 0)),
            "possible_duplicates_kept": int(notes.get("possible_duplicates_kept", 0))}


def clean_all(raw_dir: str | os.PathLike[str], processed_dir: str | os.PathLike[str],
              key: str | None = None, progress: bool = True,
              questions: str | os.PathLike[str] | None = None) -> CleaningResult:
    """Read, validate and pseudonymise every raw source; write Parquet tables, quarantine and
    manifest into ``processed_dir``.

    Parameters
    ----------
    raw_dir, processed_dir : path
        Relative paths are taken from the project root.
    key : str, optional
        Pseudonymisation key; default :func:`evalkit.privacy.load_key` (refuses to start on
        real data without a key).
    progress : bool, default True
        Print one line per source as it is read.
    questions : path, optional
        SKM question mapping (default ``config/skm_questions.yaml``).

    Returns
    -------
    CleaningResult

    Raises
    ------
    evalkit.ingest.RawFileError
        A source cannot be read at all (missing, wrong type, empty, column missing).
    evalkit.privacy.MissingKeyError
        No key for data that are not the bundled simulation.
    RowCountError
        A reader's clean plus quarantined rows differ from the raw records it read (a bug).

    Examples
    --------
    >>> import tempfile
    >>> result = clean_all("data/raw", tempfile.mkdtemp(), progress=False)
    >>> bool(result.row_counts.eval("rows_in == rows_clean + rows_quarantined").all())
    True

    ``rows_in`` is each reader's own count of the raw records it read (blank lines excluded,
    counted in ``rows_blank``), so the equality above is a real check: it is verified for
    every table before anything is written (:class:`RowCountError` otherwise).

    """
    raw_dir = resolve_path(raw_dir)
    processed_dir = resolve_path(processed_dir)
    if not raw_dir.is_dir():
        from ._io import RawFileError

        raise RawFileError(raw_dir, "raw data folder not found",
                           "point raw_dir at the folder with the exports (default data/raw)")
    key = key if key is not None else privacy.load_key(raw_dir)

    def say(message: str) -> None:
        if progress:
            print(message, flush=True)

    results: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = {}
    say("pegawai.csv …")
    results["pegawai"] = read_pegawai(raw_dir / "pegawai.csv", key=key)
    roster = results["pegawai"][0]
    units = set(roster["unit"].dropna().unique())
    say("pelatihan.xlsx …")
    results["pelatihan"] = read_pelatihan(raw_dir / "pelatihan.xlsx", key=key, roster=roster)
    say("skm/*.csv …")
    # the roster's names are redacted from the free text wherever they occur
    person_names = results["pegawai"].person_names
    results["skm"] = read_skm(raw_dir / "skm", questions=questions, known_units=units,
                              person_names=person_names)
    say("kinerja_layanan.csv …")
    results["kinerja_layanan"] = read_kinerja(raw_dir / "kinerja_layanan.csv",
                                              known_units=units)
    say("skp.csv …")
    results["skp"] = read_skp(raw_dir / "skp.csv", key=key, roster=roster)
    say("evaluasi_pasca_pelatihan.csv …")
    results["evaluasi_pasca_pelatihan"] = read_evaluasi(
        raw_dir / "evaluasi_pasca_pelatihan.csv", key=key, roster=roster)
    say("mentoring.csv …")
    results["mentoring"] = read_mentoring(raw_dir / "mentoring.csv", key=key,
                                          known_units=units)
    say("wawancara/*.txt …")
    results["wawancara_segmen"] = read_wawancara(raw_dir / "wawancara",
                                                 person_names=person_names)
    say("wawancara_koding_manual.csv …")
    results["wawancara_koding_manual"] = read_koding_manual(
        raw_dir / "wawancara_koding_manual.csv")

    # every table reconciled before anything is written: a reader bug leaves no half output
    counts = {name: {"source": SOURCES[name], **reconcile(name, result)}
              for name, result in results.items()}
    processed_dir.mkdir(parents=True, exist_ok=True)
    tables: dict[str, pd.DataFrame] = {}
    paths: dict[str, Path] = {}
    quarantines = []
    for name, (clean, quarantine) in results.items():
        tables[name] = clean
        quarantines.append(quarantine)
        paths[name] = processed_dir / f"{name}.parquet"
        clean.to_parquet(paths[name], index=False)
    nonempty = [q for q in quarantines if len(q)]
    quarantine = (pd.concat(nonempty, ignore_index=True) if nonempty
                  else empty_quarantine())[QUARANTINE_COLUMNS]
    quarantine = quarantine.astype({"source_row": "Int64"})
    paths["quarantine"] = processed_dir / "quarantine.parquet"
    quarantine.to_parquet(paths["quarantine"], index=False)
    quarantine.to_csv(processed_dir / "quarantine.csv", index=False, lineterminator="\n")
    # The simulator's known truth travels with the cleaned tables, so that later notebooks
    # read data/processed only; real exports have none.
    simulated = load_truth(raw_dir) is not None
    if simulated:
        shutil.copyfile(raw_dir / TRUTH_FILE_NAME, processed_dir / TRUTH_FILE_NAME)
    else:
        (processed_dir / TRUTH_FILE_NAME).unlink(missing_ok=True)
    manifest = {"tables": counts, "inputs": _inputs(raw_dir), "simulated": simulated,
                "evalkit_version": evalkit.__version__}
    paths["manifest"] = processed_dir / "manifest.json"
    paths["manifest"].write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                 encoding="utf-8")
    try:  # a path inside the project is shown relative to it (notebook outputs are committed)
        shown = processed_dir.relative_to(PROJ_ROOT).as_posix()
    except ValueError:
        shown = str(processed_dir)
    say(f"wrote {len(tables)} tables, {len(quarantine)} quarantined rows → {shown}")
    return CleaningResult(tables, quarantine, manifest, processed_dir, paths)
