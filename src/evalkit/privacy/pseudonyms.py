"""Keyed pseudonyms of identifiers (NIP, names), and the key they are made with.

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
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable
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


__all__ = ["DEMO_KEY", "KEY_ENV", "MissingKeyError", "PSEUDONYM_LENGTH", "load_key",
           "pseudonymise"]
