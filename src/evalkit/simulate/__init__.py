"""The simulated city: a realistic raw-data folder with a known truth.

:func:`simulate_city` writes every raw file of the data contract (docs/data-contract.md) for
a simulated Surakarta, plus ``truth.json`` with the true effects and the count of every
injected fault. Same seed and configuration give the same bytes in every file.
:func:`simulate_nation_skm` (:mod:`evalkit.simulate.nation`) writes the SKM part alone at
national scale, as a partitioned Parquet dataset.

Mechanisms (documented for users in ``data/raw/README.md``):

- a staggered roll-out of the course "Pelatihan Pelayanan Prima" over units (cohorts by
  quarter, some units never reached);
- selection: a latent motivation raises both training uptake and performance (SKP, L3);
- effects on IKM (mostly u6 Kompetensi and u7 Perilaku Pelaksana), days to finish and
  complaints that grow with time since roll-out and differ by cohort; smaller where trainees
  find the training hard to apply, larger where mentoring follows;
- the faults of real exports, each at a documented rate and counted exactly.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     truth = simulate_city(folder, SimulationConfig.small(), seed=1)
>>> truth["simulated"], len(truth["periods"])
(True, 8)
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evalkit.panel import COHORT_THRESHOLD
from evalkit.simulate import texts
from evalkit.simulate.config import SimulationConfig
from evalkit.simulate.faults import FaultCounter, format_dates, inject_record_faults
from evalkit.simulate.interviews import write_interviews
from evalkit.simulate.nation import NationConfig, simulate_nation_skm
from evalkit.simulate.people import (
    day_values,
    make_evaluations,
    make_mentoring,
    make_roster,
    make_skp,
    make_training,
    make_units,
)
from evalkit.simulate.service import (
    ELEMENT_OFFSET,
    ELEMENT_WEIGHT,
    growth,
    service_records,
    unit_levels,
    write_skm_file,
)

#: Share of a unit's staff that must have completed the service course for the unit to count
#: as reached: the pipeline's default, written into truth.json (the simulator trains ~40 % in
#: the cohort quarter).
COHORT_THRESHOLD_SHARE = COHORT_THRESHOLD

RAW_FILES = ("pegawai.csv", "pelatihan.xlsx", "kinerja_layanan.csv", "skp.csv",
             "evaluasi_pasca_pelatihan.csv", "mentoring.csv", "wawancara_koding_manual.csv",
             "truth.json")


def _rng(seed: int, *keys: int) -> np.random.Generator:
    """Independent stream per component, so that changing one part leaves the others alone."""
    return np.random.default_rng([seed, *keys])


def _prepare_folder(out: Path) -> None:
    """Create ``out``; clear a previous simulated city; refuse to overwrite real exports."""
    out.mkdir(parents=True, exist_ok=True)
    truth = out / "truth.json"
    others = [p for p in out.iterdir() if p.name != "README.md"]
    if not others:
        return
    simulated = False
    if truth.is_file():
        try:
            simulated = json.loads(truth.read_text(encoding="utf-8")).get("simulated") is True
        except json.JSONDecodeError:
            simulated = False
    if not simulated:
        raise FileExistsError(
            f"{out}: the folder holds files but no simulated truth.json, so it may hold real "
            "exports. Choose an empty folder for the simulated city.")
    for sub in ("skm", "wawancara"):
        if (out / sub).is_dir():
            shutil.rmtree(out / sub)
    for name in RAW_FILES:
        (out / name).unlink(missing_ok=True)


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def _write_xlsx(frame: pd.DataFrame, path: Path, sheet: str) -> None:
    """Write ``frame`` as a one-sheet XLSX with xlsxwriter in constant-memory mode.

    Own writer rather than ``DataFrame.to_excel`` because pandas keeps every cell in memory
    (a province has hundreds of thousands of training records) and is ~3x slower. Values keep
    their Python type: a NIP mangled into a float is written as a number, like Excel does.
    """
    import xlsxwriter

    from evalkit.outputs import XLSX_CREATED  # here: evalkit.outputs pulls in matplotlib

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True,
                                           "strings_to_formulas": False,
                                           "strings_to_urls": False})
    book.set_properties({"created": XLSX_CREATED})
    sheet_ = book.add_worksheet(sheet)
    sheet_.write_row(0, 0, list(frame.columns))
    cells = frame.astype(object).where(frame.notna(), None)
    # xlsxwriter writes cell by cell; one write_row per record is the fastest path it offers
    for i, row in enumerate(cells.itertuples(index=False, name=None), start=1):
        sheet_.write_row(i, 0, row)
    book.close()


def _r(x: Any, nd: int = 6) -> Any:
    """Round for JSON (fixed decimals keep the file byte-stable across platforms)."""
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return None
    return round(float(x), nd)


def _aggregate(uq: pd.DataFrame, col: str) -> dict[str, Any]:
    """True ATT aggregates of one outcome from the realised unit-quarter effects.

    With a balanced panel, Callaway & Sant'Anna's ``simple`` aggregate (ATT(g,t) weighted by
    group size over t >= g) equals the mean over treated unit-quarters; ``dynamic`` at event
    time e the mean over treated cells with t - g = e; ``group`` the mean over cohort g's
    post-treatment cells.
    """
    post = uq[uq["treated"]]
    return {
        "overall": _r(post[col].mean()),
        "by_event_time": {str(int(k)): _r(v) for k, v in post.groupby("event_time")[col]
                          .mean().items()},
        "by_cohort": {str(int(k)): _r(v) for k, v in post.groupby("cohort")[col].mean().items()},
        "n_treated_unit_periods": int(len(post)),
    }


def _heterogeneity(uq: pd.DataFrame, col: str) -> dict[str, Any]:
    post = uq[uq["treated"]]
    return {
        "difficulty_high": _r(post.loc[post["high_difficulty"], col].mean()),
        "difficulty_low": _r(post.loc[~post["high_difficulty"], col].mean()),
        "mentoring_with": _r(post.loc[post["mentoring_follow_up"], col].mean()),
        "mentoring_without": _r(post.loc[~post["mentoring_follow_up"], col].mean()),
    }


def simulate_city(out_dir: str | os.PathLike[str], config: SimulationConfig | None = None,
                  seed: int = 20261127, progress: bool = False) -> dict[str, Any]:
    """Write a simulated city's raw exports into ``out_dir`` and return its truth.

    Parameters
    ----------
    out_dir : str or PathLike
        Target folder (created). A folder that already holds files is only overwritten when
        it holds a previous simulated city (``truth.json`` with ``"simulated": true``).
    config : SimulationConfig, optional
        Sizes, rates and effects; default :meth:`SimulationConfig.city`.
    seed : int, default 20261127
        Seed of every random draw. Same seed and config give the same bytes.
    progress : bool, default False
        Print the steps and their timings to standard error.

    Returns
    -------
    dict
        The truth, also written as ``truth.json`` (see ``data/raw/README.md``).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     truth = simulate_city(folder, SimulationConfig.small(), seed=3)
    ...     written = (pathlib.Path(folder) / "pelatihan.xlsx").is_file()
    >>> written, truth["cohort_by_unit"]["Dinas Sosial"] >= 0
    (True, True)
    """
    cfg = config or SimulationConfig.city()
    out = Path(out_dir)
    _prepare_folder(out)
    clock = time.perf_counter()

    def say(step: str) -> None:
        """Progress line on standard error (only with ``progress=True``)."""
        if progress:
            print(f"[simulate] {time.perf_counter() - clock:6.1f}s {step}", file=sys.stderr)

    periods = pd.period_range(cfg.first_period, periods=cfg.n_quarters, freq="Q")
    q_start = periods.start_time.to_numpy().astype("datetime64[D]")
    q_end = periods.end_time.normalize().to_numpy().astype("datetime64[D]")
    ws, we = q_start[0], q_end[-1]
    years = sorted(set(periods.year.tolist()))
    counter = FaultCounter()

    units = make_units(cfg, _rng(seed, 1))
    roster = make_roster(cfg, units, ws, we, _rng(seed, 2))
    say(f"roster: {len(roster)} ASN in {len(units)} units")
    training = make_training(cfg, roster, units, q_start, q_end, _rng(seed, 3))
    mentoring = make_mentoring(roster, units, training, we, _rng(seed, 4))
    evaluations = make_evaluations(cfg, roster, units, training, mentoring, we, _rng(seed, 5))
    skp, skp_info = make_skp(cfg, roster, training, years, _rng(seed, 6))
    say(f"records: {len(training)} trainings, {len(mentoring)} pairs, {len(skp)} SKP")

    nip = roster["nip"].to_numpy()
    rates_nip = {"nip_float": cfg.rate_nip_float, "nip_invalid": cfg.rate_nip_invalid,
                 "nip_spaces": cfg.rate_nip_spaces}
    rates_date = {"date_invalid": cfg.rate_date_invalid,
                  "date_mixed_format": cfg.rate_date_mixed_format}

    # pegawai.csv (never nip_float: the roster comes from the personnel system, not Excel)
    peg_days = {"Tanggal Lahir": day_values(roster, "birth"), "TMT CPNS": day_values(roster, "tmt")}
    pegawai = pd.DataFrame({
        "NIP": nip, "Nama": roster["nama"], "Unit Kerja": roster["unit"],
        "Jenis Jabatan": roster["jenis_jabatan"], "Golongan": roster["golongan"],
        "Pendidikan": roster["pendidikan"],
        "Jenis Kelamin": np.where(roster["female"], "P", "L"),
        "Tanggal Lahir": format_dates(peg_days["Tanggal Lahir"]),
        "TMT CPNS": format_dates(peg_days["TMT CPNS"]), "No HP": roster["no_hp"],
        "Status": roster["status"]})
    pegawai = inject_record_faults(
        pegawai, "pegawai", nip_cols=["NIP"], date_cols=["Tanggal Lahir", "TMT CPNS"],
        date_days=peg_days, rates={"nip_invalid": cfg.rate_nip_invalid,
                                   "nip_spaces": cfg.rate_nip_spaces, **rates_date},
        rng=_rng(seed, 11, 1), counter=counter)
    _write_csv(pegawai, out / "pegawai.csv")

    # pelatihan.xlsx
    tr_days = {"Tanggal Mulai": day_values(training, "start"),
               "Tanggal Selesai": day_values(training, "end")}
    pel = pd.DataFrame({
        "NIP": nip[training["pid_idx"].to_numpy()], "Nama Pelatihan": training["course"],
        "Rumpun": training["rumpun"], "Metode": training["metode"],
        "Tanggal Mulai": format_dates(tr_days["Tanggal Mulai"]),
        "Tanggal Selesai": format_dates(tr_days["Tanggal Selesai"]),
        "JP": training["jp"].astype(object), "Nilai Pre-Test": training["pre"],
        "Nilai Post-Test": training["post"], "Nilai Reaksi": training["reaksi"]})
    pel = inject_record_faults(
        pel, "pelatihan", nip_cols=["NIP"], date_cols=["Tanggal Mulai", "Tanggal Selesai"],
        date_days=tr_days, rates={**rates_nip, **rates_date,
                                  "training_end_before_start": cfg.rate_training_end_before_start,
                                  "jp_out_of_range": cfg.rate_jp_out_of_range},
        rng=_rng(seed, 11, 2), counter=counter, xlsx=True)
    _write_xlsx(pel, out / "pelatihan.xlsx", "Pelatihan")
    say(f"pelatihan.xlsx: {len(pel)} rows")

    # skp.csv
    skp_out = pd.DataFrame({"NIP": nip[skp["pid_idx"].to_numpy()], "Tahun": skp["tahun"],
                            "Hasil Kerja": skp["hasil_kerja"],
                            "Perilaku Kerja": skp["perilaku_kerja"], "Predikat": skp["predikat"]})
    skp_out = inject_record_faults(skp_out, "skp", nip_cols=["NIP"], date_cols=[], date_days={},
                                   rates=rates_nip, rng=_rng(seed, 11, 3), counter=counter)
    _write_csv(skp_out, out / "skp.csv")

    # evaluasi_pasca_pelatihan.csv
    ev_days = {"Tanggal Evaluasi": day_values(evaluations, "date")}
    ev = pd.DataFrame({
        "NIP": nip[evaluations["pid_idx"].to_numpy()], "Nama Pelatihan": evaluations["course"],
        "Tanggal Evaluasi": format_dates(ev_days["Tanggal Evaluasi"]),
        "Skor Alumni": evaluations["skor_alumni"], "Skor Atasan": evaluations["skor_atasan"],
        "Skor Rekan Kerja": evaluations["skor_rekan"],
        "Kesulitan Penerapan": np.where(evaluations["kesulitan"], "Ya", "Tidak")})
    ev = inject_record_faults(ev, "evaluasi_pasca_pelatihan", nip_cols=["NIP"],
                              date_cols=["Tanggal Evaluasi"], date_days=ev_days,
                              rates={**rates_nip, **rates_date}, rng=_rng(seed, 11, 4),
                              counter=counter)
    _write_csv(ev, out / "evaluasi_pasca_pelatihan.csv")

    # mentoring.csv
    mt_days = {"Tanggal Mulai": day_values(mentoring, "start"),
               "Tanggal Selesai": day_values(mentoring, "end")}
    mt = pd.DataFrame({
        "NIP Mentor": nip[mentoring["mentor"].to_numpy()],
        "NIP Mentee": nip[mentoring["mentee"].to_numpy()],
        "Unit Kerja": units["unit"].to_numpy()[mentoring["unit_idx"].to_numpy()],
        "Tanggal Mulai": format_dates(mt_days["Tanggal Mulai"]),
        "Tanggal Selesai": format_dates(mt_days["Tanggal Selesai"])})
    mt = inject_record_faults(mt, "mentoring", nip_cols=["NIP Mentor", "NIP Mentee"],
                              date_cols=["Tanggal Mulai", "Tanggal Selesai"], date_days=mt_days,
                              rates={**rates_nip, **rates_date}, rng=_rng(seed, 11, 5),
                              counter=counter)
    _write_csv(mt, out / "mentoring.csv")
    say("roster, training, SKP, evaluation and mentoring files written")

    # Unit x quarter design: event time, share of the full effect.
    nu, nq = len(units), len(periods)
    t_idx = np.arange(1, nq + 1)
    cohort = units["cohort"].to_numpy()
    event = np.where(cohort[:, None] > 0, t_idx[None, :] - cohort[:, None], -999)
    factor = (growth(event) * units["cohort_multiplier"].to_numpy()[:, None]
              * units["effect_multiplier"].to_numpy()[:, None])
    factor = np.where(event >= 0, factor, 0.0)

    # SKM: latent levels per unit, element and quarter; one file per unit-quarter, streamed.
    lv = _rng(seed, 7)
    unit_element = lv.normal(0, 0.12, (nu, 9))
    level = unit_levels(units["target_score"].to_numpy(), unit_element)
    shock = lv.normal(0, 0.05, (nu, nq))
    n_resp = np.maximum(10, lv.poisson(cfg.respondents_per_unit_quarter
                                       * units["respondent_factor"].to_numpy()[:, None],
                                       (nu, nq)))
    skm_dir = out / "skm"
    skm_dir.mkdir(exist_ok=True)
    pii_saran = {"no_hp": 0, "email": 0}
    skm_rows = []
    for u in range(nu):      # one file per unit-quarter: bounded memory at any size
        unit = units.iloc[u]
        for j, period in enumerate(periods):
            mu = (level[u] + ELEMENT_OFFSET + unit_element[u] + 0.012 * j + shock[u, j])
            delta = cfg.effect_ikm_latent * ELEMENT_WEIGHT * factor[u, j]
            res = write_skm_file(
                skm_dir / f"{unit['slug']}_{period.year}Q{period.quarter}.csv", unit=unit,
                period=period, mu=mu, delta=delta, treated=bool(event[u, j] >= 0),
                n=int(n_resp[u, j]), cfg=cfg, rng=_rng(seed, 8, u, j), counter=counter,
                pii=pii_saran)
            skm_rows.append({"unit_idx": u, "t": j + 1, **res})
        if progress and (u + 1) % 10 == 0:
            say(f"skm: {u + 1}/{nu} units")
    skm_truth = pd.DataFrame(skm_rows)

    records, svc_eff = service_records(units, periods, factor, cfg, _rng(seed, 9))
    _write_csv(records, out / "kinerja_layanan.csv")

    coding, interview_info = write_interviews(out, cfg, roster, units, training, evaluations,
                                              we, _rng(seed, 10))
    _write_csv(coding[["Kode Informan", "Segmen", "Tema", "Koder 1", "Koder 2"]],
               out / "wawancara_koding_manual.csv")
    say("skm, service records and interviews written")

    # --- truth ----------------------------------------------------------------------------
    uq = skm_truth.merge(svc_eff, on=["unit_idx", "t"])
    uq["unit"] = units["unit"].to_numpy()[uq["unit_idx"]]
    uq["period"] = [str(periods[t - 1]) for t in uq["t"]]
    uq["cohort"] = cohort[uq["unit_idx"]]
    uq["event_time"] = np.where(uq["cohort"] > 0, uq["t"] - uq["cohort"], -999)
    uq["treated"] = (uq["cohort"] > 0) & (uq["event_time"] >= 0)
    uq["high_difficulty"] = units["high_difficulty"].to_numpy()[uq["unit_idx"]]
    uq["mentoring_follow_up"] = units["mentoring_follow_up"].to_numpy()[uq["unit_idx"]]
    outcomes = {"ikm": "effect_ikm", "nrr_u6": "effect_nrr_u6", "nrr_u7": "effect_nrr_u7",
                "rata_rata_hari": "effect_rata_rata_hari",
                "complaints_per_1000": "effect_complaints_per_1000",
                "share_on_time": "effect_share_on_time"}
    att = {k: _aggregate(uq, v) for k, v in outcomes.items()}
    het = {k: _heterogeneity(uq, v) for k, v in outcomes.items()}

    svc_ev = evaluations[evaluations["is_service"]]
    l3 = {
        "effect": cfg.effect_l3,
        "att": _r(svc_ev["tau"].mean()) if len(svc_ev) else None,
        "by_kesulitan": {"Ya": _r(svc_ev.loc[svc_ev["kesulitan"], "tau"].mean()),
                         "Tidak": _r(svc_ev.loc[~svc_ev["kesulitan"], "tau"].mean())},
        "by_mentoring": {"with": _r(svc_ev.loc[svc_ev["mentored"], "tau"].mean()),
                         "without": _r(svc_ev.loc[~svc_ev["mentored"], "tau"].mean())},
        "n_evaluated_alumni": int(len(svc_ev)),
        "scale": "latent application score on the 1-5 rater scale (before rater noise); "
                 "effect = effect x 0.4 when the alumnus reports difficulty, x 1.4 when "
                 "mentored after the course and before the evaluation",
    }
    svc_people = set(training.loc[training["is_service"], "pid_idx"].tolist())
    in_treated = cohort[roster["unit_idx"].to_numpy()] > 0
    trained = roster["pid_idx"].isin(svc_people).to_numpy()
    jp_year = (training.assign(tahun=pd.DatetimeIndex(training["start"]).year)
               .groupby(["pid_idx", "tahun"])["jp"].sum())
    active_years = pd.MultiIndex.from_frame(skp[["pid_idx", "tahun"]])
    jp_full = jp_year.reindex(active_years, fill_value=0)
    grades = pd.cut(skm_truth.groupby("unit_idx")["ikm"].mean().round(2),
                    [0, 64.995, 76.605, 88.305, 101], labels=["D", "C", "B", "A"])
    truth: dict[str, Any] = {
        "simulated": True,
        "note": "Simulated data for a stand-in Surakarta; not real records of any person.",
        "seed": seed,
        "config": cfg.to_dict(),
        "periods": [str(p) for p in periods],
        "units": units["unit"].tolist(),
        "cohort_by_unit": dict(zip(units["unit"], (int(c) for c in cohort))),
        "cohort_threshold_share": COHORT_THRESHOLD_SHARE,
        "unit_characteristics": {
            row.unit: {"cohort": int(row.cohort),
                       "mentoring_follow_up": bool(row.mentoring_follow_up),
                       "high_difficulty": bool(row.high_difficulty),
                       "effect_multiplier": _r(row.effect_multiplier),
                       "cohort_multiplier": _r(row.cohort_multiplier),
                       "n_asn": int((roster["unit_idx"] == i).sum()),
                       "skm_file_slug": row.slug, "skm_separator": row.skm_separator,
                       "skm_encoding": row.skm_encoding,
                       "skm_q8_q9_swapped": bool(row.skm_q8_q9_swapped),
                       "skm_phrasing": row.skm_phrasing}
            for i, row in enumerate(units.itertuples())},
        "att": att,
        "heterogeneity": het,
        "individual_effects": {"skp_latent": skp_info, "l3_application": l3},
        "selection": {
            "motivation_uptake_logit": cfg.motivation_uptake,
            "motivation_skp_weight": cfg.motivation_skp,
            "motivation_gap_trained_vs_untrained": _r(
                roster["motivation"][in_treated & trained].mean()
                - roster["motivation"][in_treated & ~trained].mean()),
        },
        "unit_period": [
            {"unit": r.unit, "period": r.period, "t": int(r.t), "cohort": int(r.cohort),
             "treated": bool(r.treated), "n_responses": int(r.n_responses),
             "ikm": _r(r.ikm, 4), "ikm_y0": _r(r.ikm_y0, 4), "effect_ikm": _r(r.effect_ikm),
             "effect_nrr_u6": _r(r.effect_nrr_u6), "effect_nrr_u7": _r(r.effect_nrr_u7),
             "rata_rata_hari_y0": _r(r.rata_rata_hari_y0, 4),
             "effect_rata_rata_hari": _r(r.effect_rata_rata_hari),
             "effect_complaints_per_1000": _r(r.effect_complaints_per_1000),
             "effect_share_on_time": _r(r.effect_share_on_time)}
            for r in uq.sort_values(["unit_idx", "t"]).itertuples()],
        "faults": counter.as_dict(),
        "pii": {"wawancara": interview_info["pii"], "skm_saran": pii_saran},
        "interviews": {k: v for k, v in interview_info.items() if k != "pii"}
        | {"themes": texts.THEMES, "coder_miss": [0.08, 0.10], "coder_false": [0.03, 0.04]},
        "skm_question_texts": texts.SKM_QUESTIONS,
        "skm_answer_labels": {k: list(v) for k, v in texts.SKM_LABELS.items()},
        "counts": {"pegawai": len(pegawai), "pelatihan": len(pel), "skp": len(skp_out),
                   "evaluasi_pasca_pelatihan": len(ev), "mentoring": len(mt),
                   "kinerja_layanan": len(records), "skm_files": int(nu * nq),
                   "skm_responses_clean": int(skm_truth["n_responses"].sum()),
                   "skm_rows": int(skm_truth["n_responses"].sum()
                                   + counter.counts["skm"]["duplicate_response"]),
                   "wawancara": interview_info["n_interviews"],
                   "wawancara_koding_manual": len(coding)},
        "realism": {
            "jp_per_asn_year_median": _r(float(np.median(jp_full)), 2),
            "jp_per_asn_year_p90": _r(float(np.quantile(jp_full, 0.9)), 2),
            "share_asn_year_20jp": _r(float((jp_full >= 20).mean()), 4),
            "unit_ikm_grades": {g: int((grades == g).sum()) for g in ["A", "B", "C", "D"]},
        },
    }
    (out / "truth.json").write_text(
        json.dumps(truth, sort_keys=True, indent=1, ensure_ascii=False) + "\n",
        encoding="utf-8", newline="\n")
    say("truth.json written")
    return json.loads(json.dumps(truth, sort_keys=True))


__all__ = ["SimulationConfig", "simulate_city", "COHORT_THRESHOLD_SHARE", "NationConfig",
           "simulate_nation_skm"]
