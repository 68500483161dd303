"""Pseudonyms, key loading, redaction and small-cell suppression (evalkit.privacy)."""

import hashlib
import hmac
import json
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evalkit import config, privacy


# --- pseudonymise ------------------------------------------------------------------------------
def test_pseudonym_is_truncated_hmac_sha256():
    # Reference computed with the standard library directly, independent of the vectorised path.
    nip = "197807172010012012"
    expected = hmac.new(b"secret", nip.encode(), hashlib.sha256).hexdigest()[:16]
    out = privacy.pseudonymise(pd.Series([nip, nip]), "secret")
    assert out.tolist() == [expected, expected]


def test_pseudonym_depends_on_key_and_value_and_keeps_missing():
    values = pd.Series(["197807172010012012", None, "199001012021221001"], index=[5, 6, 7])
    a = privacy.pseudonymise(values, "k1")
    b = privacy.pseudonymise(values, "k2")
    assert list(a.index) == [5, 6, 7]
    assert pd.isna(a.loc[6]) and pd.isna(b.loc[6])
    assert a.loc[5] != b.loc[5]          # another key, another pseudonym
    assert a.loc[5] != a.loc[7]          # another person, another pseudonym
    assert a.dropna().str.fullmatch(r"[0-9a-f]{16}").all()


def test_pseudonymise_accepts_iterables_and_bytes_key():
    out = privacy.pseudonymise(["197807172010012012"], b"k")
    assert out.iloc[0] == privacy.pseudonymise(pd.Series(["197807172010012012"]), "k").iloc[0]
    assert privacy.pseudonymise(pd.Series([], dtype="str"), "k").empty


# --- load_key ------------------------------------------------------------------------------------
@pytest.fixture
def no_key(monkeypatch, tmp_path):
    monkeypatch.delenv(privacy.KEY_ENV, raising=False)
    monkeypatch.setattr(config, "KEY_FILE", tmp_path / "no_such_key_file")
    return tmp_path


def test_key_from_environment_wins(no_key, monkeypatch):
    monkeypatch.setenv(privacy.KEY_ENV, "from-env")
    (no_key / "key").write_text("from-file")
    monkeypatch.setattr(config, "KEY_FILE", no_key / "key")
    assert privacy.load_key(no_key) == "from-env"


def test_key_from_file(no_key, monkeypatch):
    (no_key / "key").write_text("from-file\n")
    monkeypatch.setattr(config, "KEY_FILE", no_key / "key")
    assert privacy.load_key(no_key) == "from-file"


def test_demo_key_only_for_simulated_data(no_key):
    raw = no_key / "raw"
    raw.mkdir()
    (raw / "truth.json").write_text(json.dumps({"simulated": True}))
    assert privacy.load_key(raw) == privacy.DEMO_KEY
    (raw / "truth.json").write_text(json.dumps({"simulated": False}))
    with pytest.raises(privacy.MissingKeyError):
        privacy.load_key(raw)


def test_missing_key_message_says_how_to_make_one(no_key):
    with pytest.raises(privacy.MissingKeyError) as err:
        privacy.load_key(no_key)
    message = str(err.value)
    assert "secrets.token_hex(32)" in message and str(config.KEY_FILE) in message
    assert privacy.KEY_ENV in message


# --- redact ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Terima kasih Ibu Sari Wulandari atas bantuannya",
     "Terima kasih Ibu [NAMA] atas bantuannya"),
    ("Pak Joko dan Mbak Rina sangat membantu", "Pak [NAMA] dan Mbak [NAMA] sangat membantu"),
    ("nama saya Budi", "nama saya [NAMA]"),
    ("NIP saya 19780717 201001 2 012 ya", "NIP saya [NIP] ya"),
    ("NIP 197807172010012012.", "NIP [NIP]."),
    ("NIK 3372011234567890 hilang", "NIK [NIK] hilang"),
    ("hubungi +62 812-3456-7890 atau 081234567890", "hubungi [TELEPON] atau [TELEPON]"),
    ("kirim ke budi.santoso@surakarta.go.id", "kirim ke [EMAIL]"),
    ("antri 45 menit, loket 3 tutup", "antri 45 menit, loket 3 tutup"),
])
def test_redact_placeholders(text, expected):
    assert privacy.redact(pd.Series([text])).iloc[0] == expected


# Forms the reviewer found missed (issue: redaction misses common forms). Expected strings
# written by hand from the rule: the cue stays, the identifier becomes its placeholder.
@pytest.mark.parametrize("text, expected", [
    # mobile numbers with dots, parentheses, (+62)
    ("hp 0812.3456.7890 ya", "hp [TELEPON] ya"),
    ("hp (0812) 3456 7890 ya", "hp [TELEPON] ya"),
    ("wa (+62)81234567890 ya", "wa [TELEPON] ya"),
    ("wa +62 812 3456 7890", "wa [TELEPON]"),
    # landlines with an area code
    ("telp 0271-123456 kantor", "telp [TELEPON] kantor"),
    ("telp (0271) 123456 kantor", "telp [TELEPON] kantor"),
    ("telp 021 555 1234", "telp [TELEPON]"),
    # NIK grouped 4-4-4-4 with space, dot, dash
    ("NIK 3372 0123 4567 0001 ok", "NIK [NIK] ok"),
    ("NIK 3372.0123.4567.0001 ok", "NIK [NIK] ok"),
    ("NIK 3372-0123-4567-0001 ok", "NIK [NIK] ok"),
    # NIP with dashes or dots
    ("NIP 19780717-201001-2-012 ok", "NIP [NIP] ok"),
    ("NIP 19780717.201001.2.012 ok", "NIP [NIP] ok"),
    # names: honorifics, any case, cues, long and hyphenated names, degrees
    ("dilayani Bapak H. Ahmad Fauzi tadi", "dilayani Bapak H. [NAMA] tadi"),
    ("dilayani Ibu Hj. Siti Aminah tadi", "dilayani Ibu Hj. [NAMA] tadi"),
    ("pak budi sudah datang", "pak [NAMA] sudah datang"),
    ("PAK BUDI SUDAH DATANG", "PAK [NAMA] SUDAH DATANG"),
    ("petugas bernama Joko Widodo ramah", "petugas bernama [NAMA] ramah"),
    ("namanya Sri", "namanya [NAMA]"),
    ("nama saya budi santoso", "nama saya [NAMA]"),
    ("Bu Sri Rahayu Ningsih Putri", "Bu [NAMA]"),
    ("Mbak Ayu-Lestari di loket", "Mbak [NAMA] di loket"),
    ("oleh dr. Andi Wijaya, Sp.PD", "oleh dr. [NAMA], Sp.PD"),
    ("Ibu dr. Sari, M.Kes membantu", "Ibu dr. [NAMA] membantu"),
    ("Ir. Joko Santoso, M.T. hadir", "Ir. [NAMA] hadir"),
    ("Bapak Drs. Bambang, S.Kom menjelaskan", "Bapak Drs. [NAMA] menjelaskan"),
    # the reviewer's reproduction
    ("Catatan: informan Ibu Sari Wulandari, HP 0812-3456-7890, NIP 197807172010012012",
     "Catatan: informan Ibu [NAMA], HP [TELEPON], NIP [NIP]"),
])
def test_redact_more_forms(text, expected):
    assert privacy.redact(pd.Series([text])).iloc[0] == expected


@pytest.mark.parametrize("text", [
    # numbers that are not identifiers
    "Pada tahun 2023 saya ikut 20 JP, nilai 92.08, bayar Rp 50.000.",
    "Anggaran Rp 1.050.000.000 untuk 2020-2024, tanggal 27-11-2026 jam 09:00.",
    "kode pos 57111, antrian nomor 0012345, IKM 88,31",
    # a form of address followed by an ordinary word (interview questions, survey answers)
    "Bagaimana pengalaman Ibu menerapkan materi di loket?",
    "Hambatan apa yang Bapak temui setelah kembali ke unit kerja?",
    "Bisa diceritakan tugas Ibu sehari-hari di unit ini?",
    "Ada yang ingin Bapak tambahkan? Menurut Bapak/Ibu, apa manfaatnya?",
    "Pak RT sudah tahu, ibu-ibu dan bapak-bapak antri lama.",
    "saya ibu rumah tangga, pak, saya mau tanya.",
    "Bapak Kepala Dinas sudah datang. Cukup, Mas. Saya sangat senang.",
    "pelayanan bu sangat ramah dan cepat",
    "Selamat pagi Bapak Ibu sekalian.",
])
def test_redact_leaves_ordinary_text_alone(text):
    assert privacy.redact(pd.Series([text])).iloc[0] == text


def test_redact_is_one_pass_over_a_series():
    texts = pd.Series(["pak budi", "2023", None, "0812.3456.7890"], index=[9, 8, 7, 6])
    out = privacy.redact(texts)
    assert out.index.tolist() == [9, 8, 7, 6]
    assert out.tolist()[:2] == ["pak [NAMA]", "2023"] and pd.isna(out.loc[7])
    assert out.loc[6] == "[TELEPON]"


def test_redact_keeps_missing_and_index():
    out = privacy.redact(pd.Series([None, "Bu Ani"], index=[3, 4]))
    assert pd.isna(out.loc[3]) and out.loc[4] == "Bu [NAMA]"


# --- names of known people (the roster) ------------------------------------------------------
ROSTER = privacy.KnownNames(["Joko Santoso, S.Kom.", "Dr. Ratna Dewi Lestari, M.Si.",
                             "Hj. Siti Aminah", "Sutrisno", None])


def test_known_names_are_the_plain_full_names():
    # honorific before, degrees after the comma and missing entries are not part of a name
    assert len(ROSTER) == 4
    assert len(privacy.KnownNames([])) == 0


@pytest.mark.parametrize("text, expected", [
    # no cue: only the roster knows these are names; any case, any spacing or punctuation
    ("petugas Joko Santoso tidak ramah", "petugas [NAMA] tidak ramah"),
    ("petugas JOKO SANTOSO tidak ramah", "petugas [NAMA] tidak ramah"),
    ("sudah lapor ke joko  santoso kemarin", "sudah lapor ke [NAMA] kemarin"),
    ("lapor ke Joko, Santoso", "lapor ke [NAMA]"),
    ("dibantu Ratna Dewi Lestari, M.Si. dan Siti Aminah.", "dibantu [NAMA] dan [NAMA]."),
    # a one-word name only when written as a name
    ("tanya Sutrisno atau SUTRISNO", "tanya [NAMA] atau [NAMA]"),
    ("tanya sutrisno", "tanya sutrisno"),
    # words of a name inside other words, or part of a name, are not the name
    ("Joko Santosoputra datang", "Joko Santosoputra datang"),
    ("Ratna Dewi datang", "Ratna Dewi datang"),
    # with a cue the cue pattern already replaced it: one placeholder, not two
    ("Hubungi Pak Joko Santoso di 0812-3456-7890", "Hubungi Pak [NAMA] di [TELEPON]"),
])
def test_redact_replaces_known_names_without_a_cue(text, expected):
    assert privacy.redact(pd.Series([text]), names=ROSTER).iloc[0] == expected


def test_known_names_keep_index_missing_values_and_other_texts():
    texts = pd.Series(["Joko Santoso", None, "antri 20 menit", "Joko Santoso"], index=[4, 4, 2, 1])
    out = privacy.redact(texts, names=ROSTER)
    assert out.index.tolist() == [4, 4, 2, 1]
    assert out.iloc[[0, 2, 3]].tolist() == ["[NAMA]", "antri 20 menit", "[NAMA]"]
    assert pd.isna(out.iloc[1])


NAME_WORDS = ["Budi", "Santoso", "Rina", "Wulandari", "Agus", "Prasetyo"]
OTHER_WORDS = ["pelayanan", "cepat", "antri", "Loket", "ramah", "KTP", "sudah", "baik",
               "Dinas", "dan", ",", ".", ":"]


@settings(max_examples=60, deadline=None)
@given(before=st.lists(st.sampled_from(OTHER_WORDS), max_size=8),
       after=st.lists(st.sampled_from(OTHER_WORDS), max_size=8),
       first=st.sampled_from(NAME_WORDS[::2]), last=st.sampled_from(NAME_WORDS[1::2]),
       case=st.sampled_from([str, str.upper, str.lower]), gap=st.sampled_from([" ", "  ", ", "]))
def test_a_known_name_anywhere_in_a_text_never_survives(before, after, first, last, case, gap):
    roster = privacy.KnownNames([f"{a} {b}, S.E." for a in NAME_WORDS[::2]
                                 for b in NAME_WORDS[1::2]])
    text = " ".join([*before, case(first) + gap + case(last), *after])
    out = privacy.redact(pd.Series([text]), names=roster).iloc[0]
    # the independent check: the two words of the name never follow each other any more
    words = re.findall(r"[\w'’-]+", out.casefold())
    assert (first.casefold(), last.casefold()) not in set(zip(words, words[1:]))
    assert "[NAMA]" in out
    # and the words around it are kept as they were
    assert out.startswith(" ".join(before)) and out.endswith(" ".join(after))


# --- suppress_small_cells ---------------------------------------------------------------------
def test_suppress_small_cells_blanks_values_and_marks_rows():
    table = pd.DataFrame({"unit": ["A", "B", "C"], "n": np.array([5, 4, 0]),
                          "ikm": [80.0, 70.0, np.nan]})
    out = privacy.suppress_small_cells(table, "n", min_n=5)
    assert out["suppressed"].tolist() == [False, True, True]
    assert out["ikm"].isna().tolist() == [False, True, True]
    assert out["n"].isna().tolist() == [False, True, True]    # a count of 1–4 identifies
    assert out["unit"].tolist() == ["A", "B", "C"]            # keys stay
    assert "fewer than 5" in out.attrs["suppressed"]
    assert table["ikm"].notna().sum() == 2                    # input untouched


def test_suppress_small_cells_unknown_column():
    with pytest.raises(KeyError, match="not in the table"):
        privacy.suppress_small_cells(pd.DataFrame({"n": [1]}), "count")


def test_suppress_small_cells_partition_hides_a_complement_within_each_group():
    # Unit X: 3 of 20 respondents in category b would be 20 − 10 − 7 once the unit's total is
    # known, so the smallest shown category (c, 7) goes too. Unit Y: two small cells (2, 4)
    # already protect each other; the empty cell (0) hides nobody and protects nothing.
    t = pd.DataFrame({"unit": ["X"] * 3 + ["Y"] * 4, "kategori": list("abcabcd"),
                      "n": [10, 3, 7, 2, 4, 30, 0], "share": [.5, .15, .35, .05, .1, .85, 0]})
    out = privacy.suppress_small_cells(t, "n", partition="unit", value_cols=["n", "share"])
    assert out["suppressed"].tolist() == [False, True, True, True, True, False, True]
    assert out["share"].isna().tolist() == out["suppressed"].tolist()
    # without a partition only the small cells go
    plain = privacy.suppress_small_cells(t, "n", value_cols=["n", "share"])
    assert plain["suppressed"].tolist() == [False, True, False, True, True, False, True]
    with pytest.raises(ValueError, match="exactly one count column"):
        privacy.suppress_small_cells(t.assign(m=t["n"]), ["n", "m"], partition="unit")
