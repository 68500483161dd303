"""The interview codebook: themes, keywords, context words, negation rules.

``config/codebook.yaml`` is edited by researchers; :func:`load_codebook` checks it and names
the file and line of any problem (PyYAML's node tree carries the line numbers).

Examples
--------
>>> cb = load_codebook()
>>> cb.themes["kesulitan_penerapan"].label_en
'Difficulty applying the training'

"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

import pandas as pd
import yaml

from evalkit.config import CODEBOOK_FILE, resolve_path
from evalkit.labels import Lang, check_lang

#: A source of texts a theme can be coded in: interview turns or SKM suggestions.
Source = Literal["wawancara", "saran"]
#: Sources a theme can be coded in (``scope`` in the codebook).
SOURCES: tuple[Source, ...] = get_args(Source)

_THEME_FIELDS = {"label", "label_en", "description", "negatable", "scope", "keywords",
                 "context"}
_REQUIRED_TEXT = ("label", "label_en", "description")
_THEME_KEY = re.compile(r"^[a-z][a-z0-9_]*$")

#: A word, hyphenated compounds ("e-learning", "sama-sama") included.
_WORD_PATTERN = r"[^\W_]+(?:-[^\W_]+)*"
#: Particles and possessives ignored when a keyword is matched as written ("=atasan" matches
#: "atasannya"). Only stripped when at least four letters remain, so "ilmu" stays "ilmu".
_PARTICLE = re.compile(r"^(?P<base>\w{4,}?)(?:nya|lah|kah|pun|ku|mu)$")

#: Internal theme key of the codebook's ``ignore`` phrases, and the suffix of the internal
#: theme that holds a theme's ``context`` words.
_IGNORE = "__ignore__"
_CONTEXT = "__context"


class CodebookError(ValueError):
    """The codebook file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Theme:
    """One theme of the codebook."""

    key: str
    label: str
    label_en: str
    description: str
    keywords: tuple[str, ...]
    negatable: bool = False
    scope: tuple[str, ...] = SOURCES
    context: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    """Themes with their keywords and the negation rule.

    Attributes
    ----------
    themes : dict of str to Theme
        In the file's order.
    negators : frozenset of str
        Words that negate a keyword that follows within ``window`` words.
    window : int
        How many words before a keyword are searched for a negator.
    after : tuple of tuple of str
        Phrases that negate a keyword they directly follow ("kendala tidak ada").
    ignore : tuple of str
        Set phrases whose words never count as keywords ("semoga bermanfaat").
    path : str
        Where the codebook was read from.

    """

    themes: dict[str, Theme]
    negators: frozenset[str] = frozenset()
    window: int = 3
    after: tuple[tuple[str, ...], ...] = ()
    ignore: tuple[str, ...] = ()
    path: str = "<memory>"

    def keys(self, source: Source | None = None) -> list[str]:
        """Theme keys in file order, optionally only those coded in ``source``.

        Examples
        --------
        >>> "kesulitan_penerapan" in load_codebook().keys("wawancara")
        True

        """
        return [k for k, t in self.themes.items() if source is None or source in t.scope]

    def labels(self, lang: Lang = "id") -> dict[str, str]:
        """Map theme key → label in ``lang`` ("id" or "en").

        Examples
        --------
        >>> load_codebook().labels("en")["beban_kerja"]
        'Workload'

        """
        english = check_lang(lang) == "en"
        return {k: (t.label_en if english else t.label) for k, t in self.themes.items()}

    def table(self, lang: Lang = "id", n_examples: int = 4) -> pd.DataFrame:
        """Show the codebook: one row per theme, in file order.

        Columns ``tema``, ``label``, ``n_kata_kunci``, ``contoh_kata_kunci`` (the first
        ``n_examples`` keywords), ``n_konteks``, ``negatable``, ``scope`` (sources joined
        by "+").

        Examples
        --------
        >>> row = load_codebook().table("en").set_index("tema").loc["beban_kerja"]
        >>> row["label"], row["scope"]
        ('Workload', 'wawancara')

        """
        labels = self.labels(lang)
        return pd.DataFrame([
            {"tema": t.key, "label": labels[t.key], "n_kata_kunci": len(t.keywords),
             "contoh_kata_kunci": ", ".join(t.keywords[:n_examples]),
             "n_konteks": len(t.context), "negatable": t.negatable,
             "scope": "+".join(t.scope)}
            for t in self.themes.values()])


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _mapping_items(node: yaml.MappingNode, path: Path) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    """Key → (key node, value node) of a mapping node; duplicate keys are an error.

    PyYAML silently keeps the last of two equal keys; in a codebook that would lose a theme.
    """
    items: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key in items:
            raise CodebookError(
                f"{path}, line {_line(key_node)}: '{key}' appears twice (first at line "
                f"{_line(items[key][0])}). Merge the two entries or rename one."
            )
        items[key] = (key_node, value_node)
    return items


def _refuse_unknown(items: dict[str, tuple[yaml.Node, yaml.Node]], allowed, path: Path,
                    what: str) -> None:
    """Stop at the first key of ``items`` not in ``allowed``, naming its line.

    ``what`` says what the key is, with ``{key}`` for its name ("unknown section '{key}'").
    """
    unknown = sorted(set(items) - set(allowed))
    if unknown:
        raise CodebookError(f"{path}, line {_line(items[unknown[0]][0])}: "
                            f"{what.replace('{key}', unknown[0])}. Allowed: "
                            f"{', '.join(sorted(allowed))}.")


def _word_list(value: object, node: yaml.Node, what: str, path: Path) -> list[str]:
    """Return a YAML list of non-empty words/phrases, or raise a CodebookError naming the line."""
    if not isinstance(value, list):
        raise CodebookError(f"{path}, line {_line(node)}: {what} must be a list (lines "
                            "starting with '- ').")
    items = node.value if isinstance(node, yaml.SequenceNode) else []
    for item, item_node in zip(value, items, strict=False):
        if not isinstance(item, str | int) or not str(item).strip():
            raise CodebookError(f"{path}, line {_line(item_node)}: each entry of {what} must "
                                "be a non-empty word or phrase.")
    return [str(item).strip() for item in value]


def load_codebook(path: str | os.PathLike[str] = CODEBOOK_FILE) -> Codebook:
    """Read and check a codebook YAML file.

    Parameters
    ----------
    path : str or PathLike, default ``config/codebook.yaml``
        Relative paths are taken from the project root.

    Returns
    -------
    Codebook

    Raises
    ------
    CodebookError
        For invalid YAML, a missing ``themes`` mapping, a theme without keywords or labels,
        an unknown field, a duplicate key, or a bad negation setting — naming file and line.

    Examples
    --------
    >>> cb = load_codebook()
    >>> cb.themes["kesulitan_penerapan"].negatable
    True

    """
    path = resolve_path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: codebook not found. Copy the default from "
                                f"{CODEBOOK_FILE} and edit it.")
    text = path.read_text(encoding="utf-8")
    try:
        # The node tree gives line numbers for messages; safe_load gives the typed values.
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown line"
        raise CodebookError(f"{path}, {where}: invalid YAML ({exc.problem}). Check the "
                            "indentation and the colon after each key.") from exc
    if not isinstance(root, yaml.MappingNode):
        raise CodebookError(f"{path}, line 1: the codebook must be a mapping with a "
                            "'themes:' section.")
    top = _mapping_items(root, path)
    _refuse_unknown(top, {"themes", "negation", "ignore"}, path, "unknown section '{key}'")
    ignore: list[str] = []
    if "ignore" in top:
        ignore = _word_list(data["ignore"], top["ignore"][1], "ignore", path)
    if "themes" not in top or not isinstance(top["themes"][1], yaml.MappingNode):
        line = _line(top["themes"][0]) if "themes" in top else 1
        raise CodebookError(f"{path}, line {line}: 'themes:' must map each theme key to its "
                            "label, description and keywords.")

    themes: dict[str, Theme] = {}
    for key, (key_node, node) in _mapping_items(top["themes"][1], path).items():
        where = f"{path}, line {_line(key_node)}"
        if not _THEME_KEY.match(key):
            raise CodebookError(f"{where}: theme key '{key}' must be lower case letters, "
                                "digits and underscores, starting with a letter.")
        if not isinstance(node, yaml.MappingNode):
            raise CodebookError(f"{where}: theme '{key}' must be a mapping with label, "
                                "label_en, description and keywords.")
        fields = _mapping_items(node, path)
        value = data["themes"][key]
        _refuse_unknown(fields, _THEME_FIELDS, path,
                        f"theme '{key}' has an unknown field '{{key}}'")
        if "keywords" not in fields or value["keywords"] in (None, []):
            line = _line(fields["keywords"][0]) if "keywords" in fields else _line(key_node)
            raise CodebookError(f"{path}, line {line}: theme '{key}' has no keywords. Add a "
                                "'keywords:' list with at least one Indonesian word or phrase.")
        keywords = _word_list(value["keywords"], fields["keywords"][1],
                              f"the keywords of '{key}'", path)
        bad = [k for k in keywords if not re.findall(_WORD_PATTERN, k.lstrip("=").lower())]
        if bad:
            raise CodebookError(f"{path}, line {_line(fields['keywords'][0])}: keyword "
                                f"{bad[0]!r} of '{key}' has no letters or digits.")
        for name in _REQUIRED_TEXT:
            if not isinstance(value.get(name), str) or not value[name].strip():
                line = _line(fields[name][0]) if name in fields else _line(key_node)
                raise CodebookError(f"{path}, line {line}: theme '{key}' needs a non-empty "
                                    f"'{name}' (text).")
        negatable = value.get("negatable", False)
        if not isinstance(negatable, bool):
            raise CodebookError(f"{path}, line {_line(fields['negatable'][0])}: 'negatable' "
                                f"of '{key}' must be true or false.")
        scope: tuple[str, ...] = SOURCES
        if "scope" in fields:
            scope = tuple(_word_list(value["scope"], fields["scope"][1],
                                     f"the scope of '{key}'", path))
            wrong = sorted(set(scope) - set(SOURCES))
            if wrong or not scope:
                raise CodebookError(f"{path}, line {_line(fields['scope'][0])}: scope of "
                                    f"'{key}' must list {' and/or '.join(SOURCES)}, not "
                                    f"{wrong or 'nothing'}.")
        context: list[str] = []
        if "context" in fields:
            context = _word_list(value["context"], fields["context"][1],
                                 f"the context of '{key}'", path)
            if not context or not all(re.findall(_WORD_PATTERN, c.lstrip("=").lower())
                                      for c in context):
                raise CodebookError(f"{path}, line {_line(fields['context'][0])}: context of "
                                    f"'{key}' must list words or phrases (or be left out).")
        themes[key] = Theme(key, " ".join(value["label"].split()),
                            " ".join(value["label_en"].split()),
                            " ".join(value["description"].split()),
                            tuple(keywords), negatable, scope, tuple(context))
    if not themes:
        raise CodebookError(f"{path}, line {_line(top['themes'][0])}: no themes defined.")

    negators: list[str] = []
    after: list[str] = []
    window = 3
    if "negation" in top:
        neg_key, neg_node = top["negation"]
        neg_value = data["negation"]
        if not isinstance(neg_node, yaml.MappingNode):
            raise CodebookError(f"{path}, line {_line(neg_key)}: 'negation:' must hold "
                                "window, before and after.")
        neg = _mapping_items(neg_node, path)
        _refuse_unknown(neg, {"window", "before", "after"}, path,
                        "unknown negation field '{key}'")
        window = neg_value.get("window", window)
        if isinstance(window, bool) or not isinstance(window, int) or window < 0:
            raise CodebookError(f"{path}, line {_line(neg['window'][0])}: negation window "
                                "must be a whole number of words, 0 or more.")
        if "before" in neg:
            negators = _word_list(neg_value["before"], neg["before"][1], "negation.before",
                                  path)
        if "after" in neg:
            after = _word_list(neg_value["after"], neg["after"][1], "negation.after", path)
    return Codebook(
        themes=themes,
        negators=frozenset(n.lower() for n in negators),
        window=int(window),
        after=tuple(tuple(re.findall(_WORD_PATTERN, a.lower())) for a in after),
        ignore=tuple(ignore),
        path=str(path),
    )


__all__ = ["SOURCES", "Source", "Theme", "Codebook", "CodebookError", "load_codebook"]
