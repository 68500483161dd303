"""The unit × quarter analysis panel: IKM, service outcomes and training exposure per quarter.

:func:`panel_unit_period` joins the IKM of notebook 02, the monthly service records and the
training, mentoring and level-3 records into exactly one row per unit × quarter, with the
quarter in which the service course (:data:`~evalkit.training.SERVICE_COURSE`) reached each
unit (``cohort``; 0 = never) — the input of the staggered difference-in-differences of
notebook 04. A unit is *reached* in the first quarter in which at least
:data:`COHORT_THRESHOLD` of its counted staff have completed the course
(:func:`service_cohort`).

Who counts as a unit's ASN follows :mod:`evalkit.training` (appointment year and current
status; see :func:`evalkit.training.staff_years`). Counts over quarters are built on a
(units × quarters) grid with :func:`numpy.bincount` and a cumulative sum — no loop over
people or records.

Examples
--------
>>> quarter_of(pd.Series(pd.to_datetime(["2024-02-01", "2024-11-30"]))).tolist()
['2024Q1', '2024Q4']

"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from evalkit.labels import Lang, check_lang
from evalkit.training import SERVICE_COURSE, l3_score

#: Default share of a unit's staff that must have completed the service course for the unit
#: to count as reached (the simulator trains ~42% in the first wave; real roll-outs are
#: documented per unit — override with the ``cohort_threshold`` parameter).
COHORT_THRESHOLD = 0.25

#: The columns of the panel, in the order of the ``panel_unit_period`` contract.
PANEL_COLUMNS: tuple[str, ...] = (
    "unit", "period", "t", "ikm", *[f"nrr_u{k}" for k in range(1, 10)], "n_responses",
    "rata_rata_hari", "share_on_time", "complaints_per_1000", "n_asn", "share_trained",
    "jp_per_asn_cum", "cohort", "share_mentored", "n_evaluasi", "l3_score",
    "share_difficulty")


# --------------------------------------------------------------------------------------
# Quarters and the (units × quarters) grid
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


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Numerator / denominator as a flat array, missing where the denominator is 0."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, numerator / denominator, np.nan).reshape(-1)


def service_cohort(share_trained: pd.DataFrame, threshold: float = COHORT_THRESHOLD
                   ) -> pd.DataFrame:
    """Cohort per unit: the first ``t`` with ``share_trained ≥ threshold``, else 0.

    Examples
    --------
    >>> s = pd.DataFrame({"unit": ["A"] * 3 + ["B"] * 3, "t": [1, 2, 3] * 2,
    ...                   "share_trained": [0, .1, .5, 0, .1, .2]})
    >>> service_cohort(s).to_dict("records")  # the default COHORT_THRESHOLD, a quarter
    [{'unit': 'A', 'cohort': 3}, {'unit': 'B', 'cohort': 0}]

    """
    reached = share_trained[share_trained["share_trained"] >= threshold]
    first = reached.groupby("unit", observed=True)["t"].min()
    units = pd.Index(share_trained["unit"].unique(), name="unit").sort_values()
    cohort = first.reindex(units).fillna(0).astype("int64").rename("cohort")
    return cohort.reset_index()


# --------------------------------------------------------------------------------------
# The parts of the panel
# --------------------------------------------------------------------------------------
def _panel_quarters(ikm_unit_period: pd.DataFrame, kinerja_layanan: pd.DataFrame,
                    periods: Sequence[str] | None) -> pd.PeriodIndex:
    """Return the given quarters, or every quarter from the first to the last one seen."""
    if periods is not None:
        return pd.PeriodIndex(list(periods), freq="Q")
    seen = pd.concat([ikm_unit_period["period"].astype("str"),
                      kinerja_layanan["period"].astype("str")])
    quarters = pd.PeriodIndex(seen, freq="Q")
    return pd.period_range(quarters.min(), quarters.max(), freq="Q")


def _service_outcomes(kinerja_layanan: pd.DataFrame) -> pd.DataFrame:
    """Per unit × quarter: mean days weighted by applications, on-time share, complaints."""
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
    return q[["unit", "period", "rata_rata_hari", "share_on_time", "complaints_per_1000"]]


def _exposure(units: pd.Index, quarters: pd.PeriodIndex, pegawai: pd.DataFrame,
              pelatihan: pd.DataFrame, mentoring: pd.DataFrame | None, course: str,
              statuses: Sequence[str], jabatan: Sequence[str] | None) -> dict[str, np.ndarray]:
    """Count staff and the exposure shares, cumulative to the end of each quarter."""
    n_u, n_t = len(units), len(quarters)
    staff = pegawai[pegawai["status"].isin(list(statuses))]
    unit_code = units.get_indexer(staff["unit"].astype("str"))
    first_year_t = (pd.PeriodIndex(staff["tahun_pengangkatan"].fillna(0).astype("int64")
                                   .clip(lower=1).astype("str") + "Q1", freq="Q").asi8
                    - quarters[0].ordinal + 1)
    start_t = np.clip(first_year_t, 1, n_t + 1)  # the quarter from which a person counts
    n_asn = _cumulative_grid(unit_code, start_t, n_u, n_t)
    person = pd.DataFrame({"pid": staff["pid"].to_numpy(), "unit_code": unit_code,
                           "start_t": start_t})

    def counted_from(pids: pd.Series, events: pd.Series) -> np.ndarray:
        """Per counted person, the quarter from which their first event counts."""
        t = pd.Series(_t_of(events, quarters), index=pids.index)
        first = person["pid"].map(t.groupby(pids.to_numpy()).min())
        return np.maximum(first.fillna(n_t + 1).to_numpy(dtype="int64"), start_t)

    # completed the service course (among the position types asked for)
    done = pelatihan[(pelatihan["nama_pelatihan"] == course)
                     & pelatihan["tanggal_selesai"].notna()]
    eligible = (np.ones(len(staff), dtype=bool) if jabatan is None
                else staff["jenis_jabatan"].isin(list(jabatan)).to_numpy())
    eligible_code = np.where(eligible, unit_code, -1)
    n_base = _cumulative_grid(eligible_code, start_t, n_u, n_t)
    n_trained = _cumulative_grid(eligible_code,
                                 counted_from(done["pid"], quarter_of(done["tanggal_selesai"])),
                                 n_u, n_t)

    # JP of every training, from the quarter it ends, for counted staff
    jp_rec = pelatihan[pelatihan["tanggal_selesai"].notna()]
    rec_person = person.set_index("pid").reindex(jp_rec["pid"].to_numpy())
    rec_t = np.maximum(_t_of(quarter_of(jp_rec["tanggal_selesai"]), quarters),
                       rec_person["start_t"].fillna(n_t + 1).to_numpy(dtype="int64"))
    jp_cum = _cumulative_grid(rec_person["unit_code"].fillna(-1).to_numpy(dtype="int64"),
                              rec_t, n_u, n_t,
                              weights=pd.to_numeric(jp_rec["jp"]).astype("float64")
                              .fillna(0).to_numpy())

    # mentored (as mentee)
    if mentoring is not None and len(mentoring):
        n_mentored = _cumulative_grid(
            unit_code, counted_from(mentoring["pid_mentee"],
                                    quarter_of(mentoring["tanggal_mulai"])), n_u, n_t)
    else:
        n_mentored = np.full((n_u, n_t), np.nan)

    return {"n_asn": n_asn.reshape(-1).astype("int64"),
            "share_trained": _ratio(n_trained, n_base),
            "jp_per_asn_cum": _ratio(jp_cum, n_asn),
            "share_mentored": _ratio(n_mentored, n_asn)}


def _level3(units: pd.Index, quarters: pd.PeriodIndex, pegawai: pd.DataFrame,
            evaluasi: pd.DataFrame | None) -> dict[str, np.ndarray | float | int]:
    """Level-3 evaluations per unit, cumulative: count, mean score, share with difficulty."""
    if evaluasi is None or not len(evaluasi):
        return {"n_evaluasi": 0, "l3_score": np.nan, "share_difficulty": np.nan}
    n_u, n_t = len(units), len(quarters)
    ev = evaluasi[evaluasi["tanggal_evaluasi"].notna()]
    # the unit on the roster wins over the one written on the evaluation
    roster_unit = pegawai.drop_duplicates("pid").set_index("pid")["unit"]
    ev_unit = ev["pid"].map(roster_unit).fillna(ev["unit"]).astype("str")
    ev_code = units.get_indexer(ev_unit)
    ev_t = _t_of(quarter_of(ev["tanggal_evaluasi"]), quarters)

    def cumulative(weights: np.ndarray | None = None) -> np.ndarray:
        return _cumulative_grid(ev_code, ev_t, n_u, n_t, weights)

    scores = l3_score(ev).to_numpy()
    difficulty = ev["kesulitan_penerapan"].astype("boolean")
    return {"n_evaluasi": cumulative().reshape(-1).astype("int64"),
            "l3_score": _ratio(cumulative(np.nan_to_num(scores)),
                               cumulative((~np.isnan(scores)).astype("float64"))),
            "share_difficulty": _ratio(
                cumulative(difficulty.fillna(False).to_numpy(dtype="float64")),
                cumulative(difficulty.notna().to_numpy(dtype="float64")))}


def panel_unit_period(ikm_unit_period: pd.DataFrame, kinerja_layanan: pd.DataFrame,
                      pegawai: pd.DataFrame, pelatihan: pd.DataFrame,
                      mentoring: pd.DataFrame | None = None,
                      evaluasi: pd.DataFrame | None = None, *,
                      periods: Sequence[str] | None = None, units: Sequence[str] | None = None,
                      course: str = SERVICE_COURSE, threshold: float = COHORT_THRESHOLD,
                      statuses: Sequence[str] = ("Aktif",),
                      jabatan: Sequence[str] | None = None) -> pd.DataFrame:
    """Build the unit × quarter panel of notebook 04 (``panel_unit_period`` in the contract).

    One row per unit and quarter — exactly ``len(units) × len(periods)`` rows — with:

    * ``t`` (1 = first quarter), the IKM columns of ``ikm_unit_period`` (missing where a unit
      ran no survey that quarter);
    * service outcomes from the monthly ``kinerja_layanan``: ``rata_rata_hari`` (mean days
      weighted by applications), ``share_on_time`` (finished on time / applications),
      ``complaints_per_1000`` (complaints per 1,000 applications);
    * exposure, cumulative to the end of the quarter, over the unit's counted ASN
      (``n_asn``, see :mod:`evalkit.training`): ``share_trained`` (share who completed
      ``course``), ``jp_per_asn_cum`` (JP of all training since the first quarter, per ASN),
      ``share_mentored`` (share who have been a mentee);
    * ``cohort``: the first ``t`` at which ``share_trained`` ≥ ``threshold``, 0 if never —
      constant within a unit (the convention of ``staggered_did``);
    * level 3: ``n_evaluasi`` (the unit's evaluations dated up to the end of the quarter),
      and their ``l3_score`` and ``share_difficulty`` (cumulative; missing before the first
      evaluation). Publish the panel through :func:`evalkit.privacy.publish_panel`, which
      hides the level-3 values resting on fewer than 5 evaluations.

    Parameters
    ----------
    ikm_unit_period, kinerja_layanan, pegawai, pelatihan, mentoring, evaluasi : DataFrame
        Processed tables (``mentoring`` and ``evaluasi`` optional: their columns stay empty).
    periods : sequence of str, optional
        Quarters of the panel; default every quarter from the first to the last one seen in
        ``ikm_unit_period`` or ``kinerja_layanan`` (gaps filled).
    units : sequence of str, optional
        Units; default every unit in the roster, the IKM table or the service records.
    course : str, default :data:`~evalkit.training.SERVICE_COURSE`
        The course whose roll-out defines the cohorts.
    threshold : float, default :data:`COHORT_THRESHOLD`
        Share of the unit's counted staff that must have completed ``course``.
    statuses : sequence of str, default ("Aktif",)
        Roster statuses counted (see :func:`evalkit.training.staff_years`).
    jabatan : sequence of str, optional
        Restrict the staff behind ``share_trained`` and ``cohort`` to these position types
        (e.g. ``("Pelaksana", "Fungsional")`` for front-line staff); default all.

    Returns
    -------
    pandas.DataFrame
        The contract's columns (:data:`PANEL_COLUMNS`), sorted by unit and period.

    Examples
    --------
    >>> ikm = pd.DataFrame({"unit": ["A"], "period": ["2024Q1"], "ikm": [80.0],
    ...                     "n_responses": [40], **{f"nrr_u{k}": [3.2] for k in range(1, 10)}})
    >>> kinerja = pd.DataFrame({"unit": ["A"], "period": ["2024Q2"], "jumlah_permohonan": [10],
    ...                         "selesai_tepat_waktu": [9], "rata_rata_hari": [2.0],
    ...                         "jumlah_pengaduan": [0]})
    >>> pegawai = pd.DataFrame({"pid": ["a", "b"], "unit": ["A", "A"], "status": "Aktif",
    ...                         "tahun_pengangkatan": [2010, 2010]})
    >>> pelatihan = pd.DataFrame({"pid": ["a"], "nama_pelatihan": [SERVICE_COURSE],
    ...                           "jp": [24.0], "tanggal_selesai": pd.to_datetime(["2024-05-02"])})
    >>> panel_unit_period(ikm, kinerja, pegawai, pelatihan)[
    ...     ["period", "t", "share_trained", "cohort", "share_on_time"]]
       period  t  share_trained  cohort  share_on_time
    0  2024Q1  1            0.0       2            NaN
    1  2024Q2  2            0.5       2            0.9

    """
    quarters = _panel_quarters(ikm_unit_period, kinerja_layanan, periods)
    n_t = len(quarters)
    if units is None:
        units = sorted(set(pegawai["unit"].dropna().astype("str"))
                       | set(ikm_unit_period["unit"].astype("str"))
                       | set(kinerja_layanan["unit"].astype("str")))
    units = pd.Index(list(units), dtype="str")
    n_u = len(units)
    panel = pd.DataFrame({"unit": np.repeat(units.to_numpy(), n_t),
                          "period": np.tile(np.asarray(quarters.strftime("%YQ%q")), n_u),
                          "t": np.tile(np.arange(1, n_t + 1), n_u)}).astype(
        {"unit": "str", "period": "str"})

    ikm_cols = ["ikm", *[f"nrr_u{k}" for k in range(1, 10)], "n_responses"]
    ikm = ikm_unit_period[["unit", "period", *ikm_cols]].astype({"unit": "str",
                                                                 "period": "str"})
    panel = panel.merge(ikm, on=["unit", "period"], how="left", validate="one_to_one")
    panel["n_responses"] = panel["n_responses"].fillna(0).astype("int64")
    panel = panel.merge(_service_outcomes(kinerja_layanan), on=["unit", "period"], how="left",
                        validate="one_to_one")
    panel = panel.assign(**_exposure(units, quarters, pegawai, pelatihan, mentoring, course,
                                     statuses, jabatan))
    cohort = service_cohort(panel[["unit", "t", "share_trained"]], threshold)
    panel = panel.merge(cohort, on="unit", how="left", validate="many_to_one")
    panel = panel.assign(**_level3(units, quarters, pegawai, evaluasi))

    panel = panel[list(PANEL_COLUMNS)].sort_values(["unit", "period"]).reset_index(drop=True)
    assert len(panel) == n_u * n_t, "panel must have exactly units × quarters rows"
    return panel


# --------------------------------------------------------------------------------------
# Reading the panel
# --------------------------------------------------------------------------------------
_TEXT = {
    "id": {"share": "Proporsi staf terlatih", "period": "Triwulan",
           "rollout": "Peluncuran {course}: proporsi staf terlatih",
           "box": "kotak: kohort, triwulan pertama tercapai",
           "box_threshold": "kotak: kohort, triwulan pertama ≥ {threshold:.0%}",
           "threshold": "ambang {threshold:.0%}", "never": "tidak pernah tercapai"},
    "en": {"share": "Share of staff trained", "period": "Quarter",
           "rollout": "Roll-out of {course}: share of staff trained",
           "box": "box: cohort, the first quarter reached",
           "box_threshold": "box: cohort, the first quarter ≥ {threshold:.0%}",
           "threshold": "threshold {threshold:.0%}", "never": "never reached"},
}
#: Colour of the cohort boxes and the threshold mark (stands out on the blue heatmap).
_MARK_COLOR = "#d95f02"


def panel_shape(panel: pd.DataFrame) -> dict[str, int | bool]:
    """Units, quarters and rows of a panel, and whether it has exactly one row per pair.

    Examples
    --------
    >>> p = pd.DataFrame({"unit": ["A", "A", "B"], "period": ["2024Q1", "2024Q2", "2024Q1"]})
    >>> panel_shape(p)
    {'rows': 3, 'units': 2, 'quarters': 2, 'complete': False}

    """
    n_units, n_quarters = panel["unit"].nunique(), panel["period"].nunique()
    complete = (len(panel) == n_units * n_quarters
                and not panel.duplicated(["unit", "period"]).any())
    return {"rows": len(panel), "units": n_units, "quarters": n_quarters,
            "complete": bool(complete)}


def cohort_sizes(panel: pd.DataFrame, lang: Lang = "id") -> pd.DataFrame:
    """Units per roll-out cohort, with the quarter each cohort was reached.

    Parameters
    ----------
    panel : pandas.DataFrame
        :func:`panel_unit_period` (``unit``, ``period``, ``t``, ``cohort``).
    lang : {"id", "en"}
        Language of the ``period`` text of the never-reached units (cohort 0).

    Returns
    -------
    pandas.DataFrame
        ``cohort``, ``units`` (how many units), ``period`` (the quarter of ``t = cohort``);
        sorted by cohort, the never-reached units first.

    Examples
    --------
    >>> p = pd.DataFrame({"unit": list("AABBCC"), "period": ["2024Q1", "2024Q2"] * 3,
    ...                   "t": [1, 2] * 3, "cohort": [2, 2, 0, 0, 2, 2]})
    >>> cohort_sizes(p, lang="en")
       cohort  units         period
    0       0      1  never reached
    1       2      2         2024Q2

    """
    text = _TEXT[check_lang(lang)]
    cohorts = panel.drop_duplicates("unit")[["unit", "cohort"]]
    sizes = cohorts.groupby("cohort").size().rename("units").reset_index()
    quarter_of_t = panel.drop_duplicates("t").set_index("t")["period"]
    sizes["period"] = sizes["cohort"].map(quarter_of_t).fillna(text["never"])
    return sizes


def plot_rollout(panel: pd.DataFrame, *, course: str = SERVICE_COURSE,
                 threshold: float | None = None, lang: Lang = "id"):
    """Draw the roll-out of ``course``: share trained per unit × quarter, cohort boxed.

    A heatmap with one row per unit (ordered by cohort, never-reached units last) and one
    column per quarter; the quarter a unit was reached (its ``cohort``) is boxed. Given
    ``threshold`` (the ``cohort_threshold`` the panel was built with), it is marked on the
    colour bar and named in the title.

    Parameters
    ----------
    panel : pandas.DataFrame
        :func:`panel_unit_period`, or its published form (suppressed shares stay blank).
    course : str, default :data:`~evalkit.training.SERVICE_COURSE`
        Course name shown in the title.
    threshold : float, optional
        Share at which a unit counts as reached.
    lang : {"id", "en"}
        Language of the figure's texts.

    Returns
    -------
    matplotlib.figure.Figure
        The heatmap is ``fig.axes[0]``, the colour bar ``fig.axes[1]``.

    Examples
    --------
    >>> p = pd.DataFrame({"unit": list("AABB"), "period": ["2024Q1", "2024Q2"] * 2,
    ...                   "t": [1, 2] * 2, "cohort": [2, 2, 0, 0],
    ...                   "share_trained": [0.1, 0.4, 0.0, 0.1]})
    >>> fig = plot_rollout(p, threshold=COHORT_THRESHOLD, lang="en")
    >>> [tick.get_text() for tick in fig.axes[0].get_yticklabels()]
    ['A', 'B']

    """
    import matplotlib.pyplot as plt
    import seaborn as sns
    from matplotlib.patches import Rectangle

    text = _TEXT[check_lang(lang)]
    grid = panel.pivot(index="unit", columns="period", values="share_trained").astype("float64")
    cohorts = panel.drop_duplicates("unit").set_index("unit")["cohort"].astype("int64")
    order = cohorts.astype("float64").replace(0, np.inf).sort_values(kind="stable").index
    grid = grid.loc[order]
    # the column of each cohort quarter, from t (robust to a panel that starts later)
    column_of_t = pd.Series(grid.columns.get_indexer(
        panel.drop_duplicates("t").set_index("t")["period"]),
        index=panel.drop_duplicates("t")["t"].to_numpy())

    fig, ax = plt.subplots(figsize=(9, 0.28 * len(grid) + 1.8))
    sns.heatmap(grid, cmap="Blues", vmin=0, vmax=1, ax=ax, cbar_kws={"label": text["share"]})
    for row, unit in enumerate(grid.index):
        if cohorts[unit] > 0:
            ax.add_patch(Rectangle((column_of_t[cohorts[unit]], row), 1, 1, fill=False,
                                   ec=_MARK_COLOR, lw=1.5))
    if threshold is None:
        note = text["box"]
    else:
        note = text["box_threshold"].format(threshold=threshold)
        colorbar = ax.collections[0].colorbar
        colorbar.ax.axhline(threshold, color=_MARK_COLOR, lw=2,
                            label=text["threshold"].format(threshold=threshold))
    ax.set(xlabel=text["period"], ylabel="",
           title=f"{text['rollout'].format(course=course)}\n({note})")
    return fig


__all__ = ["COHORT_THRESHOLD", "PANEL_COLUMNS", "cohort_sizes", "panel_shape",
           "panel_unit_period", "plot_rollout", "quarter_of", "service_cohort"]
