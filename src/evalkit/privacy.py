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


def suppress_small_cells(table: pd.DataFrame, count_cols: str | Sequence[str],
                         min_n: int = 5, value_cols: Sequence[str] | None = None,
                         partition: str | Sequence[str] | None = None) -> pd.DataFrame:
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
    partition : str or sequence of str, optional
        When the rows of a group add up to a total a reader knows (a unit's categories, the
        units of a city), a single blanked row could be worked back as total − the others:
        the group key column(s) here turn on complementary suppression within each group
        (:func:`hidden_cells`, on the one count column); ``[]`` makes the whole table one
        group. Default: no complementary suppression.

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

    With the city's total known, the one small unit would be total − the others; the next
    smallest is hidden with it:

    >>> t = pd.DataFrame({"unit": ["A", "B", "C"], "n": [12, 3, 7]})
    >>> suppress_small_cells(t, "n", partition=[])["n"].tolist()
    [12, <NA>, <NA>]
    """
    counts = [count_cols] if isinstance(count_cols, str) else list(count_cols)
    missing = [c for c in counts if c not in table.columns]
    if missing:
        raise KeyError(f"suppress_small_cells: count column(s) {missing} not in the table; "
                       f"columns are {list(table.columns)}.")
    if partition is not None and len(counts) != 1:
        raise ValueError("suppress_small_cells: complementary suppression (partition=) needs "
                         f"exactly one count column, not {counts}.")
    out = table.copy()
    small = pd.Series(False, index=out.index)
    for col in counts:
        small |= pd.to_numeric(out[col], errors="coerce").fillna(0).lt(min_n)
    if partition is not None:
        keys = [partition] if isinstance(partition, str) else list(partition)
        small |= hidden_cells(out[counts[0]], out[keys] if keys else None, min_n=min_n)
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


def hidden_cells(counts: pd.Series, groups: pd.DataFrame | pd.Series | None = None, *,
                 min_n: int = 5) -> pd.Series:
    """Cells to hide in a published table: small cells plus complementary ones.

    Primary: every cell whose count is below ``min_n`` (0 included, as
    :func:`suppress_small_cells` does). Complementary: where the cells of one group add up to
    a total a reader can know (the group's own table, or n / share), a single hidden
    non-empty cell equals total − visible; so in each group with exactly one hidden
    non-empty cell, the smallest visible non-empty cell is hidden as well. Empty cells (count
    0) hide no person and do not count as protection. Categories that overlap (one person in
    several) are treated the same way: hiding more never harms.

    Parameters
    ----------
    counts : pandas.Series
        People behind each cell.
    groups : DataFrame or Series, optional
        Group keys (same index); cells of one group partition a published total. Default: one
        group.
    min_n : int, default 5

    Returns
    -------
    pandas.Series
        Boolean, True where the cell must be hidden.

    Examples
    --------
    >>> hidden_cells(pd.Series([10, 3, 7, 8])).tolist()
    [False, True, True, False]
    """
    n = pd.to_numeric(counts, errors="coerce").fillna(0).astype("float64")
    keys = [pd.Series(0, index=n.index)] if groups is None else (
        [groups] if isinstance(groups, pd.Series) else [groups[c] for c in groups.columns])
    primary = n.lt(min_n)
    n_secret = (primary & n.gt(0)).groupby(keys, sort=False).transform("sum")
    # rank the visible non-empty cells within the group; ties broken by table order
    rank = n.where(~primary & n.gt(0)).groupby(keys, sort=False).rank(method="first")
    return (primary | (n_secret.eq(1) & rank.eq(1))).astype(bool)


__all__ = ["pseudonymise", "load_key", "redact", "KnownNames", "suppress_small_cells",
           "hidden_cells", "DEMO_KEY", "KEY_ENV", "MissingKeyError", "PSEUDONYM_LENGTH",
           "NAME_STOPWORDS"]
