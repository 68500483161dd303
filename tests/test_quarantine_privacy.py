"""No personal data in the quarantine: raw values of free-text columns are redacted, those of
personal columns masked, before the quarantine is written to data/processed."""

import csv
import re
import shutil

import pandas as pd
import pytest
from test_ingest_readers import write_skm

from evalkit import ingest
from evalkit.ingest import clean_all
from evalkit.ingest._faults import FREE_TEXT_COLUMNS, PERSONAL_COLUMNS, FaultLog
from evalkit.ingest._io import ROW

HEADER = ("Kode Informan: INF-001\nUnit Kerja: Dinas Sosial\nJabatan: Pelaksana\n"
          "Pelatihan: Pelayanan Prima\nTanggal: 04/03/2025\n---\n")
# The reviewer's reproduction: a paragraph after '---' that is not a turn.
STRAY = "Catatan: informan Ibu Sari Wulandari, HP 0812-3456-7890, NIP 197807172010012012"
# Identifiers in STRAY (and in the survey rows below) that must appear nowhere.
SECRETS = ("Sari", "Wulandari", "3456", "7890", "197807172010012012", "081234567890",
           "Budi", "budi@mail.id")


def assert_no_secret(frame: pd.DataFrame) -> None:
    text = frame.astype("str").fillna("").to_csv(index=False)
    for secret in SECRETS:
        assert secret not in text, secret


def test_stray_transcript_text_is_redacted_in_the_quarantine(tmp_path):
    (tmp_path / "INF-001.txt").write_text(
        HEADER + "\n" + STRAY + "\n\nP: Bagaimana manfaatnya?\n\nI: Sangat bermanfaat.\n",
        encoding="utf-8")
    clean, quarantine = ingest.read_wawancara(tmp_path)
    assert clean["teks"].tolist() == ["Bagaimana manfaatnya?", "Sangat bermanfaat."]
    assert quarantine[["source_row", "column", "kind"]].values.tolist() == [
        [1, "teks", "value_invalid"]]
    # the text stays readable, so a person can still see what to fix
    assert quarantine["raw_value"].iloc[0] == (
        "Catatan: informan Ibu [NAMA], HP [TELEPON], NIP [NIP]")
    assert_no_secret(quarantine)


def test_survey_row_faults_carry_no_personal_data(tmp_path):
    path = write_skm(tmp_path / "dinas-x_2024Q1.csv")
    with path.open(newline="", encoding="utf-8") as f:
        header, first = list(csv.reader(f))[:2]
    # a bad answer label in a row whose suggestion holds a name, phone number and e-mail;
    # then the same row again (an exact repeat)
    bad = list(first)
    bad[8] = "Sangat mudahh"
    bad[-1] = "Tolong Pak Budi dihubungi 0812.3456.7890, atau budi@mail.id"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, first, bad, bad])
    clean, quarantine = ingest.read_skm(path)
    assert quarantine[["source_row", "column", "kind"]].values.tolist() == [
        [2, "u2", "answer_unknown_label"], [3, None, "duplicate_response"]]
    assert quarantine["raw_value"].iloc[0] == "Sangat mudahh"
    assert_no_secret(quarantine)
    assert_no_secret(clean)


def _log(values: list[str], column: str) -> pd.DataFrame:
    frame = pd.DataFrame({column: pd.Series(values, dtype="str"), "_file": "x.csv",
                          ROW: range(1, len(values) + 1)})
    faults = FaultLog("skm", frame)
    faults.add(pd.Series(True, index=frame.index), column, "value_invalid")
    return faults.quarantine()


@pytest.mark.parametrize("column", sorted(FREE_TEXT_COLUMNS))
def test_fault_log_redacts_every_free_text_column(column):
    out = _log(["Hubungi Ibu Sari Wulandari di (0271) 123456", "antri 20 menit", None],
               column)
    assert out["raw_value"].tolist()[:2] == ["Hubungi Ibu [NAMA] di [TELEPON]",
                                             "antri 20 menit"]
    assert pd.isna(out["raw_value"].iloc[2])


def test_fault_log_masks_personal_and_keeps_other_columns():
    assert _log(["19780717 201001 2 012"], "NIP")["raw_value"].iloc[0] == (
        "######## ###### # ###")
    # a unit name that contains a form of address is not free text: kept for the fix
    assert _log(["RSUD Ibu Fatmawati"], "Unit Layanan")["raw_value"].iloc[0] == (
        "RSUD Ibu Fatmawati")
    assert not FREE_TEXT_COLUMNS & PERSONAL_COLUMNS


def test_processed_quarantine_files_hold_no_stray_transcript_text(small_raw, tmp_path):
    # End to end: the stray paragraph in a simulated city's transcript reaches neither
    # quarantine.parquet nor quarantine.csv in data/processed.
    raw = shutil.copytree(small_raw, tmp_path / "raw")
    transcript = sorted((raw / "wawancara").glob("*.txt"))[0]
    text = transcript.read_text(encoding="utf-8")
    transcript.write_text(text.replace("---\n", "---\n\n" + STRAY + "\n\n", 1),
                          encoding="utf-8")
    out = tmp_path / "processed"
    clean_all(raw, out, progress=False)
    for table in (pd.read_parquet(out / "quarantine.parquet"),
                  pd.read_csv(out / "quarantine.csv", dtype="str")):
        rows = table[table["source_file"].eq(transcript.name)]
        assert rows["raw_value"].tolist() == [
            "Catatan: informan Ibu [NAMA], HP [TELEPON], NIP [NIP]"]
        text = table.fillna("").to_csv(index=False)
        assert "Wulandari" not in text and "0812-3456-7890" not in text
        assert not re.search(r"(?<!\d)\d{18}(?!\d)", text)


def test_roster_names_without_a_cue_are_redacted_end_to_end(small_raw, tmp_path):
    # A staff member named without "Pak"/"Bu" in a survey suggestion, in an interview turn
    # and in a stray transcript paragraph: clean_all knows the name from pegawai.csv.
    raw = shutil.copytree(small_raw, tmp_path / "raw")
    roster = pd.read_csv(raw / "pegawai.csv", dtype="str", sep=None, engine="python")
    full = roster["Nama"].str.replace(r"^(?:(?:Dr|Drs|Ir|H|Hj)\.\s*)+", "", regex=True)
    name = full.str.split(",").str[0].iloc[0]             # e.g. "Yusuf Hartono"
    assert " " in name
    transcript = sorted((raw / "wawancara").glob("*.txt"))[0]
    text = transcript.read_text(encoding="utf-8")
    text = text.replace("---\n", f"---\n\nCatatan dari {name.upper()}\n\n", 1)
    text = text.replace("\nI: ", f"\nI: Saya sering tanya ke {name} soal aplikasi. ", 1)
    transcript.write_text(text, encoding="utf-8")
    survey = sorted((raw / "skm").glob("*.csv"))[0]
    with survey.open(newline="", encoding="utf-8-sig") as f:
        dialect = csv.Sniffer().sniff(f.readline())
        f.seek(0)
        rows = list(csv.reader(f, dialect))
    rows[1][-1] = f"petugas {name.lower()} sangat membantu"
    with survey.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, dialect).writerows(rows)

    out = tmp_path / "processed"
    clean_all(raw, out, progress=False)
    teks = pd.read_parquet(out / "wawancara_segmen.parquet")["teks"]
    saran = pd.read_parquet(out / "skm.parquet")["saran"]
    quarantine = pd.read_parquet(out / "quarantine.parquet")
    assert teks.str.contains("Saya sering tanya ke [NAMA] soal aplikasi.", regex=False).any()
    assert saran.eq("petugas [NAMA] sangat membantu").any()
    assert quarantine["raw_value"].eq("Catatan dari [NAMA]").any()
    for frame in (teks.to_frame(), saran.to_frame(), quarantine):
        text = frame.astype("str").fillna("").to_csv(index=False).casefold()
        assert name.casefold() not in text
