"""The unit × period analysis panel: IKM, service outcomes and training exposure per period.

:func:`panel_unit_period` joins the IKM of notebook 02, the monthly service records and the
training, mentoring and level-3 records into exactly one row per unit × period, with the
period in which the service course (:data:`~evalkit.training.SERVICE_COURSE`) reached each
unit (``cohort``; 0 = never) — the input of the staggered difference-in-differences of
notebook 04. A unit is *reached* in the first period in which at least
:data:`COHORT_THRESHOLD` of its counted staff have completed the course
(:func:`service_cohort`).

The periods are those of the IKM table — quarters (the bundled data), semesters or years
(:mod:`evalkit.periods`); the monthly service records are summed into them and dates fall
into them. Who counts as a unit's ASN follows :mod:`evalkit.training` (appointment year and
current status; see :func:`evalkit.training.staff_years`). Counts over periods are built on
a (units × periods) grid with :func:`numpy.bincount` and a cumulative sum — no loop over
people or records.

Examples
--------
>>> panel_shape(pd.DataFrame({"unit": ["A", "A"], "period": ["2024S1", "2024S2"]}))
{'rows': 2, 'units': 1, 'periods': 2, 'granularity': 'semester', 'complete': True}

"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from evalkit import periods as calendar
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
# Periods and the (units × periods) grid
# --------------------------------------------------------------------------------------
class _Periods:
    """The panel's consecutive periods: their granularity, strings and first ordinal."""

    def __init__(self, labels: Sequence[str]):
        self.labels = [str(label) for label in labels]
        self.granularity = calendar.granularity_of(self.labels)
        self.first = int(calendar.ordinal(self.labels[:1], self.granularity)[0])

    def __len__(self) -> int:
        return len(self.labels)

    def t_of_ordinal(self, ordinals: np.ndarray) -> np.ndarray:
        """Ordinals → t (1 = first panel period); before the panel 1, after it T + 1.

        A missing ordinal (an undated event) never counts: T + 1.
        """
        t = np.asarray(ordinals, dtype="float64") - self.first + 1
        return np.clip(np.nan_to_num(t, nan=len(self) + 1), 1, len(self) + 1).astype("int64")

    def t_of_dates(self, dates: pd.Series) -> np.ndarray:
        """Dates → t of the period containing them (:meth:`t_of_ordinal`)."""
        return self.t_of_ordinal(calendar.ordinal(
            calendar.period_of(dates, self.granularity), self.granularity))


def _cumulative_grid(unit_code: np.ndarray, t: np.ndarray, n_units: int, n_t: int,
                     weights: np.ndarray | None = None) -> np.ndarray:
    """Σ of weights per unit for events at period ≤ t: a (units, T) array."""
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
def _panel_periods(ikm_unit_period: pd.DataFrame, kinerja_layanan: pd.DataFrame,
                   periods: Sequence[str] | None) -> _Periods:
    """Return the given periods, or every period from the first to the last one seen.

    The granularity is the IKM table's; the service records' months are summed into it.
    """
    granularity = calendar.granularity_of(ikm_unit_period["period"])
    if periods is not None:
        given = _Periods(periods)
        if ikm_unit_period["period"].notna().any() and given.granularity != granularity:
            raise ValueError(f"panel periods are {given.granularity}s but ikm_unit_period "
                             f"has {granularity}s; give {granularity}s.")
        return given
    seen = np.concatenate([
        calendar.ordinal(ikm_unit_period["period"].dropna(), granularity),
        calendar.ordinal(calendar.in_granularity(kinerja_layanan, granularity).dropna(),
                         granularity)])
    return _Periods(calendar.from_ordinal(np.arange(seen.min(), seen.max() + 1),
                                          granularity))


def _service_outcomes(kinerja_layanan: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """Per unit × period: mean days weighted by applications, on-time share, complaints."""
    k = kinerja_layanan.assign(period=calendar.in_granularity(kinerja_layanan, granularity)
                               ).astype({"unit": "str", "period": "str"})
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


def _exposure(units: pd.Index, periods: _Periods, pegawai: pd.DataFrame,
              pelatihan: pd.DataFrame, mentoring: pd.DataFrame | None, course: str,
              statuses: Sequence[str], jabatan: Sequence[str] | None) -> dict[str, np.ndarray]:
    """Count staff and the exposure shares, cumulative to the end of each period."""
    n_u, n_t = len(units), len(periods)
    staff = pegawai[pegawai["status"].isin(list(statuses))]
    unit_code = units.get_indexer(staff["unit"].astype("str"))
    # a person counts from the first period of their appointment year
    start_t = periods.t_of_ordinal(calendar.year_start(
        staff["tahun_pengangkatan"].fillna(0).astype("int64").clip(lower=1),
        periods.granularity))
    n_asn = _cumulative_grid(unit_code, start_t, n_u, n_t)
    person = pd.DataFrame({"pid": staff["pid"].to_numpy(), "unit_code": unit_code,
                           "start_t": start_t})

    def counted_from(pids: pd.Series, dates: pd.Series) -> np.ndarray:
        """Per counted person, the period from which their first event counts."""
        t = pd.Series(periods.t_of_dates(dates), index=pids.index)
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
                                 counted_from(done["pid"], done["tanggal_selesai"]),
                                 n_u, n_t)

    # JP of every training, from the period it ends, for counted staff
    jp_rec = pelatihan[pelatihan["tanggal_selesai"].notna()]
    rec_person = person.set_index("pid").reindex(jp_rec["pid"].to_numpy())
    rec_t = np.maximum(periods.t_of_dates(jp_rec["tanggal_selesai"]),
                       rec_person["start_t"].fillna(n_t + 1).to_numpy(dtype="int64"))
    jp_cum = _cumulative_grid(rec_person["unit_code"].fillna(-1).to_numpy(dtype="int64"),
                              rec_t, n_u, n_t,
                              weights=pd.to_numeric(jp_rec["jp"]).astype("float64")
                              .fillna(0).to_numpy())

    # mentored (as mentee)
    if mentoring is not None and len(mentoring):
        n_mentored = _cumulative_grid(
            unit_code, counted_from(mentoring["pid_mentee"], mentoring["tanggal_mulai"]),
            n_u, n_t)
    else:
        n_mentored = np.full((n_u, n_t), np.nan)

    return {"n_asn": n_asn.reshape(-1).astype("int64"),
            "share_trained": _ratio(n_trained, n_base),
            "jp_per_asn_cum": _ratio(jp_cum, n_asn),
            "share_mentored": _ratio(n_mentored, n_asn)}


def _level3(units: pd.Index, periods: _Periods, pegawai: pd.DataFrame,
            evaluasi: pd.DataFrame | None) -> dict[str, np.ndarray | float | int]:
    """Level-3 evaluations per unit, cumulative: count, mean score, share with difficulty."""
    if evaluasi is None or not len(evaluasi):
        return {"n_evaluasi": 0, "l3_score": np.nan, "share_difficulty": np.nan}
    n_u, n_t = len(units), len(periods)
    ev = evaluasi[evaluasi["tanggal_evaluasi"].notna()]
    # the unit on the roster wins over the one written on the evaluation
    roster_unit = pegawai.drop_duplicates("pid").set_index("pid")["unit"]
    ev_unit = ev["pid"].map(roster_unit).fillna(ev["unit"]).astype("str")
    ev_code = units.get_indexer(ev_unit)
    ev_t = periods.t_of_dates(ev["tanggal_evaluasi"])

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
    """Build the unit × period panel of notebook 04 (``panel_unit_period`` in the contract).

    The periods have the granularity of ``ikm_unit_period.period``: quarters (the bundled
    data), semesters or years (:mod:`evalkit.periods`). One row per unit and period —
    exactly ``len(units) × len(periods)`` rows — with:

    * ``t`` (1 = first period, counting periods), the IKM columns of ``ikm_unit_period``
      (missing where a unit ran no survey that period);
    * service outcomes from the monthly ``kinerja_layanan``, its months summed into the
      periods: ``rata_rata_hari`` (mean days
      weighted by applications), ``share_on_time`` (finished on time / applications),
      ``complaints_per_1000`` (complaints per 1,000 applications);
    * exposure, cumulative to the end of the period, over the unit's counted ASN
      (``n_asn``, see :mod:`evalkit.training`): ``share_trained`` (share who completed
      ``course``), ``jp_per_asn_cum`` (JP of all training since the first period, per ASN),
      ``share_mentored`` (share who have been a mentee);
    * ``cohort``: the first ``t`` at which ``share_trained`` ≥ ``threshold``, 0 if never —
      constant within a unit (the convention of ``staggered_did``);
    * level 3: ``n_evaluasi`` (the unit's evaluations dated up to the end of the period),
      and their ``l3_score`` and ``share_difficulty`` (cumulative; missing before the first
      evaluation). Publish the panel through :func:`evalkit.privacy.publish_panel`, which
      hides the level-3 values resting on fewer than 5 evaluations.

    Parameters
    ----------
    ikm_unit_period, kinerja_layanan, pegawai, pelatihan, mentoring, evaluasi : DataFrame
        Processed tables (``mentoring`` and ``evaluasi`` optional: their columns stay empty).
    periods : sequence of str, optional
        Periods of the panel (of the IKM table's granularity); default every period from the
        first to the last one seen in ``ikm_unit_period`` or ``kinerja_layanan`` (gaps
        filled).
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
    grid = _panel_periods(ikm_unit_period, kinerja_layanan, periods)
    n_t = len(grid)
    if units is None:
        units = sorted(set(pegawai["unit"].dropna().astype("str"))
                       | set(ikm_unit_period["unit"].astype("str"))
                       | set(kinerja_layanan["unit"].astype("str")))
    units = pd.Index(list(units), dtype="str")
    n_u = len(units)
    panel = pd.DataFrame({"unit": np.repeat(units.to_numpy(), n_t),
                          "period": np.tile(np.asarray(grid.labels, dtype=object), n_u),
                          "t": np.tile(np.arange(1, n_t + 1), n_u)}).astype(
        {"unit": "str", "period": "str"})

    ikm_cols = ["ikm", *[f"nrr_u{k}" for k in range(1, 10)], "n_responses"]
    ikm = ikm_unit_period[["unit", "period", *ikm_cols]].astype({"unit": "str",
                                                                 "period": "str"})
    panel = panel.merge(ikm, on=["unit", "period"], how="left", validate="one_to_one")
    panel["n_responses"] = panel["n_responses"].fillna(0).astype("int64")
    panel = panel.merge(_service_outcomes(kinerja_layanan, grid.granularity),
                        on=["unit", "period"], how="left", validate="one_to_one")
    panel = panel.assign(**_exposure(units, grid, pegawai, pelatihan, mentoring, course,
                                     statuses, jabatan))
    cohort = service_cohort(panel[["unit", "t", "share_trained"]], threshold)
    panel = panel.merge(cohort, on="unit", how="left", validate="many_to_one")
    panel = panel.assign(**_level3(units, grid, pegawai, evaluasi))

    panel = panel[list(PANEL_COLUMNS)].sort_values(["unit", "period"]).reset_index(drop=True)
    assert len(panel) == n_u * n_t, "panel must have exactly units × periods rows"
    return panel


# --------------------------------------------------------------------------------------
# Reading the panel
# --------------------------------------------------------------------------------------
_TEXT = {
    "id": {"share": "Proporsi staf terlatih",
           "rollout": "Peluncuran {course}: proporsi staf terlatih",
           "box": "kotak: kohort, {period} pertama tercapai",
           "box_threshold": "kotak: kohort, {period} pertama ≥ {threshold:.0%}",
           "threshold": "ambang {threshold:.0%}", "never": "tidak pernah tercapai"},
    "en": {"share": "Share of staff trained",
           "rollout": "Roll-out of {course}: share of staff trained",
           "box": "box: cohort, the first {period} reached",
           "box_threshold": "box: cohort, the first {period} ≥ {threshold:.0%}",
           "threshold": "threshold {threshold:.0%}", "never": "never reached"},
}
#: Colour of the cohort boxes and the threshold mark (stands out on the blue heatmap).
_MARK_COLOR = "#d95f02"


def panel_shape(panel: pd.DataFrame) -> dict[str, int | bool]:
    """Count units, periods and rows of a panel, and check it has one row per pair.

    The periods' granularity is given too.

    Examples
    --------
    >>> p = pd.DataFrame({"unit": ["A", "A", "B"], "period": ["2024Q1", "2024Q2", "2024Q1"]})
    >>> panel_shape(p)
    {'rows': 3, 'units': 2, 'periods': 2, 'granularity': 'quarter', 'complete': False}

    """
    n_units, n_periods = panel["unit"].nunique(), panel["period"].nunique()
    complete = (len(panel) == n_units * n_periods
                and not panel.duplicated(["unit", "period"]).any())
    return {"rows": len(panel), "units": n_units, "periods": n_periods,
            "granularity": calendar.granularity_of(panel["period"]),
            "complete": bool(complete)}


def cohort_sizes(panel: pd.DataFrame, lang: Lang = "id") -> pd.DataFrame:
    """Units per roll-out cohort, with the period each cohort was reached.

    Parameters
    ----------
    panel : pandas.DataFrame
        :func:`panel_unit_period` (``unit``, ``period``, ``t``, ``cohort``).
    lang : {"id", "en"}
        Language of the ``period`` text of the never-reached units (cohort 0).

    Returns
    -------
    pandas.DataFrame
        ``cohort``, ``units`` (how many units), ``period`` (the period of ``t = cohort``);
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
    period_of_t = panel.drop_duplicates("t").set_index("t")["period"]
    sizes["period"] = sizes["cohort"].map(period_of_t).fillna(text["never"])
    return sizes


def plot_rollout(panel: pd.DataFrame, *, course: str = SERVICE_COURSE,
                 threshold: float | None = None, lang: Lang = "id"):
    """Draw the roll-out of ``course``: share trained per unit × period, cohort boxed.

    A heatmap with one row per unit (ordered by cohort, never-reached units last) and one
    column per period (quarter, semester or year); the period a unit was reached (its
    ``cohort``) is boxed. Given ``threshold`` (the ``cohort_threshold`` the panel was built
    with), it is marked on the colour bar and named in the title.

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
    period_name = calendar.PERIOD_NAME[lang][calendar.granularity_of(panel["period"])]
    grid = panel.pivot(index="unit", columns="period", values="share_trained").astype("float64")
    cohorts = panel.drop_duplicates("unit").set_index("unit")["cohort"].astype("int64")
    order = cohorts.astype("float64").replace(0, np.inf).sort_values(kind="stable").index
    grid = grid.loc[order]
    # the column of each cohort period, from t (robust to a panel that starts later)
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
        note = text["box"].format(period=period_name)
    else:
        note = text["box_threshold"].format(period=period_name, threshold=threshold)
        colorbar = ax.collections[0].colorbar
        colorbar.ax.axhline(threshold, color=_MARK_COLOR, lw=2,
                            label=text["threshold"].format(threshold=threshold))
    ax.set(xlabel=period_name.capitalize(), ylabel="",
           title=f"{text['rollout'].format(course=course)}\n({note})")
    return fig


__all__ = ["COHORT_THRESHOLD", "PANEL_COLUMNS", "cohort_sizes", "panel_shape",
           "panel_unit_period", "plot_rollout", "service_cohort"]
