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
#: Education levels accepted by ``read_pegawai`` (evalkit.ingest.readers), lowest first,
#: as an ordinal index.
PENDIDIKAN_ORDER = {"SD": 1, "SMP": 2, "SMA": 3, "D1": 4, "D2": 5, "D3": 6, "D4/S1": 7,
                    "S2": 8, "S3": 9}

#: Person covariates used by the individual-level propensity models (pre-treatment). Staff
#: whose education is not recorded keep their row: ``pendidikan_level`` 0 and the indicator
#: ``pendidikan_tidak_diketahui`` 1 (the indicator's coefficient absorbs the placeholder).
PERSON_COVARIATES = ["umur", "masa_kerja", "pendidikan_level", "pendidikan_tidak_diketahui",
                     "perempuan", "pppk", "fungsional", "struktural"]

#: Why rows of the SKP sample are left out, in the order they are checked (first one wins).
SKP_DROP_REASONS = ("first SKP year in the data (no earlier rating)",
                    "no SKP the year before", "predikat missing", "not in the roster",
                    "birth or appointment year missing")
#: Why rows of the level-3 sample are left out, in the order they are checked.
L3_DROP_REASONS = ("no supervisor or colleague score", "not in the roster",
                   "birth or appointment year missing")


def person_covariates(pegawai: pd.DataFrame, year: pd.Series | int) -> pd.DataFrame:
    """Numeric covariates of each ASN (``pid`` kept) for the propensity models.

    ``umur`` and ``masa_kerja`` are counted at ``year`` (a column aligned with ``pegawai``
    or one year for all). ``pendidikan`` is mapped by :data:`PENDIDIKAN_ORDER`; a missing
    or unknown value gives level 0 and ``pendidikan_tidak_diketahui`` 1 instead of a
    missing covariate, so the person is not dropped.

    Examples
    --------
    >>> p = pd.DataFrame({"pid": ["a", "b"], "tahun_lahir": [1980, 1990],
    ...                   "tahun_pengangkatan": [2005, 2015], "pendidikan": ["SMP", None],
    ...                   "jenis_kelamin": "P", "jenis_asn": "PNS", "jenis_jabatan": "Pelaksana"})
    >>> person_covariates(p, 2024)[["pendidikan_level", "pendidikan_tidak_diketahui"]].values.tolist()
    [[2.0, 0.0], [0.0, 1.0]]
    """
    out = pd.DataFrame({"pid": pegawai["pid"]})
    out["umur"] = (year - pegawai["tahun_lahir"]).astype("Float64").astype(float)
    out["masa_kerja"] = (year - pegawai["tahun_pengangkatan"]).astype("Float64").astype(float)
    level = pegawai["pendidikan"].map(PENDIDIKAN_ORDER).astype(float)
    out["pendidikan_level"] = level.fillna(0.0)
    out["pendidikan_tidak_diketahui"] = level.isna().astype(float)
    out["perempuan"] = (pegawai["jenis_kelamin"] == "P").astype(float)
    out["pppk"] = (pegawai["jenis_asn"] == "PPPK").astype(float)
    out["fungsional"] = (pegawai["jenis_jabatan"] == "Fungsional").astype(float)
    out["struktural"] = (pegawai["jenis_jabatan"] == "Struktural").astype(float)
    return out


def _first_completion(pelatihan: pd.DataFrame, course: str) -> pd.Series:
    done = pelatihan[pelatihan["nama_pelatihan"] == course]
    return done.groupby("pid")["tanggal_selesai"].min()


def _drop_reason(conditions: Sequence[pd.Series], reasons: Sequence[str]) -> pd.Series:
    """The first reason whose condition holds for each row (missing where none holds)."""
    reason = np.select([np.asarray(c, dtype=bool) for c in conditions], list(reasons),
                       default="")
    return pd.Series(reason, index=conditions[0].index).replace("", np.nan)


def _attach_drops(out: pd.DataFrame, reason: pd.Series, reasons: Sequence[str]) -> None:
    counts = reason.value_counts()
    out.attrs["dropped_by_reason"] = {r: int(counts.get(r, 0)) for r in reasons}
    out.attrs["dropped"] = int(reason.notna().sum())


def _with_roster(frame: pd.DataFrame, pegawai: pd.DataFrame) -> pd.DataFrame:
    """Person covariates at the row's ``tahun`` and ``__in_roster`` (merge indicator)."""
    roster = pegawai.drop_duplicates("pid")
    covs = person_covariates(roster, 0).drop(columns=["umur", "masa_kerja"])
    covs = covs.merge(roster[["pid", "tahun_lahir", "tahun_pengangkatan"]], on="pid")
    frame = frame.merge(covs.assign(__in_roster=True), on="pid", how="left")
    frame["__in_roster"] = frame["__in_roster"].fillna(False).astype(bool)
    frame["umur"] = (frame["tahun"] - frame["tahun_lahir"]).astype("Float64").astype(float)
    frame["masa_kerja"] = (frame["tahun"] - frame["tahun_pengangkatan"]).astype(
        "Float64").astype(float)
    return frame


def skp_training_sample(skp: pd.DataFrame, pelatihan: pd.DataFrame, pegawai: pd.DataFrame,
                        course: str = "Pelatihan Pelayanan Prima") -> pd.DataFrame:
    """Person-years at risk of completing ``course``, with last year's SKP as a covariate.

    One row per ASN and year (from the second SKP year on) for staff who had not completed
    the course before that year: ``treat`` = 1 if they completed it during the year. The
    outcome ``predikat`` (ordered) and ``predikat_skor`` (1–5) are this year's, with
    ``baik_atau_lebih`` (1 if Baik or Sangat Baik); the previous year's score
    ``predikat_lalu`` proxies for motivation and ability, which also drive who volunteers
    for training. ``unit_tahun`` keys the unit-year within which grades are curve-ranked.

    Rows that cannot be used are left out with a reason (:data:`SKP_DROP_REASONS`):
    ``attrs["dropped"]`` is their number and ``attrs["dropped_by_reason"]`` the count by
    reason (see :func:`dropped_table`). Staff already trained before the year are not at
    risk and are not counted as dropped.

    Examples
    --------
    See ``tests/test_models_effects.py``.
    """
    first = _first_completion(pelatihan, course)
    frame = skp[["pid", "unit", "tahun", "predikat"]].copy()
    frame["tahun"] = frame["tahun"].astype(int)
    frame["predikat"] = pd.Categorical(frame["predikat"].astype(str),
                                       categories=PREDIKAT_ORDER, ordered=True)
    codes = frame["predikat"].cat.codes.astype(float)
    frame["predikat_skor"] = codes.where(codes >= 0) + 1  # code -1 = missing, not grade 0
    frame["baik_atau_lebih"] = (frame["predikat_skor"] >= 4).astype(float).where(
        frame["predikat_skor"].notna())
    previous = frame[["pid", "tahun", "predikat_skor"]].rename(
        columns={"predikat_skor": "predikat_lalu"}).assign(tahun=lambda d: d["tahun"] + 1)
    frame = frame.merge(previous, on=["pid", "tahun"], how="left")
    done = frame["pid"].map(first)
    start = pd.to_datetime(frame["tahun"].astype(str) + "-01-01")
    end = pd.to_datetime(frame["tahun"].astype(str) + "-12-31")
    at_risk = done.isna() | (done >= start)
    frame["treat"] = (done.notna() & (done >= start) & (done <= end)).astype(float)
    frame = _with_roster(frame[at_risk], pegawai)
    frame["unit_tahun"] = frame["unit"].astype(str) + " " + frame["tahun"].astype(str)
    reason = _drop_reason([
        frame["tahun"] == frame["tahun"].min(),
        frame["predikat_lalu"].isna(),
        frame["predikat_skor"].isna(),
        ~frame["__in_roster"],
        frame[["umur", "masa_kerja"]].isna().any(axis=1),
    ], SKP_DROP_REASONS)
    keep = reason.isna()
    out = frame.loc[keep, ["pid", "unit", "tahun", "unit_tahun", "treat", "predikat",
                           "predikat_skor", "baik_atau_lebih", "predikat_lalu",
                           *PERSON_COVARIATES]].reset_index(drop=True)
    _attach_drops(out, reason, SKP_DROP_REASONS)
    return out


def l3_training_sample(evaluasi: pd.DataFrame, pegawai: pd.DataFrame,
                       course: str = "Pelatihan Pelayanan Prima") -> pd.DataFrame:
    """Level-3 evaluations: alumni of ``course`` (``treat`` 1) against alumni of other courses.

    The outcome ``l3_score`` is the mean of the supervisor's and the colleague's application
    scores (the alumnus' self-rating is left out: self-ratings run high). Covariates are
    the alumnus' characteristics in the evaluation year. Rows that cannot be used are left
    out with a reason (:data:`L3_DROP_REASONS`; ``attrs["dropped"]`` and
    ``attrs["dropped_by_reason"]``, see :func:`dropped_table`).

    Examples
    --------
    See ``tests/test_models_effects.py``.
    """
    frame = evaluasi[["pid", "unit", "nama_pelatihan", "tanggal_evaluasi", "skor_atasan",
                      "skor_rekan", "kesulitan_penerapan"]].copy()
    frame["treat"] = (frame["nama_pelatihan"] == course).astype(float)
    frame["l3_score"] = frame[["skor_atasan", "skor_rekan"]].astype(float).mean(axis=1)
    frame["tahun"] = frame["tanggal_evaluasi"].dt.year
    frame = _with_roster(frame, pegawai)
    frame["kesulitan_penerapan"] = frame["kesulitan_penerapan"].astype("boolean")
    reason = _drop_reason([
        frame["l3_score"].isna(),
        ~frame["__in_roster"],
        frame[["umur", "masa_kerja"]].isna().any(axis=1),
    ], L3_DROP_REASONS)
    keep = reason.isna()
    out = frame.loc[keep, ["pid", "unit", "tahun", "nama_pelatihan", "treat", "l3_score",
                           "kesulitan_penerapan", *PERSON_COVARIATES]]
    out = out.reset_index(drop=True)
    _attach_drops(out, reason, L3_DROP_REASONS)
    return out


def dropped_table(samples: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows left out of each sample, by reason (from ``attrs["dropped_by_reason"]``).

    Parameters
    ----------
    samples : mapping of label → sample
        Frames from :func:`skp_training_sample` / :func:`l3_training_sample`.

    Returns
    -------
    pandas.DataFrame
        ``sample``, ``reason``, ``rows`` (every reason listed, zeros included), then one
        ``total left out`` row and one ``kept`` row per sample.

    Examples
    --------
    >>> s = pd.DataFrame({"x": [1, 2]})
    >>> s.attrs["dropped_by_reason"] = {"no score": 3, "not in the roster": 0}
    >>> dropped_table({"L3": s})["rows"].tolist()
    [3, 0, 3, 2]
    """
    rows = []
    for label, sample in samples.items():
        by_reason = sample.attrs.get("dropped_by_reason", {})
        rows += [{"sample": label, "reason": r, "rows": int(n)} for r, n in by_reason.items()]
        rows.append({"sample": label, "reason": "total left out",
                     "rows": int(sum(by_reason.values()))})
        rows.append({"sample": label, "reason": "kept", "rows": len(sample)})
    return pd.DataFrame(rows, columns=["sample", "reason", "rows"])


def varying_columns(data: pd.DataFrame, columns: Sequence[str]) -> list[str]:
    """The ``columns`` that take more than one value in ``data`` (order kept).

    A constant covariate (e.g. the missing-education indicator when every education is
    recorded) would make the logit and ordered-logit designs singular.

    Examples
    --------
    >>> varying_columns(pd.DataFrame({"a": [1, 2], "b": [0, 0]}), ["a", "b"])
    ['a']
    """
    return [c for c in columns if data[c].nunique(dropna=True) > 1]


def cells_with_both_groups(sample: pd.DataFrame, cell: str = "unit_tahun",
                           treat: str = "treat") -> pd.DataFrame:
    """Rows of the cells (e.g. unit-years) that hold both treated and untrained rows.

    With cell dummies in a propensity model, a cell without any treated row has a score of
    0 (perfect separation) and adds nothing to an effect on the treated; a cell without
    controls has no comparison. Comparing within cells is exact matching on the cell.
    ``attrs["cells_left_out"]`` and ``attrs["rows_left_out"]`` count what was removed.

    Examples
    --------
    >>> s = pd.DataFrame({"unit_tahun": ["A", "A", "B"], "treat": [1.0, 0, 0]})
    >>> cells_with_both_groups(s)["unit_tahun"].tolist()
    ['A', 'A']
    """
    share = sample.groupby(cell)[treat].transform("mean")
    keep = (share > 0) & (share < 1)
    out = sample[keep].copy()
    out.attrs["cells_left_out"] = int(sample.loc[~keep, cell].nunique())
    out.attrs["rows_left_out"] = int((~keep).sum())
    return out


# --- the unit subgroups of notebook 04 (also used by notebook 05 via evalkit.interviews) ---

def median_split(panel: pd.DataFrame, column: str, labels: tuple[str, str],
                 unit: str = "unit", time: str = "t", cohort: str = "cohort"
                 ) -> dict[str, list[str]]:
    """Reached units split at the median of ``column`` in each unit's last quarter.

    Each unit reached by the roll-out (``cohort`` > 0) is classed by its value in its last
    quarter: at or above the median of reached units → ``labels[0]``, below (or missing)
    → ``labels[1]``. Never-reached units are in neither group (they are the controls).

    Parameters
    ----------
    panel : pandas.DataFrame
        ``panel_unit_period`` (``unit``, ``t``, ``cohort``, ``column``).
    column : str
        The unit characteristic, e.g. ``"share_mentored"``.
    labels : (str, str)
        Names of the high and the low group.

    Returns
    -------
    dict
        ``{labels[0]: [units], labels[1]: [units]}``, units sorted.

    Examples
    --------
    >>> p = pd.DataFrame({"unit": list("ABCD"), "t": 4, "cohort": [2, 3, 3, 0],
    ...                   "x": [0.1, 0.4, 0.3, 0.9]})
    >>> median_split(p, "x", ("high", "low"))
    {'high': ['B', 'C'], 'low': ['A']}
    """
    last = panel.sort_values([unit, time]).groupby(unit).tail(1)
    reached = last[last[cohort].gt(0)]
    high = (reached[column] >= reached[column].median()).to_numpy(dtype=bool)
    return {labels[0]: sorted(reached.loc[high, unit]),
            labels[1]: sorted(reached.loc[~high, unit])}


def difficulty_groups(panel: pd.DataFrame, column: str = "share_difficulty"
                      ) -> dict[str, list[str]]:
    """Reached units split at the median of their questionnaire difficulty.

    The single definition of the difficulty subgroups: each reached unit (``cohort`` > 0)
    is classed by its last quarter's ``share_difficulty`` (level-3 questionnaires reporting
    difficulty applying the course): at or above the median of reached units →
    ``difficulty_high``, below → ``difficulty_low``. Notebook 04 estimates their effects
    (estimands ``ATT difficulty_high`` / ``ATT difficulty_low`` in ``effects``); notebook 05
    pools its interviews by the same groups.

    Examples
    --------
    >>> p = pd.DataFrame({"unit": list("ABCD"), "t": 4, "cohort": [2, 3, 3, 0],
    ...                   "share_difficulty": [0.1, 0.4, 0.3, 0.9]})
    >>> difficulty_groups(p)
    {'difficulty_high': ['B', 'C'], 'difficulty_low': ['A']}
    """
    return median_split(panel, column, ("difficulty_high", "difficulty_low"))


def mentoring_groups(panel: pd.DataFrame, column: str = "share_mentored"
                     ) -> dict[str, list[str]]:
    """Reached units split at the median share of staff mentored (last quarter).

    Examples
    --------
    >>> p = pd.DataFrame({"unit": list("ABC"), "t": 4, "cohort": [2, 3, 3],
    ...                   "share_mentored": [0.0, 0.5, 0.2]})
    >>> mentoring_groups(p)
    {'mentoring_with': ['B', 'C'], 'mentoring_without': ['A']}
    """
    return median_split(panel, column, ("mentoring_with", "mentoring_without"))


def subgroup_units(panel: pd.DataFrame) -> dict[str, list[str]]:
    """The four subgroups of notebook 04 in one mapping (difficulty, then mentoring).

    See :func:`difficulty_groups` and :func:`mentoring_groups`.

    Examples
    --------
    >>> p = pd.DataFrame({"unit": list("AB"), "t": 1, "cohort": [1, 1],
    ...                   "share_difficulty": [0.1, 0.4], "share_mentored": [0.3, 0.0]})
    >>> subgroup_units(p)["mentoring_with"]
    ['A']
    """
    return {**difficulty_groups(panel), **mentoring_groups(panel)}


def heterogeneity_table(effects: pd.DataFrame, groups: Mapping[str, Sequence[str]],
                        truth: Mapping | None = None) -> pd.DataFrame:
    """Subgroup effects (:func:`unit_subgroup_effects`) with each subgroup's number of units.

    Parameters
    ----------
    effects : pandas.DataFrame
        Rows with estimands ``"ATT <label>"``.
    groups : mapping of label → unit names
        The subgroups the effects were estimated on.
    truth : dict, optional
        ``truth.json`` of simulated data; adds the ``truth`` column.

    Returns
    -------
    pandas.DataFrame
        ``outcome``, ``estimand``, ``units``, ``estimate``, ``se``, ``ci_low``, ``ci_high``
        (+ ``truth`` when ``truth`` is given).

    Examples
    --------
    >>> e = pd.DataFrame({"outcome": "ikm", "method": "m", "estimand": ["ATT a", "ATT b"],
    ...                   "estimate": [1.0, 2.0], "se": 0.5, "ci_low": 0.0, "ci_high": 3.0,
    ...                   "truth": np.nan})
    >>> heterogeneity_table(e, {"a": ["U1", "U2"], "b": ["U3"]})["units"].tolist()
    [2, 1]
    """
    table = attach_truth(effects, truth_effects(truth)) if truth is not None else effects
    sizes = {label: len(members) for label, members in groups.items()}
    table = table.assign(units=table["estimand"].str.removeprefix("ATT ").map(sizes))
    columns = ["outcome", "estimand", "units", "estimate", "se", "ci_low", "ci_high"]
    return table[columns + (["truth"] if truth is not None else [])].reset_index(drop=True)


# --- presentation tables of notebook 04 ---

def rollout_table(panel: pd.DataFrame, unit: str = "unit", time: str = "t",
                  cohort: str = "cohort", period: str = "period") -> pd.DataFrame:
    """Number of units per roll-out cohort and the quarter each cohort was reached in.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``cohort``: ``units`` and ``reached_in`` (the period label of ``t`` =
        cohort, ``"never reached"`` for cohort 0).

    Examples
    --------
    >>> p = pd.DataFrame({"unit": list("AABB"), "t": [1, 2, 1, 2],
    ...                   "period": ["2024Q1", "2024Q2"] * 2, "cohort": [2, 2, 0, 0]})
    >>> rollout_table(p)["reached_in"].tolist()
    ['never reached', '2024Q2']
    """
    units = panel.groupby(unit)[cohort].first()
    table = units.value_counts().sort_index().rename("units").to_frame()
    table.index.name = cohort
    period_of_t = panel.drop_duplicates(time).set_index(time)[period]
    table["reached_in"] = table.index.map(period_of_t).fillna("never reached")
    return table


def estimates_by_method(effects: pd.DataFrame, outcomes: Sequence[str],
                        methods: Sequence[str] = METHODS, with_ci: bool = False,
                        estimand: str = "ATT", digits: int = 3) -> pd.DataFrame:
    """Outcome × method table of one estimand, rounded; optionally ``"est [low, high]"``.

    Examples
    --------
    >>> e = pd.DataFrame({"outcome": "y", "method": ["a", "b"], "estimand": "ATT",
    ...                   "estimate": [1.23456, 2.0], "se": 0.1, "ci_low": [1.0, 1.5],
    ...                   "ci_high": [1.5, 2.5], "truth": np.nan})
    >>> estimates_by_method(e, ["y"], ["b", "a"], with_ci=True).loc["y"].tolist()
    ['2.0 [1.5, 2.5]', '1.235 [1.0, 1.5]']
    """
    rows = effects[(effects["estimand"] == estimand) & effects["method"].isin(methods)]
    if with_ci:
        text = {c: rows[c].round(digits).astype(str) for c in ("estimate", "ci_low", "ci_high")}
        rows = rows.assign(value=text["estimate"] + " [" + text["ci_low"] + ", "
                           + text["ci_high"] + "]")
    else:
        rows = rows.assign(value=rows["estimate"].round(digits))
    table = rows.pivot(index="outcome", columns="method", values="value")
    return table.loc[list(outcomes), [m for m in methods if m in table.columns]]


def true_event_path(truth: Mapping | None, outcome: str) -> dict[int, float]:
    """The true effect by event time of ``outcome`` from ``truth.json`` ({} without truth).

    Examples
    --------
    >>> true_event_path({"att": {"ikm": {"by_event_time": {"0": 1.0, "1": 2.0}}}}, "ikm")
    {0: 1.0, 1: 2.0}
    """
    if truth is None:
        return {}
    path = truth.get("att", {}).get(outcome, {}).get("by_event_time", {})
    return {int(e): float(v) for e, v in path.items()}


def event_time_table(dynamic: pd.DataFrame, event_study: pd.DataFrame,
                     truth: Mapping | None = None, outcome: str = "ikm",
                     window: tuple[int, int] = (-4, 4)) -> pd.DataFrame:
    """Callaway–Sant'Anna and TWFE event-study estimates side by side, by event time.

    Parameters
    ----------
    dynamic : pandas.DataFrame
        ``staggered_did(...).aggregate("dynamic")`` (``event_time``, ``estimate``, ``se``).
    event_study : pandas.DataFrame
        ``event_study(...).tidy()`` (same columns).
    truth : dict, optional
        ``truth.json``: adds ``truth`` (0 before the roll-out: no anticipation).
    outcome : str
        Outcome whose true path is shown.
    window : (int, int)
        Event times kept.

    Returns
    -------
    pandas.DataFrame
        ``event_time``, ``estimate_cs``, ``se_cs``, ``estimate_twfe``, ``se_twfe``
        (+ ``truth``), event times present in both.

    Examples
    --------
    >>> cs = pd.DataFrame({"event_time": [-1, 0, 5], "estimate": [0.1, 1.0, 3.0],
    ...                    "se": 0.2})
    >>> es = pd.DataFrame({"event_time": [-1, 0], "estimate": [0.0, 0.8], "se": [0.0, 0.3]})
    >>> t = {"att": {"ikm": {"by_event_time": {"0": 1.1}}}}
    >>> event_time_table(cs, es, t)["truth"].tolist()
    [0.0, 1.1]
    """
    cs = dynamic[dynamic["event_time"].between(*window)]
    table = cs.merge(event_study, on="event_time", suffixes=("_cs", "_twfe"))
    columns = ["event_time", "estimate_cs", "se_cs", "estimate_twfe", "se_twfe"]
    if truth is not None:
        path = true_event_path(truth, outcome)
        table["truth"] = table["event_time"].map(path).fillna(0.0).astype(float)
        columns.append("truth")
    return table[columns].sort_values("event_time").reset_index(drop=True)


def element_effects(panel: pd.DataFrame, elements: Sequence[int] = range(1, 10),
                    alpha: float = 0.05, unit: str = "unit", time: str = "t",
                    cohort: str = "cohort") -> pd.DataFrame:
    """Callaway–Sant'Anna ATT of each SKM element ``nrr_u<k>`` with Holm and BH p-values.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``element`` (``"U1"``…): ``estimate``, ``se``, ``p_value`` (two-sided,
        normal), ``p_holm``, ``p_bh`` and ``significant_holm`` (``p_holm`` < ``alpha``).

    Examples
    --------
    See ``tests/test_models_effects.py``; on the bundled panel::

        element_effects(panel).round(4)
    """
    from evalkit.models.multitest import adjust_pvalues

    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DidDataWarning)
        for k in elements:  # nine separate estimations, not a loop over rows
            y = f"nrr_u{k}"
            agg = staggered_did(panel, y, unit, time, cohort).aggregate("simple")
            rows.append({"element": f"U{k}", "estimate": float(agg["estimate"].iloc[0]),
                         "se": float(agg["se"].iloc[0])})
    table = pd.DataFrame(rows).set_index("element")
    table["p_value"] = 2 * stats.norm.sf(np.abs(table["estimate"] / table["se"]))
    table["p_holm"] = adjust_pvalues(table["p_value"], "holm")["p_adjusted"].to_numpy()
    table["p_bh"] = adjust_pvalues(table["p_value"], "bh")["p_adjusted"].to_numpy()
    table["significant_holm"] = table["p_holm"] < alpha
    return table


def naive_difference(sample: pd.DataFrame, y: str, treat: str = "treat") -> float:
    """Mean of ``y`` among the treated minus among the others (``treat`` 1 / 0).

    Examples
    --------
    >>> naive_difference(pd.DataFrame({"treat": [1.0, 1, 0], "y": [4.0, 2, 1]}), "y")
    2.0
    """
    means = sample.groupby(treat)[y].mean()
    return float(means[1.0] - means[0.0])


def skp_effects_table(sample: pd.DataFrame, ologit_raw, ologit_adj, aipw,
                      aipw_binary=None, y: str = "predikat_skor",
                      binary: str = "baik_atau_lebih", treat: str = "treat") -> pd.DataFrame:
    """The SKP results side by side: ordered logits, naive differences and AIPW.

    The logits are on the log-odds scale (with their odds ratio); the naive difference and
    AIPW on the 1–5 predikat score (which treats the grades as equally spaced) and, with
    ``aipw_binary``, on the share rated Baik or better (no spacing assumed).

    Parameters
    ----------
    sample : pandas.DataFrame
        :func:`skp_training_sample`.
    ologit_raw, ologit_adj
        :func:`~evalkit.models.fit_ordered_logit` results without / with covariates.
    aipw : ATTResult
        :func:`~evalkit.models.att_aipw` on ``y``.
    aipw_binary : ATTResult, optional
        :func:`~evalkit.models.att_aipw` on ``binary``.

    Returns
    -------
    pandas.DataFrame
        ``model``, ``estimate``, ``se``, ``scale``, ``odds_ratio``.

    Examples
    --------
    See ``tests/test_models_effects.py`` (it needs fitted models).
    """
    logodds, score = "log-odds of a higher predikat", "predikat score 1-5"
    share = "share Baik or better"
    rows = [
        {"model": "ordered logit, no covariates (across units)",
         "estimate": ologit_raw.coef()[treat], "se": ologit_raw.se()[treat], "scale": logodds},
        {"model": "ordered logit, covariates (across units)",
         "estimate": ologit_adj.coef()[treat], "se": ologit_adj.se()[treat], "scale": logodds},
        {"model": "naive difference", "estimate": naive_difference(sample, y, treat),
         "se": np.nan, "scale": score},
        {"model": "AIPW, covariates + unit-year", "estimate": aipw.estimate, "se": aipw.se,
         "scale": score},
    ]
    if aipw_binary is not None:
        rows += [
            {"model": "naive difference", "estimate": naive_difference(sample, binary, treat),
             "se": np.nan, "scale": share},
            {"model": "AIPW, covariates + unit-year", "estimate": aipw_binary.estimate,
             "se": aipw_binary.se, "scale": share},
        ]
    table = pd.DataFrame(rows)
    table["odds_ratio"] = np.where(table["scale"] == logodds, np.exp(table["estimate"]),
                                   np.nan)
    return table


def l3_effects_table(sample: pd.DataFrame, ipw, aipw, y: str = "l3_score",
                     treat: str = "treat") -> pd.DataFrame:
    """IPW and AIPW ``tidy()`` rows with the naive difference of means as second column.

    Examples
    --------
    See ``tests/test_models_effects.py`` (it needs fitted models).
    """
    table = pd.concat([ipw.tidy(), aipw.tidy()], ignore_index=True)
    table.insert(1, "naive", naive_difference(sample, y, treat))
    return table


def l3_by_difficulty(sample: pd.DataFrame, y: str = "l3_score") -> pd.DataFrame:
    """Course alumni (``treat`` 1) by reported difficulty: ``count`` and ``mean`` of ``y``.

    Examples
    --------
    >>> s = pd.DataFrame({"treat": [1.0, 1, 1, 0], "l3_score": [4.0, 3, 2, 5],
    ...                   "kesulitan_penerapan": [False, True, True, False]})
    >>> l3_by_difficulty(s)["mean"].tolist()
    [4.0, 2.5]
    """
    alumni = sample[sample["treat"] == 1]
    return alumni.groupby("kesulitan_penerapan")[y].agg(["count", "mean"])


def individual_effects(l3_sample: pd.DataFrame, l3_ipw, l3_aipw, skp_ologit,
                       skp_aipw, skp_aipw_binary=None) -> pd.DataFrame:
    """The individual-level estimates in the long ``effects`` layout (``truth`` empty).

    Level-3 application (``l3_application``): naive difference, IPW, AIPW (estimand
    ``ATT``); SKP (``skp_predikat``): the ordered logit's log-odds and AIPW on the 1–5
    score and, if given, on the share rated Baik or better. Intervals are normal
    (``estimate`` ± z·``se``); the naive row has none.

    Examples
    --------
    See ``tests/test_models_effects.py`` (it needs fitted models).
    """
    naive = naive_difference(l3_sample, "l3_score")
    rows = [
        _row("l3_application", "naive (alumni of other courses)", "ATT", naive, np.nan),
        _row("l3_application", "IPW", "ATT", l3_ipw.estimate, l3_ipw.se),
        _row("l3_application", "AIPW", "ATT", l3_aipw.estimate, l3_aipw.se),
        _row("skp_predikat", "ordered logit (covariates)", "log-odds of a higher predikat",
             skp_ologit.coef()["treat"], skp_ologit.se()["treat"]),
        _row("skp_predikat", "AIPW", "ATT (predikat score 1-5)", skp_aipw.estimate,
             skp_aipw.se),
    ]
    if skp_aipw_binary is not None:
        rows.append(_row("skp_predikat", "AIPW", "ATT (share Baik or better)",
                         skp_aipw_binary.estimate, skp_aipw_binary.se))
    table = pd.DataFrame(rows)
    table["truth"] = np.nan
    return table[EFFECTS_COLUMNS]


def combine_effects(*tables: pd.DataFrame, truth: Mapping | None = None) -> pd.DataFrame:
    """Stack effects tables, attach the simulated truth (if any) and sort them.

    The result is the ``effects`` table of the data contract.

    Examples
    --------
    >>> e = pd.DataFrame({"outcome": ["z", "y"], "method": "m", "estimand": "ATT",
    ...                   "estimate": 1.0, "se": 0.1, "ci_low": 0.8, "ci_high": 1.2,
    ...                   "truth": np.nan})
    >>> combine_effects(e, truth={"att": {"y": {"overall": 2.0}}})["truth"].tolist()
    [2.0, nan]
    """
    table = pd.concat([t[EFFECTS_COLUMNS] for t in tables], ignore_index=True)
    if truth is not None:
        table = attach_truth(table, truth_effects(truth))
    return table.sort_values(["outcome", "method", "estimand"], ignore_index=True)


def truth_comparison(effects: pd.DataFrame) -> pd.DataFrame:
    """Every headline estimate against the truth: ``error`` and whether the CI covers it.

    Keeps the ``ATT`` rows and the SKP rows (whose estimands are on other scales, so their
    truth is unknown); ``covers_truth`` is missing where the truth or the interval is.

    Returns
    -------
    pandas.DataFrame
        ``outcome``, ``method``, ``estimate``, ``ci_low``, ``ci_high``, ``truth``,
        ``error`` (estimate − truth), ``covers_truth`` (nullable boolean).

    Examples
    --------
    >>> e = pd.DataFrame({"outcome": "y", "method": ["a", "b", "c"], "estimand": "ATT",
    ...                   "estimate": [1.0, 3.0, 2.0], "se": [0.5, 0.5, np.nan],
    ...                   "ci_low": [0.0, 2.5, np.nan], "ci_high": [2.0, 3.5, np.nan],
    ...                   "truth": 1.5})
    >>> truth_comparison(e)["covers_truth"].tolist()
    [True, False, <NA>]
    """
    rows = effects[effects["estimand"].eq("ATT") | effects["outcome"].eq("skp_predikat")]
    covers = ((rows["ci_low"] <= rows["truth"]) & (rows["truth"] <= rows["ci_high"]))
    covers = covers.astype("boolean").mask(rows["truth"].isna() | rows["se"].isna())
    rows = rows.assign(error=rows["estimate"] - rows["truth"], covers_truth=covers)
    return rows[["outcome", "method", "estimate", "ci_low", "ci_high", "truth", "error",
                 "covers_truth"]].reset_index(drop=True)


__all__ = ["EFFECTS_COLUMNS", "L3_DROP_REASONS", "METHODS", "PENDIDIKAN_ORDER",
           "PERSON_COVARIATES", "PREDIKAT_ORDER", "SKP_DROP_REASONS", "attach_truth",
           "cells_with_both_groups", "combine_effects", "compare_estimators",
           "difficulty_groups", "dropped_table", "varying_columns",
           "element_effects", "estimates_by_method", "event_time_table",
           "heterogeneity_table", "individual_effects", "l3_by_difficulty",
           "l3_effects_table", "l3_training_sample", "median_split", "mentoring_groups",
           "naive_difference", "naive_effects", "person_covariates", "rollout_indicator",
           "rollout_table", "skp_effects_table", "skp_training_sample", "subgroup_units",
           "true_event_path", "truth_comparison", "truth_effects", "unit_subgroup_effects"]
