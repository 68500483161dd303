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

import functools
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
from evalkit.schemas import FIELD_KINDS

from ._faults import combine_quarantines
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
from .skm import read_skm
from .sources import SOURCES, Sources, load_sources
from .wawancara import read_wawancara

#: Sources whose records carry NIPs: only they need the pseudonymisation key.
_KEYED = ("pegawai", "pelatihan", "skp", "evaluasi_pasca_pelatihan", "mentoring")

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


def _inputs(sources: Sources, found: dict[str, list[Path]]) -> dict[str, str]:
    files = [p for table in SOURCES for p in found.get(table, [])]
    if sources.path is not None:
        files.append(sources.path)

    def shown(path: Path) -> str:
        try:
            return path.relative_to(sources.raw_dir).as_posix()
        except ValueError:
            return str(path)
    return {shown(p): _sha256(p) for p in files}


def _interview_folder(sources: Sources, files: list[Path]) -> Path:
    """The transcripts' folder (interviews are every ``.txt`` file of one folder)."""
    folder = files[0].parent
    if set(folder.glob("*.txt")) != set(files):
        raise RawFileError(folder, f"{sources['wawancara_segmen'].pattern!r} does not select "
                                   "every .txt transcript of one folder",
                           "put the transcripts (and only them) into one folder and give "
                           "it as wawancara: files: <folder>/*.txt")
    return folder


def row_level(quarantine: pd.DataFrame) -> pd.Series:
    """Mask of quarantine rows that reject a raw row (not those that only clear a field,
    :data:`evalkit.schemas.FIELD_KINDS`)."""
    return ~quarantine["kind"].isin(list(FIELD_KINDS))


def reconcile(name: str, result: tuple[pd.DataFrame, pd.DataFrame]) -> dict[str, int]:
    """The manifest's row counts of one table, after checking that the reader accounted for
    every raw record it read.

    Quarantine rows of a field-level kind (:data:`evalkit.schemas.FIELD_KINDS`: an
    impossible value removed from a kept row) are not rejected rows: they are left out of
    ``rows_quarantined`` and of the check, and counted as ``fields_cleared`` (present only
    when non-zero).

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
    rejected = int(row_level(quarantine).sum()) if "kind" in quarantine else len(quarantine)
    rows_in = getattr(result, "rows_in", None)
    if rows_in is None:
        raise RowCountError(
            f"{name}: the reader did not report how many raw records it read, so its rows "
            f"cannot be reconciled. This is a bug in evalkit (the reader must return "
            f"evalkit.ingest._common.ReadResult, e.g. through finish()); please report it.")
    if rows_in != len(clean) + rejected:
        raise RowCountError(
            f"{name}: the reader read {rows_in} raw records but returned {len(clean)} clean + "
            f"{rejected} quarantined = {len(clean) + rejected} rows, so "
            f"{rows_in - len(clean) - rejected:+d} rows were lost (or, if negative, "
            f"counted twice). This is a bug in evalkit, not a problem of the data; please "
            f"report it with the raw file.")
    notes = getattr(result, "notes", {})
    counts = {"rows_in": int(rows_in), "rows_clean": len(clean),
              "rows_quarantined": rejected,
              "rows_blank": int(getattr(result, "rows_blank", 0)),
              "possible_duplicates_kept": int(notes.get("possible_duplicates_kept", 0))}
    if len(quarantine) > rejected:  # fields emptied in kept rows (FIELD_KINDS)
        counts["fields_cleared"] = len(quarantine) - rejected
    return counts


def clean_all(raw_dir: str | os.PathLike[str], processed_dir: str | os.PathLike[str],
              key: str | None = None, progress: bool = True,
              questions: str | os.PathLike[str] | None = None,
              sources_file: str | os.PathLike[str] | None = None,
              client=None) -> CleaningResult:
    """Read, validate and pseudonymise every raw source present; write Parquet tables,
    quarantine and manifest into ``processed_dir``.

    Any subset of the sources may be present: a source whose files are not found is skipped,
    its processed table is not written (a stale one from an earlier run is removed) and the
    manifest lists it under ``missing`` with the file looked for. Without a roster
    (``pegawai``) SKM, service-record and mentoring units are taken as written (after the
    ``values:`` aliases of sources.yaml); with one, unknown units are quarantined.

    Parameters
    ----------
    raw_dir, processed_dir : path
        Relative paths are taken from the project root.
    key : str, optional
        Pseudonymisation key; default :func:`evalkit.privacy.load_key` (refuses to start on
        real data without a key), asked only when a source with NIPs is present.
    progress : bool, default True
        Print one line per source as it is read.
    questions : path, optional
        SKM question mapping (default ``config/skm_questions.yaml``).
    sources_file : path, optional
        How the exports differ from the documented layout (:func:`load_sources`); default
        ``raw_dir/sources.yaml`` when present. ``""`` counts as not given.
    client : distributed.Client, optional
        Clean the SKM exports file-parallel on this Dask cluster
        (:func:`evalkit.ingest.distributed.read_skm_on_cluster`): the same tables and counts.
        None (the default) reads everything in-process.

    Returns
    -------
    CleaningResult

    Raises
    ------
    evalkit.ingest.RawFileError
        No source found, a sources.yaml that cannot be right, or a source that cannot be
        read at all (wrong type, empty, column missing).
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
        raise RawFileError(raw_dir, "raw data folder not found",
                           "point raw_dir at the folder with the exports (default data/raw)")
    sources = load_sources(raw_dir, sources_file)
    found = {table: sources.files(table) for table in SOURCES}
    missing = [{"table": table, "file": sources[table].pattern}
               for table, files in found.items() if not files]
    if len(missing) == len(SOURCES):
        raise RawFileError(raw_dir, "none of the sources was found (looked for "
                           + ", ".join(m["file"] for m in missing) + ")",
                           "put the exports into this folder under the documented names "
                           "(data/raw/README.md), or describe your files in sources.yaml "
                           "(config/sources.example.yaml); `evalkit check` shows what is "
                           "found")
    if key is None and any(found[table] for table in _KEYED):
        key = privacy.load_key(raw_dir)

    def say(message: str) -> None:
        if progress:
            print(message, flush=True)

    results: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = {}
    roster, units, person_names = None, None, None

    def present(table: str) -> bool:
        if found[table]:
            say(f"{sources[table].pattern} …")
            return True
        say(f"{sources[table].pattern}: not found, skipped")
        return False

    if present("pegawai"):
        results["pegawai"] = read_pegawai(found["pegawai"],
                                          key=key, spec=sources["pegawai"])
        roster = results["pegawai"][0]
        units = set(roster["unit"].dropna().unique())
        # the roster's names are redacted from the free text wherever they occur
        person_names = results["pegawai"].person_names
    if present("pelatihan"):
        results["pelatihan"] = read_pelatihan(
            found["pelatihan"], key=key, roster=roster,
            spec=sources["pelatihan"])
    if present("skm"):
        if client is None:
            read = read_skm
        else:
            from .distributed import read_skm_on_cluster

            read = functools.partial(read_skm_on_cluster, client=client)
        results["skm"] = read(found["skm"], questions=questions, known_units=units,
                              person_names=person_names, spec=sources["skm"])
    if present("kinerja_layanan"):
        results["kinerja_layanan"] = read_kinerja(
            found["kinerja_layanan"],
            known_units=units, spec=sources["kinerja_layanan"])
    if present("skp"):
        results["skp"] = read_skp(found["skp"], key=key,
                                  roster=roster, spec=sources["skp"])
    if present("evaluasi_pasca_pelatihan"):
        results["evaluasi_pasca_pelatihan"] = read_evaluasi(
            found["evaluasi_pasca_pelatihan"],
            key=key, roster=roster, spec=sources["evaluasi_pasca_pelatihan"])
    if present("mentoring"):
        results["mentoring"] = read_mentoring(
            found["mentoring"], key=key, known_units=units,
            spec=sources["mentoring"])
    if present("wawancara_segmen"):
        results["wawancara_segmen"] = read_wawancara(
            _interview_folder(sources, found["wawancara_segmen"]), person_names=person_names)
    if present("wawancara_koding_manual"):
        results["wawancara_koding_manual"] = read_koding_manual(
            found["wawancara_koding_manual"],
            spec=sources["wawancara_koding_manual"])

    # every table reconciled before anything is written: a reader bug leaves no half output
    counts = {name: {"source": sources[name].pattern, **reconcile(name, result),
                     **getattr(result, "details", {})}
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
    for gone in missing:  # a stale table of an earlier run must not pass for this one's
        (processed_dir / f"{gone['table']}.parquet").unlink(missing_ok=True)
    quarantine = combine_quarantines(quarantines)
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
    manifest = {"tables": counts, "inputs": _inputs(sources, found), "simulated": simulated,
                "evalkit_version": evalkit.__version__}
    # present only when there is something to say, so a complete documented folder keeps
    # the manifest it always had
    if missing:
        manifest["missing"] = missing
    if sources.path is not None:
        manifest["sources_file"] = sources.path.name
    paths["manifest"] = processed_dir / "manifest.json"
    paths["manifest"].write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                 encoding="utf-8")
    try:  # a path inside the project is shown relative to it (notebook outputs are committed)
        shown = processed_dir.relative_to(PROJ_ROOT).as_posix()
    except ValueError:
        shown = str(processed_dir)
    say(f"wrote {len(tables)} tables, {len(quarantine)} quarantined rows → {shown}")
    return CleaningResult(tables, quarantine, manifest, processed_dir, paths)
