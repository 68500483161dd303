"""Reading one HR source from one or several files, asking only for the columns its
analysis needs.

Each reader of :mod:`evalkit.ingest.readers` declares its documented columns and which of
them are required; the others are optional. A missing required column stops with the file,
the column and the ``columns:`` key of sources.yaml that maps it; a missing optional column
becomes an empty column (listed in the manifest as ``columns_absent``). A source may span
several files (a roster split per unit): they are read one by one and concatenated, each row
keeping its own file name and row number for the quarantine.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from ._faults import FILE
from ._io import RawFileError, norm_header
from ._parse import apply_value_aliases
from ._sheets import read_table_text

_MISSING = re.compile(r"^required column\(s\) (.+?) missing")


def as_paths(path: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]) -> list[Path]:
    """One path or several, as a list of paths."""
    if isinstance(path, (str, os.PathLike)):
        return [Path(path)]
    return [Path(p) for p in path]


def _todo_with_key(exc: RawFileError, table: str) -> RawFileError:
    """A missing required column's message, naming the sources.yaml key that maps it."""
    match = _MISSING.match(exc.problem)
    if not match:
        return exc
    first = match.group(1).split(", ")[0]
    return RawFileError(exc.path, exc.problem,
                        f"if the export calls it differently, map it in sources.yaml: "
                        f"{table}: {{columns: {{{first}: <export column>}}}} "
                        f"(config/sources.example.yaml); else rename the column in the export "
                        f"to the name in data/raw/README.md (case and spacing do not matter)")


def _read_one(path: Path, columns: Sequence[str], required: Sequence[str], what: str, spec,
              table: str, sheet: str | None) -> tuple[pd.DataFrame, list[int], dict]:
    rename = spec.column_map() if spec is not None else None
    sheet = spec.sheet if spec is not None and spec.sheet else sheet
    try:
        raw, bad, info = read_table_text(path, required, what=what, sheet=sheet, rename=rename,
                                         prefer_sheet=sheet is not None)
    except RawFileError as exc:
        raise _todo_with_key(exc, table) from None
    # optional documented columns present under another case or spacing get their name
    by_norm = {norm_header(c): c for c in columns if c not in raw.columns}
    raw = raw.rename(columns={c: by_norm[norm_header(c)] for c in raw.columns
                              if norm_header(c) in by_norm and not str(c).startswith("_")})
    if spec is not None and spec.values:
        apply_value_aliases(raw, dict(spec.values))
    return raw, bad, info


def read_source(path, columns: Sequence[str], required: Sequence[str], what: str, spec,
                table: str, sheet: str | None = None
                ) -> tuple[pd.DataFrame, list[tuple[str, int]], dict]:
    """Read a source's file(s) as text with its documented ``columns``.

    Parameters
    ----------
    path : path or list of paths
        Several files are concatenated in the order given; they must share their columns.
    columns : sequence of str
        Every documented column of the source.
    required : sequence of str
        Those the analysis cannot do without (a file lacking one is refused).
    what : str
        How to call the source in messages.
    spec : SourceSpec or None
        ``columns:``, ``values:`` and ``sheet:`` of sources.yaml.
    table : str
        The processed table (names the sources.yaml key in messages).

    Returns
    -------
    raw : DataFrame
        Text columns (absent optional ones empty), ``_row`` and ``_file``.
    bad : list of (file name, row)
        Rows whose number of fields differs from the header.
    info : dict
        ``rows_in``, ``rows_blank`` (summed over the files), ``columns_absent``,
        ``columns_ignored``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.csv").write_text("nip;UNIT KERJA\\n1;X\\n")
    >>> _ = (d / "b.csv").write_text("nip;UNIT KERJA\\n2;Y\\n3;Y\\n")
    >>> raw, bad, info = read_source([d / "a.csv", d / "b.csv"], ["NIP", "Unit Kerja",
    ...                              "Status"], ["NIP", "Unit Kerja"], "roster", None, "pegawai")
    >>> raw["_file"].tolist(), info["rows_in"], info["columns_absent"]
    (['a.csv', 'b.csv', 'b.csv'], 3, ['Status'])

    """
    paths = as_paths(path)
    frames, bad, infos = [], [], []
    for one in paths:
        raw, bad_rows, info = _read_one(one, columns, required, what, spec, table, sheet)
        raw[FILE] = one.name
        frames.append(raw)
        bad += [(one.name, r) for r in bad_rows]
        infos.append(info)
    present = [[c for c in columns if c in frame.columns] for frame in frames]
    for one, cols in zip(paths[1:], present[1:], strict=True):
        if cols != present[0]:
            differ = sorted(set(cols) ^ set(present[0]))
            raise RawFileError(one, f"its documented columns differ from {paths[0].name}'s "
                                    f"({', '.join(differ)}); the files of {table} are read "
                                    "as one table",
                               "export every file with the same columns, or describe them "
                               "as one source only if they are")
    raw = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    absent = [c for c in columns if c not in raw.columns]
    for name in absent:
        raw[name] = pd.Series(pd.NA, index=raw.index, dtype="str")
    ignored = list(dict.fromkeys(c for frame in frames for c in frame.columns
                                 if not str(c).startswith("_") and c not in columns))
    return raw, bad, {"rows_in": sum(i["rows_in"] for i in infos),
                      "rows_blank": sum(i["rows_blank"] for i in infos),
                      "columns_absent": absent, "columns_ignored": ignored}


def require_any(raw_path, info: dict, groups: Sequence[Sequence[str]], table: str,
                why: str) -> None:
    """Refuse a source whose export lacks every one of ``groups`` (each group: columns that
    together serve the analysis), naming the columns and the sources.yaml key."""
    absent = set(info["columns_absent"])
    if any(not set(group) & absent for group in groups):
        return
    options = " or ".join(" + ".join(group) for group in groups)
    first = groups[0][0]
    raise RawFileError(as_paths(raw_path)[0], f"none of {options} is present; {why}",
                       f"if the export calls it differently, map it in sources.yaml: "
                       f"{table}: {{columns: {{{first}: <export column>}}}}")


__all__ = ["read_source", "require_any", "as_paths"]
