"""The processed tables' schemas: the one definition of their column names and types.

Every table in ``data/processed/`` (docs/data-contract.md) has a pandera schema here. The
cleaning step validates with ``lazy=True`` and turns each failure case into a quarantine row
(never ``drop_invalid_rows``); later notebooks validate what they write with
:func:`validate`. Checks whose failure is a known fault kind carry that kind as their
``error`` text (``answer_out_of_range``, ``jp_out_of_range``, …), so the cleaning step can
name the fault; :data:`KIND_REASONS` holds the sentence a person reads for each kind.

Schemas coerce types (an analysis notebook may hand over ``float64`` where the schema says
``Float64``); they are strict about column names and order.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"unit": ["A"], "period": ["2024Q1"], "unsur": ["u1"], "nrr": [3.2],
...                   "n": [40]})
>>> validate(t, "ikm_elements").shape
(1, 5)

"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from evalkit.config import resolve_path
from evalkit.ikm.elements import ELEMENTS
from evalkit.ikm.grades import KINERJA

#: Unsur keys of the SKM in the regulation's order (DOMAIN.md §1); defined in evalkit.ikm.
UNSUR = ELEMENTS
#: SKP predikat, worst to best (PermenPAN-RB 6/2022).
PREDIKAT = ("Sangat Kurang", "Kurang/Misconduct", "Butuh Perbaikan", "Baik", "Sangat Baik")
#: SKP ratings of hasil kerja and perilaku kerja.
EKSPEKTASI = ("Di bawah ekspektasi", "Sesuai ekspektasi", "Di atas ekspektasi")
#: SKP predikat by (hasil kerja, perilaku kerja): the PermenPAN-RB 6/2022 matrix (DOMAIN.md §3).
#: The one copy used by cleaning; a predikat that does not follow from its two ratings is
#: quarantined (``value_invalid``).
PREDIKAT_MATRIX: dict[tuple[str, str], str] = {
    ("Di atas ekspektasi", "Di bawah ekspektasi"): "Kurang/Misconduct",
    ("Di atas ekspektasi", "Sesuai ekspektasi"): "Baik",
    ("Di atas ekspektasi", "Di atas ekspektasi"): "Sangat Baik",
    ("Sesuai ekspektasi", "Di bawah ekspektasi"): "Kurang/Misconduct",
    ("Sesuai ekspektasi", "Sesuai ekspektasi"): "Baik",
    ("Sesuai ekspektasi", "Di atas ekspektasi"): "Baik",
    ("Di bawah ekspektasi", "Di bawah ekspektasi"): "Sangat Kurang",
    ("Di bawah ekspektasi", "Sesuai ekspektasi"): "Butuh Perbaikan",
    ("Di bawah ekspektasi", "Di atas ekspektasi"): "Butuh Perbaikan",
}
JENIS_JABATAN = ("Struktural", "Fungsional", "Pelaksana")
STATUS_PEGAWAI = ("Aktif", "Pensiun", "Pindah")
#: Training families and delivery modes, lower case as stored in ``pelatihan``.
RUMPUN = ("teknis", "manajerial", "fungsional", "sosial kultural", "coaching/mentoring")
METODE = ("klasikal", "e-learning", "blended")
MUTU = ("A", "B", "C", "D")


@dataclass(frozen=True)
class AgeBands:
    """Age bands in whole years, written as the values of a ``kelompok_umur`` column.

    Each edge starts a band (left-closed); the first band lies below the first edge and the
    last is open-ended, so the labels follow from the edges: ``(30, 40)`` gives ``<30``,
    ``30-39``, ``40+``. :func:`evalkit.ingest.age_band` puts ages into bands.

    Examples
    --------
    >>> AgeBands((30, 40, 50)).labels
    ('<30', '30-39', '40-49', '50+')

    """

    edges: tuple[int, ...]

    @property
    def labels(self) -> tuple[str, ...]:
        """The band labels, youngest first."""
        inner = tuple(f"{lo}-{hi - 1}" for lo, hi in zip(self.edges, self.edges[1:],
                                                         strict=False))
        return (f"<{self.edges[0]}", *inner, f"{self.edges[-1]}+")


#: Age bands of civil servants (``pegawai.kelompok_umur``).
ASN_AGE_BANDS = AgeBands((30, 40, 50, 60))
#: Age bands of SKM respondents (``skm.kelompok_umur``): the usual bands of SKM reports.
RESPONDENT_AGE_BANDS = AgeBands((20, 30, 40, 50, 60))
KELOMPOK_UMUR = ASN_AGE_BANDS.labels

#: Respondent-profile categories of the processed ``skm`` table (DOMAIN.md §1). Survey
#: exports use different lists; the cleaning step maps them to these
#: (:data:`evalkit.ingest.PROFILE_CATEGORIES`), and a value it does not recognise becomes
#: :data:`PROFILE_OTHER`, so no response loses its answers over its profile. Occupations are
#: what every common form can express: one has a single "PNS/TNI/POLRI" option.
PROFILE_OTHER = "Lainnya"
JENIS_KELAMIN = ("L", "P")
PENDIDIKAN_RESPONDEN = ("SD", "SMP", "SMA", "D1-D3", "D4/S1", "S2", "S3")
PEKERJAAN_RESPONDEN = ("PNS/TNI/POLRI", "Swasta", "Wiraswasta", "Pelajar/Mahasiswa",
                       PROFILE_OTHER)

#: Fault kinds (docs/data-contract.md) and the sentence shown to a person for each.
KIND_REASONS: dict[str, str] = {
    "nip_float": ("NIP was stored as a number by a spreadsheet and lost its last digits; "
                  "it cannot be recovered — re-export the column as text."),
    "nip_invalid": "NIP is not a valid 18-digit NIP (DOMAIN.md §4).",
    "duplicate_response": "Exact repeat of an earlier response in the same file; first kept.",
    "answer_out_of_range": "Answer score outside 1–4.",
    "answer_unknown_label": "Answer label not recognised for this question.",
    "date_invalid": "Date cannot be read as a day-first calendar date.",
    "training_end_before_start": "Training ends before it starts.",
    "jp_out_of_range": "JP (jam pelajaran) outside 0–200.",
    "unit_unknown": "Unit is not a unit of the personnel roster.",
    "nip_duplicate": "The same NIP appears earlier in the roster; the first row is kept.",
    "value_missing": "A required value is empty.",
    "value_invalid": "Value not allowed in this column.",
    "row_malformed": "Row has more fields than the header; the row cannot be aligned.",
    "value_impossible": ("An impossible value (e.g. an age of -41 or 352) was removed from "
                         "this field; the rest of the row is kept."),
}
#: Kinds of quarantine rows that remove one field and keep the row: they document a cleared
#: value and are not rejected rows (``rows_quarantined`` and ``rows_in = rows_clean +
#: rows_quarantined`` count rejected rows only; the manifest counts these as
#: ``fields_cleared``).
FIELD_KINDS = frozenset({"value_impossible"})


def expected_predikat(hasil_kerja: pd.Series, perilaku_kerja: pd.Series) -> pd.Series:
    """The predikat that :data:`PREDIKAT_MATRIX` gives for each pair of canonical ratings.

    Missing where either rating is missing or not a canonical value.

    Examples
    --------
    >>> import pandas as pd
    >>> expected_predikat(pd.Series(["Di bawah ekspektasi", "Sesuai ekspektasi"]),
    ...                   pd.Series(["Di bawah ekspektasi", "Di atas ekspektasi"])).tolist()
    ['Sangat Kurang', 'Baik']

    """
    hasil = hasil_kerja.astype("str")
    perilaku = perilaku_kerja.astype("str")
    lookup = pd.Series({f"{h}|{b}": p for (h, b), p in PREDIKAT_MATRIX.items()}, dtype="str")
    return (hasil + "|" + perilaku).map(lookup).astype("str")


def _predikat_follows_matrix(frame: pd.DataFrame) -> pd.Series:
    """Row check of the skp table: predikat as the matrix gives it (missing values pass:
    their own columns report them).
    """
    expected = expected_predikat(frame["hasil_kerja"], frame["perilaku_kerja"])
    predikat = frame["predikat"].astype("str")
    return (expected.isna() | predikat.isna() | (predikat == expected)).astype(bool)


def _str(*checks: pa.Check, nullable: bool = False, unique: bool = False) -> pa.Column:
    return pa.Column(str, list(checks), nullable=nullable, unique=unique)


def _isin(values, nullable: bool = False) -> pa.Column:
    return pa.Column(str, pa.Check.isin(list(values)), nullable=nullable)


def _num(dtype: str, lo=None, hi=None, kind: str | None = None, nullable: bool = True
         ) -> pa.Column:
    checks = []
    if lo is not None or hi is not None:
        error = kind or f"value_out_of_range({lo}, {hi})"
        if lo is not None and hi is not None:
            checks.append(pa.Check.in_range(lo, hi, error=error))
        elif lo is not None:
            checks.append(pa.Check.ge(lo, error=error))
        else:
            checks.append(pa.Check.le(hi, error=error))
    return pa.Column(dtype, checks, nullable=nullable)


_PID = _str(pa.Check.str_matches(r"^[0-9a-f]{16}$"))
_DATE = "datetime64[us]"
#: A period: a quarter ``2024Q3`` (the default), a semester ``2024S1`` or a year ``2024``
#: (units that survey twice or once a year); analyses group by whatever string it holds.
PERIOD_PATTERN = r"^\d{4}(?:Q[1-4]|S[12])?$"
_PERIOD = _str(pa.Check.str_matches(PERIOD_PATTERN))


def _schema(name: str, columns: dict[str, pa.Column], checks=None) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(columns, checks=checks or [], name=name, strict=True,
                              ordered=True, coerce=True)


PEGAWAI = _schema("pegawai", {
    "pid": _str(pa.Check.str_matches(r"^[0-9a-f]{16}$"), unique=True),
    "unit": _str(),
    "jenis_jabatan": _isin(JENIS_JABATAN, nullable=True),   # optional in an export
    "golongan": _str(pa.Check.str_matches(r"^(?:(?:I|II|III|IV)/[a-e]|[IVX]{1,5})$"),
                     nullable=True),
    "pendidikan": _str(nullable=True),
    "jenis_kelamin": _isin(JENIS_KELAMIN),
    "jenis_asn": _isin(("PNS", "PPPK")),
    "tahun_lahir": _num("Int16", 1900, 2100),
    "tahun_pengangkatan": _num("Int16", 1900, 2100),
    "kelompok_umur": _isin(KELOMPOK_UMUR, nullable=True),
    "status": _isin(STATUS_PEGAWAI),
})

PELATIHAN = _schema("pelatihan", {
    "pid": _PID,
    "unit": _str(nullable=True),
    "nama_pelatihan": _str(),
    # optional in an export (the reader requires them when the column is there)
    "rumpun": _isin(RUMPUN, nullable=True),
    "metode": _isin(METODE, nullable=True),
    "klasikal": pa.Column("bool"),
    "tanggal_mulai": pa.Column(_DATE, nullable=True),
    "tanggal_selesai": pa.Column(_DATE),
    "jp": _num("Float64", 0, 200, kind="jp_out_of_range", nullable=False),
    "nilai_pre_test": _num("Float64", 0, 100),
    "nilai_post_test": _num("Float64", 0, 100),
    "nilai_reaksi": _num("Float64", 1, 5),
}, checks=[pa.Check(lambda d: ~(d["tanggal_selesai"] < d["tanggal_mulai"]).fillna(False),
                    error="training_end_before_start")])

SKM = _schema("skm", {
    "response_id": _str(unique=True),
    "source_file": _str(),
    "unit": _str(),
    "period": _PERIOD,
    "tanggal": pa.Column(_DATE, nullable=True),   # empty when the export gives a period only
    "jenis_layanan": _str(nullable=True),
    "jenis_kelamin": _isin((*JENIS_KELAMIN, PROFILE_OTHER), nullable=True),
    "umur": _str(nullable=True),
    "kelompok_umur": _isin((*RESPONDENT_AGE_BANDS.labels, PROFILE_OTHER), nullable=True),
    "pendidikan": _isin((*PENDIDIKAN_RESPONDEN, PROFILE_OTHER), nullable=True),
    "pekerjaan": _isin(PEKERJAAN_RESPONDEN, nullable=True),
    **{u: _num("Int8", 1, 4, kind="answer_out_of_range") for u in UNSUR},
    "saran": _str(nullable=True),
})

KINERJA_LAYANAN = _schema("kinerja_layanan", {
    "unit": _str(),
    "bulan": _str(pa.Check.str_matches(r"^\d{4}-(0[1-9]|1[0-2])$")),
    "period": _PERIOD,
    "jumlah_permohonan": _num("Int64", 0),
    "selesai_tepat_waktu": _num("Int64", 0),
    "rata_rata_hari": _num("Float64", 0),
    "jumlah_pengaduan": _num("Int64", 0),
}, checks=[pa.Check(lambda d: ~(d["selesai_tepat_waktu"] > d["jumlah_permohonan"]
                                 ).fillna(False).astype(bool),
                    error="value_invalid")])

SKP = _schema("skp", {
    "pid": _PID,
    "unit": _str(nullable=True),
    "tahun": _num("Int16", 1900, 2100, nullable=False),
    # an export may give the predikat alone, or the two ratings it follows from
    "hasil_kerja": _isin(EKSPEKTASI, nullable=True),
    "perilaku_kerja": _isin(EKSPEKTASI, nullable=True),
    "predikat": pa.Column(pd.CategoricalDtype(list(PREDIKAT), ordered=True), nullable=True),
}, checks=[pa.Check(_predikat_follows_matrix, error="predikat_matrix")])

EVALUASI_PASCA_PELATIHAN = _schema("evaluasi_pasca_pelatihan", {
    "pid": _PID,
    "unit": _str(nullable=True),
    "nama_pelatihan": _str(),
    "tanggal_evaluasi": pa.Column(_DATE),
    "skor_alumni": _num("Float64", 1, 5),
    "skor_atasan": _num("Float64", 1, 5),
    "skor_rekan": _num("Float64", 1, 5),
    "kesulitan_penerapan": pa.Column("boolean", nullable=True),
})

MENTORING = _schema("mentoring", {
    "pid_mentor": _PID,
    "pid_mentee": _PID,
    "unit": _str(nullable=True),
    "tanggal_mulai": pa.Column(_DATE),
    "tanggal_selesai": pa.Column(_DATE, nullable=True),
})

WAWANCARA_SEGMEN = _schema("wawancara_segmen", {
    "kode_informan": _str(),
    "unit": _str(nullable=True),
    "jabatan": _str(nullable=True),
    "nama_pelatihan": _str(nullable=True),
    "tanggal": pa.Column(_DATE, nullable=True),
    "segmen": _num("Int16", 0, nullable=False),
    "pembicara": _isin(("P", "I")),
    "teks": _str(),
})

WAWANCARA_KODING_MANUAL = _schema("wawancara_koding_manual", {
    "kode_informan": _str(),
    "segmen": _num("Int16", 1, nullable=False),
    "tema": _str(),
    "koder_1": pa.Column("Int8", pa.Check.isin([0, 1])),
    "koder_2": pa.Column("Int8", pa.Check.isin([0, 1])),
})

QUARANTINE = _schema("quarantine", {
    "table": _str(),
    "source_file": _str(),
    "source_row": pa.Column("Int64", nullable=True),
    "column": _str(nullable=True),
    "raw_value": _str(nullable=True),
    "kind": _str(),
    "reason": _str(),
})

# --- tables written by later notebooks ------------------------------------------------------
_NRR = {f"nrr_{u}": _num("Float64", 1, 4) for u in UNSUR}

IKM_UNIT_PERIOD = _schema("ikm_unit_period", {
    "unit": _str(),
    "period": _PERIOD,
    "n_responses": _num("Int64", 0),
    **_NRR,
    "ikm_interval": _num("Float64", 1, 4),
    "ikm": _num("Float64", 25, 100),
    "mutu": _isin(MUTU, nullable=True),
    "kinerja": _isin(KINERJA.values(), nullable=True),
    "ikm_ci_low": _num("Float64"),
    "ikm_ci_high": _num("Float64"),
    "sample_min": _num("Int64", 0),
    "sample_adequate": pa.Column("boolean", nullable=True),
})

IKM_ELEMENTS = _schema("ikm_elements", {
    "unit": _str(),
    "period": _PERIOD,
    "unsur": _isin(UNSUR),
    "nrr": _num("Float64", 1, 4),
    "n": _num("Int64", 0),
})

PANEL_UNIT_PERIOD = _schema("panel_unit_period", {
    "unit": _str(),
    "period": _PERIOD,
    "t": _num("Int64", 1, nullable=False),
    "ikm": _num("Float64", 25, 100),
    **_NRR,
    "n_responses": _num("Int64", 0),
    "rata_rata_hari": _num("Float64", 0),
    "share_on_time": _num("Float64", 0, 1),
    "complaints_per_1000": _num("Float64", 0),
    "n_asn": _num("Int64", 0),
    "share_trained": _num("Float64", 0, 1),
    "jp_per_asn_cum": _num("Float64", 0),
    "cohort": _num("Int64", 0, nullable=False),
    "share_mentored": _num("Float64", 0, 1),
    "n_evaluasi": pa.Column("Int64", pa.Check.ge(0), nullable=True, required=False),
    "l3_score": _num("Float64", 1, 5),
    "share_difficulty": _num("Float64", 0, 1),
})

TRAINING_ASN_YEAR = _schema("training_asn_year", {
    "pid": _PID,
    "unit": _str(nullable=True),
    "tahun": _num("Int16", 1900, 2100, nullable=False),
    "jp": _num("Float64", 0),
    "memenuhi_20jp": pa.Column("boolean"),
})

# --- interviews (notebook 05) ---------------------------------------------------------------
_SHARE = _num("Float64", 0, 1)
_KAPPA = _num("Float64", -1, 1)


def _unique_rows(*keys: str) -> pa.Check:
    """Check a table: no two rows share the values of ``keys``."""
    return pa.Check(lambda d: ~d.duplicated(list(keys), keep=False),
                    error=f"duplicate rows for {', '.join(keys)}")


def _part_of_whole(part: str, whole: str) -> pa.Check:
    """Check a table: the count ``part`` is never above the count ``whole``."""
    return pa.Check(lambda d: ~(d[part] > d[whole]).fillna(False).astype(bool),
                    error=f"{part} above {whole}")


def _theme_shares(name: str, dimensions: tuple[str, ...], count: str) -> pa.DataFrameSchema:
    """Build the schema of a theme-frequency table: share of ``count`` with each theme."""
    return _schema(name, {
        "dimensi": _isin(dimensions),
        "kelompok": _str(),
        "tema": _str(),
        "label": _str(),
        count: _num("Int64", 0),
        f"{count}_tema": _num("Int64", 0),
        "proporsi": _SHARE,
        "suppressed": pa.Column("bool"),
    }, checks=[_unique_rows("dimensi", "kelompok", "tema"),
               _part_of_whole(f"{count}_tema", count)])


#: Informants raising each theme, overall and per unit, training and position type.
INTERVIEW_THEMES = _theme_shares("interview_themes",
                                 ("semua", "unit", "nama_pelatihan", "jenis_jabatan"),
                                 "n_informan")

INTERVIEW_AGREEMENT = _schema("interview_agreement", {
    "tema": _str(unique=True),
    "label": _str(),
    "n_segmen": _num("Int64", 0, nullable=False),
    "n_segmen_otomatis": _num("Int64", 0, nullable=False),
    "prevalensi_koder_1": _SHARE,
    "prevalensi_koder_2": _SHARE,
    "prevalensi_otomatis": _SHARE,
    "persen_setuju_koder": _SHARE,
    "kappa_koder": _KAPPA,
    "kappa_otomatis_koder_1": _KAPPA,
    "kappa_otomatis_koder_2": _KAPPA,
    "n_konsensus": _num("Int64", 0, nullable=False),
    "kappa_otomatis_konsensus": _KAPPA,
    "alpha_koder": _num("Float64", hi=1),
    "alpha_koder_otomatis": _num("Float64", hi=1),
    "status_otomatis": _isin(("andal", "tidak andal", "tidak dapat dinilai")),
    "otomatis_tidak_andal": pa.Column("bool"),
    "ambang_kappa": _num("Float64", hi=1, nullable=False),
}, checks=[_part_of_whole("n_segmen_otomatis", "n_segmen"),
           _part_of_whole("n_konsensus", "n_segmen")])

INTERVIEW_QUOTES = _schema("interview_quotes", {
    "tema": _str(),
    "label": _str(),
    "peringkat": _num("Int64", 1, nullable=False),
    "kode_informan": _str(),
    "unit": _str(),
    "segmen": _num("Int64", 1, nullable=False),
    "dikonfirmasi": pa.Column("bool"),
    "kutipan": _str(),
}, checks=[_unique_rows("tema", "peringkat")])

INTERVIEW_DIFFICULTY_UNIT = _schema("interview_difficulty_unit", {
    "unit": _str(unique=True),
    "n_informan": _num("Int64", 0),
    "n_informan_kesulitan": _num("Int64", 0),
    "proporsi_kesulitan_wawancara": _SHARE,
    "n_evaluasi": _num("Int64", 0, nullable=False),
    "l3_score": _num("Float64", 1, 5),
    "proporsi_kesulitan_l3": _SHARE,
    "efek_estimasi": _num("Float64"),
    "suppressed_wawancara": pa.Column("bool"),
    "suppressed_l3": pa.Column("bool"),
}, checks=[_part_of_whole("n_informan_kesulitan", "n_informan")])

INTERVIEW_DIFFICULTY_GROUP = _schema("interview_difficulty_group", {
    "kelompok": _str(),
    "n_unit": _num("Int64", 0, nullable=False),
    "n_unit_diwawancara": _num("Int64", 0, nullable=False),
    "n_informan": _num("Int64", 0),
    "n_informan_kesulitan": _num("Int64", 0),
    "proporsi_kesulitan_wawancara": _SHARE,
    "outcome": _str(nullable=True),
    "estimate": _num("Float64"),
    "ci_low": _num("Float64"),
    "ci_high": _num("Float64"),
    "suppressed": pa.Column("bool"),
}, checks=[_unique_rows("kelompok", "outcome"),
           _part_of_whole("n_unit_diwawancara", "n_unit"),
           _part_of_whole("n_informan_kesulitan", "n_informan")])

#: SKM suggestions touching each theme, overall and per unit.
SUGGESTION_THEMES = _theme_shares("suggestion_themes", ("semua", "unit"), "n_saran")

# --- recommendations (notebook 06) -----------------------------------------------------------
#: The mentor–mentee pairs: pseudonymised personal data, restricted (for BKPSDM, who holds
#: the key), never published; written by notebook 06 (evalkit.recommend.assign_mentors).
MENTORING_PLAN = _schema("mentoring_plan", {
    "unit": _str(),
    "pid_mentor": _PID,
    "pid_mentee": _PID,
    "nama_pelatihan": _str(),
    "skor_pasangan": _num("Float64", 0, 4, nullable=False),
}, checks=[pa.Check(lambda d: (d["pid_mentor"] != d["pid_mentee"]).astype(bool),
                    error="self_pairing")])

# --- effects (notebook 04; codes of evalkit.effects.codes, labels in config/labels.yaml) ---
_CODE = r"^[a-z][a-z0-9_]*$"  # a lower_snake code

EFFECTS = _schema("effects", {
    "outcome": _str(pa.Check.str_matches(_CODE)),
    "method": _str(pa.Check.str_matches(_CODE)),
    # att, att_<subgroup>, att_e<k> with a signed k (att_e-2), the SKP estimands
    "estimand": _str(pa.Check.str_matches(r"^[a-z][a-z0-9_]*(-\d+)?$")),
    "estimate": pa.Column("float64", nullable=False),
    # a naive difference of means has no standard error and no interval
    "se": pa.Column("float64", pa.Check.ge(0), nullable=True),
    "ci_low": pa.Column("float64", nullable=True),
    "ci_high": pa.Column("float64", nullable=True),
    # the simulated truth; empty for real data
    "truth": pa.Column("float64", nullable=True),
    # units and observations used, units of the intended sample left out and why
    # (``reason_code: count; …``, "" when none): nothing leaves an estimate silently
    "n_units": _num("Int64", 0),
    "n_obs": _num("Int64", 0),
    "n_units_left_out": _num("Int64", 0),
    "left_out_reason": pa.Column("str", pa.Check.str_matches(r"^([a-z][a-z0-9_]*: \d+(; )?)*$"),
                                 nullable=True),
})

# --- findings (notebook 04; evalkit.findings, tables/findings.csv) -------------------------
FINDINGS = _schema("findings", {
    "topic": _str(pa.Check.str_matches(_CODE), unique=True),
    "outcome": _str(pa.Check.str_matches(r"^([a-z][a-z0-9_]*)?$")),
    "method": _str(pa.Check.str_matches(r"^([a-z][a-z0-9_]*)?$")),
    # a robustness finding has no single estimate
    "estimate": pa.Column("float64", nullable=True),
    "ci_low": pa.Column("float64", nullable=True),
    "ci_high": pa.Column("float64", nullable=True),
    "verdict": _isin(("positive", "negative", "inconclusive")),
    "n_units": _num("Int64", 0),
    "n_obs": _num("Int64", 0),
    "truth": pa.Column("float64", nullable=True),
    "sentence_id": _str(pa.Check.str_length(min_value=1)),
    "sentence_en": _str(pa.Check.str_length(min_value=1)),
    # the comparison with the simulated truth; empty for real data
    "truth_sentence_id": _str(nullable=True),
    "truth_sentence_en": _str(nullable=True),
}, checks=[pa.Check(lambda d: (d["ci_low"].isna() | d["ci_high"].isna()
                               | (d["ci_low"] <= d["ci_high"])).astype(bool),
                    error="ci_low above ci_high")])

#: Every schema by processed table name.
SCHEMAS: dict[str, pa.DataFrameSchema] = {
    s.name: s for s in (
        PEGAWAI, PELATIHAN, SKM, KINERJA_LAYANAN, SKP, EVALUASI_PASCA_PELATIHAN, MENTORING,
        WAWANCARA_SEGMEN, WAWANCARA_KODING_MANUAL, QUARANTINE, IKM_UNIT_PERIOD,
        IKM_ELEMENTS, PANEL_UNIT_PERIOD, TRAINING_ASN_YEAR,
        INTERVIEW_THEMES, INTERVIEW_AGREEMENT, INTERVIEW_QUOTES, INTERVIEW_DIFFICULTY_UNIT,
        INTERVIEW_DIFFICULTY_GROUP, SUGGESTION_THEMES, MENTORING_PLAN,
        EFFECTS, FINDINGS,
    )
}


def columns(name: str) -> list[str]:
    """Column names of processed table ``name``, in order.

    Examples
    --------
    >>> columns("quarantine")[:3]
    ['table', 'source_file', 'source_row']

    """
    return list(SCHEMAS[name].columns)


def validate(table: pd.DataFrame, name: str) -> pd.DataFrame:
    """Validate ``table`` against the schema of ``name`` (lazily) and return it coerced.

    Raises ``pandera.errors.SchemaErrors`` listing every failure (``.failure_cases``).

    Examples
    --------
    >>> import pandas as pd
    >>> validate(pd.DataFrame({"pid": ["0123456789abcdef"], "unit": ["A"], "tahun": [2024],
    ...          "jp": [21.0], "memenuhi_20jp": [True]}), "training_asn_year").dtypes["tahun"]
    Int16Dtype()

    """
    if name not in SCHEMAS:
        raise KeyError(f"No schema named {name!r}; known: {', '.join(sorted(SCHEMAS))}.")
    return SCHEMAS[name].validate(table, lazy=True)


def write_processed(name: str, table: pd.DataFrame,
                    processed_dir: str | os.PathLike[str]) -> pd.DataFrame:
    """Validate ``table`` against its schema and write ``<processed_dir>/<name>.parquet``.

    The one writer of processed tables: nothing reaches ``data/processed`` without passing
    its schema, and the columns are written in the schema's order. It returns the table as
    written (types coerced), so a notebook shows exactly what later stages read.

    Parameters
    ----------
    name : str
        A processed table with a schema in :data:`SCHEMAS`.
    table : pandas.DataFrame
        The table; extra columns are refused, types are coerced.
    processed_dir : path
        The processed folder (relative paths are taken from the project root).

    Returns
    -------
    pandas.DataFrame
        The validated table that was written.

    Raises
    ------
    KeyError
        When ``name`` has no schema.
    pandera.errors.SchemaErrors
        Listing every failure of the table.

    Examples
    --------
    >>> import tempfile
    >>> t = pd.DataFrame({"unit": ["A"], "period": ["2024Q1"], "unsur": ["u1"],
    ...                   "nrr": [3.2], "n": [40]})
    >>> folder = tempfile.mkdtemp()
    >>> write_processed("ikm_elements", t, folder)["n"].dtype
    Int64Dtype()
    >>> pd.read_parquet(f"{folder}/ikm_elements.parquet")["n"].tolist()
    [40]

    """
    checked = validate(table, name)
    folder = resolve_path(processed_dir)
    folder.mkdir(parents=True, exist_ok=True)
    checked.to_parquet(folder / f"{name}.parquet", index=False)
    return checked


__all__ = ["SCHEMAS", "KIND_REASONS", "FIELD_KINDS", "PERIOD_PATTERN",
           "UNSUR", "PREDIKAT", "PREDIKAT_MATRIX",
           "expected_predikat", "EKSPEKTASI", "RUMPUN", "METODE",
           "KELOMPOK_UMUR", "AgeBands", "ASN_AGE_BANDS", "RESPONDENT_AGE_BANDS",
           "PROFILE_OTHER", "JENIS_KELAMIN", "PENDIDIKAN_RESPONDEN", "PEKERJAAN_RESPONDEN",
           "columns", "validate", "write_processed", *[n.upper() for n in (
               "pegawai", "pelatihan", "skm", "kinerja_layanan", "skp",
               "evaluasi_pasca_pelatihan", "mentoring", "wawancara_segmen",
               "wawancara_koding_manual", "quarantine", "ikm_unit_period", "ikm_elements",
               "panel_unit_period", "training_asn_year",
               "interview_themes", "interview_agreement", "interview_quotes",
               "interview_difficulty_unit", "interview_difficulty_group", "suggestion_themes",
               "mentoring_plan", "effects", "findings")]]
