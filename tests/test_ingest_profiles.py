"""Respondent profiles harmonised at cleaning, and the one age-band function (two band sets)."""

import warnings

import pandas as pd
import pytest
from test_ingest_readers import LABELS, STANDARD, write_csv

from evalkit import ingest, schemas
from evalkit.ikm import profile_breakdown
from evalkit.ingest import (
    ASN_AGE_BANDS,
    PROFILE_CATEGORIES,
    RESPONDENT_AGE_BANDS,
    DataQualityWarning,
    age_band,
    harmonise_profile,
    respondent_age_band,
)
from evalkit.schemas import UNSUR


# --- age bands ---------------------------------------------------------------------------------
def test_respondent_age_bands_by_hand():
    # The usual SKM report bands, left-closed: 19 → <20, 35 → 30-39, 60 → 60+.
    bands = age_band(pd.Series(["19", "35", None, "60"]), RESPONDENT_AGE_BANDS)
    assert bands.iloc[[0, 1, 3]].tolist() == ["<20", "30-39", "60+"]
    assert pd.isna(bands.iloc[2])
    assert bands.name == "kelompok_umur"


def test_asn_age_bands_keep_the_roster_bins():
    # The roster's bands (<30 … 60+): each edge belongs to the band it starts.
    ages = pd.Series([0, 29, 30, 39, 40, 59, 60, 75, None], dtype="Float64")
    assert age_band(ages, ASN_AGE_BANDS).tolist()[:8] == [
        "<30", "<30", "30-39", "30-39", "40-49", "50-59", "60+", "60+"]
    assert pd.isna(age_band(ages, ASN_AGE_BANDS).iloc[8])
    assert pd.isna(age_band(pd.Series([-1.0]), ASN_AGE_BANDS).iloc[0])  # not an age


def test_respondent_age_band_reads_numbers_bands_and_keeps_the_rest():
    raw = pd.Series(["17", " 45 tahun", "20 - 29", "< 20 Tahun", "60+", "121", "abc", "",
                     None, "30,5"])
    bands = respondent_age_band(raw)
    assert bands.fillna("(blank)").tolist() == [
        "<20", "40-49", "20-29", "<20", "60+", "Lainnya", "Lainnya", "(blank)", "(blank)",
        "Lainnya"]
    # dictionary-encoded input (as the SKM reader holds it) gives the same bands
    coded = respondent_age_band(raw.astype("category"))
    assert coded.astype("str").tolist() == respondent_age_band(raw).astype("str").tolist()


# --- categories --------------------------------------------------------------------------------
def test_profile_categories_are_harmonised_before_counting():
    # Two export styles of the same categories (DOMAIN.md §1: keep the raw value and map it);
    # the cleaning step maps them, the breakdown counts what it finds.
    rows = [[3] * 9] * 12
    data = pd.DataFrame(rows, columns=list(UNSUR)).assign(
        jenis_kelamin=["L", "Laki-laki"] * 3 + ["P", "Perempuan"] * 3,
        pendidikan=["SLTA", "SMA", "S1", "D4/S1"] * 3)
    data = data.assign(jenis_kelamin=harmonise_profile(data["jenis_kelamin"], "jenis_kelamin"),
                       pendidikan=harmonise_profile(data["pendidikan"], "pendidikan"))
    sex = profile_breakdown(data, "jenis_kelamin")
    assert sex.set_index("jenis_kelamin")["n_responses"].to_dict() == {"L": 6, "P": 6}
    education = profile_breakdown(data, "pendidikan", min_cell_size=1)
    assert education.set_index("pendidikan")["n_responses"].to_dict() == {"D4/S1": 6, "SMA": 6}


def test_both_export_styles_of_the_simulator_map_to_one_list():
    # The two category lists the simulated city's forms use (simulate/texts.py), by hand.
    pekerjaan = pd.Series(["PNS", "TNI/POLRI", "Swasta", "Wiraswasta", "Pelajar/Mahasiswa",
                           "Lainnya", "PNS/TNI/POLRI", "Pegawai Swasta", "Wirausaha",
                           "Ibu Rumah Tangga"])
    assert harmonise_profile(pekerjaan, "pekerjaan").tolist() == [
        "PNS/TNI/POLRI", "PNS/TNI/POLRI", "Swasta", "Wiraswasta", "Pelajar/Mahasiswa",
        "Lainnya", "PNS/TNI/POLRI", "Swasta", "Wiraswasta", "Lainnya"]
    pendidikan = pd.Series(["SD", "SLTP", "SLTA", "Diploma", "S1", "D1-D3", "smp", "S3"])
    assert harmonise_profile(pendidikan, "pendidikan").tolist() == [
        "SD", "SMP", "SMA", "D1-D3", "D4/S1", "D1-D3", "SMP", "S3"]


def test_unknown_and_blank_profile_values():
    values = pd.Series(["Petani", "  ", None, " perempuan ", "L."])
    assert harmonise_profile(values, "pekerjaan").fillna("(blank)").tolist()[:3] == [
        "Lainnya", "(blank)", "(blank)"]
    assert harmonise_profile(values, "jenis_kelamin").tolist()[3:] == ["P", "L"]
    with pytest.raises(KeyError, match="known columns"):
        harmonise_profile(values, "umur")


def test_every_category_is_one_the_skm_schema_allows():
    allowed = {"jenis_kelamin": schemas.JENIS_KELAMIN, "pendidikan": schemas.PENDIDIKAN_RESPONDEN,
               "pekerjaan": schemas.PEKERJAAN_RESPONDEN}
    for column, table in PROFILE_CATEGORIES.items():
        assert set(table.values()) <= {*allowed[column], schemas.PROFILE_OTHER}, column
        assert set(allowed[column]) <= set(table.values()), column  # each reachable


def test_roster_sex_uses_the_same_labels(tmp_path):
    from test_ingest_readers import KEY, pegawai_rows

    from evalkit.ingest.readers import PEGAWAI_COLUMNS

    rows = pegawai_rows()
    rows[0][6], rows[1][6] = "Wanita", "Laki-Laki"
    clean, quarantine = ingest.read_pegawai(write_csv(tmp_path / "pegawai.csv",
                                                      PEGAWAI_COLUMNS, rows), key=KEY)
    assert quarantine.empty
    assert clean["jenis_kelamin"].tolist() == ["P", "L", "L"]


# --- end to end: the SKM reader writes the canonical profile -----------------------------------
def _export(path, profiles):
    header = ["Timestamp", "Unit Layanan", "Jenis Layanan", "Jenis Kelamin", "Umur",
              "Pendidikan", "Pekerjaan", *[STANDARD[u] for u in UNSUR], "Saran / Masukan"]
    rows = [[f"0{i + 1}/02/2024 10:00:00", "Dinas X", "KTP", *profile,
             *[LABELS[u][2] for u in UNSUR], ""] for i, profile in enumerate(profiles)]
    return write_csv(path, header, rows, sep=";")


def test_skm_reader_writes_harmonised_profiles_and_never_drops_a_response_for_them(tmp_path):
    _export(tmp_path / "dinas-x_2024Q1.csv", [
        ("Laki-laki", "45 tahun", "SLTA", "Wirausaha"),
        ("P", "19", "S1", "PNS"),
        ("X", "abc", "Kursus", "Petani"),               # nothing known: every field Lainnya
        ("Perempuan", "", "", "Lainnya: Pak Budi Santoso"),   # free text with a name
    ])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        clean, quarantine = ingest.read_skm(tmp_path)
    assert quarantine.empty and len(clean) == 4
    assert clean["jenis_kelamin"].tolist() == ["L", "P", "Lainnya", "P"]
    assert clean["umur"].tolist()[:3] == ["45 tahun", "19", "abc"]      # the answer as given
    assert clean["kelompok_umur"].tolist()[:3] == ["40-49", "<20", "Lainnya"]
    assert pd.isna(clean["kelompok_umur"].iloc[3]) and pd.isna(clean["pendidikan"].iloc[3])
    assert clean["pendidikan"].tolist()[:3] == ["SMA", "D4/S1", "Lainnya"]
    assert clean["pekerjaan"].tolist() == ["Wiraswasta", "PNS/TNI/POLRI", "Lainnya", "Lainnya"]
    assert clean[list(UNSUR)].astype(int).to_numpy().tolist() == [[3] * 9] * 4
    schemas.validate(clean, "skm")
    # one warning naming what was not recognised, with the name redacted
    profile_warnings = [w for w in caught if issubclass(w.category, DataQualityWarning)]
    assert len(profile_warnings) == 1
    message = str(profile_warnings[0].message)
    for expected in ("jenis_kelamin: X", "kelompok_umur: abc", "pendidikan: Kursus",
                     "Petani", "[NAMA]"):
        assert expected in message, expected
    assert "Budi" not in message


def test_skm_reader_is_quiet_when_every_profile_value_is_known(tmp_path):
    _export(tmp_path / "dinas-x_2024Q1.csv", [("L", "30", "SMA", "Ibu Rumah Tangga"),
                                              ("P", "", "", "Lainnya")])
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)
        clean, _ = ingest.read_skm(tmp_path)
    assert clean["pekerjaan"].tolist() == ["Lainnya", "Lainnya"]
