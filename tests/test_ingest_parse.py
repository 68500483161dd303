"""Parsing helpers of evalkit.ingest: NIP, day-first dates, locale numbers, CSV sniffing."""

import datetime as dt

import pandas as pd
import pytest

from evalkit.ingest import (
    RawFileError,
    normalise_nip,
    parse_dates_dayfirst,
    parse_number,
    read_csv_text,
    sniff_separator,
    validate_nip,
)


# --- NIP (DOMAIN.md §4) ---------------------------------------------------------------------
def test_normalise_nip_removes_print_separators_only():
    out = normalise_nip(pd.Series(["19780717 201001 2 012", "19780717.201001.2.012",
                                   " 197807172010012012 ", "1.97807172010012E+17", None]))
    assert out.tolist()[:3] == ["197807172010012012"] * 3
    assert out.iloc[3] == "1.97807172010012E+17"      # never "repaired"
    assert pd.isna(out.iloc[4])


def test_validate_nip_reads_pns_and_pppk_attributes():
    # PNS: born 1978-07-17, TMT CPNS 2010-01, female (2), serial 012 — decoded by hand.
    # PPPK: born 1990-01-01, TMT 2021, "2", frequency 2, male (1), serial 001.
    out = validate_nip(pd.Series(["197807172010012012", "199001012021221001"]))
    assert out["kind"].isna().all()
    assert out["jenis_asn"].tolist() == ["PNS", "PPPK"]
    assert out["tahun_lahir"].tolist() == [1978, 1990]
    assert out["tahun_pengangkatan"].tolist() == [2010, 2021]
    assert out["jenis_kelamin"].tolist() == ["P", "L"]


@pytest.mark.parametrize("raw, kind, words", [
    ("1.97807172010012E+17", "nip_float", "number"),
    ("1,97807172010012E+17", "nip_float", "number"),
    ("197807172010012012.0", "nip_float", "number"),
    ("19780717201001201", "nip_invalid", "17"),
    ("197813172010012012", "nip_invalid", "birth date"),
    ("197807172010013012", "nip_invalid", "sex"),
    ("197807172010012000", "nip_invalid", "000"),
    ("197807171970012012", "nip_invalid", "after the birth"),
    ("197807172010152012", "nip_invalid", "month"),
    ("NIP-ABC", "nip_invalid", "18 digits"),
    (None, "nip_invalid", "empty"),
])
def test_validate_nip_rejects_with_reason(raw, kind, words):
    out = validate_nip(normalise_nip(pd.Series([raw], dtype="str")))
    assert out["kind"].iloc[0] == kind
    assert words in out["reason"].iloc[0]
    assert pd.isna(out["jenis_asn"].iloc[0])


# --- dates ------------------------------------------------------------------------------------
def test_day_first_even_when_every_day_is_at_most_12():
    # generic inference would read these month-first; the explicit formats never do
    out = parse_dates_dayfirst(pd.Series(["05/12/2026", "01/02/2026", "12/01/2026"]))
    assert [(d.day, d.month) for d in out] == [(5, 12), (1, 2), (12, 1)]


def test_all_documented_formats_give_the_same_day():
    serial = (dt.date(2026, 11, 27) - dt.date(1899, 12, 30)).days   # Excel's day count
    out = parse_dates_dayfirst(pd.Series(["27/11/2026", "27-11-2026", "2026-11-27",
                                          str(serial), "27/11/2026 14:05:33", "27.11.2026",
                                          "2026-11-27 00:00:00"]))
    assert out.dt.normalize().nunique() == 1
    assert out.iloc[0] == pd.Timestamp("2026-11-27")
    assert out.iloc[4] == pd.Timestamp("2026-11-27 14:05:33")


@pytest.mark.parametrize("bad", ["31/02/2024", "32/01/2024", "00/05/2024", "13/13/2024",
                                 "kemarin", "2024-02-30", "123", "99999999"])
def test_impossible_dates_are_missing(bad):
    assert parse_dates_dayfirst(pd.Series([bad])).isna().all()


def test_single_digit_day_and_month():
    assert parse_dates_dayfirst(pd.Series(["5/3/2024"])).iloc[0] == pd.Timestamp("2024-03-05")


# --- numbers ----------------------------------------------------------------------------------
def test_decimal_comma_and_thousands_dot():
    assert parse_number(pd.Series(["1.234,5", "3,5", "7", None])).tolist()[:3] == [
        1234.5, 3.5, 7.0]
    assert parse_number(pd.Series(["1.234", "12", "2.500.000"]), integer=True).tolist() == [
        1234, 12, 2500000]
    assert parse_number(pd.Series(["2.5"])).iloc[0] == 2.5       # dot decimal when no comma
    assert parse_number(pd.Series(["dua", "1,5"]), integer=True).isna().all()


# --- CSV sniffing -----------------------------------------------------------------------------
def test_sniff_separator_ignores_quoted_commas():
    assert sniff_separator('A;B;"Saran, Masukan"') == ";"
    assert sniff_separator('A,"B;C",D') == ","


@pytest.mark.parametrize("encoding, sep", [("utf-8", ","), ("utf-8-sig", ";"),
                                           ("cp1252", ";"), ("cp1252", ",")])
def test_csv_encodings_and_separators(tmp_path, encoding, sep):
    path = tmp_path / "x.csv"
    text = sep.join(["Unit Kerja", "Saran"]) + "\n" + sep.join(["Dinas X", "“Bagus” – café"])
    path.write_bytes((text + "\n").encode(encoding))
    frame, bad, info = read_csv_text(path, ["Unit Kerja", "Saran"])
    assert info["separator"] == sep and not bad
    assert frame["Saran"].iloc[0] == "“Bagus” – café"
    assert frame["_row"].tolist() == [1]


def test_csv_header_matching_ignores_case_and_spaces(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("  unit  KERJA ,Saran/Masukan\nA, b \n\n,\nC,d\n")
    frame, _, _ = read_csv_text(path, ["Unit Kerja", "Saran / Masukan"])
    assert frame["Unit Kerja"].tolist() == ["A", "C"]
    assert frame["Saran / Masukan"].tolist() == ["b", "d"]
    assert frame["_row"].tolist() == [1, 4]        # blank lines keep their numbers


def test_csv_rows_with_extra_fields_are_reported(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("A,B\n1,2\n3,4,5\n6,7\n")
    frame, bad, _ = read_csv_text(path, ["A", "B"])
    assert bad == [2] and frame["_row"].tolist() == [1, 3]


def test_csv_that_is_really_a_workbook(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"PK\x03\x04rest-of-zip")
    with pytest.raises(RawFileError, match="not a text"):
        read_csv_text(path, ["A"])


# --- NIP: PPPK appointment year and numbers that passed through a spreadsheet ---------------
def test_pppk_code_before_the_first_pppk_year_is_not_a_pppk_nip():
    # Digits 13-14 "21" are no month; as a PPPK code they would date the appointment to 2010,
    # but PPPK exist only since PP 49/2018 (first appointments 2019, DOMAIN.md default).
    out = validate_nip(pd.Series(["197807172010212012", "197807172019212012"]))
    assert out["kind"].tolist()[0] == "nip_invalid"
    reason = out["reason"].iloc[0]
    assert "PPPK" in reason and "2010" in reason and "2019" in reason
    assert pd.isna(out["jenis_asn"].iloc[0])
    # the same number with an appointment year of 2019 is a PPPK appointed in 2019
    assert pd.isna(out["kind"].iloc[1])
    assert (out["jenis_asn"].iloc[1], out["tahun_pengangkatan"].iloc[1]) == ("PPPK", 2019)


def test_pppk_first_year_is_an_overridable_default(monkeypatch):
    from evalkit.ingest import _parse

    assert _parse.PPPK_FIRST_YEAR == 2019
    nip = pd.Series(["197807172010212012"])
    assert validate_nip(nip, pppk_first_year=2005)["jenis_asn"].iloc[0] == "PPPK"
    monkeypatch.setattr(_parse, "PPPK_FIRST_YEAR", 2005)
    assert validate_nip(nip)["jenis_asn"].iloc[0] == "PPPK"


@pytest.mark.parametrize("raw", [
    "1.97807172010012E+17",          # E notation (what a spreadsheet shows)
    "1.97807172010012e17",
    "197807172010012000.0",          # the float written out with its decimal part
    "197807172010012000,00",
    "197.807.172.010.012.000",       # the number with Indonesian thousands dots
    "197,807,172,010,012,000",       # ... or English thousands commas
    "19780717201001.0",              # a shorter number, still in float form
])
def test_nip_in_float_form_is_nip_float_with_the_number_reason(raw):
    out = validate_nip(normalise_nip(pd.Series([raw])))
    assert out["kind"].iloc[0] == "nip_float"
    assert "stored as a number" in out["reason"].iloc[0]
    assert "15 significant digits" in out["reason"].iloc[0]


def test_nip_ending_000_in_plain_digits_is_invalid_and_names_the_likely_cause():
    # 1.97807172010012E+17 written out in full: the serial is 000, which no NIP has. The raw
    # text shows no float form, so the kind stays nip_invalid (as the simulator counts it).
    out = validate_nip(normalise_nip(pd.Series(["197807172010012000"])))
    assert out["kind"].iloc[0] == "nip_invalid"
    reason = out["reason"].iloc[0]
    assert "000" in reason and "spreadsheet" in reason and "as a number" in reason


def test_printed_nip_with_dot_separators_is_not_float_form():
    out = validate_nip(normalise_nip(pd.Series(["19780717.201001.2.012"])))
    assert pd.isna(out["kind"].iloc[0]) and out["jenis_asn"].iloc[0] == "PNS"


# --- timestamps with and without a time of day ------------------------------------------------
def test_has_time_of_day():
    from evalkit.ingest._parse import has_time_of_day

    text = pd.Series(["05/12/2026 10:21:07", "05/12/2026 10:21", "2026-12-05T08:30:00",
                      "46361.4375",                     # Excel serial: 10:30
                      "05/12/2026", "27.11.2026", "46361", "2026-12-05 00:00:00", None])
    assert has_time_of_day(text).tolist() == [True] * 4 + [False] * 5


# --- record counts measured while reading ---------------------------------------------------
def _csv_module_counts(path, sep=","):
    """Independent count with the standard csv module: (records after the header, blank)."""
    import csv

    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter=sep))[1:]
    blank = sum(not "".join(r).strip() for r in rows)
    return len(rows), blank


def test_csv_reader_counts_records_and_blank_lines(tmp_path):
    path = tmp_path / "x.csv"
    # a blank line, a row of bare separators, a quoted value over two lines, a short row,
    # a row with too many fields and trailing blank lines
    path.write_text('A,B\n1,2\n\n,\n"multi\nline",3\n4\n5,6,7\n8,9\n\n\n')
    frame, bad, info = read_csv_text(path, ["A", "B"])
    records, blank = _csv_module_counts(path)
    assert (records, blank) == (9, 4)                      # counted by hand as well
    assert info["records"] == records and info["rows_blank"] == blank
    assert info["rows_in"] == records - blank == len(frame) + len(bad)
    assert bad == [5, 6]          # "4" alone and "5,6,7" cannot be aligned with the header


def test_csv_header_ending_with_a_bare_carriage_return(tmp_path):
    # old Mac line ends (\r only) are line breaks for the parser and for the header
    path = tmp_path / "x.csv"
    path.write_bytes(b"A,B\r1,2\r3,4\r")
    frame, bad, info = read_csv_text(path, ["A", "B"])
    assert frame["B"].tolist() == ["2", "4"] and info["rows_in"] == 2
    garbage = tmp_path / "y.csv"
    garbage.write_bytes(b"\x01\r\x01")
    with pytest.raises(RawFileError, match="y.csv"):
        read_csv_text(garbage, ["A"])
