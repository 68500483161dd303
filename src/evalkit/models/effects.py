"""The comparison of notebook 04: naive contrasts, TWFE and staggered DiD side by side, in
the long ``effects`` table of the data contract, plus the simulated city's truth.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> units = pd.DataFrame({"unit": range(30), "cohort": rng.choice([0, 4, 6], 30)})
>>> panel = units.merge(pd.DataFrame({"t": range(1, 9)}), how="cross")
>>> treated = (panel["cohort"] > 0) & (panel["t"] >= panel["cohort"])
>>> panel["ikm"] = 80 + rng.normal(size=len(panel)) + 2.0 * treated
>>> table = compare_estimators(panel, ["ikm"])
>>> table.loc[table["estimand"] == "ATT", "method"].tolist()[2:]
['TWFE (roll-out dummy)', "Callaway-Sant'Anna"]
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from evalkit.models.did import DidDataWarning, staggered_did
from evalkit.models.ols import fit_ols
from evalkit.models.panel import event_study, twfe

#: Columns of the ``effects`` table (docs/data-contract.md).
EFFECTS_COLUMNS = ["outcome", "method", "estimand", "estimate", "se", "ci_low", "ci_high",
                   "truth"]

#: Method labels, in the order the notebook presents them.
METHODS = ("naive before/after", "naive trained vs untrained", "TWFE (roll-out dummy)",
           "Callaway-Sant'Anna")


def _row(outcome: str, method: str, estimand: str, estimate: float, se: float,
         alpha: float = 0.05) -> dict:
    z = stats.norm.ppf(1 - alpha / 2)
    return {"outcome": outcome, "method": method, "estimand": estimand,
            "estimate": float(estimate), "se": float(se),
            "ci_low": float(estimate - z * se), "ci_high": float(estimate + z * se)}


def rollout_indicator(panel: pd.DataFrame, time: str = "t", cohort: str = "cohort") -> pd.Series:
    """1.0 for unit-periods at or after the unit's roll-out (``cohort`` > 0), else 0.0."""
    return ((panel[cohort] > 0) & (panel[time] >= panel[cohort])).astype(float)


def naive_effects(panel: pd.DataFrame, y: str, unit: str = "unit", time: str = "t",
                  cohort: str = "cohort") -> list[dict]:
    """The two comparisons a report without a design would make, with unit-clustered SEs.

    *before/after*: among reached units, mean after the roll-out minus mean before;
    *trained vs untrained*: mean of reached unit-quarters minus mean of the others.
    Both mix the effect with trends and with who gets trained first.
    """
    frame = panel.assign(__post=rollout_indicator(panel, time, cohort))
    frame = frame[frame[y].notna()]
    reached = frame[frame[cohort] > 0]
    before_after = fit_ols(f"{y} ~ __post", reached, vcov={"CRV1": unit})
    cross = fit_ols(f"{y} ~ __post", frame, vcov={"CRV1": unit})
    return [
        _row(y, METHODS[0], "ATT", before_after.coef()["__post"], before_after.se()["__post"]),
        _row(y, METHODS[1], "ATT", cross.coef()["__post"], cross.se()["__post"]),
    ]


def compare_estimators(panel: pd.DataFrame, outcomes: Sequence[str], unit: str = "unit",
                       time: str = "t", cohort: str = "cohort",
                       control_group: str = "notyettreated",
                       event_window: tuple[int, int] = (-4, 4)) -> pd.DataFrame:
    """Naive contrasts, TWFE, event study and Callaway–Sant'Anna for each outcome.

    Parameters
    ----------
    panel : pandas.DataFrame
        Unit × period panel (``panel_unit_period``).
    outcomes : sequence of str
        Outcome columns.
    unit, time, cohort : str
        Keys and the roll-out cohort (0 = never reached).
    control_group : str
        Comparison units of ``staggered_did``.
    event_window : (int, int)
        Event times estimated by the TWFE event study and reported from the dynamic
        aggregation.

    Returns
    -------
    pandas.DataFrame
        :data:`EFFECTS_COLUMNS` (``truth`` empty; see :func:`attach_truth`). Estimands:
        ``ATT`` (average over reached unit-quarters) and ``ATT e=k`` (k quarters after the
        roll-out; negative k are placebo pre-periods).

    Examples
    --------
    See the module docstring.
    """
    rows: list[dict] = []
    frame = panel.assign(__post=rollout_indicator(panel, time, cohort))
    for y in outcomes:
        data = frame[frame[y].notna()]
        rows += naive_effects(data, y, unit, time, cohort)
        fit = twfe(data, y, "__post", unit, time)
        rows.append(_row(y, METHODS[2], "ATT", fit.coef()["__post"], fit.se()["__post"]))
        with warnings.catch_warnings():
            # Units with a quarter missing are left out; the count is in the notebook.
            warnings.simplefilter("ignore", DidDataWarning)
            cs = staggered_did(data, y, unit, time, cohort, control_group=control_group)
        simple = cs.aggregate("simple").iloc[0]
        rows.append(_row(y, METHODS[3], "ATT", simple["estimate"], simple["se"]))
        es = event_study(data, y, unit, time, cohort, window=event_window).tidy()
        for rec in es[es["se"] > 0].itertuples():
            rows.append(_row(y, "TWFE event study", f"ATT e={rec.event_time}", rec.estimate,
                             rec.se))
        dyn = cs.aggregate("dynamic")
        dyn = dyn[dyn["event_time"].between(*event_window)]
        for rec in dyn.itertuples():
            rows.append(_row(y, METHODS[3], f"ATT e={rec.event_time}", rec.estimate, rec.se))
    table = pd.DataFrame(rows)
    table["truth"] = np.nan
    return table[EFFECTS_COLUMNS]


def unit_subgroup_effects(panel: pd.DataFrame, y: str, groups: Mapping[str, Sequence[str]],
                          unit: str = "unit", time: str = "t", cohort: str = "cohort",
                          control_group: str = "notyettreated") -> pd.DataFrame:
    """Callaway–Sant'Anna ATT for subgroups of reached units (never-reached units as controls).

    Parameters
    ----------
    groups : mapping of label → unit names
        Reached units of each subgroup (e.g. ``{"difficulty_high": [...], ...}``).

    Returns
    -------
    pandas.DataFrame
        Effects rows with estimand ``"ATT <label>"`` and method ``"Callaway-Sant'Anna"``.
    """
    rows = []
    never = panel.loc[panel[cohort] == 0, unit].unique()
    for label, members in groups.items():
        keep = panel[unit].isin(set(members) | set(never)) & panel[y].notna()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DidDataWarning)
            cs = staggered_did(panel[keep], y, unit, time, cohort, control_group=control_group)
        simple = cs.aggregate("simple").iloc[0]
        rows.append(_row(y, METHODS[3], f"ATT {label}", simple["estimate"], simple["se"]))
    table = pd.DataFrame(rows)
    table["truth"] = np.nan
    return table[EFFECTS_COLUMNS]


def truth_effects(truth: Mapping) -> pd.DataFrame:
    """The simulated city's true effects (``truth.json``) as ``outcome``, ``estimand``,
    ``truth`` rows matching the estimands of :func:`compare_estimators`.

    Examples
    --------
    >>> t = {"att": {"ikm": {"overall": 2.5, "by_event_time": {"0": 1.0}}}}
    >>> truth_effects(t)["estimand"].tolist()
    ['ATT', 'ATT e=0']
    """
    rows = []
    for outcome, att in truth.get("att", {}).items():
        rows.append({"outcome": outcome, "estimand": "ATT", "truth": att["overall"]})
        for e, value in att.get("by_event_time", {}).items():
            rows.append({"outcome": outcome, "estimand": f"ATT e={int(e)}", "truth": value})
        # Before the roll-out the true effect is zero by construction (no anticipation).
    for outcome, groups in truth.get("heterogeneity", {}).items():
        for label, value in groups.items():
            rows.append({"outcome": outcome, "estimand": f"ATT {label}", "truth": value})
    individual = truth.get("individual_effects", {})
    if "l3_application" in individual:
        rows.append({"outcome": "l3_application", "estimand": "ATT",
                     "truth": individual["l3_application"]["att"]})
    return pd.DataFrame(rows, columns=["outcome", "estimand", "truth"])


def attach_truth(effects: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """Fill ``truth`` of ``effects`` from :func:`truth_effects` (placebo e < 0 get 0)."""
    out = effects.drop(columns="truth").merge(truth, on=["outcome", "estimand"], how="left")
    placebo = out["estimand"].str.match(r"^ATT e=-\d+$")
    known = out["outcome"].isin(truth["outcome"])
    out.loc[placebo & known, "truth"] = 0.0
    return out[EFFECTS_COLUMNS]


#: Codes of the SKP predikat, lowest first (PermenPANRB 6/2022).
PREDIKAT_ORDER = ["Sangat Kurang", "Kurang/Misconduct", "Butuh Perbaikan", "Baik",
                  "Sangat Baik"]
PENDIDIKAN_ORDER = {"SMA": 1, "D3": 2, "D4/S1": 3, "S2": 4, "S3": 5}

#: Person covariates used by the individual-level propensity models (pre-treatment).
PERSON_COVARIATES = ["umur", "masa_kerja", "pendidikan_level", "perempuan", "pppk",
                     "fungsional", "struktural"]


def person_covariates(pegawai: pd.DataFrame, year: pd.Series | int) -> pd.DataFrame:
    """Numeric covariates of each ASN (``pid`` kept) for the propensity models.

    ``umur`` and ``masa_kerja`` are counted at ``year`` (a column aligned with ``pegawai``
    or one year for all).
    """
    out = pd.DataFrame({"pid": pegawai["pid"]})
    out["umur"] = (year - pegawai["tahun_lahir"]).astype("Float64").astype(float)
    out["masa_kerja"] = (year - pegawai["tahun_pengangkatan"]).astype("Float64").astype(float)
    out["pendidikan_level"] = pegawai["pendidikan"].map(PENDIDIKAN_ORDER).astype(float)
    out["perempuan"] = (pegawai["jenis_kelamin"] == "P").astype(float)
    out["pppk"] = (pegawai["jenis_asn"] == "PPPK").astype(float)
    out["fungsional"] = (pegawai["jenis_jabatan"] == "Fungsional").astype(float)
    out["struktural"] = (pegawai["jenis_jabatan"] == "Struktural").astype(float)
    return out


def _first_completion(pelatihan: pd.DataFrame, course: str) -> pd.Series:
    done = pelatihan[pelatihan["nama_pelatihan"] == course]
    return done.groupby("pid")["tanggal_selesai"].min()


def skp_training_sample(skp: pd.DataFrame, pelatihan: pd.DataFrame, pegawai: pd.DataFrame,
                        course: str = "Pelatihan Pelayanan Prima") -> pd.DataFrame:
    """Person-years at risk of completing ``course``, with last year's SKP as a covariate.

    One row per ASN and year (from the second SKP year on) for staff who had not completed
    the course before that year: ``treat`` = 1 if they completed it during the year. The
    outcome ``predikat`` (ordered) and ``predikat_skor`` (1–5) are this year's; the
    previous year's score ``predikat_lalu`` proxies for motivation and ability, which also
    drive who volunteers for training. Rows without last year's SKP or without a roster
    entry are left out (their number is ``attrs["dropped"]``).
    """
    first = _first_completion(pelatihan, course)
    frame = skp[["pid", "unit", "tahun", "predikat"]].copy()
    frame["tahun"] = frame["tahun"].astype(int)
    frame["predikat"] = pd.Categorical(frame["predikat"].astype(str),
                                       categories=PREDIKAT_ORDER, ordered=True)
    frame["predikat_skor"] = frame["predikat"].cat.codes.astype(float) + 1
    previous = frame[["pid", "tahun", "predikat_skor"]].rename(
        columns={"predikat_skor": "predikat_lalu"}).assign(tahun=lambda d: d["tahun"] + 1)
    frame = frame.merge(previous, on=["pid", "tahun"], how="left")
    done = frame["pid"].map(first)
    start = pd.to_datetime(frame["tahun"].astype(str) + "-01-01")
    end = pd.to_datetime(frame["tahun"].astype(str) + "-12-31")
    at_risk = done.isna() | (done >= start)
    frame["treat"] = (done.notna() & (done >= start) & (done <= end)).astype(float)
    frame = frame[at_risk]
    covs = person_covariates(pegawai.drop_duplicates("pid"), 0)
    frame = frame.merge(pegawai[["pid", "tahun_lahir", "tahun_pengangkatan"]]
                        .drop_duplicates("pid"), on="pid", how="left")
    frame = frame.merge(covs.drop(columns=["umur", "masa_kerja"]), on="pid", how="left")
    frame["umur"] = (frame["tahun"] - frame["tahun_lahir"]).astype("Float64").astype(float)
    frame["masa_kerja"] = (frame["tahun"] - frame["tahun_pengangkatan"]).astype(
        "Float64").astype(float)
    needed = ["predikat_lalu", *PERSON_COVARIATES]
    complete = frame[needed].notna().all(axis=1)
    out = frame.loc[complete, ["pid", "unit", "tahun", "treat", "predikat", "predikat_skor",
                               *needed]].reset_index(drop=True)
    out.attrs["dropped"] = int((~complete).sum())
    return out


def l3_training_sample(evaluasi: pd.DataFrame, pegawai: pd.DataFrame,
                       course: str = "Pelatihan Pelayanan Prima") -> pd.DataFrame:
    """Level-3 evaluations: alumni of ``course`` (``treat`` 1) against alumni of other courses.

    The outcome ``l3_score`` is the mean of the supervisor's and the colleague's application
    scores (the alumnus' self-rating is left out: self-ratings run high). Covariates are
    the alumnus' characteristics in the evaluation year; rows without a roster entry are
    left out (``attrs["dropped"]``).
    """
    frame = evaluasi[["pid", "unit", "nama_pelatihan", "tanggal_evaluasi", "skor_atasan",
                      "skor_rekan", "kesulitan_penerapan"]].copy()
    frame["treat"] = (frame["nama_pelatihan"] == course).astype(float)
    frame["l3_score"] = frame[["skor_atasan", "skor_rekan"]].astype(float).mean(axis=1)
    frame["tahun"] = frame["tanggal_evaluasi"].dt.year
    roster = pegawai.drop_duplicates("pid")
    frame = frame.merge(roster[["pid", "tahun_lahir", "tahun_pengangkatan"]], on="pid",
                        how="left")
    frame = frame.merge(person_covariates(roster, 0).drop(columns=["umur", "masa_kerja"]),
                        on="pid", how="left")
    frame["umur"] = (frame["tahun"] - frame["tahun_lahir"]).astype("Float64").astype(float)
    frame["masa_kerja"] = (frame["tahun"] - frame["tahun_pengangkatan"]).astype(
        "Float64").astype(float)
    frame["kesulitan_penerapan"] = frame["kesulitan_penerapan"].astype("boolean")
    complete = frame[["l3_score", *PERSON_COVARIATES]].notna().all(axis=1)
    out = frame.loc[complete, ["pid", "unit", "tahun", "nama_pelatihan", "treat", "l3_score",
                               "kesulitan_penerapan", *PERSON_COVARIATES]]
    out = out.reset_index(drop=True)
    out.attrs["dropped"] = int((~complete).sum())
    return out


__all__ = ["EFFECTS_COLUMNS", "METHODS", "PERSON_COVARIATES", "PREDIKAT_ORDER",
           "attach_truth", "compare_estimators", "l3_training_sample", "naive_effects",
           "person_covariates", "rollout_indicator", "skp_training_sample", "truth_effects",
           "unit_subgroup_effects"]
