"""Transcripts: header block, ``---``, then speaker turns ``P:`` / ``I:``.

Examples
--------
>>> import pandas as pd
>>> position_type(pd.Series(["Kepala Bidang Pelayanan"])).tolist()
['Struktural']
"""

from __future__ import annotations

import os
import re

import pandas as pd

from evalkit.config import resolve_path

#: Header lines of a transcript and the column each becomes (docs/data-contract.md).
HEADER_FIELDS = {
    "Kode Informan": "kode_informan",
    "Unit Kerja": "unit",
    "Jabatan": "jabatan",
    "Pelatihan": "nama_pelatihan",
    "Tanggal": "tanggal",
}

_TURN = re.compile(r"^[ \t]*(?P<who>[PIpi])[ \t]*:[ \t]*", re.MULTILINE)


def split_turns(text: str, source: str = "<transcript>") -> pd.DataFrame:
    """Split one transcript into its header fields and speaker turns.

    The format (docs/data-contract.md): header lines ``Kode Informan:``, ``Unit Kerja:``,
    ``Jabatan:``, ``Pelatihan:``, ``Tanggal:``; a line ``---``; then turns starting ``P:``
    (pewawancara) or ``I:`` (informan). A turn runs until the next ``P:``/``I:`` line, so a
    turn may span several lines.

    Parameters
    ----------
    text : str
        The whole transcript.
    source : str
        File name used in error messages.

    Returns
    -------
    pandas.DataFrame
        Columns of ``wawancara_segmen``: ``kode_informan``, ``unit``, ``jabatan``,
        ``nama_pelatihan``, ``tanggal`` (text as written), ``segmen`` (1-based among informant
        turns, 0 for interviewer turns), ``pembicara`` (P/I), ``teks`` (not yet redacted).

    Raises
    ------
    ValueError
        When the ``---`` line, a header field, or any turn is missing, or text stands
        between ``---`` and the first turn; the message names the source and line.

    Examples
    --------
    >>> t = ("Kode Informan: INF-001\\nUnit Kerja: Dinas Sosial\\nJabatan: Pelaksana\\n"
    ...      "Pelatihan: Pelatihan Pelayanan Prima\\nTanggal: 2025-03-04\\n---\\n"
    ...      "P: Apa manfaatnya?\\nI: Sangat bermanfaat.\\nP: Kendalanya?\\nI: Tidak ada.")
    >>> split_turns(t)[["segmen", "pembicara", "teks"]].to_numpy().tolist()
    [[0, 'P', 'Apa manfaatnya?'], [1, 'I', 'Sangat bermanfaat.'], [0, 'P', 'Kendalanya?'], \
[2, 'I', 'Tidak ada.']]
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    parts = re.split(r"^[ \t]*---[ \t]*$", text, maxsplit=1, flags=re.MULTILINE)
    if len(parts) != 2:
        raise ValueError(f"{source}: no line '---' between the header and the conversation. "
                         "Add it after the 'Tanggal:' line.")
    header_text, body = parts
    header_lines = header_text.count("\n")  # lines before the '---' line
    header: dict[str, str] = {}
    for match in re.finditer(r"^[ \t]*([^:\n]+?)[ \t]*:[ \t]*(.*?)[ \t]*$", header_text,
                             flags=re.MULTILINE):
        header[match.group(1)] = match.group(2)
    missing = [name for name in HEADER_FIELDS if not header.get(name)]
    if missing:
        raise ValueError(f"{source}: header line(s) {', '.join(repr(m + ':') for m in missing)}"
                         " missing or empty before '---'. Add them with a value.")
    starts = list(_TURN.finditer(body))
    if not starts:
        raise ValueError(f"{source}: no turns after '---'. Each turn starts with 'P:' "
                         "(interviewer) or 'I:' (informant).")
    lead = body[: starts[0].start()]
    if lead.strip():
        offset = len(lead[: len(lead) - len(lead.lstrip())].split("\n")) - 1
        raise ValueError(f"{source}, line {header_lines + 1 + offset}: text before the first "
                         "turn. Start the line with 'P:' or 'I:'.")
    ends = [m.start() for m in starts[1:]] + [len(body)]
    who = [m.group("who").upper() for m in starts]
    turns = [" ".join(body[m.end():end].split()) for m, end in zip(starts, ends, strict=True)]
    out = pd.DataFrame({"pembicara": who, "teks": turns})
    is_informant = out["pembicara"].eq("I")
    out["segmen"] = is_informant.cumsum().where(is_informant, 0).astype("Int16")
    for name, column in HEADER_FIELDS.items():
        out[column] = header[name]
    return out[[*HEADER_FIELDS.values(), "segmen", "pembicara", "teks"]]


def read_transcripts(folder: str | os.PathLike[str]) -> pd.DataFrame:
    """Split every ``*.txt`` transcript of ``folder`` into turns (files in name order).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "INF-001.txt").write_text("Kode Informan: INF-001\\nUnit Kerja: A\\n"
    ...     "Jabatan: Pelaksana\\nPelatihan: X\\nTanggal: 2025-01-02\\n---\\nP: Ya?\\nI: Ya.")
    >>> len(read_transcripts(d))
    2
    """
    folder = resolve_path(folder)
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise FileNotFoundError(f"{folder}: no transcripts (*.txt) found.")
    # One file at a time: a transcript is a small document, not a row of a table.
    return pd.concat([split_turns(f.read_text(encoding="utf-8"), source=str(f)) for f in files],
                     ignore_index=True)


#: Position titles → position type. Structural posts are headed "Kepala …", "Sekretaris",
#: "Camat", "Lurah", "Direktur", "Inspektur"; functional posts carry a grade of the
#: jabatan fungsional ladder (Ahli Pertama/Muda/Madya/Utama, Pemula, Terampil, Mahir,
#: Penyelia). Everything else is pelaksana. Real exports may already carry the type; the
#: transcript header holds only the title.
_STRUKTURAL = r"^\s*(?:kepala|sekretaris|camat|lurah|direktur|inspektur|wakil direktur)\b"
_FUNGSIONAL = r"\b(?:ahli\s+(?:pertama|muda|madya|utama)|pemula|terampil|mahir|penyelia)\b"


def position_type(jabatan: pd.Series) -> pd.Series:
    """Position type (Struktural / Fungsional / Pelaksana) from a position title.

    Examples
    --------
    >>> position_type(pd.Series(["Kepala Seksi Pelayanan", "Perawat Ahli Muda",
    ...                          "Petugas Front Office"])).tolist()
    ['Struktural', 'Fungsional', 'Pelaksana']
    """
    title = jabatan.astype("str").str.lower()
    out = pd.Series("Pelaksana", index=jabatan.index, dtype="str")
    out = out.mask(title.str.contains(_FUNGSIONAL, regex=True, na=False), "Fungsional")
    out = out.mask(title.str.contains(_STRUKTURAL, regex=True, na=False), "Struktural")
    return out.where(jabatan.notna())


__all__ = ["HEADER_FIELDS", "split_turns", "read_transcripts", "position_type"]
