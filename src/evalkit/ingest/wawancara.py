"""Reader of interview transcripts ``wawancara/<INF-NNN>.txt``.

A transcript is UTF-8 text: header lines ``Kode Informan:``, ``Unit Kerja:``, ``Jabatan:``,
``Pelatihan:``, ``Tanggal:``; a line ``---``; then turns starting ``P:`` (pewawancara) or
``I:`` (informan), one turn a paragraph (continuation lines join the turn). Each turn is a
row of ``wawancara_segmen``; informant turns are numbered 1, 2, … (``segmen``), interviewer
turns get 0. Turn text is redacted (names, NIP/NIK, phone numbers, e-mails).

:func:`parse_transcript` is the one implementation of the format: :func:`read_wawancara`
uses it for every file, and code that must parse a transcript held as text (tests, a
user's own string) calls it too.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from evalkit.privacy import KnownNames, redact

from ._common import finish, start
from ._io import ROW, RawFileError, decode_text
from ._parse import parse_dates_dayfirst

#: Header lines of a transcript and the column each becomes (docs/data-contract.md).
HEADER_FIELDS = {"Kode Informan": "kode_informan", "Unit Kerja": "unit",
                 "Jabatan": "jabatan", "Pelatihan": "nama_pelatihan", "Tanggal": "tanggal"}
#: Column of :func:`parse_transcript` with the line (1-based, in the file) a turn starts on.
LINE = "baris"
_TURN = r"^\s*([PpIi])\s*:(.*)$"
_HEADER = r"^\s*([^:]+?)\s*:\s*(.*?)\s*$"
_KNOWN = {key.casefold(): key for key in HEADER_FIELDS}


def parse_transcript(text: str, source: str | os.PathLike[str] = "<transcript>"
                     ) -> pd.DataFrame:
    """Split one transcript's text into speaker turns, header values repeated on each.

    Header names are matched ignoring case and spaces around the colon; every header line
    must be present, but only ``Kode Informan`` needs a value (the other columns of
    ``wawancara_segmen`` may be empty). A turn runs from its ``P:``/``I:`` line to the next
    one; its lines are joined and runs of white space collapsed. Text between ``---`` and
    the first turn is kept as a turn with speaker ``?`` (the reader quarantines it).

    Parameters
    ----------
    text : str
        The whole transcript (already decoded).
    source : str or path
        File name used in error messages.

    Returns
    -------
    pandas.DataFrame
        ``kode_informan``, ``unit``, ``jabatan``, ``nama_pelatihan``, ``tanggal`` (text as
        written), ``segmen`` (1-based among informant turns, 0 otherwise), ``pembicara``
        (``P``/``I``/``?``), ``teks`` (not redacted; missing for an empty turn) and ``baris``
        (line of the file where the turn starts).

    Raises
    ------
    RawFileError
        No ``---`` line, a header line missing (or ``Kode Informan`` empty), or no turn;
        the message names the source, the lines concerned and what to do.

    Examples
    --------
    >>> t = ("Kode Informan: INF-001\\nUnit Kerja: Dinas Sosial\\nJabatan: Pelaksana\\n"
    ...      "Pelatihan: Pelayanan Prima\\nTanggal: 04/03/2025\\n---\\n"
    ...      "P: Apa manfaatnya?\\nI: Sangat\\n  bermanfaat.\\nP: Kendalanya?\\nI: Tidak ada.")
    >>> parse_transcript(t)[["segmen", "pembicara", "teks", "baris"]].to_numpy().tolist()
    [[0, 'P', 'Apa manfaatnya?', 7], [1, 'I', 'Sangat bermanfaat.', 8], \
[0, 'P', 'Kendalanya?', 10], [2, 'I', 'Tidak ada.', 11]]

    """
    # Line by line with pandas string methods: a turn spans lines, so lines are grouped by
    # the running count of turn starts.
    lines = pd.Series(text.lstrip("\ufeff").splitlines(), dtype="str")
    lines.index = pd.RangeIndex(1, len(lines) + 1)  # line numbers of the file
    separators = lines.index[lines.str.strip().eq("---")]
    if separators.empty:
        raise RawFileError(source, "no line '---' separating the header from the conversation",
                           "add a line with three dashes after the header lines")
    split = int(separators[0])
    header = _read_header(lines.loc[: split - 1], source, split)
    body = lines.loc[split + 1:]
    start = body.str.extract(_TURN)
    # text before the first P:/I: line forms turn 0, speaker "?" (quarantined by the reader)
    parts = pd.DataFrame({"turn": start[0].notna().cumsum(),
                          "pembicara": start[0].str.upper().fillna("?"),
                          "teks": start[1].fillna(body).str.strip(),
                          LINE: body.index})
    parts = parts[start[0].notna() | parts["teks"].ne("")]  # blank lines belong to no turn
    if parts.empty:
        raise RawFileError(source, f"the transcript has no turns after '---' (line {split})",
                           "write each turn on its own paragraph starting 'P:' or 'I:'")
    out = parts.groupby("turn", sort=True).agg(
        pembicara=("pembicara", "first"), teks=("teks", " ".join), **{LINE: (LINE, "first")}
    ).reset_index(drop=True)
    out["teks"] = (out["teks"].str.replace(r"\s+", " ", regex=True).str.strip()
                   .replace("", pd.NA))
    out[LINE] = out[LINE].astype("Int64")
    informant = out["pembicara"].eq("I")
    out["segmen"] = informant.cumsum().where(informant, 0).astype("Int16")
    for key, column in HEADER_FIELDS.items():
        out[column] = header[key]
    return out[[*HEADER_FIELDS.values(), "segmen", "pembicara", "teks", LINE]]


def _read_header(lines: pd.Series, source: str | os.PathLike[str], split: int
                 ) -> dict[str, object]:
    """Header values by field name; a missing line (or an empty ``Kode Informan``) raises."""
    fields = lines.str.extract(_HEADER)
    key = fields[0].str.replace(r"\s+", " ", regex=True).str.casefold().map(_KNOWN)
    found = fields.loc[key.notna(), 1].groupby(key[key.notna()]).last()  # last line wins
    missing = [k for k in HEADER_FIELDS if k not in found.index]
    if missing:
        names = ", ".join(f"'{k}:'" for k in missing)
        raise RawFileError(source, f"header line(s) {names} missing before '---' (line "
                                   f"{split})",
                           "write the five header lines Kode Informan, Unit Kerja, Jabatan, "
                           "Pelatihan and Tanggal before '---' (a value may be left empty, "
                           "except Kode Informan)")
    values = found.where(found.ne(""))
    if pd.isna(values["Kode Informan"]):
        line = int(key[key.eq("Kode Informan")].index[-1])
        raise RawFileError(source, f"line {line}: 'Kode Informan:' is empty",
                           "write the informant code, e.g. 'Kode Informan: INF-001'")
    return {k: (pd.NA if pd.isna(values[k]) else values[k]) for k in HEADER_FIELDS}


def _read_file(path: Path) -> pd.DataFrame:
    """One transcript file → its turns (see :func:`parse_transcript`)."""
    if not path.is_file():
        raise RawFileError(path, "transcript not found", "check the wawancara folder")
    data = path.read_bytes()
    if not data.strip():
        raise RawFileError(path, "the transcript is empty",
                           "save the transcript text again (UTF-8) or remove the file")
    text, _ = decode_text(path, data)
    return parse_transcript(text, path)


def read_wawancara(folder: str | os.PathLike[str], person_names: KnownNames | None = None
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read every ``*.txt`` transcript in ``folder`` into ``wawancara_segmen``.

    ``source_row`` in the quarantine is the turn number within its file; the reason names
    the line of the file. Turn text is redacted (:func:`~evalkit.privacy.redact`), and the
    full names of ``person_names`` (the roster's, :class:`~evalkit.privacy.KnownNames`)
    are replaced wherever they occur.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "INF-001.txt").write_text("Kode Informan: INF-001\\nUnit Kerja: Dinas X\\n"
    ...   "Jabatan: Pelaksana\\nPelatihan: Pelayanan Prima\\nTanggal: 05/12/2025\\n---\\n"
    ...   "P: Bagaimana?\\n\\nI: Saya Budi, sangat membantu.\\n")
    >>> clean, q = read_wawancara(d)
    >>> clean[["segmen", "pembicara", "teks"]].values.tolist()
    [[0, 'P', 'Bagaimana?'], [1, 'I', 'Saya [NAMA], sangat membantu.']]

    """
    folder = Path(folder)
    if not folder.is_dir():
        raise RawFileError(folder, "interview folder not found",
                           "put the transcripts in raw_dir/wawancara/ (one .txt per informant)")
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise RawFileError(folder, "the interview folder holds no .txt transcripts",
                           "add the transcripts (UTF-8 text, one per informant)")
    # One file at a time: a transcript is a small document (a city has tens of them).
    parts = [_read_file(path).assign(_file=path.name) for path in files]
    raw = pd.concat(parts, ignore_index=True)
    raw[ROW] = raw.groupby("_file").cumcount() + 1
    frame, faults = start(raw, raw["_file"], "wawancara_segmen", person_names)
    line = "line " + frame[LINE].astype("str") + ": "
    faults.add(~frame["pembicara"].isin(["P", "I"]), "teks", "value_invalid",
               reason=line + "text outside a turn; every paragraph after '---' must start "
                             "with 'P:' or 'I:'.")
    faults.add(frame["teks"].isna(), "teks", "value_missing",
               reason=line + "the turn is empty; write the words after 'P:'/'I:' or "
                             "delete the line.")
    tanggal = parse_dates_dayfirst(frame["tanggal"])
    faults.add(frame["tanggal"].notna() & tanggal.isna(), "Tanggal", "date_invalid",
               reason="Header line 'Tanggal:' is not a valid day-first date "
                      "(27/11/2026, 27-11-2026 or 2026-11-27).")
    work = pd.DataFrame({
        "kode_informan": frame["kode_informan"], "unit": frame["unit"],
        "jabatan": frame["jabatan"], "nama_pelatihan": frame["nama_pelatihan"],
        "tanggal": tanggal, "segmen": frame["segmen"],
        "pembicara": frame["pembicara"], "teks": redact(frame["teks"], person_names),
    })
    return finish("wawancara_segmen", work, faults, {
        "kode_informan": "Kode Informan", "unit": "Unit Kerja", "jabatan": "Jabatan",
        "nama_pelatihan": "Pelatihan", "tanggal": "Tanggal", "segmen": "teks",
        "pembicara": "teks", "teks": "teks"})


__all__ = ["HEADER_FIELDS", "parse_transcript", "read_wawancara"]
