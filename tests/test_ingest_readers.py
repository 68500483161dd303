"""Each reader on small hand-made exports: locale variants, row faults, file-level faults."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from evalkit import ingest, schemas
from evalkit.ingest import RawFileError
from evalkit.ingest.readers import (
    EVALUASI_COLUMNS,
    KINERJA_COLUMNS,
    KODING_COLUMNS,
    MENTORING_COLUMNS,
    PEGAWAI_COLUMNS,
    PELATIHAN_COLUMNS,
    SKP_COLUMNS,
)
from evalkit.ingest.skm import PROFILE_COLUMNS
from evalkit.ingest.wawancara import parse_transcript
from evalkit.privacy import pseudonymise
from evalkit.schemas import UNSUR

KEY = "test-key"
NIP_A = "197807172010012012"   # PNS, born 1978, female
NIP_B = "198503212009031004"   # PNS, born 1985, male
NIP_C = "199001012021221001"   # PPPK, born 1990, male


def write_csv(path, header, rows, sep=",", encoding="utf-8"):
    lines = [sep.join(header)] + [sep.join("" if v is None else str(v) for v in r)
                                  for r in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def pegawai_rows():
    return [
        [NIP_A, "Sari Wulandari", "Dinas X", "Pelaksana", "III/a", "D4/S1", "P", "17/07/1978",
         "01/01/2010", "081234567890", "Aktif"],
        ["19850321 200903 1 004", "Budi Santoso", "Dinas Y", "struktural", "iv/b", "S2", "L",
         "21-03-1985", "2009-03-01", "+62 812 1111 2222", "aktif"],
        [NIP_C, "Agus", "Dinas X", "Fungsional", "IX", "D3", "L", "01/01/1990", "01/01/2021",
         "", "Aktif"],
    ]


# --- pegawai -----------------------------------------------------------------------------------
@pytest.mark.parametrize("sep, encoding", [(",", "utf-8"), (";", "cp1252"), (";", "utf-8-sig")])
def test_pegawai_locale_variants_give_the_same_table(tmp_path, sep, encoding):
    path = write_csv(tmp_path / "pegawai.csv", PEGAWAI_COLUMNS, pegawai_rows(), sep, encoding)
    clean, quarantine = ingest.read_pegawai(path, key=KEY, reference_year=2025)
    assert quarantine.empty
    assert clean["pid"].tolist() == pseudonymise(pd.Series([NIP_A, NIP_B, NIP_C]),
                                                 KEY).tolist()
    assert clean["jenis_jabatan"].tolist() == ["Pelaksana", "Struktural", "Fungsional"]
    assert clean["golongan"].tolist() == ["III/a", "IV/b", "IX"]
    assert clean["jenis_asn"].tolist() == ["PNS", "PNS", "PPPK"]
    # ages at 2025 by hand: 47, 40, 35
    assert clean["kelompok_umur"].tolist() == ["40-49", "40-49", "30-39"]
    assert clean["status"].tolist() == ["Aktif"] * 3
    # no personal data leaves the reader
    text = clean.astype(str).to_csv()
    for secret in ("Sari", "Budi", NIP_A, "0812", "17/07/1978"):
        assert secret not in text


def test_pegawai_quarantines_bad_rows_and_masks_nip(tmp_path):
    rows = pegawai_rows()
    rows[0][0] = "197813172010012012"           # birth month 13
    rows[1][7] = "31/02/1985"                   # impossible date
    rows.append(list(rows[2]))                  # same NIP twice
    path = write_csv(tmp_path / "pegawai.csv", PEGAWAI_COLUMNS, rows)
    clean, quarantine = ingest.read_pegawai(path, key=KEY)
    assert len(clean) + len(quarantine) == 4
    assert quarantine[["source_row", "kind"]].values.tolist() == [
        [1, "nip_invalid"], [2, "date_invalid"], [4, "nip_duplicate"]]
    assert list(quarantine.columns) == ingest.QUARANTINE_COLUMNS
    # personal values are masked in the quarantine (it lives in data/processed)
    assert quarantine["raw_value"].iloc[0] == "#" * 18
    assert quarantine["raw_value"].iloc[1] == "##/##/####"


# --- pelatihan (XLSX) ----------------------------------------------------------------------
def pelatihan_frame():
    return pd.DataFrame({
        "NIP": [NIP_A, NIP_B, NIP_C, NIP_A, NIP_B, NIP_C],
        "Nama Pelatihan": ["Pelatihan Pelayanan Prima"] * 6,
        "Rumpun": ["Teknis", "teknis ", "Manajerial", "Sosial Kultural", "Coaching/Mentoring",
                   "FUNGSIONAL"],
        "Metode": ["Klasikal", "E-Learning", "Blended", "klasikal", "Klasikal", "e-learning"],
        "Tanggal Mulai": ["01/03/2024", "05/03/2024", dt.datetime(2024, 3, 5), "2024-03-05",
                          45356, "05-03-2024"],
        "Tanggal Selesai": ["03/03/2024", "07/03/2024", "07/03/2024", "07/03/2024",
                            "07/03/2024", "07/03/2024"],
        "JP": [24, 30, 12.5, 40, 8, 16],
        "Nilai Pre-Test": [60, None, 55.5, 70, 80, 50],
        "Nilai Post-Test": [80, None, 75, 90, 85, 70],
        "Nilai Reaksi": [4.5, 4, 3, 5, 4, 4],
    })


def test_pelatihan_reads_xlsx_with_mixed_dates(tmp_path):
    path = tmp_path / "pelatihan.xlsx"
    pelatihan_frame().to_excel(path, sheet_name="Pelatihan", index=False)
    roster = pd.DataFrame({"pid": pseudonymise(pd.Series([NIP_A]), KEY), "unit": ["Dinas X"]})
    clean, quarantine = ingest.read_pelatihan(path, key=KEY, roster=roster)
    assert quarantine.empty, quarantine
    # 45356 is Excel's serial of 2024-03-05: (date(2024,3,5) - date(1899,12,30)).days
    assert (dt.date(2024, 3, 5) - dt.date(1899, 12, 30)).days == 45356
    assert clean["tanggal_mulai"].iloc[1:].eq(pd.Timestamp("2024-03-05")).all()
    assert clean["rumpun"].tolist() == ["teknis", "teknis", "manajerial", "sosial kultural",
                                        "coaching/mentoring", "fungsional"]
    assert clean["klasikal"].tolist() == [True, False, False, True, True, False]
    assert clean["unit"].tolist()[:2] == ["Dinas X", None] or clean["unit"].isna().sum() == 4
    assert clean["jp"].tolist() == [24.0, 30.0, 12.5, 40.0, 8.0, 16.0]


def test_pelatihan_row_faults(tmp_path):
    frame = pelatihan_frame().astype(object)
    frame.loc[0, "NIP"] = float(NIP_A)                 # a spreadsheet stored it as a number
    frame.loc[1, "JP"] = 250
    frame.loc[2, "Tanggal Selesai"] = "01/03/2024"     # before 05/03/2024
    frame.loc[3, "Tanggal Mulai"] = "31/02/2024"
    frame.loc[4, "NIP"] = "1.98503212009031E+17"       # the same, typed as text
    path = tmp_path / "pelatihan.xlsx"
    frame.to_excel(path, sheet_name="Pelatihan", index=False)
    clean, quarantine = ingest.read_pelatihan(path, key=KEY)
    assert len(clean) == 1
    assert quarantine[["source_row", "column", "kind"]].values.tolist() == [
        [1, "NIP", "nip_float"], [2, "JP", "jp_out_of_range"],
        [3, "Tanggal Selesai", "training_end_before_start"],
        [4, "Tanggal Mulai", "date_invalid"], [5, "NIP", "nip_float"]]
    assert quarantine["raw_value"].iloc[0] == "#.##############*+##"
    assert "never guessed" in quarantine["reason"].iloc[0]


def test_pelatihan_file_faults(tmp_path):
    with pytest.raises(RawFileError, match="not found"):
        ingest.read_pelatihan(tmp_path / "pelatihan.xlsx", key=KEY)
    csv = write_csv(tmp_path / "pelatihan.xlsx", PELATIHAN_COLUMNS, [])
    with pytest.raises(RawFileError, match="not an .xlsx workbook"):
        ingest.read_pelatihan(csv, key=KEY)
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(RawFileError, match="empty"):
        ingest.read_pelatihan(empty, key=KEY)
    wrong_sheet = tmp_path / "sheet.xlsx"
    pelatihan_frame().to_excel(wrong_sheet, sheet_name="Sheet1", index=False)
    with pytest.raises(RawFileError, match="sheet 'Pelatihan' not found"):
        ingest.read_pelatihan(wrong_sheet, key=KEY)
    no_jp = tmp_path / "nojp.xlsx"
    pelatihan_frame().drop(columns="JP").to_excel(no_jp, sheet_name="Pelatihan", index=False)
    with pytest.raises(RawFileError) as err:
        ingest.read_pelatihan(no_jp, key=KEY)
    assert "nojp.xlsx" in str(err.value) and "JP" in str(err.value)
    assert "sheet 'Pelatihan'" in str(err.value) and "What to do" in str(err.value)


# --- SKM ---------------------------------------------------------------------------------------
QUESTIONS = ingest.load_questions()
STANDARD = {
    "u1": "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
          "pelayanannya?",
    "u2": "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
    "u3": "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
    "u4": "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
    "u5": "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang "
          "tercantum dalam standar pelayanan dengan hasil yang diberikan?",
    "u6": "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
    "u7": "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait "
          "kesopanan dan keramahan?",
    "u8": "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
    "u9": "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
}
LABELS = {  # DOMAIN.md §1, score 1..4
    "u1": ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    "u2": ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    "u3": ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    "u4": ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    "u5": ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    "u6": ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    "u7": ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah",
           "Sangat sopan dan ramah"),
    "u8": ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal",
           "Dikelola dengan baik"),
    "u9": ("Buruk", "Cukup", "Baik", "Sangat baik"),
}
SCORES = [[1, 2, 3, 4, 4, 3, 2, 1, 3], [4, 4, 4, 4, 4, 4, 4, 4, 4], [2, 3, 3, 3, 2, 3, 1, 4, 2]]


def write_skm(path, scores=SCORES, order=UNSUR, sep=",", encoding="utf-8", style="label",
              headings=STANDARD, extra_rows=()):
    header = ["Timestamp", "Unit Layanan", "Jenis Layanan", "Jenis Kelamin", "Umur",
              "Pendidikan", "Pekerjaan", *[headings[u] for u in order], "Saran / Masukan"]
    rows = []
    for i, s in enumerate(scores):
        answers = []
        for u in order:
            score = s[UNSUR.index(u)]
            if style == "label":
                answers.append(LABELS[u][score - 1])
            elif style == "upper":
                answers.append(" " + LABELS[u][score - 1].upper() + " ")
            elif style == "letter":
                answers.append("abcd"[score - 1])
            else:
                answers.append(str(score))
        rows.append([f"0{i + 1}/02/2024 10:0{i}:00", "Dinas X", "KTP", "P", 30 + i, "SMA",
                     "Swasta", *answers, "Terima kasih Ibu Sari, hub 081234567890"])
    rows.extend(extra_rows)
    quoted = [['"' + str(v) + '"' if sep in str(v) else v for v in r] for r in [header] + rows]
    return write_csv(path, quoted[0], quoted[1:], sep=sep, encoding=encoding)


@pytest.mark.parametrize("variant", [
    {}, {"sep": ";"}, {"encoding": "cp1252", "sep": ";"}, {"encoding": "utf-8-sig"},
    {"style": "upper"}, {"style": "letter"}, {"style": "digit"},
    {"order": (*UNSUR[:7], "u9", "u8")},                       # Q8/Q9 swapped
    {"order": tuple(reversed(UNSUR))},
    {"headings": {u: f"{i + 1}. " + QUESTIONS.names[u].upper()
                  for i, u in enumerate(UNSUR)}},
])
def test_skm_variants_give_the_same_scores(tmp_path, variant):
    write_skm(tmp_path / "dinas-x_2024Q1.csv", **variant)
    clean, quarantine = ingest.read_skm(tmp_path)
    assert quarantine.empty, quarantine
    assert clean[list(UNSUR)].astype(int).values.tolist() == SCORES
    assert clean["period"].unique().tolist() == ["2024Q1"]
    assert clean["tanggal"].dt.month.unique().tolist() == [2]        # day-first
    assert clean["saran"].iloc[0] == "Terima kasih Ibu [NAMA], hub [TELEPON]"
    assert clean["response_id"].is_unique
    # text columns leave the reader as text, as the schema says (not as Categoricals)
    schemas.validate(clean, "skm")
    assert not any(isinstance(t, pd.CategoricalDtype) for t in clean.dtypes)


def test_skm_row_faults(tmp_path):
    path = write_skm(tmp_path / "dinas-x_2024Q1.csv")
    lines = path.read_text().splitlines()
    first = lines[1].split(",")
    out_of_range = list(first)
    out_of_range[7] = "5"
    unknown = list(first)
    unknown[8] = "Sangat mudahh"
    blank = list(first)
    blank[9] = ""
    bad_date = list(first)
    bad_date[0] = "31/02/2024 10:00:00"
    other_unit = list(first)
    other_unit[1] = "Dinas Tidak Ada"
    rows = [lines[1], ",".join(out_of_range), ",".join(unknown), lines[1], ",".join(blank),
            ",".join(bad_date), ",".join(other_unit)]
    path.write_text("\n".join([lines[0], *rows]) + "\n")
    clean, quarantine = ingest.read_skm(path, known_units={"Dinas X"})
    assert len(clean) + len(quarantine) == 7
    assert quarantine[["source_row", "column", "kind"]].values.tolist() == [
        [2, "u1", "answer_out_of_range"], [3, "u2", "answer_unknown_label"],
        [4, None, "duplicate_response"], [6, "Timestamp", "date_invalid"],
        [7, "Unit Layanan", "unit_unknown"]]
    kept_blank = clean.set_index("response_id").loc["dinas-x_2024Q1-000005"]
    assert pd.isna(kept_blank["u3"]) and kept_blank["u4"] == 4   # blank kept, element only


def test_skm_unknown_heading_names_file_column_and_known_headings(tmp_path):
    headings = dict(STANDARD, u4="Bagaimana pendapat Saudara tentang parkir?")
    write_skm(tmp_path / "x_2024Q1.csv", headings=headings)
    with pytest.raises(RawFileError) as err:
        ingest.read_skm(tmp_path)
    message = str(err.value)
    assert "x_2024Q1.csv" in message and "tentang parkir?" in message
    assert "u4 (Biaya/Tarif)" in message and "kewajaran biaya" in message


def test_skm_file_faults(tmp_path):
    with pytest.raises(RawFileError, match="not found"):
        ingest.read_skm(tmp_path / "skm")
    (tmp_path / "skm").mkdir()
    with pytest.raises(RawFileError, match="no .csv files"):
        ingest.read_skm(tmp_path / "skm")
    empty = tmp_path / "skm" / "a_2024Q1.csv"
    empty.write_text("")
    with pytest.raises(RawFileError, match="a_2024Q1.csv: the file is empty"):
        ingest.read_skm(tmp_path / "skm")
    header_only = ",".join([*PROFILE_COLUMNS, *STANDARD.values()])
    # a timestamp is required; the profile columns are optional since issue 13 (the IKM
    # needs none of them): a missing one becomes an empty column, listed in the result
    empty.write_text(header_only.replace("Timestamp,", "") + "\n1,2\n")
    with pytest.raises(RawFileError, match="a_2024Q1.csv: no Timestamp column and "
                                          "no period column.*period_value"):
        ingest.read_skm(tmp_path / "skm")
    answers = ",".join("d" * 9)
    empty.write_text(header_only.replace("Umur,", "")
                     + f"\n05/01/2024 10:00:00,Dinas X,KTP,P,SMA,Swasta,{answers},\n")
    result = ingest.read_skm(tmp_path / "skm")
    assert result.details["columns_absent"] == ["Umur"]
    assert len(result.clean) == 1 and result.clean["umur"].isna().all()


# --- kinerja, skp, evaluasi, mentoring, koding ---------------------------------------------
def test_kinerja_locale_numbers_and_faults(tmp_path):
    rows = [["Dinas X", "2024-01", "1.234", "1.100", "3,5", "12"],
            ["Dinas X", "02/2024", "980", "900", "2,75", "4"],
            ["Dinas Z", "2024-03", "10", "9", "1", "0"],
            ["Dinas X", "2024-13", "10", "9", "1", "0"],
            ["Dinas X", "2024-04", "sepuluh", "9", "1", "0"]]
    path = write_csv(tmp_path / "kinerja_layanan.csv", KINERJA_COLUMNS, rows, sep=";")
    clean, quarantine = ingest.read_kinerja(path, known_units={"Dinas X"})
    assert clean["bulan"].tolist() == ["2024-01", "2024-02"]
    assert clean["period"].tolist() == ["2024Q1", "2024Q1"]
    assert clean["jumlah_permohonan"].tolist() == [1234, 980]
    assert clean["rata_rata_hari"].tolist() == [3.5, 2.75]
    assert quarantine["kind"].tolist() == ["unit_unknown", "date_invalid", "value_invalid"]


def test_skp_predikat_is_ordered(tmp_path):
    rows = [[NIP_A, "2024", "Di atas ekspektasi", "Di atas ekspektasi", "Sangat Baik"],
            [NIP_B, "2024", "sesuai ekspektasi", "Di bawah ekspektasi", "kurang/misconduct"],
            [NIP_C, "2024", "Di bawah ekspektasi", "Sesuai ekspektasi", "Luar biasa"]]
    path = write_csv(tmp_path / "skp.csv", SKP_COLUMNS, rows)
    clean, quarantine = ingest.read_skp(path, key=KEY)
    assert clean["predikat"].cat.ordered
    assert (clean["predikat"].iloc[0] > clean["predikat"].iloc[1])
    assert quarantine[["column", "kind"]].values.tolist() == [["Predikat", "value_invalid"]]


def test_evaluasi_and_mentoring(tmp_path):
    rows = [[NIP_A, "Pelatihan Pelayanan Prima", "05/12/2024", "4", "3,5", "4", "Ya"],
            ["1.97807172010012E+17", "Pelatihan Pelayanan Prima", "05/12/2024", "4", "4", "4",
             "Tidak"],
            [NIP_B, "Pelatihan Pelayanan Prima", "05/12/2024", "7", "4", "4", "Tidak"]]
    path = write_csv(tmp_path / "evaluasi_pasca_pelatihan.csv", EVALUASI_COLUMNS, rows, ";")
    clean, quarantine = ingest.read_evaluasi(path, key=KEY)
    assert clean["kesulitan_penerapan"].tolist() == [True]
    assert quarantine["kind"].tolist() == ["nip_float", "value_invalid"]

    rows = [[NIP_A, NIP_C, "Dinas X", "15/01/2024", ""],
            [NIP_B, "19900101202122100", "Dinas X", "15/01/2024", "15/06/2024"]]
    path = write_csv(tmp_path / "mentoring.csv", MENTORING_COLUMNS, rows)
    clean, quarantine = ingest.read_mentoring(path, key=KEY)
    assert len(clean) == 1 and pd.isna(clean["tanggal_selesai"].iloc[0])
    assert quarantine[["column", "kind"]].values.tolist() == [["NIP Mentee", "nip_invalid"]]


def test_koding_manual(tmp_path):
    rows = [["INF-001", "1", "beban_kerja", "1", "0"], ["INF-001", "2", "beban_kerja", "2", "0"]]
    path = write_csv(tmp_path / "wawancara_koding_manual.csv", KODING_COLUMNS, rows)
    clean, quarantine = ingest.read_koding_manual(path)
    assert clean[["segmen", "koder_1", "koder_2"]].astype(int).values.tolist() == [[1, 1, 0]]
    assert quarantine[["column", "kind"]].values.tolist() == [["Koder 1", "value_invalid"]]


def test_wawancara(tmp_path):
    folder = tmp_path / "wawancara"
    folder.mkdir()
    (folder / "INF-001.txt").write_text(
        "Kode Informan: INF-001\nUnit Kerja: Dinas X\nJabatan: Petugas Front Office\n"
        "Pelatihan: Pelatihan Pelayanan Prima\nTanggal: 05/12/2025\n---\n"
        "P: Bagaimana pengalaman Ibu?\n\nI: Saya Rina. Materinya berguna,\nhanya loketnya "
        "ramai.\n\nP: Terima kasih.\n\nI: Sama-sama, hubungi 0812 3456 7890.\n",
        encoding="utf-8")
    clean, quarantine = ingest.read_wawancara(folder)
    assert quarantine.empty
    assert clean["segmen"].tolist() == [0, 1, 0, 2]
    assert clean["pembicara"].tolist() == ["P", "I", "P", "I"]
    assert clean["teks"].iloc[1] == "Saya [NAMA]. Materinya berguna, hanya loketnya ramai."
    assert clean["teks"].iloc[3] == "Sama-sama, hubungi [TELEPON]."
    assert clean["tanggal"].iloc[0] == pd.Timestamp("2025-12-05")
    (folder / "INF-002.txt").write_text("Kode Informan: INF-002\nP: tanpa pemisah\n")
    with pytest.raises(RawFileError, match="INF-002.txt: no line '---'"):
        ingest.read_wawancara(folder)


TRANSCRIPT_HEADER = ("Kode Informan: INF-001\nUnit Kerja: Dinas Sosial\nJabatan: Pelaksana\n"
                     "Pelatihan: Pelayanan Prima\nTanggal: 04/03/2025\n---\n")


def test_parse_transcript_joins_lines_and_tolerates_header_spelling():
    text = ("kode informan :  INF-007\r\nUNIT KERJA: Dinas Sosial\r\nJabatan:\r\n"
            "Pelatihan: Pelayanan Prima\r\nTanggal: 04/03/2025\r\n---\r\n\r\n"
            "p: Apa   manfaatnya?\r\ni:Sangat\tbermanfaat,\r\n\r\n   saya lebih yakin.\r\n")
    turns = parse_transcript(text, "INF-007.txt")
    assert turns["pembicara"].tolist() == ["P", "I"]
    assert turns["segmen"].tolist() == [0, 1]
    # a continuation line (even after a blank line) joins the turn; white space collapses
    assert turns["teks"].tolist() == ["Apa manfaatnya?", "Sangat bermanfaat, saya lebih yakin."]
    assert turns["baris"].tolist() == [8, 9]  # header 5 lines, '---' on 6, blank 7
    assert set(turns["kode_informan"]) == {"INF-007"}
    assert set(turns["unit"]) == {"Dinas Sosial"}
    assert turns["jabatan"].isna().all()  # an empty value is allowed (nullable column)


def test_parse_transcript_errors_name_file_and_line():
    with pytest.raises(RawFileError, match=r"x\.txt: header line\(s\) 'Jabatan:', "
                                           r"'Tanggal:' missing before '---' \(line 4\)"):
        parse_transcript(TRANSCRIPT_HEADER.replace("Jabatan: Pelaksana\n", "")
                         .replace("Tanggal: 04/03/2025\n", "") + "P: Ya?\n", "x.txt")
    with pytest.raises(RawFileError, match=r"x\.txt: line 1: 'Kode Informan:' is empty"):
        parse_transcript(TRANSCRIPT_HEADER.replace("INF-001", " ") + "P: Ya?\n", "x.txt")
    with pytest.raises(RawFileError, match=r"x\.txt: the transcript has no turns after '---' "
                                           r"\(line 6\)"):
        parse_transcript(TRANSCRIPT_HEADER + "\n   \n", "x.txt")


def test_wawancara_quarantines_stray_text_and_empty_turns_naming_the_line(tmp_path):
    (tmp_path / "INF-001.txt").write_text(
        TRANSCRIPT_HEADER + "\nSebelum mulai.\nP:\nI: Ya, bermanfaat.\n", encoding="utf-8")
    clean, quarantine = ingest.read_wawancara(tmp_path)
    assert clean[["segmen", "pembicara", "teks"]].values.tolist() == [[1, "I", "Ya, bermanfaat."]]
    # source_row is the turn number (data contract); the reason names the file's line
    assert quarantine[["source_file", "source_row", "kind"]].values.tolist() == [
        ["INF-001.txt", 1, "value_invalid"], ["INF-001.txt", 2, "value_missing"]]
    assert quarantine["reason"].str.match(r"line (8|9): ").all()
    assert quarantine["reason"].iloc[0].startswith("line 8: text outside a turn")


def test_wawancara_reads_a_windows_encoded_transcript(tmp_path):
    # cp1252 "é" (0xE9) is not valid UTF-8: the shared decoder falls back to cp1252
    (tmp_path / "INF-001.txt").write_bytes(
        (TRANSCRIPT_HEADER + "P: Ya?\nI: Caf\u00e9 di kantor.\n").encode("cp1252"))
    clean, quarantine = ingest.read_wawancara(tmp_path)
    assert quarantine.empty and clean["teks"].iloc[1] == "Caf\u00e9 di kantor."


# --- file-level faults common to the CSV readers --------------------------------------------
CSV_READERS = [
    (ingest.read_pegawai, "pegawai.csv", PEGAWAI_COLUMNS, {"key": KEY}),
    (ingest.read_kinerja, "kinerja_layanan.csv", KINERJA_COLUMNS, {}),
    (ingest.read_skp, "skp.csv", SKP_COLUMNS, {"key": KEY}),
    (ingest.read_evaluasi, "evaluasi_pasca_pelatihan.csv", EVALUASI_COLUMNS, {"key": KEY}),
    (ingest.read_mentoring, "mentoring.csv", MENTORING_COLUMNS, {"key": KEY}),
    (ingest.read_koding_manual, "wawancara_koding_manual.csv", KODING_COLUMNS, {}),
]


@pytest.mark.parametrize("reader, name, columns, kwargs", CSV_READERS)
def test_csv_file_faults_have_one_clear_message(tmp_path, reader, name, columns, kwargs):
    path = tmp_path / name
    with pytest.raises(RawFileError) as err:                        # missing file
        reader(path, **kwargs)
    assert name in str(err.value) and "not found" in str(err.value)

    path.write_text("   \n")                                          # empty file
    with pytest.raises(RawFileError, match=f"{name}: the file is empty"):
        reader(path, **kwargs)

    write_csv(path, columns[1:], [["x"] * (len(columns) - 1)])       # missing column
    with pytest.raises(RawFileError) as err:
        reader(path, **kwargs)
    assert f"required column(s) {columns[0]} missing" in str(err.value)
    assert "What to do" in str(err.value)

    pd.DataFrame({c: ["x"] for c in columns}).to_excel(path, index=False)   # a workbook
    with pytest.raises(RawFileError, match="not a text"):
        reader(path, **kwargs)

    write_csv(path, columns, [])                                      # header only
    with pytest.raises(RawFileError, match="no data rows"):
        reader(path, **kwargs)


def test_raw_file_error_is_a_value_error():
    assert issubclass(RawFileError, ValueError)
    assert np.isclose(1, 1)


# --- SKP predikat against the PermenPAN-RB 6/2022 matrix ------------------------------------
#: DOMAIN.md §3, copied by hand from the regulation's table: (hasil kerja, perilaku) → predikat.
SKP_MATRIX_BY_HAND = [
    ("Di atas ekspektasi", "Di bawah ekspektasi", "Kurang/Misconduct"),
    ("Di atas ekspektasi", "Sesuai ekspektasi", "Baik"),
    ("Di atas ekspektasi", "Di atas ekspektasi", "Sangat Baik"),
    ("Sesuai ekspektasi", "Di bawah ekspektasi", "Kurang/Misconduct"),
    ("Sesuai ekspektasi", "Sesuai ekspektasi", "Baik"),
    ("Sesuai ekspektasi", "Di atas ekspektasi", "Baik"),
    ("Di bawah ekspektasi", "Di bawah ekspektasi", "Sangat Kurang"),
    ("Di bawah ekspektasi", "Sesuai ekspektasi", "Butuh Perbaikan"),
    ("Di bawah ekspektasi", "Di atas ekspektasi", "Butuh Perbaikan"),
]


def test_skp_keeps_every_predikat_the_matrix_gives(tmp_path):
    rows = [[NIP_A, str(2015 + i), h, b, p] for i, (h, b, p) in enumerate(SKP_MATRIX_BY_HAND)]
    path = write_csv(tmp_path / "skp.csv", SKP_COLUMNS, rows)
    clean, quarantine = ingest.read_skp(path, key=KEY)
    assert quarantine.empty, quarantine
    assert clean["predikat"].astype(str).tolist() == [p for _, _, p in SKP_MATRIX_BY_HAND]


def test_skp_predikat_that_does_not_follow_from_the_ratings_is_quarantined(tmp_path):
    rows = [[NIP_A, "2024", "Di bawah ekspektasi", "Di bawah ekspektasi", "Sangat Baik"],
            [NIP_B, "2024", "di atas ekspektasi", "Sesuai", "Baik"],          # consistent
            [NIP_C, "2024", "Sesuai ekspektasi", "Di atas ekspektasi", "Sangat Baik"]]
    path = write_csv(tmp_path / "skp.csv", SKP_COLUMNS, rows)
    result = ingest.read_skp(path, key=KEY)
    clean, quarantine = result
    assert len(clean) == 1 and clean["predikat"].astype(str).tolist() == ["Baik"]
    assert quarantine[["source_row", "column", "raw_value", "kind"]].values.tolist() == [
        [1, "Predikat", "Sangat Baik", "value_invalid"],
        [3, "Predikat", "Sangat Baik", "value_invalid"]]
    assert "gives 'Sangat Kurang'" in quarantine["reason"].iloc[0]
    assert "gives 'Baik'" in quarantine["reason"].iloc[1]
    assert result.rows_in == 3


def test_skp_schema_rejects_a_predikat_off_the_matrix():
    row = {"pid": "0123456789abcdef", "unit": "A", "tahun": 2024,
           "hasil_kerja": "Di bawah ekspektasi", "perilaku_kerja": "Di bawah ekspektasi"}
    ok = pd.DataFrame([{**row, "predikat": "Sangat Kurang"}])
    schemas.validate(ok, "skp")
    bad = ok.assign(predikat="Sangat Baik")
    with pytest.raises(Exception, match="predikat_matrix"):
        schemas.validate(bad, "skp")
    assert {(h, b): p for h, b, p in SKP_MATRIX_BY_HAND} == schemas.PREDIKAT_MATRIX


# --- SKM repeats: timestamps with and without a time of day ---------------------------------
def test_skm_identical_rows_with_date_only_timestamps_are_kept_and_counted(tmp_path):
    # Paper surveys keyed in with the date only: two respondents of one day may answer alike.
    path = write_skm(tmp_path / "dinas-x_2024Q1.csv")
    lines = path.read_text().splitlines()
    date_only = lines[1].replace("01/02/2024 10:00:00", "01/02/2024")
    midnight = lines[2].replace("02/02/2024 10:01:00", "02/02/2024 00:00:00")
    assert date_only != lines[1] and midnight != lines[2]
    path.write_text("\n".join([lines[0], date_only, date_only, date_only, midnight, midnight,
                               lines[3], lines[3]]) + "\n")
    with pytest.warns(ingest._common.DataQualityWarning, match="3 responses"):
        result = ingest.read_skm(path)
    clean, quarantine = result
    # rows 2, 3 (date only) and 5 (midnight = no time) kept; row 7 repeats row 6 to the second
    assert len(clean) == 6
    assert quarantine[["source_row", "kind"]].values.tolist() == [[7, "duplicate_response"]]
    assert result.notes["possible_duplicates_kept"] == 3
    assert result.rows_in == 7


def test_skm_blank_lines_are_counted_not_lost(tmp_path):
    path = write_skm(tmp_path / "dinas-x_2024Q1.csv")
    lines = path.read_text().splitlines()
    blank_row = "," * (len(lines[0].split(",")) - 1)
    path.write_text("\n".join([lines[0], lines[1], "", blank_row, lines[2], lines[3], ""])
                    + "\n")
    result = ingest.read_skm(path)
    assert (result.rows_in, result.rows_blank) == (3, 3)   # 3 responses, 3 blank lines
    assert len(result.clean) == 3 and result.quarantine.empty
    assert result.clean["response_id"].str[-1].tolist() == ["1", "4", "5"]
