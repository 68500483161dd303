"""HR exports as they come: only the columns an analysis needs, several files per source,
unit names in another case, and SKM exports with a period instead of a timestamp.

Fixtures are built here in tmp folders, in layouts that are not the simulator's.
"""

from __future__ import annotations

import json

import pytest

from evalkit.ingest import RawFileError, check_folder, clean_all, read_skp
from evalkit.ingest.skm import load_questions

Q = load_questions()
KEY = "test-key"
# sex digit (17th) 2 = P, 1 = L (DOMAIN.md §4); TMT CPNS 2010-01 / 2009-03
NIP_P, NIP_L = "197807172010012012", "198503152009031004"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def national_roster(path, rows=None):
    """The national ASN system's export: no status, no education, no sex column."""
    rows = rows or [f"'{NIP_P},Sari,DINAS KESEHATAN ,Analis Kebijakan,17-07-1978,01-01-2010",
                    f"'{NIP_L},Ani,Dinas  Kesehatan,Pengelola Data,15-03-1985,01-03-2009"]
    write(path, "nip_baru,nama,unor_nama,jabatan_nama,tanggal_lahir,tmt_cpns\n"
          + "\n".join(rows) + "\n")


ROSTER_YAML = """
pegawai:
  file: {file}
  columns: {{NIP: nip_baru, Nama: nama, Unit Kerja: unor_nama, Tanggal Lahir: tanggal_lahir,
            TMT CPNS: tmt_cpns}}
"""


def test_national_roster_without_status_or_education(tmp_path):
    national_roster(tmp_path / "asn.csv")
    write(tmp_path / "sources.yaml", ROSTER_YAML.format(file="asn.csv"))
    result = clean_all(tmp_path, tmp_path / "out", key=KEY, progress=False)
    roster = result.tables["pegawai"]
    assert result.quarantine.empty, result.quarantine.to_dict("records")
    # no Status column: every row counts as active (documented default)
    assert roster["status"].tolist() == ["Aktif", "Aktif"]
    # no sex column: the NIP's 15th digit says it; no education: empty
    assert roster["jenis_kelamin"].tolist() == ["P", "L"]
    assert roster["pendidikan"].isna().all() and roster["jenis_jabatan"].isna().all()
    # spaces collapsed; spellings differing only in case are one unit (tie: sort order)
    assert roster["unit"].tolist() == ["DINAS KESEHATAN", "DINAS KESEHATAN"]
    # age at the latest TMT CPNS year (2010): 1978 → 32, 1985 → 25
    assert roster["kelompok_umur"].tolist() == ["30-39", "<30"]
    info = json.loads((tmp_path / "out" / "manifest.json").read_text())["tables"]["pegawai"]
    assert info["columns_absent"] == ["Jenis Jabatan", "Golongan", "Pendidikan",
                                      "Jenis Kelamin", "No HP", "Status"]
    assert info["columns_ignored"] == ["jabatan_nama"]
    assert info["units_matched"] == ["Dinas Kesehatan → DINAS KESEHATAN"]


def test_a_missing_required_column_names_file_column_and_key(tmp_path):
    national_roster(tmp_path / "asn.csv")
    write(tmp_path / "sources.yaml", "pegawai:\n  file: asn.csv\n  columns: {NIP: nip_baru}\n")
    with pytest.raises(RawFileError) as err:
        clean_all(tmp_path, tmp_path / "out", key=KEY, progress=False)
    text = str(err.value)
    assert "asn.csv" in text and "Unit Kerja missing" in text
    assert "pegawai: {columns: {Unit Kerja: <export column>}}" in text


def test_a_roster_split_per_unit_is_one_table(tmp_path):
    write(tmp_path / "sources.yaml", ROSTER_YAML.format(file="pegawai/*.csv"))
    national_roster(tmp_path / "pegawai" / "a.csv", [
        f"'{NIP_P},Sari,Dinas A,x,17-07-1978,01-01-2010"])
    national_roster(tmp_path / "pegawai" / "b.csv", [
        f"'{NIP_L},Ani,Dinas B,x,15-03-1985,01-03-2009",
        "'12345,Budi,Dinas B,x,15-03-1985,01-03-2009"])
    result = clean_all(tmp_path, tmp_path / "out", key=KEY, progress=False)
    assert result.tables["pegawai"]["unit"].tolist() == ["Dinas A", "Dinas B"]
    info = result.manifest["tables"]["pegawai"]
    assert (info["rows_in"], info["rows_clean"], info["rows_quarantined"]) == (3, 2, 1)
    # the quarantine names the row's own file and its row in that file
    assert result.quarantine[["source_file", "source_row", "kind"]].values.tolist() == [
        ["b.csv", 2, "nip_invalid"]]
    assert set(result.manifest["inputs"]) >= {"pegawai/a.csv", "pegawai/b.csv"}


def test_files_of_one_source_must_share_their_columns(tmp_path):
    write(tmp_path / "sources.yaml", "pegawai: {file: pegawai/*.csv}\n")
    write(tmp_path / "pegawai" / "a.csv", f"NIP,Unit Kerja,Status\n{NIP_P},Dinas A,Aktif\n")
    write(tmp_path / "pegawai" / "b.csv", f"NIP,Unit Kerja\n{NIP_L},Dinas B\n")
    with pytest.raises(RawFileError, match="b.csv: its documented columns differ from "
                                           "a.csv's \\(Status\\)"):
        clean_all(tmp_path, tmp_path / "out", key=KEY, progress=False)


def skm_rows(unit_and_period):
    return ["," .join([unit, period, *"443334444"]) for unit, period in unit_and_period]


def skm_periods(path, rows, period_header="Periode"):
    write(path, f"Unit Layanan,{period_header}," + ",".join(f"U{i}" for i in range(1, 10))
          + "\n" + "\n".join(rows) + "\n")


def test_skm_units_match_the_roster_in_any_case_and_spacing(tmp_path):
    national_roster(tmp_path / "asn.csv")
    write(tmp_path / "sources.yaml", ROSTER_YAML.format(file="asn.csv")
          + "skm:\n  values: {Unit Layanan: {Dinkes: Dinas Kesehatan}}\n")
    skm_periods(tmp_path / "skm" / "a.csv", skm_rows([
        ("dinas kesehatan", "2024Q3"), ("DINAS   KESEHATAN ", "2024Q3"),
        ("Dinkes", "2024Q3"), ("Dinas Lain", "2024Q3")]))
    result = clean_all(tmp_path, tmp_path / "out", key=KEY, progress=False)
    skm = result.tables["skm"]
    # matched to the roster's first spelling (sorted: "DINAS KESEHATAN"); the alias first
    assert skm["unit"].tolist() == ["DINAS KESEHATAN"] * 3
    assert result.quarantine["kind"].tolist() == ["unit_unknown"]
    assert result.manifest["tables"]["skm"]["units_matched"] == [
        "Dinas Kesehatan → DINAS KESEHATAN", "dinas kesehatan → DINAS KESEHATAN"]
    # the service records' and mentoring units are matched alike (same function)


@pytest.mark.parametrize("written, period, expected", [
    ("2024Q3", "quarter", "2024Q3"), ("Triwulan III 2024", "quarter", "2024Q3"),
    ("2024Q3", "semester", "2024S2"), ("Semester 1 2024", "semester", "2024S1"),
    ("2024S1", "semester", "2024S1"), ("2024", "year", "2024")])
def test_skm_with_a_period_column_instead_of_a_timestamp(tmp_path, written, period, expected):
    write(tmp_path / "sources.yaml", f"skm:\n  period: {period}\n")
    skm_periods(tmp_path / "skm" / "mpp.csv", skm_rows([("MPP", written)] * 2))
    result = clean_all(tmp_path, tmp_path / "out", progress=False)
    skm = result.tables["skm"]
    assert skm["period"].tolist() == [expected] * 2
    assert skm["tanggal"].isna().all()
    info = result.manifest["tables"]["skm"]
    assert info["period_from"] == "column Periode"
    # two identical rows without a time of day: possibly two respondents, kept and counted
    assert info["possible_duplicates_kept"] == 1
    assert "without a time of day" in info["duplicates_checked"]
    assert "Timestamp" in info["columns_absent"]


def test_skm_period_value_and_refusals(tmp_path):
    header = "Unit Layanan," + ",".join(f"U{i}" for i in range(1, 10))
    write(tmp_path / "skm" / "mpp.csv", header + "\nMPP," + ",".join("443334444") + "\n")
    with pytest.raises(RawFileError) as err:
        clean_all(tmp_path, tmp_path / "out", progress=False)
    text = str(err.value)
    assert "mpp.csv: no Timestamp column and no period column" in text
    assert "{Periode: <column>}" in text and "period_value" in text
    write(tmp_path / "sources.yaml", "skm:\n  period: semester\n  period_value: 2024S1\n")
    result = clean_all(tmp_path, tmp_path / "out", progress=False)
    assert result.tables["skm"]["period"].tolist() == ["2024S1"]
    assert result.manifest["tables"]["skm"]["period_from"] == "period_value 2024S1"
    write(tmp_path / "sources.yaml", "skm:\n  period_value: 2024S1\n")
    with pytest.raises(RawFileError, match="skm.period_value: '2024S1' is a semester, but "
                                           "skm: period is quarter"):
        clean_all(tmp_path, tmp_path / "out", progress=False)
    # a coarser period in the column than the run's granularity cannot be split
    skm_periods(tmp_path / "skm" / "mpp.csv", skm_rows([("MPP", "Semester 2 2024")]))
    write(tmp_path / "sources.yaml", "skm: {}\n")
    with pytest.raises(RawFileError, match="mpp.csv: Periode 'Semester 2 2024' is a semester"):
        clean_all(tmp_path, tmp_path / "out", progress=False)
    # text that is no period is quarantined with the column named
    skm_periods(tmp_path / "skm" / "mpp.csv", skm_rows([("MPP", "2024Q3"), ("MPP", "Juli")]))
    result = clean_all(tmp_path, tmp_path / "out", progress=False)
    assert result.quarantine[["source_row", "column", "kind"]].values.tolist() == [
        [2, "Periode", "value_invalid"]]


def test_other_hr_sources_need_only_their_analysis_columns(tmp_path):
    # SKP with the two ratings only: the predikat follows from the PermenPAN-RB 6/2022
    # matrix (Sesuai × Di atas → Baik; Di atas × Di atas → Sangat Baik, DOMAIN.md §3)
    write(tmp_path / "skp.csv", "NIP,Tahun,Hasil Kerja,Perilaku Kerja\n"
          f"{NIP_P},2024,Sesuai ekspektasi,Di atas ekspektasi\n"
          f"{NIP_L},2024,Di atas ekspektasi,Di atas ekspektasi\n")
    clean, quarantine = read_skp(tmp_path / "skp.csv", key=KEY)
    assert clean["predikat"].astype(str).tolist() == ["Baik", "Sangat Baik"]
    # SKP with the predikat only
    write(tmp_path / "skp.csv", f"NIP,Tahun,Predikat\n{NIP_P},2024,Baik\n")
    result = read_skp(tmp_path / "skp.csv", key=KEY)
    assert result[0]["hasil_kerja"].isna().all() and result[0]["predikat"].tolist() == ["Baik"]
    assert result.details["columns_absent"] == ["Hasil Kerja", "Perilaku Kerja"]
    write(tmp_path / "skp.csv", f"NIP,Tahun,Hasil Kerja\n{NIP_P},2024,Baik\n")
    with pytest.raises(RawFileError, match="none of Predikat or Hasil Kerja \\+ Perilaku"):
        read_skp(tmp_path / "skp.csv", key=KEY)
    # training without method, family, start date or test scores; kinerja with one count;
    # evaluations with one score; mentoring without unit and end date
    write(tmp_path / "pelatihan.csv", "NIP,Nama Pelatihan,Tanggal Selesai,JP\n"
          f"{NIP_P},Pelayanan Prima,03-03-2024,24\n")
    write(tmp_path / "kinerja_layanan.csv", "Unit Kerja,Bulan,Jumlah Pengaduan\nMPP,2024-03,4\n")
    write(tmp_path / "evaluasi_pasca_pelatihan.csv", "NIP,Nama Pelatihan,Tanggal Evaluasi,"
          f"Skor Atasan\n{NIP_P},Pelayanan Prima,01-09-2024,4\n")
    write(tmp_path / "mentoring.csv", f"NIP Mentor,NIP Mentee,Tanggal Mulai\n{NIP_P},{NIP_L},"
          "01-04-2024\n")
    write(tmp_path / "sources.yaml", "pelatihan: {file: pelatihan.csv}\n")
    (tmp_path / "skp.csv").unlink()
    result = clean_all(tmp_path, tmp_path / "out", key=KEY, progress=False)
    assert result.quarantine.empty, result.quarantine.to_dict("records")
    pel = result.tables["pelatihan"]
    assert pel["jp"].tolist() == [24.0] and pel["metode"].isna().all()
    assert not pel["klasikal"].any()
    assert result.tables["kinerja_layanan"]["jumlah_pengaduan"].tolist() == [4]
    assert result.tables["kinerja_layanan"]["jumlah_permohonan"].isna().all()
    assert result.tables["evaluasi_pasca_pelatihan"]["skor_alumni"].isna().all()
    assert result.tables["mentoring"]["tanggal_selesai"].isna().all()
    absent = {t: i.get("columns_absent") for t, i in result.manifest["tables"].items()}
    assert absent["kinerja_layanan"] == ["Jumlah Permohonan", "Selesai Tepat Waktu",
                                         "Rata-rata Hari Penyelesaian"]
    assert absent["mentoring"] == ["Unit Kerja", "Tanggal Selesai"]
    write(tmp_path / "evaluasi_pasca_pelatihan.csv", "NIP,Nama Pelatihan,Tanggal Evaluasi\n"
          f"{NIP_P},Pelayanan Prima,01-09-2024\n")
    with pytest.raises(RawFileError, match="Skor Alumni.*evaluasi_pasca_pelatihan: "
                                           "\\{columns: \\{Skor Alumni"):
        clean_all(tmp_path, tmp_path / "out", key=KEY, progress=False)


def test_check_folder_reports_absent_columns_unit_matches_and_period_source(tmp_path):
    national_roster(tmp_path / "asn.csv")
    write(tmp_path / "sources.yaml", ROSTER_YAML.format(file="asn.csv"))
    skm_periods(tmp_path / "skm" / "a.csv", skm_rows([("dinas kesehatan", "2024Q3")]))
    checks = {c.source: c for c in check_folder(tmp_path).sources}
    assert "columns absent: Jenis Jabatan, Golongan, Pendidikan, Jenis Kelamin, No HP, " \
           "Status" in checks["pegawai"].mapping
    skm = checks["skm"].mapping
    assert "units matched: dinas kesehatan → DINAS KESEHATAN" in skm
    assert "period from: column Periode" in skm
    assert any(m.startswith("duplicates checked: without a time of day") for m in skm)
    assert checks["skm"].status == "found" and not checks["skm"].problems

