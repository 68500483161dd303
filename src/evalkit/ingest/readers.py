"""Readers of the tabular raw sources (all but SKM and transcripts).

Each reader returns ``(clean, quarantine)``: the processed table (docs/data-contract.md,
validated against :mod:`evalkit.schemas`) and one quarantine row per rejected raw row. Raw
NIPs become pseudonyms (``pid``) here and are not kept.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from evalkit.periods import period_of_month
from evalkit.privacy import KnownNames
from evalkit.schemas import (
    EKSPEKTASI,
    JENIS_JABATAN,
    METODE,
    PREDIKAT,
    RUMPUN,
    STATUS_PEGAWAI,
    expected_predikat,
)

from ._common import (
    check_units,
    date_column,
    finish,
    label_column,
    number_column,
    one_spelling,
    pid_column,
    resolve_key,
    start,
    text_column,
    unit_from_roster,
)
from ._faults import FILE
from ._tables import as_paths, read_source, require_any
from .profiles import ASN_AGE_BANDS, PROFILE_CATEGORIES, age_band

PEGAWAI_COLUMNS = ("NIP", "Nama", "Unit Kerja", "Jenis Jabatan", "Golongan", "Pendidikan",
                   "Jenis Kelamin", "Tanggal Lahir", "TMT CPNS", "No HP", "Status")
#: Columns each analysis cannot do without; the other documented columns are optional and
#: become empty when an export lacks them (the manifest lists them as ``columns_absent``).
PEGAWAI_REQUIRED = ("NIP", "Unit Kerja")
PELATIHAN_COLUMNS = ("NIP", "Nama Pelatihan", "Rumpun", "Metode", "Tanggal Mulai",
                     "Tanggal Selesai", "JP", "Nilai Pre-Test", "Nilai Post-Test",
                     "Nilai Reaksi")
PELATIHAN_SHEET = "Pelatihan"
KINERJA_COLUMNS = ("Unit Kerja", "Bulan", "Jumlah Permohonan", "Selesai Tepat Waktu",
                   "Rata-rata Hari Penyelesaian", "Jumlah Pengaduan")
SKP_COLUMNS = ("NIP", "Tahun", "Hasil Kerja", "Perilaku Kerja", "Predikat")
EVALUASI_COLUMNS = ("NIP", "Nama Pelatihan", "Tanggal Evaluasi", "Skor Alumni",
                    "Skor Atasan", "Skor Rekan Kerja", "Kesulitan Penerapan")
MENTORING_COLUMNS = ("NIP Mentor", "NIP Mentee", "Unit Kerja", "Tanggal Mulai",
                     "Tanggal Selesai")
PELATIHAN_REQUIRED = ("NIP", "Nama Pelatihan", "Tanggal Selesai", "JP")
KINERJA_REQUIRED = ("Unit Kerja", "Bulan")          # and at least one count (below)
KINERJA_COUNTS = ("Jumlah Permohonan", "Selesai Tepat Waktu", "Rata-rata Hari Penyelesaian",
                  "Jumlah Pengaduan")
SKP_REQUIRED = ("NIP", "Tahun")                      # and Predikat or the two ratings
EVALUASI_REQUIRED = ("NIP", "Nama Pelatihan", "Tanggal Evaluasi")   # and a score
EVALUASI_SCORES = ("Skor Alumni", "Skor Atasan", "Skor Rekan Kerja")
MENTORING_REQUIRED = ("NIP Mentor", "NIP Mentee", "Tanggal Mulai")
KODING_COLUMNS = ("Kode Informan", "Segmen", "Tema", "Koder 1", "Koder 2")

# Label variants seen in exports → canonical value (matching ignores case and spaces).
_JABATAN = {v: v for v in JENIS_JABATAN}
_STATUS = {v: v for v in STATUS_PEGAWAI}
_SEX = PROFILE_CATEGORIES["jenis_kelamin"]   # the same labels as the survey's respondents
_RUMPUN = {**{v: v for v in RUMPUN}, "Sosial-Kultural": "sosial kultural",
           "Sosial Budaya": "sosial kultural", "Coaching": "coaching/mentoring",
           "Mentoring": "coaching/mentoring", "Coaching / Mentoring": "coaching/mentoring"}
_METODE = {**{v: v for v in METODE}, "E Learning": "e-learning", "Elearning": "e-learning",
           "Daring": "e-learning", "Luring": "klasikal", "Campuran": "blended"}
_EKSPEKTASI = {**{v: v for v in EKSPEKTASI}, "Di atas": "Di atas ekspektasi",
               "Sesuai": "Sesuai ekspektasi", "Di bawah": "Di bawah ekspektasi"}
_PREDIKAT = {**{v: v for v in PREDIKAT}, "Kurang": "Kurang/Misconduct",
             "Misconduct": "Kurang/Misconduct", "Kurang / Misconduct": "Kurang/Misconduct"}
_YA_TIDAK = {"Ya": "Ya", "Y": "Ya", "Tidak": "Tidak", "T": "Tidak", "1": "Ya", "0": "Tidak"}
_PENDIDIKAN = {"SD": "SD", "SMP": "SMP", "SLTP": "SMP", "SMA": "SMA", "SLTA": "SMA",
               "SMK": "SMA", "D1": "D1", "D2": "D2", "D3": "D3", "D4/S1": "D4/S1",
               "D4": "D4/S1", "S1": "D4/S1", "S1/D4": "D4/S1", "S2": "S2", "S3": "S3"}


def _golongan(series: pd.Series) -> pd.Series:
    """``iii/a`` → ``III/a``, ``ix`` → ``IX`` (roman numerals upper, grade letter lower)."""
    text = series.astype("str").str.replace(r"\s+", "", regex=True)
    parts = text.str.extract(r"^([IVXivx]+)(?:/([A-Ea-e]))?$")
    roman = parts[0].str.upper()
    return (roman + ("/" + parts[1].str.lower()).fillna("")).where(parts[0].notna(), text)


def read_pegawai(path: str | os.PathLike[str], key: str | None = None,
                 reference_year: int | None = None, spec=None
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read the personnel roster ``pegawai.csv``.

    NIP → ``pid`` plus the attributes the NIP holds (``jenis_asn``, ``tahun_lahir``,
    ``tahun_pengangkatan``); phone numbers are read only to be dropped, names only to be
    redacted from the other sources' free text (``result.person_names``, in memory).

    Parameters
    ----------
    path : path
    key : str, optional
        Pseudonymisation key (default: :func:`evalkit.privacy.load_key` of the file's folder).
    reference_year : int, optional
        Year at which ``kelompok_umur`` is taken; default the latest TMT CPNS year in the
        roster (the export's year in practice), so reruns on the same file agree.

    Returns
    -------
    (clean, quarantine) : tuple of DataFrame

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "pegawai.csv"
    >>> _ = p.write_text("NIP;Nama;Unit Kerja;Jenis Jabatan;Golongan;Pendidikan;Jenis Kelamin;"
    ...   "Tanggal Lahir;TMT CPNS;No HP;Status\\n19780717 201001 2 012;Sari;Dinas X;"
    ...   "Pelaksana;iii/a;S1;P;17/07/1978;01/01/2010;0812345678;Aktif\\n")
    >>> clean, quarantine = read_pegawai(p, key="k")
    >>> clean[["golongan", "pendidikan", "jenis_asn", "kelompok_umur"]].iloc[0].tolist()
    ['III/a', 'D4/S1', 'PNS', '30-39']

    """
    key = resolve_key(key, as_paths(path)[0])
    raw, bad, info = _read(path, PEGAWAI_COLUMNS, "personnel roster (pegawai.csv)", spec,
                           "pegawai", required=PEGAWAI_REQUIRED)
    has = _present(info)
    frame, faults = start(raw, raw[FILE], "pegawai")
    _malformed(faults, bad)
    pid, attrs = pid_column(frame, faults, "NIP", key)
    dup = pid.notna() & pid.duplicated(keep="first") & ~faults.rejected
    faults.add(dup, "NIP", "nip_duplicate")
    date_column(frame, faults, "Tanggal Lahir", required=has("Tanggal Lahir"))
    tmt = date_column(frame, faults, "TMT CPNS", required=has("TMT CPNS"))
    # names that differ only in case or spacing are one unit (labels, issue 13 §3)
    unit, info["units_matched"] = one_spelling(text_column(frame, faults, "Unit Kerja"))
    jabatan = label_column(frame, faults, "Jenis Jabatan", _JABATAN,
                           required=has("Jenis Jabatan"))
    # without a status column every row counts as active (an export of current staff)
    status = (label_column(frame, faults, "Status", _STATUS) if has("Status")
              else pd.Series("Aktif", index=frame.index, dtype="str"))
    # without a sex column, the NIP's sex digit says it (DOMAIN.md §4)
    sex = (label_column(frame, faults, "Jenis Kelamin", _SEX) if has("Jenis Kelamin")
           else attrs["jenis_kelamin"].astype("str"))
    pendidikan = label_column(frame, faults, "Pendidikan", _PENDIDIKAN, required=False)
    if reference_year is None:
        # the latest appointment year: from TMT CPNS, else from the NIPs (the same digits)
        years = (tmt.dt.year if has("TMT CPNS") else attrs["tahun_pengangkatan"]).dropna()
        reference_year = int(years.max()) if len(years) else None
    age = (reference_year - attrs["tahun_lahir"].astype("Float64")
           if reference_year is not None else attrs["tahun_lahir"].astype("Float64") * np.nan)
    work = pd.DataFrame({
        "pid": pid, "unit": unit, "jenis_jabatan": jabatan,
        "golongan": _golongan(frame["Golongan"]), "pendidikan": pendidikan,
        "jenis_kelamin": sex, "jenis_asn": attrs["jenis_asn"],
        "tahun_lahir": attrs["tahun_lahir"], "tahun_pengangkatan": attrs["tahun_pengangkatan"],
        "kelompok_umur": age_band(age, ASN_AGE_BANDS), "status": status,
    })
    result = finish("pegawai", work, faults, {
        "pid": "NIP", "unit": "Unit Kerja", "jenis_jabatan": "Jenis Jabatan",
        "golongan": "Golongan", "pendidikan": "Pendidikan", "jenis_kelamin": "Jenis Kelamin",
        "jenis_asn": "NIP", "tahun_lahir": "NIP", "tahun_pengangkatan": "NIP",
        "kelompok_umur": "NIP", "status": "Status"},
        **_counts(info))
    result.person_names = KnownNames(frame["Nama"])   # every name, quarantined rows' too
    return result


def _present(info: dict):
    """``has(column)``: whether the export holds the documented column."""
    absent = set(info.get("columns_absent", ()))
    return lambda column: column not in absent


def _counts(info: dict) -> dict:
    """The reader's measured record counts (from ``_io``) as :func:`finish` takes them, and
    the export's columns that no documented column uses (listed in the manifest)."""
    details = {k: info[k] for k in ("columns_absent", "columns_ignored", "units_matched")
               if info.get(k)}
    return {"rows_in": info["rows_in"], "rows_blank": info["rows_blank"],
            "details": details or None}


def _read(path, columns: tuple[str, ...], what: str, spec, table: str,
          required: tuple[str, ...] | None = None, sheet: str | None = None
          ) -> tuple[pd.DataFrame, list[tuple[str, int]], dict]:
    """Read a source's file(s) (:func:`~evalkit.ingest._tables.read_source`): ``required``
    columns (default all) must be present, the others become empty when absent."""
    return read_source(path, columns, columns if required is None else required, what, spec,
                       table, sheet)


def _malformed(faults, bad_rows: list[tuple[str, int]]) -> None:
    """Rows with more fields than the header are quarantined as ``row_malformed``."""
    for name in dict.fromkeys(name for name, _ in bad_rows):
        faults.add_unaligned([r for n, r in bad_rows if n == name], name, "row_malformed")


def read_pelatihan(path: str | os.PathLike[str], key: str | None = None,
                   roster: pd.DataFrame | None = None, spec=None
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read training records ``pelatihan.xlsx`` (sheet ``Pelatihan``) through calamine.

    ``unit`` comes from the roster (the processed ``pegawai`` table) by ``pid``; records of
    people not in the roster keep an empty unit. ``klasikal`` is True for classroom delivery.

    Examples
    --------
    >>> import pathlib, tempfile, pandas as pd
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "pelatihan.xlsx"
    >>> pd.DataFrame({"NIP": ["197807172010012012"], "Nama Pelatihan": ["Pelayanan Prima"],
    ...   "Rumpun": ["Teknis"], "Metode": ["Klasikal"], "Tanggal Mulai": ["01/03/2024"],
    ...   "Tanggal Selesai": ["03/03/2024"], "JP": [24], "Nilai Pre-Test": [60],
    ...   "Nilai Post-Test": [80], "Nilai Reaksi": [4.5]}).to_excel(p, sheet_name="Pelatihan",
    ...   index=False)
    >>> clean, quarantine = read_pelatihan(p, key="k")
    >>> clean.loc[0, ["rumpun", "klasikal", "jp"]].astype(str).tolist(), len(quarantine)
    (['teknis', 'True', '24.0'], 0)

    """
    key = resolve_key(key, as_paths(path)[0])
    raw, bad, info = _read(path, PELATIHAN_COLUMNS, "training records (pelatihan.xlsx)", spec,
                           "pelatihan", required=PELATIHAN_REQUIRED, sheet=PELATIHAN_SHEET)
    has = _present(info)
    frame, faults = start(raw, raw[FILE], "pelatihan")
    _malformed(faults, bad)
    pid, _ = pid_column(frame, faults, "NIP", key)
    nama = text_column(frame, faults, "Nama Pelatihan")
    rumpun = label_column(frame, faults, "Rumpun", _RUMPUN, required=has("Rumpun"))
    metode = label_column(frame, faults, "Metode", _METODE, required=has("Metode"))
    mulai = date_column(frame, faults, "Tanggal Mulai", required=has("Tanggal Mulai"))
    selesai = date_column(frame, faults, "Tanggal Selesai")
    jp = number_column(frame, faults, "JP", required=True)
    pre = number_column(frame, faults, "Nilai Pre-Test")
    post = number_column(frame, faults, "Nilai Post-Test")
    reaksi = number_column(frame, faults, "Nilai Reaksi")
    work = pd.DataFrame({
        "pid": pid, "unit": unit_from_roster(pid, roster), "nama_pelatihan": nama,
        "rumpun": rumpun, "metode": metode, "klasikal": metode.eq("klasikal").fillna(False),
        "tanggal_mulai": mulai, "tanggal_selesai": selesai, "jp": jp,
        "nilai_pre_test": pre, "nilai_post_test": post, "nilai_reaksi": reaksi,
    })
    return finish("pelatihan", work, faults, {
        "pid": "NIP", "nama_pelatihan": "Nama Pelatihan", "rumpun": "Rumpun",
        "metode": "Metode", "klasikal": "Metode", "tanggal_mulai": "Tanggal Mulai",
        "tanggal_selesai": "Tanggal Selesai", "jp": "JP", "nilai_pre_test": "Nilai Pre-Test",
        "nilai_post_test": "Nilai Post-Test", "nilai_reaksi": "Nilai Reaksi"},
        **_counts(info))


def _bulan(series: pd.Series) -> pd.Series:
    """``2024-03``, ``2024-3``, ``03/2024``, ``03-2024`` → ``2024-03`` (missing otherwise)."""
    text = series.astype("str").str.strip()
    ym = text.str.extract(r"^(\d{4})[-/](\d{1,2})$")
    my = text.str.extract(r"^(\d{1,2})[-/](\d{4})$")
    year = ym[0].fillna(my[1])
    month = pd.to_numeric(ym[1].fillna(my[0]), errors="coerce")
    ok = year.notna() & month.between(1, 12)
    return (year + "-" + month.astype("Int64").astype("str").str.zfill(2)).where(ok)


def read_kinerja(path: str | os.PathLike[str], known_units: set[str] | None = None,
                 spec=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read monthly service performance ``kinerja_layanan.csv``.

    ``period`` is the quarter of ``bulan``. Units not in ``known_units`` (the roster's units,
    when given) are quarantined as ``unit_unknown``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "kinerja_layanan.csv"
    >>> _ = p.write_text("Unit Kerja;Bulan;Jumlah Permohonan;Selesai Tepat Waktu;"
    ...   "Rata-rata Hari Penyelesaian;Jumlah Pengaduan\\nDinas X;2024-08;1.234;1.100;3,5;7\\n")
    >>> clean = read_kinerja(p)[0]
    >>> clean.loc[0, ["period", "jumlah_permohonan", "rata_rata_hari"]].astype(str).tolist()
    ['2024Q3', '1234', '3.5']

    """
    raw, bad, info = _read(path, KINERJA_COLUMNS, "service performance (kinerja_layanan.csv)",
                           spec, "kinerja_layanan", required=KINERJA_REQUIRED)
    require_any(path, info, [(c,) for c in KINERJA_COUNTS], "kinerja_layanan",
                "the service records need at least one of the counts")
    frame, faults = start(raw, raw[FILE], "kinerja_layanan")
    _malformed(faults, bad)
    unit = text_column(frame, faults, "Unit Kerja")
    unit, info["units_matched"] = check_units(unit, faults, "Unit Kerja", known_units)
    bulan = _bulan(frame["Bulan"])
    faults.add(frame["Bulan"].notna() & bulan.isna(), "Bulan", "date_invalid",
               reason="Bulan: not a month written YYYY-MM (e.g. 2024-03).")
    faults.add(frame["Bulan"].isna(), "Bulan", "value_missing", reason="Bulan is empty.")
    work = pd.DataFrame({
        "unit": unit, "bulan": bulan, "period": period_of_month(bulan, "quarter"),
        "jumlah_permohonan": number_column(frame, faults, "Jumlah Permohonan", integer=True),
        "selesai_tepat_waktu": number_column(frame, faults, "Selesai Tepat Waktu",
                                             integer=True),
        "rata_rata_hari": number_column(frame, faults, "Rata-rata Hari Penyelesaian"),
        "jumlah_pengaduan": number_column(frame, faults, "Jumlah Pengaduan", integer=True),
    })
    return finish("kinerja_layanan", work, faults, {
        "unit": "Unit Kerja", "bulan": "Bulan", "period": "Bulan",
        "jumlah_permohonan": "Jumlah Permohonan", "selesai_tepat_waktu": "Selesai Tepat Waktu",
        "rata_rata_hari": "Rata-rata Hari Penyelesaian", "jumlah_pengaduan": "Jumlah Pengaduan"},
        **_counts(info))


def read_skp(path: str | os.PathLike[str], key: str | None = None,
             roster: pd.DataFrame | None = None, spec=None
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read performance appraisals ``skp.csv`` (ratings and predikat, PermenPAN-RB 6/2022).

    ``predikat`` becomes an ordered categorical (Sangat Kurang < … < Sangat Baik). A
    predikat that the matrix of PermenPAN-RB 6/2022 does not give for the row's hasil kerja
    and perilaku kerja (DOMAIN.md §3) is quarantined as ``value_invalid``, with the expected
    predikat in the reason.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "skp.csv"
    >>> _ = p.write_text("NIP,Tahun,Hasil Kerja,Perilaku Kerja,Predikat\\n"
    ...   "197807172010012012,2024,Sesuai ekspektasi,di atas ekspektasi,BAIK\\n")
    >>> read_skp(p, key="k")[0]["predikat"].iloc[0]
    'Baik'

    """
    key = resolve_key(key, as_paths(path)[0])
    raw, bad, info = _read(path, SKP_COLUMNS, "performance appraisals (skp.csv)", spec, "skp",
                           required=SKP_REQUIRED)
    require_any(path, info, [("Predikat",), ("Hasil Kerja", "Perilaku Kerja")], "skp",
                "an appraisal needs its predikat or the two ratings it follows from")
    has = _present(info)
    frame, faults = start(raw, raw[FILE], "skp")
    _malformed(faults, bad)
    pid, _ = pid_column(frame, faults, "NIP", key)
    tahun = number_column(frame, faults, "Tahun", integer=True, required=True)
    hasil = label_column(frame, faults, "Hasil Kerja", _EKSPEKTASI, required=has("Hasil Kerja"))
    perilaku = label_column(frame, faults, "Perilaku Kerja", _EKSPEKTASI,
                            required=has("Perilaku Kerja"))
    if has("Predikat"):
        predikat = label_column(frame, faults, "Predikat", _PREDIKAT)
        _check_predikat_matrix(faults, hasil, perilaku, predikat)
    else:  # the predikat follows from the two ratings (PermenPAN-RB 6/2022 matrix)
        predikat = expected_predikat(hasil, perilaku).astype("str")
    work = pd.DataFrame({
        "pid": pid, "unit": unit_from_roster(pid, roster), "tahun": tahun,
        "hasil_kerja": hasil, "perilaku_kerja": perilaku,
        "predikat": pd.Categorical(predikat, categories=list(PREDIKAT), ordered=True),
    })
    return finish("skp", work, faults, {
        "pid": "NIP", "tahun": "Tahun", "hasil_kerja": "Hasil Kerja",
        "perilaku_kerja": "Perilaku Kerja", "predikat": "Predikat"},
        **_counts(info))


def _check_predikat_matrix(faults, hasil: pd.Series, perilaku: pd.Series,
                           predikat: pd.Series) -> None:
    """Quarantine a predikat that does not follow from its two ratings by the PermenPAN-RB
    6/2022 matrix (:data:`evalkit.schemas.PREDIKAT_MATRIX`) as ``value_invalid``; the
    reason names the predikat the matrix gives.
    """
    expected = expected_predikat(hasil, perilaku)
    wrong = expected.notna() & predikat.notna() & predikat.ne(expected).fillna(False)
    reason = ("Predikat '" + predikat + "' does not follow from Hasil Kerja '" + hasil
              + "' and Perilaku Kerja '" + perilaku + "': the PermenPAN-RB 6/2022 matrix "
              "gives '" + expected + "' (DOMAIN.md §3); check the three values in the source.")
    faults.add(wrong, "Predikat", "value_invalid", reason=reason)


def read_evaluasi(path: str | os.PathLike[str], key: str | None = None,
                  roster: pd.DataFrame | None = None, spec=None
                  ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read Kirkpatrick level-3 evaluations ``evaluasi_pasca_pelatihan.csv``.

    Scores 1–5 from alumnus, supervisor and colleague; ``kesulitan_penerapan`` (Ya/Tidak) →
    boolean.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "evaluasi_pasca_pelatihan.csv"
    >>> _ = p.write_text("NIP;Nama Pelatihan;Tanggal Evaluasi;Skor Alumni;Skor Atasan;"
    ...   "Skor Rekan Kerja;Kesulitan Penerapan\\n197807172010012012;Pelayanan Prima;"
    ...   "05/12/2024;4;3,5;4;Ya\\n")
    >>> clean = read_evaluasi(p, key="k")[0]
    >>> clean.loc[0, ["skor_atasan", "kesulitan_penerapan"]].astype(str).tolist()
    ['3.5', 'True']

    """
    key = resolve_key(key, as_paths(path)[0])
    raw, bad, info = _read(path, EVALUASI_COLUMNS,
                           "post-training evaluation (evaluasi_pasca_pelatihan.csv)", spec,
                           "evaluasi_pasca_pelatihan", required=EVALUASI_REQUIRED)
    require_any(path, info, [(c,) for c in EVALUASI_SCORES], "evaluasi_pasca_pelatihan",
                "a level-3 evaluation needs at least one of the three scores")
    frame, faults = start(raw, raw[FILE], "evaluasi_pasca_pelatihan")
    _malformed(faults, bad)
    pid, _ = pid_column(frame, faults, "NIP", key)
    kesulitan = label_column(frame, faults, "Kesulitan Penerapan", _YA_TIDAK, required=False)
    work = pd.DataFrame({
        "pid": pid, "unit": unit_from_roster(pid, roster),
        "nama_pelatihan": text_column(frame, faults, "Nama Pelatihan"),
        "tanggal_evaluasi": date_column(frame, faults, "Tanggal Evaluasi"),
        "skor_alumni": number_column(frame, faults, "Skor Alumni"),
        "skor_atasan": number_column(frame, faults, "Skor Atasan"),
        "skor_rekan": number_column(frame, faults, "Skor Rekan Kerja"),
        "kesulitan_penerapan": kesulitan.map({"Ya": True, "Tidak": False}).astype("boolean"),
    })
    return finish("evaluasi_pasca_pelatihan", work, faults, {
        "pid": "NIP", "nama_pelatihan": "Nama Pelatihan", "tanggal_evaluasi": "Tanggal Evaluasi",
        "skor_alumni": "Skor Alumni", "skor_atasan": "Skor Atasan",
        "skor_rekan": "Skor Rekan Kerja", "kesulitan_penerapan": "Kesulitan Penerapan"},
        **_counts(info))


def read_mentoring(path: str | os.PathLike[str], key: str | None = None,
                   known_units: set[str] | None = None, spec=None
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read mentor–mentee pairs ``mentoring.csv``; an empty end date means ongoing.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "mentoring.csv"
    >>> _ = p.write_text("NIP Mentor,NIP Mentee,Unit Kerja,Tanggal Mulai,Tanggal Selesai\\n"
    ...   "197807172010012012,199001012021221001,Dinas X,2024-01-15,\\n")
    >>> c, q = read_mentoring(p, key="k"); len(c), bool(c["tanggal_selesai"].isna().iloc[0])
    (1, True)

    """
    key = resolve_key(key, as_paths(path)[0])
    raw, bad, info = _read(path, MENTORING_COLUMNS, "mentoring pairs (mentoring.csv)", spec,
                           "mentoring", required=MENTORING_REQUIRED)
    frame, faults = start(raw, raw[FILE], "mentoring")
    _malformed(faults, bad)
    mentor, _ = pid_column(frame, faults, "NIP Mentor", key)
    mentee, _ = pid_column(frame, faults, "NIP Mentee", key)
    unit = text_column(frame, faults, "Unit Kerja", required=False)
    unit, info["units_matched"] = check_units(unit, faults, "Unit Kerja", known_units)
    work = pd.DataFrame({
        "pid_mentor": mentor, "pid_mentee": mentee, "unit": unit,
        "tanggal_mulai": date_column(frame, faults, "Tanggal Mulai"),
        "tanggal_selesai": date_column(frame, faults, "Tanggal Selesai", required=False),
    })
    return finish("mentoring", work, faults, {
        "pid_mentor": "NIP Mentor", "pid_mentee": "NIP Mentee", "unit": "Unit Kerja",
        "tanggal_mulai": "Tanggal Mulai", "tanggal_selesai": "Tanggal Selesai"},
        **_counts(info))


def read_koding_manual(path: str | os.PathLike[str], spec=None
                       ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read the two coders' manual coding ``wawancara_koding_manual.csv`` (0/1 per theme).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "wawancara_koding_manual.csv"
    >>> _ = p.write_text("Kode Informan,Segmen,Tema,Koder 1,Koder 2\\nINF-001,1,beban_kerja,1,0\\n")
    >>> read_koding_manual(p)[0][["segmen", "koder_1", "koder_2"]].iloc[0].tolist()
    [1, 1, 0]

    """
    raw, bad, info = _read(path, KODING_COLUMNS,
                           "manual interview coding (wawancara_koding_manual.csv)", spec,
                           "wawancara_koding_manual")
    frame, faults = start(raw, raw[FILE], "wawancara_koding_manual")
    _malformed(faults, bad)
    work = pd.DataFrame({
        "kode_informan": text_column(frame, faults, "Kode Informan"),
        "segmen": number_column(frame, faults, "Segmen", integer=True, required=True),
        "tema": text_column(frame, faults, "Tema"),
        "koder_1": number_column(frame, faults, "Koder 1", integer=True, required=True),
        "koder_2": number_column(frame, faults, "Koder 2", integer=True, required=True),
    })
    return finish("wawancara_koding_manual", work, faults, {
        "kode_informan": "Kode Informan", "segmen": "Segmen", "tema": "Tema",
        "koder_1": "Koder 1", "koder_2": "Koder 2"},
        **_counts(info))
