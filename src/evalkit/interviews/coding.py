"""Automatic coding: Sastrawi stems, keyword phrases, negation, context, set phrases.

Texts are split into words and clauses once (pandas string methods and one ``explode``);
each distinct word is stemmed once (Sastrawi is slow, texts repeat words); keyword phrases
are found by joining word codes with the phrases' first words and checking the following
words with array indexing — no Python loop over texts.

Examples
--------
>>> import pandas as pd
>>> from evalkit.interviews.codebook import load_codebook
>>> coded = code_texts(pd.Series(["Saya kesulitan menerapkan materi.",
...                               "Tidak ada kendala, sangat bermanfaat."]), load_codebook())
>>> coded[["kesulitan_penerapan", "dampak_positif"]].to_numpy().tolist()
[[1, 0], [0, 1]]

"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evalkit.interviews.codebook import (
    _CONTEXT,
    _IGNORE,
    _PARTICLE,
    _WORD_PATTERN,
    Codebook,
    Source,
)
from evalkit.interviews.transcripts import position_type

#: Words (with hyphenated compounds such as "e-learning") and the punctuation that ends a
#: clause or a sentence. Negation and phrases never reach across a clause end; context words
#: are looked for in the same sentence.
_TOKEN_PATTERN = _WORD_PATTERN + r"|[.,;:!?…]"
_CLAUSE_END = np.array(list(".,;:!?…"), dtype=object)
_SENTENCE_END = np.array(list(".!?…"), dtype=object)


@functools.lru_cache(maxsize=1)
def _stemmer():
    """Return the Sastrawi stemmer, built once (its dictionary takes a moment to load)."""
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


#: Stems of every word seen in this process; Sastrawi is slow (~0.1–1 ms a word), so each
#: distinct word is stemmed once and reused across calls.
_STEM_CACHE: dict[str, str] = {}


def stem_words(words: Iterable[str]) -> dict[str, str]:
    """Map each distinct word to its Sastrawi stem (cached for the session).

    Examples
    --------
    >>> stem_words(["menerapkan", "penerapan", "kesulitan"])
    {'menerapkan': 'terap', 'penerapan': 'terap', 'kesulitan': 'sulit'}

    """
    words = list(dict.fromkeys(words))
    missing = [w for w in words if w not in _STEM_CACHE]
    if missing:
        stemmer = _stemmer()
        # A loop over the distinct words only (thousands, not the millions of tokens):
        # Sastrawi has no batch interface.
        _STEM_CACHE.update({w: (stemmer.stem(w) or w) for w in missing})
    return {w: _STEM_CACHE[w] for w in words}


def _surface(words: np.ndarray) -> np.ndarray:
    """Words as written, without a trailing particle or possessive (for '=' keywords)."""
    return pd.Series(words, dtype=object).str.replace(_PARTICLE, r"\g<base>", regex=True
                                                      ).to_numpy(dtype=object)


@dataclass
class _Tokens:
    doc: np.ndarray  # position of the text each token belongs to
    clause: np.ndarray  # clause id, unique across texts
    sentence: np.ndarray  # sentence id, unique across texts
    word: np.ndarray  # index into ``vocab``
    vocab: np.ndarray  # distinct lower-case words


def _tokenize(texts: pd.Series) -> _Tokens:
    lower = pd.Series(texts.to_numpy(), dtype="str").fillna("").str.lower()
    lists = lower.str.findall(_TOKEN_PATTERN)
    exploded = lists.explode().dropna()
    doc = exploded.index.to_numpy(dtype=np.int64)
    # Work on codes of the distinct tokens: comparisons against the small vocabulary, not
    # the millions of tokens, are what keeps this fast.
    codes, uniques = pd.factorize(exploded.to_numpy(dtype=object))
    uniques = np.asarray(uniques, dtype=object)
    punct = np.isin(uniques, _CLAUSE_END)
    is_end = punct[codes]
    is_stop = np.isin(uniques, _SENTENCE_END)[codes]
    n = len(doc)
    new_doc = np.r_[True, doc[1:] != doc[:-1]] if n else np.zeros(0, bool)
    clause = np.cumsum(new_doc | (np.r_[False, is_end[:-1]] if n else new_doc))
    sentence = np.cumsum(new_doc | (np.r_[False, is_stop[:-1]] if n else new_doc))
    keep = ~is_end
    renumber = np.full(len(uniques), -1, dtype=np.int64)
    renumber[~punct] = np.arange(int((~punct).sum()))
    return _Tokens(doc[keep], clause[keep], sentence[keep], renumber[codes[keep]],
                   uniques[~punct])


def _keyword_table(codebook: Codebook, themes: Sequence[str]) -> pd.DataFrame:
    """One row per distinct (theme, stemmed phrase); tokens as (kind, text) pairs."""
    rows = []
    entries = [(key, kw) for key in themes for kw in codebook.themes[key].keywords]
    entries += [(key + _CONTEXT, kw) for key in themes for kw in codebook.themes[key].context]
    entries += [(_IGNORE, phrase) for phrase in codebook.ignore]
    for key, keyword in entries:
        parts = re.findall(r"=?" + _WORD_PATTERN, keyword.lower())
        rows.append((key, keyword, tuple(parts)))
    table = pd.DataFrame(rows, columns=["tema", "kata_kunci", "parts"])
    plain = sorted({p for parts in table["parts"] for p in parts if not p.startswith("=")})
    stems = stem_words(plain)
    surfaces = dict(zip(
        [p for parts in table["parts"] for p in parts if p.startswith("=")],
        _surface(np.array([p[1:] for parts in table["parts"] for p in parts
                           if p.startswith("=")], dtype=object)), strict=True))
    table["key"] = [tuple(("s", surfaces[p]) if p.startswith("=") else ("t", stems[p])
                          for p in parts) for parts in table["parts"]]
    # "kesulitan" and "sulit" share the stem "sulit": keep one row so a word counts once.
    return table.drop_duplicates(["tema", "key"]).reset_index(drop=True)


def match_keywords(texts: pd.Series, codebook: Codebook,
                   source: Source | None = None) -> pd.DataFrame:
    """Every keyword match in ``texts``, with whether it is negated.

    Parameters
    ----------
    texts : pandas.Series of str
        Any index; missing texts have no matches.
    codebook : Codebook
        Themes, keywords and negation rules (:func:`~evalkit.interviews.load_codebook`).
    source : {"wawancara", "saran"}, optional
        Only themes whose scope includes ``source``.

    Returns
    -------
    pandas.DataFrame
        ``doc`` (index label of the text), ``tema``, ``kata_kunci`` (as in the codebook),
        ``posisi`` (word position in the text), ``dinegasi`` (bool), ``tanpa_konteks``
        (bool: the theme needs a context word in the sentence and has none). A match counts
        when both are false. One row per theme and position (two keywords of a theme
        starting at the same word count once).

    Examples
    --------
    >>> from evalkit.interviews import load_codebook
    >>> m = match_keywords(pd.Series(["Tidak ada kendala."]), load_codebook())
    >>> m[["tema", "kata_kunci", "dinegasi"]].to_numpy().tolist()
    [['kesulitan_penerapan', 'kendala', True]]

    """
    themes = codebook.keys(source)
    kw = _keyword_table(codebook, themes)
    tok = _tokenize(texts)
    columns = ["doc", "tema", "kata_kunci", "posisi", "dinegasi", "tanpa_konteks"]
    n = len(tok.word)
    if n == 0 or kw.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
            columns, [texts.index.dtype, "str", "str", "int64", "bool", "bool"], strict=True)})

    # Per distinct word: its stem and its surface form; then codes shared with the keywords.
    stems = stem_words(tok.vocab)
    vocab_stem = np.array([stems[w] for w in tok.vocab], dtype=object)
    vocab_surface = _surface(tok.vocab)
    kw_tokens = [t for key in kw["key"] for t in key]
    stem_codes = pd.Index(pd.unique(np.r_[vocab_stem, [v for k, v in kw_tokens if k == "t"]]))
    surf_codes = pd.Index(pd.unique(np.r_[vocab_surface, [v for k, v in kw_tokens if k == "s"]]))
    word_stem = stem_codes.get_indexer(vocab_stem)[tok.word]
    word_surf = surf_codes.get_indexer(vocab_surface)[tok.word]

    max_len = int(kw["key"].map(len).max())
    n_kw = len(kw)
    kw_len = kw["key"].map(len).to_numpy()
    kw_kind = np.zeros((n_kw, max_len), dtype=bool)  # True: match the surface form
    kw_code = np.full((n_kw, max_len), -1, dtype=np.int64)
    for p, key in enumerate(kw["key"]):  # loop over keywords (a hundred or so), not texts
        for k, (kind, value) in enumerate(key):
            kw_kind[p, k] = kind == "s"
            kw_code[p, k] = (surf_codes if kind == "s" else stem_codes).get_loc(value)

    # Candidates: tokens equal to a keyword's first word (a join, not a scan per keyword).
    token_frame = pd.DataFrame({"i": np.arange(n), "t": word_stem, "s": word_surf})
    first = pd.DataFrame({"p": np.arange(n_kw), "kind": kw_kind[:, 0], "code": kw_code[:, 0]})
    cand = pd.concat([
        token_frame.merge(first[~first["kind"]], left_on="t", right_on="code")[["i", "p"]],
        token_frame.merge(first[first["kind"]], left_on="s", right_on="code")[["i", "p"]],
    ], ignore_index=True)
    i = cand["i"].to_numpy()
    p = cand["p"].to_numpy()
    ok = np.ones(len(i), dtype=bool)
    for k in range(1, max_len):  # the remaining words of each phrase, within its clause
        j = np.minimum(i + k, n - 1)
        code_at_j = np.where(kw_kind[p, k], word_surf[j], word_stem[j])
        same_clause = (i + k < n) & (tok.clause[j] == tok.clause[i])
        ok &= (kw_len[p] <= k) | (same_clause & (code_at_j == kw_code[p, k]))
    i, p = i[ok], p[ok]

    # Set phrases of the `ignore` list: their words are no keyword ("semoga bermanfaat").
    is_ignore = kw["tema"].eq(_IGNORE).to_numpy()[p]
    ignored = np.zeros(n, dtype=bool)
    for k in range(max_len):
        start = i[is_ignore & (kw_len[p] > k)]
        ignored[start + k] = True
    keep = ~is_ignore & ~ignored[i]
    i, p = i[keep], p[keep]

    # Negation before: a negator within `window` words before the keyword, same clause.
    is_negator = np.isin(tok.vocab, list(codebook.negators))[tok.word]
    negated = np.zeros(len(i), dtype=bool)
    for w in range(1, codebook.window + 1):
        j = np.maximum(i - w, 0)
        negated |= (i - w >= 0) & (tok.clause[j] == tok.clause[i]) & is_negator[j]
    # Negation after: one of the `after` phrases directly follows the keyword.
    end = i + kw_len[p]
    vocab_index = pd.Index(tok.vocab)
    for phrase in codebook.after:
        hit = np.ones(len(i), dtype=bool)
        for k, word in enumerate(phrase):
            j = np.minimum(end + k, n - 1)
            code = vocab_index.get_indexer([word])[0]
            hit &= (end + k < n) & (tok.clause[j] == tok.clause[i]) & (tok.word[j] == code)
        negated |= hit
    # Context words are always negatable: "tidak perlu" is no need, "kurang dukungan" no
    # support.
    negatable = kw["tema"].map({**{k: codebook.themes[k].negatable for k in themes},
                                **{k + _CONTEXT: True for k in themes}}
                               ).fillna(False).to_numpy(bool)
    negated &= negatable[p]

    out = pd.DataFrame({
        "doc": texts.index.to_numpy()[tok.doc[i]],
        "tema": kw["tema"].to_numpy(object)[p],
        "kata_kunci": kw["kata_kunci"].to_numpy(object)[p],
        "posisi": i - np.searchsorted(tok.doc, tok.doc[i]),
        "dinegasi": negated,
        "_order": tok.doc[i],
        "_clause": tok.clause[i],
        "_sentence": tok.sentence[i],
    })
    # A negated keyword cancels its theme for the whole clause: in "atasan saya tidak
    # mendukung" the un-negated "atasan" must not make the clause supervisor support.
    out["dinegasi"] = out.groupby(["_clause", "tema"], sort=False)["dinegasi"].transform("any")
    # A theme with context words counts only in a sentence that also has one of them, not
    # negated ("atasan" needs "mendukung", "menanyakan", …; "sarana" needs "rusak", …).
    is_context = out["tema"].str.endswith(_CONTEXT).to_numpy()
    found = out.loc[is_context & ~out["dinegasi"].to_numpy(), ["_sentence", "tema"]]
    found = pd.MultiIndex.from_arrays([found["_sentence"].to_numpy(),
                                       found["tema"].str.removesuffix(_CONTEXT).to_numpy()])
    needs = out["tema"].map({k: bool(codebook.themes[k].context) for k in themes})
    needs = needs.fillna(False).to_numpy(bool)
    has = pd.MultiIndex.from_arrays([out["_sentence"].to_numpy(),
                                     out["tema"].to_numpy()]).isin(found)
    out["tanpa_konteks"] = needs & ~has
    out = out[~is_context]
    theme_order = {k: n for n, k in enumerate(themes)}
    out["_theme"] = out["tema"].map(theme_order)
    # Where two keywords of one theme start at the same word, an un-negated one wins.
    out = (out.sort_values(["_order", "_theme", "posisi", "dinegasi", "kata_kunci"])
              .drop_duplicates(["_order", "tema", "posisi"]))
    out = out.drop(columns=["_order", "_theme", "_clause", "_sentence"]).reset_index(drop=True)
    return out.astype({"tema": "str", "kata_kunci": "str"})


def code_texts(texts: pd.Series, codebook: Codebook, source: Source | None = None,
               counts: bool = False) -> pd.DataFrame:
    """Code each text by theme: 1 when a keyword matches and is not negated.

    Parameters
    ----------
    texts : pandas.Series of str
        The texts; any index, missing texts code as no theme.
    codebook : Codebook
        Themes, keywords and negation rules (:func:`~evalkit.interviews.load_codebook`).
    source : {"wawancara", "saran"}, optional
        Only themes whose scope includes ``source``.
    counts : bool, default False
        Return the number of un-negated matches instead of 0/1.

    Returns
    -------
    pandas.DataFrame
        Index of ``texts``, one ``int`` column per theme in codebook order.

    Examples
    --------
    >>> from evalkit.interviews import load_codebook
    >>> code_texts(pd.Series(["Bukan masalah."]), load_codebook())["kesulitan_penerapan"].iloc[0]
    np.int64(0)

    """
    themes = codebook.keys(source)
    # Work on positions so a repeated index label cannot merge two texts.
    positional = pd.Series(texts.to_numpy(), index=pd.RangeIndex(len(texts)))
    matches = match_keywords(positional, codebook, source)
    kept = matches[~matches["dinegasi"] & ~matches["tanpa_konteks"]]
    n_matches = np.zeros((len(texts), len(themes)), dtype=np.int64)
    np.add.at(n_matches, (kept["doc"].to_numpy(np.int64),
                          pd.Index(themes).get_indexer(kept["tema"])), 1)
    table = pd.DataFrame(n_matches, index=texts.index, columns=pd.Index(themes, name="tema"))
    return table if counts else table.clip(upper=1)


# --- interviews ------------------------------------------------------------------------------

_SEGMENT_KEYS = ["kode_informan", "segmen"]
_SEGMENT_INFO = ["unit", "jabatan", "nama_pelatihan"]


def code_segments(segments: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Code every informant turn of ``wawancara_segmen`` by the interview themes.

    Parameters
    ----------
    segments : pandas.DataFrame
        The processed table ``wawancara_segmen`` (interviewer turns, ``segmen`` 0, are
        skipped: the questions are not the informant's words).
    codebook : Codebook
        Themes, keywords and negation rules (:func:`~evalkit.interviews.load_codebook`).

    Returns
    -------
    pandas.DataFrame
        One row per informant segment × theme: ``kode_informan``, ``unit``, ``jabatan``,
        ``nama_pelatihan``, ``jenis_jabatan`` (:func:`position_type`), ``segmen``, ``tema``,
        ``otomatis`` (0/1), ``n_kata_kunci`` (un-negated keyword matches). Sorted by
        informant, segment, codebook order.

    Examples
    --------
    >>> from evalkit.interviews import load_codebook
    >>> seg = pd.DataFrame({"kode_informan": ["INF-001"] * 2, "unit": ["A"] * 2,
    ...     "jabatan": ["Pelaksana"] * 2, "nama_pelatihan": ["X"] * 2, "segmen": [0, 1],
    ...     "pembicara": ["P", "I"], "teks": ["Ada kendala?", "Tidak ada kendala."]})
    >>> coded = code_segments(seg, load_codebook())
    >>> coded.query("tema == 'kesulitan_penerapan'")["otomatis"].tolist()
    [0]

    """
    missing = sorted(set(_SEGMENT_KEYS + _SEGMENT_INFO + ["pembicara", "teks"])
                     - set(segments.columns))
    if missing:
        raise KeyError(f"wawancara_segmen: column(s) {missing} missing; expected the table of "
                       "docs/data-contract.md (run 01-clean-raw-data).")
    informant = segments[segments["pembicara"].eq("I") & segments["segmen"].ge(1)]
    informant = informant.reset_index(drop=True)
    counts = code_texts(informant["teks"], codebook, source="wawancara", counts=True)
    long = counts.stack().rename("n_kata_kunci").reset_index(level="tema")
    base = informant[_SEGMENT_KEYS + _SEGMENT_INFO].assign(
        jenis_jabatan=position_type(informant["jabatan"]))
    out = base.loc[long.index].reset_index(drop=True)
    out["tema"] = long["tema"].astype("str").to_numpy()
    out["n_kata_kunci"] = long["n_kata_kunci"].to_numpy(np.int64)
    out["otomatis"] = (out["n_kata_kunci"] > 0).astype(np.int8)
    out["segmen"] = out["segmen"].astype("int64")
    order = {k: n for n, k in enumerate(codebook.keys("wawancara"))}
    out = out.sort_values(["kode_informan", "segmen", "tema"],
                          key=lambda s: s.map(order) if s.name == "tema" else s)
    return out[["kode_informan", *_SEGMENT_INFO, "jenis_jabatan", "segmen", "tema",
                "otomatis", "n_kata_kunci"]].reset_index(drop=True)


__all__ = ["stem_words", "match_keywords", "code_texts", "code_segments"]
