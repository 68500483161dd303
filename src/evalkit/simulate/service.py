"""SKM survey exports (streamed per unit and quarter) and the monthly service records.

Answers are drawn per respondent from a latent scale: ``latent = unit-quarter element level
+ respondent leniency + noise``, cut at 1.5/2.5/3.5 into scores 1-4. The treated world adds
the training effect to the same draws (common random numbers), so the realised effect of
every unit-quarter is known exactly.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import expit
from scipy.stats import binom, norm, poisson

from evalkit.simulate import texts
from evalkit.simulate.faults import FaultCounter, draw_kinds

ELEMENTS = tuple(f"u{k}" for k in range(1, 10))
#: Element offsets on the latent scale (Biaya/Gratis high, Pengaduan and Waktu low).
ELEMENT_OFFSET = np.array([0.0, -0.05, -0.18, 0.35, 0.0, 0.0, 0.05, -0.22, -0.05])
#: How much of the training effect reaches each element (u6 Kompetensi, u7 Perilaku most).
ELEMENT_WEIGHT = np.array([0.1, 0.3, 0.4, 0.0, 0.1, 1.0, 1.0, 0.3, 0.1])
SD_RESPONDENT = 0.35
SD_NOISE = 0.5
CUTS = np.array([1.5, 2.5, 3.5])
SKM_ROW_FAULTS = ("duplicate_response", "answer_out_of_range", "answer_unknown_label",
                  "answer_blank")
SKM_FILE_FAULTS = ("semicolon_separator", "cp1252_encoding", "q8_q9_swapped", "label_case")


def expected_score(latent_mean: np.ndarray) -> np.ndarray:
    """Expected answer score (1-4) of a latent mean, integrating respondent and answer noise."""
    s = np.hypot(SD_RESPONDENT, SD_NOISE)
    return 1 + norm.cdf((latent_mean[..., None] - CUTS) / s).sum(axis=-1)


def unit_levels(target: np.ndarray, unit_element: np.ndarray) -> np.ndarray:
    """Latent unit level whose mean expected score over elements equals ``target`` (bisection,
    vectorised over units: no closed form because of the cut points)."""
    lo = np.full(len(target), 0.0)
    hi = np.full(len(target), 6.0)
    for _ in range(50):
        mid = (lo + hi) / 2
        val = expected_score(mid[:, None] + ELEMENT_OFFSET + unit_element).mean(axis=1)
        lo = np.where(val < target, mid, lo)
        hi = np.where(val < target, hi, mid)
    return (lo + hi) / 2


def growth(event_time: np.ndarray) -> np.ndarray:
    """Share of the full effect reached ``e`` quarters after roll-out (0.4, 0.6, 0.8, 1...)."""
    return np.where(event_time >= 0, np.minimum(1.0, 0.4 + 0.2 * event_time), 0.0)


def _typo(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Misspell labels: double or drop the last letter (``Sangat sesuaii``, ``Bai``)."""
    double = rng.random(len(values)) < 0.6
    return np.array([v + v[-1] if d else v[:-1] for v, d in zip(values, double)], dtype=object)


def _case(values: np.ndarray, style: str) -> np.ndarray:
    if style == "upper":
        return np.char.upper(values)
    if style == "lower":
        return np.char.lower(values)
    return np.char.title(values)


def draw_latent_answers(rng: np.random.Generator, mu: np.ndarray, n: int) -> np.ndarray:
    """Latent answers (n × 9) around ``mu``: a respondent effect shared by the nine, plus noise.

    The city's SKM exports and the national survey (:mod:`evalkit.simulate.nation`) draw
    their respondents with it; :func:`scores_of` cuts them into the 1–4 scale.
    """
    return mu + rng.normal(0, SD_RESPONDENT, (n, 1)) + rng.normal(0, SD_NOISE, (n, 9))


def scores_of(latent: np.ndarray) -> np.ndarray:
    """SKM scores 1–4 of latent answers, cut at :data:`CUTS`."""
    return 1 + (latent[..., None] > CUTS).sum(axis=-1)


def write_skm_file(path: Path, *, unit: pd.Series, period: pd.Period, mu: np.ndarray,
                   delta: np.ndarray, treated: bool, n: int, cfg, rng: np.random.Generator,
                   counter: FaultCounter, pii: dict) -> dict:
    """Draw, fault and write one SKM export; return its clean true values and effects."""
    lat0 = draw_latent_answers(rng, mu, n)
    s0, s1 = scores_of(lat0), scores_of(lat0 + delta)  # without and with the training
    score = s1 if treated else s0
    labels = np.array([texts.SKM_LABELS[e] for e in ELEMENTS])           # (9, 4)
    answers = labels[np.arange(9), score - 1].astype(object)            # (n, 9)
    file_faults = []
    if rng.random() < cfg.share_files_label_case:
        style = rng.choice(["upper", "lower", "title"])
        answers = _case(answers.astype(str), style).astype(object)
        file_faults.append("label_case")
    # Respondent profile and timestamps (unique seconds on weekdays, office hours).
    start = period.start_time
    days = pd.bdate_range(start, period.end_time.normalize())
    slot = np.sort(rng.choice(len(days) * 28800, n, replace=False))
    ts = (days.to_numpy()[slot // 28800] + (27000 + slot % 28800) * np.timedelta64(1, "s"))
    sex = np.array(texts.SEX_STYLES[unit["skm_sex_style"]])[(rng.random(n) < 0.52).astype(int)]
    edu = np.array(texts.EDUCATION_STYLES[unit["skm_education_style"]])[
        rng.choice(7, n, p=texts.EDUCATION_P)]
    job = np.array(texts.JOB_STYLES[unit["skm_job_style"]])[rng.choice(6, n, p=texts.JOB_P)]
    services = texts.SERVICES.get(unit["unit"].split(" Wilayah")[0], texts.GENERIC_SERVICES)
    mean_score = score.mean(axis=1)
    saran = np.full(n, "", dtype=object)
    says = rng.random(n) < 0.35
    negative = rng.random(n) < np.where(mean_score < 3, 0.8, 0.3)
    saran[says & negative] = rng.choice(texts.SARAN_NEGATIVE, (says & negative).sum())
    saran[says & ~negative] = rng.choice(texts.SARAN_POSITIVE, (says & ~negative).sum())
    typo = says & (rng.random(n) < 0.08)
    typo[rng.integers(n)] = True   # every file holds typographic characters (encoding matters)
    saran[typo] = rng.choice(texts.SARAN_TYPOGRAPHIC, typo.sum())
    # A few suggestions carry a phone number or an e-mail (for redaction).
    contact = rng.random(n) < 0.003
    phones = ["08" + str(v) for v in rng.integers(10**9, 10**10, contact.sum())]
    emails = [f"warga{v}@gmail.com" for v in rng.integers(100, 999, contact.sum())]
    use_phone = rng.random(contact.sum()) < 0.6
    saran[contact] = [f"{s} Mohon dihubungi di {p}.".strip() if up
                      else f"{s} Balasan ke {e} saja.".strip()
                      for s, p, e, up in zip(saran[contact], phones, emails, use_phone)]
    pii["no_hp"] += int(use_phone.sum())
    pii["email"] += int((~use_phone).sum())
    # Row faults: at most one per row; duplicates repeat a clean row right after it.
    rates = {"duplicate_response": cfg.rate_duplicate_response,
             "answer_out_of_range": cfg.rate_answer_out_of_range,
             "answer_unknown_label": cfg.rate_answer_unknown_label,
             "answer_blank": cfg.rate_answer_blank}
    kinds = draw_kinds(n, rates, rng)
    counter.declare("skm", list(SKM_ROW_FAULTS) + list(SKM_FILE_FAULTS))
    for kind in SKM_ROW_FAULTS[1:]:
        rows = np.flatnonzero(kinds == kind)
        counter.add("skm", kind, len(rows))
        el = rng.integers(0, 9, len(rows))
        if kind == "answer_out_of_range":
            answers[rows, el] = rng.choice(np.array(["0", "5", "6"], dtype=object), len(rows))
        elif kind == "answer_unknown_label":
            answers[rows, el] = _typo(answers[rows, el], rng)
        else:
            answers[rows, el] = ""
    questions = texts.SKM_QUESTIONS[unit["skm_phrasing"]]
    order = list(range(9))
    if unit["skm_q8_q9_swapped"]:
        order = [0, 1, 2, 3, 4, 5, 6, 8, 7]
        file_faults.append("q8_q9_swapped")
    frame = pd.DataFrame({
        "Timestamp": pd.DatetimeIndex(ts).strftime("%d/%m/%Y %H:%M:%S"),
        "Unit Layanan": unit["unit"], "Jenis Layanan": rng.choice(services, n),
        "Jenis Kelamin": sex, "Umur": np.clip(np.round(rng.normal(38, 12, n)), 17, 75
                                              ).astype(int),
        "Pendidikan": edu, "Pekerjaan": job})
    for k in order:
        frame[questions[ELEMENTS[k]]] = answers[:, k]
    frame["Saran / Masukan"] = saran
    dup = np.flatnonzero(kinds == "duplicate_response")
    counter.add("skm", "duplicate_response", len(dup))
    if len(dup):
        idx = np.sort(np.r_[np.arange(n), dup])   # the repeat follows its original
        frame = frame.iloc[idx].reset_index(drop=True)
    sep = unit["skm_separator"]
    enc = unit["skm_encoding"]
    if sep == ";":
        file_faults.append("semicolon_separator")
    if enc == "cp1252":
        file_faults.append("cp1252_encoding")
    for kind in file_faults:
        counter.add("skm", kind, 1)
    frame.to_csv(path, sep=sep, encoding=enc, index=False, lineterminator="\n")
    d = (s1 - s0)
    nrr0 = s0.mean(axis=0)
    return {"n_responses": n, "ikm_y0": 25 * nrr0.mean(), "ikm": 25 * score.mean(),
            "effect_ikm": 25 * d.mean() if treated else 0.0,
            "effect_nrr_u6": d[:, 5].mean() if treated else 0.0,
            "effect_nrr_u7": d[:, 6].mean() if treated else 0.0}


def service_records(units: pd.DataFrame, periods: pd.PeriodIndex, factor: np.ndarray,
                    cfg, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Monthly service records per unit and the realised quarterly effects.

    ``factor`` is the (unit, quarter) share of the full effect (0 when untreated). Days to
    finish drop by the same amount in the three months of a quarter; complaints and on-time
    counts are drawn with shared uniforms in both worlds.
    """
    months = pd.period_range(periods[0].start_time, periods[-1].end_time, freq="M")
    nu, nm = len(units), len(months)
    q = np.repeat(np.arange(len(periods)), 3)[:nm]
    f = factor[:, q]                                                    # (unit, month)
    season = 1 + 0.12 * np.cos(2 * np.pi * (months.month.to_numpy() - 1) / 12)
    n_app = rng.poisson(units["applications"].to_numpy()[:, None] * season
                        * np.exp(rng.normal(0, 0.08, (nu, nm)))).clip(min=1)
    base = units["base_days"].to_numpy()[:, None]
    trend = 1 - 0.004 * q
    days0 = base * trend * np.exp(rng.normal(0, 0.06, (nu, nm)))
    delta_days = cfg.effect_days_share * base * f
    days1 = days0 - delta_days
    lam0 = units["complaint_rate"].to_numpy()[:, None] / 1000 * n_app * np.exp(
        rng.normal(0, 0.15, (nu, nm)))
    lam1 = lam0 * np.exp(-cfg.effect_complaints_log * f)
    u = rng.random((nu, nm))
    c0 = poisson.ppf(u, lam0)
    c1 = poisson.ppf(u, lam1)
    a = units["on_time_logit"].to_numpy()[:, None]
    p0 = expit(a + 3 * (1 - days0 / base))
    p1 = expit(a + 3 * (1 - days1 / base))
    v = rng.random((nu, nm))
    k0 = binom.ppf(v, n_app, p0)
    k1 = binom.ppf(v, n_app, p1)
    treated = f > 0
    d_obs = np.round(np.where(treated, days1, days0), 1)
    records = pd.DataFrame({
        "Unit Kerja": np.repeat(units["unit"].to_numpy(), nm),
        "Bulan": np.tile(months.strftime("%Y-%m"), nu),
        "Jumlah Permohonan": n_app.ravel().astype(int),
        "Selesai Tepat Waktu": np.where(treated, k1, k0).ravel().astype(int),
        "Rata-rata Hari Penyelesaian": d_obs.ravel(),
        "Jumlah Pengaduan": np.where(treated, c1, c0).ravel().astype(int)})
    # Quarterly realised effects (application-weighted, as the panel aggregates months).
    nq = len(periods)
    agg = np.zeros((nu, nq, 5))
    for j in range(nq):   # a dozen quarters
        cols = q == j
        w = n_app[:, cols]
        agg[:, j, 0] = w.sum(axis=1)
        agg[:, j, 1] = (w * (np.round(days1[:, cols], 1) - np.round(days0[:, cols], 1))
                        ).sum(axis=1) / w.sum(axis=1)
        agg[:, j, 2] = 1000 * (c1[:, cols] - c0[:, cols]).sum(axis=1) / w.sum(axis=1)
        agg[:, j, 3] = (k1[:, cols] - k0[:, cols]).sum(axis=1) / w.sum(axis=1)
        agg[:, j, 4] = (w * np.round(days0[:, cols], 1)).sum(axis=1) / w.sum(axis=1)
    eff = pd.DataFrame({
        "unit_idx": np.repeat(np.arange(nu), nq), "t": np.tile(np.arange(1, nq + 1), nu),
        "effect_rata_rata_hari": agg[..., 1].ravel(),
        "effect_complaints_per_1000": agg[..., 2].ravel(),
        "effect_share_on_time": agg[..., 3].ravel(),
        "rata_rata_hari_y0": agg[..., 4].ravel()})
    untreated = ~(factor > 0).ravel()
    eff.loc[untreated, ["effect_rata_rata_hari", "effect_complaints_per_1000",
                        "effect_share_on_time"]] = 0.0
    return records, eff
