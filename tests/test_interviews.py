"""Interview themes: codebook, turns, stemming, negation, agreement, quotes, outputs.

Small hand-written Indonesian transcripts go through the real functions; expected values
come from reading the sentences or from formulas worked by hand in the comments.
"""

from __future__ import annotations

import io
import json
import re
import textwrap
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from evalkit import interviews as iv
from evalkit.config import NOTEBOOKS_DIR
from evalkit.ingest.wawancara import parse_transcript

REQUIRED_THEMES = (
    "dampak_positif", "manajemen_waktu", "teknologi_informasi", "kesulitan_penerapan",
    "kebutuhan_mentoring", "pelatihan_lanjutan", "beban_kerja", "dukungan_atasan",
    "sarana_prasarana",
)

TRANSCRIPT_A = textwrap.dedent("""\
    Kode Informan: INF-001
    Unit Kerja: Dinas Sosial
    Jabatan: Pelaksana
    Pelatihan: Pelatihan Pelayanan Prima
    Tanggal: 04/03/2025
    ---
    P: Selamat pagi. Apa yang berubah setelah pelatihan?
    I: Pelatihannya sangat bermanfaat, saya lebih percaya diri
    menjelaskan persyaratan kepada warga.
    P: Apakah ada kendala dalam menerapkan materi?
    I: Tidak ada kendala, semua bisa saya jalankan.
    P: Bagaimana dukungan atasan?
    I: Atasan saya tidak mendukung, tapi kami butuh pendampingan dari mentor.
    """)

TRANSCRIPT_B = textwrap.dedent("""\
    Kode Informan: INF-002
    Unit Kerja: Dinas Kesehatan
    Jabatan: Fungsional
    Pelatihan: Pelatihan Pelayanan Prima
    Tanggal: 05/03/2025
    ---
    P: Apa kendalanya?
    I: Terus terang saya kesulitan menerapkan materinya, pekerjaan menumpuk setiap hari.
    P: Bagaimana sarana di unit?
    I: Komputernya sering rusak dan jaringan internet lambat.
    """)


@pytest.fixture(scope="module")
def codebook() -> iv.Codebook:
    return iv.load_codebook()


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "codebook.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _segments() -> pd.DataFrame:
    # the format's one parser (the cleaning step's); its behaviour is tested in
    # tests/test_ingest_readers.py
    return pd.concat([parse_transcript(TRANSCRIPT_A, "INF-001.txt"),
                      parse_transcript(TRANSCRIPT_B, "INF-002.txt")], ignore_index=True)


# --- codebook ------------------------------------------------------------------------------


def test_default_codebook_has_the_required_themes_with_keywords(codebook: iv.Codebook) -> None:
    for key in REQUIRED_THEMES:
        theme = codebook.themes[key]
        assert theme.keywords and theme.description and theme.label and theme.label_en
        assert "wawancara" in theme.scope
    assert set(codebook.keys("saran")) >= {"teknologi_informasi", "sarana_prasarana"}


def test_codebook_keys_are_the_simulators_manual_coding_keys(codebook: iv.Codebook) -> None:
    texts = pytest.importorskip("evalkit.simulate.texts")
    # the simulator's manual-coding file uses these keys in its `Tema` column
    assert set(texts.THEMES) == set(codebook.keys("wawancara"))


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        themes:
          beban_kerja:
            label: Beban kerja
            keywords: [lembur
            description: x
        """)
    with pytest.raises(iv.CodebookError, match=r"codebook\.yaml, line \d+, column \d+"):
        iv.load_codebook(path)


def test_theme_without_keywords_names_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        themes:
          beban_kerja:
            label: Beban kerja
            label_en: Workload
            description: Heavy workload.
            keywords: [lembur]
          sarana_prasarana:
            label: Sarana
            label_en: Facilities
            description: Facilities.
        """)
    with pytest.raises(iv.CodebookError, match=r"line 7: theme 'sarana_prasarana' has no "
                                                r"keywords"):
        iv.load_codebook(path)


def test_empty_keyword_list_names_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        themes:
          beban_kerja:
            label: Beban kerja
            label_en: Workload
            description: Heavy workload.
            keywords: []
        """)
    with pytest.raises(iv.CodebookError, match=r"line 6: theme 'beban_kerja' has no keywords"):
        iv.load_codebook(path)


def test_duplicate_theme_and_unknown_field_are_errors(tmp_path: Path) -> None:
    base = textwrap.dedent("""\
        themes:
          beban_kerja:
            label: Beban kerja
            label_en: Workload
            description: Heavy workload.
            keywords: [lembur]
        """)
    with pytest.raises(iv.CodebookError, match=r"line 7: 'beban_kerja' appears twice"):
        iv.load_codebook(_write(tmp_path, base + "  beban_kerja:\n    label: x\n"))
    with pytest.raises(iv.CodebookError, match=r"line 6: theme 'beban_kerja' has an unknown "
                                                r"field 'keyword'"):
        iv.load_codebook(_write(tmp_path, base.replace("keywords", "keyword")))


def test_codebook_table_lists_themes_in_file_order(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        themes:
          sarana_prasarana:
            label: Sarana
            label_en: Facilities
            description: Facilities.
            keywords: [komputer, jaringan, ruang, printer, kursi]
            context: [rusak]
            negatable: true
            scope: [wawancara, saran]
          beban_kerja:
            label: Beban kerja
            label_en: Workload
            description: Heavy workload.
            keywords: [lembur]
        """)
    table = iv.load_codebook(path).table("en", n_examples=2)
    # values read off the YAML above; beban_kerja has the default scope (both sources)
    assert table.to_dict("records") == [
        {"tema": "sarana_prasarana", "label": "Facilities", "n_kata_kunci": 5,
         "contoh_kata_kunci": "komputer, jaringan", "n_konteks": 1, "negatable": True,
         "scope": "wawancara+saran"},
        {"tema": "beban_kerja", "label": "Workload", "n_kata_kunci": 1,
         "contoh_kata_kunci": "lembur", "n_konteks": 0, "negatable": False,
         "scope": "+".join(iv.SOURCES)},
    ]


# --- coding --------------------------------------------------------------------------------


def _one(text: str, theme: str, codebook: iv.Codebook) -> int:
    return int(iv.code_texts(pd.Series([text]), codebook)[theme].iloc[0])


@pytest.mark.parametrize("text", [
    "Saya sulit menerapkan materi itu.",
    "Materinya sulit diterapkan di loket.",
    "Penerapannya sulit karena aturan lama.",  # keyword after the topic word
    "Ada kesulitan dalam penerapan.",
    "Hal itu menyulitkan kami.",
])
def test_stemming_variants_match(text: str, codebook: iv.Codebook) -> None:
    # "sulit", "kesulitan", "menyulitkan" share the Sastrawi stem "sulit"
    assert _one(text, "kesulitan_penerapan", codebook) == 1


def test_stemming_variants_of_a_phrase(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        themes:
          penerapan:
            label: Penerapan
            label_en: Applying
            description: Applying the training.
            keywords: [penerapan materi]
        """)
    cb = iv.load_codebook(path)
    texts = pd.Series(["Saya menerapkan materi itu.", "Materi diterapkan.",
                       "Penerapan materinya lancar.", "Kami menerapkan, materi menyusul."])
    # "menerapkan"/"penerapan" → "terap", "materinya" → "materi"; the last one crosses a
    # comma, so the phrase does not match. "Materi diterapkan" has the words reversed.
    assert iv.code_texts(texts, cb)["penerapan"].tolist() == [1, 0, 1, 0]


@pytest.mark.parametrize("text", [
    "Saya tidak kesulitan sama sekali.",
    "Tidak ada kendala yang berarti.",
    "Itu bukan masalah bagi kami.",
    "Kendala tidak ada, semua lancar.",
    "Saya tidak pernah mengalami kesulitan.",  # negator three words before
])
def test_negation_cancels_difficulty(text: str, codebook: iv.Codebook) -> None:
    assert _one(text, "kesulitan_penerapan", codebook) == 0


@pytest.mark.parametrize("text", [
    "Tidak, saya kesulitan menerapkannya.",  # the comma ends the negated clause
    "Tidak ada yang membantu saya, jadi ada kendala.",
    "Kalau tidak salah, masalahnya di aturan.",
    "Saya tidak tahu harus mulai dari mana sehingga kesulitan.",  # negator 6 words before
])
def test_negation_stays_within_its_window_and_clause(text: str,
                                                     codebook: iv.Codebook) -> None:
    assert _one(text, "kesulitan_penerapan", codebook) == 1


def test_a_negated_keyword_cancels_its_theme_in_the_clause(codebook: iv.Codebook) -> None:
    assert _one("Atasan saya tidak mendukung.", "dukungan_atasan", codebook) == 0
    assert _one("Atasan saya sangat mendukung.", "dukungan_atasan", codebook) == 1
    assert _one("Atasan belum pernah menanyakan hasilnya.", "dukungan_atasan", codebook) == 0


def test_non_negatable_theme_ignores_negators(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        negation:
          window: 3
          before: [tidak]
        themes:
          sarana:
            label: Sarana
            label_en: Facilities
            description: Any remark on facilities.
            negatable: false
            keywords: [komputer]
          kesulitan:
            label: Kesulitan
            label_en: Difficulty
            description: Difficulty.
            negatable: true
            keywords: [komputer]
        """)
    coded = iv.code_texts(pd.Series(["Tidak ada komputer di loket."]), iv.load_codebook(path))
    assert coded.iloc[0].to_dict() == {"sarana": 1, "kesulitan": 0}


def test_context_words_decide_stance_themes(codebook: iv.Codebook) -> None:
    # supervisor named as a contact person: no support; supervisor who asks: support
    assert _one("Kalau perlu, bisa ke Pak [NAMA], atasan langsung saya.", "dukungan_atasan",
                codebook) == 0
    assert _one("Kepala bidang rutin menanyakan hasil pelatihan.", "dukungan_atasan",
                codebook) == 1
    # facilities that are fine are not an obstacle; broken ones are
    assert _one("Fasilitasnya sudah bagus sejak gedung baru dipakai.", "sarana_prasarana",
                codebook) == 0
    assert _one("Printer di loket sering rusak.", "sarana_prasarana", codebook) == 1
    # a need needs a need word, and a negated one is none
    assert _one("Mentoring sudah berjalan dari senior.", "kebutuhan_mentoring", codebook) == 0
    assert _one("Kami butuh mentoring dari senior.", "kebutuhan_mentoring", codebook) == 1
    assert _one("Saya tidak perlu pendampingan lagi.", "kebutuhan_mentoring", codebook) == 0
    # context must be in the same sentence
    assert _one("Kami butuh itu. Mentoring sudah ada.", "kebutuhan_mentoring", codebook) == 0


def test_codebook_context_is_checked(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
        themes:
          sarana:
            label: Sarana
            label_en: Facilities
            description: Facilities.
            keywords: [sarana]
            context: []
        """)
    with pytest.raises(iv.CodebookError, match=r"line 7: context of 'sarana'"):
        iv.load_codebook(path)


def test_surface_keyword_avoids_over_stemming(codebook: iv.Codebook) -> None:
    # Sastrawi stems "atasan" to "atas" ("above"); the codebook writes "=atasan"
    assert _one("Berkasnya ada di atas meja.", "dukungan_atasan", codebook) == 0
    assert _one("Atasannya rutin bertanya.", "dukungan_atasan", codebook) == 1


def test_match_keywords_reports_keyword_position_and_negation(codebook: iv.Codebook) -> None:
    texts = pd.Series(["Tidak ada kendala, tapi komputernya rusak."], index=["s1"])
    m = iv.match_keywords(texts, codebook, source="wawancara")
    rows = m[["doc", "tema", "kata_kunci", "posisi", "dinegasi"]].to_numpy().tolist()
    assert ["s1", "kesulitan_penerapan", "kendala", 2, True] in rows
    # positions count words only: tidak 0, ada 1, kendala 2, tapi 3, komputernya 4, rusak 5
    assert ["s1", "sarana_prasarana", "rusak", 5, False] in rows
    assert ["s1", "teknologi_informasi", "komputer", 4, False] in rows


def test_code_texts_handles_missing_empty_and_repeated_index(codebook: iv.Codebook) -> None:
    texts = pd.Series([None, "", "Ada kendala.", "Ada kendala."], index=[0, 0, 1, 1])
    coded = iv.code_texts(texts, codebook)
    assert coded["kesulitan_penerapan"].tolist() == [0, 0, 1, 1]
    assert list(coded.index) == [0, 0, 1, 1]


def test_code_segments_on_transcripts(codebook: iv.Codebook) -> None:
    coded = iv.code_segments(_segments(), codebook)
    assert len(coded) == 5 * len(codebook.keys("wawancara"))  # 5 informant turns
    present = coded[coded["otomatis"].eq(1)]
    got = sorted(zip(present["kode_informan"], present["segmen"], present["tema"],
                     strict=True))
    assert got == [
        ("INF-001", 1, "dampak_positif"),
        ("INF-001", 3, "kebutuhan_mentoring"),  # "Atasan ... tidak mendukung" is cancelled
        ("INF-002", 1, "beban_kerja"),
        ("INF-002", 1, "kesulitan_penerapan"),
        ("INF-002", 2, "manajemen_waktu"),  # "lambat"
        ("INF-002", 2, "sarana_prasarana"),
        ("INF-002", 2, "teknologi_informasi"),
    ]
    # interviewer questions ("Apa kendalanya?") are never coded
    assert coded["segmen"].min() == 1


def test_transcript_counts_by_hand() -> None:
    # TRANSCRIPT_A: 3 questions + 3 answers, TRANSCRIPT_B: 2 + 2 → 10 turns, 5 of informants;
    # two informants in two units. The manual coding covers INF-001's segments 1 and 3
    # (three themes on segment 1 count it once) → 2 segments of 1 informant.
    manual = pd.DataFrame({"kode_informan": ["INF-001"] * 4, "segmen": [1, 1, 1, 3],
                           "tema": ["a", "b", "c", "a"]})
    out = iv.transcript_counts(_segments(), manual)
    assert out["jumlah"].tolist() == [2, 2, 10, 5, 2, 1]
    assert out.index[2] == "giliran bicara (semua)"
    english = iv.transcript_counts(_segments(), manual, lang="en")
    assert english.columns.tolist() == ["count"] and english.index[0] == "informants"
    with pytest.raises(ValueError, match="language"):
        iv.transcript_counts(_segments(), manual, lang="fr")


def test_codebook_labels_follow_the_language(codebook: iv.Codebook) -> None:
    assert codebook.labels("en")["beban_kerja"] == "Workload"
    assert codebook.labels("id")["beban_kerja"] != "Workload"
    with pytest.raises(ValueError, match="language"):
        codebook.labels("EN")  # not silently Indonesian


# --- frequencies and co-occurrence ----------------------------------------------------------


def test_theme_frequencies_share_and_suppression() -> None:
    # units A (6 informants, 3 with the theme), B (2, both) and C (7, two)
    coded = pd.DataFrame({
        "kode_informan": [f"INF-{i:03d}" for i in range(15)],
        "unit": ["A"] * 6 + ["B"] * 2 + ["C"] * 7,
        "jenis_jabatan": ["Pelaksana"] * 15,
        "nama_pelatihan": ["X"] * 15,
        "segmen": [1] * 15,
        "tema": ["beban_kerja"] * 15,
        "otomatis": [1, 1, 0, 0, 1, 0] + [1, 1] + [1, 0, 0, 0, 0, 0, 1],
    })
    freq = iv.theme_frequencies(coded, min_cell_size=5).set_index(["dimensi", "kelompok"])
    assert freq.loc[("semua", "Semua"), "proporsi"] == pytest.approx(7 / 15)
    assert freq.loc[("unit", "C"), "proporsi"] == pytest.approx(2 / 7)
    assert freq.loc[("unit", "C"), "n_informan"] == 7
    # unit B has two informants: share, numerator and the size itself (2 < 5) are suppressed
    assert bool(freq.loc[("unit", "B"), "suppressed"])
    assert pd.isna(freq.loc[("unit", "B"), "proporsi"])
    assert pd.isna(freq.loc[("unit", "B"), "n_informan_tema"])
    assert pd.isna(freq.loc[("unit", "B"), "n_informan"])
    # ... and with A shown, B would be the "Semua" row minus A and C (15 - 6 - 7 informants,
    # 7 - 3 - 2 with the theme): A, the smallest shown unit, is suppressed with it
    assert bool(freq.loc[("unit", "A"), "suppressed"])
    assert pd.isna(freq.loc[("unit", "A"), "n_informan"])
    assert pd.isna(freq.loc[("unit", "A"), "n_informan_tema"])
    # one position and one training for everybody: a single group, nothing to hide
    assert freq.loc[("jenis_jabatan", "Pelaksana"), "n_informan"] == 15


def test_theme_share_table_puts_themes_in_columns() -> None:
    # unit A: 6 informants, beban_kerja 3/6 = 0.5, dampak_positif 4/6 = 0.666… → 0.67;
    # unit B: 2 informants, both themes on 1/2 but suppressed (fewer than 5); unit C: 5
    # informants, suppressed with B (else B = all informants − A − C)
    coded = pd.DataFrame({
        "kode_informan": [f"INF-{i:03d}" for i in range(13)] * 2,
        "unit": (["A"] * 6 + ["B"] * 2 + ["C"] * 5) * 2, "segmen": [1] * 26,
        "tema": ["beban_kerja"] * 13 + ["dampak_positif"] * 13,
        "otomatis": [1, 1, 1, 0, 0, 0, 1, 0] + [0] * 5 + [1, 1, 1, 1, 0, 0, 0, 1] + [1] * 5,
    })
    freq = iv.theme_frequencies(coded, by=("unit",), min_cell_size=5)
    wide = iv.theme_share_table(freq[freq["dimensi"].eq("unit")],
                                ["dampak_positif", "beban_kerja", "sarana_prasarana"])
    assert list(wide.columns) == ["n_informan", "dampak_positif", "beban_kerja",
                                  "sarana_prasarana"]
    assert wide.index.tolist() == [("unit", "A"), ("unit", "B"), ("unit", "C")]
    assert wide.loc[("unit", "A")].tolist()[:3] == [6, 0.67, 0.5]
    assert pd.isna(wide.loc[("unit", "B"), "n_informan"])  # 2 informants: hidden too
    assert wide[["dampak_positif", "beban_kerja"]].loc[("unit", "B")].isna().all()
    assert wide.loc[("unit", "C")].isna().all()
    assert wide["sarana_prasarana"].isna().all()  # not in the table: an empty column


def test_cooccurrence_counts_segments_with_both_themes(codebook: iv.Codebook) -> None:
    coded = iv.code_segments(_segments(), codebook)
    matrix = iv.cooccurrence(coded, themes=codebook.keys("wawancara"))
    assert (matrix.to_numpy() == matrix.to_numpy().T).all()
    assert matrix.loc["beban_kerja", "kesulitan_penerapan"] == 1
    assert matrix.loc["sarana_prasarana", "teknologi_informasi"] == 1
    assert matrix.loc["kesulitan_penerapan", "kesulitan_penerapan"] == 1
    assert matrix.loc["dukungan_atasan", "dukungan_atasan"] == 0
    per_informant = iv.cooccurrence(coded, level="informan", themes=codebook.keys("wawancara"))
    assert per_informant.loc["dampak_positif", "kebutuhan_mentoring"] == 1  # INF-001, 2 turns


# --- agreement -----------------------------------------------------------------------------

# Ten segments of one theme.
#   koder 1: 1 1 1 1 0 0 0 0 0 0
#   koder 2: 1 1 1 0 1 0 0 0 0 0
# Table: both 1 = 3, only koder 1 = 1, only koder 2 = 1, both 0 = 5.
#   p_o = 8/10 = 0.8; p_e = 0.4*0.4 + 0.6*0.6 = 0.52; kappa = (0.8-0.52)/(1-0.52) = 0.583333.
# Automatic: 1 1 0 0 0 0 0 0 0 0. Consensus rows (koders agree): 1,2,3,6,7,8,9,10 with codes
#   1 1 1 0 0 0 0 0 vs automatic 1 1 0 0 0 0 0 0: p_o = 7/8; p_e = (2/8)(3/8) + (6/8)(5/8) =
#   36/64; kappa = (56/64 - 36/64)/(28/64) = 20/28 = 0.714286.
K1 = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
K2 = [1, 1, 1, 0, 1, 0, 0, 0, 0, 0]
AUTO = [1, 1, 0, 0, 0, 0, 0, 0, 0, 0]


def test_cohen_kappa_matches_hand_computation() -> None:
    assert iv.cohen_kappa(K1, K2) == pytest.approx(0.28 / 0.48, abs=1e-12)
    assert iv.cohen_kappa(K1, K1) == pytest.approx(1.0)
    assert np.isnan(iv.cohen_kappa([0, 0, 0], [0, 0, 0]))  # chance agreement 1: undefined


def test_krippendorff_alpha_matches_hand_computation() -> None:
    # Units (1,1) (0,0) (1,0) (1,1): coincidences o11 = 4, o00 = 2, o01 = o10 = 1; n = 8,
    # n1 = 5, n0 = 3. D_o = 2/8, D_e = 2*5*3/(8*7) = 30/56; alpha = 1 - (2/8)/(30/56) = 8/15.
    assert iv.krippendorff_alpha([1, 0, 1, 1], [1, 0, 0, 1]) == pytest.approx(8 / 15)


def test_agreement_per_theme_and_flag() -> None:
    segs = list(range(1, 11))
    auto = pd.DataFrame({"kode_informan": "INF-001", "segmen": segs * 2,
                         "tema": ["beban_kerja"] * 10 + ["sarana_prasarana"] * 10,
                         "otomatis": AUTO + K1})
    manual = pd.DataFrame({"kode_informan": "INF-001", "segmen": segs * 2,
                           "tema": ["beban_kerja"] * 10 + ["sarana_prasarana"] * 10,
                           "koder_1": K1 + K1, "koder_2": K2 + K1})
    out = iv.agreement(auto, manual, threshold=0.75).set_index("tema")
    row = out.loc["beban_kerja"]
    assert row["kappa_koder"] == pytest.approx(0.583333, abs=1e-6)
    assert row["kappa_otomatis_konsensus"] == pytest.approx(20 / 28)
    assert row["n_konsensus"] == 8
    assert row["prevalensi_koder_1"] == pytest.approx(0.4)
    assert row["prevalensi_otomatis"] == pytest.approx(0.2)
    assert row["status_otomatis"] == "tidak andal" and row["otomatis_tidak_andal"]
    perfect = out.loc["sarana_prasarana"]
    assert perfect["kappa_otomatis_konsensus"] == pytest.approx(1.0)
    assert perfect["status_otomatis"] == "andal" and not perfect["otomatis_tidak_andal"]
    assert (out["ambang_kappa"] == 0.75).all()


def test_agreement_reports_rows_it_cannot_match() -> None:
    auto = pd.DataFrame({"kode_informan": "A", "segmen": [1, 2], "tema": "beban_kerja",
                         "otomatis": [1, 0]})
    manual = pd.DataFrame({"kode_informan": "A", "segmen": [1, 2, 3, 1],
                           "tema": ["beban_kerja"] * 3 + ["tema_baru"],
                           "koder_1": [1, 0, 1, 0], "koder_2": [1, 0, 1, 1]})
    with pytest.warns(iv.InterviewDataWarning) as record:
        out = iv.agreement(auto, manual).set_index("tema")
    messages = " ".join(str(w.message) for w in record)
    assert "tema_baru" in messages and "not in wawancara_segmen" in messages
    assert out.loc["beban_kerja", "n_segmen"] == 3
    assert out.loc["beban_kerja", "n_segmen_otomatis"] == 2
    assert pd.isna(out.loc["tema_baru", "kappa_otomatis_konsensus"])
    assert out.loc["tema_baru", "status_otomatis"] == "tidak dapat dinilai"


def test_agreement_refuses_a_segment_coded_twice() -> None:
    auto = pd.DataFrame({"kode_informan": "A", "segmen": [1], "tema": "beban_kerja",
                         "otomatis": [1]})
    manual = pd.DataFrame({"kode_informan": "A", "segmen": [1, 1], "tema": "beban_kerja",
                           "koder_1": [1, 0], "koder_2": [1, 1]})
    with pytest.raises(ValueError, match=r"same segment and theme more than once.*'A', 1"):
        iv.agreement(auto, manual)


# --- quotes and redaction ------------------------------------------------------------------

# The identifier patterns of DOMAIN.md §4 and §7, as a reader would search for them.
NIP = re.compile(r"(?<!\d)\d{8}\s?\d{6}\s?\d\s?\d{3}(?!\d)")
NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
# a phone number: +62/62/0, then 8, then 7–11 digits with at most one space or dash between
# (not preceded by a digit or a decimal point, so table columns of "0.089" do not count)
PHONE = re.compile(r"(?<![\w.+])(?:\+62|62|0)[ -]?8(?:[ -]?\d){7,11}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
IDENTIFIERS = {"NIP": NIP, "NIK": NIK, "phone": PHONE, "e-mail": EMAIL}


def test_quotes_are_redacted_for_every_identifier_pattern(codebook: iv.Codebook) -> None:
    texts = [
        "Saya Budi Santoso, NIP 19780717 201001 2 012, kesulitan menerapkan materi.",
        "Kendala saya: NIP 197807172010012012 belum terdaftar di aplikasi.",
        "Ada kesulitan, NIK saya 3372011507800001 salah di sistem.",
        "Hubungi Ibu Sari Wulandari di 0812-3456-7890 kalau ada kendala.",
        "Masalahnya nomor +62 812 3456 7890 tidak aktif, kata Pak Joko.",
        "Kesulitan login, e-mail saya budi.santoso@surakarta.go.id ditolak.",
    ]
    segments = pd.DataFrame({
        "kode_informan": [f"INF-{i:03d}" for i in range(len(texts))],
        "unit": [f"Unit {i}" for i in range(len(texts))], "jabatan": "Pelaksana",
        "nama_pelatihan": "X", "segmen": 1, "pembicara": "I", "teks": texts})
    raw = "\n".join(texts)
    for name, pattern in IDENTIFIERS.items():  # the scan patterns do see the raw identifiers
        assert pattern.search(raw), f"{name} pattern misses its example"
    coded = iv.code_segments(segments, codebook)
    quotes = iv.representative_quotes(coded, segments, codebook, n_per_theme=10,
                                      max_chars=400)
    difficulty = quotes[quotes["tema"].eq("kesulitan_penerapan")]
    assert len(difficulty) == len(texts)  # every turn is a difficulty quote
    joined = "\n".join(quotes["kutipan"])
    for name, pattern in IDENTIFIERS.items():
        assert not pattern.search(joined), f"{name} left in a quote"
    for name in ("Budi", "Santoso", "Sari", "Wulandari", "Joko"):
        assert name not in joined
    for placeholder in ("[NIP]", "[NIK]", "[TELEPON]", "[EMAIL]", "[NAMA]"):
        assert placeholder in joined
    # attributed by informant code and unit only
    assert list(quotes.columns) == ["tema", "peringkat", "kode_informan", "unit", "segmen",
                                    "dikonfirmasi", "kutipan"]


def test_quotes_prefer_confirmed_segments_distinct_units_and_are_short(
        codebook: iv.Codebook) -> None:
    long_text = "Ya, begitu. Ada kendala jaringan " + "dan kata lain " * 40 + "di loket."
    segments = pd.DataFrame({
        "kode_informan": ["INF-001", "INF-001", "INF-002", "INF-003"],
        "unit": ["A", "A", "A", "B"], "jabatan": "Pelaksana", "nama_pelatihan": "X",
        "segmen": [1, 2, 1, 1], "pembicara": "I",
        "teks": ["Ada kendala.", "Kendala dan hambatan banyak.", long_text,
                 "Ada kendala di loket."]})
    coded = iv.code_segments(segments, codebook)
    manual = pd.DataFrame({"kode_informan": ["INF-001"], "segmen": [1],
                           "tema": ["kesulitan_penerapan"], "koder_1": [1], "koder_2": [1]})
    quotes = iv.representative_quotes(coded, segments, codebook, n_per_theme=3, max_chars=60,
                                      manual=manual)
    q = quotes[quotes["tema"].eq("kesulitan_penerapan")]
    # confirmed first; then unit B before a second informant of unit A; one per informant
    assert q[["kode_informan", "segmen"]].to_numpy().tolist() == [
        ["INF-001", 1], ["INF-003", 1], ["INF-002", 1]]
    # the quote is the sentence with the theme ("Ya, begitu." is left out), cut at 60
    assert q["kutipan"].iloc[2].startswith("Ada kendala jaringan dan kata lain")
    assert q["kutipan"].str.len().max() <= 62 and q["kutipan"].iloc[2].endswith("…")


@pytest.mark.parametrize(("lang", "neutral"), [("id", "unit lain"), ("en", "another unit")])
def test_quotes_do_not_name_a_unit_of_few_informants(codebook: iv.Codebook, lang: str,
                                                     neutral: str) -> None:
    # Unit A has 5 informants (one quote each), the "Dinas Perhubungan" of this test has one:
    # its quote would point at that person, so the unit is shown by a neutral label.
    segments = pd.DataFrame({
        "kode_informan": [f"INF-{i:03d}" for i in range(1, 7)],
        "unit": ["A"] * 5 + ["Dinas Perhubungan"], "jabatan": "Pelaksana",
        "nama_pelatihan": "X", "segmen": 1, "pembicara": "I",
        "teks": [f"Ada kendala nomor {i} di loket." for i in range(1, 6)]
        + ["Kendala jaringan sering terjadi."]})
    coded = iv.code_segments(segments, codebook)
    quotes = iv.representative_quotes(coded, segments, codebook, n_per_theme=10)
    q = quotes[quotes["tema"].eq("kesulitan_penerapan")].set_index("kode_informan")
    assert len(q) == 6
    assert q.loc["INF-006", "unit"] == iv.OTHER_UNIT  # a code in data/processed
    assert (q.drop(index="INF-006")["unit"] == "A").all()
    assert "Dinas Perhubungan" not in set(quotes["unit"])
    # with a threshold of 1 every unit is named
    named = iv.representative_quotes(coded, segments, codebook, n_per_theme=10,
                                     min_cell_size=1)
    assert "Dinas Perhubungan" in set(named["unit"])
    # what is published carries no informant code (kept in data/processed only)
    published = iv.published_quotes(quotes, lang=lang)
    assert "kode_informan" not in published.columns and "segmen" not in published.columns
    assert published["kutipan"].tolist() == quotes["kutipan"].tolist()
    # ... and shows the unnamed unit by its label in the run's language
    shown = published.loc[quotes["kode_informan"].eq("INF-006").to_numpy(), "unit"]
    assert len(shown) and shown.eq(neutral).all()


def test_quotes_do_not_repeat_a_sentence(codebook: iv.Codebook) -> None:
    segments = pd.DataFrame({
        "kode_informan": ["INF-001", "INF-002", "INF-003"], "unit": ["A", "B", "C"],
        "jabatan": "Pelaksana", "nama_pelatihan": "X", "segmen": 1, "pembicara": "I",
        "teks": ["Ada kendala jaringan.", "Ada kendala jaringan.", "Sulit sekali."]})
    coded = iv.code_segments(segments, codebook)
    quotes = iv.representative_quotes(coded, segments, codebook)
    q = quotes[quotes["tema"].eq("kesulitan_penerapan")]
    assert sorted(q["kutipan"]) == ["Ada kendala jaringan.", "Sulit sekali."]


# --- link to the numbers and suggestions ---------------------------------------------------


def test_difficulty_by_unit_beside_l3() -> None:
    # B (2 informants) and C (4) are both suppressed: they protect each other, A stays
    coded = pd.DataFrame({
        "kode_informan": [f"I{i}" for i in range(11)],
        "unit": ["A"] * 5 + ["B"] * 2 + ["C"] * 4,
        "tema": "kesulitan_penerapan", "otomatis": [1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0]})
    evaluasi = pd.DataFrame({
        "unit": ["A"] * 5 + ["B"] * 6,
        "skor_alumni": [4.0, 4, 4, 4, 4] + [3.0] * 6,
        "skor_atasan": [3.0, 3, 3, 3, 3] + [3.0] * 6,
        "skor_rekan": [5.0, 5, 5, 5, None] + [3.0] * 6,
        "kesulitan_penerapan": [True, False, False, False, False] + [True] * 3 + [False] * 3})
    effects = pd.DataFrame({"unit": ["A"], "estimate": [1.5]})
    out = iv.difficulty_by_unit(coded, evaluasi, effects=effects).set_index("unit")
    assert out.loc["A", "proporsi_kesulitan_wawancara"] == pytest.approx(2 / 5)
    # mean of the row means: four rows of (4+3+5)/3 = 4 and one of (4+3)/2 = 3.5 → 3.9
    assert out.loc["A", "l3_score"] == pytest.approx(3.9)
    assert out.loc["A", "proporsi_kesulitan_l3"] == pytest.approx(0.2)
    assert out.loc["A", "efek_estimasi"] == pytest.approx(1.5)
    assert pd.isna(out.loc["B", "proporsi_kesulitan_wawancara"])  # 2 informants: suppressed
    # ... and so is the count of 2 itself (a cell under 5 people); A's 5 stays.
    assert pd.isna(out.loc["B", "n_informan"]) and pd.isna(out.loc["B", "n_informan_kesulitan"])
    assert out.loc["A", "n_informan"] == 5 and out.loc["A", "n_informan_kesulitan"] == 2
    assert out.loc["B", "l3_score"] == pytest.approx(3.0)
    assert pd.isna(out.loc["B", "efek_estimasi"])
    assert pd.isna(out.loc["C", "n_informan"]) and out.loc["C", "n_evaluasi"] == 0


def test_difficulty_by_unit_hides_a_second_unit_where_one_would_be_a_difference() -> None:
    # A (5 informants) and B (2): the total of 7 informants is published elsewhere (theme
    # frequencies), so A is hidden with B; the same for the evaluations (6 and 3 of 9)
    coded = pd.DataFrame({
        "kode_informan": [f"I{i}" for i in range(7)], "unit": ["A"] * 5 + ["B"] * 2,
        "tema": "kesulitan_penerapan", "otomatis": [1, 0, 0, 1, 0, 1, 1]})
    evaluasi = pd.DataFrame({"unit": ["A"] * 6 + ["B"] * 3, "skor_alumni": 4.0,
                             "skor_atasan": 3.0, "skor_rekan": 3.0,
                             "kesulitan_penerapan": [True, False, False] * 3})
    out = iv.difficulty_by_unit(coded, evaluasi).set_index("unit")
    assert out["suppressed_wawancara"].all() and out["n_informan"].isna().all()
    assert out["suppressed_l3"].all() and out["l3_score"].isna().all()


def test_difficulty_groups_follow_notebook_04s_rule() -> None:
    # last quarter of each reached unit: shares .1 .2 .3 .4 → median .25; D never reached
    panel = pd.DataFrame({
        "unit": list("AABBCCDE"), "t": [1, 2, 1, 2, 1, 2, 2, 2],
        "cohort": [1, 1, 2, 2, 2, 2, 0, 1],
        "share_difficulty": [0.9, 0.1, 0.0, 0.2, 0.0, 0.3, 0.9, 0.4]})
    assert iv.difficulty_groups(panel) == {"difficulty_high": ["C", "E"],
                                           "difficulty_low": ["A", "B"]}


def test_difficulty_pooled_by_group_beside_effects() -> None:
    # high: units A, B with 3 + 3 informants, 4 reporting difficulty → 4/6; low: C (3
    # informants, 1 difficulty) and D (no interviews) → 3 informants, suppressed; mid: E
    # (5 informants), suppressed with low (else low = all 14 informants − high − mid).
    coded = pd.DataFrame({
        "kode_informan": [f"I{i}" for i in range(14)], "unit": list("AAABBBCCCEEEEE"),
        "tema": "kesulitan_penerapan",
        "otomatis": [1, 1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0]})
    effects = pd.DataFrame({
        "outcome": ["ikm", "ikm", "nrr_u6", "ikm"],
        "estimand": ["att_difficulty_high", "att_difficulty_low", "att_difficulty_high", "att"],
        "estimate": [1.4, 3.6, 0.17, 2.5], "ci_low": [0.1, 2.3, 0.08, 1.0],
        "ci_high": [2.8, 4.9, 0.26, 4.0]})
    groups = {"difficulty_high": ["A", "B"], "difficulty_low": ["C", "D"],
              "difficulty_mid": ["E"]}
    out = iv.difficulty_by_group(coded, groups, effects=effects)
    high = out[out["kelompok"].eq("difficulty_high")].set_index("outcome")
    assert high.loc["ikm", "proporsi_kesulitan_wawancara"] == pytest.approx(4 / 6)
    assert high.loc["ikm", "estimate"] == pytest.approx(1.4)
    assert high.loc["nrr_u6", "estimate"] == pytest.approx(0.17)
    low = out[out["kelompok"].eq("difficulty_low")].iloc[0]
    assert low["n_unit"] == 2 and low["n_unit_diwawancara"] == 1 and low["n_informan"] == 3
    assert low["suppressed"] and pd.isna(low["proporsi_kesulitan_wawancara"])
    assert low["estimate"] == pytest.approx(3.6)  # the effect is not about people: kept
    mid = out[out["kelompok"].eq("difficulty_mid")].iloc[0]
    assert mid["suppressed"] and pd.isna(mid["n_informan_kesulitan"])
    assert list(out.columns)[-1] == "suppressed"
    assert len(out) == 4  # the overall "att" row is not a group
    without = iv.difficulty_by_group(coded, groups)
    assert without["estimate"].isna().all() and len(without) == 3


def test_position_type_from_title() -> None:
    titles = pd.Series(["Kepala Seksi Pelayanan", "Sekretaris", "Perawat Ahli Muda",
                        "Arsiparis Terampil", "Petugas Front Office", None])
    assert iv.position_type(titles).tolist()[:5] == [
        "Struktural", "Struktural", "Fungsional", "Fungsional", "Pelaksana"]
    assert pd.isna(iv.position_type(titles).iloc[5])


def test_ignored_set_phrases_are_no_keywords(codebook: iv.Codebook) -> None:
    assert "semoga bermanfaat" in codebook.ignore
    texts = pd.Series(["Sama-sama, semoga bermanfaat.", "Pelatihannya bermanfaat sekali."])
    assert iv.code_texts(texts, codebook)["dampak_positif"].tolist() == [0, 1]


def test_code_suggestions_by_unit(codebook: iv.Codebook) -> None:
    saran = ["Antrean terlalu lama, mohon ditambah loket.", "Website sering error.",
             "Ruang tunggu panas, AC perlu diperbaiki.", "Petugas kurang ramah.",
             "Pelayanan sudah baik.", "", None, "Parkir sempit."]
    # unit C's four suggestions hold no theme; B (1) and C (4) are suppressed together
    saran += ["Terima kasih.", "Terima kasih banyak.", "Oke.", "Semoga sukses."]
    skm = pd.DataFrame({"unit": ["A"] * 5 + ["B"] * 3 + ["C"] * 4, "saran": saran})
    out = iv.code_suggestions(skm, codebook).set_index(["dimensi", "kelompok", "tema"])
    overall = out.loc[("semua", "Semua")]
    assert overall.loc["manajemen_waktu", "n_saran"] == 10  # blank and missing are no saran
    assert overall.loc["manajemen_waktu", "n_saran_tema"] == 1
    # more counters ("ditambah loket"), a hot waiting room, a narrow car park
    assert overall.loc["sarana_prasarana", "n_saran_tema"] == 3
    assert overall.loc["teknologi_informasi", "n_saran_tema"] == 1
    assert overall.loc["perilaku_petugas", "n_saran_tema"] == 1  # not negatable
    assert out.loc[("unit", "A", "sarana_prasarana"), "proporsi"] == pytest.approx(0.4)
    assert bool(out.loc[("unit", "B", "sarana_prasarana"), "suppressed"])  # one saran
    assert bool(out.loc[("unit", "C", "sarana_prasarana"), "suppressed"])  # four


# --- the simulated city ---------------------------------------------------------------------


def test_simulated_city_codes_and_agrees(small_processed: Path, codebook: iv.Codebook) -> None:
    segments = pd.read_parquet(small_processed / "wawancara_segmen.parquet")
    manual = pd.read_parquet(small_processed / "wawancara_koding_manual.parquet")
    coded = iv.code_segments(segments, codebook)
    n_informant_turns = int(segments["pembicara"].eq("I").sum())
    assert len(coded) == n_informant_turns * len(codebook.keys("wawancara"))
    out = iv.agreement(coded, manual)
    assert set(out["tema"]) == set(REQUIRED_THEMES)
    assert out["kappa_koder"].notna().all()
    assert out["kappa_otomatis_konsensus"].between(-1, 1).all()
    # The theme the link to the numbers rests on must pass the documented reliability bar
    # on the simulator's sentences (present, negated and filler sentences alike).
    difficulty = out.set_index("tema").loc["kesulitan_penerapan"]
    assert difficulty["kappa_otomatis_konsensus"] >= iv.KAPPA_THRESHOLD
    assert difficulty["status_otomatis"] == "andal"


def test_notebook_05_tables_of_a_simulated_city_pass_their_schemas(
        small_processed: Path, codebook: iv.Codebook, tmp_path: Path) -> None:
    # The six processed tables of notebook 05, made as the notebook makes them (with a
    # notebook-04-like effects table), go through the one writer and come back unchanged
    # but for the schema's types; a broken table is refused.
    from pandera.errors import SchemaErrors

    from evalkit.ikm import compute_ikm
    from evalkit.panel import panel_unit_period
    from evalkit.schemas import write_processed

    def read(name: str) -> pd.DataFrame:
        return pd.read_parquet(small_processed / f"{name}.parquet")

    segments, manual = read("wawancara_segmen"), read("wawancara_koding_manual")
    coded = iv.code_segments(segments, codebook)
    labels = codebook.labels("id")
    panel = panel_unit_period(compute_ikm(read("skm")), read("kinerja_layanan"),
                              read("pegawai"), read("pelatihan"), read("mentoring"),
                              read("evaluasi_pasca_pelatihan"))
    effects = pd.DataFrame({"outcome": ["ikm", "ikm", "nrr_u6"],
                            "estimand": ["att_difficulty_high", "att_difficulty_low",
                                         "att_difficulty_high"],
                            "estimate": [1.4, 3.6, 0.2], "ci_low": [0.1, 2.3, 0.1],
                            "ci_high": [2.8, 4.9, 0.3]})
    tables = {
        "interview_themes": iv.theme_frequencies(coded, labels=labels),
        "interview_agreement": iv.agreement(coded, manual, labels=labels),
        "interview_quotes": iv.representative_quotes(coded, segments, codebook,
                                                     manual=manual, labels=labels),
        "interview_difficulty_unit": iv.difficulty_by_unit(
            coded, read("evaluasi_pasca_pelatihan"), effects=effects),
        "interview_difficulty_group": iv.difficulty_by_group(
            coded, iv.difficulty_groups(panel), effects=effects),
        "suggestion_themes": iv.code_suggestions(read("skm"), codebook, labels=labels),
    }
    for name, table in tables.items():
        returned = write_processed(name, table, tmp_path)
        written = pd.read_parquet(tmp_path / f"{name}.parquet")
        pd.testing.assert_frame_equal(returned, written, obj=name)  # what was written
        assert list(written.columns) == list(table.columns), name
        pd.testing.assert_frame_equal(written.astype(table.dtypes.to_dict()), table,
                                      check_dtype=False, obj=name)
    group = tables["interview_difficulty_group"]
    # one row per group × outcome of the effects table
    assert set(group.loc[group["kelompok"].eq("difficulty_high"), "outcome"]) == {"ikm",
                                                                                 "nrr_u6"}
    broken = tables["interview_themes"].copy()
    broken.loc[broken.index[0], "n_informan_tema"] = 999  # more with the theme than asked
    with pytest.raises(SchemaErrors, match="n_informan_tema above n_informan"):
        write_processed("interview_themes", broken, tmp_path)
    twice = pd.concat([tables["interview_quotes"]] * 2, ignore_index=True)
    with pytest.raises(SchemaErrors, match="duplicate rows for tema, peringkat"):
        write_processed("interview_quotes", twice, tmp_path)


# --- the committed notebook -----------------------------------------------------------------

NOTEBOOK = NOTEBOOKS_DIR / "05-interview-themes.ipynb"


def _all_outputs(path: Path) -> str:
    parts = []
    for cell in nbformat.read(path, as_version=4).cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts.append(output.get("traceback", "") and "\n".join(output["traceback"]))
            for mime, value in output.get("data", {}).items():
                if mime.startswith(("text/", "application/json", "image/svg")):
                    parts.append(value if isinstance(value, str) else json.dumps(value))
    return "\n".join(parts)


def _informant_names() -> list[str]:
    """Names the simulator can put into transcripts (first names and surnames)."""
    texts = pytest.importorskip("evalkit.simulate.texts")
    names = set(texts.MALE_NAMES) | set(texts.FEMALE_NAMES) | set(texts.SURNAMES_M) \
        | set(texts.SURNAMES_F)
    # Very short or common words ("Sri", "Tri", "Nur", "Eka", "Ika", "Dwi", "Hari", "Putri",
    # "Ayu", "Dian", "Indah", "Bagus") also occur in ordinary Indonesian or in unit names;
    # they are matched as whole words only when capitalised and after a title (below).
    return sorted(names)


def _embedded_names() -> set[str]:
    """Names written into the bundled transcripts ("Saya Budi Santoso, ...", "Pak X, atasan")."""
    from evalkit.config import RAW_DIR

    folder = RAW_DIR / "wawancara"
    if not folder.is_dir():
        pytest.skip("no bundled transcripts in data/raw/wawancara")
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt")))
    return set(re.findall(r"\b(?:Saya|Pak|Bu)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2}),", text))


def test_embedded_name_pattern_finds_names() -> None:
    names = _embedded_names()
    assert names, "the simulator embeds informant names; the pattern should find some"


def test_notebook_outputs_hold_no_identifiers_or_names() -> None:
    assert NOTEBOOK.is_file(), "notebooks/05-interview-themes.ipynb is missing"
    text = _all_outputs(NOTEBOOK)
    assert text.strip(), "the notebook has no stored outputs to check"
    for name, pattern in IDENTIFIERS.items():
        found = pattern.findall(text)
        assert not found, f"{name} pattern in notebook 05 outputs: {found[:3]}"
    names = "|".join(map(re.escape, _informant_names()))
    titled = re.compile(rf"\b(?:Bapak|Ibu|Pak|Bu|Mas|Mbak|Saudara|Saudari|saya|Saya)\s+"
                        rf"(?:{names})\b")
    assert not titled.findall(text), titled.findall(text)[:3]
    full = re.compile(rf"\b(?:{names})\s+(?:{names})\b")  # first name + surname
    assert not full.findall(text), full.findall(text)[:3]
    leaked = sorted(n for n in _embedded_names() if n in text)  # the exact embedded names
    assert not leaked, leaked[:3]


def test_notebook_outputs_publish_no_informant_codes_or_small_counts() -> None:
    # Informant codes are pseudonyms (still personal data): not in published outputs.
    text = _all_outputs(NOTEBOOK)
    assert not re.findall(r"INF-\d+", text), re.findall(r"INF-\d+", text)[:3]
    # The per-unit link table, as the notebook shows it, has no informant count of 1–4.
    nb = nbformat.read(NOTEBOOK, as_version=4)
    link_cell = next(c for c in nb.cells if c.cell_type == "code"
                     and "drop(columns=[\"suppressed_wawancara\"" in c.source)
    html = "".join(o.get("data", {}).get("text/html", "") for o in link_cell.outputs)
    table = pd.read_html(io.StringIO(html))[0]
    shown = pd.to_numeric(table["n_informan"], errors="coerce").dropna()
    assert len(table) and (shown >= 5).all(), shown.tolist()


@pytest.mark.parametrize("text, message", [
    ("themes: {}\nextra: 1\n", r"line 2: unknown section 'extra'\. Allowed: ignore, "
                                r"negation, themes\."),
    ("themes:\n  beban_kerja:\n    label: B\n    label_en: W\n    description: d\n"
     "    keywords: [lembur]\n    colour: red\n",
     r"line 7: theme 'beban_kerja' has an unknown field 'colour'\. Allowed: context, "),
    ("themes:\n  beban_kerja:\n    label: B\n    label_en: W\n    description: d\n"
     "    keywords: [lembur]\nnegation:\n  window: 3\n  sebelum: [tidak]\n",
     r"line 9: unknown negation field 'sebelum'\. Allowed: after, before, window\."),
])
def test_unknown_keys_name_their_line_and_the_allowed_ones(tmp_path: Path, text: str,
                                                            message: str) -> None:
    path = tmp_path / "codebook.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(iv.CodebookError, match=message):
        iv.load_codebook(path)
