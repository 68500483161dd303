"""Redaction of free text: NIP, NIK, phone numbers, e-mail addresses and names.

Survey suggestions, interview turns and quarantined free text pass through :func:`redact`
before they are stored; :class:`KnownNames` adds the roster's full names.

Examples
--------
>>> import pandas as pd
>>> redact(pd.Series(["Hubungi Ibu Sari di 0812-3456-7890"])).iloc[0]
'Hubungi Ibu [NAMA] di [TELEPON]'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

# --- redaction -----------------------------------------------------------------------------
# Own patterns rather than a library: the PII tools we know (e.g. Presidio) need a spaCy
# model and have no Indonesian recognisers for NIP/NIK or forms of address. Order matters:
# e-mail first; NIP (18 digits) before NIK (16) before phone numbers, so a NIP is not
# called a phone number; numbers before names.
# (starts only at the beginning of a token: without the look-behind, a long word without
# "@" is rescanned from each of its characters, quadratic time)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Separators people type inside numbers: space, dot, dash.
_SEP = r"[ .\-]"
# NIP: 18 digits, optionally grouped 8 6 1 3 (19780717 201001 2 012, 19780717-201001-2-012).
_NIP = re.compile(rf"(?<!\d)(?:\d{{8}}{_SEP}?\d{{6}}{_SEP}?\d{_SEP}?\d{{3}})(?!\d)")
# NIK: 16 digits, optionally grouped 4-4-4-4 (one separator throughout) or 6-6-4.
_NIK = re.compile(rf"(?<!\d)(?:\d{{4}}({_SEP}?)\d{{4}}\1\d{{4}}\1\d{{4}}"
                  rf"|\d{{6}}{_SEP}\d{{6}}{_SEP}\d{{4}})(?!\d)")
# Not inside a longer number or an amount ("Rp 1.050.000", "92.08"): no digit, letter, "+"
# or "digit then . or ," just before.
_NOT_IN_NUMBER = r"(?<![\w+])(?<!\d[.,])"
# Mobile numbers: +62 / (+62) / 62 / 0 / (0, then 8 and 7–11 more digits; between digits at
# most two of space . - ( ) ("0812.3456.7890", "(0812) 3456 7890", "(+62)81234567890").
_MOBILE = (r"(?:\(\+?62\)|\+62|62|\(0|0)[ .\-]?8(?:[ .\-()]{0,2}\d){7,11}")
# Landlines: area code 0 + 2–3 digits not starting with 8 (0271, 021, 0361), optionally in
# parentheses or after +62, then 5–8 digits, possibly split once ("0271-123456",
# "(0271) 123456", "021 555 1234").
_LANDLINE = (r"(?:\(0[2-79]\d{1,2}\)|0[2-79]\d{1,2}|\(?\+?62\)?[ .\-]?\(?[2-79]\d{1,2}\)?)"
             r"[ .\-]?\d{2,4}[ .\-]?\d{3,4}")
_PHONE = re.compile(rf"{_NOT_IN_NUMBER}(?:{_MOBILE}|{_LANDLINE})(?!\d)")

# Names. A name is recognised only after a cue: a form of address (Bapak, Ibu, Pak, Bu,
# Mas, Mbak, Saudara/i), "bernama", "namanya", "nama saya", "Nama:", an honorific or
# academic title (H., Hj., dr., Dr., Drs., Dra., Ir., Prof.), or "saya" + a capitalised word.
# Cues match in any case; a name is 1–5 Capitalised words, 1–5 UPPER-CASE words or 1–3
# lower-case words (hyphenated parts and apostrophes allowed), optionally followed by
# degrees ("S.Kom", "M.Si"). Lower-case text is ambiguous ("pak budi" vs "pak sudah
# datang"): a word of :data:`NAME_STOPWORDS` never starts or continues a name, nor does a
# lower/upper-case word that looks like a derived verb or a possessive (me-, ber-, ter-,
# per-; -kan, -nya, -lah, -kah).
_TITLE = r"(?i:bapak|ibu|pak|bu|mas|mbak|saudara|saudari|sdr|sdri)"
_CUE = r"(?i:nama\s+saya|namanya|bernama|nama\s*:)"
_HONORIFIC = r"(?:(?i:dr|drs|dra|ir|prof|hj|h)\.|Dr|Drs|Dra|Ir|Prof|Hj)"

#: Words that end a name after a form of address (matched in any case). Function words,
#: common verbs/adjectives that follow "Pak"/"Bu" in ordinary speech, and roles ("Pak RT",
#: "Ibu Kepala", "ibu rumah tangga", "ibu kota"), and the forms of address themselves
#: ("Bapak Ibu sekalian").
NAME_STOPWORDS = frozenset("""
dan atau yang yg di ke dari untuk utk dengan dgn pada kepada oleh itu ini tsb tersebut juga
sudah sdh telah belum blm sedang lagi akan masih tidak tdk tak gak nggak enggak bukan jangan
sangat amat sekali lebih paling cukup kurang saja aja pun ya iya yah sih dong kok deh nah lho
kan tapi tetapi namun karena krn kalau kalo jika bila agar supaya sebagai selaku bisa dapat
mau ingin harus perlu boleh punya ada adalah ialah selalu sering kadang pernah baru semua para
mereka kami kita saya aku dia beliau anda sendiri sehari-hari tentang atas bagi seperti
setelah sebelum saat ketika waktu sejak hingga sampai bahwa apa siapa bagaimana kapan mana
mengapa kenapa berapa tadi nanti kemarin besok sekarang dulu pula hanya cuma langsung tolong
mohon terima kasih selamat pagi siang sore malam bilang kata tanya minta datang pergi pulang
lihat dengar tahu rasa pikir kira suka senang sakit sibuk ramah baik sabar cepat lambat
temui alami hadapi ikut ikuti pakai jadi buat kerja bantu terus sama juga
kepala kabid kasi kasubag kasubbag kadis sekda sekretaris camat lurah kades kadus rt rw guru
dokter bidan perawat petugas pegawai staf staff pejabat pimpinan atasan direktur wali
walikota bupati gubernur menteri presiden kota rumah hamil menyusui negara kandung asn pns
pppk pkk dosen polisi tni
bapak ibu pak bu mas mbak saudara saudari sdr sdri sekalian semuanya
""".split())
_STOP = r"(?i:" + "|".join(sorted(map(re.escape, NAME_STOPWORDS), key=len, reverse=True)) + \
    r")(?![\w'’-])"
_END = r"(?![\w'’])"
_DERIVED = (r"(?i:(?:mem|men|meng|meny|ber|ter|per)[a-z]{2,}(?![\w'’-])"
            r"|[a-z]+(?:kan|nya|lah|kah)(?![\w'’-]))")
_CAP_WORD = rf"(?!{_STOP})[A-Z][a-z'’]+(?:-[A-Za-z][a-z'’]*)*{_END}"
_UPPER_WORD = rf"(?!{_STOP})(?!{_DERIVED})[A-Z]{{2,}}(?:-[A-Z]+)*{_END}"
_LOWER_WORD = rf"(?!{_STOP})(?!{_DERIVED})[a-z]{{2,}}(?:-[a-z]+)*{_END}"
_DEGREES = r"(?:,?[ \t]*(?:[SMD]\d?\.[ \t]?[A-Z][A-Za-z]{0,4}\.?|A\.?[ \t]?Md\.?))*"
_CAP_NAME = rf"{_CAP_WORD}(?:[ \t]+{_CAP_WORD}){{0,4}}"
_ANY_NAME = (rf"(?:{_CAP_NAME}|{_UPPER_WORD}(?:[ \t]+{_UPPER_WORD}){{0,4}}"
             rf"|{_LOWER_WORD}(?:[ \t]+{_LOWER_WORD}){{0,2}})")
# "Bapak H. Ahmad Fauzi", "pak budi", "PAK BUDI", "petugas bernama Joko Widodo"; not the
# second half of "bapak-bapak" (a plural, not a form of address)
_NAME = re.compile(rf"(?<![\w'’-])(?P<lead>(?:{_TITLE}|{_CUE})(?:\s+{_HONORIFIC})*\s+)"
                   rf"(?P<name>{_ANY_NAME}){_DEGREES}")
# "dr. Andi", "Ir. Joko Santoso, M.T." without a form of address: capitalised names only
_NAME_HONORIFIC = re.compile(rf"(?<![\w.])(?P<lead>{_HONORIFIC}(?:\s+{_HONORIFIC})*\s+)"
                             rf"(?P<name>{_CAP_NAME}){_DEGREES}")
# "saya Budi": only a capitalised word ("saya sangat senang" is ordinary text)
_NAME_SAYA = re.compile(rf"(?<![\w'’-])(?P<lead>(?i:saya)\s+)(?P<name>{_CAP_NAME})")
_NAME_REPL = r"\g<lead>[NAMA]"

# Anything a pattern above could match: an @, a run of 7+ digits (with separators), or a
# cue. RE2-compatible, so pandas runs it vectorised on Arrow strings.
_CANDIDATE = (r"@|\d[\d .\-()]{5,}\d|(?i:\b(?:bapak|ibu|pak|bu|mas|mbak|saudara|saudari|"
              r"sdr|sdri|dr|drs|dra|ir|prof|hj|h|saya|nama|namanya|bernama)\b)")

# --- names of known people (the personnel roster) ------------------------------------------
# A cue-based pattern cannot see "petugas Joko Santoso tidak ramah"; the roster can. One regex
# of thousands of names is slow (Python's engine tries every alternative at every position;
# RE2 took 42 s for 6,000 names on 100,000 texts and refused 100,000 names), so the texts are
# split into words with Arrow kernels and their word sequences looked up in sets; only the
# few texts with a hit are then rewritten, word by word (the same lookups, in Python).
_WORD = re.compile(r"[\w'’-]+")
_NOT_WORD_RE2 = r"[^\pL\pN_'’-]+"   # the separators of _WORD, for Arrow's RE2
_DEGREES_AFTER = re.compile(_DEGREES)
_HONORIFIC_PREFIX = re.compile(r"^(?:(?:dr|drs|dra|ir|prof|hj|h)\.\s*)+", re.IGNORECASE)


class KnownNames:
    """Full names of known people (e.g. the personnel roster), for :func:`redact`.

    Names are taken without honorifics before them and degrees after the first comma
    ("Dr. Budi Santoso, M.Si." → "Budi Santoso"). A name of several words is recognised in
    free text in any case, with any spacing or punctuation between its words; a one-word
    name only when written Capitalised or in capitals (as a name, not as the ordinary word
    it may also be). The names stay in memory: they are never written anywhere.

    Examples
    --------
    >>> names = KnownNames(["Dr. Budi Santoso, M.Si.", "Sutrisno"])
    >>> len(names)
    2
    >>> names.replace_in("Kata budi  santoso, M.Si: tanya SUTRISNO, bukan sutrisno.")
    'Kata [NAMA]: tanya [NAMA], bukan sutrisno.'
    """

    def __init__(self, names: Iterable[str]):
        plain = pd.Series(list(names), dtype="str").dropna()
        plain = (plain.str.replace(_HONORIFIC_PREFIX, "", regex=True).str.split(",").str[0]
                 .str.findall(_WORD).str.join(" ").str.casefold())
        plain = plain[plain.str.len() >= 2]
        words = plain.str.count(" ") + 1
        self._by_length = {int(n): frozenset(group)
                           for n, group in sorted(plain.groupby(words), reverse=True)}

    def __len__(self) -> int:
        return sum(len(group) for group in self._by_length.values())

    def _is_name(self, words: list[str]) -> bool:
        key = " ".join(words).casefold()
        return key in self._by_length.get(len(words), ()) and (len(words) > 1
                                                               or words[0][:1].isupper())

    def found_in(self, text: pd.Series) -> np.ndarray:
        """Positions of the texts that hold a known name (vectorised, Arrow kernels)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        values = pa.array(text.astype("str").array)   # Arrow-backed: no Python objects
        lists = pc.utf8_split_whitespace(pc.replace_substring_regex(values, _NOT_WORD_RE2, " "))
        words = pc.list_flatten(lists)
        lower = pc.utf8_lower(words)
        owner = pc.list_parent_indices(lists).to_numpy()
        hits = [np.array([], dtype=owner.dtype)]
        for length, group in self._by_length.items():
            n = len(words) - length + 1
            if n <= 0:
                continue
            keys = (pc.binary_join_element_wise(*[lower.slice(j, n) for j in range(length)],
                                                pa.scalar(" ", pa.large_string()))
                    if length > 1 else lower)
            hit = pc.is_in(keys, value_set=pa.array(sorted(group), pa.large_string()))
            hit = hit.to_numpy(zero_copy_only=False) & (owner[:n] == owner[length - 1:])
            if length == 1:   # a one-word name counts only when written as a name
                first = pc.utf8_slice_codeunits(words, 0, 1)
                hit &= pc.utf8_is_upper(first).to_numpy(zero_copy_only=False)
            hits.append(owner[:n][hit])
        return np.unique(np.concatenate(hits))

    def replace_in(self, text: str) -> str:
        """``text`` with every known name (and degrees after it) replaced by ``[NAMA]``."""
        spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        words = [text[a:b] for a, b in spans]
        out, done, i = [], 0, 0
        while i < len(words):
            length = next((n for n in self._by_length
                           if i + n <= len(words) and self._is_name(words[i:i + n])), 0)
            if length:
                end = _DEGREES_AFTER.match(text, spans[i + length - 1][1]).end()
                out += [text[done:spans[i][0]], "[NAMA]"]
                done = end
                i += length
                while i < len(words) and spans[i][0] < end:   # words inside the degrees
                    i += 1
            else:
                i += 1
        return "".join(out) + text[done:]


def redact(text_series: pd.Series | Sequence[str], names: KnownNames | None = None
           ) -> pd.Series:
    """Replace personal data in free text by placeholders.

    E-mail addresses → ``[EMAIL]``; NIP (18 digits; spaces, dots or dashes between the
    8-6-1-3 groups) → ``[NIP]``; NIK (16 digits, plain or grouped 4-4-4-4 / 6-6-4) →
    ``[NIK]``; mobile numbers (+62…, (+62)…, 62…, 08…, (08xx)…) and landlines with an area
    code (0271-123456, (0271) 123456) → ``[TELEPON]``; a name after a cue → ``[NAMA]``
    (the cue and honorifics stay, degrees after the name go). Cues: forms of address
    (Bapak, Ibu, Pak, Bu, Mas, Mbak, Saudara/i, in any case), "bernama", "namanya",
    "nama saya", "Nama:", honorifics (H., Hj., dr., Drs., Ir., Prof.) and "saya" before a
    capitalised word. With ``names`` (the roster's, :class:`KnownNames`), every full name of
    a known person is replaced too, with or without a cue.

    Limitations: names without a cue are recognised only when ``names`` holds them in full
    (a first name alone, or a citizen's name, is not); in lower-case text a word after
    "pak"/"bu" that is not in :data:`NAME_STOPWORDS` and does not look like a derived verb
    is taken for a name ("pak budi" → "pak [NAMA]", but also "bu ani cantik" → "bu
    [NAMA]"), so an ordinary word can be masked and a name that is also a stop word
    ("Pak Jadi") is missed; place names built on a title ("RSUD Ibu Fatmawati") are masked.
    Redaction lowers the risk, it does not remove the need to review quotes before
    publishing them.

    Parameters
    ----------
    text_series : Series or sequence of str
    names : KnownNames, optional
        Full names of known people to replace wherever they occur.

    Returns
    -------
    pandas.Series
        Same index; missing values stay missing.

    Examples
    --------
    >>> import pandas as pd
    >>> redact(pd.Series(["saya Budi, NIP 19780717 201001 2 012, budi@mail.id"])).iloc[0]
    'saya [NAMA], NIP [NIP], [EMAIL]'
    >>> redact(pd.Series(["Bapak H. Ahmad Fauzi, S.Kom di (0271) 123456"])).iloc[0]
    'Bapak H. [NAMA] di [TELEPON]'
    >>> redact(pd.Series(["pak budi sudah datang, antri 20 menit, Rp 50.000"])).iloc[0]
    'pak [NAMA] sudah datang, antri 20 menit, Rp 50.000'
    >>> roster = KnownNames(["Joko Santoso, S.Kom."])
    >>> redact(pd.Series(["petugas JOKO SANTOSO tidak ramah"]), names=roster).iloc[0]
    'petugas [NAMA] tidak ramah'
    """
    series = (text_series if isinstance(text_series, pd.Series)
              else pd.Series(list(text_series), dtype="str"))
    text = series.astype("str")
    # The patterns need Python's regex engine (look-behind, back-references), which pandas
    # runs per value; a cheap vectorised pre-filter picks the values that could hold
    # anything to redact at all.
    maybe = text.str.contains(_CANDIDATE, regex=True).fillna(False).to_numpy(dtype=bool)
    if maybe.any():
        part = text.iloc[maybe]
        part = part.str.replace(_EMAIL, "[EMAIL]", regex=True)
        part = part.str.replace(_NIP, "[NIP]", regex=True)
        part = part.str.replace(_NIK, "[NIK]", regex=True)
        part = part.str.replace(_PHONE, "[TELEPON]", regex=True)
        part = part.str.replace(_NAME, _NAME_REPL, regex=True)
        part = part.str.replace(_NAME_HONORIFIC, _NAME_REPL, regex=True)
        part = part.str.replace(_NAME_SAYA, _NAME_REPL, regex=True)
        text.iloc[maybe] = part.array   # by position: the index may repeat labels
    # after the cues: a placeholder would make a text a candidate for them ("[NAMA]")
    if names is not None and len(names) and len(text):
        rows = names.found_in(text)
        if len(rows):   # a few texts: rewritten one by one
            text.iloc[rows] = [names.replace_in(value) for value in text.iloc[rows]]
    return text.where(series.notna().to_numpy())


__all__ = ["KnownNames", "NAME_STOPWORDS", "redact"]
