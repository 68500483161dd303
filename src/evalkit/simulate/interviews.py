"""Interview transcripts in Indonesian and their manual coding by two people.

Each informant answer is assembled from theme sentences (texts.THEME_PRESENT), negated
mentions (texts.THEME_NEGATED: the words appear, the theme does not) and fillers. The true
presence of each theme per segment is known; the two coders copy it with independent noise.
Transcripts are few (tens), so building them string by string is fine.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from evalkit.simulate import texts
from evalkit.simulate.faults import format_dates, nip_spaced
from evalkit.simulate.people import day_values
from evalkit.training import SERVICE_COURSE

THEME_KEYS = tuple(texts.THEMES)
#: Coder noise: probability of missing a present theme / of marking an absent one.
CODER_MISS = (0.08, 0.10)
CODER_FALSE = (0.03, 0.04)


def _phone_text(phone: str, style: int) -> str:
    if style == 0:
        return phone
    groups = [phone[:4], phone[4:8], phone[8:]]
    return ("-" if style == 1 else " ").join(groups)


def _email(plain_name: str, style: int) -> str:
    parts = plain_name.lower().split()
    user = ".".join(parts[:2]) if style == 0 else "_".join(parts[:2])
    return f"{user}@{'gmail.com' if style == 0 else 'surakarta.go.id'}"


def theme_probabilities(follow_up: bool, hard: bool, difficulty: bool) -> dict[str, float]:
    """Chance that an informant raises each theme, by the mechanisms of their unit."""
    return {
        "dampak_positif": 0.5 if hard else 0.8,
        "manajemen_waktu": 0.35,
        "teknologi_informasi": 0.4,
        "kesulitan_penerapan": 0.85 if difficulty else (0.55 if hard else 0.12),
        "kebutuhan_mentoring": 0.25 if follow_up else 0.65,
        "pelatihan_lanjutan": 0.45,
        "beban_kerja": 0.4,
        "dukungan_atasan": 0.7 if follow_up else 0.3,
        "sarana_prasarana": 0.3,
    }


def write_interviews(out_dir: Path, cfg, roster: pd.DataFrame, units: pd.DataFrame,
                     training: pd.DataFrame, evaluations: pd.DataFrame, we: np.datetime64,
                     rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """Write ``wawancara/INF-NNN.txt`` and return the manual coding table and PII counts."""
    folder = out_dir / "wawancara"
    folder.mkdir(parents=True, exist_ok=True)
    svc = training[training["is_service"]].drop_duplicates("pid_idx")
    alive = day_values(roster, "end") >= we
    alumni = svc[(day_values(svc, "end") <= we - 60 * np.timedelta64(1, "D"))
                 & alive[svc["pid_idx"].to_numpy()]]
    treated_units = np.flatnonzero(units["cohort"].to_numpy() > 0)
    chiefs = roster[(roster["jenis_jabatan"] == "Struktural") & alive
                    & np.isin(roster["unit_idx"], treated_units)]
    n_chief = min(len(chiefs), int(round(0.15 * cfg.n_interviews)))
    n_alum = min(len(alumni), cfg.n_interviews - n_chief)
    pick_a = alumni.iloc[np.sort(rng.choice(len(alumni), n_alum, replace=False))]
    pick_c = chiefs.iloc[np.sort(rng.choice(len(chiefs), n_chief, replace=False))]
    people = pd.concat([
        pd.DataFrame({"pid_idx": pick_a["pid_idx"].to_numpy(), "after": day_values(pick_a, "end"),
                      "chief": False}),
        pd.DataFrame({"pid_idx": pick_c["pid_idx"].to_numpy(),
                      "after": np.full(n_chief, we - 180 * np.timedelta64(1, "D")),
                      "chief": True})], ignore_index=True)
    people = people.iloc[rng.permutation(len(people))].reset_index(drop=True)
    diff_by_person = evaluations[evaluations["is_service"]].groupby("pid_idx")["kesulitan"].max()
    coded_n = int(round(cfg.share_coded_interviews * len(people)))
    coded = set(rng.choice(len(people), coded_n, replace=False).tolist())
    pii = {"nama": 0, "no_hp": 0, "email": 0, "nip": 0}
    rows = []
    for i, person in people.iterrows():   # tens of interviews
        who = roster.iloc[int(person["pid_idx"])]
        unit = units.iloc[int(who["unit_idx"])]
        code = f"INF-{i + 1:03d}"
        lo = np.datetime64(person["after"], "D") + 90 * np.timedelta64(1, "D")
        lo = min(lo, we - 14 * np.timedelta64(1, "D"))
        date = lo + int(rng.integers(0, max((we - lo).astype(int), 1))) * np.timedelta64(1, "D")
        title = texts.JABATAN_TITLES[who["jenis_jabatan"]]
        jabatan = title[int(rng.integers(len(title)))]
        diff = bool(diff_by_person.get(int(person["pid_idx"]), False))
        probs = theme_probabilities(bool(unit["mentoring_follow_up"]),
                                    bool(unit["high_difficulty"]), diff)
        present = [t for t, p in probs.items() if rng.random() < p]  # list: set order varies
        slots = [s for s in texts.INTERVIEW_QUESTIONS
                 if s[0] != "fasilitas" or rng.random() < 0.6]
        where = {}
        for theme in present:
            options = [k for k, s in enumerate(slots) if theme in s[1]]
            where[theme] = options[int(rng.integers(len(options)))]
        lines = [f"Kode Informan: {code}", f"Unit Kerja: {unit['unit']}",
                 f"Jabatan: {jabatan}", f"Pelatihan: {SERVICE_COURSE}",
                 f"Tanggal: {format_dates(np.array([date]))[0]}", "---", ""]
        opening = texts.OPENINGS[int(rng.integers(len(texts.OPENINGS)))]
        segments = []
        honor = "Ibu" if who["female"] else "Bapak"
        for k, (slot, themes, questions) in enumerate(slots):
            sentences, truth = [], set()
            for theme in themes:
                if where.get(theme) == k:
                    pool = texts.THEME_PRESENT[theme]
                    sentences.append(pool[int(rng.integers(len(pool)))])
                    truth.add(theme)
                elif theme not in present and rng.random() < 0.25:
                    pool = texts.THEME_NEGATED[theme]
                    sentences.append(pool[int(rng.integers(len(pool)))])
            if not sentences:
                pool = texts.SLOT_NEUTRAL[slot]
                sentences.append(pool[int(rng.integers(len(pool)))])
            if rng.random() < 0.25:
                sentences.append(texts.FILLERS[int(rng.integers(len(texts.FILLERS)))])
            sentences = [sentences[j] for j in rng.permutation(len(sentences))]
            if slot == "tugas" and rng.random() < 0.5:
                sentences.insert(0, f"Saya {who['plain_name']}, sudah "
                                    f"{int(rng.integers(2, 20))} tahun bertugas di sini.")
                pii["nama"] += 1
            if slot == "dukungan" and rng.random() < 0.4:
                boss = roster.iloc[int(rng.integers(len(roster)))]
                sentences.append(f"Kalau perlu konfirmasi, bisa ke "
                                 f"{'Bu' if boss['female'] else 'Pak'} {boss['plain_name']}, "
                                 f"atasan langsung saya.")
                pii["nama"] += 1
            question = questions[int(rng.integers(len(questions)))].replace("Bapak/Ibu", honor)
            if k == 0:
                question = f"{opening} {question}"
            lines += [f"P: {question}", "", f"I: {' '.join(sentences)}", ""]
            segments.append(truth)
        closing = ["Cukup, Mas. Semoga pelatihannya terus diadakan."]
        if rng.random() < 0.35:
            closing.append(f"Kalau ada yang perlu ditanyakan lagi, hubungi saya di "
                           f"{_phone_text(who['no_hp'], int(rng.integers(3)))}.")
            pii["no_hp"] += 1
        if rng.random() < 0.25:
            closing.append(f"Materi tambahan bisa dikirim ke "
                           f"{_email(who['plain_name'], int(rng.integers(2)))}.")
            pii["email"] += 1
        if rng.random() < 0.12:
            closing.append(f"NIP saya {nip_spaced(np.array([who['nip']]))[0]}, kalau perlu "
                           f"untuk data.")
            pii["nip"] += 1
        lines += [f"P: Ada yang ingin {honor} tambahkan?", "", f"I: {' '.join(closing)}", "",
                  f"P: {texts.CLOSINGS[int(rng.integers(len(texts.CLOSINGS)))]}", ""]
        segments.append(set())
        (folder / f"{code}.txt").write_text("\n".join(lines), encoding="utf-8", newline="\n")
        if i in coded:
            for s, truth in enumerate(segments, start=1):
                for theme in THEME_KEYS:
                    rows.append((code, s, theme, int(theme in truth)))
    coding = pd.DataFrame(rows, columns=["Kode Informan", "Segmen", "Tema", "true"])
    present = coding["true"].to_numpy() == 1
    for j, name in enumerate(("Koder 1", "Koder 2")):
        flip = rng.random(len(coding)) < np.where(present, CODER_MISS[j], CODER_FALSE[j])
        coding[name] = np.where(flip, 1 - coding["true"], coding["true"])
    info = {"pii": pii, "n_interviews": len(people), "n_coded": coded_n,
            "theme_segments_present": int(present.sum()),
            "coder_agreement": round(float((coding["Koder 1"] == coding["Koder 2"]).mean()), 6)
            if len(coding) else None}
    return coding, info
