"""SKM cleaning file-parallel on Dask: one task per export file, the existing reader in each.

The files of the ``skm`` source are cleaned by :func:`~evalkit.ingest.read_skm` in Dask tasks
of a batch of consecutive files each (:func:`file_batches`; a repeat, a response id, a 1–5
scale — every SKM rule is a rule within one file, so a batch is cleaned as it is inside the
whole folder). Two entry points:

* :func:`clean_skm_dataset` — for surveys too large for one machine: each task writes its
  clean rows into a partitioned Parquet dataset ``<processed_dir>/skm/period=<P>/`` and
  returns only its quarantine and counts; the driver writes the quarantine and a manifest.
* :func:`read_skm_on_cluster` — the same tasks, their clean rows gathered into one table:
  the :class:`~evalkit.ingest._common.ReadResult` that :func:`~evalkit.ingest.clean_all`
  reconciles and writes (``clean_all(..., client=...)``, notebook 01 with a cluster).

Row counts reconcile per task (``rows_in = rows_clean + rows_quarantined``, checked by
:func:`~evalkit.ingest.clean.reconcile`) and their sums equal the in-process reader's.
Data-quality warnings raised in a task are re-raised on the driver, naming its files.

Examples
--------
>>> import tempfile
>>> result = clean_skm_dataset("data/raw", tempfile.mkdtemp(), progress=False)
>>> counts = result.row_counts
>>> counts["rows_in"] == counts["rows_clean"] + counts["rows_quarantined"]
True

"""

from __future__ import annotations

import json
import os
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from evalkit.config import resolve_path

from ._common import ReadResult
from ._faults import combine_quarantines
from ._io import RawFileError
from .clean import reconcile
from .skm import load_questions, read_skm, refuse_repeated_names
from .sources import load_sources

#: Folder of the partitioned SKM dataset inside the processed folder.
DATASET_NAME = "skm"
#: The dataset is partitioned by this column (hive layout ``period=2024Q1/``).
PARTITION_COLUMN = "period"


@dataclass
class SkmDataset:
    """What :func:`clean_skm_dataset` wrote.

    Attributes
    ----------
    path : Path
        The partitioned dataset (``dd.read_parquet(path)`` reads it).
    quarantine : DataFrame
        Every rejected row with its reason.
    manifest : dict
        ``tables.skm``: the row counts (as in ``manifest.json`` of :func:`clean_all`);
        ``batches``: the same counts per task (its first and last file).

    """

    path: Path
    quarantine: pd.DataFrame
    manifest: dict

    @property
    def row_counts(self) -> dict:
        """The ``skm`` row counts: ``rows_in``, ``rows_clean``, ``rows_quarantined`` etc."""
        return self.manifest["tables"]["skm"]


def _clean_batch(paths: list[Path], options: dict, out_dir: Path | None, tag: str) -> dict:
    """One Dask task: read and clean a batch of exports; write or return the clean rows."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = read_skm(paths, **options)
    clean, quarantine = result
    counts = reconcile("skm", result)
    if out_dir is not None:
        table = pa.Table.from_pandas(clean, preserve_index=False)
        # one file per batch and period: tasks never write the same file
        pq.write_to_dataset(table, out_dir, partition_cols=[PARTITION_COLUMN],
                            basename_template=f"part-{tag}-{{i}}.parquet",
                            existing_data_behavior="overwrite_or_ignore")
        clean = None
    shown = paths[0].name if len(paths) == 1 else f"{paths[0].name} … {paths[-1].name}"
    return {"files": shown, "n_files": len(paths), "counts": counts,
            "details": result.details, "clean": clean, "quarantine": quarantine,
            "warnings": [(str(w.message), w.category) for w in caught]}


def file_batches(files: list[Path], n_batches: int) -> list[list[Path]]:
    """Consecutive batches of about equal bytes (at most ``n_batches``, none empty).

    The reader has a fixed cost per call (about 0.3 s: question mapping, schema validation),
    so a task cleans a batch of files rather than one small file; every SKM rule is a rule
    within one file, so a batch is cleaned exactly as inside the whole folder.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> paths = [d / f"{i}.csv" for i in range(5)]
    >>> for path in paths:
    ...     _ = path.write_text("x" * 100)
    >>> [len(b) for b in file_batches(paths, 2)]
    [3, 2]

    """
    sizes = np.array([max(p.stat().st_size, 1) for p in files], dtype=np.float64)
    n_batches = max(1, min(n_batches, len(files)))
    # batch of each file: where its first byte falls among n equal shares of the total
    starts = np.cumsum(sizes) - sizes
    batch = np.minimum((starts / sizes.sum() * n_batches).astype(int), n_batches - 1)
    return [[files[i] for i in np.flatnonzero(batch == b)] for b in np.unique(batch)]


def _run(files: list[Path], options: dict, out_dir: Path | None, client,
         batch_bytes: int) -> list[dict]:
    """Run the batch tasks on ``client`` (or in-process, in one call, without one)."""
    refuse_repeated_names(files)
    options = {**options, "questions": load_questions(options.get("questions"))}
    if client is None:
        parts = [_clean_batch(files, options, out_dir, "0")]
    else:
        total = sum(p.stat().st_size for p in files)
        n_workers = max(len(client.scheduler_info().get("workers", {})), 1)
        batches = file_batches(files, max(2 * n_workers, -(-total // batch_bytes)))
        futures = [client.submit(_clean_batch, batch, options, out_dir, str(i), pure=False)
                   for i, batch in enumerate(batches)]
        parts = client.gather(futures)
    for part in parts:  # warnings of the workers reach the notebook, naming their files
        for message, category in part["warnings"]:
            warnings.warn(f"{part['files']}: {message}", category, stacklevel=3)
    return parts


def _merge_details(parts: list[dict]) -> dict:
    """Merge the manifest's details of all batches.

    Lists are joined (sorted, no repeats), counts summed, texts kept once.
    """
    out: dict = {}
    for part in parts:
        for key, value in part["details"].items():
            if isinstance(value, list):
                out[key] = sorted({*out.get(key, []), *map(str, value)})
            elif isinstance(value, int | float) and not isinstance(value, bool):
                out[key] = out.get(key, 0) + value
            else:
                out.setdefault(key, value)
    return out


def _totals(parts: list[dict]) -> dict:
    keys = parts[0]["counts"].keys() | {k for p in parts for k in p["counts"]}
    return {key: sum(p["counts"].get(key, 0) for p in parts) for key in sorted(keys)}


def _skm_source(raw_dir, sources_file) -> tuple[list[Path], object]:
    sources = load_sources(resolve_path(raw_dir), sources_file)
    files = sources.files("skm")
    if not files:
        raise RawFileError(resolve_path(raw_dir), f"no SKM export found (looked for "
                           f"{sources['skm'].pattern})",
                           "put the survey exports into the folder or describe them in "
                           "sources.yaml (`evalkit check` shows what is found)")
    return files, sources["skm"]


def clean_skm_dataset(raw_dir: str | os.PathLike[str], processed_dir: str | os.PathLike[str],
                      client=None, *, sources_file: str | os.PathLike[str] | None = None,
                      questions=None, known_units: set[str] | None = None,
                      person_names=None, progress: bool = True,
                      batch_bytes: int = 64 << 20) -> SkmDataset:
    """Clean the SKM exports of ``raw_dir`` file-parallel into a partitioned Parquet dataset.

    Writes ``processed_dir/skm/period=<P>/<file>-0.parquet`` (clean rows, written by the
    workers), ``processed_dir/skm_quarantine.parquet`` and ``processed_dir/skm_manifest.json``.
    An existing dataset folder is replaced.

    Parameters
    ----------
    raw_dir, processed_dir : path
        Relative paths are taken from the project root; the files are those of the ``skm``
        source (``sources.yaml`` if present, else ``skm/*.csv``).
    client : distributed.Client, optional
        Where the files are cleaned; None cleans them in-process in one call (same output).
    sources_file, questions, known_units, person_names
        As for :func:`~evalkit.ingest.clean_all` / :func:`~evalkit.ingest.read_skm`.
    progress : bool, default True
        Print one line when done.
    batch_bytes : int, default 64 MiB
        Export bytes per task at most (and at least two tasks per worker): see
        :func:`file_batches`.

    Returns
    -------
    SkmDataset

    Raises
    ------
    evalkit.ingest.RawFileError
        No SKM export, a file name given twice, or a file that cannot be read.
    evalkit.ingest.clean.RowCountError
        A file's clean and quarantined rows differ from the records read (a bug).

    Examples
    --------
    See the module docstring.

    """
    files, spec = _skm_source(raw_dir, sources_file)
    processed_dir = resolve_path(processed_dir)
    out_dir = processed_dir / DATASET_NAME
    if out_dir.exists():  # a stale partition of an earlier run must not pass for this one's
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    options = {"questions": questions, "known_units": known_units,
               "person_names": person_names, "spec": spec}
    parts = _run(files, options, out_dir, client, batch_bytes)
    quarantine = combine_quarantines(p["quarantine"] for p in parts)
    quarantine.to_parquet(processed_dir / "skm_quarantine.parquet", index=False)
    per_batch = [{"files": p["files"], "n_files": p["n_files"], **p["counts"]} for p in parts]
    manifest = {"tables": {"skm": {"source": spec.pattern, **_totals(parts),
                                   **_merge_details(parts)}},
                "dataset": DATASET_NAME, "partition_on": PARTITION_COLUMN,
                "batches": per_batch}
    (processed_dir / "skm_manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if progress:
        counts = manifest["tables"]["skm"]
        print(f"skm: {len(files)} files, {counts['rows_clean']} clean rows, "
              f"{counts['rows_quarantined']} quarantined → {out_dir}", flush=True)
    return SkmDataset(out_dir, quarantine, manifest)


def read_skm_on_cluster(files: list[Path], client, *, batch_bytes: int = 64 << 20,
                        **options) -> ReadResult:
    """:func:`~evalkit.ingest.read_skm` of ``files`` in Dask tasks of file batches, as one result.

    The clean rows are gathered (file order) into the table the in-process reader returns
    (the same rows and columns; rows no longer in the reader's order); ``rows_in``,
    ``rows_blank``, ``notes`` and ``details`` are summed and merged over the files.

    Examples
    --------
    >>> from evalkit.ingest.sources import load_sources
    >>> files = load_sources("data/raw").files("skm")[:2]
    >>> result = read_skm_on_cluster(files, None)
    >>> result.rows_in == len(result[0]) + len(result[1])
    True

    """
    files = [Path(p) for p in files]
    parts = _run(files, options, None, client, batch_bytes)
    clean = pd.concat([p["clean"] for p in parts], ignore_index=True)
    totals = _totals(parts)
    quarantine = combine_quarantines(p["quarantine"] for p in parts)
    return ReadResult(clean, quarantine, rows_in=totals["rows_in"],
                      rows_blank=totals.get("rows_blank", 0),
                      notes={"possible_duplicates_kept":
                             totals.get("possible_duplicates_kept", 0)},
                      details=_merge_details(parts))


__all__ = ["DATASET_NAME", "PARTITION_COLUMN", "SkmDataset", "clean_skm_dataset",
           "file_batches", "read_skm_on_cluster"]
