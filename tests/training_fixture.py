"""A small hand-made roster and training records, shared by tests/test_training.py and
tests/test_panel.py. Every expected number in those tests is worked by hand from these rows."""

from __future__ import annotations

import pandas as pd

from evalkit.training import SERVICE_COURSE


def pid(name: str) -> str:
    """A 16-hex pseudonym per test person (the format of evalkit.privacy.pseudonymise)."""
    return name.encode().hex().ljust(16, "0")[:16]


def roster() -> pd.DataFrame:
    """Processed ``pegawai`` rows of two units.

    Unit A: a1–a4 active since 2010, a5 appointed 2025 (not yet counted in 2024), a6 retired.
    Unit B: b1, b2 active.
    """
    rows = [("a1", "A", 2010, "Aktif", "Pelaksana"), ("a2", "A", 2010, "Aktif", "Pelaksana"),
            ("a3", "A", 2010, "Aktif", "Fungsional"), ("a4", "A", 2010, "Aktif", "Struktural"),
            ("a5", "A", 2025, "Aktif", "Pelaksana"), ("a6", "A", 2000, "Pensiun", "Pelaksana"),
            ("b1", "B", 2015, "Aktif", "Pelaksana"), ("b2", "B", 2015, "Aktif", "Pelaksana")]
    df = pd.DataFrame(rows, columns=["pid", "unit", "tahun_pengangkatan", "status",
                                     "jenis_jabatan"])
    df["pid"] = df["pid"].map(pid)
    return df


def training_records() -> pd.DataFrame:
    """Processed ``pelatihan`` rows: the service course for a1 (Q1), a2 (Q2) and a6 (retired),
    two other courses in 2024Q3."""
    rows = [
        # pid, course, rumpun, metode, klasikal, end date, JP, pre, post, reaction
        ("a1", SERVICE_COURSE, "teknis", "klasikal", True, "2024-02-10", 24, 50, 70, 4.0),
        ("a2", SERVICE_COURSE, "teknis", "blended", False, "2024-05-05", 32, 60, 65, 4.5),
        ("a6", SERVICE_COURSE, "teknis", "klasikal", True, "2024-01-10", 24, 40, 60, 3.5),
        ("a1", "Kearsipan", "teknis", "e-learning", False, "2024-08-20", 30, None, None, 4.2),
        ("b1", "Budaya Kerja", "sosial kultural", "klasikal", True, "2024-08-01", 10, None,
         None, None),
    ]
    df = pd.DataFrame(rows, columns=["pid", "nama_pelatihan", "rumpun", "metode", "klasikal",
                                     "tanggal_selesai", "jp", "nilai_pre_test",
                                     "nilai_post_test", "nilai_reaksi"])
    df["pid"] = df["pid"].map(pid)
    df["tanggal_selesai"] = pd.to_datetime(df["tanggal_selesai"])
    df["tanggal_mulai"] = df["tanggal_selesai"] - pd.Timedelta(days=3)
    return df.astype({"jp": "float64", "nilai_pre_test": "float64",
                      "nilai_post_test": "float64", "nilai_reaksi": "float64"})
