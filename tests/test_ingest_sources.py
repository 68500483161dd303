"""sources.yaml, any subset of sources, real-export quirks and the long SKM layout.

Fixtures are built here in tmp folders, in layouts that are not the simulator's.
"""

from __future__ import annotations

import io
import json
import shutil

import numpy as np
import pandas as pd
import pytest

from evalkit.config import PROJ_ROOT, RAW_DIR
from evalkit.ingest import (
    RawFileError,
    check_folder,
    clean_all,
    load_sources,
    read_pegawai,
    sniff_separator,
)
from evalkit.ingest.skm import load_questions
from evalkit.schemas import UNSUR

Q = load_questions()
KEY = "test-key"
NIPS = ["197807172010012012", "199001012021221001", "198503152009031004"]


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- sources.yaml ----------------------------------------------------------------------------
@pytest.mark.parametrize("yaml_text, key", [
    ("pegawai:\n  colums: {NIP: nip}\n", "pegawai.colums: unknown key"),
    ("pegawaii:\n  file: x.csv\n", "pegawaii: unknown source"),
    ("pegawai:\n  columns: {NIPP: nip}\n", "pegawai.columns.NIPP: 'NIPP' is not a documented"),
    ("skm:\n  answers: {A: 5}\n", "skm.answers.A: score 5 is impossible"),
    ("skm:\n  questions: {Q8: u10}\n", "skm.questions.Q8: 'u10' is not an SKM element"),
    ("skm:\n  questions: {Q8: u9, Q9: u9}\n", "two questions are mapped to u9"),
    ("pegawai:\n  columns: {NIP: a, Nama: A}\n", "export column 'a' is given for two"),
    ("skm:\n  layout: tall\n", "skm.layout"),
    ("skm:\n  unit: X\n  columns: {Unit Layanan: unit}\n", "skm.unit: a constant unit"),
    ("skm: [1\n", "not valid YAML (line"),
])
def test_sources_file_refuses_what_cannot_be_right(tmp_path, yaml_text, key):
    write(tmp_path / "sources.yaml", yaml_text)
    with pytest.raises(RawFileError) as err:
        load_sources(tmp_path)
    assert "sources.yaml" in str(err.value) and key in str(err.value)
    assert "What to do" in str(err.value)


def test_the_commented_example_is_accepted(tmp_path):
    sources = load_sources(tmp_path, PROJ_ROOT / "config" / "sources.example.yaml")
    assert sources["skm"].layout == "long" and sources["skm"].questions == {"q8": "u9",
                                                                          "q9": "u8"}
    assert sources["pegawai"].columns["Unit Kerja"] == "unor_nama"


def test_sources_file_given_elsewhere_and_empty_string_is_none(tmp_path):
    other = write(tmp_path / "conf" / "mine.yaml", "skm:\n  period: semester\n")
    assert load_sources(tmp_path, other)["skm"].period == "semester"
    assert load_sources(tmp_path, "")["skm"].period == "quarter"
    with pytest.raises(RawFileError, match="sources file not found"):
        load_sources(tmp_path, tmp_path / "nope.yaml")


# --- an HR-system roster ---------------------------------------------------------------------
def hr_roster(path):
    """The national ASN system's layout: its own column names, apostrophes, null, dd-mm-yyyy,
    Indonesian month names, NIPs printed with spaces, an extra column."""
    rows = [
        ("'" + NIPS[0], "Sari", "DISDUKCAPIL ", "Pelaksana", "III/a", "S1", "P",
         "17-07-1978", "01-01-2010", "null", "Aktif", "'x1"),
        ("'19900101 202122 1 001", "Budi", "dinas kesehatan", "Fungsional", "null", "NULL",
         "L", "1 Januari 1990", "1 Jan 2021", "'08123", "Aktif", "'x2"),
        ("'" + NIPS[2], "Ani", "DISDUKCAPIL", "Struktural", "IV/a", "S2", "L",
         "15 Maret 1985", "01-03-2009", "null", "aktif ", "'x3"),
    ]
    header = ("nip_baru,nama,unor_nama,jenis_jabatan,gol_akhir_nama,pendidikan,jenis_kelamin,"
              "tanggal_lahir,tmt_cpns,no_hp,status,pns_id")
    write(path, header + "\n" + "\n".join(",".join(r) for r in rows) + "\n")


ROSTER_YAML = """
pegawai:
  file: export_data_asn.csv
  columns: {NIP: nip_baru, Nama: nama, Unit Kerja: unor_nama, Jenis Jabatan: jenis_jabatan,
            Golongan: gol_akhir_nama, Pendidikan: pendidikan, Jenis Kelamin: jenis_kelamin,
            Tanggal Lahir: tanggal_lahir, TMT CPNS: tmt_cpns, No HP: no_hp, Status: status}
  values:
    Unit Kerja: {DISDUKCAPIL: Dinas Kependudukan dan Pencatatan Sipil,
                 Dinas Kesehatan: Dinas Kesehatan}
"""


def test_hr_system_roster_through_sources_yaml(tmp_path):
    hr_roster(tmp_path / "export_data_asn.csv")
    write(tmp_path / "sources.yaml", ROSTER_YAML)
    spec = load_sources(tmp_path)["pegawai"]
    result = read_pegawai(tmp_path / "export_data_asn.csv", key=KEY, spec=spec)
    clean, quarantine = result
    assert quarantine.empty, quarantine.to_dict("records")
    # apostrophes gone, printed NIP read, units aliased (case-insensitively), null = missing
    assert clean["unit"].tolist() == ["Dinas Kependudukan dan Pencatatan Sipil",
                                      "Dinas Kesehatan",
                                      "Dinas Kependudukan dan Pencatatan Sipil"]
    assert clean["jenis_asn"].tolist() == ["PNS", "PPPK", "PNS"]
    assert clean["golongan"].isna().tolist() == [False, True, False]
    assert clean["pendidikan"].isna().tolist() == [False, True, False]
    assert clean["status"].tolist() == ["Aktif"] * 3
    assert result.details == {"columns_ignored": ["pns_id"]}


def test_a_mapped_column_missing_from_the_export_names_the_key(tmp_path):
    hr_roster(tmp_path / "export_data_asn.csv")
    write(tmp_path / "sources.yaml", ROSTER_YAML.replace("unor_nama}", "unor}")
          .replace("Unit Kerja: unor_nama", "Unit Kerja: unor"))
    with pytest.raises(RawFileError) as err:
        clean_all(tmp_path, tmp_path / "out", key=KEY, progress=False)
    assert "sources.yaml: pegawai.columns: Unit Kerja: 'unor' is not a column" in str(err.value)


# --- SKM only, wide with question codes ------------------------------------------------------
def skm_codes(path, rows):
    """Wide export with u1…u9 (and an unused u10) as headings, scores, no Jenis Layanan /
    Saran / profile columns, timestamps yyyy-mm-dd hh:mm:ss."""
    header = "Timestamp,Unit Layanan," + ",".join(f"u{i}" for i in range(1, 11)) + ",Umur"
    write(path, header + "\n" + "\n".join(rows) + "\n")


def test_skm_only_folder_cleans_and_its_ikm_matches_a_hand_computation(tmp_path):
    rows = ["2024-07-01 09:00:00,Mal Pelayanan Publik," + ",".join("443334444") + ",,34",
            "2024-07-02 10:00:00,Mal Pelayanan Publik," + ",".join("334433332") + ",,-41",
            "2024-08-03 11:00:00,mal pelayanan publik ," + ",".join("4444444 4") + ",,352",
            "2024-08-04 12:00:00,Mal Pelayanan Publik," + ",".join("334433335") + ",,40"]
    skm_codes(tmp_path / "skm" / "mpp.csv", rows)
    out = tmp_path / "out"
    (out).mkdir()
    (out / "pegawai.parquet").write_bytes(b"stale")      # from an earlier run
    result = clean_all(tmp_path, out, progress=False)
    assert set(result.tables) == {"skm"}
    assert not (out / "pegawai.parquet").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert {m["table"] for m in manifest["missing"]} == set(result.manifest["tables"]) ^ {
        "pegawai", "pelatihan", "kinerja_layanan", "skp", "evaluasi_pasca_pelatihan",
        "mentoring", "wawancara_segmen", "wawancara_koding_manual", "skm"}
    info = manifest["tables"]["skm"]
    assert "Jenis Layanan" in info["columns_absent"] and "Saran / Masukan" in info[
        "columns_absent"]
    assert info["questions_ignored"] == ["u10"]
    # the 5 of row 4 is out of range: that response is quarantined; ages −41 and 352 are
    # cleared field by field (the responses keep their answers) and not counted as rejected
    assert (info["rows_in"], info["rows_clean"], info["rows_quarantined"],
            info["fields_cleared"]) == (4, 3, 1, 2)
    skm = result.tables["skm"]
    assert skm["umur"].tolist()[1:] == [None, None] or skm["umur"].isna().tolist() == [
        False, True, True]
    q = result.quarantine
    cleared = q[q["kind"] == "value_impossible"]
    assert cleared[["source_file", "source_row", "column"]].values.tolist() == [
        ["mpp.csv", 2, "Umur"], ["mpp.csv", 3, "Umur"]]
    # without a roster the unit is taken as written (spaces and case tidied? no: as written)
    assert skm["period"].unique().tolist() == ["2024Q3"]
    from evalkit.ikm import compute_ikm

    ikm = compute_ikm(skm.assign(unit="MPP"))
    # hand: per element mean over 3 responses (u8 of row 3 blank: mean of 2), times 1/9,
    # summed, times 25
    answers = np.array([[4, 4, 3, 3, 3, 4, 4, 4, 4], [3, 3, 4, 4, 3, 3, 3, 3, 2],
                        [4, 4, 4, 4, 4, 4, 4, np.nan, 4]])
    expected = np.nanmean(answers, axis=0).mean() * 25
    assert ikm["ikm"].iloc[0] == pytest.approx(round(expected, 2), abs=0.006)
    assert ikm["n_responses"].iloc[0] == 3


def test_roster_present_unknown_units_are_quarantined(tmp_path):
    hr_roster(tmp_path / "export_data_asn.csv")
    write(tmp_path / "sources.yaml", ROSTER_YAML)
    skm_codes(tmp_path / "skm" / "a.csv", [
        "2024-07-01 09:00:00,Dinas Kesehatan," + ",".join("443334444") + ",,34",
        "2024-07-01 09:00:00,Dinas Lain," + ",".join("443334444") + ",,34"])
    result = clean_all(tmp_path, tmp_path / "out", key=KEY, progress=False)
    assert result.tables["skm"]["unit"].tolist() == ["Dinas Kesehatan"]
    assert result.quarantine.query("table == 'skm'")["kind"].tolist() == ["unit_unknown"]


# --- SKM long, letters -----------------------------------------------------------------------
def long_rows(respondent, when, letters, start=1, ids=None):
    ids = ids or [f"U{i}" for i in range(start, start + len(letters))]
    pairs = zip(ids, letters, strict=False)
    return [f"{respondent},{q},{a},{when}:{k:02d}" for k, (q, a) in enumerate(pairs)]


def test_long_layout_with_letters_groups_answers_into_responses(tmp_path):
    rows = (long_rows("r1", "05-02-2024 09:00", "abcdabcda")
            + long_rows("r1", "05-02-2024 14:00", "ddddddddd")      # a second visit, same day
            + long_rows("r2", "06-02-2024 10:00", "cccccccccc", ids=[*(f"U{i}" for i in
                                                                      range(1, 10)), "U10"])
            + long_rows("r3", "07-02-2024 10:00", "bbbbbbb"))         # incomplete: u8, u9 absent
    write(tmp_path / "e-skm" / "jawaban.csv",
          "id_responden,id_soal,jawaban,created_date,status\n"
          + "\n".join(r + ",1" for r in rows) + "\n")
    write(tmp_path / "sources.yaml", """
skm:
  files: "e-skm/*.csv"
  layout: long
  unit: "Mal Pelayanan Publik"
  columns: {Responden: id_responden, Pertanyaan: id_soal, Jawaban: jawaban,
            Timestamp: created_date}
  answers: {A: 1, B: 2, C: 3, D: 4}
  period: semester
""")
    result = clean_all(tmp_path, tmp_path / "out", progress=False)
    skm = result.tables["skm"]
    assert len(skm) == 4 and skm["unit"].unique().tolist() == ["Mal Pelayanan Publik"]
    assert skm[list(UNSUR)].iloc[0].tolist() == [1, 2, 3, 4, 1, 2, 3, 4, 1]
    assert skm[list(UNSUR)].iloc[1].tolist() == [4] * 9
    assert skm[["u8", "u9"]].iloc[3].isna().all()
    assert skm["period"].unique().tolist() == ["2024S1"]
    info = result.manifest["tables"]["skm"]
    assert info["answers_in"] == len(rows) and info["rows_in"] == 4
    assert info["questions_ignored"] == ["U10"] and info["columns_ignored"] == ["status"]


def test_a_five_point_scale_is_refused(tmp_path):
    rows = [f"2024-07-0{d} 09:00:00,X," + ",".join(str(v) for v in
                                                    np.random.default_rng(d).integers(1, 6, 9))
            + ",," for d in range(1, 9)]
    skm_codes(tmp_path / "skm" / "x.csv", rows)
    with pytest.raises(RawFileError, match="1–5 .*scale"):
        clean_all(tmp_path, tmp_path / "out", progress=False)


# --- Excel with title rows, HTML named .xls --------------------------------------------------
def skm_text_frame():
    return pd.DataFrame({
        "Timestamp": ["5 Agustus 2024 09:15", "06/08/2024 10:00:00"],
        "Unit Layanan": ["Dinas X", "Dinas X"],
        # each element's top option text, with a line break and in other case; a letter
        **{Q.names[u]: [next(k for k, v in Q.labels[u].items() if v == 4).upper() + "\r\n",
                        "b"] for u in UNSUR},
        "Catatan": ["x", "y"]})


def test_excel_with_title_rows_and_html_as_xls(tmp_path):
    frame = skm_text_frame()
    title = pd.DataFrame([["LAPORAN SKM DINAS X"] + [None] * (frame.shape[1] - 1),
                          [None] * frame.shape[1]], columns=frame.columns)
    grid = pd.concat([title, pd.DataFrame([frame.columns], columns=frame.columns), frame])
    grid.to_excel(tmp_path / "skm_2024Q3.xlsx", index=False, header=False)
    html = frame.to_html(index=False).replace("\n", "").replace("\\r\\n", " ")
    write(tmp_path / "skm_2024Q4.xls", "<html><body><p>Export</p>" + html + "</body></html>")
    write(tmp_path / "sources.yaml", "skm:\n  files: 'skm_*.xls*'\n")
    result = clean_all(tmp_path, tmp_path / "out", progress=False)
    skm = result.tables["skm"]
    # a label with a line break and a letter both score; month names are read
    assert skm["u1"].tolist() == [4, 2, 4, 2]
    assert skm["tanggal"].dt.strftime("%Y-%m-%d %H:%M").tolist()[:2] == [
        "2024-08-05 09:15", "2024-08-06 10:00"]
    assert skm["period"].tolist() == ["2024Q3", "2024Q3", "2024Q4", "2024Q4"]
    assert result.manifest["tables"]["skm"]["columns_ignored"] == ["Catatan"]


def test_html_as_xls_without_lxml_says_so(tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_lxml(name, *args, **kwargs):
        if name == "lxml":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_lxml)
    write(tmp_path / "pegawai.xls", "<html><table><tr><td>NIP</td></tr></table></html>")
    write(tmp_path / "sources.yaml", "pegawai:\n  file: pegawai.xls\n")
    with pytest.raises(RawFileError, match="really an HTML table.*lxml"):
        clean_all(tmp_path, tmp_path / "out", key=KEY, progress=False)


# --- check_folder ----------------------------------------------------------------------------
def test_check_folder_good_and_broken(tmp_path):
    good = tmp_path / "good"
    skm_codes(good / "skm" / "mpp.csv",
              ["2024-07-01 09:00:00,MPP," + ",".join("443334444") + ",,34"])
    check = check_folder(good)
    assert check.can_clean and check.tables_expected == ["skm"]
    skm = next(s for s in check.sources if s.source == "skm")
    assert skm.status == "found" and skm.rows == 1 and skm.layout.startswith("wide, question ids")
    assert not any((good / name).exists() for name in ("processed", "manifest.json"))
    assert "Cleaning can run" in check.to_text() and "skm" in check.to_text("id")

    broken = tmp_path / "broken"
    write(broken / "skm" / "a.csv", "Timestamp,Unit Layanan,u1\n2024-07-01,X,4\n")
    check = check_folder(broken)
    skm = next(s for s in check.sources if s.source == "skm")
    assert skm.status == "error" and not check.can_clean
    assert "no column for u2" in skm.problems[0]["message"]
    assert "Cleaning cannot run" in check.to_text()

    write(broken / "sources.yaml", "skm:\n  layot: long\n")
    check = check_folder(broken)
    assert not check.can_clean and "skm.layot" in check.problems[0]["message"]


# --- the bundled city, re-laid ---------------------------------------------------------------
LETTERS = {1: "a", 2: "b", 3: "c", 4: "d"}


def relay_city(target):
    """Copy data/raw and re-lay it: the roster as an HR system exports it (own column names,
    unit codes, apostrophes), SKM in the long layout with letters."""
    shutil.copytree(RAW_DIR, target)
    roster = pd.read_csv(target / "pegawai.csv", dtype=str, keep_default_na=False)
    units = sorted(set(roster["Unit Kerja"]))
    code = {u: f"UNIT{i:02d}" for i, u in enumerate(units)}
    roster["Unit Kerja"] = roster["Unit Kerja"].map(code)
    roster["NIP"] = "'" + roster["NIP"]
    roster = roster.rename(columns={"NIP": "nip_baru", "Unit Kerja": "unor_nama"})
    (target / "pegawai.csv").unlink()
    roster.to_csv(target / "export_asn.csv", index=False)
    profile = ["Timestamp", "Unit Layanan", "Jenis Layanan", "Jenis Kelamin", "Umur",
               "Pendidikan", "Pekerjaan", "Saran / Masukan"]
    out = target / "eskm"
    out.mkdir()
    for path in sorted((target / "skm").glob("*.csv")):
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
        wide = pd.read_csv(io.StringIO(text.lstrip("\ufeff")), dtype=str,
                           sep=sniff_separator(text.splitlines()[0]), keep_default_na=False)
        questions = [c for c in wide.columns if c not in profile]
        wide["Responden"] = [f"R{i}" for i in range(len(wide))]
        long = wide.melt(id_vars=["Responden", *profile], value_vars=questions,
                         var_name="Pertanyaan", value_name="Jawaban")
        long = long[long["Jawaban"].str.strip() != ""]
        element = long["Pertanyaan"].map(Q.element_of)
        label = long["Jawaban"].str.strip().str.casefold()
        score = pd.Series([Q.labels[e].get(v) for e, v in zip(element, label, strict=True)],
                          index=long.index)
        long["Jawaban"] = score.map(LETTERS).fillna(long["Jawaban"])   # unknown stays
        long["Pertanyaan"] = element.str.upper()
        long.sort_values(["Responden"], kind="stable", key=lambda s: s.str[1:].astype(int)
                         ).to_csv(out / path.name, index=False)
    shutil.rmtree(target / "skm")
    (target / "sources.yaml").write_text(
        "pegawai:\n  file: export_asn.csv\n  columns: {NIP: nip_baru, Unit Kerja: unor_nama}\n"
        "  values:\n    Unit Kerja: {" + ", ".join(f"{c}: '{u}'" for u, c in code.items())
        + "}\nskm:\n  files: eskm/*.csv\n  layout: long\n", encoding="utf-8")


@pytest.mark.slow
def test_the_bundled_city_relaid_gives_the_same_tables(tmp_path):
    relay_city(tmp_path / "raw")
    before = clean_all(RAW_DIR, tmp_path / "before", progress=False)
    after = clean_all(tmp_path / "raw", tmp_path / "after", progress=False)
    assert set(after.tables) == set(before.tables)
    for name, table in before.tables.items():
        other = after.tables[name]
        if name == "skm":
            # the long layout has no data row per response: response_id is the file and the
            # row of the response's first answer, so it differs by construction
            table, other = table.drop(columns="response_id"), other.drop(columns="response_id")
        pd.testing.assert_frame_equal(table, other, obj=name)
    q_before, q_after = before.quarantine, after.quarantine
    rest = q_before["table"] != "skm"
    pd.testing.assert_frame_equal(
        q_before[rest].reset_index(drop=True),
        q_after[q_after["table"] != "skm"].reset_index(drop=True)
        .replace({"source_file": {"export_asn.csv": "pegawai.csv"}}), check_dtype=False)
    # SKM quarantine: same files, kinds and columns (row numbers are answer rows now)
    keys = ["source_file", "column", "kind"]
    assert (q_before[~rest][keys].value_counts().sort_index()
            .equals(q_after[q_after["table"] == "skm"][keys].value_counts().sort_index()))
