"""The simulated city: reproducibility, the raw contract, fault counts, design and realism.

Every check reads the written raw files back with its own small parser (not the simulator's
code), and compares against rules written down independently: the data contract
(docs/data-contract.md), DOMAIN.md (IKM grade table, SKP matrix, NIP structure, 20 JP) and
config/skm_questions.yaml (question texts and answer labels, maintained for the cleaning
step). Fault counts are recounted from the files and compared with truth.json.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import python_calamine
import yaml

from evalkit.config import CONFIG_DIR, RAW_DIR
from evalkit.simulate import SimulationConfig, simulate_city

# ---- the contract, copied from docs/data-contract.md -------------------------------------
CONTRACT = {
    "pegawai.csv": ["NIP", "Nama", "Unit Kerja", "Jenis Jabatan", "Golongan", "Pendidikan",
                    "Jenis Kelamin", "Tanggal Lahir", "TMT CPNS", "No HP", "Status"],
    "pelatihan.xlsx": ["NIP", "Nama Pelatihan", "Rumpun", "Metode", "Tanggal Mulai",
                       "Tanggal Selesai", "JP", "Nilai Pre-Test", "Nilai Post-Test",
                       "Nilai Reaksi"],
    "kinerja_layanan.csv": ["Unit Kerja", "Bulan", "Jumlah Permohonan", "Selesai Tepat Waktu",
                            "Rata-rata Hari Penyelesaian", "Jumlah Pengaduan"],
    "skp.csv": ["NIP", "Tahun", "Hasil Kerja", "Perilaku Kerja", "Predikat"],
    "evaluasi_pasca_pelatihan.csv": ["NIP", "Nama Pelatihan", "Tanggal Evaluasi", "Skor Alumni",
                                     "Skor Atasan", "Skor Rekan Kerja", "Kesulitan Penerapan"],
    "mentoring.csv": ["NIP Mentor", "NIP Mentee", "Unit Kerja", "Tanggal Mulai",
                      "Tanggal Selesai"],
    "wawancara_koding_manual.csv": ["Kode Informan", "Segmen", "Tema", "Koder 1", "Koder 2"],
}
SKM_PROFILE = ["Timestamp", "Unit Layanan", "Jenis Layanan", "Jenis Kelamin", "Umur",
               "Pendidikan", "Pekerjaan"]
BASE_DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")
NIP_SPACED = re.compile(r"^\d{8} \d{6} \d \d{3}$")
NIP_FLOAT_TEXT = re.compile(r"^\d\.\d+E\+\d+$")
# DOMAIN.md section 3 (PermenPAN-RB 6/2022): predikat from hasil kerja x perilaku kerja.
SKP_MATRIX = {
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


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", str(text).lower())).strip()


@pytest.fixture(scope="module")
def skm_spec() -> tuple[dict[str, str], dict[str, dict[str, int]]]:
    """heading -> unsur and unsur -> {label: score} from config/skm_questions.yaml."""
    spec = yaml.safe_load((CONFIG_DIR / "skm_questions.yaml").read_text(encoding="utf-8"))
    headings = {_norm(h): u for u, v in spec["unsur"].items() for h in v["headings"]}
    labels = {u: {_norm(k): int(s) for k, s in v["labels"].items()}
              for u, v in spec["unsur"].items()}
    return headings, labels


def _read_csv(path: Path, **kw) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, **kw)


def _read_pelatihan(path: Path) -> pd.DataFrame:
    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(
        "Pelatihan").to_python()
    return pd.DataFrame(rows[1:], columns=rows[0], dtype=object)


def _read_skm(path: Path) -> tuple[pd.DataFrame, str, str]:
    raw = path.read_bytes()
    try:
        text, enc = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, enc = raw.decode("cp1252"), "cp1252"
    sep = ";" if text.startswith("Timestamp;") else ","
    frame = _read_csv(path, sep=sep, encoding=enc)
    return frame, enc, sep


def _valid_nip(nip: str) -> bool:
    """DOMAIN.md section 4, written independently of the simulator."""
    if not re.fullmatch(r"\d{18}", nip):
        return False
    try:
        birth = pd.Timestamp(f"{nip[:4]}-{nip[4:6]}-{nip[6:8]}")
    except ValueError:
        return False
    if nip[14] not in "12" or nip[15:] == "000":
        return False
    pns = 1 <= int(nip[12:14]) <= 12 and int(nip[8:12]) > birth.year
    pppk = nip[12] == "2" and nip[13] in "123456789" and int(nip[8:12]) > birth.year
    return pns or pppk


def _date_fault(values: pd.Series) -> pd.Series:
    """'date_invalid', 'date_mixed_format' or '' for each raw date value."""
    text = values.astype(str)
    base = text.str.match(BASE_DATE)
    parsed = pd.to_datetime(text.where(base), format="%d/%m/%Y", errors="coerce")
    out = pd.Series("", index=values.index, dtype=object)
    out[base & parsed.isna()] = "date_invalid"
    out[~base & (text != "")] = "date_mixed_format"
    return out


def _nip_fault(values: pd.Series) -> pd.Series:
    out = pd.Series("", index=values.index, dtype=object)
    for i, v in values.items():
        if isinstance(v, float) or NIP_FLOAT_TEXT.match(str(v)):
            out[i] = "nip_float"
        elif NIP_SPACED.match(str(v)):
            out[i] = "nip_spaces" if _valid_nip(str(v).replace(" ", "")) else "nip_invalid"
        elif not _valid_nip(str(v)):
            out[i] = "nip_invalid"
    return out


def _count(frame_faults: list[pd.Series]) -> dict[str, int]:
    """Row-wise first fault over several columns (the simulator puts at most one per row)."""
    stacked = pd.concat(frame_faults, axis=1)
    n_faults = (stacked != "").sum(axis=1)
    assert n_faults.max() <= 1, "a raw row carries more than one fault"
    kinds = stacked.apply(lambda r: "".join(r), axis=1)
    return kinds[kinds != ""].value_counts().to_dict()


def _count_skm_faults(raw: Path, skm_spec) -> dict[str, int]:
    headings, labels = skm_spec
    counts: dict[str, int] = {}

    def add(kind: str, n: int) -> None:
        counts[kind] = counts.get(kind, 0) + int(n)

    spec = yaml.safe_load((CONFIG_DIR / "skm_questions.yaml").read_text(encoding="utf-8"))
    canonical = {u: set(v["labels"]) for u, v in spec["unsur"].items()}
    for path in sorted((raw / "skm").glob("*.csv")):
        frame, enc, sep = _read_skm(path)
        add("cp1252_encoding", enc == "cp1252")
        add("semicolon_separator", sep == ";")
        questions = list(frame.columns[7:16])
        units = [headings[_norm(q)] for q in questions]
        add("q8_q9_swapped", units[7] == "u9")
        add("duplicate_response", frame.duplicated().sum())
        answers = frame[questions]
        cells = answers.to_numpy()
        digits = np.vectorize(lambda v: v.strip().isdigit())(cells)
        blank = cells == ""
        known = np.column_stack([answers[q].map(_norm).isin(labels[u]).to_numpy()
                                 for q, u in zip(questions, units)])
        exact = np.column_stack([answers[q].isin(canonical[u]).to_numpy()
                                 for q, u in zip(questions, units)])
        add("label_case", (known & ~exact).any())   # a valid label not in its canonical case
        dup = frame.duplicated().to_numpy()
        keep = ~dup[:, None]
        add("answer_out_of_range", (digits & keep).sum())
        add("answer_blank", (blank & keep).sum())
        add("answer_unknown_label", (~digits & ~blank & ~known & keep).sum())
    return counts


# ---- reproducibility -----------------------------------------------------------------------


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "README.md"}


def test_bundled_city_regenerates_byte_for_byte(tmp_path: Path) -> None:
    # The committed data/raw is exactly simulate_city(city(), seed 20261127): ~20-40 s.
    simulate_city(tmp_path, SimulationConfig.city(), seed=20261127)
    fresh, bundled = _digests(tmp_path), _digests(RAW_DIR)
    assert sorted(bundled) == sorted(fresh)
    changed = [name for name in fresh if fresh[name] != bundled[name]]
    assert changed == []


def test_same_seed_same_bytes_other_seed_differs(small_raw: Path, tmp_path: Path) -> None:
    from conftest import SMALL_CITY_SEED

    simulate_city(tmp_path / "a", SimulationConfig.small(), seed=SMALL_CITY_SEED)
    assert _digests(tmp_path / "a") == _digests(small_raw)
    simulate_city(tmp_path / "b", SimulationConfig.small(), seed=SMALL_CITY_SEED + 1)
    other = _digests(tmp_path / "b")
    assert other["skp.csv"] != _digests(small_raw)["skp.csv"]


def test_refuses_to_overwrite_a_folder_of_real_exports(tmp_path: Path) -> None:
    (tmp_path / "pegawai.csv").write_text("NIP\n", encoding="utf-8")
    with pytest.raises(FileExistsError, match="real"):
        simulate_city(tmp_path, SimulationConfig.small())


def test_province_preset_reaches_a_million_responses() -> None:
    cfg = SimulationConfig.province()
    assert cfg.n_units * cfg.n_quarters * cfg.respondents_per_unit_quarter >= 1_000_000
    assert dataclasses.replace(cfg, n_asn=3000).n_asn == 3000  # frozen, replace works


# ---- the contract --------------------------------------------------------------------------


def test_every_contract_file_is_written_with_its_columns(small_raw: Path, skm_spec) -> None:
    truth = json.loads((small_raw / "truth.json").read_text(encoding="utf-8"))
    for name, columns in CONTRACT.items():
        if name.endswith(".xlsx"):
            assert list(_read_pelatihan(small_raw / name).columns) == columns
        else:
            assert list(_read_csv(small_raw / name).columns) == columns, name
    headings, _ = skm_spec
    expected_files = {f"{v['skm_file_slug']}_{p[:4]}Q{p[-1]}.csv"
                      for v in truth["unit_characteristics"].values() for p in truth["periods"]}
    assert {p.name for p in (small_raw / "skm").glob("*.csv")} == expected_files
    for path in sorted((small_raw / "skm").glob("*.csv")):
        frame, _, _ = _read_skm(path)
        cols = list(frame.columns)
        assert cols[:7] == SKM_PROFILE and cols[-1] == "Saran / Masukan" and len(cols) == 17
        assert sorted(headings[_norm(q)] for q in cols[7:16]) == [f"u{k}" for k in range(1, 10)]
        assert frame["Unit Layanan"].nunique() == 1
    transcripts = sorted((small_raw / "wawancara").glob("INF-*.txt"))
    assert len(transcripts) == truth["config"]["n_interviews"]
    for path in transcripts:
        lines = path.read_text(encoding="utf-8").split("\n")
        assert [ln.split(":")[0] for ln in lines[:5]] == [
            "Kode Informan", "Unit Kerja", "Jabatan", "Pelatihan", "Tanggal"]
        assert lines[5] == "---"
        turns = [ln for ln in lines[6:] if ln]
        assert all(t.startswith(("P: ", "I: ")) for t in turns)
    coding = _read_csv(small_raw / "wawancara_koding_manual.csv")
    codebook = yaml.safe_load((CONFIG_DIR / "codebook.yaml").read_text(encoding="utf-8"))
    assert set(coding["Tema"]) <= set(codebook["themes"])
    from conftest import SMALL_CITY_SEED

    assert truth["simulated"] is True and truth["seed"] == SMALL_CITY_SEED


def test_fault_counts_in_the_files_equal_truth(small_raw: Path, skm_spec) -> None:
    truth = json.loads((small_raw / "truth.json").read_text(encoding="utf-8"))["faults"]
    found: dict[str, dict[str, int]] = {}
    peg = _read_csv(small_raw / "pegawai.csv")
    found["pegawai"] = _count([_nip_fault(peg["NIP"]), _date_fault(peg["Tanggal Lahir"]),
                               _date_fault(peg["TMT CPNS"])])
    pel = _read_pelatihan(small_raw / "pelatihan.xlsx")
    jp = pd.to_numeric(pel["JP"])
    start = pd.to_datetime(pel["Tanggal Mulai"].astype(str), format="%d/%m/%Y", errors="coerce")
    end = pd.to_datetime(pel["Tanggal Selesai"].astype(str), format="%d/%m/%Y", errors="coerce")
    found["pelatihan"] = _count([
        _nip_fault(pel["NIP"]), _date_fault(pel["Tanggal Mulai"]),
        _date_fault(pel["Tanggal Selesai"]),
        pd.Series(np.where((jp < 0) | (jp > 200), "jp_out_of_range", ""), dtype=object),
        pd.Series(np.where(end < start, "training_end_before_start", ""), dtype=object)])
    skp = _read_csv(small_raw / "skp.csv")
    found["skp"] = _count([_nip_fault(skp["NIP"])])
    ev = _read_csv(small_raw / "evaluasi_pasca_pelatihan.csv")
    found["evaluasi_pasca_pelatihan"] = _count([_nip_fault(ev["NIP"]),
                                                _date_fault(ev["Tanggal Evaluasi"])])
    mt = _read_csv(small_raw / "mentoring.csv")
    found["mentoring"] = _count([_nip_fault(mt["NIP Mentor"]), _nip_fault(mt["NIP Mentee"]),
                                 _date_fault(mt["Tanggal Mulai"]),
                                 _date_fault(mt["Tanggal Selesai"])])
    found["skm"] = _count_skm_faults(small_raw, skm_spec)
    for table, kinds in truth.items():
        got = {k: found[table].get(k, 0) for k in kinds}
        assert got == kinds, table
        assert set(found[table]) <= set(kinds), table
    # the small preset raises rates so that every kind of the contract is exercised somewhere
    seen = {k for kinds in truth.values() for k, n in kinds.items() if n > 0}
    assert seen == {k for kinds in truth.values() for k in kinds}
    assert all(truth["pelatihan"].values()) and all(truth["skm"].values())


# ---- design, selection, heterogeneity --------------------------------------------------------


def _clean_people(raw: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    peg = _read_csv(raw / "pegawai.csv")
    peg = peg[peg["NIP"].map(_valid_nip)].copy()
    peg["tmt"] = pd.to_datetime(peg["TMT CPNS"], format="%d/%m/%Y", errors="coerce")
    pel = _read_pelatihan(raw / "pelatihan.xlsx")
    pel = pel[pel["NIP"].map(lambda v: isinstance(v, str) and _valid_nip(v))].copy()
    pel["start"] = pd.to_datetime(pel["Tanggal Mulai"].astype(str), format="%d/%m/%Y",
                                  errors="coerce")
    pel["end"] = pd.to_datetime(pel["Tanggal Selesai"].astype(str), format="%d/%m/%Y",
                                errors="coerce")
    pel["JP"] = pd.to_numeric(pel["JP"])
    return peg, pel


def test_staggered_rollout_is_recoverable_from_the_records(small_raw: Path) -> None:
    truth = json.loads((small_raw / "truth.json").read_text(encoding="utf-8"))
    cohorts = truth["cohort_by_unit"]
    assert len({c for c in cohorts.values() if c > 0}) >= 3
    assert sum(c == 0 for c in cohorts.values()) >= 1
    peg, pel = _clean_people(small_raw)
    service = pel[pel["Nama Pelatihan"] == "Pelatihan Pelayanan Prima"].merge(
        peg[["NIP", "Unit Kerja"]], on="NIP")
    service["period"] = service["end"].dt.to_period("Q").astype(str)
    staff = peg.groupby("Unit Kerja").size()
    periods = truth["periods"]
    for unit, cohort in cohorts.items():
        done = service[service["Unit Kerja"] == unit].groupby("NIP")["period"].min()
        share = np.array([(done <= p).sum() for p in periods]) / staff[unit]
        reached = np.flatnonzero(share >= truth["cohort_threshold_share"])
        assert (reached[0] + 1 if len(reached) else 0) == cohort, unit


def test_selection_motivated_staff_train_and_rate_higher(small_raw: Path) -> None:
    truth = json.loads((small_raw / "truth.json").read_text(encoding="utf-8"))
    peg, pel = _clean_people(small_raw)
    first_year = int(truth["periods"][0][:4])
    svc = pel[pel["Nama Pelatihan"] == "Pelatihan Pelayanan Prima"].groupby("NIP")["start"].min()
    later = set(svc[svc.dt.year > first_year].index)
    treated_units = [u for u, c in truth["cohort_by_unit"].items() if c > 0]
    in_treated = set(peg.loc[peg["Unit Kerja"].isin(treated_units), "NIP"])
    skp = _read_csv(small_raw / "skp.csv")
    skp = skp[(skp["Tahun"] == str(first_year)) & skp["NIP"].isin(in_treated)]
    order = {"Sangat Kurang": 0, "Kurang/Misconduct": 1, "Butuh Perbaikan": 2, "Baik": 3,
             "Sangat Baik": 4}
    score = skp["Predikat"].map(order)
    future = skp["NIP"].isin(later)
    never = ~skp["NIP"].isin(set(svc.index))
    # before anyone of them trained, the later trainees already rate higher (selection)
    assert score[future].mean() > score[never].mean() + 0.1
    assert truth["selection"]["motivation_gap_trained_vs_untrained"] > 0.3
    ind = truth["individual_effects"]["skp_latent"]
    assert ind["naive_difference"] > ind["att"] > 0   # naive comparison is biased upwards


def _ikm_panel(raw: Path, skm_spec) -> pd.DataFrame:
    """Unit x period NRR and IKM (exact 1/9 weights, DOMAIN.md section 1) from raw SKM files."""
    headings, labels = skm_spec
    rows = []
    for path in sorted((raw / "skm").glob("*.csv")):
        frame, _, _ = _read_skm(path)
        frame = frame[~frame.duplicated()]
        rec = {"unit": frame["Unit Layanan"].iloc[0], "period": path.stem[-6:]}
        for q in frame.columns[7:16]:
            u = headings[_norm(q)]
            rec[u] = frame[q].map(_norm).map(labels[u]).mean()
        rows.append(rec)
    panel = pd.DataFrame(rows)
    panel["ikm"] = 25 * panel[[f"u{k}" for k in range(1, 10)]].mean(axis=1)
    return panel


@pytest.fixture(scope="module")
def city_panel(skm_spec) -> pd.DataFrame:
    return _ikm_panel(RAW_DIR, skm_spec)


def _did_by_unit(panel: pd.DataFrame, truth: dict, col: str) -> pd.Series:
    """Per reached unit: mean(post - never-treated) - mean(pre - never-treated)."""
    t = {p: i + 1 for i, p in enumerate(truth["periods"])}
    panel = panel.assign(t=panel["period"].map(t), cohort=panel["unit"].map(
        truth["cohort_by_unit"]))
    never = panel[panel["cohort"] == 0].groupby("t")[col].mean()
    panel["gap"] = panel[col] - panel["t"].map(never)
    treated = panel[panel["cohort"] > 0]
    post = treated["t"] >= treated["cohort"]
    return (treated[post].groupby("unit")["gap"].mean()
            - treated[~post].groupby("unit")["gap"].mean())


def test_effects_strongest_on_u6_u7_and_heterogeneous(city_panel: pd.DataFrame) -> None:
    truth = json.loads((RAW_DIR / "truth.json").read_text(encoding="utf-8"))
    change = {f"u{k}": _did_by_unit(city_panel, truth, f"u{k}").mean() for k in range(1, 10)}
    assert set(sorted(change, key=change.get)[-2:]) == {"u6", "u7"}
    did = _did_by_unit(city_panel, truth, "ikm")
    chars = pd.DataFrame(truth["unit_characteristics"]).T.loc[did.index]
    mentoring = chars["mentoring_follow_up"].astype(bool)
    hard = chars["high_difficulty"].astype(bool)
    assert did.mean() > 0.5
    assert did[mentoring].mean() > did[~mentoring].mean() + 0.5
    assert did[~hard].mean() > did[hard].mean() + 0.5
    # the truth says the same, and the simple DiD lands near the true overall effect
    het = truth["heterogeneity"]["ikm"]
    assert het["mentoring_with"] > het["mentoring_without"]
    assert het["difficulty_low"] > het["difficulty_high"]
    assert abs(did.mean() - truth["att"]["ikm"]["overall"]) < 1.0
    # effects grow with time since roll-out (true dynamic aggregate)
    dyn = truth["att"]["ikm"]["by_event_time"]
    assert dyn["0"] < dyn["2"] < dyn["4"]


def test_true_simple_aggregate_is_the_mean_over_treated_unit_periods() -> None:
    # C&S aggte(type="simple") on a balanced panel = mean of ATT over treated cells; recompute
    # it from the per-cell effects stored beside it.
    truth = json.loads((RAW_DIR / "truth.json").read_text(encoding="utf-8"))
    cells = pd.DataFrame(truth["unit_period"])
    post = cells[cells["treated"]]
    assert post["effect_ikm"].mean() == pytest.approx(truth["att"]["ikm"]["overall"], abs=1e-5)
    assert (cells.loc[~cells["treated"], "effect_ikm"] == 0).all()
    by_g = post.groupby("cohort")["effect_rata_rata_hari"].mean()
    for g, v in by_g.items():
        assert v == pytest.approx(truth["att"]["rata_rata_hari"]["by_cohort"][str(g)], abs=1e-5)


# ---- realism ---------------------------------------------------------------------------------


def test_unit_ikm_mostly_b_some_c_and_a(city_panel: pd.DataFrame) -> None:
    # Grades of the converted IKM, DOMAIN.md section 1 (Permenpan RB 14/2017).
    ikm = city_panel.groupby("unit")["ikm"].mean().round(2)
    grade = pd.cut(ikm, [25, 64.995, 76.605, 88.305, 100.01], labels=list("DCBA"))
    counts = grade.value_counts()
    assert counts["B"] >= 0.6 * len(ikm)
    assert counts["C"] >= 1 and counts["A"] >= 1 and counts["D"] == 0
    # spread within a unit over quarters stays modest (published SKM series move by a few points)
    assert city_panel.groupby("unit")["ikm"].std().median() < 4


def test_jp_per_asn_year_around_20_with_a_long_tail() -> None:
    peg, pel = _clean_people(RAW_DIR)
    pel = pel[(pel["JP"] >= 0) & (pel["JP"] <= 200)]
    year = 2024   # a full year in which everyone on the roster active throughout is counted
    active = peg[(peg["tmt"] <= f"{year}-01-01") & (peg["Status"] == "Aktif")]
    jp = pel[pel["start"].dt.year == year].groupby("NIP")["JP"].sum()
    per_asn = jp.reindex(active["NIP"], fill_value=0)
    assert 15 <= per_asn.median() <= 30
    assert per_asn.quantile(0.95) > 2.5 * per_asn.median()
    assert 0.3 < (per_asn >= 20).mean() < 0.8


def test_no_training_before_appointment_and_valid_nips() -> None:
    peg, pel = _clean_people(RAW_DIR)
    raw_peg = _read_csv(RAW_DIR / "pegawai.csv")
    assert len(peg) >= 0.97 * len(raw_peg)
    assert peg["NIP"].is_unique
    joined = pel.merge(peg[["NIP", "tmt"]], on="NIP").dropna(subset=["start", "tmt"])
    assert len(joined) > 0.9 * len(pel)
    assert (joined["start"] >= joined["tmt"]).all()
    # sex digit matches Jenis Kelamin; birth date matches Tanggal Lahir (clean rows)
    assert (peg["NIP"].str[14].map({"1": "L", "2": "P"}) == peg["Jenis Kelamin"]).all()
    born = peg[_date_fault(peg["Tanggal Lahir"]) == ""]
    born_nip = born["NIP"].str[6:8] + "/" + born["NIP"].str[4:6] + "/" + born["NIP"].str[:4]
    assert (born_nip == born["Tanggal Lahir"]).all()
    pppk = peg["NIP"].str[12].eq("2") & ~peg["NIP"].str[12:14].isin(["10", "11", "12"])
    assert 0.05 < pppk.mean() < 0.25


def test_skp_follows_the_matrix_and_the_unit_curve() -> None:
    skp = _read_csv(RAW_DIR / "skp.csv")
    pairs = list(zip(skp["Hasil Kerja"], skp["Perilaku Kerja"]))
    assert (skp["Predikat"] == [SKP_MATRIX[p] for p in pairs]).all()
    peg = _read_csv(RAW_DIR / "pegawai.csv")[["NIP", "Unit Kerja"]]
    skp = skp.merge(peg, on="NIP")
    top = skp.assign(top=skp["Hasil Kerja"] == "Di atas ekspektasi").groupby(
        ["Unit Kerja", "Tahun"])["top"].mean()
    # at most 20 % per unit-year; rows whose NIP is faulty (here or in the roster) drop out
    # of the join, which can lift a unit's share by a point or two
    assert top.max() <= 0.23
    assert (skp["Hasil Kerja"] == "Di atas ekspektasi").mean() <= 0.205
    share = skp["Predikat"].value_counts(normalize=True)
    assert share["Baik"] > 0.5 and share["Sangat Baik"] < 0.2


def test_mentoring_pairs_within_units_mostly_after_training() -> None:
    truth = json.loads((RAW_DIR / "truth.json").read_text(encoding="utf-8"))
    peg, pel = _clean_people(RAW_DIR)
    unit = dict(zip(peg["NIP"], peg["Unit Kerja"]))
    mt = _read_csv(RAW_DIR / "mentoring.csv")
    mt = mt[mt["NIP Mentor"].isin(unit) & mt["NIP Mentee"].isin(unit)]
    assert (mt["NIP Mentor"].map(unit) == mt["Unit Kerja"]).all()
    assert (mt["NIP Mentee"].map(unit) == mt["Unit Kerja"]).all()
    assert (mt["NIP Mentor"] != mt["NIP Mentee"]).all()
    follow = {u for u, v in truth["unit_characteristics"].items() if v["mentoring_follow_up"]}
    assert mt["Unit Kerja"].isin(follow).mean() > 0.6


def test_interviews_carry_negations_identifiers_and_coder_noise() -> None:
    truth = json.loads((RAW_DIR / "truth.json").read_text(encoding="utf-8"))
    text = "\n".join(p.read_text(encoding="utf-8")
                     for p in sorted((RAW_DIR / "wawancara").glob("*.txt")))
    answers = "\n".join(ln for ln in text.split("\n") if ln.startswith("I: "))
    assert re.search(r"tidak ada (kesulitan|kendala)", answers, re.IGNORECASE)
    phones = re.findall(r"\b08\d{2}[- ]?\d{3,4}[- ]?\d{3,4}\b", answers)
    emails = re.findall(r"[\w.]+@[\w.]+\.\w+", answers)
    nips = re.findall(r"\b\d{8} \d{6} \d \d{3}\b", answers)
    pii = truth["pii"]["wawancara"]
    assert (len(phones), len(emails), len(nips)) == (pii["no_hp"], pii["email"], pii["nip"])
    assert pii["nama"] > 0 and pii["no_hp"] > 0 and pii["email"] > 0
    coding = _read_csv(RAW_DIR / "wawancara_koding_manual.csv")
    agree = (coding["Koder 1"] == coding["Koder 2"]).mean()
    assert 0.85 < agree < 0.99
    present = coding[(coding["Koder 1"] == "1") | (coding["Koder 2"] == "1")]
    assert present["Tema"].nunique() == 9


def test_readme_documents_every_truth_key_and_the_bundled_fault_counts() -> None:
    readme = (RAW_DIR / "README.md").read_text(encoding="utf-8")
    truth = json.loads((RAW_DIR / "truth.json").read_text(encoding="utf-8"))
    assert "simulated" in readme.lower() and "evalkit run --raw-dir" in readme
    assert "EVALKIT_KEY" in readme
    assert [k for k in truth if f"`{k}`" not in readme] == []
    for table, kinds in truth["faults"].items():
        for kind, n in kinds.items():
            assert f"| {table} | `{kind}` | {n:,} |" in readme
    for columns in CONTRACT.values():
        assert [c for c in columns if f"`{c}`" not in readme] == []


def test_config_refuses_settings_without_a_staggered_design() -> None:
    with pytest.raises(ValueError, match="cohort_quarters"):
        dataclasses.replace(SimulationConfig.small(), cohort_quarters=(1, 9))
    with pytest.raises(ValueError, match="rate_nip_float"):
        dataclasses.replace(SimulationConfig.small(), rate_nip_float=1.5)
