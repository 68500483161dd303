"""clean_all on the bundled simulated city: the quarantine matches the faults the simulator
injected (truth.json, written by the simulator independently of the cleaning code), row
counts reconcile, and no personal data reaches data/processed."""

import io
import json
import re

import pandas as pd
import pytest

from evalkit import config
from evalkit.ingest import QUARANTINE_COLUMNS, SOURCES, clean_all

RAW = config.RAW_DIR
TRUTH_FILE = RAW / "truth.json"
bundled = pytest.mark.skipif(not TRUTH_FILE.is_file(),
                             reason="bundled data not generated (data/raw/truth.json)")

#: Kinds the contract says are quarantined (docs/data-contract.md, "Injected faults").
QUARANTINED_KINDS = {"nip_float", "nip_invalid", "duplicate_response", "answer_out_of_range",
                     "answer_unknown_label", "date_invalid", "training_end_before_start",
                     "jp_out_of_range"}


@pytest.fixture(scope="module")
def truth():
    return json.loads(TRUTH_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    return clean_all(RAW, tmp_path_factory.mktemp("processed"), progress=False)


@bundled
def test_quarantine_matches_injected_faults(result, truth):
    found = result.quarantine.groupby(["table", "kind"]).size().to_dict()
    expected = {(table, kind): n for table, kinds in truth["faults"].items()
                for kind, n in kinds.items() if kind in QUARANTINED_KINDS and n}
    # every quarantined kind: exactly the injected count; nothing else quarantined
    assert found == expected


@bundled
def test_rows_reconcile_with_the_simulator_counts(result, truth):
    counts = result.row_counts.set_index("table")
    assert (counts["rows_in"] == counts["rows_clean"] + counts["rows_quarantined"]).all()
    assert counts["rows_quarantined"].sum() == len(result.quarantine)
    sim = truth["counts"]
    for table in ("pegawai", "pelatihan", "kinerja_layanan", "skp", "evaluasi_pasca_pelatihan",
                  "mentoring", "wawancara_koding_manual"):
        assert counts.loc[table, "rows_in"] == sim[table], table
    assert counts.loc["skm", "rows_in"] == sim["skm_rows"]
    # the simulator's "clean" SKM count excludes only the repeats
    assert counts.loc["skm", "rows_in"] - truth["faults"]["skm"]["duplicate_response"] == \
        sim["skm_responses_clean"]


def _csv_records(path):
    """Data records of a CSV counted with the standard csv module (independent of the Arrow
    parser the readers use): (records after the header, blank ones among them)."""
    import csv

    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    head = text.split("\n", 1)[0]
    sep = ";" if head.count(";") > head.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))[1:]
    return len(rows), sum(not "".join(r).strip() for r in rows)


@bundled
def test_rows_in_is_the_number_of_raw_records_counted_independently(result, truth):
    # rows_in is measured by each reader; here the same files are counted with the csv
    # module (CSV) and openpyxl (XLSX), and blank lines are subtracted.
    import openpyxl

    counts = result.row_counts.set_index("table")
    for table, source in SOURCES.items():
        if not source.endswith(".csv"):
            continue
        files = sorted(RAW.glob(source))
        records, blank = map(sum, zip(*(_csv_records(f) for f in files), strict=True))
        assert counts.loc[table, "rows_in"] == records - blank, table
        assert counts.loc[table, "rows_blank"] == blank, table
    sheet = openpyxl.load_workbook(RAW / "pelatihan.xlsx", read_only=True)["Pelatihan"]
    rows = [r for r in sheet.iter_rows(min_row=2, values_only=True)
            if any(v not in (None, "") for v in r)]
    assert counts.loc["pelatihan", "rows_in"] == len(rows) == truth["counts"]["pelatihan"]
    # the bundled survey timestamps all carry a time: no repeat is kept as "possible"
    assert counts.loc["skm", "possible_duplicates_kept"] == 0
    assert (counts["possible_duplicates_kept"] == 0).all()


def test_a_reader_that_loses_rows_stops_the_run(small_raw, tmp_path, monkeypatch):
    # Before the fix rows_in was len(clean) + len(quarantine), so a lost row went unnoticed.
    from evalkit.ingest import clean as clean_module
    from evalkit.ingest._common import ReadResult

    real = clean_module.read_kinerja

    def losing_reader(*args, **kwargs):
        result = real(*args, **kwargs)
        return ReadResult(result.clean.iloc[1:], result.quarantine, rows_in=result.rows_in)

    monkeypatch.setattr(clean_module, "read_kinerja", losing_reader)
    with pytest.raises(clean_module.RowCountError, match="kinerja_layanan.*bug in evalkit"):
        clean_all(small_raw, tmp_path / "out", progress=False)
    assert not (tmp_path / "out" / "manifest.json").exists()


@bundled
def test_written_files_and_manifest(result, truth):
    out = result.processed_dir
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest == result.manifest
    assert set(manifest) == {"tables", "inputs", "simulated", "evalkit_version"}
    # the truth travels with the cleaned tables so later notebooks read data/processed only
    assert manifest["simulated"] is True
    assert (out / "truth.json").read_bytes() == TRUTH_FILE.read_bytes()
    assert sum(k.startswith("skm/") for k in manifest["inputs"]) == truth["counts"]["skm_files"]
    assert all(re.fullmatch(r"[0-9a-f]{64}", v) for v in manifest["inputs"].values())
    for name, info in manifest["tables"].items():
        assert len(pd.read_parquet(out / f"{name}.parquet")) == info["rows_clean"]
        assert set(info) == {"source", "rows_in", "rows_clean", "rows_quarantined",
                             "rows_blank", "possible_duplicates_kept"}
    quarantine = pd.read_parquet(out / "quarantine.parquet")
    assert list(quarantine.columns) == QUARANTINE_COLUMNS
    assert len(pd.read_csv(out / "quarantine.csv")) == len(quarantine)


@bundled
def test_day_first_dates_land_in_the_file_period(result):
    # Each SKM file covers one quarter (its name); month-first reading would move most
    # responses with day <= 12 into another quarter.
    skm = result.tables["skm"]
    quarter = skm["tanggal"].dt.year.astype(str) + "Q" + skm["tanggal"].dt.quarter.astype(str)
    assert (quarter == skm["period"]).all()
    assert set(skm["period"]) == set(json.loads(TRUTH_FILE.read_text())["periods"])


@bundled
def test_no_personal_data_in_processed(result, truth):
    roster = pd.read_csv(RAW / "pegawai.csv", dtype=str)
    names = set(roster["Nama"].str.split(",").str[0])
    full_names = set(roster["Nama"].str.replace(r"^(?:(?:Dr|Drs|Ir|H|Hj)\.\s*)+", "", regex=True)
                     .str.split(",").str[0].str.casefold())
    lengths = {name.count(" ") + 1 for name in full_names}
    nips = set(roster["NIP"].str.replace(" ", ""))
    long_digits = re.compile(r"\d{17,}")   # a pid (16 hex characters) may be all digits
    email = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
    phone = re.compile(r"(?:\+62|\b0)8\d[\d -]{6,}")
    for path in sorted(result.processed_dir.glob("*.parquet")):
        table = pd.read_parquet(path)
        for col in table.columns:
            if not (pd.api.types.is_string_dtype(table[col])
                    or table[col].dtype == object):
                continue
            text = table[col].dropna().astype(str)
            assert not text.str.contains(long_digits).any(), (path.name, col)
            assert not text.str.contains(email).any(), (path.name, col)
            assert not text.str.contains(phone).any(), (path.name, col)
            assert not text.isin(names).any(), (path.name, col)
            assert not text.isin(nips).any(), (path.name, col)
            # no roster name inside a text either, in any case (checked word by word here,
            # independently of evalkit.privacy.KnownNames)
            for value in text.unique():
                words = re.findall(r"[\w'’-]+", value.casefold())
                for n in lengths:
                    grams = {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}
                    assert not grams & full_names, (path.name, col, value)
    # the interview transcripts' injected identifiers are all replaced by placeholders
    teks = result.tables["wawancara_segmen"]["teks"]
    pii = truth["pii"]["wawancara"]
    for placeholder, kind in (("[NAMA]", "nama"), ("[NIP]", "nip"), ("[TELEPON]", "no_hp"),
                              ("[EMAIL]", "email")):
        assert teks.str.count(re.escape(placeholder)).sum() == pii[kind], kind


@bundled
def test_pseudonyms_join_across_tables(result):
    pegawai = result.tables["pegawai"]
    pelatihan = result.tables["pelatihan"]
    assert pegawai["pid"].is_unique
    known = pelatihan["pid"].isin(pegawai["pid"])
    # records of people whose roster row was quarantined cannot find their unit
    assert known.mean() > 0.98
    assert pelatihan.loc[known, "unit"].notna().all()


def test_small_city_quarantine_matches_truth(small_raw, tmp_path):
    # The small preset raises every fault rate, so each kind occurs several times; a second,
    # independently seeded city guards against passing by luck on the bundled one.
    truth = json.loads((small_raw / "truth.json").read_text(encoding="utf-8"))
    result = clean_all(small_raw, tmp_path, progress=False)
    found = result.quarantine.groupby(["table", "kind"]).size().to_dict()
    expected = {(table, kind): n for table, kinds in truth["faults"].items()
                for kind, n in kinds.items() if kind in QUARANTINED_KINDS and n}
    assert found == expected
    counts = result.row_counts
    assert (counts["rows_in"] == counts["rows_clean"] + counts["rows_quarantined"]).all()


@bundled
def test_every_clean_table_passes_its_full_schema(result):
    # readers may skip a check they guarantee by construction (SKM response_id uniqueness);
    # the full schema must still hold on what they return.
    from evalkit import schemas

    for name, table in result.tables.items():
        schemas.validate(table, name)
    schemas.validate(result.quarantine, "quarantine")


def test_real_exports_carry_no_truth(small_raw, tmp_path):
    # Real exports have no truth.json: nothing is copied, the manifest says not simulated,
    # and a truth.json left by an earlier simulated run in the same folder is removed.
    import shutil

    raw = tmp_path / "raw"
    shutil.copytree(small_raw, raw)
    (raw / "truth.json").unlink()
    processed = tmp_path / "processed"
    processed.mkdir()
    (processed / "truth.json").write_text('{"simulated": true}', encoding="utf-8")
    result = clean_all(raw, processed, key="a-real-key", progress=False)
    assert result.manifest["simulated"] is False
    assert not (processed / "truth.json").exists()
    assert config.load_truth(processed) is None


@bundled
def test_fault_comparison_and_data_quality_on_the_bundled_city(result, truth):
    # notebook 01's tables, against the simulator's own counts (truth.json)
    from evalkit.ingest import data_quality_table
    from evalkit.truth import fault_comparison

    check = fault_comparison(result.quarantine, truth)
    quarantined = check[check["kind"].isin(QUARANTINED_KINDS)]
    assert (quarantined["injected"] == quarantined["quarantined"]).all()
    assert (quarantined["treatment"] == "quarantined").all()
    assert check["quarantined"].sum() == len(result.quarantine)
    kept = check[~check["kind"].isin(QUARANTINED_KINDS)]
    assert (kept["quarantined"] == 0).all() and kept["injected"].sum() > 0
    assert set(kept["kind"]) >= {"nip_spaces", "answer_blank", "date_mixed_format"}
    quality = data_quality_table(result.row_counts, result.quarantine).set_index("table")
    kinds = sorted(result.quarantine["kind"].unique())
    assert (quality[kinds].sum(axis=1) == quality["rows_quarantined"]).all()
