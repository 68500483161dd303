"""Privacy at the door and at the exit: pseudonyms, redaction, disclosure control.

Names and NIP are personal data (UU 27/2022). They are replaced by keyed pseudonyms when the
raw exports are read (:mod:`~evalkit.privacy.pseudonyms`), free text is redacted before it is
stored (:mod:`~evalkit.privacy.redact`), and published tables blank out cells built on fewer
than ``min_n`` people (:mod:`~evalkit.privacy.disclosure`).

Examples
--------
>>> import pandas as pd
>>> from evalkit.privacy import pseudonymise, redact
>>> pseudonymise(pd.Series(["197807172010012012"]), key="k").str.len().iloc[0]
np.int64(16)
>>> redact(pd.Series(["Hubungi Ibu Sari di 0812-3456-7890"])).iloc[0]
'Hubungi Ibu [NAMA] di [TELEPON]'
"""

from evalkit.privacy.disclosure import (
    PANEL_PARTS,
    hidden_cells,
    publish_jp_breakdown,
    publish_panel,
    publishable_rows,
    published_total,
    suppress_mentoring_summary,
    suppress_parts,
    suppress_quality,
    suppress_small_cells,
    suppress_with_margin,
)
from evalkit.privacy.pseudonyms import (
    DEMO_KEY,
    KEY_ENV,
    PSEUDONYM_LENGTH,
    MissingKeyError,
    load_key,
    pseudonymise,
)
from evalkit.privacy.redact import NAME_STOPWORDS, KnownNames, redact

__all__ = [
    "DEMO_KEY", "KEY_ENV", "NAME_STOPWORDS", "PANEL_PARTS", "PSEUDONYM_LENGTH", "KnownNames",
    "MissingKeyError", "hidden_cells", "load_key", "publish_jp_breakdown", "publish_panel",
    "publishable_rows", "published_total", "pseudonymise", "redact",
    "suppress_mentoring_summary", "suppress_parts", "suppress_quality", "suppress_small_cells",
    "suppress_with_margin",
]
