"""Units, the ASN roster, training records, mentoring, SKP and post-training evaluations.

All arrays are vectorised over people or records; the only loops run over units, years or
categories (tens of iterations), never over rows.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from evalkit.schemas import EKSPEKTASI, PREDIKAT_MATRIX
from evalkit.simulate import texts
from evalkit.simulate.config import SimulationConfig
from evalkit.training import SERVICE_COURSE

DAY = np.timedelta64(1, "D")
GOLONGAN = ("I/a", "I/b", "I/c", "I/d", "II/a", "II/b", "II/c", "II/d", "III/a", "III/b",
            "III/c", "III/d", "IV/a", "IV/b", "IV/c", "IV/d", "IV/e")
_GOL_ENTRY = {"SMA": 4, "D3": 6, "D4/S1": 8, "S2": 9, "S3": 10}
_GOL_MAX = {"SMA": 11, "D3": 11, "D4/S1": 13, "S2": 14, "S3": 16}
_PPPK_GOL = {"SMA": "V", "D3": "VII", "D4/S1": "IX", "S2": "X", "S3": "XI"}
EDUCATION = ("SMA", "D3", "D4/S1", "S2", "S3")


def slugify(name: str) -> str:
    """File-name slug of a unit name: ``"Dinas Sosial"`` -> ``"dinas-sosial"``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def day_values(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A date column as datetime64[D] (pandas stores seconds; day arithmetic needs days)."""
    return frame[column].to_numpy().astype("datetime64[D]")


def to_days(values) -> np.ndarray:
    """ISO date strings (or dates) as a datetime64[D] array."""
    return np.asarray(values, dtype="datetime64[D]")


def make_units(cfg: SimulationConfig, rng: np.random.Generator) -> pd.DataFrame:
    """One row per unit: roll-out cohort, mechanisms, SKM export habits, service levels."""
    n = cfg.n_units
    names = [texts.UNITS[i % len(texts.UNITS)] + ("" if i < len(texts.UNITS)
                                                  else f" Wilayah {i // len(texts.UNITS) + 1}")
             for i in range(n)]
    units = pd.DataFrame({"unit": names})
    units["slug"] = [slugify(u) for u in names]
    units["size"] = [texts.UNIT_SIZE.get(u.split(" Wilayah")[0], 1.0) for u in names]
    units["size"] *= np.exp(rng.normal(0, 0.25, n))
    # Staggered roll-out: a random order of units, a share never reached, the rest spread
    # evenly over the waves.
    order = rng.permutation(n)
    n_never = max(1, int(round(cfg.share_never_treated * n)))
    cohort = np.zeros(n, dtype=int)
    waves = list(cfg.cohort_quarters)
    for rank, u in enumerate(order[n_never:]):
        cohort[u] = waves[rank % len(waves)]
    units["cohort"] = cohort
    # Mechanisms among reached units, balanced so that each 2x2 cell is filled.
    # Within each cohort, units alternate with/without mentoring and with/without
    # difficulty (the pattern shifts between cohorts), so that neither mechanism is confounded
    # with the cohort or the event-time mix.
    follow = np.zeros(n, dtype=bool)
    hard = np.zeros(n, dtype=bool)
    for ci, wave in enumerate(waves):
        members = rng.permutation(np.flatnonzero(cohort == wave))
        r = np.arange(len(members))
        follow[members] = r % 2 == 0
        hard[members] = (r + ci) % 2 == 1
    units["mentoring_follow_up"] = follow
    units["high_difficulty"] = hard
    mult = np.where(follow, cfg.mentoring_multiplier, 1.0) * np.where(
        hard, cfg.difficulty_multiplier, 1.0)
    units["effect_multiplier"] = np.where(cohort > 0, mult, 0.0)
    # Cohort multiplier: the first wave (pilot units) gains most, later waves less.
    if len(waves) > 1:
        cm = dict(zip(waves, np.linspace(1.2, 0.7, len(waves))))
    else:
        cm = {waves[0]: 1.0}
    units["cohort_multiplier"] = [cm.get(c, 0.0) for c in cohort]
    # SKM: target expected score per unit (mostly B, some C and A), export habits.
    units["target_score"] = np.clip(rng.normal(3.27, 0.2, n), 2.85, 3.75)
    units["skm_separator"] = np.where(rng.random(n) < cfg.share_units_semicolon, ";", ",")
    units["skm_encoding"] = np.where(rng.random(n) < cfg.share_units_cp1252, "cp1252", "utf-8")
    units["skm_q8_q9_swapped"] = rng.random(n) < cfg.share_units_q8_q9_swapped
    units["skm_phrasing"] = np.where(rng.random(n) < cfg.share_units_alt_phrasing,
                                     "alternatif", "standar")
    units["skm_sex_style"] = rng.choice(list(texts.SEX_STYLES), n)
    units["skm_education_style"] = rng.choice(list(texts.EDUCATION_STYLES), n)
    units["skm_job_style"] = rng.choice(list(texts.JOB_STYLES), n)
    units["respondent_factor"] = np.exp(rng.normal(0, 0.3, n))
    units["respondent_factor"] /= units["respondent_factor"].mean()
    # Service records: monthly applications, days to finish, complaints per 1000.
    units["applications"] = np.round(600 * units["size"] * np.exp(rng.normal(0, 0.5, n)))
    units["base_days"] = np.round(np.exp(rng.normal(np.log(6), 0.5, n)), 1).clip(2, 21)
    units["complaint_rate"] = np.exp(rng.normal(np.log(5), 0.4, n))
    units["on_time_logit"] = rng.normal(logit(0.85), 0.4, n)
    return units


def make_roster(cfg: SimulationConfig, units: pd.DataFrame, ws: np.datetime64,
                we: np.datetime64, rng: np.random.Generator) -> pd.DataFrame:
    """The ASN roster with latent motivation/ability, valid NIPs, dates and status."""
    n = cfg.n_asn
    unit_idx = rng.choice(len(units), n, p=(units["size"] / units["size"].sum()).to_numpy())
    female = rng.random(n) < 0.5
    pppk = rng.random(n) < cfg.share_pppk
    new_hire = ~pppk & (rng.random(n) < cfg.share_new_hires)
    edu = rng.choice(np.array(EDUCATION), n, p=[0.2, 0.15, 0.5, 0.14, 0.01])
    # Incumbent PNS: age at window start, appointment age by education.
    age = np.clip(rng.normal(42, 8.5, n), 23, 57.6)
    birth = ws - (age * 365.25).astype(int) * DAY
    entry_lo = pd.Series(edu).map({"SMA": 19, "D3": 21, "D4/S1": 23, "S2": 25, "S3": 28})
    appt_age = np.minimum(entry_lo.to_numpy() + rng.gamma(2.0, 2.0, n), age - 0.5)
    tmt = birth + (appt_age * 365.25).astype(int) * DAY
    # New PNS hires inside the window (appointed on the first of a month, not in the last
    # two quarters so that they can train).
    months = pd.date_range(pd.Timestamp(ws), pd.Timestamp(we) - pd.DateOffset(months=6),
                           freq="MS").to_numpy().astype("datetime64[D]")
    hire_tmt = rng.choice(months, n)
    hire_age = rng.uniform(22, 34, n)
    tmt = np.where(new_hire, hire_tmt, tmt)
    birth = np.where(new_hire, hire_tmt - (hire_age * 365.25).astype(int) * DAY, birth)
    # PPPK: appointment waves 2019-2024.
    pppk_year = rng.choice([2019, 2021, 2022, 2023, 2024], n, p=[.15, .2, .2, .2, .25])
    pppk_month = rng.choice([1, 3, 4, 7], n)
    pppk_tmt = to_days([f"{y}-{m:02d}-01" for y, m in zip(pppk_year, pppk_month)])
    pppk_tmt = np.minimum(pppk_tmt, months[-1])
    pppk_birth = pppk_tmt - (rng.uniform(23, 45, n) * 365.25).astype(int) * DAY
    tmt = np.where(pppk, pppk_tmt, tmt)
    birth = np.where(pppk, pppk_birth, birth)
    # TMT on the first of a month, as decrees are dated.
    tmt = tmt.astype("datetime64[M]").astype("datetime64[D]")
    # Exit: retirement at 58 (BUP of administrative posts), a few transfers out.
    pension = (birth.astype("datetime64[M]") + np.timedelta64(58 * 12 + 1, "M")
               ).astype("datetime64[D]")
    moved = rng.random(n) < 0.02
    move_date = ws + (rng.random(n) * (we - ws).astype(int)).astype(int) * DAY
    exit_ = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    status = np.full(n, "Aktif", dtype=object)
    retired = pension <= we
    exit_[retired] = pension[retired]
    status[retired] = "Pensiun"
    moved &= ~retired & (move_date > np.maximum(tmt, ws) + 90 * DAY)
    exit_[moved] = move_date[moved]
    status[moved] = "Pindah"
    # Jabatan and golongan.
    age_end = (we - birth).astype(int) / 365.25
    high_edu = np.isin(edu, ["D4/S1", "S2", "S3"])
    u = rng.random(n)
    jenis = np.where(~pppk & high_edu & (age_end > 38) & (u < 0.16), "Struktural",
                     np.where(u > np.where(high_edu, 0.45, np.where(edu == "D3", 0.6, 0.9)),
                              "Fungsional", "Pelaksana"))
    jenis = np.where(pppk, np.where(rng.random(n) < 0.7, "Fungsional", "Pelaksana"), jenis)
    service_years = np.maximum((we - tmt).astype(int) / 365.25, 0)
    entry = pd.Series(edu).map(_GOL_ENTRY).to_numpy()
    top = pd.Series(edu).map(_GOL_MAX).to_numpy()
    # Regular promotion every 4 years, often delayed; staff without a structural or functional
    # post stop at III/d (D4/S1 and up) or III/c (SMA, D3).
    steps = np.maximum(service_years - rng.uniform(0, 5, n), 0) // 4
    top = np.where(jenis == "Pelaksana", np.minimum(top, np.where(high_edu, 11, 10)), top)
    gol_idx = np.minimum(entry + steps.astype(int), top)
    golongan = np.where(pppk, pd.Series(edu).map(_PPPK_GOL).to_numpy(),
                        np.array(GOLONGAN, dtype=object)[gol_idx])
    # NIP (DOMAIN.md section 4), built as an 18-digit integer.
    b = pd.DatetimeIndex(birth.astype("datetime64[s]"))
    t = pd.DatetimeIndex(tmt.astype("datetime64[s]"))
    birth8 = b.year.to_numpy() * 10000 + b.month.to_numpy() * 100 + b.day.to_numpy()
    sex = np.where(female, 2, 1)
    prefix = np.where(
        pppk,
        birth8.astype(np.int64) * 10**7 + t.year.to_numpy() * 1000 + 200
        + rng.integers(1, 10, n) * 10 + sex,
        birth8.astype(np.int64) * 10**7 + (t.year.to_numpy() * 100 + t.month.to_numpy()) * 10
        + sex)
    # serial: a random start per prefix (birth date, TMT, sex), then 1, 2, ... so it is unique
    codes, uniques = pd.factorize(prefix)
    serial = (pd.Series(prefix).groupby(prefix).cumcount().to_numpy()
              + rng.integers(1, 400, len(uniques))[codes])
    nip = (prefix * 1000 + serial).astype(np.int64).astype(str)
    # Names, with academic titles by education.
    first = np.where(female, rng.choice(texts.FEMALE_NAMES, n), rng.choice(texts.MALE_NAMES, n))
    last = np.where(female, rng.choice(texts.SURNAMES_F, n), rng.choice(texts.SURNAMES_M, n))
    middle = np.where(rng.random(n) < 0.3,
                      np.where(female, rng.choice(texts.FEMALE_NAMES, n),
                               rng.choice(texts.MALE_NAMES, n)), "")
    plain = pd.Series(first) + np.where(middle != "", " " + middle, "") + " " + pd.Series(last)
    title = np.full(n, "", dtype=object)
    for level, options in texts.DEGREES.items():
        sel = edu == level
        title[sel] = rng.choice(options, sel.sum())
    nama = np.where(edu == "S3", "Dr. " + plain + ", M.Si.",
                    np.where(title != "", plain + ", " + title.astype(str), plain))
    prefixes = np.array(["11", "12", "13", "21", "22", "52", "53", "56", "57", "58", "77", "78",
                         "81", "82", "95", "96"])
    phone = ("08" + pd.Series(rng.choice(prefixes, n))
             + pd.Series(np.where(rng.random(n) < 0.7, rng.integers(10**7, 10**8, n),
                                  rng.integers(10**6, 10**7, n))).astype(str))
    roster = pd.DataFrame({
        "unit_idx": unit_idx, "unit": units["unit"].to_numpy()[unit_idx], "nip": nip,
        "nama": nama, "plain_name": plain.to_numpy(), "first_name": first,
        "female": female, "pppk": pppk, "new_hire": new_hire, "pendidikan": edu,
        "jenis_jabatan": jenis, "golongan": golongan, "birth": birth, "tmt": tmt,
        "exit": exit_, "status": status, "no_hp": phone.to_numpy(),
        "motivation": rng.normal(0, 1, n), "ability": rng.normal(0, 1, n),
    })
    roster["start"] = np.maximum(day_values(roster, "tmt"), ws)
    roster["end"] = np.where(roster["exit"].isna(), we, day_values(roster, "exit"))
    roster = roster.sort_values(["unit_idx", "nip"], kind="stable").reset_index(drop=True)
    roster["pid_idx"] = np.arange(n)
    return roster


def make_training(cfg: SimulationConfig, roster: pd.DataFrame, units: pd.DataFrame,
                  quarter_starts: np.ndarray, quarter_ends: np.ndarray,
                  rng: np.random.Generator) -> pd.DataFrame:
    """Training records: the catalogue courses each year plus the staggered service course."""
    ws, we = quarter_starts[0], quarter_ends[-1]
    cat = pd.DataFrame(texts.CATALOG, columns=["course", "rumpun", "metode", "jp_lo", "jp_hi",
                                               "weight", "has_test"])
    manajerial = (cat["rumpun"] == "Manajerial").to_numpy()
    p_all = (cat["weight"] / cat["weight"].sum()).to_numpy()
    p_other = np.where(manajerial, 0, cat["weight"]) / cat["weight"][~manajerial].sum()
    parts = []
    years = range(int(str(ws)[:4]), int(str(we)[:4]) + 1)
    start = day_values(roster, "start")
    end = day_values(roster, "end")
    rate = cfg.courses_per_year * np.exp(cfg.motivation_courses * roster["motivation"].to_numpy()
                                         - cfg.motivation_courses ** 2 / 2)
    for year in years:
        lo = np.maximum(start, np.datetime64(f"{year}-01-01"))
        hi = np.minimum(end, np.datetime64(f"{year}-12-31"))
        span = (hi - lo).astype(int) + 1
        k = rng.poisson(rate * np.clip(span, 0, None) / 365.0)
        person = np.repeat(np.arange(len(roster)), k)
        course = rng.choice(len(cat), len(person), p=p_all)
        struktural = roster["jenis_jabatan"].to_numpy()[person] == "Struktural"
        redo = manajerial[course] & ~struktural
        course[redo] = rng.choice(len(cat), redo.sum(), p=p_other)
        c = cat.iloc[course].reset_index(drop=True)
        jp = rng.integers(c["jp_lo"], c["jp_hi"] + 1)
        dur = np.where(c["metode"] == "Klasikal", np.ceil(jp / 8),
                       np.where(c["metode"] == "Blended", np.ceil(jp / 6) + 3,
                                rng.integers(1, 15, len(c)))).astype(int)
        room = span[person] - dur
        keep = room >= 0
        begin = lo[person] + (rng.random(len(person)) * (room + 1)).astype(int) * DAY
        parts.append(pd.DataFrame({
            "pid_idx": person, "course": c["course"], "rumpun": c["rumpun"],
            "metode": c["metode"], "jp": jp, "start": begin, "end": begin + (dur - 1) * DAY,
            "has_test": c["has_test"], "is_service": False})[keep])
    # The service-quality course, staggered by unit. Within a reached unit the motivated are
    # first in line (selection): a latent index ranks eligible staff; the top share trains
    # in the cohort quarter, the next two slices in the following quarters.
    cohort = units["cohort"].to_numpy()[roster["unit_idx"].to_numpy()]
    score = cfg.motivation_uptake * roster["motivation"].to_numpy() + rng.logistic(0, 1,
                                                                                  len(roster))
    n_q = len(quarter_starts)
    c_idx = np.clip(cohort - 1, 0, n_q - 1)
    eligible = (cohort > 0) & (start <= quarter_starts[c_idx]) & (end >= quarter_ends[c_idx])
    rank = pd.Series(np.where(eligible, score, np.nan)).groupby(
        roster["unit_idx"]).rank(ascending=False, pct=True).to_numpy()
    w1 = cfg.first_wave_share
    wave = np.select([rank <= w1, rank <= w1 + 0.12, rank <= w1 + 0.22], [0, 1, 2], -1)
    q = cohort - 1 + wave
    take = eligible & (wave >= 0) & (q < n_q)
    q = np.where(take, q, 0)
    take &= end >= quarter_ends[q]
    person = np.flatnonzero(take)
    q = q[person]
    blended = rng.random(len(person)) < 0.2
    dur = np.where(blended, 7, 3)
    room = (quarter_ends[q] - quarter_starts[q]).astype(int) + 1 - dur - 5
    begin = quarter_starts[q] + (rng.random(len(person)) * room).astype(int) * DAY
    parts.append(pd.DataFrame({
        "pid_idx": person, "course": SERVICE_COURSE, "rumpun": "Teknis",
        "metode": np.where(blended, "Blended", "Klasikal"), "jp": np.where(blended, 32, 24),
        "start": begin, "end": begin + (dur - 1) * DAY, "has_test": True, "is_service": True}))
    rec = pd.concat(parts, ignore_index=True)
    n = len(rec)
    m = roster["motivation"].to_numpy()[rec["pid_idx"].to_numpy()]
    pre = np.clip(np.round(rng.normal(58, 12, n) + 3 * m), 5, 95)
    post = np.clip(np.round(pre + rng.normal(15, 7, n) + 2 * m), 0, 100)
    has_test = rec["has_test"].to_numpy(bool)
    rec["pre"] = np.where(has_test, pre, np.nan)
    rec["post"] = np.where(has_test, post, np.nan)
    rec["reaksi"] = np.round(np.clip(rng.normal(4.15, 0.4, n) + 0.1 * m, 1, 5), 2)
    rec = rec.sort_values(["start", "pid_idx", "course"], kind="stable").reset_index(drop=True)
    return rec


def make_mentoring(roster: pd.DataFrame, units: pd.DataFrame, training: pd.DataFrame,
                   we: np.datetime64, rng: np.random.Generator) -> pd.DataFrame:
    """Mentor-mentee pairs within units, mostly after the service course in follow-up units."""
    service = training[training["is_service"]].drop_duplicates("pid_idx")
    unit_idx = roster["unit_idx"].to_numpy()
    follow = units["mentoring_follow_up"].to_numpy()[unit_idx[service["pid_idx"].to_numpy()]]
    p = np.where(follow, 0.75, 0.04)
    chosen = service[rng.random(len(service)) < p]
    m_start = day_values(chosen, "end") + rng.integers(7, 46, len(chosen)) * DAY
    pairs = [pd.DataFrame({"mentee": chosen["pid_idx"].to_numpy(), "start": m_start,
                           "after_service": True})]
    hires = roster[roster["new_hire"] & (rng.random(len(roster)) < 0.3)]
    pairs.append(pd.DataFrame({
        "mentee": hires["pid_idx"].to_numpy(),
        "start": day_values(hires, "tmt") + rng.integers(30, 91, len(hires)) * DAY,
        "after_service": False}))
    pairs = pd.concat(pairs, ignore_index=True)
    exit_ = day_values(roster, "end")[pairs["mentee"].to_numpy()]
    stop = np.minimum(day_values(pairs, "start") + rng.integers(90, 181, len(pairs)) * DAY,
                      np.minimum(exit_, we))
    pairs["end"] = stop
    pairs = pairs[(stop - day_values(pairs, "start")).astype(int) >= 30].copy()
    pairs["unit_idx"] = unit_idx[pairs["mentee"].to_numpy()]
    # Mentors: senior structural/functional staff of the same unit, active at the end, drawn
    # with weight on motivation. One loop per unit (tens), not per pair.
    age_end = (we - day_values(roster, "birth")).astype(int) / 365.25
    pool = (np.isin(roster["jenis_jabatan"], ["Struktural", "Fungsional"])
            & (age_end >= 35) & (day_values(roster, "end") >= we))
    mentor = np.full(len(pairs), -1)
    pu = pairs["unit_idx"].to_numpy()
    for u in np.unique(pu):
        cand = np.flatnonzero(pool & (unit_idx == u))
        rows = np.flatnonzero(pu == u)
        if len(cand) < 2:
            continue
        w = np.exp(0.5 * roster["motivation"].to_numpy()[cand])
        pick = cand[rng.choice(len(cand), len(rows), p=w / w.sum())]
        clash = pick == pairs["mentee"].to_numpy()[rows]
        alt = cand[(np.searchsorted(cand, pick[clash]) + 1) % len(cand)]
        pick[clash] = alt
        mentor[rows] = pick
    pairs["mentor"] = mentor
    pairs = pairs[pairs["mentor"] >= 0].sort_values(["start", "mentee"], kind="stable")
    return pairs.reset_index(drop=True)


def make_evaluations(cfg: SimulationConfig, roster: pd.DataFrame, units: pd.DataFrame,
                     training: pd.DataFrame, mentoring: pd.DataFrame, we: np.datetime64,
                     rng: np.random.Generator) -> pd.DataFrame:
    """Kirkpatrick level-3 evaluations 3-9 months after a course (all service-course alumni,
    a quarter of other classroom/blended courses)."""
    tr = training.reset_index(drop=True)
    pick = tr["is_service"].to_numpy() | ((tr["metode"] != "E-Learning").to_numpy()
                                          & (rng.random(len(tr)) < 0.25))
    ev = tr[pick].copy()
    ev["date"] = day_values(ev, "end") + rng.integers(90, 271, len(ev)) * DAY
    person = ev["pid_idx"].to_numpy()
    ev = ev[(day_values(ev, "date") <= we) & (day_values(ev, "date") <= day_values(roster, "end")[
        person])].copy()
    person = ev["pid_idx"].to_numpy()
    n = len(ev)
    m = roster["motivation"].to_numpy()[person]
    a = roster["ability"].to_numpy()[person]
    unit = roster["unit_idx"].to_numpy()[person]
    hard_unit = units["high_difficulty"].to_numpy()[unit]
    service = ev["is_service"].to_numpy(bool)
    base = np.where(service, np.where(hard_unit, logit(0.55), logit(0.15)), logit(0.2))
    difficulty = rng.random(n) < expit(base - 0.5 * m)
    # Mentoring counts when a pair started after the course and before the evaluation.
    mt = mentoring[mentoring["after_service"]]
    first_start = mt.groupby("mentee")["start"].min()
    ms = first_start.reindex(person).to_numpy()
    mentored = service & ~pd.isna(ms) & (ms <= day_values(ev, "date"))
    unit_effect = rng.normal(0, 0.1, len(units))[unit]
    app0 = 3.3 + 0.3 * m + 0.15 * a + unit_effect + rng.normal(0, 0.25, n)
    tau = np.where(service, cfg.effect_l3 * np.where(difficulty, 0.4, 1.0)
                   * np.where(mentored, 1.4, 1.0), 0.0)
    app = app0 + tau
    ev["skor_alumni"] = np.round(np.clip(app + 0.25 + rng.normal(0, 0.3, n), 1, 5), 2)
    ev["skor_atasan"] = np.round(np.clip(app + rng.normal(0, 0.35, n), 1, 5), 2)
    ev["skor_rekan"] = np.round(np.clip(app + rng.normal(0, 0.35, n), 1, 5), 2)
    ev["kesulitan"] = difficulty
    ev["mentored"] = mentored
    ev["tau"] = tau
    return ev.sort_values(["date", "pid_idx"], kind="stable").reset_index(drop=True)


def make_skp(cfg: SimulationConfig, roster: pd.DataFrame, training: pd.DataFrame,
             years: list[int], rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """Annual SKP ratings from a latent performance, curve-constrained within each unit."""
    svc_end = training[training["is_service"]].groupby("pid_idx")["end"].min()
    rows = []
    for year in years:
        active = ((day_values(roster, "start") <= np.datetime64(f"{year}-07-01"))
                  & (day_values(roster, "end") >= np.datetime64(f"{year}-12-31")))
        r = roster[active]
        trained_by = svc_end.reindex(r["pid_idx"]).to_numpy()
        treated = ~pd.isna(trained_by) & (trained_by <= np.datetime64(f"{year}-12-31"))
        k = cfg.motivation_skp
        perf0 = (k * r["motivation"].to_numpy() + k * r["ability"].to_numpy()
                 + np.sqrt(max(1 - 2 * k * k, 0.05)) * rng.normal(0, 1, len(r)))
        perf = perf0 + cfg.effect_skp_latent * treated
        rows.append(pd.DataFrame({"pid_idx": r["pid_idx"].to_numpy(),
                                  "unit_idx": r["unit_idx"].to_numpy(), "tahun": year,
                                  "perf0": perf0, "perf": perf, "treated": treated,
                                  "h": perf + rng.normal(0, 0.5, len(r)),
                                  "b": perf + rng.normal(0, 0.7, len(r))}))
    skp = pd.concat(rows, ignore_index=True)
    # Curve within unit-year: top 20 % "Di atas", bottom 8 % (hasil) / 4 % (perilaku) "Di bawah".
    g = skp.groupby(["unit_idx", "tahun"])
    rh = g["h"].rank(pct=True).to_numpy()
    rb = g["b"].rank(pct=True).to_numpy()
    lab = np.array(EKSPEKTASI, dtype=object)  # Di bawah, Sesuai, Di atas
    hi = np.select([rh > 0.8, rh <= 0.08], [2, 0], 1)
    bi = np.select([rb > 0.8, rb <= 0.04], [2, 0], 1)
    # the same PermenPAN-RB 6/2022 matrix that cleaning checks predikat against
    matrix = np.array([[PREDIKAT_MATRIX[(h, b)] for b in EKSPEKTASI] for h in EKSPEKTASI],
                      dtype=object)
    skp["hasil_kerja"] = lab[hi]
    skp["perilaku_kerja"] = lab[bi]
    skp["predikat"] = matrix[hi, bi]
    treated = skp["treated"].to_numpy(bool)
    info = {
        "effect": cfg.effect_skp_latent,
        "att": round(float((skp["perf"] - skp["perf0"])[treated].mean()), 6) if treated.any()
        else None,
        "n_treated_person_years": int(treated.sum()),
        "naive_difference": round(float(skp["perf"][treated].mean()
                                        - skp["perf"][~treated].mean()), 6)
        if treated.any() else None,
        "scale": "latent performance, standard deviation 1 without training; SKP ratings are "
                 "ranks of it within unit-year (hasil kerja adds noise sd 0.5, perilaku 0.7)",
        "curve": {"hasil_kerja": {"di_atas_max_share": 0.2, "di_bawah_share": 0.08},
                  "perilaku_kerja": {"di_atas_max_share": 0.2, "di_bawah_share": 0.04}},
    }
    return skp.sort_values(["tahun", "unit_idx", "pid_idx"], kind="stable"
                           ).reset_index(drop=True), info
