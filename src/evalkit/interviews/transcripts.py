"""Transcript header values: the position type from the ``Jabatan:`` title.

Transcripts are parsed once, by the cleaning step:
:func:`evalkit.ingest.wawancara.parse_transcript` (used by
:func:`evalkit.ingest.read_wawancara` to write ``wawancara_segmen``). This subpackage works
on that table; to code a transcript held as text, parse it with that function.

Examples
--------
>>> import pandas as pd
>>> position_type(pd.Series(["Kepala Bidang Pelayanan"])).tolist()
['Struktural']

"""

from __future__ import annotations

import pandas as pd

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


__all__ = ["position_type"]
