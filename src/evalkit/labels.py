"""The one bilingual (Bahasa Indonesia / English) label dictionary of the report and figures.

Labels live in ``config/labels.yaml`` (``key: {id: ..., en: ...}``), so a translator edits
text without touching code. Every heading, column title, code and sentence of
``summary.html`` and of the report's figures is looked up here.

Examples
--------
>>> label("sec_method", "en")
'Method appendix'
>>> label("unsur_u7", "id")
'U7 Perilaku pelaksana'
>>> code_label("mutu", "B", "en")
'B (Good)'

"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache
from typing import Literal, get_args

import pandas as pd

from evalkit.config import CONFIG_DIR, load_yaml

#: The dictionary file.
LABELS_FILE = CONFIG_DIR / "labels.yaml"

#: A report language: Bahasa Indonesia or English. Annotate every ``lang`` parameter with it.
Lang = Literal["id", "en"]

#: Supported report languages; the first is the default.
LANGS: tuple[Lang, ...] = get_args(Lang)


def check_lang(lang: str) -> Lang:
    """Return ``lang`` if supported, else raise a ValueError saying which are.

    Examples
    --------
    >>> check_lang("en")
    'en'

    """
    if lang not in LANGS:
        raise ValueError(f"Unknown report language {lang!r}; use one of {', '.join(LANGS)} "
                         "(parameter lang in config/pipeline.yaml or --lang).")
    return lang


@lru_cache(maxsize=4)
def _load(path: str) -> dict[str, dict[str, str]]:
    raw = load_yaml(path) or {}
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: expected a mapping key: {{id: ..., en: ...}}.")
    not_text = [k for k in raw if not isinstance(k, str)]
    if not_text:
        # YAML 1.1 reads keys such as yes/no/on/off as booleans: name them differently.
        raise ValueError(f"{path}: key(s) {not_text} are not text (YAML turns yes/no/on/off "
                         "into booleans); rename them, e.g. word_yes.")
    bad = [k for k, v in raw.items()
           if not isinstance(v, dict) or any(not isinstance(v.get(lg), str) for lg in LANGS)]
    if bad:
        raise ValueError(f"{path}: label(s) {', '.join(map(str, bad[:10]))} need text for every "
                         f"language ({', '.join(LANGS)}).")
    return {str(k): {lg: v[lg] for lg in LANGS} for k, v in raw.items()}


def all_labels(path: str | os.PathLike[str] = LABELS_FILE) -> dict[str, dict[str, str]]:
    """Return the whole dictionary: ``{key: {"id": ..., "en": ...}}`` (a copy).

    Examples
    --------
    >>> set(all_labels()["sec_ikm"]) == set(LANGS)
    True

    """
    return {k: dict(v) for k, v in _load(str(path)).items()}


def has_label(key: str) -> bool:
    """Whether ``key`` is in the dictionary.

    Examples
    --------
    >>> has_label("sec_ikm"), has_label("no_such_key")
    (True, False)

    """
    return key in _load(str(LABELS_FILE))


def label(key: str, lang: Lang = "id", **fields: object) -> str:
    """Return the text of ``key`` in ``lang``, with ``{placeholders}`` filled from ``fields``.

    Parameters
    ----------
    key : str
        A key of ``config/labels.yaml``.
    lang : {"id", "en"}, default "id"
        The language.
    **fields
        Values for the placeholders of a sentence.

    Raises
    ------
    KeyError
        When the key is not in the dictionary (the message says where to add it).

    Examples
    --------
    >>> label("dash_note", "en", min_n=5)[:22]
    'A – means the value is'

    """
    check_lang(lang)
    table = _load(str(LABELS_FILE))
    if key not in table:
        raise KeyError(f"Label {key!r} is not in {LABELS_FILE}; add it there with both "
                       f"languages ({', '.join(LANGS)}).")
    text = table[key][lang]
    return text.format(**fields) if fields else text


def format_number(value: object, decimals: int = 2, lang: Lang = "id", *,
                  percent: bool = False) -> str:
    """Format a number in the report's language (Indonesian: ``1.234,5``); ``–`` if missing.

    Examples
    --------
    >>> format_number(1234.5, 1, "id"), format_number(1234.5, 1, "en")
    ('1.234,5', '1,234.5')
    >>> format_number(0.256, 0, "en", percent=True), format_number(None)
    ('26%', '–')

    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    number = round(float(value) * (100 if percent else 1), decimals)
    number = 0.0 if number == 0 else number  # no "-0,00" for a tiny negative value
    text = f"{number:,.{decimals}f}"
    if lang == "id":  # swap the separators: 1,234.5 → 1.234,5
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text + ("%" if percent else "")


def code_label(prefix: str, code: object, lang: Lang = "id") -> str:
    """Label of a code (``<prefix>_<code>``), or the code itself when it has no label.

    Codes come from other stages (methods, themes, course names); an unknown code is shown
    as it is rather than stopping the report.

    Examples
    --------
    >>> code_label("unsur", "u3", "en"), code_label("outcome", "new_outcome", "en")
    ('U3 Completion time', 'new_outcome')

    """
    if code is None or (not isinstance(code, str) and pd.isna(code)):
        return ""
    key = f"{prefix}_{code}"
    return label(key, lang) if has_label(key) else str(code)


def translate_codes(values: pd.Series, prefix: str, lang: Lang = "id") -> pd.Series:
    """Replace each code of a Series by its label (unknown codes kept).

    Examples
    --------
    >>> import pandas as pd
    >>> translate_codes(pd.Series(["u1", "u9"]), "unsur", "en").tolist()
    ['U1 Requirements', 'U9 Facilities']

    """
    uniques = pd.Series(values.dropna().unique())
    mapping = dict(zip(uniques, uniques.map(lambda c: code_label(prefix, c, lang)), strict=True))
    return values.map(mapping).astype("str").where(values.notna(), "")


def column_titles(columns: Iterable[str], lang: Lang = "id") -> list[str]:
    """Column titles for display: the label ``col_<name>``, else the name itself.

    Examples
    --------
    >>> column_titles(["unit", "ikm", "other"], "en")
    ['Unit', 'IKM', 'other']

    """
    return [code_label("col", c, lang) for c in columns]


__all__ = ["LABELS_FILE", "LANGS", "Lang", "all_labels", "check_lang", "code_label",
           "column_titles", "format_number", "has_label", "label", "translate_codes"]
