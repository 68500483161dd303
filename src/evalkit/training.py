"""Training participation, the 20-JP duty and Kirkpatrick levels 1–3.

* **JP**: 1 JP (jam pelajaran) = 45 minutes; every ASN has the right and duty to at least
  20 JP of competency development a year (PP 11/2017 as amended by PP 17/2020; Peraturan LAN
  10/2018). JP count in the calendar year in which a training *ends*.
* **Delivery**: classroom learning (*klasikal*) versus everything else (*non-klasikal*:
  e-learning, blended, coaching/mentoring, …) — the processed ``pelatihan.klasikal`` flag.
* **Kirkpatrick**: L1 reaction scores, L2 pre/post-test gains (paired t-test and Wilcoxon
  signed-rank), L3 application scores of alumnus, supervisor and colleague
  (:func:`l3_score`, the one definition) and the share reporting difficulty applying what
  was learned. L4 (results) is notebook 04, on the unit × quarter panel of
  :mod:`evalkit.panel`.

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
from evalkit.labels import Lang, check_lang

#: Minutes in one jam pelajaran (Peraturan LAN 10/2018).
MINUTES_PER_JP = 45
#: Minimum JP of competency development per ASN per year.
MIN_JP_PER_YEAR = 20
#: The service-quality training whose staggered roll-out defines the cohorts.
SERVICE_COURSE = "Pelatihan Pelayanan Prima"


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
# Figures (seaborn; saved by the notebook with evalkit.outputs.save_figure)
# --------------------------------------------------------------------------------------
_TEXT = {
    "id": {"jp": "JP per ASN (rata-rata)", "jp_title": "JP per ASN per unit, {year} "
           "(garis: kewajiban 20 JP)", "share_20jp": "Proporsi ASN ≥ 20 JP"},
    "en": {"jp": "JP per ASN (mean)", "jp_title": "JP per ASN by unit, {year} "
           "(line: the 20-JP duty)", "share_20jp": "Share of ASN with ≥ 20 JP"},
}


def plot_jp_by_unit(summary: pd.DataFrame, year: int, lang: Lang = "id",
                    min_jp: float = MIN_JP_PER_YEAR):
    """Draw JP per ASN per unit in one year beside the share of ASN who reach 20 JP.

    The mean is drawn against the 20-JP line, the share beside it: a mean above 20 can hide
    many below it.

    Parameters
    ----------
    summary : pandas.DataFrame
        :func:`jp_summary` by ``("unit", "tahun")``.
    year : int
        The year shown.
    lang : {"id", "en"}
        Language of the figure's texts.
    min_jp : float, default 20
        Where the duty line is drawn.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> s = pd.DataFrame({"unit": ["A", "B"], "tahun": 2024, "jp_mean": [25.0, 12.0],
    ...                   "share_20jp": [0.6, 0.2]})
    >>> fig = plot_jp_by_unit(s, 2024, lang="en")
    >>> fig.axes[1].get_xlabel()
    'Share of ASN with ≥ 20 JP'

    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    text = _TEXT[check_lang(lang)]
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


__all__ = [
    "L3_RATERS", "MINUTES_PER_JP", "MIN_JP_PER_YEAR", "SERVICE_COURSE",
    "TrainingDataWarning", "application_summary", "delivery_label", "jp_breakdown",
    "jp_from_minutes", "jp_summary", "jp_to_hours", "l3_score", "learning_gain",
    "plot_jp_by_unit", "reaction_summary", "staff_years", "training_asn_year",
]
