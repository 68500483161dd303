"""Property tests: malformed rows and files thrown at every reader.

Whatever the content, a reader either raises RawFileError (a file-level fault with a message)
or returns (clean, quarantine) in which every non-blank raw row appears exactly once:
len(clean) + len(quarantine) == number of data rows written.
"""

import datetime as dt
import string
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalkit import ingest
from evalkit.ingest import QUARANTINE_COLUMNS, RawFileError, _io
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
from evalkit.schemas import UNSUR

KEY = "prop-key"
SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Cell text: printable, encodable in cp1252, without the quote character and line breaks
# (a CSV writer would quote those; our hand-written files do not).
ALPHABET = string.ascii_letters + string.digits + " ./-:+,;éÉ–“”()%"
junk = st.text(alphabet=ALPHABET, max_size=25)
nip_valid = st.sampled_from(["197807172010012012", "19850321 200903 1 004",
                             "199001012021221001"])
nip_bad = st.sampled_from(["1.97807172010012E+17", "19780717201001201", "197813172010012012",
                           "197807172010013012", "197807172010012000", "x"])
date_any = st.one_of(st.dates(dt.date(1950, 1, 1), dt.date(2030, 12, 31)).map(
    lambda d: d.strftime(["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"][d.day % 3])),
    st.sampled_from(["31/02/2024", "00/01/2020", "45356", "13/13/2013"]))
number = st.one_of(st.integers(-20, 400).map(str), st.floats(0, 300).map(
    lambda x: f"{x:.2f}".replace(".", ",")), st.sampled_from(["1.234", "1.234,5", "abc"]))

VALID = {
    "NIP": st.one_of(nip_valid, nip_bad), "NIP Mentor": st.one_of(nip_valid, nip_bad),
    "NIP Mentee": st.one_of(nip_valid, nip_bad),
    "Unit Kerja": st.sampled_from(["Dinas X", "Dinas Y", " dinas  x "]),
    "Jenis Jabatan": st.sampled_from(["Struktural", "fungsional", "PELAKSANA", "Lain"]),
    "Golongan": st.sampled_from(["III/a", "iv/b", "IX", "V/z"]),
    "Pendidikan": st.sampled_from(["SMA", "S1", "D4/S1", "S2", "Kursus"]),
    "Jenis Kelamin": st.sampled_from(["L", "P", "Perempuan", "X"]),
    "Status": st.sampled_from(["Aktif", "pensiun", "Pindah", "Cuti"]),
    "Tanggal Lahir": date_any, "TMT CPNS": date_any, "Tanggal Mulai": date_any,
    "Tanggal Selesai": date_any, "Tanggal Evaluasi": date_any,
    "Bulan": st.sampled_from(["2024-01", "03/2024", "2024-13", "Jan"]),
    "Tahun": st.sampled_from(["2023", "2024", "dua ribu"]),
    "Hasil Kerja": st.sampled_from(["Di atas ekspektasi", "sesuai ekspektasi", "Baik"]),
    "Perilaku Kerja": st.sampled_from(["Di bawah ekspektasi", "Sesuai", "?"]),
    "Predikat": st.sampled_from(["Baik", "Sangat Baik", "Kurang", "Istimewa"]),
    "Kesulitan Penerapan": st.sampled_from(["Ya", "Tidak", "mungkin"]),
    "Koder 1": st.sampled_from(["0", "1", "2"]), "Koder 2": st.sampled_from(["0", "1", "x"]),
    "Segmen": st.sampled_from(["1", "2", "0", "-1", "a"]),
}


def cell(column):
    base = VALID.get(column, number if any(w in column for w in (
        "Jumlah", "Selesai Tepat", "Rata", "Skor", "JP", "Nilai")) else junk)
    return st.one_of(base, junk, st.just(""))


def rows_for(columns):
    row = st.tuples(*[cell(c) for c in columns]).map(list)
    extra = st.lists(junk, max_size=3)
    return st.lists(st.tuples(row, extra).map(lambda t: t[0] + t[1]), min_size=0, max_size=12)


def write(path: Path, header, rows, sep, encoding):
    lines = [sep.join(header)] + [sep.join(r) for r in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))


def n_data_rows(rows):
    """Rows with any non-blank cell — an independent count of what the reader must account for."""
    return sum(any(c.strip() for c in r) for r in rows)


def check(result, expected_rows, expected_blank=None):
    clean, quarantine = result
    assert list(quarantine.columns) == QUARANTINE_COLUMNS
    assert len(clean) + len(quarantine) == expected_rows
    # the reader's own count, measured while reading, agrees with the independent one
    assert result.rows_in == expected_rows
    if expected_blank is not None:
        assert result.rows_blank == expected_blank
    assert not quarantine.duplicated(["source_file", "source_row"]).any()
    assert quarantine["reason"].notna().all() and quarantine["kind"].notna().all()


READERS = {
    "pegawai.csv": (lambda p: ingest.read_pegawai(p, key=KEY), PEGAWAI_COLUMNS),
    "kinerja_layanan.csv": (lambda p: ingest.read_kinerja(p, known_units={"Dinas X"}),
                            KINERJA_COLUMNS),
    "skp.csv": (lambda p: ingest.read_skp(p, key=KEY), SKP_COLUMNS),
    "evaluasi_pasca_pelatihan.csv": (lambda p: ingest.read_evaluasi(p, key=KEY),
                                     EVALUASI_COLUMNS),
    "mentoring.csv": (lambda p: ingest.read_mentoring(p, key=KEY), MENTORING_COLUMNS),
    "wawancara_koding_manual.csv": (ingest.read_koding_manual, KODING_COLUMNS),
}


def csv_case(name):
    reader, columns = READERS[name]

    @SETTINGS
    @given(rows=rows_for(columns), sep=st.sampled_from([",", ";"]),
           encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    def test(rows, sep, encoding):
        # the separator of the file must not occur inside unquoted cells
        rows = [[c.replace(sep, " ") for c in r] for r in rows]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / name
            write(path, columns, rows, sep, encoding)
            try:
                result = reader(path)
            except RawFileError as err:
                assert name in str(err) and "What to do" in str(err)
                return
            check(result, n_data_rows(rows), len(rows) - n_data_rows(rows))

    test.__name__ = f"test_reader_never_loses_rows_{name.split('.')[0]}"
    return test


test_pegawai_rows = csv_case("pegawai.csv")
test_kinerja_rows = csv_case("kinerja_layanan.csv")
test_skp_rows = csv_case("skp.csv")
test_evaluasi_rows = csv_case("evaluasi_pasca_pelatihan.csv")
test_mentoring_rows = csv_case("mentoring.csv")
test_koding_rows = csv_case("wawancara_koding_manual.csv")


QUESTIONS = ingest.load_questions()
answer = st.one_of(st.sampled_from(["Sangat sesuai", "kurang MUDAH", "a", "d", "4", "1", "5",
                                    "0", "Gratis", "Sangat baik", "Sangat sesuaii", ""]), junk)


@SETTINGS
@given(rows=st.lists(st.lists(answer, min_size=9, max_size=9), max_size=15),
       order=st.permutations(list(UNSUR)), sep=st.sampled_from([",", ";"]),
       encoding=st.sampled_from(["utf-8", "cp1252"]), repeat=st.booleans())
def test_skm_reader_never_loses_rows(rows, order, sep, encoding, repeat):
    header = [*list(PROFILE_COLUMNS)[:-1], *[QUESTIONS.names[u] for u in order],
              "Saran / Masukan"]
    full = [["05/12/2024 10:00:00", "Dinas X", "KTP", "P", "30", "SMA", "Swasta",
             *[a.replace(sep, " ") for a in r], "ok"] for r in rows]
    if repeat and full:
        full.append(list(full[0]))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x_2024Q4.csv"
        write(path, [h if sep not in h else f'"{h}"' for h in header], full, sep, encoding)
        try:
            result = ingest.read_skm(path, known_units={"Dinas X"})
        except RawFileError as err:
            assert "x_2024Q4.csv" in str(err)
            return
        check(result, len(full))
        if repeat:
            assert "duplicate_response" in set(result[1]["kind"])


@SETTINGS
@given(rows=st.lists(st.lists(st.one_of(junk, st.sampled_from(["", " ", "Baik", " Baik ",
                                                                "baik  "])),
                              min_size=3, max_size=3), max_size=12),
       sep=st.sampled_from([",", ";"]))
def test_dictionary_encoded_columns_are_tidied_like_plain_text(rows, sep):
    # The SKM reader reads columns of few distinct values dictionary-encoded and tidies
    # each distinct value once; the result must equal tidying every cell (the plain path).
    rows = [[c.replace(sep, " ") for c in r] for r in rows]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.csv"
        write(path, ["A", "B", "C"], rows, sep, "utf-8")
        plain = _io.arrow_to_tidy_frame(_io.read_csv_arrow(path, ["A"])[0])
        coded = _io.arrow_to_tidy_frame(_io.read_csv_arrow(path, ["A"],
                                                           dictionary=lambda h: h != "C")[0])
    assert isinstance(coded[0]["A"].dtype, pd.CategoricalDtype)
    assert (coded[1] == plain[1]).all()                      # the same blank rows
    as_text = coded[0].assign(A=_io.categorical_as_text(coded[0]["A"]),
                              B=_io.categorical_as_text(coded[0]["B"]))
    pd.testing.assert_frame_equal(as_text, plain[0])
    # tidied values that became equal share one category, so codes compare the tidied text
    assert coded[0]["A"].cat.categories.is_unique


xlsx_cell = st.one_of(junk, st.none(), st.integers(-10, 500), st.floats(-1e18, 1e18),
                      st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2030, 1, 1)),
                      st.sampled_from([197807172010012012.0, "197807172010012012", 45356]))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(xlsx_cell, min_size=10, max_size=10), max_size=8))
def test_pelatihan_reader_never_loses_rows(rows):
    frame = pd.DataFrame(rows, columns=list(PELATIHAN_COLUMNS), dtype=object)
    expected = sum(any(v is not None and str(v).strip() != "" for v in r) for r in rows)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pelatihan.xlsx"
        frame.to_excel(path, sheet_name="Pelatihan", index=False)
        try:
            result = ingest.read_pelatihan(path, key=KEY)
        except RawFileError as err:
            assert "pelatihan.xlsx" in str(err) and expected == 0
            return
        check(result, expected)


line = st.one_of(st.tuples(st.sampled_from(["P: ", "I: ", "i:", ""]), junk).map("".join),
                 st.just(""))


@SETTINGS
@given(lines=st.lists(line, max_size=15), date=st.sampled_from(["05/12/2025", "31/02/2025",
                                                                  ""]))
def test_wawancara_reader_never_crashes(lines, date):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        body = "\n".join(lines)
        (folder / "INF-001.txt").write_text(
            f"Kode Informan: INF-001\nUnit Kerja: Dinas X\nJabatan: Staf\nPelatihan: P\n"
            f"Tanggal: {date}\n---\n{body}\n", encoding="utf-8")
        try:
            clean, quarantine = ingest.read_wawancara(folder)
        except RawFileError as err:
            assert "INF-001.txt" in str(err) or str(folder) in str(err)
            return
        turns = sum(1 for ln in lines if ln[:2].upper() in ("P:", "I:"))
        assert len(clean) + len(quarantine) >= turns
        assert clean["segmen"].ge(0).all()


ALL_READERS = {
    **{name: reader for name, (reader, _) in READERS.items()},
    "pelatihan.xlsx": lambda p: ingest.read_pelatihan(p, key=KEY),
    "x_2024Q1.csv": lambda p: ingest.read_skm(p),
}
header_bytes = st.sampled_from([b"", b"NIP,Tahun\n", ",".join(PEGAWAI_COLUMNS).encode() + b"\n",
                                b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(ALL_READERS)), head=header_bytes,
       body=st.binary(max_size=300))
def test_arbitrary_bytes_never_crash_a_reader(name, head, body):
    # whatever the bytes, a reader answers with a file-level message or with rows that all
    # reconcile (each quarantined row once)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(head + body)
        try:
            clean, quarantine = ALL_READERS[name](path)
        except RawFileError as err:
            assert name in str(err) and "What to do" in str(err)
            return
        assert list(quarantine.columns) == QUARANTINE_COLUMNS
        assert not quarantine.duplicated(["source_file", "source_row"]).any()


@SETTINGS
@given(body=st.binary(max_size=300))
def test_arbitrary_transcript_bytes(body):
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "INF-009.txt").write_bytes(body)
        try:
            ingest.read_wawancara(tmp)
        except RawFileError as err:
            assert "INF-009.txt" in str(err)
