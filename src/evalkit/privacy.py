"""Privacy at the door: keyed pseudonyms, redaction of free text, small-cell suppression.

Names and NIP are personal data (UU 27/2022). They are replaced by keyed pseudonyms when the
raw exports are read, free text is redacted before it is stored, and published tables blank
out cells built on fewer than ``min_n`` people.

The key
-------
A pseudonym is HMAC-SHA256(key, normalised NIP), cut to 16 hex characters. Without the key
nobody can recompute the pseudonym of a known NIP; with it, the same NIP always gets the same
pseudonym, so tables from different runs join. ``load_key`` looks for the key in the
``EVALKIT_KEY`` environment variable, then in the git-ignored file ``.evalkit_key`` at the
project root. The bundled data are simulated (``truth.json`` says ``"simulated": true``);
only for such data does it fall back to the published :data:`DEMO_KEY`. Make a key for real
data with::

    python -c "import secrets; print(secrets.token_hex(32))" > .evalkit_key

Examples
--------
>>> import pandas as pd
>>> pseudonymise(pd.Series(["197807172010012012"]), key="k").str.len().iloc[0]
np.int64(16)
>>> redact(pd.Series(["Hubungi Ibu Sari di 0812-3456-7890"])).iloc[0]
'Hubungi Ibu [NAMA] di [TELEPON]'
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from evalkit import config

#: Environment variable that holds the pseudonymisation key.
KEY_ENV = "EVALKIT_KEY"

#: The documented key of the bundled, simulated data. It is public, so it protects nothing:
#: ``load_key`` uses it only when ``truth.json`` in the raw folder says the data are simulated.
DEMO_KEY = "evalkit-demo-key-for-simulated-data-only"

#: Length of a pseudonym in hex characters (64 bits: no collisions in a country of ASN).
PSEUDONYM_LENGTH = 16

_KEY_HELP = (
    'Make a key once with: python -c "import secrets; print(secrets.token_hex(32))" > {file} '
    "(keep it outside the repository; it is git-ignored), or set the environment variable "
    f"{KEY_ENV}. Keep the same key for later runs so pseudonyms stay comparable."
)


class MissingKeyError(RuntimeError):
    """No pseudonymisation key was found for data that are not the bundled simulation."""


def _as_bytes(key: str | bytes) -> bytes:
    if isinstance(key, bytes):
        return key
    return str(key).encode("utf-8")


def pseudonymise(values: pd.Series | Iterable[str], key: str | bytes) -> pd.Series:
    """Replace identifiers by stable keyed pseudonyms (HMAC-SHA256, 16 hex characters).

    Parameters
    ----------
    values : Series or iterable of str
        Normalised identifiers (e.g. 18-digit NIP strings). Missing values stay missing.
    key : str or bytes
        The secret key (see :func:`load_key`).

    Returns
    -------
    pandas.Series
        String Series of pseudonyms, same index as ``values`` (a new RangeIndex for other
        iterables).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pseudonymise(pd.Series(["197807172010012012", None, "197807172010012012"]), "k")
    >>> bool(s.iloc[0] == s.iloc[2]), bool(pd.isna(s.iloc[1]))
    (True, True)
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype="str")
    if len(series) == 0:
        return pd.Series([], index=series.index, dtype="str", name=series.name)
    key_bytes = _as_bytes(key)
    # hashlib has no vectorised HMAC; we hash each distinct value once (identifiers repeat a
    # lot across training records) and map the results back with a vectorised take.
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    hashed = np.array(
        [hmac.new(key_bytes, str(v).encode("utf-8"), hashlib.sha256).hexdigest()[:PSEUDONYM_LENGTH]
         for v in uniques],
        dtype=object,
    )
    out = np.full(len(series), None, dtype=object)
    present = codes >= 0
    out[present] = hashed[codes[present]]
    return pd.Series(out, index=series.index, dtype="str", name=series.name)


def load_key(raw_dir: str | os.PathLike[str] | None = None) -> str:
    """Return the pseudonymisation key.

    Order: the ``EVALKIT_KEY`` environment variable; the file :data:`evalkit.config.KEY_FILE`
    (``.evalkit_key`` at the project root); and only when ``raw_dir/truth.json`` declares
    ``"simulated": true``, the public :data:`DEMO_KEY`.

    Parameters
    ----------
    raw_dir : path, optional
        The folder of raw exports being cleaned.

    Returns
    -------
    str

    Raises
    ------
    MissingKeyError
        When no key is found and the data are not the bundled simulation; the message says
        how to make one.

    Examples
    --------
    >>> import os
    >>> os.environ["EVALKIT_KEY"] = "abc"; load_key()
    'abc'
    >>> del os.environ["EVALKIT_KEY"]
    """
    env = os.environ.get(KEY_ENV, "").strip()
    if env:
        return env
    key_file = Path(config.KEY_FILE)
    if key_file.is_file():
        text = key_file.read_text(encoding="utf-8").strip()
        if text:
            return text
        raise MissingKeyError(f"{key_file}: the key file is empty. " +
                              _KEY_HELP.format(file=key_file))
    if raw_dir is not None and config.load_truth(raw_dir) is not None:
        return DEMO_KEY
    raise MissingKeyError(
        f"No pseudonymisation key found for the data in {raw_dir}: NIP and names cannot be "
        "replaced by pseudonyms, so the run stops before reading personal data. "
        + _KEY_HELP.format(file=key_file)
    )


# --- redaction -----------------------------------------------------------------------------
# Order matters: long digit runs (NIP, NIK) before phone numbers, so a NIP is not called a
# phone number; e-mail before names.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# NIP: 18 digits, optionally printed as 8 6 1 3 with spaces or dots.
_NIP = re.compile(r"(?<!\d)(?:\d{8}[ .]?\d{6}[ .]?\d[ .]?\d{3})(?!\d)")
_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
# Indonesian phone numbers: +62 / 62 / 0 then 8 and 7–12 more digits, spaces or dashes between.
_PHONE = re.compile(r"(?<![\w+])(?:\+62|62|0)[ -]?8(?:[ -]?\d){7,11}(?!\d)")
_NAME_TITLE = (r"(?:[Bb]apak|[Ii]bu|[Pp]ak|[Bb]u|[Mm]as|[Mm]bak|[Ss]audara|[Ss]audari|"
               r"[Dd]r\.?|[Nn]ama saya|[Ss]aya)")
# A name: one to three capitalised words after a title ("Ibu Sari Wulandari", "saya Budi").
_NAME = re.compile(
    rf"\b(?P<title>{_NAME_TITLE})\s+(?P<name>[A-Z][a-z'’]+(?:\s+[A-Z][a-z'’]+){{0,2}})"
)


# Anything a pattern above could match: an @, a run of 7+ digits (spaces/dashes between), or a
# form of address. RE2-compatible, so pandas runs it vectorised on Arrow strings.
_CANDIDATE = (r"@|\d[\d .\-]{6,}\d|(?i:\b(?:bapak|ibu|pak|bu|mas|mbak|saudara|saudari|dr|"
              r"saya)\b)")


def redact(text_series: pd.Series | Sequence[str]) -> pd.Series:
    """Replace personal data in free text by placeholders.

    E-mail addresses → ``[EMAIL]``; NIP (18 digits, spaces allowed) → ``[NIP]``; NIK (16
    digits) → ``[NIK]``; phone numbers (+62…/62…/08…) → ``[TELEPON]``; a capitalised name
    after a form of address or "saya" (Bapak, Ibu, Pak, Bu, Mas, Mbak, Saudara/i, Dr., saya)
    → ``[NAMA]``. Names without such a cue are not recognised; redaction lowers the risk, it
    does not remove the need to review quotes before publishing them.

    Parameters
    ----------
    text_series : Series or sequence of str

    Returns
    -------
    pandas.Series
        Same index; missing values stay missing.

    Examples
    --------
    >>> import pandas as pd
    >>> redact(pd.Series(["saya Budi, NIP 19780717 201001 2 012, budi@mail.id"])).iloc[0]
    'saya [NAMA], NIP [NIP], [EMAIL]'
    """
    series = (text_series if isinstance(text_series, pd.Series)
              else pd.Series(list(text_series), dtype="str"))
    text = series.astype("str")
    # The patterns need Python's regex engine (look-behind), which runs per value; a cheap
    # vectorised pre-filter picks the values that could hold anything to redact at all.
    maybe = text.str.contains(_CANDIDATE, regex=True).fillna(False).astype(bool)
    if maybe.any():
        part = text[maybe]
        part = part.str.replace(_EMAIL, "[EMAIL]", regex=True)
        part = part.str.replace(_NIP, "[NIP]", regex=True)
        part = part.str.replace(_NIK, "[NIK]", regex=True)
        part = part.str.replace(_PHONE, "[TELEPON]", regex=True)
        part = part.str.replace(_NAME, lambda m: f"{m.group('title')} [NAMA]", regex=True)
        text = text.mask(maybe, part)
    return text.where(series.notna())


def suppress_small_cells(table: pd.DataFrame, count_cols: str | Sequence[str],
                         min_n: int = 5, value_cols: Sequence[str] | None = None,
                         ) -> pd.DataFrame:
    """Blank out values of cells built on fewer than ``min_n`` people.

    Convention: in every row where a count column is below ``min_n`` (and above zero is not
    required: a count of 0 is also suppressed), the value columns become missing (NaN/NA) and
    the count itself is kept only as "< min_n" by being set missing too; the boolean column
    ``suppressed`` marks those rows, and ``table.attrs["suppressed"]`` records the rule, so a
    reader of the CSV sees why a cell is empty. Counts are suppressed as well because a count
    of 1 or 2 can identify a person on its own.

    Parameters
    ----------
    table : DataFrame
    count_cols : str or sequence of str
        Column(s) with the number of people behind each row; a row is suppressed when any of
        them is below ``min_n``.
    min_n : int, default 5
    value_cols : sequence of str, optional
        Columns to blank. Default: every numeric column except the grouping keys (non-numeric
        columns) — i.e. all statistics of the row, including the counts.

    Returns
    -------
    DataFrame
        A new table with the column ``suppressed`` (bool).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"unit": ["A", "B"], "n": [12, 3], "ikm": [80.1, 91.0]})
    >>> out = suppress_small_cells(t, "n")
    >>> out["ikm"].isna().tolist(), out["suppressed"].tolist()
    ([False, True], [False, True])
    """
    counts = [count_cols] if isinstance(count_cols, str) else list(count_cols)
    missing = [c for c in counts if c not in table.columns]
    if missing:
        raise KeyError(f"suppress_small_cells: count column(s) {missing} not in the table; "
                       f"columns are {list(table.columns)}.")
    out = table.copy()
    small = pd.Series(False, index=out.index)
    for col in counts:
        small |= pd.to_numeric(out[col], errors="coerce").fillna(0).lt(min_n)
    if value_cols is None:
        value_cols = [c for c in out.columns if pd.api.types.is_numeric_dtype(out[c])
                      and not pd.api.types.is_bool_dtype(out[c])]
    for col in value_cols:
        if isinstance(out[col].dtype, np.dtype) and out[col].dtype.kind in "iu":
            # numpy integers cannot hold a missing value; the nullable type keeps them integer
            out[col] = out[col].astype("Int64")
        out[col] = out[col].mask(small)
    out["suppressed"] = small.to_numpy()
    out.attrs["suppressed"] = (f"cells built on fewer than {min_n} people (columns "
                               f"{', '.join(counts)}) are left empty; see column 'suppressed'")
    return out


__all__ = ["pseudonymise", "load_key", "redact", "suppress_small_cells", "DEMO_KEY",
           "KEY_ENV", "MissingKeyError", "PSEUDONYM_LENGTH"]
