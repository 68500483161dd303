"""A small, hand-made processed folder for the report tests (not a test module).

:func:`write_fixture` writes the folder; :func:`run_notebook_06` does what notebook 06 does
with it (recommendations, published tables, the restricted mentoring plan, the report).

Three units with known properties, so tests can check what the report must say:
- "Dinas A": weak on u7 (scores 2) — a training need; many alumni with difficulty.
- "Dinas B": strong everywhere.
- "Kecamatan C": only 3 survey responses in the latest quarter and 3 staff — every
  published statistic of it must be suppressed (min_cell_size 5).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from evalkit import recommend, report
from evalkit.ikm import compute_ikm
from evalkit.labels import Lang
from evalkit.privacy import pseudonymise
from evalkit.schemas import write_processed
from evalkit.training import SERVICE_COURSE

UNITS = ("Dinas A", "Dinas B", "Kecamatan C")
PERIODS = ("2024Q3", "2024Q4")
COURSE = SERVICE_COURSE


def _skm(rng: np.random.Generator) -> pd.DataFrame:
    sizes = {("Dinas A", p): 60 for p in PERIODS} | {("Dinas B", p): 60 for p in PERIODS}
    sizes |= {("Kecamatan C", "2024Q3"): 20, ("Kecamatan C", "2024Q4"): 3}
    keys = pd.DataFrame([(u, p) for (u, p), n in sizes.items() for _ in range(n)],
                        columns=["unit", "period"])
    n = len(keys)
    scores = rng.choice([3, 4], size=(n, 9), p=[0.5, 0.5])
    weak = keys["unit"].eq("Dinas A").to_numpy()
    scores[weak, 6] = rng.choice([1, 2], size=weak.sum())  # u7 Perilaku clearly low in A
    table = keys.assign(response_id=[f"r{i:04d}" for i in range(n)])
    for k in range(9):
        table[f"u{k + 1}"] = pd.array(scores[:, k], dtype="Int8")
    return table


def _people() -> dict[str, pd.DataFrame]:
    # 20 staff in A, 12 in B, 3 in C. pids are pseudonym-like strings.
    units = ["Dinas A"] * 20 + ["Dinas B"] * 12 + ["Kecamatan C"] * 3
    pids = pseudonymise([f"19800101200501{i % 2 + 1}{i + 1:03d}" for i in range(len(units))],
                        key="fixture").tolist()
    pegawai = pd.DataFrame({
        "pid": pids, "unit": units,
        "jenis_jabatan": (["Pelaksana", "Fungsional", "Struktural"] * 20)[:len(units)],
        "tahun_pengangkatan": ([2000, 2005, 2010, 2015, 2020, 2023] * 20)[:len(units)],
        "status": "Aktif",
    })
    skp = pd.DataFrame({"pid": pids, "unit": units, "tahun": 2024,
                        "predikat": (["Sangat Baik", "Baik", "Butuh Perbaikan"] * 20)[:len(units)]})
    pelatihan = pd.DataFrame({"pid": pids, "unit": units, "nama_pelatihan": COURSE, "jp": 24})
    # Alumni evaluations: in A the last 12 staff struggle (the first 8 hold 5 eligible
    # mentors); in B only one does. A's share 12/20 has a Wilson lower bound (0.387) above
    # the city's 13/35 (0.371): weak transfer.
    struggle = [False] * 8 + [True] * 12 + [False] * 11 + [True] + [False] * 3
    evaluasi = pd.DataFrame({
        "pid": pids, "unit": units, "nama_pelatihan": COURSE,
        "skor_alumni": np.where(struggle, 2, 4), "skor_atasan": np.where(struggle, 2, 4),
        "skor_rekan": np.where(struggle, 3, 4), "kesulitan_penerapan": struggle,
    })
    training = pd.DataFrame({"pid": pids, "unit": units, "tahun": 2024,
                             "jp": ([24, 8, 0] * 20)[:len(units)]})
    training["memenuhi_20jp"] = training["jp"] >= 20
    return {"pegawai": pegawai, "skp": skp, "pelatihan": pelatihan,
            "evaluasi_pasca_pelatihan": evaluasi, "training_asn_year": training}


def write_fixture(root: Path, *, simulated: bool = True, seed: int = 7) -> Path:
    """Write ``root/processed`` (as the cleaning step and notebooks 02–05 leave it); return it.

    ``simulated`` puts the simulator's ``truth.json`` into the folder and sets the manifest's
    flag, as :func:`evalkit.ingest.clean_all` does for simulated raw data.
    """
    rng = np.random.default_rng(seed)
    processed = root / "processed"
    processed.mkdir(parents=True, exist_ok=True)
    tables = _people()
    skm = _skm(rng)
    tables["skm"] = skm
    ikm = compute_ikm(skm, ci=0.95)
    ikm["sample_min"] = 10
    ikm["sample_adequate"] = ikm["n_responses"] >= 10
    tables["ikm_unit_period"] = ikm
    tables["panel_unit_period"] = pd.DataFrame({
        "unit": [u for u in UNITS for _ in PERIODS], "period": list(PERIODS) * 3,
        "t": [1, 2] * 3, "ikm": [80.0, 81.0, 90.0, 91.0, 70.0, 71.0],
        "n_asn": [20, 20, 12, 12, 3, 3], "share_trained": [0.1, 0.2, 0.5, 0.9, 0.0, 0.0],
    })
    # Notebook 04's stable codes: the overall effect of two methods, cs_did's subgroups
    # (difficulty high 1.0, low 3.0) and event times (att_e-1, att_e0: not in the report).
    tables["effects"] = pd.DataFrame({
        "outcome": ["ikm", "ikm", "nrr_u7", "ikm", "ikm", "ikm", "ikm"],
        "method": ["cs_did", "twfe", "twfe", "cs_did", "cs_did", "cs_did", "cs_did"],
        "estimand": ["att", "att", "att", "att_difficulty_high", "att_difficulty_low",
                     "att_e-1", "att_e0"],
        "estimate": [2.0, 3.0, 0.1, 1.0, 3.0, 0.05, 1.5],
        "se": [0.5, 0.6, 0.05, 0.4, 0.45, 0.3, 0.5],
        "ci_low": [1.0, 1.8, -0.01, 0.2, 2.1, -0.5, 0.5],
        "ci_high": [3.0, 4.2, 0.2, 1.8, 3.9, 0.6, 2.5],
        "truth": [2.2, 2.2, 0.08, 1.1, 3.3, 0.0, 2.2],
    })
    tables["interview_themes"] = pd.DataFrame({
        "dimensi": ["semua"] * 3 + ["unit"], "kelompok": ["semua"] * 3 + ["Dinas A"],
        "tema": ["kesulitan_penerapan", "dukungan_atasan", "beban_kerja", "beban_kerja"],
        "n_informan": [12, 12, 12, 4], "n_informan_tema": [7, 5, 3, 2],
        "proporsi": [7 / 12, 5 / 12, 3 / 12, 0.5], "suppressed": [False] * 4,
    })
    tables["interview_quotes"] = pd.DataFrame({
        "tema": ["kesulitan_penerapan", "dukungan_atasan"], "peringkat": [1, 1],
        "kode_informan": ["INF-001", "INF-002"], "unit": ["Dinas A", "Dinas A"],
        "segmen": [2, 3], "dikonfirmasi": [True, False],
        "kutipan": ["Materinya bagus, tapi sulit diterapkan karena <antrean> panjang.",
                    "Atasan belum memberi waktu untuk mencoba cara baru."],
    })
    tables["quarantine"] = pd.DataFrame({
        "table": ["skm"] * 6 + ["pelatihan"] * 2, "source_file": "x.csv",
        "source_row": range(1, 9), "column": "u1", "raw_value": "9",
        "kind": ["answer_out_of_range"] * 6 + ["nip_float"] * 2, "reason": "test",
    })
    for name, table in tables.items():
        table.to_parquet(processed / f"{name}.parquet", index=False)
    manifest = {"tables": {"skm": {"source": "skm/*.csv", "rows_in": len(skm) + 6,
                                   "rows_clean": len(skm), "rows_quarantined": 6},
                           "pelatihan": {"source": "pelatihan.xlsx", "rows_in": 29,
                                         "rows_clean": 27, "rows_quarantined": 2}},
                "inputs": {"pegawai.csv": "0" * 64, "pelatihan.xlsx": "1" * 64,
                           "skm/a.csv": "2" * 64},
                "simulated": simulated, "evalkit_version": "test"}
    (processed / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    if simulated:
        (processed / "truth.json").write_text(json.dumps({"simulated": True}), encoding="utf-8")
    return processed


def run_notebook_06(processed: Path, output_dir: Path, lang: Lang = "id",
                    min_cell_size: int = 5) -> tuple[Path, recommend.Recommendations,
                                                     dict[str, pd.DataFrame]]:
    """The steps of notebook 06 on ``processed``: return summary.html, recs and tables."""
    inputs = report.load_inputs(processed)
    recs = recommend.recommend_all(inputs)
    published = report.report_tables(inputs, recs, manifest=report.read_manifest(processed),
                                      min_cell_size=min_cell_size, lang=lang)
    if recs.pairs is not None:
        write_processed("mentoring_plan", recs.pairs, processed)
    summary = report.build_summary(recs, published, output_dir, processed_dir=processed,
                                   lang=lang, min_cell_size=min_cell_size)
    return summary, recs, published
