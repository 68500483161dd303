"""Training participation, the 20-JP duty, Kirkpatrick levels 1–3 and the unit × quarter panel.

* **JP**: 1 JP (jam pelajaran) = 45 minutes; every ASN has the right and duty to at least
  20 JP of competency development a year (PP 11/2017 as amended by PP 17/2020; Peraturan LAN
  10/2018). JP count in the calendar year in which a training *ends*.
* **Delivery**: classroom learning (*klasikal*) versus everything else (*non-klasikal*:
  e-learning, blended, coaching/mentoring, …) — the processed ``pelatihan.klasikal`` flag.
* **Kirkpatrick**: L1 reaction scores, L2 pre/post-test gains (paired t-test and Wilcoxon
  signed-rank), L3 application scores of alumnus, supervisor and colleague and the share
  reporting difficulty applying what was learned. L4 (results) is notebook 04.
* **Panel**: :func:`panel_unit_period` joins IKM, service outcomes and training exposure into
  exactly one row per unit × quarter, with the quarter the service-quality training reached
  each unit (``cohort``; 0 = never), the input of the staggered difference-in-differences.

Who counts as a unit's ASN
--------------------------
The processed roster has the appointment year and the *current* status, not exit dates. A
person counts for a unit in a year (and its quarters) when their status is in ``statuses``
(default only ``"Aktif"``) and ``tahun_pengangkatan`` is not after that year. Staff who
retired or moved are therefore left out of every denominator *and* numerator (their earlier
training is not credited to the unit); :func:`training_asn_year` reports how many training
records that leaves out. Override ``statuses`` to include them.

Examples
--------
>>> jp_from_minutes(90)
2.0
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from evalkit.errors import EvalkitWarning

#: Minutes in one jam pelajaran (Peraturan LAN 10/2018).
MINUTES_PER_JP = 45
#: Minimum JP of competency development per ASN per year.
MIN_JP_PER_YEAR = 20
#: The service-quality training whose staggered roll-out defines the cohorts.
SERVICE_COURSE = "Pelatihan Pelayanan Prima"
#: Default share of a unit's staff that must have completed the service course for the unit
#: to count as reached (the simulator trains ~42% in the first wave; real roll-outs are
#: documented per unit — override with the ``cohort_threshold`` parameter).
COHORT_THRESHOLD = 0.25


class TrainingDataWarning(EvalkitWarning):
    """Records that could not be attributed (e.g. training of staff not on the roster)."""


# --------------------------------------------------------------------------------------
# JP and the 20-JP duty
# --------------------------------------------------------------------------------------
def jp_from_minutes(minutes):
    """Learning time in minutes → JP (1 JP = 45 minutes).

    Examples
    --------
    >>> jp_from_minutes(pd.Series([45, 900])).tolist()
    [1.0, 20.0]
    """
    return minutes / MINUTES_PER_JP


def jp_to_hours(jp):
    """JP → clock hours (20 JP = 15 hours).

    Examples
    --------
    >>> jp_to_hours(20)
    15.0
    """
    return jp * MINUTES_PER_JP / 60


def _completion_year(pelatihan: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(pelatihan["tanggal_selesai"]).dt.year.astype("Int64")


def staff_years(pegawai: pd.DataFrame, years: Sequence[int],
                statuses: Sequence[str] = ("Aktif",)) -> pd.DataFrame:
    """ASN counted per year: ``pid``, ``unit``, ``tahun`` (see the module docstring's rule).

    Examples
    --------
    >>> p = pd.DataFrame({"pid": ["a", "b"], "unit": ["U", "U"], "status": ["Aktif"] * 2,
    ...                   "tahun_pengangkatan": [2010, 2025]})
    >>> staff_years(p, [2024, 2025])["tahun"].tolist()
    [2024, 2025, 2025]
    """
    staff = pegawai.loc[pegawai["status"].isin(list(statuses)),
                        ["pid", "unit", "tahun_pengangkatan"]]
    grid = staff.merge(pd.DataFrame({"tahun": np.asarray(years, dtype="int64")}), how="cross")
    grid = grid[grid["tahun_pengangkatan"].fillna(0).astype("int64") <= grid["tahun"]]
    return grid[["pid", "unit", "tahun"]].sort_values(["tahun", "unit", "pid"]) \
        .reset_index(drop=True)


def training_asn_year(pegawai: pd.DataFrame, pelatihan: pd.DataFrame,
                      years: Sequence[int] | None = None, *, min_jp: float = MIN_JP_PER_YEAR,
                      statuses: Sequence[str] = ("Aktif",)) -> pd.DataFrame:
    """JP per ASN per year and whether the 20-JP duty is met (the ``training_asn_year`` table).

    Every counted ASN gets a row for every year, with 0 JP when untrained, so compliance
    shares have the right denominator.

    Parameters
    ----------
    pegawai, pelatihan : pandas.DataFrame
        Processed roster and training records.
    years : sequence of int, optional
        Years to report; default every year in which a training ends.
    min_jp : float, default 20
        The yearly minimum.
    statuses : sequence of str, default ("Aktif",)
        Roster statuses counted (see the module docstring).

    Returns
    -------
    pandas.DataFrame
        ``pid``, ``unit``, ``tahun``, ``jp``, ``memenuhi_20jp``; sorted by year, unit, pid.
        ``attrs["records_not_counted"]`` holds the number of training records (in those
        years) of people outside the counted roster; a :class:`TrainingDataWarning` says so.

    Examples
    --------
    >>> p = pd.DataFrame({"pid": ["a", "b"], "unit": ["U", "U"], "status": ["Aktif"] * 2,
    ...                   "tahun_pengangkatan": [2010, 2010]})
    >>> t = pd.DataFrame({"pid": ["a", "a"], "jp": [12.0, 9.0],
    ...                   "tanggal_selesai": pd.to_datetime(["2024-03-01", "2024-11-30"])})
    >>> training_asn_year(p, t)[["pid", "jp", "memenuhi_20jp"]]
      pid    jp  memenuhi_20jp
    0   a  21.0           True
    1   b   0.0          False
    """
    year = _completion_year(pelatihan)
    if years is None:
        years = sorted(int(y) for y in year.dropna().unique())
    staff = staff_years(pegawai, years, statuses)
    records = pd.DataFrame({"pid": pelatihan["pid"], "tahun": year,
                            "jp": pd.to_numeric(pelatihan["jp"]).astype("float64")})
    records = records[records["tahun"].isin(list(years))]
    jp = records.groupby(["pid", "tahun"], observed=True, sort=False)["jp"].sum() \
        .reset_index()
    jp["tahun"] = jp["tahun"].astype("int64")
    out = staff.merge(jp, on=["pid", "tahun"], how="left", validate="one_to_one")
    out["jp"] = out["jp"].fillna(0.0)
    out["memenuhi_20jp"] = pd.array(out["jp"] >= min_jp, dtype="boolean")
    counted = records.merge(staff[["pid", "tahun"]], on=["pid", "tahun"], how="inner")
    left_out = len(records) - len(counted)
    if left_out:
        warnings.warn(f"training_asn_year: {left_out} training records in {list(years)} "
                      f"belong to people not counted on the roster (status not in "
                      f"{list(statuses)}, or appointed later); their JP is not credited. "
                      "Pass `statuses` to include retired or moved staff.",
                      TrainingDataWarning, stacklevel=2)
    out.attrs["records_not_counted"] = left_out
    return out[["pid", "unit", "tahun", "jp", "memenuhi_20jp"]]


def jp_summary(asn_year: pd.DataFrame, by: Sequence[str] | str = ("unit", "tahun"), *,
               min_jp: float = MIN_JP_PER_YEAR) -> pd.DataFrame:
    """JP per ASN, 20-JP compliance and coverage per group.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``n_asn``, ``jp_mean``, ``jp_median``, ``share_20jp`` (share meeting
        ``min_jp``) and ``coverage`` (share with any training that year).

    Examples
    --------
    >>> a = pd.DataFrame({"unit": ["U"] * 4, "tahun": [2024] * 4, "jp": [0, 10, 20, 30.0]})
    >>> jp_summary(a)
      unit  tahun  n_asn  jp_mean  jp_median  share_20jp  coverage
    0    U   2024      4     15.0       15.0         0.5      0.75
    """
    by = [by] if isinstance(by, str) else list(by)
    data = asn_year.assign(_meets=asn_year["jp"] >= min_jp, _any=asn_year["jp"] > 0)
    grouped = data.groupby(by, observed=True, sort=True)
    out = grouped.agg(n_asn=("jp", "size"), jp_mean=("jp", "mean"),
                      jp_median=("jp", "median"), share_20jp=("_meets", "mean"),
                      coverage=("_any", "mean")).reset_index()
    out["n_asn"] = out["n_asn"].astype("int64")
    return out


def delivery_label(klasikal: pd.Series) -> pd.Series:
    """``klasikal`` flag → ``"klasikal"`` / ``"non-klasikal"`` (DOMAIN.md §2).

    Examples
    --------
    >>> delivery_label(pd.Series([True, False])).tolist()
    ['klasikal', 'non-klasikal']
    """
    return pd.Series(np.where(klasikal.fillna(False).astype(bool), "klasikal", "non-klasikal"),
                     index=klasikal.index, name="jalur", dtype="str")


def jp_breakdown(pelatihan: pd.DataFrame, asn_year: pd.DataFrame, category: str,
                 by: Sequence[str] | str = ("unit", "tahun")) -> pd.DataFrame:
    """JP per ASN and share of ASN trained, split by a training category.

    Parameters
    ----------
    pelatihan : pandas.DataFrame
        Processed training records.
    asn_year : pandas.DataFrame
        :func:`training_asn_year` (the counted ASN: denominators and unit attribution).
    category : str
        ``"rumpun"`` (training family), ``"metode"`` or ``"jalur"`` (klasikal /
        non-klasikal, from the ``klasikal`` flag).
    by : sequence of str, default ("unit", "tahun")
        Groups, columns of ``asn_year``.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``category``, ``n_asn`` (counted ASN of the group), ``n_trained``,
        ``jp_total``, ``jp_per_asn`` (JP of that category / all ASN of the group) and
        ``share_trained``; every category appears in every group (0 when unused).

    Examples
    --------
    >>> a = pd.DataFrame({"pid": ["a", "b"], "unit": ["U", "U"], "tahun": [2024, 2024],
    ...                   "jp": [30.0, 0.0]})
    >>> t = pd.DataFrame({"pid": ["a", "a"], "klasikal": [True, False], "jp": [24.0, 6.0],
    ...                   "tanggal_selesai": pd.to_datetime(["2024-03-01", "2024-05-01"])})
    >>> jp_breakdown(t, a, "jalur")[["jalur", "jp_per_asn", "share_trained"]]
              jalur  jp_per_asn  share_trained
    0      klasikal        12.0            0.5
    1  non-klasikal         3.0            0.5
    """
    by = [by] if isinstance(by, str) else list(by)
    records = pelatihan.assign(tahun=_completion_year(pelatihan).astype("float64"))
    if category == "jalur":
        records = records.assign(jalur=delivery_label(records["klasikal"]))
    # the unit comes from the counted roster (asn_year), not from the training record
    records = records[["pid", "tahun", "jp", category]]
    records = records.merge(asn_year[["pid", "tahun", *[b for b in by if b != "tahun"]]]
                            .astype({"tahun": "float64"}), on=["pid", "tahun"], how="inner")
    per_person = records.groupby([*by, category, "pid"], observed=True)["jp"].sum() \
        .reset_index()
    trained = per_person.groupby([*by, category], observed=True).agg(
        n_trained=("pid", "size"), jp_total=("jp", "sum")).reset_index()
    groups = asn_year.groupby(by, observed=True).size().rename("n_asn").reset_index()
    categories = pd.DataFrame({category: sorted(records[category].dropna().unique())})
    if trained.empty:
        categories = pd.DataFrame({category: pd.Series([], dtype="str")})
    trained = trained.astype({b: groups[b].dtype for b in by})
    out = groups.merge(categories, how="cross").merge(trained, on=[*by, category], how="left")
    out["n_trained"] = out["n_trained"].fillna(0).astype("int64")
    out["jp_total"] = out["jp_total"].fillna(0.0).astype("float64")
    out["jp_per_asn"] = out["jp_total"] / out["n_asn"]
    out["share_trained"] = out["n_trained"] / out["n_asn"]
    return out[[*by, category, "n_asn", "n_trained", "jp_total", "jp_per_asn",
                "share_trained"]].sort_values([*by, category]).reset_index(drop=True)


# --------------------------------------------------------------------------------------
# Kirkpatrick levels 1–3
# --------------------------------------------------------------------------------------
def _t_interval(mean: pd.Series, sd: pd.Series, n: pd.Series, level: float):
    dof = (n - 1).clip(lower=1)
    half = stats.t.ppf(0.5 + level / 2, dof) * sd / np.sqrt(n)
    half = half.where(n > 1)
    return mean - half, mean + half


def reaction_summary(pelatihan: pd.DataFrame, by: Sequence[str] | str = "nama_pelatihan",
                     *, level: float = 0.95) -> pd.DataFrame:
    """Kirkpatrick level 1: reaction scores (1–5) per group with a t-interval.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``n``, ``reaksi_mean``, ``reaksi_sd``, ``ci_low``, ``ci_high``.

    Examples
    --------
    >>> t = pd.DataFrame({"nama_pelatihan": ["A"] * 3, "nilai_reaksi": [4.0, 4.5, 5.0]})
    >>> reaction_summary(t)[["n", "reaksi_mean"]].to_dict("records")
    [{'n': 3, 'reaksi_mean': 4.5}]
    """
    by = [by] if isinstance(by, str) else list(by)
    data = pelatihan.assign(_r=pd.to_numeric(pelatihan["nilai_reaksi"]).astype("float64"))
    data = data[data["_r"].notna()]
    out = data.groupby(by, observed=True, sort=True)["_r"].agg(
        n="size", reaksi_mean="mean", reaksi_sd="std").reset_index()
    out["n"] = out["n"].astype("int64")
    out["ci_low"], out["ci_high"] = _t_interval(out["reaksi_mean"], out["reaksi_sd"],
                                                out["n"], level)
    return out


def learning_gain(pelatihan: pd.DataFrame, by: Sequence[str] | str = "nama_pelatihan",
                  *, min_pairs: int = 6) -> pd.DataFrame:
    """Kirkpatrick level 2: post-test minus pre-test per group, with paired tests.

    Only records with both scores count. The paired t-test is computed in closed form from
    grouped means and variances (vectorised; the tests check it against
    ``scipy.stats.ttest_rel``); the Wilcoxon signed-rank test (robust to the skewed, bounded
    0–100 scores) comes from ``scipy.stats.wilcoxon`` once per group (groups are courses or
    units, never rows). Groups with fewer than ``min_pairs`` pairs get no test.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``n_pairs``, ``pre_mean``, ``post_mean``, ``gain_mean``,
        ``gain_sd``, ``effect_dz`` (mean gain / sd of gains), ``t_stat``, ``p_ttest``,
        ``p_wilcoxon``.

    Examples
    --------
    >>> t = pd.DataFrame({"nama_pelatihan": ["A"] * 6, "nilai_pre_test": [50.0] * 6,
    ...                   "nilai_post_test": [60, 62, 58, 65, 61, 59.0]})
    >>> round(float(learning_gain(t)["gain_mean"].iloc[0]), 3)
    10.833
    """
    by = [by] if isinstance(by, str) else list(by)
    pre = pd.to_numeric(pelatihan["nilai_pre_test"]).astype("float64")
    post = pd.to_numeric(pelatihan["nilai_post_test"]).astype("float64")
    data = pelatihan[by].assign(pre=pre, post=post, gain=post - pre)
    data = data[data["gain"].notna()]
    grouped = data.groupby(by, observed=True, sort=True)
    out = grouped.agg(n_pairs=("gain", "size"), pre_mean=("pre", "mean"),
                      post_mean=("post", "mean"), gain_mean=("gain", "mean"),
                      gain_sd=("gain", "std")).reset_index()
    out["n_pairs"] = out["n_pairs"].astype("int64")
    enough = out["n_pairs"] >= min_pairs
    with np.errstate(invalid="ignore", divide="ignore"):
        out["effect_dz"] = out["gain_mean"] / out["gain_sd"]
        t_stat = out["gain_mean"] / (out["gain_sd"] / np.sqrt(out["n_pairs"]))
    out["t_stat"] = t_stat.where(enough)
    out["p_ttest"] = pd.Series(2 * stats.t.sf(np.abs(t_stat), out["n_pairs"] - 1),
                               index=out.index).where(enough)

    def wilcoxon_p(gains: pd.Series) -> float:
        if len(gains) < min_pairs or (gains == 0).all():
            return np.nan
        return float(stats.wilcoxon(gains, zero_method="wilcox").pvalue)

    p_w = grouped["gain"].agg(wilcoxon_p).reset_index(drop=True)
    out["p_wilcoxon"] = p_w.to_numpy()
    return out


#: The three raters of a level-3 (application) evaluation, each scoring 1–5.
L3_RATERS: tuple[str, ...] = ("skor_alumni", "skor_atasan", "skor_rekan")


def l3_score(evaluasi: pd.DataFrame, raters: Sequence[str] = L3_RATERS) -> pd.Series:
    """Kirkpatrick level-3 score of each evaluation: the mean of its available ratings.

    The one definition of the score. A missing rating is left out of the mean, never
    imputed; an evaluation without any rating has no score. ``raters`` selects the ratings
    (an outcome free of the alumnus' self-report uses ``("skor_atasan", "skor_rekan")``).

    Examples
    --------
    >>> l3_score(pd.DataFrame({"skor_alumni": [4], "skor_atasan": [2],
    ...                        "skor_rekan": [None]})).tolist()
    [3.0]
    """
    return (evaluasi[list(raters)].apply(pd.to_numeric).astype("float64")
            .mean(axis=1, skipna=True).rename("l3_score"))


def application_summary(evaluasi: pd.DataFrame, by: Sequence[str] | str = "unit"
                        ) -> pd.DataFrame:
    """Kirkpatrick level 3: application scores (1–5) and the share reporting difficulty.

    ``l3_score`` is the mean over evaluations of each evaluation's mean of the available
    alumnus, supervisor and colleague scores.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``n``, ``skor_alumni``, ``skor_atasan``, ``skor_rekan``,
        ``l3_score``, ``share_difficulty`` (among evaluations that answered it).

    Examples
    --------
    >>> e = pd.DataFrame({"unit": ["U", "U"], "skor_alumni": [4.0, 3.0],
    ...                   "skor_atasan": [3.0, 3.0], "skor_rekan": [5.0, 3.0],
    ...                   "kesulitan_penerapan": [False, True]})
    >>> application_summary(e)[["l3_score", "share_difficulty"]].to_dict("records")
    [{'l3_score': 3.5, 'share_difficulty': 0.5}]
    """
    by = [by] if isinstance(by, str) else list(by)
    scores = evaluasi[list(L3_RATERS)].apply(pd.to_numeric).astype("float64")
    difficulty = evaluasi["kesulitan_penerapan"].astype("boolean").astype("Float64") \
        .astype("float64")
    data = evaluasi[by].assign(**scores, l3_score=l3_score(evaluasi),
                               share_difficulty=difficulty)
    out = data.groupby(by, observed=True, sort=True).agg(
        n=("l3_score", "size"), skor_alumni=("skor_alumni", "mean"),
        skor_atasan=("skor_atasan", "mean"), skor_rekan=("skor_rekan", "mean"),
        l3_score=("l3_score", "mean"), share_difficulty=("share_difficulty", "mean"),
    ).reset_index()
    out["n"] = out["n"].astype("int64")
    return out


# --------------------------------------------------------------------------------------
# The unit × quarter panel
# --------------------------------------------------------------------------------------
def quarter_of(dates: pd.Series) -> pd.Series:
    """Dates → quarter strings like ``"2024Q3"``.

    Examples
    --------
    >>> quarter_of(pd.Series(pd.to_datetime(["2024-08-17"]))).tolist()
    ['2024Q3']
    """
    periods = pd.to_datetime(dates).dt.to_period("Q")
    return periods.dt.strftime("%YQ%q").where(periods.notna()).astype("str")


def _t_of(quarters: pd.Series, periods: pd.PeriodIndex) -> np.ndarray:
    """Quarter strings → t (1 = first panel quarter); before the panel 1, after it T + 1."""
    ordinal = pd.PeriodIndex(quarters.astype("str"), freq="Q").asi8 if len(quarters) else \
        np.array([], dtype="int64")
    t = ordinal - periods[0].ordinal + 1
    return np.clip(t, 1, len(periods) + 1)


def _cumulative_grid(unit_code: np.ndarray, t: np.ndarray, n_units: int, n_t: int,
                     weights: np.ndarray | None = None) -> np.ndarray:
    """Σ of weights per unit for events at quarter ≤ t: a (units, T) array."""
    keep = (t >= 1) & (t <= n_t) & (unit_code >= 0)
    flat = np.bincount(unit_code[keep] * n_t + (t[keep] - 1),
                       weights=None if weights is None else weights[keep],
                       minlength=n_units * n_t)
    return np.cumsum(flat.reshape(n_units, n_t), axis=1)


def service_cohort(share_trained: pd.DataFrame, threshold: float = COHORT_THRESHOLD
                   ) -> pd.DataFrame:
    """Cohort per unit: the first ``t`` with ``share_trained ≥ threshold``, else 0.

    Examples
    --------
    >>> s = pd.DataFrame({"unit": ["A"] * 3 + ["B"] * 3, "t": [1, 2, 3] * 2,
    ...                   "share_trained": [0, .1, .5, 0, .1, .2]})
    >>> service_cohort(s, 0.25).to_dict("records")
    [{'unit': 'A', 'cohort': 3}, {'unit': 'B', 'cohort': 0}]
    """
    reached = share_trained[share_trained["share_trained"] >= threshold]
    first = reached.groupby("unit", observed=True)["t"].min()
    units = pd.Index(share_trained["unit"].unique(), name="unit").sort_values()
    cohort = first.reindex(units).fillna(0).astype("int64").rename("cohort")
    return cohort.reset_index()


def panel_unit_period(ikm_unit_period: pd.DataFrame, kinerja_layanan: pd.DataFrame,
                      pegawai: pd.DataFrame, pelatihan: pd.DataFrame,
                      mentoring: pd.DataFrame | None = None,
                      evaluasi: pd.DataFrame | None = None, *,
                      periods: Sequence[str] | None = None, units: Sequence[str] | None = None,
                      course: str = SERVICE_COURSE, threshold: float = COHORT_THRESHOLD,
                      statuses: Sequence[str] = ("Aktif",),
                      jabatan: Sequence[str] | None = None) -> pd.DataFrame:
    """The unit × quarter panel of notebook 04 (``panel_unit_period`` in the contract).

    One row per unit and quarter — exactly ``len(units) × len(periods)`` rows — with:

    * ``t`` (1 = first quarter), the IKM columns of ``ikm_unit_period`` (missing where a unit
      ran no survey that quarter);
    * service outcomes from the monthly ``kinerja_layanan``: ``rata_rata_hari`` (mean days
      weighted by applications), ``share_on_time`` (finished on time / applications),
      ``complaints_per_1000`` (complaints per 1,000 applications);
    * exposure, cumulative to the end of the quarter, over the unit's counted ASN
      (``n_asn``, see the module docstring): ``share_trained`` (share who completed
      ``course``), ``jp_per_asn_cum`` (JP of all training since the first quarter, per ASN),
      ``share_mentored`` (share who have been a mentee);
    * ``cohort``: the first ``t`` at which ``share_trained`` ≥ ``threshold``, 0 if never —
      constant within a unit (the convention of ``staggered_did``);
    * level 3: ``n_evaluasi`` (the unit's evaluations dated up to the end of the quarter),
      and their ``l3_score`` and ``share_difficulty`` (cumulative; missing before the first
      evaluation). Publish the panel through :func:`publish_panel`, which hides the level-3
      values resting on fewer than 5 evaluations.

    Parameters
    ----------
    ikm_unit_period, kinerja_layanan, pegawai, pelatihan, mentoring, evaluasi : DataFrame
        Processed tables (``mentoring`` and ``evaluasi`` optional: their columns stay empty).
    periods : sequence of str, optional
        Quarters of the panel; default every quarter from the first to the last one seen in
        ``ikm_unit_period`` or ``kinerja_layanan`` (gaps filled).
    units : sequence of str, optional
        Units; default every unit in the roster, the IKM table or the service records.
    course : str, default "Pelatihan Pelayanan Prima"
    threshold : float, default 0.25
        Share of the unit's counted staff that must have completed ``course``.
    statuses : sequence of str, default ("Aktif",)
    jabatan : sequence of str, optional
        Restrict the staff behind ``share_trained`` and ``cohort`` to these position types
        (e.g. ``("Pelaksana", "Fungsional")`` for front-line staff); default all.

    Returns
    -------
    pandas.DataFrame
        The contract's columns, sorted by unit and period.

    Examples
    --------
    See ``tests/test_training.py`` for a worked panel with hand-computed values.
    """
    if periods is None:
        seen = pd.concat([ikm_unit_period["period"].astype("str"),
                          kinerja_layanan["period"].astype("str")])
        quarters = pd.PeriodIndex(seen, freq="Q")
        periods_idx = pd.period_range(quarters.min(), quarters.max(), freq="Q")
    else:
        periods_idx = pd.PeriodIndex(list(periods), freq="Q")
    n_t = len(periods_idx)
    period_str = periods_idx.strftime("%YQ%q")
    if units is None:
        units = sorted(set(pegawai["unit"].dropna().astype("str"))
                       | set(ikm_unit_period["unit"].astype("str"))
                       | set(kinerja_layanan["unit"].astype("str")))
    units = pd.Index(list(units), dtype="str")
    n_u = len(units)
    panel = pd.DataFrame({"unit": np.repeat(units.to_numpy(), n_t),
                          "period": np.tile(np.asarray(period_str), n_u),
                          "t": np.tile(np.arange(1, n_t + 1), n_u)}).astype(
        {"unit": "str", "period": "str"})

    # --- IKM ------------------------------------------------------------------------------
    ikm_cols = ["ikm", *[f"nrr_u{k}" for k in range(1, 10)], "n_responses"]
    ikm = ikm_unit_period[["unit", "period", *ikm_cols]].astype({"unit": "str",
                                                                 "period": "str"})
    panel = panel.merge(ikm, on=["unit", "period"], how="left", validate="one_to_one")
    panel["n_responses"] = panel["n_responses"].fillna(0).astype("int64")

    # --- service outcomes -----------------------------------------------------------------
    k = kinerja_layanan.astype({"unit": "str", "period": "str"})
    k = k.assign(_days_w=k["rata_rata_hari"].astype("float64")
                 * k["jumlah_permohonan"].astype("float64"),
                 _apps_days=k["jumlah_permohonan"].where(k["rata_rata_hari"].notna()))
    q = k.groupby(["unit", "period"], observed=True).agg(
        apps=("jumlah_permohonan", "sum"), on_time=("selesai_tepat_waktu", "sum"),
        complaints=("jumlah_pengaduan", "sum"), days_w=("_days_w", "sum"),
        apps_days=("_apps_days", "sum")).reset_index()
    apps = q["apps"].astype("float64").replace(0, np.nan)
    q["rata_rata_hari"] = q["days_w"] / q["apps_days"].astype("float64").replace(0, np.nan)
    q["share_on_time"] = q["on_time"].astype("float64") / apps
    q["complaints_per_1000"] = 1000 * q["complaints"].astype("float64") / apps
    panel = panel.merge(q[["unit", "period", "rata_rata_hari", "share_on_time",
                           "complaints_per_1000"]], on=["unit", "period"], how="left",
                        validate="one_to_one")

    # --- staff, training, mentoring: cumulative counts on a (units × T) grid --------------
    staff = pegawai[pegawai["status"].isin(list(statuses))]
    unit_code = units.get_indexer(staff["unit"].astype("str"))
    first_year_t = (pd.PeriodIndex(staff["tahun_pengangkatan"].fillna(0).astype("int64")
                                   .clip(lower=1).astype("str") + "Q1", freq="Q").asi8
                    - periods_idx[0].ordinal + 1)
    start_t = np.clip(first_year_t, 1, n_t + 1)  # the quarter from which a person counts
    n_asn = _cumulative_grid(unit_code, start_t, n_u, n_t)
    person = pd.DataFrame({"pid": staff["pid"].to_numpy(), "unit_code": unit_code,
                           "start_t": start_t,
                           "in_jabatan": True if jabatan is None else
                           staff["jenis_jabatan"].isin(list(jabatan)).to_numpy()})

    def first_event_t(pids: pd.Series, quarters: pd.Series) -> pd.Series:
        """Per person, the first quarter index of an event (aligned with ``person``)."""
        t = pd.Series(_t_of(quarters, periods_idx), index=pids.index)
        first = t.groupby(pids.to_numpy()).min()
        return person["pid"].map(first)

    # completed the service course
    done = pelatihan[(pelatihan["nama_pelatihan"] == course)
                     & pelatihan["tanggal_selesai"].notna()]
    course_t = first_event_t(done["pid"], quarter_of(done["tanggal_selesai"]))
    eligible = person["in_jabatan"].to_numpy()
    n_base = _cumulative_grid(np.where(eligible, unit_code, -1), start_t, n_u, n_t)
    trained_t = np.maximum(course_t.fillna(n_t + 1).to_numpy(dtype="int64"), start_t)
    n_trained = _cumulative_grid(np.where(eligible, unit_code, -1), trained_t, n_u, n_t)
    with np.errstate(invalid="ignore", divide="ignore"):
        share_trained = np.where(n_base > 0, n_trained / n_base, np.nan)

    # JP of every training, from the quarter it ends, for counted staff
    jp_rec = pelatihan[pelatihan["tanggal_selesai"].notna()]
    rec_person = person.set_index("pid").reindex(jp_rec["pid"].to_numpy())
    rec_t = np.maximum(_t_of(quarter_of(jp_rec["tanggal_selesai"]), periods_idx),
                       rec_person["start_t"].fillna(n_t + 1).to_numpy(dtype="int64"))
    jp_cum = _cumulative_grid(rec_person["unit_code"].fillna(-1).to_numpy(dtype="int64"),
                              rec_t, n_u, n_t,
                              weights=pd.to_numeric(jp_rec["jp"]).astype("float64")
                              .fillna(0).to_numpy())

    # mentored (as mentee)
    if mentoring is not None and len(mentoring):
        mentee_t = first_event_t(mentoring["pid_mentee"], quarter_of(mentoring["tanggal_mulai"]))
        mentored_t = np.maximum(mentee_t.fillna(n_t + 1).to_numpy(dtype="int64"), start_t)
        n_mentored = _cumulative_grid(unit_code, mentored_t, n_u, n_t)
    else:
        n_mentored = np.full((n_u, n_t), np.nan)

    with np.errstate(invalid="ignore", divide="ignore"):
        panel["n_asn"] = n_asn.reshape(-1).astype("int64")
        panel["share_trained"] = share_trained.reshape(-1)
        panel["jp_per_asn_cum"] = np.where(n_asn > 0, jp_cum / n_asn, np.nan).reshape(-1)
        panel["share_mentored"] = np.where(n_asn > 0, n_mentored / n_asn, np.nan).reshape(-1)

    cohort = service_cohort(panel[["unit", "t", "share_trained"]], threshold)
    panel = panel.merge(cohort, on="unit", how="left", validate="many_to_one")

    # --- level 3, cumulative per unit ------------------------------------------------------
    if evaluasi is not None and len(evaluasi):
        ev = evaluasi[evaluasi["tanggal_evaluasi"].notna()]
        roster_unit = pegawai.drop_duplicates("pid").set_index("pid")["unit"]
        ev_unit = ev["pid"].map(roster_unit).fillna(ev["unit"]).astype("str")
        ev_code = units.get_indexer(ev_unit)
        ev_t = _t_of(quarter_of(ev["tanggal_evaluasi"]), periods_idx)
        scores = l3_score(ev).to_numpy()
        has_score = ~np.isnan(scores)
        sum_score = _cumulative_grid(ev_code, ev_t, n_u, n_t, np.nan_to_num(scores))
        n_score = _cumulative_grid(ev_code, ev_t, n_u, n_t, has_score.astype("float64"))
        diff = ev["kesulitan_penerapan"].astype("boolean")
        n_diff = _cumulative_grid(ev_code, ev_t, n_u, n_t,
                                  diff.fillna(False).to_numpy(dtype="float64"))
        n_answered = _cumulative_grid(ev_code, ev_t, n_u, n_t,
                                      diff.notna().to_numpy(dtype="float64"))
        n_eval = _cumulative_grid(ev_code, ev_t, n_u, n_t)
        panel["n_evaluasi"] = n_eval.reshape(-1).astype("int64")
        with np.errstate(invalid="ignore", divide="ignore"):
            panel["l3_score"] = np.where(n_score > 0, sum_score / n_score, np.nan).reshape(-1)
            panel["share_difficulty"] = np.where(n_answered > 0, n_diff / n_answered,
                                                 np.nan).reshape(-1)
    else:
        panel["n_evaluasi"] = 0
        panel["l3_score"] = np.nan
        panel["share_difficulty"] = np.nan

    columns = ["unit", "period", "t", "ikm", *[f"nrr_u{k}" for k in range(1, 10)],
               "n_responses", "rata_rata_hari", "share_on_time", "complaints_per_1000",
               "n_asn", "share_trained", "jp_per_asn_cum", "cohort", "share_mentored",
               "n_evaluasi", "l3_score", "share_difficulty"]
    panel = panel[columns].sort_values(["unit", "period"]).reset_index(drop=True)
    assert len(panel) == n_u * n_t, "panel must have exactly units × quarters rows"
    return panel


# --------------------------------------------------------------------------------------
# Figures (seaborn; saved by the notebook with evalkit.outputs.save_figure)
# --------------------------------------------------------------------------------------
_TEXT = {
    "id": {"jp": "JP per ASN (rata-rata)", "jp_title": "JP per ASN per unit, {year} "
           "(garis: kewajiban 20 JP)", "share": "Proporsi staf terlatih",
           "rollout": "Peluncuran {course}: proporsi staf terlatih (kotak: kohort)",
           "period": "Triwulan", "share_20jp": "Proporsi ASN ≥ 20 JP"},
    "en": {"jp": "JP per ASN (mean)", "jp_title": "JP per ASN by unit, {year} "
           "(line: the 20-JP duty)", "share": "Share of staff trained",
           "rollout": "Roll-out of {course}: share of staff trained (box: cohort)",
           "period": "Quarter", "share_20jp": "Share of ASN with ≥ 20 JP"},
}


def plot_jp_by_unit(summary: pd.DataFrame, year: int, lang: str = "id",
                    min_jp: float = MIN_JP_PER_YEAR):
    """Per unit in one year: mean JP per ASN against the 20-JP line, and the share of ASN
    who actually reach 20 JP (a mean above 20 can hide many below it). ``jp_summary`` table.
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    text = _TEXT["en" if lang == "en" else "id"]
    data = summary[summary["tahun"] == year].sort_values("share_20jp").astype({"unit": "str"})
    fig, (left, right) = plt.subplots(1, 2, sharey=True,
                                      figsize=(10, 0.28 * len(data) + 1.5),
                                      gridspec_kw={"width_ratios": [3, 2]})
    sns.barplot(data=data, x="jp_mean", y="unit", color="#7570b3", ax=left)
    left.axvline(min_jp, color="black", lw=1, ls="--")
    left.set(xlabel=text["jp"], ylabel="")
    sns.barplot(data=data, x="share_20jp", y="unit", color="#1b9e77", ax=right)
    right.set(xlabel=text["share_20jp"], ylabel="", xlim=(0, 1))
    fig.suptitle(text["jp_title"].format(year=year), fontweight="bold")
    return fig


def plot_rollout(panel: pd.DataFrame, course: str = SERVICE_COURSE, lang: str = "id"):
    """Heatmap unit × quarter of the share trained in ``course``; the cohort quarter boxed."""
    import matplotlib.pyplot as plt
    import seaborn as sns
    from matplotlib.patches import Rectangle

    text = _TEXT["en" if lang == "en" else "id"]
    grid = panel.pivot(index="unit", columns="period", values="share_trained").astype("float64")
    cohorts = panel.drop_duplicates("unit").set_index("unit")["cohort"]
    order = cohorts.astype("float64").replace(0, np.inf).sort_values(kind="stable").index
    grid = grid.loc[order]
    fig, ax = plt.subplots(figsize=(9, 0.28 * len(grid) + 1.8))
    sns.heatmap(grid, cmap="Blues", vmin=0, vmax=1, ax=ax, cbar_kws={"label": text["share"]})
    for row, unit in enumerate(grid.index):
        cohort = int(cohorts[unit])
        if cohort > 0:
            ax.add_patch(Rectangle((cohort - 1, row), 1, 1, fill=False, ec="#d95f02", lw=1.5))
    ax.set(xlabel=text["period"], ylabel="", title=text["rollout"].format(course=course))
    return fig


__all__ = [
    "COHORT_THRESHOLD", "L3_RATERS", "MINUTES_PER_JP", "MIN_JP_PER_YEAR", "SERVICE_COURSE",
    "TrainingDataWarning", "application_summary", "delivery_label", "jp_breakdown",
    "jp_from_minutes", "jp_summary", "jp_to_hours",
    "l3_score", "learning_gain", "panel_unit_period",
    "plot_jp_by_unit", "plot_rollout", "quarter_of", "reaction_summary", "service_cohort",
    "staff_years", "training_asn_year",
]
