"""Reader of interview transcripts ``wawancara/<INF-NNN>.txt``.

A transcript is UTF-8 text: header lines ``Kode Informan:``, ``Unit Kerja:``, ``Jabatan:``,
``Pelatihan:``, ``Tanggal:``; a line ``---``; then turns starting ``P:`` (pewawancara) or
``I:`` (informan), one turn a paragraph (continuation lines join the turn). Each turn is a
row of ``wawancara_segmen``; informant turns are numbered 1, 2, … (``segmen``), interviewer
turns get 0. Turn text is redacted (names, NIP/NIK, phone numbers, e-mails).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from evalkit.privacy import redact

from ._common import finish, start
from ._io import ROW, RawFileError, decode_text
from ._parse import parse_dates_dayfirst

HEADER_KEYS = {"Kode Informan": "kode_informan", "Unit Kerja": "unit", "Jabatan": "jabatan",
               "Pelatihan": "nama_pelatihan", "Tanggal": "tanggal"}
_TURN = re.compile(r"^\s*([PpIi])\s*:\s?(.*)$")
_HEADER = re.compile(r"^\s*([^:]+?)\s*:\s*(.*?)\s*$")


def _parse_transcript(path: Path) -> pd.DataFrame:
    """One transcript → one row per turn (header values repeated).

    Transcripts are short prose, read line by line: a turn may span lines, which no
    vectorised split can follow, and a city has tens of transcripts, not millions.
    """
    if not path.is_file():
        raise RawFileError(path, "transcript not found", "check the wawancara folder")
    data = path.read_bytes()
    if not data.strip():
        raise RawFileError(path, "the transcript is empty",
                           "save the transcript text again (UTF-8) or remove the file")
    text, _ = decode_text(path, data)
    lines = text.splitlines()
    try:
        split = next(i for i, line in enumerate(lines) if line.strip() == "---")
    except StopIteration:
        raise RawFileError(path, "no line '---' separating the header from the conversation",
                           "add a line with three dashes after the header lines") from None
    header: dict[str, str] = {}
    known = {k.casefold(): k for k in HEADER_KEYS}
    for line in lines[:split]:
        match = _HEADER.match(line)
        if match and match.group(1).casefold() in known:
            header[known[match.group(1).casefold()]] = match.group(2)
    missing = [k for k in HEADER_KEYS if not header.get(k)]
    if "Kode Informan" in missing:
        raise RawFileError(path, "header line 'Kode Informan:' missing or empty",
                           "start the transcript with 'Kode Informan: INF-001' and the other "
                           "header lines")
    turns: list[list[str]] = []
    for line in lines[split + 1:]:
        match = _TURN.match(line)
        if match:
            turns.append([match.group(1).upper(), match.group(2).strip()])
        elif line.strip() and turns:
            turns[-1][1] = (turns[-1][1] + " " + line.strip()).strip()
        elif line.strip():
            turns.append(["?", line.strip()])  # text before the first P:/I: → quarantined
    if not turns:
        raise RawFileError(path, "the transcript has no turns after '---'",
                           "write each turn on its own paragraph starting 'P:' or 'I:'")
    frame = pd.DataFrame(turns, columns=["pembicara", "teks"], dtype="str")
    for key, col in HEADER_KEYS.items():
        frame[col] = header.get(key) or pd.NA
    frame[ROW] = range(1, len(frame) + 1)
    return frame


def read_wawancara(folder: str | os.PathLike[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read every ``*.txt`` transcript in ``folder`` into ``wawancara_segmen``.

    ``source_row`` in the quarantine is the turn number within its file.

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
    parts = []
    for path in files:
        part = _parse_transcript(path)
        part["_file"] = path.name
        parts.append(part)
    raw = pd.concat(parts, ignore_index=True)
    frame, faults = start(raw, raw["_file"], "wawancara_segmen")
    faults.add(~frame["pembicara"].isin(["P", "I"]), "teks", "value_invalid",
               reason="Text outside a turn: every paragraph after '---' must start with "
                      "'P:' or 'I:'.")
    tanggal = parse_dates_dayfirst(frame["tanggal"])
    faults.add(frame["tanggal"].notna() & tanggal.isna(), "Tanggal", "date_invalid",
               reason="Tanggal in the transcript header is not a valid day-first date.")
    faults.add(frame["teks"].isna(), "teks", "value_missing", reason="The turn is empty.")
    informant = frame["pembicara"].eq("I")
    segmen = informant.astype(int).groupby(frame["_file"]).cumsum().where(informant, 0)
    work = pd.DataFrame({
        "kode_informan": frame["kode_informan"], "unit": frame["unit"],
        "jabatan": frame["jabatan"], "nama_pelatihan": frame["nama_pelatihan"],
        "tanggal": tanggal, "segmen": segmen.astype("Int16"),
        "pembicara": frame["pembicara"], "teks": redact(frame["teks"]),
    })
    return finish("wawancara_segmen", work, faults, {
        "kode_informan": "Kode Informan", "unit": "Unit Kerja", "jabatan": "Jabatan",
        "nama_pelatihan": "Pelatihan", "tanggal": "Tanggal", "segmen": "teks",
        "pembicara": "teks", "teks": "teks"})
