"""Staggered difference-in-differences (Callaway & Sant'Anna 2021), as R's ``did``.

Group-time average effects ATT(g, t) from 2×2 comparisons of each cohort g with never- or
not-yet-treated units, following R ``did``'s ``att_gt``: varying or universal base period,
anticipation, the doubly robust, standardised IPW or outcome-regression 2×2 estimators,
balanced panels (units with a missing period left out) or, with
``allow_unbalanced_panel=True``, every observed unit-period (R's unbalanced-panel estimator:
the repeated-cross-section 2×2 estimators with influence functions summed by unit, so
clustered by unit). Standard errors come from the unit-level influence function; the
simultaneous confidence bands from R's multiplier bootstrap (``bstrap=TRUE, cband=TRUE``).
Aggregations, the pre-test and the account of units left out are on
:class:`~evalkit.models.did_result.StaggeredDidResult`.

Written here rather than called from ``moderndid`` because that package is a test
dependency only (and uses polars); the tests check this code against it and against the
published R output on ``mpdta``.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> units = pd.DataFrame({"u": range(300), "g": rng.choice([0, 3, 5], 300)})
>>> p = units.merge(pd.DataFrame({"t": range(1, 7)}), how="cross")
>>> p["y"] = rng.normal(size=len(p)) + np.where((p.g > 0) & (p.t >= p.g), 1.0, 0.0)
>>> res = staggered_did(p, "y", "u", "t", "g")
>>> abs(float(res.aggregate("simple")["estimate"].iloc[0]) - 1.0) < 0.2
True
>>> res.aggregate("dynamic").columns.tolist()[-3:]
['cband_low', 'cband_high', 'crit_value']
>>> res.n_units, res.n_obs, len(res.left_out)
(300, 1800, 0)

"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

import numpy as np
import pandas as pd

from evalkit.models.did_inference import rademacher_multipliers
from evalkit.models.did_result import AggregateKind, DidDataWarning, StaggeredDidResult
from evalkit.models.did_twobytwo import EST_METHODS, EstMethod, panel_att_if, rc_att_if

ControlGroup = Literal["notyettreated", "nevertreated"]
BasePeriod = Literal["varying", "universal"]

#: Reasons in ``StaggeredDidResult.left_out``.
REASON_NO_COHORT = "first_treated missing"
REASON_EARLY = "treated in the first period (no pre-period)"
REASON_INCOMPLETE = "incomplete series (balanced panel required)"
REASON_UNOBSERVED = "no observed outcome"

#: Seed of the multiplier bootstrap unless one is given: results are reproducible run to run.
DEFAULT_SEED = 0


def _wide(data: pd.DataFrame, unit: str, time: str, column: str) -> pd.DataFrame:
    return data.pivot(index=unit, columns=time, values=column).sort_index(axis=1)


def _check_arguments(control_group, base_period, est_method, anticipation, alpha, biters):
    if control_group not in ("notyettreated", "nevertreated"):
        raise ValueError(f"control_group={control_group!r}: use 'notyettreated' or "
                         "'nevertreated'.")
    if base_period not in ("varying", "universal"):
        raise ValueError(f"base_period={base_period!r}: use 'varying' or 'universal'.")
    if est_method not in EST_METHODS:
        raise ValueError(f"est_method={est_method!r}: use 'dr', 'ipw' or 'reg'.")
    if anticipation < 0 or int(anticipation) != anticipation:
        raise ValueError(f"anticipation={anticipation!r}: use a non-negative whole number.")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha={alpha!r}: use a level between 0 and 1.")
    if biters < 1:
        raise ValueError(f"biters={biters!r}: use at least one bootstrap draw.")


def _read_panel(data, y, unit, time, first_treated, covariates):
    needed = [y, unit, time, first_treated, *covariates]
    absent = [c for c in needed if c not in data.columns]
    if absent:
        raise KeyError(f"staggered_did: column(s) {', '.join(absent)} not in the data.")
    frame = data[needed]
    if frame[[unit, time]].isna().any().any():
        raise ValueError(f"staggered_did: {unit!r} or {time!r} is missing in some rows; every "
                         "row needs its unit and period.")
    if frame.duplicated([unit, time]).any():
        raise ValueError(f"Several rows share the same ({unit}, {time}); the panel needs one "
                         "row per unit and period.")
    per_unit = frame.groupby(unit)[first_treated].nunique(dropna=False)
    if (per_unit > 1).any():
        bad = per_unit[per_unit > 1].index[:5].tolist()
        raise ValueError(f"{first_treated!r} varies within unit(s) {bad}; it must be constant.")
    return frame.astype({y: float, time: "int64", **{c: float for c in covariates}})


class _Sample:
    """Units kept and left out, cohort statuses, as the preprocessing of R's att_gt."""

    def __init__(self, frame, unit, time, first_treated, y, covariates, anticipation,
                 control_group, allow_unbalanced_panel):
        cohort = frame.groupby(unit)[first_treated].first().astype(float)
        self.left = pd.Series(pd.NA, index=cohort.index, dtype=object)
        self.status = {}
        self.left[cohort.isna()] = REASON_NO_COHORT
        observed = frame.dropna(subset=[y, *covariates])
        observed = observed[observed[unit].isin(cohort.index[cohort.notna()])]
        self.rows_missing = int(len(frame) - len(observed))
        if observed.empty:
            raise ValueError(f"staggered_did: no row has {y!r}"
                             f"{' and the covariates' if covariates else ''} observed.")
        self.left[self.left.isna() & ~cohort.index.isin(observed[unit])] = REASON_UNOBSERVED
        tlist = np.sort(observed[time].unique())
        late = cohort > tlist.max()
        for g in np.unique(cohort[late]):
            self.status[g] = "treated after the last period: counted as never treated"
        g_unit = cohort.where(~late, 0.0)
        early = (g_unit > 0) & (g_unit <= tlist.min() + anticipation)
        self.left[self.left.isna() & early] = REASON_EARLY
        for g in np.unique(g_unit[early & cohort.notna()]):
            self.status[g] = f"left out: {REASON_EARLY}"
        kept = self.left.isna()
        if kept.any() and not (g_unit[kept] == 0).any():
            # R did: without never-treated units the last cohort can only be a comparison,
            # and periods from its treatment on (less anticipation) have no comparison.
            last = g_unit[kept].max()
            observed = observed[observed[time] < last - anticipation]
            tlist = tlist[tlist < last - anticipation]
            if control_group == "nevertreated":
                g_unit = g_unit.where(g_unit != last, 0.0)
                self.status[last] = ("used as never treated (no never-treated units); periods "
                                     f"from {last - anticipation:g} on dropped")
            else:
                self.status[last] = ("comparison only (no never-treated units); periods "
                                     f"from {last - anticipation:g} on dropped")
            warnings.warn(f"staggered_did: no never-treated units; cohort {last:g} "
                          f"{self.status[last]}.", DidDataWarning, stacklevel=3)
            if len(tlist) < 2:
                raise ValueError("staggered_did: fewer than two periods before the last cohort "
                                 "is treated; nothing to compare.")
        counts = observed[observed[unit].isin(self.left.index[kept])].groupby(unit).size()
        complete = counts.reindex(self.left.index, fill_value=0) == len(tlist)
        self.balanced = bool(complete[kept].all())
        if not (allow_unbalanced_panel or self.balanced):
            self.left[self.left.isna() & ~complete] = REASON_INCOMPLETE
        self.left[self.left.isna() & ~self.left.index.isin(observed[unit])] = REASON_UNOBSERVED
        kept = self.left.isna()
        self.units = self.left.index[kept]
        self.g_unit = g_unit[kept].to_numpy()
        self.cohort = cohort
        self.tlist = tlist
        self.rows = observed[observed[unit].isin(self.units)]

    def left_out(self) -> pd.DataFrame:
        left = self.left.dropna()
        return pd.DataFrame({"unit": left.index.to_numpy(), "reason": left.to_numpy()})

    def cohorts(self, estimated: set) -> pd.DataFrame:
        sizes = self.cohort.fillna(-1).value_counts().sort_index()
        rows = []
        for g, size in sizes.items():
            if g == -1:
                status = f"left out: {REASON_NO_COHORT}"
            elif g == 0:
                status = "never treated"
            elif g in self.status:
                status = self.status[g]
            elif g in estimated:
                status = "treated"
            else:
                status = "no ATT(g, t) estimated (see skipped_cells)"
            rows.append({"group": None if g == -1 else int(g), "n_units": int(size),
                         "status": status})
        return pd.DataFrame(rows).astype({"group": "Int64"})


def _cells(tlist, g, base_period, anticipation):
    """(index of t, index of the base period) of every ATT(g, t) of cohort g (R's att_gt)."""
    universal = int(np.flatnonzero(tlist + anticipation < g)[-1])
    start = 0 if base_period == "universal" else 1
    for ti in range(start, len(tlist)):
        if base_period == "universal":
            yield ti, universal
        else:
            yield ti, (ti - 1 if tlist[ti] < g else universal)


def staggered_did(data: pd.DataFrame, y: str, unit: str, time: str, first_treated: str,
                  control_group: ControlGroup = "notyettreated",
                  covariates: Sequence[str] | None = None, anticipation: int = 0,
                  alpha: float = 0.05, boot: bool = False, biters: int = 1000,
                  seed: int | None = DEFAULT_SEED, *, allow_unbalanced_panel: bool = False,
                  cband: bool = True, base_period: BasePeriod = "varying",
                  est_method: EstMethod = "dr") -> StaggeredDidResult:
    """Callaway & Sant'Anna (2021) group-time ATTs, as R ``did::att_gt``.

    Parameters
    ----------
    data : pandas.DataFrame
        Long panel, one row per unit and time.
    y : str
        Outcome column.
    unit : str
        Unit identifier.
    time : str
        Integer time (e.g. the quarter index ``t``).
    first_treated : str
        Time of first treatment, constant within unit, ``0`` for never treated. Cohorts
        treated after the last period count as never treated; units treated in the first
        period (plus ``anticipation``) have no pre-period and are left out, with a
        :class:`DidDataWarning` (``left_out`` lists them with the reason).
    control_group : {"notyettreated", "nevertreated"}
        Comparison units: never treated plus those not yet treated by the later of t and
        the base period (the default here; R's default is ``"nevertreated"``), or never
        treated only. Without never-treated units the last cohort serves as comparison and
        the periods from its treatment on are dropped, as in R (reported in ``cohorts``).
    covariates : sequence of str, optional
        Conditioning covariates, taken in the earlier of the base period and t (R's
        convention); estimated by ``est_method``.
    anticipation : int
        Periods of anticipation (shifts the base period back).
    alpha : float
        1 − confidence level of the pointwise intervals and the simultaneous bands.
    boot : bool, default False
        Standard errors from R did's multiplier bootstrap instead of the analytical ones
        (R's default ``bstrap=TRUE`` reports bootstrap SEs; they differ only by simulation).
    biters : int
        Bootstrap draws (Rademacher multipliers over units, as R) of the bands and
        bootstrap SEs.
    seed : int or None
        Seed of the draws; the fixed default makes results reproducible run to run, None
        draws fresh ones.
    allow_unbalanced_panel : bool, default False
        Keep units with missing periods: each ATT(g, t) then uses every unit observed in t
        or its base period (R's unbalanced-panel estimator). If the panel is balanced anyway
        the balanced estimator is used, as in R.
    cband : bool, default True
        Simultaneous confidence bands (``cband_low``, ``cband_high``, ``crit_value``) from
        the bootstrap sup-t critical value, as R's default ``cband=TRUE``; if False the
        band columns repeat the pointwise intervals.
    base_period : {"varying", "universal"}
        Pre-treatment cells compare t with t − 1 (varying) or with the period before
        treatment, whose own cell is then 0 with no standard error (universal).
    est_method : {"dr", "ipw", "reg"}
        2×2 estimator with covariates: doubly robust, standardised IPW or outcome
        regression (DRDID's ``drdid_panel``/``std_ipw_did_panel``/``reg_did_panel`` and
        their repeated-cross-section versions for unbalanced panels). Without covariates all
        three are the difference of mean changes.

    Returns
    -------
    StaggeredDidResult
        With ``n_units``, ``n_obs``, ``left_out`` (unit, reason), ``cohorts`` and
        ``skipped_cells`` besides the estimates.

    Examples
    --------
    See the module docstring.

    """
    _check_arguments(control_group, base_period, est_method, anticipation, alpha, biters)
    covariates = list(covariates or [])
    frame = _read_panel(data, y, unit, time, first_treated, covariates)
    sample = _Sample(frame, unit, time, first_treated, y, covariates, anticipation,
                     control_group, allow_unbalanced_panel)
    left_out = sample.left_out()
    if len(left_out):
        counts = left_out["reason"].value_counts()
        detail = "; ".join(f"{n} {reason}" for reason, n in counts.items())
        warnings.warn(f"staggered_did: {len(left_out)} unit(s) left out: {detail} "
                      "(see result.left_out).", DidDataWarning, stacklevel=2)
    if sample.rows_missing and allow_unbalanced_panel:
        warnings.warn(f"staggered_did: {sample.rows_missing} row(s) without {y!r}"
                      f"{' or covariates' if covariates else ''} not used.", DidDataWarning,
                      stacklevel=2)
    g_unit, tlist = sample.g_unit, sample.tlist
    if not len(g_unit):
        raise ValueError("staggered_did: no unit left to estimate with (see the warnings).")
    if not (g_unit > 0).any():
        raise ValueError("staggered_did: no treated cohort left to estimate (see the "
                         "warnings and result.cohorts).")
    unbalanced = allow_unbalanced_panel and not sample.balanced
    estimator = _UnbalancedCells if unbalanced else _BalancedCells
    cells = estimator(sample, unit, time, y, covariates, est_method)
    n = len(g_unit)
    records, influences, skipped = [], [], []
    for g in np.unique(g_unit[g_unit > 0]):
        treated = g_unit == g
        for ti, pre in _cells(tlist, g, base_period, anticipation):
            t_now = tlist[ti]
            if control_group == "nevertreated":
                control = g_unit == 0
            else:
                horizon = tlist[max(ti, pre)] + anticipation
                control = (g_unit == 0) | ((g_unit > horizon) & (g_unit != g))
            cell = {"group": int(g), "time": int(t_now), "event_time": int(t_now - g)}
            if ti == pre:  # reference period of a universal base period
                estimate = (0.0, np.zeros(n), int(treated.sum()), int(control.sum()))
            else:
                estimate = cells.estimate(treated, control, ti, pre)
            if isinstance(estimate, str):
                skipped.append({**cell, "reason": estimate})
                continue
            att, inf, n_treated, n_control = estimate
            influences.append(inf)
            records.append({**cell, "att": float(att), "n_treated": n_treated,
                            "n_control": n_control})
    skipped = pd.DataFrame(skipped, columns=["group", "time", "event_time", "reason"])
    if len(skipped):
        warnings.warn(f"staggered_did: {len(skipped)} ATT(g, t) not estimated (e.g. "
                      f"{skipped['reason'].iloc[0]}); see result.skipped_cells.",
                      DidDataWarning, stacklevel=2)
    if not records:
        raise ValueError("staggered_did: no cohort has both a pre-period and comparison units.")
    att_gt = pd.DataFrame(records)
    multipliers = rademacher_multipliers(n, biters, seed) if (boot or cband) else None
    result = StaggeredDidResult(
        att_gt=att_gt, influence=np.column_stack(influences),
        group_share={g: float(np.mean(g_unit == g)) for g in np.unique(g_unit[g_unit > 0])},
        unit_group=g_unit, control_group=control_group, alpha=alpha, multipliers=multipliers,
        boot=boot, cband=cband, periods=tuple(int(t) for t in tlist),
        units=pd.Index(sample.units, name=unit), n_obs=cells.n_obs, left_out=left_out,
        cohorts=sample.cohorts(set(att_gt["group"])), skipped_cells=skipped,
        est_method=est_method, base_period=base_period, anticipation=anticipation,
        panel="unbalanced" if unbalanced else "balanced")
    return replace(result, att_gt=_with_intervals(result))


def _with_intervals(result: StaggeredDidResult) -> pd.DataFrame:
    """``result.att_gt`` with se, pointwise intervals and the simultaneous band."""
    table = result.att_gt.assign(
        **result._intervals(result.att_gt["att"].to_numpy(dtype=float), result.influence))
    order = ["group", "time", "event_time", "att", "se", "ci_low", "ci_high", "n_treated",
             "n_control", "cband_low", "cband_high", "crit_value"]
    return table[order]


class _BalancedCells:
    """2×2 comparisons on a balanced panel: one outcome change per unit."""

    def __init__(self, sample, unit, time, y, covariates, est_method):
        rows = sample.rows
        self.Y = _wide(rows, unit, time, y).loc[sample.units].to_numpy(dtype=float)
        self.covs = [_wide(rows, unit, time, c).loc[sample.units].to_numpy(dtype=float)
                     for c in covariates]
        self.est_method = est_method
        self.n_obs = int(self.Y.size)

    def estimate(self, treated, control, ti, pre):
        sub = treated | control
        if not control.any():
            return "no comparison units"
        n_sub = int(sub.sum())
        dy = self.Y[sub, ti] - self.Y[sub, pre]
        d = treated[sub].astype(float)
        X = None
        if self.covs:
            period = min(pre, ti)
            X = np.column_stack([np.ones(n_sub)] + [c[sub, period] for c in self.covs])
        att, inf_sub = panel_att_if(dy, d, X, self.est_method)
        inf = np.zeros(len(treated))
        inf[sub] = inf_sub * len(treated) / n_sub
        return att, inf, int(treated.sum()), int(control.sum())


class _UnbalancedCells:
    """2×2 comparisons on stacked observations, influence summed by unit.

    R did's estimator for unbalanced panels.
    """

    def __init__(self, sample, unit, time, y, covariates, est_method):
        rows = sample.rows
        self.unit_index = pd.Index(sample.units).get_indexer(rows[unit])
        self.t_index = np.searchsorted(sample.tlist, rows[time].to_numpy())
        self.y = rows[y].to_numpy(dtype=float)
        self.covs = rows[covariates].to_numpy(dtype=float)
        self.has_covs = bool(covariates)
        self.est_method = est_method
        self.n_units = len(sample.units)
        self.n_obs = int(len(rows))

    def estimate(self, treated, control, ti, pre):
        by_row_treated = treated[self.unit_index]
        by_row_control = control[self.unit_index]
        rows = np.flatnonzero(np.isin(self.t_index, [ti, pre])
                              & (by_row_treated | by_row_control))
        post = (self.t_index[rows] == ti).astype(float)
        d = by_row_treated[rows].astype(float)
        for group_value, name in ((1, "treated"), (0, "comparison")):
            for period_value, period in ((1, "period t"), (0, "base period")):
                if not ((d == group_value) & (post == period_value)).any():
                    return f"no {name} units observed in the {period}"
        X = None
        if self.has_covs:
            X = np.column_stack([np.ones(len(rows)), self.covs[rows]])
        att, inf_obs = rc_att_if(self.y[rows], post, d, X, self.est_method)
        inf = np.bincount(self.unit_index[rows], weights=inf_obs * self.n_units / len(rows),
                          minlength=self.n_units)
        units = self.unit_index[rows]
        return (att, inf, int(np.unique(units[d == 1]).size),
                int(np.unique(units[d == 0]).size))


__all__ = ["AggregateKind", "DidDataWarning", "StaggeredDidResult", "staggered_did"]
